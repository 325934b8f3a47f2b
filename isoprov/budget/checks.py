"""Budgets (dự toán kinh phí): models, checks with stable codes, totals (SPEC §5).

A budget has a unit (đơn vị tính: ``đồng``, ``nghìn đồng`` or ``triệu đồng``), items with a
quantity (số lượng), extra multipliers (``times: [10 huyện]``), a rate (định mức), a declared
amount (thành tiền) and an optional breakdown (chi tiết) of sub-items checked the same way.
A money value is a number in the budget's unit, or a string that carries its own unit
(``20.000 đồng``, ``500.000đồng/ngày``, ``8,1 triệu đồng``). All arithmetic is exact
(``Decimal``); amounts are compared in đồng.

An item with a rate computes rate × quantity × Π times; an item without one is a lump sum that
takes its ``amount``, or the sum of its ``breakdown``. The computed total is Σ items.

Findings (each a :class:`~isoprov.diagnostics.Diagnostic` with a code, a severity and the line
of the item or key concerned; figures are shown in the budget's unit):

BUD001 amount-mismatch (error)
    thành tiền ≠ định mức × số lượng × hệ số. ``quantity: 2, rate: 3, amount: 7`` →
    "thành tiền kê khai 7 triệu đồng khác thành tiền tính lại 6 triệu đồng (2 Cuộc × 3 triệu đồng)".
BUD002 breakdown-mismatch (error)
    Σ chi tiết ≠ thành tiền của khoản: its declared ``amount`` when there is one (a wrong rate ×
    quantity is BUD001's business), else its computed amount. Sub-items 5 + 5 + 24,4 + 36,6 + 10 =
    81 under an item declared 80 → "tổng các khoản chi tiết 81 triệu đồng khác thành tiền kê khai
    80 triệu đồng".
BUD003 total-mismatch (error), at the ``total`` key
    ``total: 125`` while the items add up to 126.
BUD004 words-mismatch (error), at the ``total_in_words`` key
    "Một trăm hai mươi lăm triệu đồng" for a total of 126 triệu; case, spacing, ``chẵn``,
    linh/lẻ, nghìn/ngàn, tỷ/tỉ and tư/bốn after ``mươi`` are accepted variants. Words that read
    back to the right figure in another spelling ("Hai mươi một đồng" for 21) are still an error,
    whose message says the figure is right and gives the standard words.
BUD005 over-allocation (error), at the ``allocated`` key
    ``allocated: 120`` with a total of 126 → "vượt kinh phí được giao 6 triệu đồng".
BUD006 under-allocation (note), at the ``allocated`` key
    ``allocated: 130`` with a total of 126 → "còn lại 4 triệu đồng".
BUD007 norm-exceeded (error)
    ``rate: 200.000 đồng, norm: ho-tro-an-hoi-nghi-tinh`` above the 150.000 đồng/người/ngày of
    Thông tư 40/2017/TT-BTC, Điều 12 khoản 4; the message cites the regulation.
BUD008 no-amount (error)
    an item with neither ``rate`` nor ``amount`` nor ``breakdown``: nothing to count.
BUD009 not-positive (error)
    ``quantity: 0``, ``rate: -3``, ``rate: -500.000 đồng``, ``times: [0, "-2 huyện"]``,
    ``amount: 0``, ``allocated: -1``: quantities, multipliers, rates and amounts must be positive.
BUD010 no-words (error), at the ``total`` key (or the ``items`` key)
    the total is not a whole number of đồng (``amount: 0.0000005`` triệu), or negative: it
    cannot be written in words.
BUD011 unknown-norm (warning)
    ``norm: nuoc-uong`` that no norms file defines: the rate is not checked against a cap.
BUD012 example-norm-exceeded (warning)
    a rate above a cap from a file marked ``example: true`` (not a regulation's figure).
BUD013 example-norm (note)
    a rate checked against an example cap only: replace it with the province's own rate.
BUD014 norm-without-rate (warning)
    ``norm:`` on a lump sum: there is no rate to compare with the cap.
BUD015 quantity-without-rate (warning)
    ``quantity`` or ``times`` other than 1 on a lump sum (no ``rate``): nothing multiplies them, so
    they do not count; ``quantity: 2`` over a breakdown of one meeting still counts the breakdown
    once. (``quantity: 1`` on a lump sum, "1 Cuộc", changes nothing and is not reported.)
BUD016 ambiguous-number (warning), at the item (or the budget-level key)
    a YAML number with exactly three decimals, ``rate: 500.000``: YAML reads 500, a Vietnamese
    reader 500.000. SPEC §5 takes a number as a number, so it counts as YAML reads it (500), and
    the warning says how to write either reading so that it is read one way only. (A *string*
    that reads two ways, ``"1.5 triệu"``, is an input error.)

Input errors (unknown keys, a money string that could be read two ways such as ``1.5 triệu``, a figure
with more than 30 digits before or after the decimal mark) are not
findings: :func:`~isoprov.validation.validate_document` reports them at their node.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator

from isoprov.budget.norms import Norm, NormSet, load_norms
from isoprov.core.diagnostics import Diagnostic, InputError, Severity
from isoprov.core.loading import PathKey, YamlDocument
from isoprov.core.validation import Model, decimal_places, validate_document
from isoprov.core.vietnamese import (
    MoneyParseError,
    amount_in_words,
    canonical_unit,
    format_number,
    from_unit,
    parse_money,
    same_amount_words,
    to_unit,
    words_to_amount,
)

BudgetUnit = Literal["đồng", "nghìn đồng", "triệu đồng"]
BUDGET_UNITS: tuple[str, ...] = ("đồng", "nghìn đồng", "triệu đồng")

#: Budget arithmetic only adds and multiplies, so with an unbounded precision every result is
#: exact; Inexact stays trapped as a guard. The size of each number is bounded when it is read
#: (:func:`bounded`), which keeps the results small.
_PRECISION = MAX_PREC

#: Largest and smallest figures a budget may write: at most 30 digits before the decimal mark and
#: 30 after it (a nghìn tỷ tỷ đồng has 28). Beyond that a figure is a typing accident.
MAX_WHOLE_DIGITS = 30
MAX_DECIMALS = 30


@dataclass(frozen=True, slots=True)
class Check:
    """A finding kind: stable code, short name and severity."""

    code: str
    name: str
    severity: Severity


AMOUNT_MISMATCH = Check("BUD001", "amount-mismatch", Severity.ERROR)
BREAKDOWN_MISMATCH = Check("BUD002", "breakdown-mismatch", Severity.ERROR)
TOTAL_MISMATCH = Check("BUD003", "total-mismatch", Severity.ERROR)
WORDS_MISMATCH = Check("BUD004", "words-mismatch", Severity.ERROR)
OVER_ALLOCATION = Check("BUD005", "over-allocation", Severity.ERROR)
UNDER_ALLOCATION = Check("BUD006", "under-allocation", Severity.NOTE)
NORM_EXCEEDED = Check("BUD007", "norm-exceeded", Severity.ERROR)
NO_AMOUNT = Check("BUD008", "no-amount", Severity.ERROR)
NOT_POSITIVE = Check("BUD009", "not-positive", Severity.ERROR)
NO_WORDS = Check("BUD010", "no-words", Severity.ERROR)
UNKNOWN_NORM = Check("BUD011", "unknown-norm", Severity.WARNING)
EXAMPLE_NORM_EXCEEDED = Check("BUD012", "example-norm-exceeded", Severity.WARNING)
EXAMPLE_NORM = Check("BUD013", "example-norm", Severity.NOTE)
NORM_WITHOUT_RATE = Check("BUD014", "norm-without-rate", Severity.WARNING)
QUANTITY_WITHOUT_RATE = Check("BUD015", "quantity-without-rate", Severity.WARNING)
AMBIGUOUS_NUMBER = Check("BUD016", "ambiguous-number", Severity.WARNING)

CHECKS: tuple[Check, ...] = (
    AMOUNT_MISMATCH,
    BREAKDOWN_MISMATCH,
    TOTAL_MISMATCH,
    WORDS_MISMATCH,
    OVER_ALLOCATION,
    UNDER_ALLOCATION,
    NORM_EXCEEDED,
    NO_AMOUNT,
    NOT_POSITIVE,
    NO_WORDS,
    UNKNOWN_NORM,
    EXAMPLE_NORM_EXCEEDED,
    EXAMPLE_NORM,
    NORM_WITHOUT_RATE,
    QUANTITY_WITHOUT_RATE,
)


# ---------------------------------------------------------------------------
# Reading numbers, counts and money values
# ---------------------------------------------------------------------------

_COUNT_RE = re.compile(r"^(?P<sign>[-−–]?)\s*(?P<number>\d[\d.,]*)\s*(?P<label>.*)$", re.DOTALL)
_MINUS_RE = re.compile(r"^\s*[-−–]\s*(?=\d)")


def ambiguous_yaml_number(value: Decimal) -> str | None:
    """Why a YAML number such as ``500.000`` is ambiguous, or None.

    YAML reads the dot as a decimal point; a Vietnamese reader takes ``500.000`` for five
    hundred thousand. Exactly three digits after the dot (and a non-zero whole part) fit both.
    """
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent != -3 or abs(value) < 1:
        return None
    yaml_reading = format_number(value)
    grouped = format_number(value.scaleb(3))
    plain = str(value.scaleb(3).to_integral_value())
    if value == value.to_integral_value():
        other = f"nếu là {yaml_reading} hãy viết `{value.to_integral_value()}`"
    else:
        other = (
            f"nếu là {yaml_reading} hãy viết theo cách Việt Nam trong ngoặc kép, ví dụ "
            f'`"{yaml_reading} triệu đồng"` (số tiền) hoặc `"{yaml_reading}"` (số lượng)'
        )
    return (
        f"`{value}` có thể hiểu là {yaml_reading} (dấu `.` là dấu thập phân) hoặc {grouped} "
        f"(dấu `.` phân cách hàng nghìn) và đang được tính là {yaml_reading}; nếu là {grouped} "
        f"hãy viết `{plain}`, {other}"
    )


def _abbreviated(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}…{text[-12:]}"


def bounded(value: Decimal, what: str, written: str) -> Decimal:
    """``value`` itself, or ValueError when it has more than :data:`MAX_WHOLE_DIGITS` digits
    before the decimal mark or :data:`MAX_DECIMALS` after it (``written``: as the file has it)."""
    if value.is_zero():
        return value
    shown = _abbreviated(" ".join(written.split()))
    if value.adjusted() >= MAX_WHOLE_DIGITS:
        raise ValueError(f"{what} `{shown}` quá lớn: phần nguyên tối đa {MAX_WHOLE_DIGITS} chữ số")
    if decimal_places(value) > MAX_DECIMALS:
        raise ValueError(f"{what} `{shown}` có quá nhiều chữ số thập phân (tối đa {MAX_DECIMALS})")
    return value


def _valid_grouping(digits: str) -> bool:
    groups = digits.split(".")
    return 1 <= len(groups[0]) <= 3 and not groups[0].startswith("0") and all(len(g) == 3 for g in groups[1:])


def parse_count(text: str) -> tuple[Decimal, str]:
    """A count written the Vietnamese way, with an optional label: "10 huyện" → (10, "huyện").

    ``.`` groups thousands and ``,`` is the decimal mark (``1.000 người``, ``1,5 ngày``,
    ``1,125 ngày``); a number that could be read two ways (``1.5``, ``1,500``: nobody pads
    decimals with zeros) raises ValueError naming both readings, neither identical to the input.
    A minus sign is read (``-2 huyện`` → -2), so that the checks report the value as not positive.
    """
    cleaned = " ".join(text.split())
    match = _COUNT_RE.match(cleaned)
    if not match:
        raise ValueError(f"`{cleaned}` phải bắt đầu bằng một số, ví dụ `10 huyện`, `2 ngày`, `1,5 ngày`")
    value, label = _count_number(cleaned, match["number"], match["label"].strip())
    return (-value if match["sign"] else value), label


def _count_number(cleaned: str, number: str, label: str) -> tuple[Decimal, str]:
    if re.search(r"\d", label):
        raise ValueError(f"`{cleaned}`: chỉ được có một số ở đầu, sau đó là tên đơn vị (ví dụ `10 huyện`)")
    dots, commas = number.count("."), number.count(",")
    malformed = ValueError(
        f"`{cleaned}`: số `{number}` viết không đúng; dấu `.` phân cách hàng nghìn (sau nó đúng 3 chữ "
        "số), dấu `,` là dấu thập phân, ví dụ `1.000 người`, `1,5 ngày`"
    )
    if number.endswith((".", ",")):
        raise malformed
    if not number.strip("0.,"):  # 0.000: every reading is zero, nothing is ambiguous
        return Decimal(0), label
    if commas == 0 and dots == 0:
        return Decimal(number), label
    if commas == 0:
        if _valid_grouping(number):
            return Decimal(number.replace(".", "")), label
        if dots == 1 and len(number.partition(".")[0]) > 3:  # 1000.5: an English decimal point
            vietnamese = format_number(Decimal(number))
            raise ValueError(
                f"`{cleaned}` dùng dấu `.` làm dấu thập phân (kiểu tiếng Anh); theo cách viết Việt Nam "
                f"dấu `,` là dấu thập phân, hãy viết `{vietnamese}`"
            )
        if dots == 1:
            first, second = format_number(Decimal(number)), format_number(Decimal(number.replace(".", "")))
            raise ValueError(
                f"`{cleaned}` có thể hiểu là {first} hoặc {second}; hãy viết rõ `{first}` "
                f"(dấu `,` là dấu thập phân) hoặc `{second}`"
            )
        raise malformed
    whole, _, frac = number.rpartition(",")
    if commas == 1 and (not whole.count(".") or _valid_grouping(whole)) and frac.isdigit():
        if dots == 0 and len(frac) == 3 and frac.endswith("0") and _valid_grouping(whole):
            decimal = format_number(Decimal(whole + "." + frac))  # 1,500 → 1,5
            grouped = format_number(Decimal(whole + frac))
            raise ValueError(
                f"`{cleaned}` có thể hiểu là {decimal} hoặc {grouped}; hãy viết rõ "
                f"`{decimal}` (dấu `,` là dấu thập phân) hoặc `{grouped}` (dấu `.` phân cách hàng nghìn)"
            )
        return Decimal(whole.replace(".", "") + "." + frac), label
    raise malformed


def _number(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{what} phải là một số")
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError(f"{what} phải là một số hữu hạn")
    bounded(d, what, str(value))
    return d  # a YAML number that reads two ways (``500.000``) is a warning: BUD016


class Money(Model):
    """A money value as written: a number in the budget's unit, or a string with its own unit."""

    number: Decimal = Field(description="Con số, theo `unit` (hoặc theo đơn vị của dự toán)")
    unit: str | None = Field(None, description="Đơn vị ghi kèm; None: đơn vị của dự toán")
    vnd: Decimal | None = Field(None, description="Số đồng, khi có đơn vị ghi kèm")
    text: str = Field("", description="Cách viết gốc")

    def to_vnd(self, budget_unit: str) -> Decimal:
        """The value in đồng, exactly."""
        if self.vnd is not None:
            return self.vnd
        return from_unit(self.number, budget_unit)

    @property
    def explicit(self) -> bool:
        return self.unit is not None


def money_value(value: Any) -> Any:
    """Turn YAML input into :class:`Money`: a number, or a string that carries its unit."""
    if value is None or isinstance(value, Money):
        return value
    if isinstance(value, str):
        # A minus sign is read, so that the checks report the value with the other problems
        # (BUD009) instead of one input error hiding them all.
        minus = _MINUS_RE.match(value)
        try:
            vnd, unit = parse_money(value[minus.end() :] if minus else value)
        except MoneyParseError as exc:
            raise ValueError(str(exc)) from None
        if minus:
            vnd = -vnd
        number = bounded(to_unit(vnd, unit), "số tiền", value)
        return Money(number=number, unit=unit, vnd=vnd, text=" ".join(value.split()))
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(
            "số tiền phải là một số (theo đơn vị tính của dự toán) hoặc một chuỗi có đơn vị, "
            "ví dụ `500.000 đồng`, `8,1 triệu đồng`"
        )
    number = _number(value, "số tiền")
    return Money(number=number, text=str(value))


class Multiplier(Model):
    """An extra multiplier (hệ số nhân): ``10`` or ``"10 huyện"``."""

    value: Decimal = Field(description="Giá trị")
    label: str = Field("", description="Tên đơn vị, ví dụ `huyện`")

    def shown(self) -> str:
        number = format_number(self.value)
        return f"{number} {self.label}" if self.label else number


def multiplier_value(value: Any) -> Any:
    if isinstance(value, Multiplier):
        return value
    if isinstance(value, str):
        number, label = parse_count(value)
        return Multiplier(value=bounded(number, "hệ số nhân", value), label=label)
    return Multiplier(value=_number(value, "hệ số nhân"))


def count_value(value: Any) -> Any:
    """A quantity: a number, or a Vietnamese-written number in quotes (``"1.000"``)."""
    if value is None:
        return None
    if isinstance(value, str):
        number, label = parse_count(value)
        if label:
            raise ValueError(f"số lượng `{value}` chỉ ghi số; tên đơn vị (`{label}`) ghi ở khóa `unit`")
        return bounded(number, "số lượng", value)
    return _number(value, "số lượng")


def _times_list(value: Any) -> Any:
    return [value] if isinstance(value, str | int | Decimal) and not isinstance(value, bool) else value


def _budget_unit(value: Any) -> Any:
    allowed = "dự toán dùng một trong: " + ", ".join(f"`{u}`" for u in BUDGET_UNITS)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"đơn vị tính đang để trống; {allowed} (bỏ hẳn khóa `unit` thì là `đồng`)")
    if not isinstance(value, str):
        raise ValueError(f"đơn vị tính `{value}` không hợp lệ; {allowed}")
    try:
        unit = canonical_unit(value)
    except ValueError:
        unit = value
    if unit not in BUDGET_UNITS:
        raise ValueError(f"đơn vị tính `{value}` không hợp lệ; {allowed}")
    return unit


_MONEY_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string"}],
    "description": "Số tiền: một số theo đơn vị của dự toán, hoặc chuỗi có đơn vị (`500.000 đồng`)",
}
MoneyField = Annotated[Money | None, BeforeValidator(money_value), WithJsonSchema(_MONEY_SCHEMA)]
CountField = Annotated[
    Decimal | None,
    BeforeValidator(count_value),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}]}),
]
MultiplierField = Annotated[
    Multiplier,
    BeforeValidator(multiplier_value),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "Hệ số nhân: số, hoặc `số tên` như `10 huyện`",
        }
    ),
]


class BudgetItem(Model):
    """A budget line (khoản chi), possibly with a breakdown (chi tiết) of sub-items."""

    name: str = Field(min_length=1, description="Nội dung chi")
    unit: str = Field("", description="Đơn vị tính của số lượng, ví dụ Cuộc, người")
    quantity: CountField = Field(None, description="Số lượng")
    times: Annotated[tuple[MultiplierField, ...], BeforeValidator(_times_list)] = Field(
        (), description="Hệ số nhân thêm: số hoặc `số tên`, ví dụ [10 huyện]"
    )
    rate: MoneyField = Field(None, description="Định mức (đơn giá)")
    amount: MoneyField = Field(None, description="Thành tiền kê khai")
    norm: str | None = Field(None, min_length=1, description="Mã định mức tối đa để đối chiếu")
    note: str = Field("", description="Ghi chú")
    breakdown: tuple[BudgetItem, ...] = Field((), description="Các khoản chi tiết")

    def formula(self, budget_unit: str) -> str:
        """The computation as a reader writes it: "122 người × 20.000 đồng × 10 huyện"."""
        if self.rate is None:
            return ""
        parts = []
        if self.quantity is not None:
            parts.append(f"{format_number(self.quantity)} {self.unit}".strip())
        # a rate written with its unit is shown as written ("20.000đồng/ngày/đại biểu")
        parts.append(self.rate.text if self.rate.explicit else show_money(self.rate, budget_unit, with_unit=True))
        parts.extend(m.shown() for m in self.times)
        return " × ".join(parts)


class Budget(Model):
    """A budget estimate (dự toán kinh phí), SPEC §5."""

    title: str = Field(min_length=1, description="Tên dự toán")
    unit: Annotated[BudgetUnit, BeforeValidator(_budget_unit)] = Field(
        "đồng", description="Đơn vị tính: đồng, nghìn đồng hoặc triệu đồng"
    )
    allocated: MoneyField = Field(None, description="Kinh phí được giao")
    total: MoneyField = Field(None, description="Tổng cộng kê khai")
    total_in_words: str | None = Field(None, min_length=1, description="Tổng cộng bằng chữ")
    # Not Field(min_length=1): pydantic then also reports "too short" whenever an item is invalid.
    items: tuple[BudgetItem, ...] = Field(description="Các khoản chi (ít nhất một)")

    @field_validator("items")
    @classmethod
    def _some_items(cls, value: tuple[BudgetItem, ...]) -> tuple[BudgetItem, ...]:
        if not value:
            raise ValueError("dự toán cần ít nhất một khoản chi trong `items`")
        return value


def show_money(money: Money, budget_unit: str, *, with_unit: bool = False) -> str:
    """A money value for display in the budget's unit, Vietnamese formatting, whatever unit it
    was written in: ``500.000 đồng/người`` in a triệu đồng budget → "0,5" (SPEC §5: the whole
    table in the budget's unit). :meth:`BudgetItem.formula` keeps the text as written."""
    number = format_number(to_unit(money.to_vnd(budget_unit), budget_unit))
    return f"{number} {budget_unit}" if with_unit else number


def _money_as_written(money: Money) -> str:
    """A money value as the file writes it, in Vietnamese formatting: "-500.000 đồng", "-3"."""
    if money.unit is None:
        return format_number(money.number)
    return f"{format_number(money.number)} {money.unit}"


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


class _Checker:
    def __init__(self, budget: Budget, doc: YamlDocument, norms: NormSet) -> None:
        self.budget = budget
        self.doc = doc
        self.norms = norms
        self.unit = budget.unit
        self.findings: list[Diagnostic] = []
        self._example_noted: set[str] = set()

    def show(self, vnd: Decimal) -> str:
        return f"{format_number(to_unit(vnd, self.unit))} {self.unit}"

    def find(self, check: Check, path: PathKey, message: str, *, key: bool = False) -> None:
        self.findings.append(self.doc.diagnostic(path, message, key=key, severity=check.severity, code=check.code))

    def line(self, path: PathKey, *, key: bool = False) -> int | None:
        mark = self.doc.source.locate(path, key=key)
        return mark.line if mark else None

    def item(self, item: BudgetItem, path: PathKey, number: str, depth: int) -> ItemResult:
        self.positive(item, path)
        self.ambiguous(path, path, ("quantity", "rate", "amount", "times"))
        children = tuple(self.item(sub, (*path, "breakdown", j), "", depth + 1) for j, sub in enumerate(item.breakdown))
        declared = item.amount.to_vnd(self.unit) if item.amount is not None else None
        computed = None
        if item.rate is not None:
            computed = item.rate.to_vnd(self.unit) * (item.quantity if item.quantity is not None else 1)
            for m in item.times:
                computed *= m.value
        breakdown = sum((c.value_vnd for c in children), Decimal(0)) if children else None
        mismatch = False
        if computed is not None and declared is not None and computed != declared:
            mismatch = True
            self.find(
                AMOUNT_MISMATCH,
                path,
                f"`{item.name}`: thành tiền kê khai {self.show(declared)} khác thành tiền tính lại "
                f"{self.show(computed)} ({item.formula(self.unit)}); chênh lệch "
                f"{self.show(abs(declared - computed))}",
            )
        # The item's amount is the declared one when there is one: a wrong rate × quantity is
        # BUD001's business, not a second finding here.
        own = declared if declared is not None else computed
        if breakdown is not None and own is not None and breakdown != own:
            mismatch = True
            what = "thành tiền kê khai" if declared is not None else "thành tiền tính lại"
            self.find(
                BREAKDOWN_MISMATCH,
                path,
                f"`{item.name}`: tổng các khoản chi tiết {self.show(breakdown)} khác {what} "
                f"{self.show(own)}; chênh lệch {self.show(abs(breakdown - own))}",
            )
        if computed is None and declared is None and breakdown is None:
            self.find(
                NO_AMOUNT,
                path,
                f"`{item.name}` không có định mức (`rate`), thành tiền (`amount`) hay chi tiết "
                "(`breakdown`): không tính được thành tiền",
            )
        counted = declared is not None or breakdown is not None
        factors = [item.quantity, *(m.value for m in item.times)]
        if item.rate is None and counted and any(f is not None and f != 1 for f in factors):
            self.unused_multipliers(item, path, declared, breakdown)
        self.norm(item, path)
        value = computed if computed is not None else declared if declared is not None else breakdown
        return ItemResult(
            item=item,
            path=path,
            number=number,
            depth=depth,
            line=self.line(path),
            declared_vnd=declared,
            computed_vnd=computed,
            breakdown_vnd=breakdown,
            value_vnd=value if value is not None else Decimal(0),
            children=children,
            mismatch=mismatch,
        )

    def unused_multipliers(
        self, item: BudgetItem, path: PathKey, declared: Decimal | None, breakdown: Decimal | None
    ) -> None:
        keys = []
        if item.quantity is not None and item.quantity != 1:
            keys.append(f"số lượng (`quantity: {format_number(item.quantity)}`)")
        if any(m.value != 1 for m in item.times):
            keys.append(f"hệ số nhân (`times: {', '.join(m.shown() for m in item.times)}`)")
        if declared is not None:
            counted = f"khoản được tính theo thành tiền kê khai {self.show(declared)}"
        else:
            assert breakdown is not None
            counted = f"khoản được tính bằng tổng chi tiết {self.show(breakdown)}, không nhân thêm"
        self.find(
            QUANTITY_WITHOUT_RATE,
            path,
            f"`{item.name}`: {' và '.join(keys)} không được dùng vì khoản không có định mức (`rate`); "
            f"{counted}. Nếu cần nhân, hãy ghi `rate` (hoặc nhân sẵn vào các khoản chi tiết)",
        )

    def positive(self, item: BudgetItem, path: PathKey) -> None:
        checks: list[tuple[str, Decimal | None, str]] = []
        if item.quantity is not None:
            checks.append(("số lượng (`quantity`)", item.quantity, format_number(item.quantity)))
        for what, money in (("định mức (`rate`)", item.rate), ("thành tiền (`amount`)", item.amount)):
            if money is not None:
                checks.append((what, money.number, _money_as_written(money)))
        checks += [(f"hệ số nhân (`times[{k}]`)", m.value, m.shown()) for k, m in enumerate(item.times)]
        for what, value, shown in checks:
            if value is not None and value <= 0:
                self.find(NOT_POSITIVE, path, f"`{item.name}`: {what} phải lớn hơn 0, không phải {shown}")

    def norm(self, item: BudgetItem, path: PathKey) -> None:
        if item.norm is None:
            return
        found = self.norms.get(item.norm)
        if found is None:
            hint = self.norms.suggest(item.norm)
            self.find(
                UNKNOWN_NORM,
                path,
                f"`{item.name}`: không tìm thấy định mức `{item.norm}`"
                + (f" (có phải `{hint}`?)" if hint else "")
                + "; khoản này chưa được đối chiếu định mức tối đa (thêm tệp định mức bằng `--norms`)",
            )
            return
        if item.rate is None:
            self.find(
                NORM_WITHOUT_RATE,
                path,
                f"`{item.name}` ghi định mức `{item.norm}` nhưng không có `rate`: không đối chiếu được",
            )
            return
        self.compare_with_cap(item, path, found)

    def compare_with_cap(self, item: BudgetItem, path: PathKey, norm: Norm) -> None:
        assert item.rate is not None
        rate = item.rate.to_vnd(self.unit)
        cap = norm.cap
        rate_text = f"{format_number(rate)} đồng"
        if not norm.example:
            if rate > cap.max_vnd:
                self.find(
                    NORM_EXCEEDED,
                    path,
                    f"`{item.name}`: định mức {rate_text} vượt mức tối đa {cap.shown()} "
                    f"({cap.name}; {norm.source}); vượt {format_number(rate - cap.max_vnd)} đồng",
                )
            return
        replace = (
            "đây là mức ví dụ, không trích từ văn bản quy phạm; hãy thay bằng mức của tỉnh "
            "(nghị quyết HĐND): một tệp định mức cùng mã trong thư mục `norms/` cạnh dự toán, hoặc qua `--norms`"
        )
        if rate > cap.max_vnd:
            self.find(
                EXAMPLE_NORM_EXCEEDED,
                path,
                f"`{item.name}`: định mức {rate_text} vượt mức ví dụ {cap.shown()} của `{cap.id}` "
                f"({norm.file}); {replace}",
            )
        elif cap.id not in self._example_noted:
            self._example_noted.add(cap.id)
            self.find(
                EXAMPLE_NORM,
                path,
                f"`{item.name}`: định mức {rate_text} chỉ được đối chiếu với mức ví dụ {cap.shown()} "
                f"của `{cap.id}` ({norm.file}); {replace}",
            )

    def ambiguous(self, where: PathKey, mapping: PathKey, keys: Sequence[str], *, key: bool = False) -> None:
        """BUD016 for each YAML number under ``mapping``'s ``keys`` that reads two ways."""
        raw = self.doc.value_at(mapping)
        if not isinstance(raw, dict):
            return
        for name in keys:
            values = raw.get(name)
            for value in values if isinstance(values, list) else [values]:
                # a string is read the Vietnamese way; only numbers YAML itself parsed can mislead
                if isinstance(value, Decimal) and (problem := ambiguous_yaml_number(value)) is not None:
                    self.find(AMBIGUOUS_NUMBER, where, f"`{name}`: {problem}", key=key)

    def budget_level(self, items: Sequence[ItemResult], total: Decimal) -> str | None:
        b = self.budget
        for name in ("allocated", "total"):
            self.ambiguous((name,), (), (name,), key=True)
        for key, name, money in (
            ("allocated", "kinh phí được giao (`allocated`)", b.allocated),
            ("total", "tổng cộng (`total`)", b.total),
        ):
            if money is not None and money.number <= 0:
                self.find(
                    NOT_POSITIVE, (key,), f"{name} phải lớn hơn 0, không phải {_money_as_written(money)}", key=True
                )
        if b.total is not None:
            declared = b.total.to_vnd(self.unit)
            if declared != total:
                listed = sum((i.declared_vnd if i.declared_vnd is not None else i.value_vnd for i in items), Decimal(0))
                hint = ""
                if listed == declared:
                    hint = " (tổng kê khai bằng tổng thành tiền kê khai; chênh lệch do các khoản tính sai ở trên)"
                self.find(
                    TOTAL_MISMATCH,
                    ("total",),
                    f"tổng cộng kê khai {self.show(declared)} khác tổng tính lại {self.show(total)}; "
                    f"chênh lệch {self.show(abs(declared - total))}{hint}",
                    key=True,
                )
        if b.allocated is not None and b.allocated.number > 0:  # else BUD009 above
            allocated = b.allocated.to_vnd(self.unit)
            if total > allocated:
                self.find(
                    OVER_ALLOCATION,
                    ("allocated",),
                    f"tổng dự toán {self.show(total)} vượt kinh phí được giao {self.show(allocated)}; "
                    f"vượt {self.show(total - allocated)}",
                    key=True,
                )
            elif total < allocated:
                self.find(
                    UNDER_ALLOCATION,
                    ("allocated",),
                    f"tổng dự toán {self.show(total)} thấp hơn kinh phí được giao {self.show(allocated)}; "
                    f"còn lại {self.show(allocated - total)}",
                    key=True,
                )
        return self.words(total)

    def words(self, total: Decimal) -> str | None:
        b = self.budget
        where: PathKey = ("total",) if b.total is not None else ("items",)
        try:
            words = amount_in_words(total)
        except ValueError as exc:
            if total < 0:
                why = "là số âm"
            elif total != total.to_integral_value():
                why = f"= {format_number(total)} đồng, không phải số nguyên đồng (hãy làm tròn các khoản tới đồng)"
            else:
                why = f"({exc})"
            self.find(NO_WORDS, where, f"tổng dự toán {self.show(total)} {why}: không viết được bằng chữ", key=True)
            return None
        if b.total_in_words is not None and not same_amount_words(b.total_in_words, words):
            try:
                read: int | None = words_to_amount(b.total_in_words)
            except ValueError:
                read = None
            if read is not None and read == total:
                message = (
                    f"số tiền bằng chữ „{b.total_in_words}” đọc ra đúng {format_number(total)} đồng nhưng "
                    f"viết không theo cách viết chuẩn; phải viết „{words}”"
                )
            else:
                shown = (
                    f"chữ đã ghi đọc ra {format_number(read)} đồng"
                    if read is not None
                    else "chữ đã ghi không đọc được thành số"
                )
                message = (
                    f"số tiền bằng chữ „{b.total_in_words}” ({shown}) không khớp tổng tính lại "
                    f"{format_number(total)} đồng; phải là „{words}”"
                )
            self.find(WORDS_MISMATCH, ("total_in_words",), message, key=True)
        return words


def exact_arithmetic() -> AbstractContextManager[Context]:
    """A decimal context in which sums and products of budget figures are exact (Inexact and
    Overflow trapped as guards): for the checks and for anything that adds figures up."""
    traps = [Inexact, Overflow, InvalidOperation, DivisionByZero]
    return localcontext(Context(prec=_PRECISION, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=traps))


def check_budget(budget: Budget, doc: YamlDocument, norms: NormSet) -> BudgetReport:
    """Compute every item and the total, and run the checks of SPEC §5 (codes in the module doc).

    Pure: touches no files. ``doc`` is the document ``budget`` was validated from (for lines).
    """
    checker = _Checker(budget, doc, norms)
    with exact_arithmetic():
        items = tuple(checker.item(item, ("items", i), str(i + 1), 0) for i, item in enumerate(budget.items))
        total = sum((i.value_vnd for i in items), Decimal(0))
        words = checker.budget_level(items, total)
    findings = sorted(checker.findings, key=lambda d: (d.line or 0, d.code))
    return BudgetReport(
        budget=budget,
        file=doc.file,
        items=items,
        total_vnd=total,
        total_in_words=words,
        findings=tuple(findings),
    )


def validate_budget_document(doc: YamlDocument, norms: NormSet | None = None) -> list[Diagnostic]:
    """Everything wrong with a loaded budget file: input errors, or else the checks' findings.

    For ``isoprov validate``. Without ``norms``, the caps are looked up as ``budget check`` does
    with no ``--norms`` (the budget folder's ``norms/``, ``./norms``, then the shipped ones);
    problems in those norms files are not reported here but when the norms files themselves are
    validated.
    """
    try:
        budget = validate_document(Budget, doc)
    except InputError as exc:
        return exc.diagnostics
    if norms is None:
        norms, _ = load_norms(beside=Path(doc.file).parent)
    return list(check_budget(budget, doc, norms).findings)
