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
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator

from isoprov.core.numbers import format_number, parse_count
from isoprov.core.validation import Model, decimal_places
from isoprov.core.vietnamese import MoneyParseError, canonical_unit, from_unit, parse_money, to_unit

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


_MINUS_RE = re.compile(r"^\s*[-−–]\s*(?=\d)")


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


def money_as_written(money: Money) -> str:
    """A money value as the file writes it, in Vietnamese formatting: "-500.000 đồng", "-3"."""
    if money.unit is None:
        return format_number(money.number)
    return f"{format_number(money.number)} {money.unit}"
