"""Kinds of agency (loại cơ quan) a budget or a norm cap is for: ``for: xa``.

Thông tư 116/2015/TT-BTC Điều 4 sets different caps for each level of the administration; a
budget (or one of its items) says which level it is for, a cap says which levels it applies to,
and a line citing a cap of another level is an error naming the cap that fits (BUD019).
The names follow the assessment levels of SPEC §2 (``tinh``, ``huyen``, ``xa``).
"""

from __future__ import annotations

from typing import Any

#: Kind → what it covers, as the regulation words it.
AGENCY_KINDS: dict[str, str] = {
    "bo": "Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
    "tong-cuc": "Tổng cục, Cục thuộc Bộ và tương đương",
    "ubnd-tinh": "Ủy ban nhân dân cấp tỉnh",
    "tinh": "sở, ban, ngành (cơ quan chuyên môn thuộc UBND cấp tỉnh)",
    "huyen": "Ủy ban nhân dân cấp huyện",
    "chi-cuc": "chi cục và tương đương; cơ quan chuyên môn thuộc UBND cấp huyện",
    "xa": "Ủy ban nhân dân cấp xã",
    "dvsn": "đơn vị sự nghiệp công lập",
}


def agency_kind(value: Any) -> Any:
    """Validate one kind (pydantic ``BeforeValidator``): a known key of :data:`AGENCY_KINDS`."""
    if isinstance(value, str) and value.strip() in AGENCY_KINDS:
        return value.strip()
    allowed = "; ".join(f"`{k}` ({v})" for k, v in AGENCY_KINDS.items())
    raise ValueError(f"loại cơ quan `{value}` không hợp lệ; dùng một trong: {allowed}")


def agency_kinds(value: Any) -> Any:
    """A kind or a list of kinds → a tuple of validated kinds."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list | tuple) or not values:
        raise ValueError("`for` là một loại cơ quan hoặc danh sách loại cơ quan, ví dụ `[xa, dvsn]`")
    return tuple(dict.fromkeys(agency_kind(v) for v in values))


def kind_name(kind: str) -> str:
    """``xa`` → "Ủy ban nhân dân cấp xã (`xa`)"."""
    return f"{AGENCY_KINDS.get(kind, kind)} (`{kind}`)"
