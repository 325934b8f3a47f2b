"""Numbers written the Vietnamese way (cách viết số): ``.`` groups thousands, ``,`` is the decimal
mark — ``126.000.000``, ``24,4``. Formatting them, and the one reader every part of isoprov uses
(money strings in :mod:`isoprov.core.vietnamese`, budget counts such as ``10 huyện``).

All exact: decimals never pass through the context precision (a 40-digit figure is kept whole
until the caller bounds it), and never through a binary float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Literal

__all__ = [
    "Figure",
    "UnclearNumber",
    "check_decimal",
    "exact_decimal",
    "format_approximate",
    "format_figure",
    "format_number",
    "parse_count",
    "parse_figure",
    "read_number",
    "shift",
    "strip_zeros",
]


# ---------------------------------------------------------------------------
# Exact decimal helpers (never through the context precision)
# ---------------------------------------------------------------------------


def check_decimal(value: object, what: str) -> Decimal:
    """Return ``value`` as a finite Decimal; ints accepted, floats and bools refused."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{what} phải là số nguyên hoặc Decimal, không phải {type(value).__name__}")
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError(f"{what} không phải là một số hữu hạn: {value}")
    return d


def strip_zeros(d: Decimal) -> Decimal:
    """Exact equivalent of ``normalize()`` without exponent notation or context rounding."""
    if d.is_zero():
        return Decimal(0)
    sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    ds = list(digits)
    while exp < 0 and ds[-1] == 0:
        ds.pop()
        exp += 1
    if exp > 0:
        ds.extend([0] * exp)
        exp = 0
    return Decimal((sign, tuple(ds), exp))


def shift(d: Decimal, places: int) -> Decimal:
    """``d × 10**places`` exactly."""
    sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    return Decimal((sign, digits, exp + places))


#: A figure as written: a decimal, or an exact fraction written ``"15/26"`` (never a float).
Figure = Decimal | Fraction


def exact_decimal(value: Fraction) -> Decimal | None:
    """The fraction as a Decimal when it has a finite decimal expansion (its denominator is
    2ᵃ·5ᵇ), exactly; None otherwise (``1/3``)."""
    denominator = value.denominator
    if denominator == 1:
        return Decimal(value.numerator)
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    return strip_zeros(shift(Decimal(scaled), -places))


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def _small_whole(value: Decimal) -> bool:
    """A finite whole number of at most 40 digits (``int()`` of it is cheap and exact)."""
    return value.is_finite() and value.adjusted() < 40 and value == value.to_integral_value()


def format_number(value: Decimal | int, places: int | None = None) -> str:
    """Vietnamese number formatting: 126000000 → "126.000.000", Decimal("24.40") → "24,4".

    ``places=None`` keeps the significant decimals (trailing zeros dropped); an int ``places``
    rounds half-up to exactly that many decimals (Decimal("82.2"), 2 → "82,20"). Never uses
    exponent notation; "-0" is written "0".
    """
    if places is None and (type(value) is int or (type(value) is Decimal and _small_whole(value))):
        # the common case, a whole number (đồng, counts): C's grouping, same text
        return f"{int(value):,}".replace(",", ".")
    d = check_decimal(value, "số")
    if places is None:
        d = strip_zeros(d)
    else:
        if isinstance(places, bool) or not isinstance(places, int) or places < 0:
            raise ValueError(f"số chữ số thập phân phải là số nguyên không âm, không phải {places}")
        with localcontext() as ctx:
            ctx.prec = max(d.adjusted(), 0) + places + 3
            ctx.rounding = ROUND_HALF_UP
            d = d.quantize(Decimal((0, (1,), -places)))
    sign, digit_tuple, exp = d.as_tuple()
    assert isinstance(exp, int)
    digits = "".join(map(str, digit_tuple))
    if exp > 0:
        digits += "0" * exp
        exp = 0
    frac_len = -exp
    digits = digits.rjust(frac_len + 1, "0")
    int_part = digits[: len(digits) - frac_len].lstrip("0") or "0"
    frac_part = digits[len(digits) - frac_len :]
    text = _group_thousands(int_part) + ("," + frac_part if frac_part else "")
    return "-" + text if sign and not d.is_zero() else text


def format_figure(value: Decimal | Fraction | int) -> str:
    """A figure as a reader writes it: decimals the Vietnamese way (``1,5``), a fraction that is
    not a whole number as ``15/26`` (so ``× 15/26 tháng`` reads as the file wrote it)."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return format_number(value.numerator)
        return f"{'-' if value < 0 else ''}{format_number(abs(value.numerator))}/{format_number(value.denominator)}"
    return format_number(value)


def format_approximate(value: Fraction, places: int = 2) -> str:
    """A fraction for display: exact when it has a finite decimal expansion, else rounded half-up
    to ``places`` decimals after "≈" (``≈ 2.076.923,08``)."""
    exact = exact_decimal(value)
    if exact is not None:
        return format_number(exact)
    scaled = value * 10**places
    rounded = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    return "≈ " + format_number(shift(Decimal(rounded), -places), places)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

#: Why a number's text reads no way, or more than one way.
Unclear = Literal["malformed", "ambiguous", "english-decimal", "english-thousands", "english-order"]

_NUMBER_SHAPE = re.compile(r"^\d+(?:[.,]\d+)*$")


@dataclass(frozen=True)
class UnclearNumber(ValueError):
    """A number's text that cannot be read one way. The caller words the message for what the
    number is (a money value, a count), from ``reason`` and ``readings``:

    - ``malformed``: no reading (``1.50.0``, ``1,,5``);
    - ``ambiguous``: ``readings`` = (the decimal reading, the grouped one): ``1.5`` (1,5 or 15),
      ``1,500`` (1,5 or 1.500 — nobody pads decimals with zeros);
    - ``english-decimal``: a dot after more than three digits (``1000.5``), an English decimal
      point; ``readings`` = (that value,);
    - ``english-thousands``: ``1,000,000``; ``english-order``: ``1,500.5``; ``readings`` = (the
      English reading,).
    """

    reason: Unclear
    readings: tuple[Decimal, ...] = ()


def _valid_grouping(digits: str, sep: str) -> bool:
    """True for ``1.234.567`` style grouping (first group 1–3 digits, no leading zero)."""
    groups = digits.split(sep)
    head = groups[0]
    return (
        1 <= len(head) <= 3
        and ((head == "0" and len(groups) == 1) or not head.startswith("0"))
        and all(len(g) == 3 for g in groups[1:])
    )


def read_number(number: str) -> Decimal:
    """The value of digits written the Vietnamese way: ``1.000`` → 1000, ``1,5`` → 1.5,
    ``1.234,5`` → 1234.5, ``2,125`` → 2.125; :class:`UnclearNumber` when it reads no way or two.

    Exact (the Decimal keeps every digit written after the comma). No sign, no unit: callers
    split those off.
    """
    if not _NUMBER_SHAPE.match(number):
        raise UnclearNumber("malformed")
    if not number.strip("0.,"):  # 0.000, 0,0: every reading is zero, nothing is ambiguous
        return Decimal(0)
    dots, commas = number.count("."), number.count(",")
    if commas == 0:
        if dots == 0 or _valid_grouping(number, "."):
            return Decimal(number.replace(".", ""))
        if dots == 1:
            int_part = number.partition(".")[0]
            if len(int_part) > 3:  # 126000000.5: no thousands grouping before the dot
                raise UnclearNumber("english-decimal", (Decimal(number),))
            # 1.5: English decimal point, or a misplaced thousands dot
            raise UnclearNumber("ambiguous", (Decimal(number), Decimal(number.replace(".", ""))))
        raise UnclearNumber("malformed")
    if dots == 0:
        if commas == 1:
            int_part, frac = number.split(",")
            # A Vietnamese writer does not pad decimals with zeros, so 1,500 or 20,000 reads
            # as English thousands just as well.
            if len(frac) == 3 and frac.endswith("0") and _valid_grouping(number, ","):
                raise UnclearNumber("ambiguous", (Decimal(f"{int_part}.{frac}"), Decimal(int_part + frac)))
            return Decimal(f"{int_part}.{frac}")
        if _valid_grouping(number, ","):  # 1,000,000: English thousands separators
            raise UnclearNumber("english-thousands", (Decimal(number.replace(",", "")),))
        raise UnclearNumber("malformed")
    if commas == 1 and number.index(",") > number.rindex("."):  # 1.234,5
        int_part, frac = number.split(",")
        if _valid_grouping(int_part, "."):
            return Decimal(f"{int_part.replace('.', '')}.{frac}")
        raise UnclearNumber("malformed")
    if dots == 1 and number.rindex(",") < number.index("."):  # 1,500.5 (English order)
        int_part, frac = number.split(".")
        if _valid_grouping(int_part, ","):
            raise UnclearNumber("english-order", (Decimal(f"{int_part.replace(',', '')}.{frac}"),))
    raise UnclearNumber("malformed")


_COUNT_RE = re.compile(r"^(?P<sign>[-−–]?)\s*(?P<number>\d[\d.,]*)\s*(?P<label>.*)$", re.DOTALL)
_FRACTION_RE = re.compile(
    r"^(?P<sign>[-−–]?)\s*(?P<over>\d[\d.,]*)\s*/\s*(?P<under>\d[\d.,]*)(?P<label>.*)$", re.DOTALL
)


def parse_count(text: str) -> tuple[Decimal, str]:
    """A count written the Vietnamese way, with an optional label: "10 huyện" → (10, "huyện").

    Read by :func:`read_number` (``1.000 người``, ``1,5 ngày``, ``1,125 ngày``); a number that
    could be read two ways (``1.5``, ``1,500``) raises ValueError naming both readings, neither
    identical to the input. A minus sign is read (``-2 huyện`` → -2), so that the checks report
    the value as not positive. A fraction (``15/26 tháng``) is :func:`parse_figure`'s.
    """
    cleaned = " ".join(text.split())
    match = _COUNT_RE.match(cleaned)
    if not match:
        raise ValueError(f"`{cleaned}` phải bắt đầu bằng một số, ví dụ `10 huyện`, `2 ngày`, `1,5 ngày`")
    number, label = match["number"], match["label"].strip()
    if re.search(r"\d", label):
        raise ValueError(f"`{cleaned}`: chỉ được có một số ở đầu, sau đó là tên đơn vị (ví dụ `10 huyện`)")
    try:
        value = read_number(number)
    except UnclearNumber as exc:
        raise ValueError(_count_problem(cleaned, number, exc)) from None
    return (-value if match["sign"] else value), label


def parse_figure(text: str) -> tuple[Decimal | Fraction, str]:
    """:func:`parse_count`, or an exact fraction with an optional label: ``"15/26 tháng"`` →
    (Fraction(15, 26), "tháng"). Numerator and denominator are read the Vietnamese way; a zero
    denominator is a ValueError."""
    cleaned = " ".join(text.split())
    match = _FRACTION_RE.match(cleaned)
    if match is None:
        return parse_count(cleaned)
    label = match["label"].strip()
    if re.search(r"\d", label):
        raise ValueError(f"`{cleaned}`: chỉ được có một phân số ở đầu, sau đó là tên đơn vị (ví dụ `15/26 tháng`)")
    parts = []
    for number in (match["over"], match["under"]):
        try:
            parts.append(Fraction(read_number(number)))
        except UnclearNumber as exc:
            raise ValueError(_count_problem(cleaned, number, exc)) from None
    if parts[1] == 0:
        raise ValueError(f"`{cleaned}`: mẫu số của phân số phải khác 0")
    value = parts[0] / parts[1]
    return (-value if match["sign"] else value), label


def _count_problem(cleaned: str, number: str, exc: UnclearNumber) -> str:
    shown = [format_number(r) for r in exc.readings]
    if exc.reason == "ambiguous":
        first, second = shown
        return (
            f"`{cleaned}` có thể hiểu là {first} hoặc {second}; hãy viết rõ `{first}` "
            f"(dấu `,` là dấu thập phân) hoặc `{second}`" + (" (dấu `.` phân cách hàng nghìn)" if "," in number else "")
        )
    if exc.reason == "english-decimal":
        return (
            f"`{cleaned}` dùng dấu `.` làm dấu thập phân (kiểu tiếng Anh); theo cách viết Việt Nam "
            f"dấu `,` là dấu thập phân, hãy viết `{shown[0]}`"
        )
    if exc.reason in ("english-thousands", "english-order"):
        return (
            f"`{cleaned}` viết theo kiểu tiếng Anh thì là {shown[0]}, nhưng theo cách viết Việt Nam "
            f"dấu `.` phân cách hàng nghìn và dấu `,` là dấu thập phân; hãy viết `{shown[0]}`"
        )
    return (
        f"`{cleaned}`: số `{number}` viết không đúng; dấu `.` phân cách hàng nghìn (sau nó đúng 3 chữ "
        "số), dấu `,` là dấu thập phân, ví dụ `1.000 người`, `1,5 ngày`"
    )
