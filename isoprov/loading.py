"""The one loading layer: bytes → YAML nodes → Python data with source marks.

- UTF-8 only (a BOM is accepted); any other encoding is a clear error naming the file.
- YAML is *composed* with PyYAML's C parser where present and turned into data here, so that
  no object tag is ever constructed, duplicate mapping keys are errors, alias expansion is
  bounded (an alias bomb fails fast), numbers become ``Decimal`` from the scalar's own text
  (never through a float), mapping keys stay the text the user wrote (``1.1`` is the id
  ``"1.1"``), and all text is Unicode NFC.
- Every node's line and column is kept in a :class:`SourceMap`, so a pydantic error can be
  reported at the file, line and column of the offending node, with its path in the document.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from isoprov.diagnostics import Diagnostic, InputError, format_path, os_error_text

try:  # the C parser is ~10× faster; fall back to the pure-Python one where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathKey = tuple[str | int, ...]

#: How many nodes alias expansion may add beyond the document's own nodes before we refuse.
ALIAS_EXPANSION_LIMIT = 10_000
#: Deeper nesting than this is not a document a person wrote.
MAX_DEPTH = 200

_TAG = "tag:yaml.org,2002:"
_NUMBER = re.compile(r"[-+]?(?:\d[\d_]*)?(?:\.\d[\d_]*|\d)(?:[eE][-+]?\d+)?\.?")
_LEADING_ZERO_INT = re.compile(r"[-+]?0\d+")

#: What the YAML parsers (libyaml and the pure-Python one word things differently) say, and
#: what a user is told; the first pattern that matches wins.
_YAML_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), message)
    for pattern, message in (
        (
            r"mapping values are not allowed",
            "không được đặt `:` ở đây (thiếu thụt lề, hoặc giá trị có dấu `:` cần đặt trong ngoặc kép)",
        ),
        (r"could not find expected ':'", "thiếu dấu `:` sau khóa"),
        (
            r"expected ',' or '\}'|did not find expected ',' or '\}'",
            "thiếu dấu `,` hoặc `}` trong `{...}` (văn bản có dấu phẩy phải đặt trong ngoặc kép)",
        ),
        (r"expected ',' or '\]'|did not find expected ',' or '\]'", "thiếu dấu `,` hoặc `]` trong danh sách `[...]`"),
        (r"expected the node content|did not find expected node content", "thiếu giá trị ở đây"),
        (r"did not find expected key|expected <block end>", "thụt lề không khớp: không tìm thấy khóa như mong đợi"),
        (r"did not find expected '-' indicator", "thụt lề không khớp trong danh sách"),
        (r"block sequence entries are not allowed", "dấu `-` của danh sách đặt sai chỗ (kiểm tra thụt lề)"),
        (r"tab character", "dùng phím tab để thụt lề; hãy dùng dấu cách"),
        (
            r"found character .*that cannot start any token",
            "ký tự không được phép ở đầu giá trị (tab hoặc ký tự đặc biệt như `@`, `` ` ``; "
            "hãy đặt giá trị trong ngoặc kép)",
        ),
        (r"found undefined alias", "tham chiếu `*` tới neo `&` chưa được khai báo"),
        (r"found unexpected end of stream", "tệp kết thúc giữa chừng (thiếu dấu ngoặc hoặc ngoặc kép)"),
        (r"found unknown escape character", "ký tự thoát `\\` không hợp lệ trong chuỗi ngoặc kép"),
        (
            r"expected a single document in the stream|but found another document",
            "tệp chỉ được chứa một tài liệu YAML (bỏ `---` thừa)",
        ),
        (r"found duplicate anchor", "neo `&` bị khai báo hai lần"),
        (
            r"control characters are not allowed|special characters are not allowed|unacceptable character",
            "tệp chứa ký tự điều khiển không được phép",
        ),
        (r"found unexpected ':'", "dấu `:` đặt sai chỗ (giá trị có dấu `:` cần đặt trong ngoặc kép)"),
        (r"alphabetic or numeric character", "tên neo `&` hoặc tham chiếu `*` không hợp lệ"),
        (r"comment or (a )?line break", "có ký tự thừa sau giá trị (chú thích phải bắt đầu bằng dấu cách rồi `#`)"),
        (
            r"chomping or indentation indicator|indentation indicator",
            "dấu `|` hoặc `>` của đoạn văn nhiều dòng viết sai",
        ),
        (r"document start|document separator|directive", "dòng `---`, `...` hoặc `%` đặt sai chỗ"),
        (r"maximum nesting depth", f"lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)"),
        (r"tag", "thẻ `!` không được dùng trong tệp isoprov"),
    )
)


class Mark(NamedTuple):
    """A 1-based line and column in the source file."""

    line: int
    column: int


@dataclass(slots=True)
class SourceMap:
    """Where each value (and each mapping key) of a document stands in its file."""

    values: dict[PathKey, Mark] = field(default_factory=dict)
    keys: dict[PathKey, Mark] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> Mark | None:
        """The mark of ``path``'s node, or of its nearest ancestor that has one."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            mark = self.values.get(path[:end])
            if mark is not None:
                return mark
        return None


@dataclass(slots=True)
class YamlDocument:
    """A loaded document: its display name, the plain data, and where each node came from."""

    file: str
    data: Any
    source: SourceMap
    #: Problems that did not stop the loading (a key given twice: the first is kept); they are
    #: reported with the document's other errors by :func:`isoprov.validation.validate_document`.
    problems: tuple[Diagnostic, ...] = ()

    def diagnostic(
        self,
        path: PathKey,
        message: str,
        *,
        key: bool = False,
        at: PathKey | None = None,
        **kwargs: Any,
    ) -> Diagnostic:
        """A diagnostic about ``path``, located at the node of ``at`` (default: ``path``)."""
        mark = self.source.locate(path if at is None else at, key=key)
        return Diagnostic(
            file=self.file,
            message=message,
            line=mark.line if mark else None,
            column=mark.column if mark else None,
            path=format_path(path),
            **kwargs,
        )


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def decode_text(raw: bytes, file: str) -> str:
    """UTF-8 (with or without BOM) to NFC text; anything else is a diagnostic naming the file."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([Diagnostic(file, "tệp đang ở mã UTF-16; hãy lưu lại với mã hóa UTF-8")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [
                Diagnostic(
                    file,
                    f"tệp không phải UTF-8 (byte 0x{raw[exc.start]:02X} không hợp lệ); có thể tệp "
                    "được lưu bằng bảng mã cũ (Windows-1258, TCVN3, VNI). Hãy mở tệp và lưu lại "
                    "với mã hóa UTF-8",
                    line=line,
                    column=column,
                )
            ]
        ) from None
    return nfc(text)


def read_text(path: Path, file: str | None = None) -> str:
    """Read a file as NFC text, or raise :class:`InputError` with a Vietnamese message."""
    name = file or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(name, os_error_text(exc, "đọc"))]) from None
    return decode_text(raw, name)


@contextmanager
def gc_paused() -> Iterator[None]:
    # Building many small containers triggers the cyclic collector for nothing: a large share
    # of load time on big files. Nothing we build here is cyclic.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document held in ``text``; raise :class:`InputError` on any problem."""
    if not text.strip():
        raise InputError([Diagnostic(file, "tệp rỗng: không có nội dung YAML nào", line=1, column=1)])
    with gc_paused():
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            raise InputError([_syntax_diagnostic(exc, file)]) from None
        except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark class
            raise InputError([Diagnostic(file, f"YAML không hợp lệ: {_translate(str(exc))}")]) from None
        if node is None:
            raise InputError([Diagnostic(file, "tệp rỗng: chỉ có chú thích, không có dữ liệu", line=1, column=1)])
        # A document of n characters has fewer than n nodes of its own; anything beyond that
        # (plus a margin for honest anchors) is alias expansion: an alias bomb is refused
        # after a few thousand nodes instead of building billions.
        builder = _Builder(file, budget=len(text) + ALIAS_EXPANSION_LIMIT)
        data = builder.build(node, ())
    if len(builder.errors) > builder.recoverable:
        raise InputError(builder.errors)
    return YamlDocument(file=file, data=data, source=builder.source, problems=tuple(builder.errors))


def load_yaml(path: Path, file: str | None = None) -> YamlDocument:
    """Read and parse a YAML file (see :func:`parse_yaml`)."""
    name = file or str(path)
    return parse_yaml(read_text(path, name), name)


def _translate(problem: str) -> str:
    for pattern, vietnamese in _YAML_PROBLEMS:
        if pattern.search(problem):
            return vietnamese
    return f"không đọc được (chi tiết kỹ thuật: {problem})"


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, file: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "cú pháp không hợp lệ"
    return Diagnostic(
        file,
        f"cú pháp YAML không hợp lệ: {_translate(problem)}",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


class _Builder:
    """Turns composed nodes into dicts, lists, Decimals, bools, None and NFC strings (dates stay
    as the text written: the fields that mean a date parse it)."""

    def __init__(self, file: str, budget: int) -> None:
        self.file = file
        self.source = SourceMap()
        self.errors: list[Diagnostic] = []
        self.recoverable = 0  # how many of the errors leave a usable document (repeated keys)
        self._budget = budget

    def _error(self, node: yaml.Node, message: str, path: PathKey) -> None:
        self.errors.append(
            Diagnostic(
                self.file,
                message,
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
                path=format_path(path),
            )
        )

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self._budget -= 1
        if self._budget < 0:
            raise InputError(
                [
                    Diagnostic(
                        self.file,
                        "tham chiếu YAML (`&neo` / `*neo`) mở rộng quá lớn; tệp bị từ chối "
                        "để bảo vệ máy (có thể là tệp độc hại)",
                        line=node.start_mark.line + 1,
                        column=node.start_mark.column + 1,
                    )
                ]
            )
        if len(path) > MAX_DEPTH:
            raise InputError(
                [
                    Diagnostic(
                        self.file,
                        f"lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)",
                        line=node.start_mark.line + 1,
                        column=node.start_mark.column + 1,
                    )
                ]
            )
        start = node.start_mark
        values = self.source.values
        if path not in values:
            values[path] = Mark(start.line + 1, start.column + 1)
        if isinstance(node, yaml.ScalarNode):  # scalars first: most nodes are
            return self._scalar(node, path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        assert isinstance(node, yaml.SequenceNode)
        if node.tag != _SEQ_TAG:
            self._error(node, f"thẻ YAML `{node.tag}` không được phép", path)
            return None
        return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            self._error(node, f"thẻ YAML `{node.tag}` không được phép", path)
            return {}
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self._error(key_node, "khóa gộp `<<` không được hỗ trợ; hãy viết đầy đủ các khóa", path)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(key_node, "khóa phải là một chuỗi đơn giản", path)
                continue
            key = nfc(key_node.value)
            key_path = (*path, key)
            line = key_node.start_mark.line + 1
            if key in first_line:
                self._error(
                    key_node,
                    f"khóa `{key}` xuất hiện hai lần (lần đầu ở dòng {first_line[key]}); "
                    "mỗi khóa chỉ được khai báo một lần",
                    key_path,
                )
                self.recoverable += 1
                continue
            first_line[key] = line
            self.source.keys[key_path] = Mark(line, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, key_path)
        return out

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        text: str = node.value
        kind = _SCALAR_KINDS.get(node.tag)
        if kind is None:
            self._error(node, f"thẻ YAML `{node.tag}` không được phép (chỉ dữ liệu thuần được chấp nhận)", path)
            return None
        plain = not node.style  # None (pure-Python parser) or "" (libyaml) for plain scalars
        if kind == "str":
            if plain and _LEADING_ZERO_INT.fullmatch(text):
                return WrittenNumber(text)  # `08`, `09`: YAML 1.1 reads them as text; users mean numbers
            return nfc(text)
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() in ("true", "yes", "on", "y")
        if kind in ("int", "float"):
            return _number(text)
        # binary, timestamps and other plain kinds stay as their text: `2020-01-05` in a note or
        # an evidence entry is what the user wrote; the fields that mean a date parse it
        return nfc(text)


#: Full YAML tag → the kind of plain data it is; any other tag is refused.
_SCALAR_KINDS = {_TAG + kind: kind for kind in ("str", "null", "bool", "int", "float", "timestamp")}
_SEQ_TAG = _TAG + "seq"


class WrittenNumber(Decimal):
    """A number written with leading zeros (``01``, ``08``): its value is the number, its text
    (``str()``, which is what a text field takes) stays as written, so ``code: 001`` is the code
    ``001`` and ``id: 01`` the id ``01``, never ``1``. Arithmetic gives plain ``Decimal``."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> WrittenNumber:
        number = super().__new__(cls, text)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[type[WrittenNumber], tuple[str]]:
        return (WrittenNumber, (self.text,))


def _number(text: str) -> Decimal | str:
    cleaned = text.replace("_", "")
    if _LEADING_ZERO_INT.fullmatch(cleaned):
        return WrittenNumber(cleaned)  # `01`, `007`: YAML 1.1 octal, but people mean decimal
    if _NUMBER.fullmatch(cleaned):
        try:
            return Decimal(cleaned.rstrip("."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
            return text
    return text  # hex, octal, sexagesimal, .inf, .nan: left as text, rejected by the models
