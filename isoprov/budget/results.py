"""A checked budget (kết quả kiểm tra dự toán): every item's figures in đồng, the total, the
words and the findings, as :func:`isoprov.budget.checks.check_budget` computes them and the
report, the JSON, the Excel export and the plan's appendix show them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from isoprov.budget.model import Budget, BudgetItem
from isoprov.core.diagnostics import Diagnostic
from isoprov.core.loading import PathKey
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
