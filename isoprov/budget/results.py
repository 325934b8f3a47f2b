"""A checked budget (kết quả kiểm tra dự toán): every item's figures in đồng, the total, the
words and the findings, as :func:`isoprov.budget.checks.check_budget` computes them and the
report, the JSON, the Excel export and the plan's appendix show them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from isoprov.budget.model import Budget, BudgetItem
from isoprov.budget.norms import ResolvedCap
from isoprov.core.diagnostics import Diagnostic
from isoprov.core.loading import PathKey
from isoprov.core.numbers import format_number
from isoprov.core.vietnamese import to_unit


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item with its figures in đồng and its sub-items, in table order."""

    item: BudgetItem
    path: PathKey
    number: str
    depth: int
    line: int | None
    declared_vnd: Decimal | None
    computed_vnd: Decimal | None
    breakdown_vnd: Decimal | None
    value_vnd: Decimal
    children: tuple[ItemResult, ...]
    mismatch: bool
    #: The exact computed amount before ``rounding`` (None when not rounded or unchanged).
    unrounded_vnd: Fraction | None = None
    #: A percentage line: how it is computed ("5 % × (mục 1 + mục 2)") and Σ of those items.
    basis: str = ""
    base_vnd: Decimal | None = None
    of_paths: tuple[PathKey, ...] = ()
    #: The cap the rate was checked against (derived caps with their derivation).
    cap: ResolvedCap | None = None

    @property
    def is_lump_sum(self) -> bool:
        return self.item.rate is None

    def walk(self) -> Iterator[ItemResult]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class BudgetReport:
    """A checked budget: computed figures (in đồng and in the budget's unit) and findings."""

    budget: Budget
    file: str
    items: tuple[ItemResult, ...]
    total_vnd: Decimal
    total_in_words: str | None
    findings: tuple[Diagnostic, ...]

    @property
    def unit(self) -> str:
        return self.budget.unit

    @property
    def total(self) -> Decimal:
        """The computed total in the budget's unit."""
        return self.in_unit(self.total_vnd)

    def in_unit(self, vnd: Decimal) -> Decimal:
        return to_unit(vnd, self.budget.unit)

    def rows(self) -> Iterator[ItemResult]:
        """Every item and sub-item, depth-first, as the table lists them."""
        for item in self.items:
            yield from item.walk()

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def caps(self) -> list[ResolvedCap]:
        """The caps the items were checked against, each once, in table order."""
        seen: dict[str, ResolvedCap] = {}
        for r in self.rows():
            if r.cap is not None:
                seen.setdefault(r.cap.norm.cap.id, r.cap)
        return list(seen.values())

    @property
    def uses_rules(self) -> bool:
        """Whether the budget uses a rule of SPEC §5b (a percentage line, a fraction, rounding, a
        cap defined by a percentage, a range, a kind or a share): the outputs then show them."""
        if self.budget.rounding is not None:
            return True
        for r in self.rows():
            item = r.item
            if item.percent is not None or isinstance(item.quantity, Fraction):
                return True
            if any(isinstance(m.value, Fraction) for m in item.times):
                return True
            if r.cap is not None and (r.cap.chain or r.cap.norm.cap.min or r.cap.norm.cap.share):
                return True
        return False


def rules_summary(report: BudgetReport) -> list[str]:
    """What a reader needs under the table (the report, the Excel sheet, the plan's appendix):
    the rounding and the caps the rates were checked against, derived caps with their derivation
    and both sources (SPEC §5b). Nothing for a budget that uses none of these rules."""
    lines = []
    rounding = report.budget.rounding
    if rounding is not None:
        lines.append(f"Thành tiền tính lại được {rounding.shown(report.unit)}.")
    caps = [c for c in report.caps() if c.chain or c.norm.cap.min or c.norm.cap.share or c.norm.cap.for_]
    if caps:
        lines.append("Định mức tối đa đã đối chiếu:")
        for cap in caps:
            extra = []
            if cap.min_vnd is not None:
                extra.append(f"tối thiểu {format_number(cap.min_vnd)} đồng")
            share = cap.norm.cap.share
            if share is not None:
                extra.append(f"tổng không quá {format_number(share.percent)} % mức `{share.of}`")
            more = f"; {'; '.join(extra)}" if extra else ""
            lines.append(f"  `{cap.norm.cap.id}`: {cap.full()}{more}")
    return lines
