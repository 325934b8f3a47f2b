"""Which kind of isoprov file a loaded YAML document is (loại tệp), from its top-level keys.

Used where a folder may hold files of several kinds (``validate``, ``budget check`` on a folder)
and to tell a user who gave one command another kind of file what the file is.
"""

from __future__ import annotations

from typing import Any

#: Kind → its Vietnamese name, as messages say it.
KIND_NAMES = {
    "criteria": "bộ tiêu chí",
    "assessment": "bản tự đánh giá",
    "agencies": "danh sách cơ quan",
    "budget": "dự toán",
    "norms": "định mức",
    "document": "văn bản",
    "inspection": "kế hoạch kiểm tra",
    "minutes": "biên bản kiểm tra",
    "inspection-document": "văn bản kiểm tra",
}

#: Where a file of each kind belongs, for a command that was given one by name.
KIND_HINTS = {
    "criteria": "bộ tiêu chí được chỉ ra bằng `--criteria`",
    "budget": "dự toán được kiểm tra bằng `isoprov budget check`",
    "agencies": "danh sách cơ quan được chỉ ra bằng `--agencies`",
    "norms": "định mức được dùng qua `isoprov budget check --norms`",
    "document": "văn bản được soạn bằng `isoprov render`",
    "inspection": "kế hoạch kiểm tra được kiểm tra bằng `isoprov inspect check`",
    "minutes": "biên bản kiểm tra được đọc bằng `isoprov inspect check` và `isoprov inspect actions`",
    "inspection-document": "văn bản kiểm tra được soạn bằng `isoprov render` (inspection-plan, minutes, …)",
}


def detect_kind(data: Any) -> str | None:
    """The kind of a YAML mapping (a key of :data:`KIND_NAMES`), or None when it is none of them."""
    if not isinstance(data, dict):
        return None
    if "header" not in data and ("findings" in data or ("signed" in data and "inspection" in data)):
        return "minutes"
    if "onsite" in data or ("year" in data and isinstance(data.get("agencies"), str)):
        return "inspection"
    if "agency" in data or "scores" in data:
        return "assessment"
    if "bands" in data or isinstance(data.get("criteria"), list):
        return "criteria"
    if "items" in data:
        return "budget"
    if "agencies" in data:
        return "agencies"
    if "caps" in data:
        return "norms"
    if "header" in data and ("inspection" in data or "minutes" in data):
        return "inspection-document"
    if "header" in data or "signature" in data or "sections" in data:
        return "document"
    return None
