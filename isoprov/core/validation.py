"""Validate loaded YAML data against a pydantic model, reporting errors at their YAML node.

Every pydantic error becomes a :class:`Diagnostic` with the file, line and column of the
offending node, its path in the document (``scores."2.3".self``) and a Vietnamese message that
says what is allowed. Models share one base, :class:`Model`: frozen, unknown keys forbidden
(a typo such as ``sefl`` is never silently dropped), numbers accepted where text is expected.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from decimal import Decimal
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from isoprov.core.diagnostics import Diagnostic, InputError
from isoprov.core.loading import PathKey, YamlDocument
from isoprov.core.vietnamese import format_number

M = TypeVar("M", bound=BaseModel)


class Model(BaseModel):
    """Base of every file model: immutable, strict about keys, Vietnamese-friendly."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
        arbitrary_types_allowed=False,
    )


#: Points and scales are small numbers written by people: anything beyond these bounds is a typo
#: or a hostile file, and would make exact arithmetic and display explode (``1e999999999``).
POINTS_MAX_DIGITS = 9
POINTS_MAX_PLACES = 20


def bounded_points(value: Decimal) -> Decimal:
    """A points value (điểm) with at most 9 integer digits and 20 decimals; ``-0`` becomes 0."""
    if not value.is_finite():
        raise ValueError("phải là một số hữu hạn")
    if value.is_zero():
        return Decimal(0)
    # Speed: a batch checks the same few values (0.5, 1, 2) thousands of times; whether a value
    # is within bounds depends only on the number (2 and 2.0 alike), so a passed one is remembered.
    if value not in _WITHIN_BOUNDS:
        _check_bounds(value)
        if len(_WITHIN_BOUNDS) < 10_000:
            _WITHIN_BOUNDS.add(value)
    return value


_WITHIN_BOUNDS: set[Decimal] = set()


def _check_bounds(value: Decimal) -> None:
    if value.adjusted() >= POINTS_MAX_DIGITS:
        raise ValueError(f"số quá lớn; phải nhỏ hơn {format_number(Decimal(10) ** POINTS_MAX_DIGITS)}")
    if decimal_places(value) > POINTS_MAX_PLACES:
        raise ValueError(f"có quá nhiều chữ số thập phân (tối đa {POINTS_MAX_PLACES})")


def decimal_places(value: Decimal) -> int:
    """How many decimals ``value`` needs, trailing zeros not counted (``1.2500`` → 2, ``10`` → 0).

    Exact at any length (``normalize()`` would round to the context's precision first)."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent >= 0:
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing_zeros))


#: A ``Decimal`` for points, maxima, band thresholds and scales (see :func:`bounded_points`).
Points = Annotated[Decimal, AfterValidator(bounded_points)]


def validate_document(model: type[M], doc: YamlDocument, *, context: dict[str, Any] | None = None) -> M:
    """Validate ``doc.data`` as ``model``; raise :class:`InputError` with located diagnostics
    (the model's and the loader's own problems, :attr:`YamlDocument.problems`), in file order."""
    if not isinstance(doc.data, dict):
        kind = "danh sách" if isinstance(doc.data, list) else "một giá trị đơn"
        raise InputError(
            [
                *doc.problems,
                doc.diagnostic((), f"nội dung tệp phải là một bảng khóa: giá trị (mapping), không phải {kind}"),
            ]
        )
    try:
        validated = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        found = [*doc.problems, *diagnostics_from_validation(exc, doc, model)]
        # in the order of the file, as a reader fixes them (pydantic goes field by field)
        raise InputError(sorted(found, key=lambda d: (d.line or 0, d.column or 0))) from None
    if doc.problems:  # a key given twice: an error, reported with everything else wrong in the file
        raise InputError(list(doc.problems))
    return validated


def diagnostics_from_validation(exc: ValidationError, doc: YamlDocument, model: type[BaseModel]) -> list[Diagnostic]:
    """Map each pydantic error to the YAML node it concerns, deduplicated by path and message."""
    out: list[Diagnostic] = []
    seen: set[tuple[PathKey, str]] = set()
    errors = exc.errors(include_url=False)
    paths = [data_path(doc.data, e["loc"], missing=e["type"] == "missing") for e in errors]
    for error, path in zip(errors, paths, strict=True):
        if error["type"] == "too_short" and any(len(p) > len(path) and p[: len(path)] == path for p in paths):
            continue  # pydantic also calls a list "too short" when one of its items is invalid
        message = vietnamese_message(error, model, path)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        key = error["type"] == "extra_forbidden"
        if key:
            message += _split_decimal_hint(doc, path)
        # a missing field has no node: point at the mapping that lacks it
        at = path[:-1] if error["type"] == "missing" else path
        out.append(doc.diagnostic(path, message, key=key, at=at))
    return out


#: The end of the text before a key YAML split off a decimal: ``{self: 2,5}`` → key ``5``.
_BEFORE_SPLIT_KEY = re.compile(r"(\d+),$")


def _split_decimal_hint(doc: YamlDocument, path: PathKey) -> str:
    """For an unknown key made of digits written right after ``digits,`` in the source (``{self:
    2,5, team: 2}``: YAML splits the flow mapping at the comma, the key ``5``), what was meant."""
    if not path or not str(path[-1]).isdigit() or not doc.text:
        return ""
    mark = doc.source.locate(path, key=True)
    lines = doc.text.splitlines()
    if mark is None or not 0 < mark.line <= len(lines):
        return ""
    found = _BEFORE_SPLIT_KEY.search(lines[mark.line - 1][: mark.column - 1])
    if found is None:
        return ""
    written = f"{found[1]},{path[-1]}"
    return (
        f"; nếu `{written}` là một số thập phân: trong `{{...}}` YAML tách số ở dấu phẩy, "
        f"hãy viết `{found[1]}.{path[-1]}`"
    )


def data_path(data: Any, loc: tuple[int | str, ...], *, missing: bool = True) -> PathKey:
    """Keep the parts of a pydantic ``loc`` that walk the actual data (drop union/branch tags).

    ``missing``: the error is a missing field, whose name ends the path though it is not in the
    data; for any other error a last part not in the data is a tag (``ratio``), dropped too."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        in_mapping = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            path.append(part)
            current = current[part]
        elif missing and isinstance(current, dict) and isinstance(part, str) and i == len(loc) - 1:
            path.append(part)  # a missing field: not in the data, but the path names it
            current = None
    return tuple(path)


def vietnamese_message(error: Any, model: type[BaseModel], path: PathKey) -> str:
    """A plain-Vietnamese explanation of one pydantic error, saying what is allowed."""
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        return str(cause) if cause is not None else str(error["msg"])
    if kind == "missing":
        return f"thiếu trường bắt buộc `{path[-1] if path else ''}`"
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        allowed = allowed_keys(model, path[:-1])
        hint = ""
        if allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if close:
                hint = f"; có phải ý bạn là `{close[0]}`?"
            hint += "; các khóa hợp lệ: " + ", ".join(allowed)
        if " " in key.strip():
            hint += (
                "; nếu đây là phần sau dấu phẩy của một đoạn văn bản trong `{...}`, "
                "hãy đặt cả đoạn văn bản trong ngoặc kép"
            )
        return f"khóa `{key}` không được phép ở đây{hint}"
    simple = _MESSAGES.get(kind)
    if simple is not None:
        shown = {k: _show(v) for k, v in ctx.items()}
        if "expected" in shown:  # pydantic lists choices as "'a', 'b' or 'c'"
            shown["expected"] = (
                ", ".join(f"`{c}`" for c in re.findall(r"'([^']*)'", shown["expected"])) or shown["expected"]
            )
        return simple.format(**shown)
    return f"giá trị không hợp lệ ({error['msg']})"


def _show(value: Any) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_number(Decimal(value))
    return str(value)


_MESSAGES = {
    "string_type": "phải là một chuỗi văn bản",
    "string_too_short": "không được để trống",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "string_pattern_mismatch": "không đúng dạng yêu cầu",
    "decimal_type": "phải là một số (ví dụ 2 hoặc 2.5)",
    "decimal_parsing": "phải là một số (ví dụ 2 hoặc 2.5)",
    "decimal_max_places": "có quá nhiều chữ số thập phân (tối đa {decimal_places})",
    "int_type": "phải là một số nguyên",
    "int_parsing": "phải là một số nguyên",
    "int_from_float": "phải là một số nguyên",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "list_type": "phải là một danh sách (mỗi phần tử một dòng bắt đầu bằng `- `)",
    "tuple_type": "phải là một danh sách",
    "dict_type": "phải là một bảng khóa: giá trị (mapping)",
    "model_type": "phải là một bảng khóa: giá trị (mapping)",
    "model_attributes_type": "phải là một bảng khóa: giá trị (mapping)",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "literal_error": "giá trị không hợp lệ; chỉ chấp nhận: {expected}",
    "enum": "giá trị không hợp lệ; chỉ chấp nhận: {expected}",
    "date_type": "phải là một ngày dạng NNNN-TT-NN (ví dụ 2015-09-08)",
    "date_parsing": "phải là một ngày dạng NNNN-TT-NN (ví dụ 2015-09-08)",
    "date_from_datetime_parsing": "phải là một ngày dạng NNNN-TT-NN (ví dụ 2015-09-08)",
    "date_from_datetime_inexact": "phải là một ngày, không kèm giờ",
    "too_short": "cần ít nhất {min_length} phần tử",
    "too_long": "có nhiều nhất {max_length} phần tử",
    "finite_number": "phải là một số hữu hạn",
    "none_required": "phải để trống",
    "is_instance_of": "kiểu giá trị không hợp lệ",
}


def allowed_keys(model: type[BaseModel], path: PathKey) -> list[str]:
    """The field names (aliases where set) of the model that sits at ``path`` under ``model``."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap_model(current)
    if current is None:
        return []
    return [info.alias or name for name, info in current.model_fields.items()]


def _unwrap_model(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap_model(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        for arg in get_args(tp):
            found = _unwrap_model(arg)
            if found is not None:
                return found
    return None


def _step(tp: Any, part: str | int) -> Any:
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _step(get_args(tp)[0], part)
    if origin in (Union, types.UnionType):
        for arg in get_args(tp):
            found = _step(arg, part)
            if found is not None:
                return found
        return None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, info in tp.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    if origin in (list, tuple) or (isinstance(origin, type) and issubclass(origin, list | tuple)):
        args = get_args(tp)
        return args[0] if args else None
    if origin is dict or (isinstance(origin, type) and issubclass(origin, dict)):
        args = get_args(tp)
        return args[1] if len(args) == 2 else None
    return None
