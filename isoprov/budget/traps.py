"""The "2,5" trap (SPEC §5b): a figure YAML splits at its decimal comma.

An official writes two and a half months as ``2,5 tháng``. Inside a flow list or a flow mapping
YAML reads the comma as a separator: ``times: [2,5 tháng]`` becomes two multipliers, 2 and
"5 tháng" (the amount × 10 instead of × 2,5); ``{quantity: 2,5, rate: 3}`` becomes
``quantity: 2`` and a key ``5``. Only the source text shows what was meant, so the check reads
it: a figure of ``quantity``, ``rate``, ``times`` or ``percent`` that YAML ended just before a comma
followed by a digit is an input error that says to write it in quotes (``"2,5 tháng"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from isoprov.core.diagnostics import Diagnostic
from isoprov.core.loading import PathKey, YamlDocument

KEYS = ("quantity", "rate", "times", "percent")

#: A figure as YAML's plain scalar reads it, then the comma and digit that YAML split off.
_SPLIT = re.compile(r"(?P<figure>[-−–]?\d[\d.]*)\s*,(?P<rest>\d[^,\]}\n#]*)")


def comma_traps(doc: YamlDocument) -> list[Diagnostic]:
    """One error for each figure YAML split at a decimal comma, located at the figure."""
    if not doc.text:
        return []
    lines = doc.text.splitlines()
    out: list[Diagnostic] = []
    for path, key in _figure_paths(doc.data):
        value = doc.value_at(path)
        mark = doc.source.values.get(path)
        if mark is None or not 0 < mark.line <= len(lines):
            continue
        match = _SPLIT.match(lines[mark.line - 1], mark.column - 1)
        if match is None or not _read_as(value, match["figure"]):
            continue
        written = f"{match['figure']},{match['rest'].rstrip()}"
        if key in MONEY_KEYS and match["rest"].strip().isdigit():  # a money string carries its
            written += f" {_budget_unit(doc.data)}"  # unit (SPEC §5): the budget's, when none follows
        out.append(
            doc.diagnostic(
                path,
                f"`{key}`: `{match['figure']},{match['rest'].rstrip()}` bị YAML tách ở dấu phẩy thành hai giá "
                f"trị ({match['figure']} và {match['rest'].rstrip()}); nếu là số thập phân hãy viết trong "
                f'ngoặc kép: `"{written}"`'
                + (f', ví dụ `{key}: ["{written}"]`' if key == "times" else f', ví dụ `{key}: "{written}"`'),
            )
        )
    return out


#: The figures that are money: written in quotes, they need their unit.
MONEY_KEYS = ("rate",)


def _budget_unit(data: Any) -> str:
    unit = data.get("unit") if isinstance(data, dict) else None
    return " ".join(unit.split()) if isinstance(unit, str) and unit.strip() else "đồng"


def _read_as(value: Any, figure: str) -> bool:
    """YAML read the scalar as ``figure`` alone (so the comma after it was a separator)."""
    if isinstance(value, str):
        return value.strip() == figure
    return value is not None and not isinstance(value, bool | dict | list)


def _figure_paths(data: Any) -> Iterator[tuple[PathKey, str]]:
    if not isinstance(data, dict):
        return
    items = data.get("items")
    if isinstance(items, list):
        for i, item in enumerate(items):
            yield from _item_paths(item, ("items", i))


def _item_paths(item: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """The figures of an item (and its sub-items) YAML may have split. Speed: only these are
    located in the source. A split leaves a trace in the data: a flow list of two or more
    multipliers, or a key that starts with a digit (``{quantity: 2,5}`` → key ``5``)."""
    if not isinstance(item, dict):
        return
    split_key = any(k[:1].isdigit() for k in item)
    for key in KEYS:
        value = item.get(key)
        if isinstance(value, list):
            if len(value) > 1:
                for k in range(len(value) - 1):
                    yield (*path, key, k), key
        elif key in item and split_key:
            yield (*path, key), key
    breakdown = item.get("breakdown")
    if isinstance(breakdown, list):
        for j, sub in enumerate(breakdown):
            yield from _item_paths(sub, (*path, "breakdown", j))
