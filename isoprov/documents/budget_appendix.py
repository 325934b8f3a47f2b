"""The budget appendix (phụ lục dự toán) a plan attaches: its table, total and total in words, as
the budget check computes them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from isoprov.core.diagnostics import Diagnostic, Severity
from isoprov.core.loading import PathKey, WrittenNumber, YamlDocument
from isoprov.core.numbers import format_figure
from isoprov.documents.model import Block, Document, resolve


def _as_written(doc: YamlDocument, path: PathKey, value: Decimal | Fraction | None) -> str:
    """A number as the data file writes it when it has leading zeros (``02``), else formatted
    the Vietnamese way; "" for None."""
    if value is None:
        return ""
    written = doc.value_at(path)
    return str(written) if isinstance(written, WrittenNumber) else format_figure(value)


def budget_appendix(
    document: Document, source: YamlDocument, base_dir: Path
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The budget appendix (phụ lục dự toán): the table, total and words computed by
    :func:`isoprov.pipeline.budget.check_file`. A budget with an error gives no appendix: a document
    must never carry a figure the check disputes."""
    from isoprov.budget.model import show_money
    from isoprov.budget.norms import NormLookup
    from isoprov.budget.results import rules_summary
    from isoprov.pipeline.budget import check_file

    ref = document.budget
    assert ref is not None
    path = resolve(base_dir, ref.file)
    if not path.is_file():
        return None, [source.diagnostic(("budget",), f"không tìm thấy tệp dự toán `{path}`")]
    lookup = NormLookup()
    checked = check_file(path, lookup.for_budget(path))
    report, budget_doc = checked.report, checked.doc
    if report is None or budget_doc is None:
        return None, checked.problems
    budget = report.budget
    # notes (e.g. "checked against an example cap only") belong to `isoprov budget check`
    diagnostics = [d for d in (*lookup.problems, *report.findings) if d.severity is not Severity.NOTE]
    if not report.ok or report.total_in_words is None:
        return None, diagnostics
    rows = []
    for r in report.rows():
        item = r.item
        rows.append(
            {
                "number": r.number,
                "depth": r.depth,
                "name": item.name,
                "unit": item.unit,
                "quantity": item.quantity,
                # `quantity: 02` as the seed writes it (Vietnamese offices pad counts below 10)
                "quantity_as_written": _as_written(budget_doc, (*r.path, "quantity"), item.quantity),
                "rate": show_money(item.rate, budget.unit)
                if item.rate is not None
                else (f"{format_figure(item.percent)} %" if item.percent is not None else None),
                # SPEC §5b: how a percentage line is computed; the exact amount before rounding
                "basis": r.basis,
                "unrounded": budget.rounding.before(r.unrounded_vnd, budget.unit)
                if r.unrounded_vnd is not None and budget.rounding is not None
                else "",
                "times": [m.shown() for m in item.times],
                "formula": item.formula(budget.unit),
                "amount": report.in_unit(r.value_vnd),
                "note": item.note,
            }
        )
    diagnostics += _stated_totals(document, source, report.total_vnd, budget.unit)
    appendix = {
        "label": ref.label,
        "title": ref.title or budget.title.upper(),
        "by": ref.by,
        "unit": budget.unit,
        "rows": rows,
        "total": report.total,
        "total_vnd": report.total_vnd,
        "words": report.total_in_words,
        "rounding": budget.rounding.shown(budget.unit) if budget.rounding is not None else "",
        # the caps checked, derived ones with their derivation and both sources (SPEC §5b)
        "caps": [line.strip().replace("`", "") for line in rules_summary(report) if line.startswith("  ")],
    }
    return appendix, diagnostics


#: An amount of money in running text: ``60.000.000 đồng``, ``63 triệu đồng``, ``1,5 tỷ đồng``.
_AMOUNT = re.compile(
    r"(?<![\d.,])(\d[\d.,]*\d|\d)\s+((?:nghìn|ngàn|triệu|tỷ|tỉ)\s+)?đồng(?!\s*/)", re.IGNORECASE
)  # a rate per unit (150.000 đồng/người/ngày) is not an amount of the funds
#: The code of the warning on funds the text states that are not the attached budget's total.
STATED_TOTAL = "stated-total"
#: A paragraph that speaks of the budget (kinh phí, dự toán): its amounts are the budget's total.
_ABOUT_FUNDS = re.compile(r"kinh phí|dự toán", re.IGNORECASE)


def stated_totals(document: Document, source: YamlDocument, base_dir: Path) -> list[Diagnostic]:
    """For ``validate``: the warning of :func:`_stated_totals` on a document's own text, against
    the total of the budget it attaches (nothing when the budget cannot be checked: that budget's
    own problems are reported on it)."""
    from isoprov.budget.norms import NormLookup
    from isoprov.pipeline.budget import check_file

    if document.budget is None:
        return []
    path = resolve(base_dir, document.budget.file)
    if not path.is_file():
        return []
    checked = check_file(path, NormLookup().for_budget(path))
    if checked.report is None or not checked.report.ok:
        return []
    return _stated_totals(document, source, checked.report.total_vnd, checked.report.budget.unit)


def _stated_totals(document: Document, source: YamlDocument, total_vnd: Decimal, unit: str) -> list[Diagnostic]:
    """A warning where the document's own text gives the funds as an amount that is not the
    total of the budget it attaches ("… là 60.000.000 đồng (có dự toán chi tiết kèm theo)" over an
    appendix of 63.000.000 đồng): the text was written by hand, the appendix is computed."""
    from isoprov.core.vietnamese import MoneyParseError, format_number, parse_money, to_unit

    for path, text in _paragraphs(document):
        if not _ABOUT_FUNDS.search(text):
            continue
        stated = []
        for match in _AMOUNT.finditer(text):
            try:
                stated.append((match[0], parse_money(f"{match[1]} {match[2] or ''}đồng")[0]))
            except MoneyParseError:
                continue  # a figure that reads two ways is not compared
        if stated and all(amount != total_vnd for _, amount in stated):
            shown = ", ".join(f"`{written}`" for written, _ in stated)
            total = f"{format_number(total_vnd)} đồng"
            if unit != "đồng":
                total = f"{format_number(to_unit(total_vnd, unit))} {unit} = {total}"
            message = (
                f"nội dung nêu kinh phí {shown}, khác tổng dự toán kèm theo ({total}): "
                "hãy sửa con số trong nội dung cho khớp với dự toán"
            )
            return [source.diagnostic(path, message, severity=Severity.WARNING, code=STATED_TOTAL)]
    return []


def _paragraphs(document: Document) -> Iterator[tuple[PathKey, str]]:
    """Every paragraph and bullet of the body, the articles and the closing, with its path."""
    for key in ("body", "closing"):
        yield from _block_texts(getattr(document, key, ()), (key,))
    for k, article in enumerate(getattr(document, "articles", ())):
        if article.text is not None:
            yield ("articles", k, "text"), article.text
        yield from _block_texts(article.blocks, ("articles", k, "blocks"))


def _block_texts(blocks: tuple[Block, ...], path: PathKey) -> Iterator[tuple[PathKey, str]]:
    for i, block in enumerate(blocks):
        here = (*path, i)
        if block.text is not None:
            yield here, block.text
        for j, line in enumerate(block.bullets or ()):
            yield (*here, "bullets", j), str(line)
        yield from _block_texts(block.blocks, (*here, "blocks"))
