"""The one loading layer: bytes → YAML nodes → Python data with source marks.

- UTF-8 only (a BOM is accepted); any other encoding is a clear error naming the file.
- YAML is *composed* with PyYAML's C parser where present and turned into data here, so that
  no object tag is ever constructed, duplicate mapping keys are errors, alias expansion is
  bounded (an alias bomb fails fast), numbers become ``Decimal`` from the scalar's own text
  (never through a float), mapping keys stay the text the user wrote (``1.1`` is the id
  ``"1.1"``), and all text is Unicode NFC.
- Every node's line and column is available from a :class:`SourceMap` (found from the composed
  nodes when asked for), so a pydantic error can be reported at the file, line and column of
  the offending node, with its path in the document.
"""

from __future__ import annotations

import gc
import operator
import re
import unicodedata
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from isoprov.core.diagnostics import Diagnostic, InputError, format_path, os_error_text

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
_NUMBER = re.compile(r"[-+]?(?:\d+)?(?:\.\d+|\d)(?:[eE][-+]?\d+)?\.?")
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

    values: MutableMapping[PathKey, Mark] = field(default_factory=dict)
    keys: MutableMapping[PathKey, Mark] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> Mark | None:
        """The mark of ``path``'s node, or of its nearest ancestor that has one."""
        if key:
            found = self.keys.get(path)
            if found is not None:
                return found
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
    #: The source text, for checks that must see how a value was written (a comma YAML split on).
    text: str = ""

    def value_at(self, path: PathKey) -> Any:
        """The loaded value at ``path`` as the file has it (before any model read it), or None."""
        node: Any = self.data
        for step in path:
            if isinstance(node, dict) and isinstance(step, str):
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                return None
        return node

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


#: Files that are not text at all, told by their first bytes.
_OFFICE_MAGIC = (
    (b"PK\x03\x04", "tệp nén hoặc tài liệu Office (.xlsx, .xlsm, .docx, .zip)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "tài liệu Office dạng cũ (.xls, .doc)"),
    (b"%PDF", "tệp PDF"),
)


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: Vietnamese or ASCII text in it has a NUL in most of its
    even (big-endian) or odd (little-endian) bytes; UTF-8 text has none."""
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return False
    half = len(sample) // 2
    return max(sample[0::2].count(0), sample[1::2].count(0)) >= max(2, half * 0.3)


def decode_text(raw: bytes, file: str) -> str:
    """UTF-8 (with or without BOM) to NFC text; anything else is a diagnostic naming the file."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        raise InputError([Diagnostic(file, "tệp đang ở mã UTF-16; hãy lưu lại với mã hóa UTF-8")])
    for magic, what in _OFFICE_MAGIC:
        if raw.startswith(magic):
            raise InputError([Diagnostic(file, f"tệp này là {what}, không phải văn bản YAML")])
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


@contextmanager
def gc_running() -> Iterator[None]:
    """The cyclic collector on inside a batch that paused it (:func:`gc_paused`, or a worker
    process, which turns it off), and the garbage the block left collected on leaving: for
    reading a filled form, which leaves cyclic garbage: with the collector off, every form read
    stayed in memory until the end of the batch (openpyxl's workbooks, cells ↔ sheet ↔ workbook:
    847 MB at 1,000 forms; read with lxml since, still 286 MB against 74 MB with this block).

    Every object alive on entry (the modules, the batch's results so far) is frozen for the
    block (``gc.freeze``): the collections, the final one included, walk only what the block
    made, so their cost does not grow with the batch."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()
        if not enabled:
            gc.disable()


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document held in ``text``; raise :class:`InputError` on any problem."""
    if not text.strip():
        raise InputError([Diagnostic(file, "tệp rỗng: không có nội dung YAML nào", line=1, column=1)])
    with gc_paused():
        try:
            node = yaml.compose(text, Loader=_FastLoader)
        except yaml.MarkedYAMLError as exc:
            raise InputError([_syntax_diagnostic(exc, file)]) from None
        except yaml.reader.ReaderError as exc:  # a control character: located from its index
            raise InputError([_control_character(text, exc, file)]) from None
        except yaml.YAMLError as exc:
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
    nodes = _NodeIndex(node)
    source = SourceMap(values=_NodeMarks(nodes, of_keys=False), keys=_NodeMarks(nodes, of_keys=True))
    return YamlDocument(file=file, data=data, source=source, problems=tuple(builder.errors), text=text)


def load_yaml(path: Path, file: str | None = None) -> YamlDocument:
    """Read and parse a YAML file (see :func:`parse_yaml`)."""
    name = file or str(path)
    return parse_yaml(read_text(path, name), name)


def _translate(problem: str) -> str:
    for pattern, vietnamese in _YAML_PROBLEMS:
        if pattern.search(problem):
            return vietnamese
    return f"không đọc được (chi tiết kỹ thuật: {problem})"


def _control_character(text: str, exc: yaml.reader.ReaderError, file: str) -> Diagnostic:
    """A character YAML does not allow (NUL, other control characters), at its line and column."""
    index = exc.position if isinstance(exc.position, int) and 0 <= exc.position < len(text) else None
    if index is None:  # pragma: no cover - PyYAML always gives the index in the decoded text
        return Diagnostic(file, "YAML không hợp lệ: tệp chứa ký tự điều khiển không được phép")
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Diagnostic(
        file,
        f"tệp chứa ký tự điều khiển U+{ord(text[index]):04X} không được phép (thường do chép từ Word hay "
        "trang web); hãy xóa ký tự đó",
        line=line,
        column=column,
    )


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, file: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "cú pháp không hợp lệ"
    return Diagnostic(
        file,
        f"cú pháp YAML không hợp lệ: {_translate(problem)}",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


class _FastLoader(_Loader):
    """The safe loader, with PyYAML's tag resolution made cheap.

    Speed: the C parser calls ``resolve`` (and the two path-resolver hooks) once per node,
    hundreds of times per file, and PyYAML's own concatenates lists and tries up to three
    regexes on each plain scalar. The result is the same: the safe loader has no path resolvers,
    so a plain scalar's tag depends only on its text (remembered here), any other scalar is a
    string, and a mapping or a sequence gets the default tag.
    """

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR_TAG
            assert value is not None
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
                if len(value) <= _CACHED_TEXT and len(_RESOLVED) < _CACHE_LIMIT:
                    _RESOLVED[value] = tag
            return tag
        return _MAP_TAG if kind is yaml.MappingNode else _SEQ_TAG

    # These two keep track of the node path for path resolvers, around each node; there are
    # none. Speed: the C composer calls both for every node; builtins that do nothing with
    # their arguments (a builtin function is not bound as a method) cost less than a Python
    # method that does nothing (15 µs of a 60-leaf file's 380).
    descend_resolver = operator.is_  # type: ignore[assignment]  # (node, index) → a bool, ignored
    ascend_resolver = tuple  # type: ignore[assignment]  # () → the empty tuple, ignored


#: Plain scalar text → its resolved tag; and number text → its ``Decimal`` (immutable, so one
#: object serves every file of a batch: the same points pickle once per chunk of results).
_RESOLVED: dict[str, str] = {}
_DECIMALS: dict[str, Decimal] = {}
_CACHE_LIMIT = 20_000
_CACHED_TEXT = 40  # longer text seldom repeats: not kept


class _Refused:
    """A scalar whose tag is not plain data (the builder reports it)."""


_REFUSED = _Refused()


class _Builder:
    """Turns composed nodes into dicts, lists, Decimals, bools, None and NFC strings (dates stay
    as the text written: the fields that mean a date parse it).

    Speed: this runs for every node of every file, so scalar children (most nodes) are converted
    inline by their parent, without a call of :meth:`build` or a path of their own; the marks of
    nodes are not recorded here but found when a diagnostic asks for one (:class:`_NodeMarks`).
    """

    def __init__(self, file: str, budget: int) -> None:
        self.file = file
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

    def _fatal(self, node: yaml.Node, message: str) -> InputError:
        return InputError(
            [Diagnostic(self.file, message, line=node.start_mark.line + 1, column=node.start_mark.column + 1)]
        )

    def _too_large(self, node: yaml.Node) -> InputError:
        return self._fatal(
            node,
            "tham chiếu YAML (`&neo` / `*neo`) mở rộng quá lớn; tệp bị từ chối để bảo vệ máy (có thể là tệp độc hại)",
        )

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self._budget -= 1
        if self._budget < 0:
            raise self._too_large(node)
        if len(path) > MAX_DEPTH:
            raise self._fatal(node, f"lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        assert isinstance(node, yaml.SequenceNode)
        return self._sequence(node, path)

    def _inline(self, node: yaml.ScalarNode, path: PathKey, part: str | int) -> Any:
        """A scalar child within the depth limit, converted by its parent (as :meth:`build` would)."""
        self._budget -= 1
        if self._budget < 0:
            raise self._too_large(node)
        value = _scalar_value(node)
        if value is _REFUSED:
            return self._scalar(node, (*path, part))
        return value

    def _sequence(self, node: yaml.SequenceNode, path: PathKey) -> list[Any] | None:
        if node.tag != _SEQ_TAG:
            self._error(node, f"thẻ YAML `{node.tag}` không được phép", path)
            return None
        shallow = len(path) < MAX_DEPTH  # a child's path is one longer, still within the limit
        out: list[Any] = []
        for i, item in enumerate(node.value):
            kind = type(item)
            if shallow and kind is yaml.ScalarNode:
                out.append(self._inline(item, path, i))
            elif shallow and (kind is yaml.MappingNode or kind is yaml.SequenceNode):
                out.append(self._collection(item, (*path, i)))
            else:
                out.append(self.build(item, (*path, i)))
        return out

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        if node.tag != _MAP_TAG:
            self._error(node, f"thẻ YAML `{node.tag}` không được phép", path)
            return {}
        out: dict[str, Any] = {}
        shallow = len(path) < MAX_DEPTH  # a child's path is one longer, still within the limit
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self._error(key_node, "khóa gộp `<<` không được hỗ trợ; hãy viết đầy đủ các khóa", path)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(key_node, "khóa phải là một chuỗi đơn giản", path)
                continue
            key = key_node.value
            if not key.isascii():
                key = unicodedata.normalize("NFC", key)
            if key in out:
                first = _entries(node)[key][0]
                self._error(
                    key_node,
                    f"khóa `{key}` xuất hiện hai lần (lần đầu ở dòng {first.start_mark.line + 1}); "
                    "mỗi khóa chỉ được khai báo một lần",
                    (*path, key),
                )
                self.recoverable += 1
                continue
            kind = type(value_node)
            if shallow and kind is yaml.ScalarNode:  # as `build` does, without the call
                self._budget -= 1
                if self._budget < 0:
                    raise self._too_large(value_node)
                value = _scalar_value(value_node)
                out[key] = self._scalar(value_node, (*path, key)) if value is _REFUSED else value
            elif shallow and (kind is yaml.MappingNode or kind is yaml.SequenceNode):
                out[key] = self._collection(value_node, (*path, key))
            else:
                out[key] = self.build(value_node, (*path, key))
        return out

    def _collection(self, node: yaml.MappingNode | yaml.SequenceNode, path: PathKey) -> Any:
        """A mapping or sequence child within the depth limit (``path`` no longer than
        MAX_DEPTH), built as :meth:`build` would, without its checks of kind and depth."""
        self._budget -= 1
        if self._budget < 0:
            raise self._too_large(node)
        if isinstance(node, yaml.MappingNode):  # the exact class: `_collection` is only given those
            return self._mapping(node, path)
        return self._sequence(node, path)

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        value = _scalar_value(node)
        if value is _REFUSED:
            self._error(node, f"thẻ YAML `{node.tag}` không được phép (chỉ dữ liệu thuần được chấp nhận)", path)
            return None
        return value


def _scalar_value(node: yaml.ScalarNode) -> Any:
    text: str = node.value
    kind = _SCALAR_KINDS.get(node.tag)
    if kind is None:
        return _REFUSED
    if kind == "str":
        plain = not node.style  # None (pure-Python parser) or "" (libyaml) for plain scalars
        if plain and text[:1] in _LEADING_ZERO_FIRST and _LEADING_ZERO_INT.fullmatch(text):
            return WrittenNumber(text)  # `08`, `09`: YAML 1.1 reads them as text; users mean numbers
        return nfc(text)
    if kind in ("int", "float"):
        return _number(text)
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() in ("true", "yes", "on", "y")
    # binary, timestamps and other plain kinds stay as their text: `2020-01-05` in a note or
    # an evidence entry is what the user wrote; the fields that mean a date parse it
    return nfc(text)


def _entries(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """A mapping's entries by key as the builder takes them: merge keys and keys that are not
    scalars are left out, and of a key given twice the first is kept."""
    out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE_TAG and isinstance(key_node, yaml.ScalarNode):
            out.setdefault(nfc(key_node.value), (key_node, value_node))
    return out


class _NodeIndex:
    """The composed nodes of a document, found by their path in its data."""

    def __init__(self, root: yaml.Node) -> None:
        self.root = root
        self._entries: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}  # by id of the mapping node

    def find(self, path: PathKey) -> tuple[yaml.Node | None, yaml.Node] | None:
        """The key node (None for the root and list items) and the value node at ``path``."""
        key_node: yaml.Node | None = None
        node = self.root
        for part in path:
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
                entry = self.entries(node).get(part) if isinstance(part, str) else None
                if entry is None:
                    return None
                key_node, node = entry
            elif (
                isinstance(node, yaml.SequenceNode)
                and node.tag == _SEQ_TAG
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                key_node, node = None, node.value[part]
            else:
                return None
        return key_node, node

    def entries(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        found = self._entries.get(id(node))
        if found is None:
            found = self._entries[id(node)] = _entries(node)
        return found

    def walk(self) -> Iterator[tuple[PathKey, yaml.Node | None, yaml.Node]]:
        """Every path with its key and value nodes, in document order (parents first)."""
        stack: list[tuple[PathKey, yaml.Node | None, yaml.Node]] = [((), None, self.root)]
        while stack:
            path, key_node, node = stack.pop()
            yield path, key_node, node
            children: list[tuple[PathKey, yaml.Node | None, yaml.Node]] = []
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
                children = [((*path, k), kn, vn) for k, (kn, vn) in self.entries(node).items()]
            elif isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
                children = [((*path, i), None, item) for i, item in enumerate(node.value)]
            stack.extend(reversed(children))


class _NodeMarks(MutableMapping[PathKey, Mark]):
    """The marks of a document's values (or of its mapping keys), found when asked for.

    Speed: recording a mark for each of the hundreds of nodes of every file cost more than the
    rest of the building; a diagnostic needs a few. Iterating or changing the map turns it into
    a plain dict of every mark first.
    """

    def __init__(self, nodes: _NodeIndex, *, of_keys: bool) -> None:
        self._nodes = nodes
        self._of_keys = of_keys
        self._all: dict[PathKey, Mark] | None = None

    def __getitem__(self, path: PathKey) -> Mark:
        if self._all is not None:
            return self._all[path]
        found = self._nodes.find(path)
        node = None if found is None else found[0] if self._of_keys else found[1]
        if node is None:
            raise KeyError(path)
        return Mark(node.start_mark.line + 1, node.start_mark.column + 1)

    def _every(self) -> dict[PathKey, Mark]:
        if self._all is None:
            self._all = {}
            for path, key_node, value_node in self._nodes.walk():
                node = key_node if self._of_keys else value_node
                if node is not None:
                    self._all[path] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        return self._all

    def __setitem__(self, path: PathKey, mark: Mark) -> None:
        self._every()[path] = mark

    def __delitem__(self, path: PathKey) -> None:
        del self._every()[path]

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())


#: Full YAML tag → the kind of plain data it is; any other tag is refused.
_SCALAR_KINDS = {_TAG + kind: kind for kind in ("str", "null", "bool", "int", "float", "timestamp")}
_STR_TAG = _TAG + "str"
_SEQ_TAG = _TAG + "seq"
_MAP_TAG = _TAG + "map"
_MERGE_TAG = _TAG + "merge"
#: The first characters `_LEADING_ZERO_INT` can match: a cheap test before the regex.
_LEADING_ZERO_FIRST = ("0", "+", "-")


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
    number = _DECIMALS.get(text)
    if number is not None:
        return number
    found = _parse_number(text)
    if type(found) is Decimal and len(text) <= _CACHED_TEXT and len(_DECIMALS) < _CACHE_LIMIT:
        _DECIMALS[text] = found
    return found


def _parse_number(text: str) -> Decimal | str:
    # `1_0` is 10 to YAML 1.1 and to Python, but an official who typed it meant something else:
    # left as its text, it is refused where a number is wanted, with the text shown
    if _LEADING_ZERO_INT.fullmatch(text):
        return WrittenNumber(text)  # `01`, `007`: YAML 1.1 octal, but people mean decimal
    if _NUMBER.fullmatch(text):
        try:
            return Decimal(text.rstrip("."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
            return text
    return text  # `1_0`, hex, octal, sexagesimal, .inf, .nan: left as text, rejected by the models
