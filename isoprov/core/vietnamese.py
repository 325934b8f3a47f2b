"""Vietnamese numbers, money and dates: pure functions, no I/O, exact decimals only.

Amount in words (số tiền bằng chữ) follows Vietnamese financial writing:

* digits: không, một, hai, ba, bốn, năm, sáu, bảy, tám, chín;
* ``mười`` for 10–19, ``mươi`` from 20; after ``mươi`` 1 is ``mốt`` and 4 is ``tư`` (after
  ``mười`` they stay ``một``/``bốn``: 11 → "mười một", 14 → "mười bốn"); 5 after
  ``mười``/``mươi`` is ``lăm``;
* ``linh`` for a zero tens digit before a non-zero unit (105 → "một trăm linh năm");
* ``không trăm`` for a zero hundreds digit in any group but the leading one
  (1.005 → "một nghìn không trăm linh năm");
* groups ``nghìn``, ``triệu``, ``tỷ``; an all-zero group is skipped
  (1.000.001 → "một triệu không trăm linh một");
* above ``tỷ`` the count of tỷ is itself read as a number, so the scales repeat
  (``nghìn tỷ``, ``triệu tỷ``, ``tỷ tỷ``): 1.001.000.000.000 → "một nghìn không trăm linh một tỷ",
  10^15 → "một triệu tỷ";
* ``chẵn`` is appended when the amount is at least 1.000 and its last three digits are zero.

The writer always produces the canonical form above (``tư`` after ``mươi``, ``linh``, ``nghìn``,
``tỷ``). The reader :func:`words_to_amount` is more lenient (``lẻ``, ``ngàn``, ``tỉ``, ``bẩy``,
``bốn`` after ``mươi``, ``tư`` after ``mười``/``linh``, ``năm`` after ``mười``/``mươi``, ``một``
after ``mươi``), while :func:`same_amount_words` only accepts the variants the specification lists:
case, spacing, punctuation, ``chẵn``/``đồng``, linh/lẻ, nghìn/ngàn, tỷ/tỉ and tư/bốn after ``mươi``.

Numbers use the Vietnamese marks: ``.`` groups thousands, ``,`` is the decimal mark.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal

from isoprov.core.numbers import UnclearNumber, check_decimal, format_number, read_number, shift, strip_zeros

__all__ = [
    "MAX_AMOUNT",
    "UNITS",
    "MoneyParseError",
    "amount_in_words",
    "canonical_unit",
    "format_date",
    "format_number",
    "from_unit",
    "parse_money",
    "same_amount_words",
    "to_unit",
    "unit_factor",
    "words_to_amount",
]

#: Largest amount written or read in words (a little under a nghìn tỷ tỷ).
MAX_AMOUNT = 10**27 - 1

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_TY = 10**9


# ---------------------------------------------------------------------------
# Amount in words
# ---------------------------------------------------------------------------


def _triple_words(g: int, full: bool) -> list[str]:
    """Words for a group 0 < g < 1000; ``full`` writes a zero hundreds digit as ``không trăm``."""
    h, rest = divmod(g, 100)
    t, u = divmod(rest, 10)
    words: list[str] = []
    if full or h:
        words += [_DIGITS[h], "trăm"]
    if t == 0:
        if u:
            words += ["linh", _DIGITS[u]] if words else [_DIGITS[u]]
    elif t == 1:
        words.append("mười")
        if u:
            words.append("lăm" if u == 5 else _DIGITS[u])
    else:
        words += [_DIGITS[t], "mươi"]
        if u:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(u, _DIGITS[u]))
    return words


def _below_ty_words(n: int, leading: bool) -> list[str]:
    """Words for 0 <= n < 10^9 with groups triệu, nghìn; nothing for 0."""
    words: list[str] = []
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        g = (n // scale) % 1000
        if not g:
            continue
        words += _triple_words(g, full=not leading)
        if name:
            words.append(name)
        leading = False
    return words


def _integer_amount(amount: int | Decimal) -> int:
    d = check_decimal(amount, "số tiền")
    if d.is_zero():
        return 0
    if d < 0:
        raise ValueError(f"số tiền không được âm: {format_number(d)}")
    if d.adjusted() >= 27:
        # no figure: 1E+1000000 would print a million digits
        raise ValueError(f"số tiền quá lớn (tối đa {format_number(MAX_AMOUNT)})")
    d = strip_zeros(d)
    exp = d.as_tuple().exponent
    assert isinstance(exp, int)
    if exp < 0:
        raise ValueError(f"số tiền bằng chữ phải là một số nguyên đồng, không phải {format_number(d)}")
    return int(d)


def amount_in_words(amount: int | Decimal, currency: str = "đồng") -> str:
    """Số tiền bằng chữ: 126000000 → "Một trăm hai mươi sáu triệu đồng chẵn".

    ``amount`` is a whole number of đồng (a Decimal with a zero fraction is accepted); negative
    or fractional amounts raise ValueError, floats TypeError. ``currency`` is the word written
    after the number ("" for none). See the module docstring for the rules.
    """
    n = _integer_amount(amount)
    if n == 0:
        words = ["không"]
    else:
        chunks: list[int] = []
        rest = n
        while rest:
            rest, chunk = divmod(rest, _TY)
            chunks.append(chunk)
        chunks.reverse()
        words = _below_ty_words(chunks[0], leading=True)
        for chunk in chunks[1:]:
            words.append("tỷ")
            words += _below_ty_words(chunk, leading=False)
    currency = currency.strip()
    if currency:
        words.append(currency)
    if n >= 1000 and n % 1000 == 0:
        words.append("chẵn")
    text = " ".join(words)
    return text[0].upper() + text[1:]


# ---------------------------------------------------------------------------
# Reading words back
# ---------------------------------------------------------------------------

_VARIANT = {"lẻ": "linh", "ngàn": "nghìn", "tỉ": "tỷ", "bẩy": "bảy"}
_DIGIT_VALUE = {w: i for i, w in enumerate(_DIGITS)}
_UNIT_VALUE = {w: i for i, w in enumerate(_DIGITS) if i}  # một … chín
_AFTER_MUOI = {**_UNIT_VALUE, "tư": 4, "lăm": 5}  # mười _: mười một, mười bốn/tư, mười lăm/năm
_AFTER_MUOI_TENS = {**_AFTER_MUOI, "mốt": 1}  # hai mươi _: mốt/một, tư/bốn, lăm/năm
_AFTER_LINH = {**_UNIT_VALUE, "tư": 4}  # linh _: linh một, linh bốn/tư, linh năm
_KNOWN = set(_DIGITS) | {"mốt", "tư", "lăm", "mười", "mươi", "trăm", "linh"}
_KNOWN |= {"nghìn", "triệu", "tỷ"}
_SURROUNDING = " \t\r\n()[]{}.;:,!?\"'“”‘’«»/"
_PREFIX_RE = re.compile(r"^(?:số tiền\s+)?bằng chữ\s*[:\-–]?\s*")


class _WordsError(ValueError):
    pass


def _triple_value(tokens: list[str], leading: bool) -> int:
    """Value of one group (0–999) written with ``tokens``; strict about ``không trăm``."""
    joined = " ".join(tokens)
    if len(tokens) >= 2 and tokens[1] == "trăm":
        if tokens[0] not in _DIGIT_VALUE:
            raise _WordsError(f"`{tokens[0]}` không đứng trước `trăm` được")
        if leading and tokens[0] == "không":
            raise _WordsError("số không bắt đầu bằng `không trăm`")
        value = _DIGIT_VALUE[tokens[0]] * 100
        rest = tokens[2:]
        if not rest:
            return value
        if rest[0] == "linh":
            if len(rest) == 2 and rest[1] in _AFTER_LINH:
                return value + _AFTER_LINH[rest[1]]
            raise _WordsError(f"sau `linh` phải là đúng một chữ số từ một đến chín: `{joined}`")
        return value + _tens_value(rest, joined)
    if not leading:
        raise _WordsError(
            f"nhóm `{joined}` thiếu hàng trăm: ở giữa số phải viết đủ, ví dụ `không trăm linh "
            "năm`, `không trăm hai mươi mốt`"
        )
    if len(tokens) == 1 and tokens[0] in _UNIT_VALUE:
        return _UNIT_VALUE[tokens[0]]
    return _tens_value(tokens, joined)


def _tens_value(tokens: list[str], joined: str) -> int:
    """Value of the tens-and-units part ``mười …`` / ``hai mươi …`` (10–99)."""
    if tokens[0] == "mười":
        rest = tokens[1:]
        if not rest:
            return 10
        if len(rest) == 1 and rest[0] in _AFTER_MUOI:
            return 10 + _AFTER_MUOI[rest[0]]
    elif len(tokens) >= 2 and tokens[1] == "mươi" and _DIGIT_VALUE.get(tokens[0], 0) >= 2:
        rest = tokens[2:]
        tens = _DIGIT_VALUE[tokens[0]] * 10
        if not rest:
            return tens
        if len(rest) == 1 and rest[0] in _AFTER_MUOI_TENS:
            return tens + _AFTER_MUOI_TENS[rest[0]]
    raise _WordsError(f"`{joined}` không đúng cách viết số (hàng chục, hàng đơn vị)")


def _below_ty_value(tokens: list[str], leading: bool) -> int:
    """Value (< 10^9) of words between two ``tỷ``; groups triệu, nghìn in that order."""
    value = 0
    current: list[str] = []
    last_scale = 10**9
    for tok in [*tokens, ""]:
        if tok in ("triệu", "nghìn", ""):
            scale = {"triệu": 10**6, "nghìn": 10**3, "": 1}[tok]
            if scale >= last_scale:
                raise _WordsError(f"`{tok}` đứng sai chỗ (thứ tự phải là tỷ, triệu, nghìn)")
            if not current:
                if tok:
                    raise _WordsError(f"thiếu số đứng trước `{tok}`")
                continue
            g = _triple_value(current, leading)
            if g == 0:
                raise _WordsError(f"nhóm `{' '.join(current)}` bằng không thì phải bỏ đi")
            value += g * scale
            leading = False
            current = []
            last_scale = scale
        else:
            current.append(tok)
    return value


def _tokens(text: str) -> list[str]:
    s = unicodedata.normalize("NFC", text).lower().strip(_SURROUNDING)
    s = _PREFIX_RE.sub("", s).strip(_SURROUNDING)
    return [_VARIANT.get(t, t) for t in re.split(r"[\s,]+", s) if t]


def words_to_amount(text: str) -> int:
    """Read a Vietnamese amount in words back to an integer number of đồng.

    Accepts "Bằng chữ:", parentheses, a final period, any case and spacing, a trailing
    ``đồng`` and/or ``chẵn``, and the variants lẻ/linh, ngàn/nghìn, tỉ/tỷ, bẩy/bảy, tư/bốn
    (after mươi, mười, linh), lăm/năm (after mười, mươi), mốt/một (after mươi). It stays strict
    on structure: a lower group must be written in full (``một nghìn không trăm linh năm``, not
    ``một nghìn linh năm``) and ``mươi`` cannot be left out. Raises ValueError with a
    Vietnamese message otherwise.
    """
    if not isinstance(text, str):
        raise TypeError(f"số tiền bằng chữ phải là chuỗi, không phải {type(text).__name__}")
    if not text.strip():
        raise ValueError("số tiền bằng chữ đang để trống")
    tokens = _tokens(text)
    for tail in ("chẵn", "đồng", "chẵn"):
        if tokens and tokens[-1] == tail:
            tokens.pop()
    try:
        if not tokens:
            raise _WordsError("không có chữ số nào")
        for tok in tokens:
            if tok not in _KNOWN:
                raise _WordsError(f"`{tok}` không phải là chữ dùng để viết số")
        if tokens == ["không"]:
            return 0
        segments: list[list[str]] = [[]]
        for tok in tokens:
            if tok == "tỷ":
                segments.append([])
            else:
                segments[-1].append(tok)
        if not segments[0]:
            raise _WordsError("thiếu số đứng trước `tỷ`")
        value = _below_ty_value(segments[0], leading=True)
        for segment in segments[1:]:
            value = value * _TY + _below_ty_value(segment, leading=False)
    except _WordsError as exc:
        raise ValueError(f"không đọc được số tiền bằng chữ `{text.strip()}`: {exc}") from None
    if value > MAX_AMOUNT:
        raise ValueError(f"số tiền bằng chữ `{text.strip()}` quá lớn (tối đa {MAX_AMOUNT})")
    return value


def _normalised_words(text: str) -> list[str]:
    tokens = [t for t in _tokens(text) if t not in ("đồng", "chẵn")]
    return ["tư" if t == "bốn" and i and tokens[i - 1] == "mươi" else t for i, t in enumerate(tokens)]


def same_amount_words(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` write the same amount with only accepted variants.

    Accepted: case, spacing, punctuation, "Bằng chữ:", ``đồng``, ``chẵn``, linh/lẻ, nghìn/ngàn,
    tỷ/tỉ and tư/bốn after ``mươi``. Both must be readable amounts; other spellings that
    :func:`words_to_amount` tolerates (``hai mươi một``, ``mười năm``) do not count as the same
    writing.
    """
    try:
        words_to_amount(a)
        words_to_amount(b)
    except ValueError:
        return False
    # Equal normalised words read to equal amounts, so comparing the words suffices.
    return _normalised_words(a) == _normalised_words(b)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def format_date(d: datetime.date) -> str:
    """Date as in a document's place-and-date line (Nghị định 30/2020/NĐ-CP).

    Day below 10 and months 1 and 2 take a leading zero: "ngày 04 tháng 01 năm 2012",
    "ngày 15 tháng 9 năm 2017".
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


# ---------------------------------------------------------------------------
# Money strings
# ---------------------------------------------------------------------------

UNITS: dict[str, Decimal] = {
    "đồng": Decimal(1),
    "nghìn đồng": Decimal(1000),
    "triệu đồng": Decimal(1_000_000),
    "tỷ đồng": Decimal(1_000_000_000),
}
_UNIT_EXPONENT = {"đồng": 0, "nghìn đồng": 3, "triệu đồng": 6, "tỷ đồng": 9}
_UNIT_ALIASES = {
    "đồng": "đồng",
    "đ": "đồng",
    "₫": "đồng",
    "vnđ": "đồng",
    "vnd": "đồng",
    "nghìn": "nghìn đồng",
    "ngàn": "nghìn đồng",
    "nghìn đồng": "nghìn đồng",
    "ngàn đồng": "nghìn đồng",
    "triệu": "triệu đồng",
    "triệu đồng": "triệu đồng",
    "tỷ": "tỷ đồng",
    "tỉ": "tỷ đồng",
    "tỷ đồng": "tỷ đồng",
    "tỉ đồng": "tỷ đồng",
    "nghìn đ": "nghìn đồng",
    "ngàn đ": "nghìn đồng",
    "triệu đ": "triệu đồng",
    "tỷ đ": "tỷ đồng",
    "tỉ đ": "tỷ đồng",
}
_ALLOWED_UNITS = "`đồng` (hoặc `đ`, `VNĐ`), `nghìn đồng` (`ngàn đồng`), `triệu đồng`, `tỷ đồng` (`tỉ đồng`)"


class MoneyParseError(ValueError):
    """A money string that cannot be read, or could be read two ways; the message is Vietnamese."""


def canonical_unit(unit: str) -> str:
    """Canonical name (a key of :data:`UNITS`) of a unit or alias: "tỉ" → "tỷ đồng"."""
    key = " ".join(unicodedata.normalize("NFC", unit).lower().split())
    key = re.sub(r"(?<=\S)(đồng|đ)$", r" \1", key) if key not in _UNIT_ALIASES else key  # "triệuđồng"
    try:
        return _UNIT_ALIASES[key]
    except KeyError:
        raise ValueError(f"đơn vị tiền `{unit.strip()}` không hợp lệ; đơn vị được phép: {_ALLOWED_UNITS}") from None


def unit_factor(unit: str) -> Decimal:
    """Value in đồng of one ``unit``: "triệu" → Decimal(1000000); ValueError if unknown."""
    return UNITS[canonical_unit(unit)]


def from_unit(number: Decimal, unit: str) -> Decimal:
    """Convert a number in ``unit`` to đồng exactly (whatever the context precision):
    Decimal("24.4"), "triệu đồng" → Decimal("24400000")."""
    d = check_decimal(number, "số tiền")
    return strip_zeros(shift(d, _UNIT_EXPONENT[canonical_unit(unit)]))


def to_unit(amount_vnd: Decimal, unit: str) -> Decimal:
    """Convert an amount in đồng to ``unit`` exactly: 24400000, "triệu đồng" → Decimal("24.4")."""
    d = check_decimal(amount_vnd, "số tiền")
    return strip_zeros(shift(d, -_UNIT_EXPONENT[canonical_unit(unit)]))


_MONEY_RE = re.compile(r"^(?P<sign>[-−–+]?)\s*(?P<number>\d[\d.,]*)(?P<unit>.*)$", re.DOTALL)


def _read_money_number(number: str, unit: str, text: str) -> Decimal:
    """A money string's number (:func:`~isoprov.core.numbers.read_number`); MoneyParseError,
    worded for money, if it reads no way or two."""
    try:
        return read_number(number)
    except UnclearNumber as exc:
        shown = [f"{format_number(r)} {unit}" for r in exc.readings]
        if exc.reason == "ambiguous":
            first, second = shown
            message = (
                f"`{text}` có thể hiểu là {first} hoặc {second}; hãy viết rõ `{first}` hoặc "
                f"`{second}` (dấu `,` là dấu thập phân, dấu `.` phân cách hàng nghìn)"
            )
        elif exc.reason == "english-decimal":
            message = (
                f"`{text}` dùng dấu `.` làm dấu thập phân (kiểu tiếng Anh) thì là {shown[0]}; "
                f"theo cách viết Việt Nam dấu `,` là dấu thập phân, hãy viết `{shown[0]}`"
            )
        elif exc.reason == "english-thousands":
            message = (
                f"`{text}` viết theo kiểu tiếng Anh (dấu `,` phân cách hàng nghìn) thì là "
                f"{shown[0]}, nhưng theo cách viết Việt Nam dấu `,` là dấu "
                f"thập phân; hãy viết `{shown[0]}`"
            )
        elif exc.reason == "english-order":
            message = (
                f"`{text}` viết theo kiểu tiếng Anh (dấu `,` phân cách hàng nghìn, dấu `.` thập "
                f"phân) thì là {shown[0]}, còn theo cách viết Việt Nam thì không đọc được; "
                f"hãy viết `{shown[0]}`"
            )
        else:
            message = (
                f"`{text}`: số `{number}` viết không đúng; dấu `.` phân cách hàng nghìn (sau nó đúng 3 "
                "chữ số) và dấu `,` là dấu thập phân, ví dụ `1.500.000 đồng`, `8,1 triệu đồng`"
            )
        raise MoneyParseError(message) from None


def parse_money(text: str) -> tuple[Decimal, str]:
    """Read a money string written the Vietnamese way: "8,1 triệu đồng" → (Decimal("8100000"),
    "triệu đồng").

    The string is a number then a unit (see :data:`UNITS` and :func:`unit_factor` for aliases),
    optionally followed by a per-unit suffix such as "/ngày" or "/người/ngày", which is ignored.
    ``.`` groups thousands and ``,`` is the decimal mark, so ``2,125 triệu`` is 2,125 triệu.
    Anything that could be read two ways raises :class:`MoneyParseError` naming both readings
    (never one identical to the input): a single dot that is not a thousands group (``1.5 triệu``:
    1,5 or 15); three decimals ending in zero (``1,500 đồng``: 1,5 or 1.500, since nobody pads
    decimals); English separators (``1,000,000 đồng``, ``1,500.5 đồng``). A dot after more than
    three digits (``126000000.5 đồng``) can only be an English decimal point, also an error. So are
    a missing number, a missing or unknown unit and negative amounts. The amount is returned in
    đồng, exactly and without trailing zeros.
    """
    if not isinstance(text, str):
        raise TypeError(f"số tiền phải là chuỗi, không phải {type(text).__name__}")
    original = " ".join(unicodedata.normalize("NFC", text).split())
    body, slash, per = original.partition("/")
    if slash and not per.strip():
        raise MoneyParseError(f"`{original}`: sau dấu `/` phải có đơn vị tính, ví dụ `/ngày`")
    match = _MONEY_RE.match(body.strip())
    if not match:
        raise MoneyParseError(
            f"`{original}` không có số tiền: cần một số rồi đến đơn vị, ví dụ `500.000 đồng`, "
            f"`8,1 triệu đồng`; đơn vị được phép: {_ALLOWED_UNITS}"
        )
    number, unit_text = match["number"], match["unit"].strip()
    if re.search(r"\d", unit_text):
        raise MoneyParseError(
            f"`{original}`: số viết không đúng (có khoảng trắng hoặc ký tự lạ giữa các chữ số); "
            "hãy viết như `1.500.000 đồng`"
        )
    if not unit_text:
        raise MoneyParseError(f"`{original}` thiếu đơn vị tiền; hãy ghi rõ đơn vị, một trong: {_ALLOWED_UNITS}")
    try:
        unit = canonical_unit(unit_text)
    except ValueError as exc:
        raise MoneyParseError(f"`{original}`: {exc}") from None
    if match["sign"] in ("-", "−", "–"):
        raise MoneyParseError(f"`{original}`: số tiền không được âm")
    amount = shift(_read_money_number(number, unit, body.strip()), _UNIT_EXPONENT[unit])
    return strip_zeros(amount), unit
