"""The budget model (dự toán kinh phí), SPEC §5: what a budget file says, read exactly.

A budget has a unit (đơn vị tính: ``đồng``, ``nghìn đồng`` or ``triệu đồng``), items with a
quantity (số lượng), extra multipliers (``times: [10 huyện]``), a rate (định mức), a declared
amount (thành tiền) and an optional breakdown (chi tiết) of sub-items checked the same way.
A money value is a number in the budget's unit, or a string that carries its own unit
(``20.000 đồng``, ``500.000đồng/ngày``, ``8,1 triệu đồng``). All arithmetic is exact
(``Decimal``); amounts are compared in đồng.

Input errors (unknown keys, a money string that could be read two ways such as ``1.5 triệu``, a
figure with more than 30 digits before or after the decimal mark) are reported at their node by
:func:`~isoprov.core.validation.validate_document`; the checks (:mod:`isoprov.budget.checks`)
only see valid budgets.
"""

from __future__ import annotations

import functools
import re
from contextlib import AbstractContextManager
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
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator, model_validator

from isoprov.budget.agencies import AGENCY_KINDS, agency_kind
from isoprov.core.numbers import (
    Figure,
    UnclearNumber,
    exact_decimal,
    format_approximate,
    format_figure,
    format_number,
    parse_figure,
    read_number,
)
from isoprov.core.rounding import RoundingMode, round_exact
from isoprov.core.validation import Model, decimal_places
from isoprov.core.vietnamese import MoneyParseError, canonical_unit, from_unit, parse_money, to_unit, unit_factor

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


def exact_arithmetic() -> AbstractContextManager[Context]:
    """A decimal context in which sums and products of budget figures are exact (Inexact and
    Overflow trapped as guards): for the checks and for anything that adds figures up."""
    traps = [Inexact, Overflow, InvalidOperation, DivisionByZero]
    return localcontext(Context(prec=_PRECISION, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=traps))


_FRACTION_MONEY = re.compile(r"^\s*[-−–]?\s*\d[\d.,]*\s*/\s*\d")
_MINUS_RE = re.compile(r"^\s*[-−–]\s*(?=\d)")


def _abbreviated(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}…{text[-12:]}"


def bounded(value: Decimal, what: str, written: str) -> Decimal:
    """``value`` itself, or ValueError when it has more than :data:`MAX_WHOLE_DIGITS` digits
    before the decimal mark or :data:`MAX_DECIMALS` after it (``written``: as the file has it)."""
    if value.is_zero():
        return value
    if value.adjusted() >= MAX_WHOLE_DIGITS:
        shown = _abbreviated(" ".join(written.split()))
        raise ValueError(f"{what} `{shown}` quá lớn: phần nguyên tối đa {MAX_WHOLE_DIGITS} chữ số")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS and decimal_places(value) > MAX_DECIMALS:
        shown = _abbreviated(" ".join(written.split()))
        raise ValueError(f"{what} `{shown}` có quá nhiều chữ số thập phân (tối đa {MAX_DECIMALS})")
    return value


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
    ratio: Fraction | None = Field(None, description="Số đồng chính xác, khi định mức ghi dạng phân số")

    def to_vnd(self, budget_unit: str) -> Decimal:
        """The value in đồng, exactly (for a rate written as a fraction without a finite decimal,
        the nearest with 28 digits: display only; :meth:`exact_vnd` computes)."""
        if self.vnd is not None:
            return self.vnd
        return from_unit(self.number, budget_unit)

    def exact_vnd(self, budget_unit: str) -> Fraction:
        """The value in đồng as an exact fraction (``"15/26 triệu đồng"`` included)."""
        return self.ratio if self.ratio is not None else Fraction(self.to_vnd(budget_unit))

    @property
    def explicit(self) -> bool:
        return self.unit is not None


def money_value(value: Any) -> Any:
    """Turn YAML input into :class:`Money`: a number, or a string that carries its unit."""
    if value is None or isinstance(value, Money):
        return value
    if isinstance(value, str) and _FRACTION_MONEY.match(value):
        raise ValueError(
            f"số tiền `{' '.join(value.split())}` không viết dạng phân số (chỉ định mức `rate` được viết như vậy); "
            'hãy ghi số tiền một lần và đưa phân số vào hệ số nhân, ví dụ `times: ["15/26 tháng"]`'
        )
    if isinstance(value, str):
        return _money_text(value)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(
            "số tiền phải là một số (theo đơn vị tính của dự toán) hoặc một chuỗi có đơn vị, "
            "ví dụ `500.000 đồng`, `8,1 triệu đồng`"
        )
    number = _number(value, "số tiền")
    return Money(number=number, text=str(value))


@functools.lru_cache(maxsize=4096)
def _money_text(value: str) -> Money:
    """A money string read once: a budget repeats the same rates (``20.000 đồng``) many times,
    and :class:`Money` is immutable, so equal strings share one value."""
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


_FRACTION_RATE = re.compile(r"^\s*(?P<over>\d[\d.,]*)\s*/\s*(?P<under>\d[\d.,]*)\s*(?P<unit>\D.*)$", re.DOTALL)


def _approximate(value: Fraction) -> Decimal:
    exact = exact_decimal(value)
    if exact is not None:
        return exact
    with localcontext(Context(prec=28)):
        return Decimal(value.numerator) / Decimal(value.denominator)


def rate_value(value: Any) -> Any:
    """A rate (định mức): a money value (:func:`money_value`), or an exact fraction of a unit,
    ``"15/26 triệu đồng"`` (SPEC §5b)."""
    if isinstance(value, str) and (match := _FRACTION_RATE.match(value)) is not None:
        written = " ".join(value.split())
        try:
            factor, unit = parse_money(f"1 {match['unit'].strip()}")
        except MoneyParseError as exc:
            raise ValueError(f"`{written}`: {exc}") from None
        parts = []
        for number in (match["over"], match["under"]):
            try:
                parts.append(Fraction(read_number(number)))
            except UnclearNumber:
                raise ValueError(
                    f"`{written}`: số `{number}` viết không đúng (dấu `.` phân cách hàng nghìn, "
                    "dấu `,` là dấu thập phân)"
                ) from None
        if parts[1] == 0:
            raise ValueError(f"`{written}`: mẫu số của phân số phải khác 0")
        ratio = parts[0] / parts[1] * Fraction(factor)
        in_unit = ratio / Fraction(factor)
        return Money(number=_approximate(in_unit), unit=unit, vnd=_approximate(ratio), text=written, ratio=ratio)
    if isinstance(value, str) and _FRACTION_MONEY.match(value):
        # a money string carries its unit (SPEC §5): a fraction of the budget's unit is not assumed
        written = " ".join(value.split())
        raise ValueError(
            f'định mức `{written}` viết dạng phân số phải ghi kèm đơn vị tiền, ví dụ `"{written} triệu đồng"`; '
            'hoặc ghi số tiền một lần và đưa phân số vào hệ số nhân, ví dụ `times: ["15/26 tháng"]`'
        )
    return money_value(value)


class Multiplier(Model):
    """An extra multiplier (hệ số nhân): ``10``, ``"10 huyện"`` or ``"15/26 tháng"``."""

    value: Decimal | Fraction = Field(description="Giá trị")
    label: str = Field("", description="Tên đơn vị, ví dụ `huyện`")

    def shown(self) -> str:
        number = format_figure(self.value)
        return f"{number} {self.label}" if self.label else number


def _bounded_figure(value: Figure, what: str, written: str) -> Figure:
    if isinstance(value, Fraction):
        bounded(Decimal(value.numerator), what, written)
        bounded(Decimal(value.denominator), what, written)
        return value
    return bounded(value, what, written)


def multiplier_value(value: Any) -> Any:
    if isinstance(value, Multiplier):
        return value
    if isinstance(value, str):
        number, label = parse_figure(value)
        return Multiplier(value=_bounded_figure(number, "hệ số nhân", value), label=label)
    return Multiplier(value=_number(value, "hệ số nhân"))


def count_value(value: Any, what: str = "số lượng") -> Any:
    """A quantity: a number, or a Vietnamese-written number or fraction in quotes (``"1.000"``,
    ``"15/26"``)."""
    if value is None:
        return None
    if isinstance(value, str):
        number, label = parse_figure(value)
        if label:
            raise ValueError(f"{what} `{value}` chỉ ghi số; tên đơn vị (`{label}`) ghi ở khóa `unit`")
        return _bounded_figure(number, what, value)
    return _number(value, what)


def percent_value(value: Any) -> Any:
    """A percentage: ``5``, ``"2,5"`` or ``"15/26"`` (the ``%`` sign may be written)."""
    if isinstance(value, str):
        value = value.strip().removesuffix("%").strip()
    return count_value(value, "tỷ lệ phần trăm (`percent`)")


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
RateField = Annotated[
    Money | None,
    BeforeValidator(rate_value),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "Định mức: số theo đơn vị của dự toán, chuỗi có đơn vị (`500.000 đồng`) hoặc phân số "
            "(`15/26 triệu đồng`)",
        }
    ),
]
CountField = Annotated[
    Decimal | Fraction | None,
    BeforeValidator(count_value),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}]}),
]
PercentField = Annotated[
    Decimal | Fraction | None,
    BeforeValidator(percent_value),
    WithJsonSchema(
        {"anyOf": [{"type": "number"}, {"type": "string"}], "description": "Tỷ lệ phần trăm, ví dụ 5 hoặc `2,5`"}
    ),
]
AgencyKind = Annotated[
    str | None,
    BeforeValidator(lambda v: None if v is None else agency_kind(v)),
    WithJsonSchema({"enum": list(AGENCY_KINDS), "description": "Loại cơ quan (kind of agency)"}),
]
ITEM_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
MultiplierField = Annotated[
    Multiplier,
    BeforeValidator(multiplier_value),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "Hệ số nhân: số, hoặc `số tên` như `10 huyện`, phân số như `15/26 tháng`",
        }
    ),
]


class BudgetItem(Model):
    """A budget line (khoản chi), possibly with a breakdown (chi tiết) of sub-items."""

    id: str | None = Field(
        None, pattern=ITEM_ID_PATTERN, description="Mã của khoản (duy nhất trong tệp), để khoản khác tính theo `%`"
    )
    name: str = Field(min_length=1, description="Nội dung chi")
    unit: str = Field("", description="Đơn vị tính của số lượng, ví dụ Cuộc, người")
    quantity: CountField = Field(None, description="Số lượng")
    times: Annotated[tuple[MultiplierField, ...], BeforeValidator(_times_list)] = Field(
        (), description="Hệ số nhân thêm: số hoặc `số tên`, ví dụ [10 huyện]"
    )
    rate: RateField = Field(None, description="Định mức (đơn giá)")
    amount: MoneyField = Field(None, description="Thành tiền kê khai")
    percent: PercentField = Field(None, description="Tỷ lệ phần trăm của tổng các khoản ghi ở `of`")
    of: Annotated[tuple[str, ...], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = Field(
        (), description="Mã (`id`) các khoản làm cơ sở tính `percent`"
    )
    norm: str | None = Field(None, min_length=1, description="Mã định mức tối đa để đối chiếu")
    for_: AgencyKind = Field(None, alias="for", description="Loại cơ quan của khoản (mặc định: `for` của dự toán)")
    note: str = Field("", description="Ghi chú")
    breakdown: tuple[BudgetItem, ...] = Field((), description="Các khoản chi tiết")

    @model_validator(mode="after")
    def _percent_or_rate(self) -> BudgetItem:
        if (self.percent is None) != (not self.of):
            missing = "`of` (mã các khoản làm cơ sở)" if self.percent is not None else "`percent`"
            raise ValueError(f"khoản tính theo tỷ lệ cần cả `percent` và `of`; thiếu {missing}")
        if self.percent is not None:
            extra = [k for k, v in (("rate", self.rate), ("quantity", self.quantity)) if v is not None]
            if self.times:
                extra.append("times")
            if extra:
                listed = ", ".join(f"`{k}`" for k in extra)
                raise ValueError(
                    f"khoản tính theo tỷ lệ (`percent` của `of`) không dùng {listed}: thành tiền là "
                    "tỷ lệ × tổng các khoản ở `of`"
                )
        return self

    def formula(self, budget_unit: str) -> str:
        """The computation as a reader writes it: "122 người × 20.000 đồng × 10 huyện"."""
        if self.rate is None:
            return ""
        parts = []
        if self.quantity is not None:
            parts.append(f"{format_figure(self.quantity)} {self.unit}".strip())
        # a rate written with its unit is shown as written ("20.000đồng/ngày/đại biểu")
        parts.append(self.rate.text if self.rate.explicit else show_money(self.rate, budget_unit, with_unit=True))
        parts.extend(m.shown() for m in self.times)
        return " × ".join(parts)


class Rounding(Model):
    """``rounding: {to: 1.000 đồng, mode: half-up}``: every computed amount is rounded to a
    multiple of ``to`` (SPEC §5b); ``down`` truncates."""

    to: Annotated[Money, BeforeValidator(money_value), WithJsonSchema(_MONEY_SCHEMA)] = Field(
        description="Làm tròn tới bội số của số tiền này, ví dụ `1.000 đồng`"
    )
    mode: RoundingMode = Field("half-up", description="half-up (mặc định), half-even hoặc down (cắt bỏ)")

    def apply(self, vnd: Fraction, budget_unit: str) -> Fraction:
        """``vnd`` rounded to a multiple of ``to``, exactly, by the one rounding rule of SPEC §3b
        (:func:`isoprov.core.rounding.round_exact`: a half away from zero, to even, or truncated)."""
        step = Fraction(self.to.to_vnd(budget_unit))
        return Fraction(round_exact(vnd / step, 0, self.mode)) * step

    def before(self, vnd: Fraction, budget_unit: str) -> str:
        """An amount before this rounding, in the budget's unit, with two decimals more than the
        rounded amount has (``≈ 4,84615`` beside 4,846 in triệu đồng rounded to 1.000 đồng; never
        ``≈ 4,85`` beside 4,846)."""
        step = Fraction(self.to.to_vnd(budget_unit)) / Fraction(unit_factor(budget_unit))
        places = 0
        while step.denominator != 1 and places < 12:  # the step's own decimals in the unit
            step *= 10
            places += 1
        return format_approximate(vnd / Fraction(unit_factor(budget_unit)), max(2, places + 2))

    def shown(self, budget_unit: str) -> str:
        """ "tới 1.000 đồng (5 trở lên làm tròn lên)"."""
        mode = {
            "half-up": "từ nửa trở lên làm tròn lên",
            "half-even": "đúng nửa thì về số chẵn",
            "down": "cắt bỏ phần lẻ",
        }
        written = self.to.text if self.to.explicit else f"{format_number(self.to.number)} {budget_unit}"
        return f"làm tròn tới {written} ({self.mode}: {mode[self.mode]})"

    @field_validator("to")
    @classmethod
    def _positive(cls, value: Money) -> Money:
        if value.number <= 0:
            raise ValueError(f"`to` phải lớn hơn 0, không phải {money_as_written(value)}")
        return value


class Budget(Model):
    """A budget estimate (dự toán kinh phí), SPEC §5 and §5b."""

    title: str = Field(min_length=1, description="Tên dự toán")
    unit: Annotated[BudgetUnit, BeforeValidator(_budget_unit)] = Field(
        "đồng", description="Đơn vị tính: đồng, nghìn đồng hoặc triệu đồng"
    )
    allocated: MoneyField = Field(None, description="Kinh phí được giao")
    total: MoneyField = Field(None, description="Tổng cộng kê khai")
    total_in_words: str | None = Field(None, min_length=1, description="Tổng cộng bằng chữ")
    for_: AgencyKind = Field(None, alias="for", description="Loại cơ quan của dự toán, ví dụ `xa`")
    rounding: Rounding | None = Field(None, description="Làm tròn thành tiền tính lại")
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
    if money.ratio is not None:
        number = format_approximate(money.ratio / Fraction(unit_factor(budget_unit)))
    else:
        number = format_number(to_unit(money.to_vnd(budget_unit), budget_unit))
    return f"{number} {budget_unit}" if with_unit else number


def money_as_written(money: Money) -> str:
    """A money value as the file writes it, in Vietnamese formatting: "-500.000 đồng", "-3"."""
    if money.ratio is not None:
        return money.text
    if money.unit is None:
        return format_number(money.number)
    return f"{format_number(money.number)} {money.unit}"
