"""Measured and counted criteria (tiêu chí định lượng, tiêu chí tính theo số lần): SPEC §3b.

A measured criterion turns a value the agency reports (a rate in %, a number of days) into
points, by a threshold table or in proportion up to ``full_at``; a counted criterion gives
points per occurrence. Everything is exact: a value is a ``Fraction`` when it comes from two
counts (193 of 200), points are rounded only where the criterion says ``round``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from isoprov.core.numbers import exact_decimal
from isoprov.core.rounding import MODE_NAMES, RoundingMode, round_exact
from isoprov.core.validation import Model, Points, bounded_points
from isoprov.core.vietnamese import format_number

PERCENT = "%"

#: How many decimals a value that does not end (2/3) is shown with; the arithmetic stays exact.
SHOWN_PLACES = 6


class Threshold(Model):
    """One row of a threshold table (bảng mức): a value ≥ ``min`` gives ``points``."""

    min: Points = Field(ge=0, description="Giá trị tối thiểu (so sánh ≥) để được số điểm này")
    points: Points = Field(description="Số điểm của mức này, trong khoảng 0..max")


class RoundRule(Model):
    """How a result is rounded (làm tròn): to ``places`` decimals, by ``mode``."""

    places: int = Field(2, ge=0, le=10, description="Số chữ số thập phân giữ lại (0..10; mặc định 2)")
    mode: RoundingMode = Field(
        "half-up",
        description="half-up: từ 5 trở lên làm tròn lên (mặc định); half-even: làm tròn số chẵn; down: bỏ phần lẻ",
    )

    def apply(self, value: Fraction | Decimal) -> Decimal:
        return round_exact(value, self.places, self.mode)

    def describe(self) -> str:
        """``làm tròn đến 1 chữ số thập phân, làm tròn từ 5 trở lên (half-up)``."""
        return f"làm tròn đến {self.places} chữ số thập phân, {MODE_NAMES[self.mode]}"


class Measure(Model):
    """How a measured value becomes points: a threshold table (``points``) or ``full_at``."""

    unit: str = Field(min_length=1, description='Đơn vị của giá trị: "%" hoặc một tên tự do ("hồ sơ", "ngày")')
    points: tuple[Threshold, ...] | None = Field(
        None, min_length=1, description="Bảng mức, từ cao xuống thấp: giá trị ≥ min được số điểm tương ứng"
    )
    full_at: Annotated[Decimal, Field(gt=0), AfterValidator(bounded_points)] | None = Field(
        None, description="Giá trị đạt điểm tối đa: điểm = max × min(giá trị, full_at) / full_at"
    )
    round: RoundRule | None = Field(None, description="Làm tròn điểm của tiêu chí (mặc định: không làm tròn)")

    @property
    def percent(self) -> bool:
        return self.unit == PERCENT

    @cached_property
    def thresholds(self) -> tuple[tuple[int, int, Decimal], ...]:
        """The table as (min numerator, min denominator, points), for exact integer comparison."""
        return tuple((*row.min.as_integer_ratio(), row.points) for row in self.points or ())

    @cached_property
    def full_ratio(self) -> tuple[int, int]:
        assert self.full_at is not None
        return self.full_at.as_integer_ratio()


class Ratio(Model):
    """A measured value given as two counts (tử số / mẫu số): ``{count: 193, of: 200}``."""

    count: Points = Field(description="Số đếm được, ví dụ số hồ sơ giải quyết đúng hạn")
    of: Points = Field(description="Tổng số, ví dụ tổng số hồ sơ đã giải quyết")

    @model_validator(mode="after")
    def _counts(self) -> Ratio:
        if self.of <= 0:
            raise ValueError(f"`of` (tổng số) phải lớn hơn 0, không phải {format_number(self.of)}")
        for name, value in (("count", self.count), ("of", self.of)):
            if value != value.to_integral_value():
                raise ValueError(f"`{name}` phải là số nguyên (số lần, số hồ sơ), không phải {format_number(value)}")
        if self.count < 0:
            raise ValueError(f"`count` không được âm ({format_number(self.count)})")
        if self.count > self.of:
            raise ValueError(
                f"`count` ({format_number(self.count)}) không được lớn hơn `of` ({format_number(self.of)})"
            )
        return self


@dataclass(frozen=True, slots=True)
class Counts:
    """Two counts as a result keeps them (a :class:`Ratio` once validated): a plain record,
    which results carry across processes several times cheaper than a model."""

    count: Decimal
    of: Decimal

    def __reduce__(self) -> tuple[type[Counts], tuple[Decimal, Decimal]]:
        return (Counts, (self.count, self.of))  # Speed: not copyreg's generic slots state


#: What an assessment gives for one criterion: points, a value or a count (a number), two
#: counts (a :class:`Ratio`), or a condition's result (true = Đạt).
EntryValue = Decimal | Ratio | Counts | bool


def ratio_value(r: Ratio | Counts, percent: bool) -> Fraction:
    """count / of, × 100 when the unit is %."""
    return Fraction(int(r.count) * (100 if percent else 1), int(r.of))


def measured_value(raw: Decimal | Ratio | Counts, measure: Measure) -> Fraction | Decimal:
    """The value an entry reports, in the criterion's unit."""
    if isinstance(raw, Ratio | Counts):
        return ratio_value(raw, measure.percent)
    return raw


def unit_suffix(measure: Measure) -> str:
    return " %" if measure.percent else f" {measure.unit}"


def as_decimal(value: Fraction) -> Decimal | Fraction:
    """A ``Decimal`` when the fraction ends in decimal digits (7/4 → 1.75), else the fraction."""
    exact = exact_decimal(value)
    return value if exact is None else exact


def show(value: Fraction | Decimal | int) -> str:
    """A value the Vietnamese way, exact when it ends (96,5), else to 6 places with "…" (2/3 →
    "0,666666…"): what an official can check with a pencil."""
    if isinstance(value, Fraction):
        exact = as_decimal(value)
        if isinstance(exact, Decimal):
            return format_number(exact)
        return format_number(round_exact(value, SHOWN_PLACES, "down")) + "…"
    return format_number(value)


def show_value(value: Fraction | Decimal, measure: Measure) -> str:
    return show(value) + unit_suffix(measure)


def show_input(raw: Any, measure: Measure | None) -> str:
    """An entry's input as written: ``96,5 %``, ``193/200 = 96,5 %``, ``Đạt``, ``3 lần``."""
    if isinstance(raw, bool):
        return "Đạt" if raw else "Không đạt"
    if isinstance(raw, Ratio | Counts):
        assert measure is not None
        shown = f"{format_number(raw.count)}/{format_number(raw.of)}"
        return f"{shown} = {show_value(ratio_value(raw, measure.percent), measure)}"
    if measure is not None:
        return show_value(raw, measure)
    return format_number(raw)
