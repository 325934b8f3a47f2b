"""Budget checks (kiểm tra dự toán), SPEC §5: compute every item and the total, and report each
problem as a finding with a stable code.

An item with a rate computes rate × quantity × Π times; an item without one is a lump sum that
takes its ``amount``, or the sum of its ``breakdown``. The computed total is Σ items. The model
(:mod:`isoprov.budget.model`) has read every figure exactly; the results
(:mod:`isoprov.budget.results`) keep them in đồng.

Findings (each a :class:`~isoprov.core.diagnostics.Diagnostic` with a code, a severity and the line
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
    that reads two ways, ``"1.5 triệu"``, is an input error.) The advice always writes a
    Vietnamese decimal in quotes (``"2,5"``): unquoted inside ``[…]`` YAML splits it at the comma.
BUD017 inexact-amount (error)
    a computed amount that is not a finite number of đồng (``1.800.000 đồng × 2 × 15/26``) in a
    budget without ``rounding``: say how to round (``rounding: {to: 1 đồng}``).
BUD018 below-minimum (warning)
    a rate below the ``min`` of a cap's range: ``rate: 2 triệu đồng`` with independent experts at
    2,8–7,4 triệu đồng/người/tháng (Thông tư 116/2015/TT-BTC Điều 4 khoản 3).
BUD019 wrong-kind (error)
    an item (or a budget, ``for: xa``) of one kind of agency citing a cap ``for`` other kinds: a
    xã line citing the chi cục cap; the message names the cap that fits, when there is one.
BUD020 share-exceeded (error), at the first item citing the cap
    the items citing a cap with ``share: {percent: 80, of: X}`` add up to more than 80 % of cap X
    (independent experts ≤ 80 % of the consultant-organisation cap, khoản 3).

Percentage lines (``percent: 5, of: [A, B]``: 5 % × Σ the computed amounts of items A and B) are
checked like any computed amount (BUD001 when a declared amount differs); with ``rounding`` every
computed amount is rounded first (:meth:`~isoprov.budget.model.Rounding.apply`), and the
percentage lines, totals and words use the rounded amounts.

Input errors (unknown keys, a money string that could be read two ways such as ``1.5 triệu``, a figure
with more than 30 digits before or after the decimal mark) are not
findings: :func:`~isoprov.core.validation.validate_document` reports them at their node.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from isoprov.budget.agencies import kind_name
from isoprov.budget.model import Budget, BudgetItem, exact_arithmetic, money_as_written
from isoprov.budget.norms import NormSet, ResolvedCap
from isoprov.budget.references import References, resolve_references
from isoprov.budget.results import BudgetReport, ItemResult
from isoprov.core.diagnostics import Diagnostic, Severity
from isoprov.core.loading import PathKey, YamlDocument
from isoprov.core.numbers import exact_decimal, format_approximate, format_figure, format_number
from isoprov.core.vietnamese import amount_in_words, same_amount_words, to_unit, unit_factor, words_to_amount


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
INEXACT_AMOUNT = Check("BUD017", "inexact-amount", Severity.ERROR)
BELOW_MINIMUM = Check("BUD018", "below-minimum", Severity.WARNING)
WRONG_KIND = Check("BUD019", "wrong-kind", Severity.ERROR)
SHARE_EXCEEDED = Check("BUD020", "share-exceeded", Severity.ERROR)

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
    AMBIGUOUS_NUMBER,
    INEXACT_AMOUNT,
    BELOW_MINIMUM,
    WRONG_KIND,
    SHARE_EXCEEDED,
)


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
            f'`"{yaml_reading} triệu đồng"` (số tiền) hoặc `"{yaml_reading}"` (số lượng) — luôn trong ngoặc '
            "kép: không có ngoặc kép, trong `[…]` hay `{…}` YAML tách số ở dấu phẩy"
        )
    return (
        f"`{value}` có thể hiểu là {yaml_reading} (dấu `.` là dấu thập phân) hoặc {grouped} "
        f"(dấu `.` phân cách hàng nghìn) và đang được tính là {yaml_reading}; nếu là {grouped} "
        f"hãy viết `{plain}`, {other}"
    )


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Amounts:
    """One item's figures in đồng, exact (Fractions): what the table and the checks need."""

    declared: Fraction | None
    unrounded: Fraction | None  # rate × quantity × times, or percent × Σ of
    computed: Fraction | None  # the same, rounded when the budget says so
    breakdown: Fraction | None
    base: Fraction | None  # a percentage line: Σ of its items

    @property
    def value(self) -> Fraction:
        """What the item counts: computed, else declared, else its breakdown."""
        for v in (self.computed, self.declared, self.breakdown):
            if v is not None:
                return v
        return Fraction(0)


def _unverified(verified: str | None) -> str:
    if verified == "secondary":
        return " (con số lấy từ nguồn thứ cấp, chưa đối chiếu với lời văn của văn bản)"
    if verified == "unverified":
        return " (con số chưa được đối chiếu với lời văn của văn bản)"
    return ""


def _decimal(value: Fraction) -> Decimal:
    """An exact Decimal when the amount has one; else (an amount not yet rounded, × 15/26 and no
    ``rounding``: BUD017 reports it) the nearest with 6 decimals of đồng, for display only."""
    exact = exact_decimal(value)
    if exact is not None:
        return exact
    return Decimal(round(value * 10**6)).scaleb(-6)


class _Checker:
    def __init__(self, budget: Budget, doc: YamlDocument, norms: NormSet, refs: References) -> None:
        self.budget = budget
        self.doc = doc
        self.norms = norms
        self.refs = refs
        self.unit = budget.unit
        self.findings: list[Diagnostic] = []
        self._example_noted: set[str] = set()
        self._amounts: dict[PathKey, _Amounts] = {}
        self._cited: dict[str, list[tuple[PathKey, Fraction]]] = {}

    def show(self, vnd: Decimal | Fraction) -> str:
        if isinstance(vnd, Fraction):
            return f"{format_approximate(vnd / Fraction(unit_factor(self.unit)))} {self.unit}"
        return f"{format_number(to_unit(vnd, self.unit))} {self.unit}"

    def find(self, check: Check, path: PathKey, message: str, *, key: bool = False) -> None:
        self.findings.append(self.doc.diagnostic(path, message, key=key, severity=check.severity, code=check.code))

    def line(self, path: PathKey, *, key: bool = False) -> int | None:
        mark = self.doc.source.locate(path, key=key)
        return mark.line if mark else None

    # -- amounts ------------------------------------------------------------------------------

    def amounts(self, path: PathKey) -> _Amounts:
        """The item's figures, computing what it depends on first (its sub-items, the items of a
        percentage line); :func:`~isoprov.budget.references.resolve_references` has refused loops."""
        found = self._amounts.get(path)
        if found is not None:
            return found
        item = self.refs.items[path]
        children = [self.amounts((*path, "breakdown", j)).value for j in range(len(item.breakdown))]
        declared = Fraction(item.amount.to_vnd(self.unit)) if item.amount is not None else None
        unrounded = base = None
        if item.rate is not None:
            unrounded = item.rate.exact_vnd(self.unit)
            if item.quantity is not None:
                unrounded *= Fraction(item.quantity)
            for m in item.times:
                unrounded *= Fraction(m.value)
        elif item.percent is not None:
            base = sum((self.amounts(target).value for target in self.refs.targets(item)), Fraction(0))
            unrounded = Fraction(item.percent) / 100 * base
        computed = unrounded
        if unrounded is not None and self.budget.rounding is not None:
            computed = self.budget.rounding.apply(unrounded, self.unit)
        breakdown = sum(children, Fraction(0)) if children else None
        found = _Amounts(declared, unrounded, computed, breakdown, base)
        self._amounts[path] = found
        return found

    def basis(self, item: BudgetItem) -> str:
        """A percentage line as a reader checks it: "5 % × (mục 1 + mục 2)"."""
        names = []
        for target in self.refs.targets(item):
            if len(target) == 2 and isinstance(target[1], int):
                names.append(f"mục {target[1] + 1}")
            else:
                names.append(f"“{self.refs.items[target].name}”")
        joined = " + ".join(names)
        return (
            f"{format_figure(item.percent or 0)} % × ({joined})"
            if len(names) > 1
            else f"{format_figure(item.percent or 0)} % × {joined}"
        )

    def item(self, item: BudgetItem, path: PathKey, number: str, depth: int, kind: str | None) -> ItemResult:
        kind = item.for_ or kind
        self.positive(item, path)
        self.ambiguous(path, path, ("quantity", "rate", "amount", "times"))
        children = tuple(
            self.item(sub, (*path, "breakdown", j), "", depth + 1, kind) for j, sub in enumerate(item.breakdown)
        )
        a = self.amounts(path)
        basis = self.basis(item) if item.percent is not None else ""
        formula = item.formula(self.unit)
        if basis:
            formula = f"{basis} = {format_figure(item.percent or 0)} % × {self.show(a.base or Fraction(0))}"
        mismatch = False
        if a.unrounded is not None and a.computed == a.unrounded and exact_decimal(a.unrounded) is None:
            self.find(
                INEXACT_AMOUNT,
                path,
                f"`{item.name}`: thành tiền tính lại {self.show(a.unrounded)} ({formula}) không phải một số đồng "
                "hữu hạn; hãy thêm cách làm tròn cho dự toán, ví dụ `rounding: {to: 1 đồng}` hoặc "
                "`rounding: {to: 1.000 đồng}`",
            )
        if a.computed is not None and a.declared is not None and a.computed != a.declared:
            mismatch = True
            rounded = ""
            if a.unrounded is not None and a.unrounded != a.computed:
                rounded = f", {self.show(a.unrounded)} trước khi làm tròn"
            self.find(
                AMOUNT_MISMATCH,
                path,
                f"`{item.name}`: thành tiền kê khai {self.show(a.declared)} khác thành tiền tính lại "
                f"{self.show(a.computed)} ({formula}{rounded}); chênh lệch "
                f"{self.show(abs(a.declared - a.computed))}",
            )
        # The item's amount is the declared one when there is one: a wrong rate × quantity is
        # BUD001's business, not a second finding here.
        own = a.declared if a.declared is not None else a.computed
        if a.breakdown is not None and own is not None and a.breakdown != own:
            mismatch = True
            what = "thành tiền kê khai" if a.declared is not None else "thành tiền tính lại"
            self.find(
                BREAKDOWN_MISMATCH,
                path,
                f"`{item.name}`: tổng các khoản chi tiết {self.show(a.breakdown)} khác {what} "
                f"{self.show(own)}; chênh lệch {self.show(abs(a.breakdown - own))}",
            )
        if a.computed is None and a.declared is None and a.breakdown is None:
            self.find(
                NO_AMOUNT,
                path,
                f"`{item.name}` không có định mức (`rate`), thành tiền (`amount`) hay chi tiết "
                "(`breakdown`): không tính được thành tiền",
            )
        counted = a.declared is not None or a.breakdown is not None
        factors = [item.quantity, *(m.value for m in item.times)]
        if item.rate is None and item.percent is None and counted and any(f is not None and f != 1 for f in factors):
            self.unused_multipliers(item, path, a.declared, a.breakdown)
        cap = self.norm(item, path, kind, a.value)
        return ItemResult(
            item=item,
            path=path,
            number=number,
            depth=depth,
            line=self.line(path),
            declared_vnd=_decimal(a.declared) if a.declared is not None else None,
            computed_vnd=_decimal(a.computed) if a.computed is not None else None,
            breakdown_vnd=_decimal(a.breakdown) if a.breakdown is not None else None,
            value_vnd=_decimal(a.value),
            children=children,
            mismatch=mismatch,
            unrounded_vnd=a.unrounded if a.unrounded is not None and a.unrounded != a.computed else None,
            basis=basis,
            base_vnd=_decimal(a.base) if a.base is not None else None,
            of_paths=tuple(self.refs.targets(item)),
            cap=cap,
        )

    def unused_multipliers(
        self, item: BudgetItem, path: PathKey, declared: Fraction | None, breakdown: Fraction | None
    ) -> None:
        keys = []
        if item.quantity is not None and item.quantity != 1:
            keys.append(f"số lượng (`quantity: {format_figure(item.quantity)}`)")
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
        # (what, value, how it is written): the text is only made for a value that is not positive
        checks: list[tuple[str, Decimal | Fraction, Callable[[], str]]] = []
        if item.quantity is not None:
            quantity = item.quantity
            checks.append(("số lượng (`quantity`)", quantity, lambda: format_figure(quantity)))
        if item.percent is not None:
            percent = item.percent
            checks.append(("tỷ lệ phần trăm (`percent`)", percent, lambda: format_figure(percent)))
        for what, money in (("định mức (`rate`)", item.rate), ("thành tiền (`amount`)", item.amount)):
            if money is not None:
                checks.append((what, money.number, lambda m=money: money_as_written(m)))  # type: ignore[misc]
        checks += [(f"hệ số nhân (`times[{k}]`)", m.value, m.shown) for k, m in enumerate(item.times)]
        for what, value, shown in checks:
            if value <= 0:
                self.find(NOT_POSITIVE, path, f"`{item.name}`: {what} phải lớn hơn 0, không phải {shown()}")

    # -- caps ---------------------------------------------------------------------------------

    def norm(self, item: BudgetItem, path: PathKey, kind: str | None, value: Fraction) -> ResolvedCap | None:
        if item.norm is None:
            return None
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
            return None
        cap = self.norms.resolve(item.norm)
        if kind is not None and found.cap.for_ and kind not in found.cap.for_:
            fits = self.norms.fitting(item.norm, kind)
            kinds = ", ".join(kind_name(k) for k in found.cap.for_)
            self.find(
                WRONG_KIND,
                path,
                f"`{item.name}`: khoản dành cho {kind_name(kind)} nhưng định mức `{item.norm}` chỉ áp dụng cho "
                f"{kinds}"
                + (
                    f"; mức dành cho {kind_name(kind)} là `{fits}` ({self.norms.resolve(fits).full()})"
                    if fits
                    else f"; không có định mức nào cùng loại cho {kind_name(kind)}"
                ),
            )
            return cap
        self._cited.setdefault(item.norm, []).append((path, value))
        if item.rate is None:
            if found.cap.share is None:
                self.find(
                    NORM_WITHOUT_RATE,
                    path,
                    f"`{item.name}` ghi định mức `{item.norm}` nhưng không có `rate`: không đối chiếu được",
                )
            return cap
        self.compare_with_cap(item, path, cap)
        return cap

    def compare_with_cap(self, item: BudgetItem, path: PathKey, cap: ResolvedCap) -> None:
        assert item.rate is not None
        norm = cap.norm
        rate = item.rate.exact_vnd(self.unit)
        rate_text = f"{format_approximate(rate)} đồng"
        if not norm.example:
            if rate > cap.max_vnd:
                self.find(
                    NORM_EXCEEDED,
                    path,
                    f"`{item.name}`: định mức {rate_text} vượt mức tối đa {cap.shown()} "
                    f"({norm.cap.name}; {cap.derivation() + '; ' if cap.chain else ''}{norm.source}); "
                    f"vượt {format_approximate(rate - cap.max_vnd)} đồng{_unverified(norm.cap.verified)}",
                )
            elif cap.min_vnd is not None and rate < cap.min_vnd:
                self.find(
                    BELOW_MINIMUM,
                    path,
                    f"`{item.name}`: định mức {rate_text} thấp hơn mức tối thiểu của khung "
                    f"{format_number(cap.min_vnd)} đồng – {cap.shown()} ({norm.cap.name}; {norm.source})",
                )
            return
        replace = (
            "đây là mức ví dụ, không trích từ văn bản quy phạm; hãy thay bằng mức của tỉnh "
            "(nghị quyết HĐND): một tệp định mức cùng mã trong thư mục `norms/` cạnh dự toán, hoặc qua `--norms`"
        )
        cap_id = norm.cap.id
        if rate > cap.max_vnd:
            self.find(
                EXAMPLE_NORM_EXCEEDED,
                path,
                f"`{item.name}`: định mức {rate_text} vượt mức ví dụ {cap.shown()} của `{cap_id}` "
                f"({norm.file}); {replace}",
            )
        elif cap_id not in self._example_noted:
            self._example_noted.add(cap_id)
            self.find(
                EXAMPLE_NORM,
                path,
                f"`{item.name}`: định mức {rate_text} chỉ được đối chiếu với mức ví dụ {cap.shown()} "
                f"của `{cap_id}` ({norm.file}); {replace}",
            )

    def shares(self) -> None:
        """BUD020: the items citing a cap with ``share`` add up to more than its share."""
        for norm_id, cited in self._cited.items():
            norm = self.norms.get(norm_id)
            if norm is None or norm.cap.share is None or norm.example:
                continue
            share = norm.cap.share
            of = self.norms.resolve(share.of)
            limit = Fraction(share.percent) / 100 * of.max_vnd
            total = sum((v for _, v in cited), Fraction(0))
            if total > limit:
                first = cited[0][0]
                self.find(
                    SHARE_EXCEEDED,
                    first,
                    f"tổng các khoản theo định mức `{norm_id}` ({len(cited)} khoản) là {self.show(total)}, vượt "
                    f"{format_number(share.percent)} % mức `{share.of}` ({of.full()}) = {self.show(limit)} "
                    f"({norm.source}); vượt {self.show(total - limit)}",
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
                    NOT_POSITIVE, (key,), f"{name} phải lớn hơn 0, không phải {money_as_written(money)}", key=True
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
                    f"số tiền bằng chữ “{b.total_in_words}” đọc ra đúng {format_number(total)} đồng nhưng "
                    f"viết không theo cách viết chuẩn; phải viết “{words}”"
                )
            else:
                shown = (
                    f"chữ đã ghi đọc ra {format_number(read)} đồng"
                    if read is not None
                    else "chữ đã ghi không đọc được thành số"
                )
                message = (
                    f"số tiền bằng chữ “{b.total_in_words}” ({shown}) không khớp tổng tính lại "
                    f"{format_number(total)} đồng; phải là “{words}”"
                )
            self.find(WORDS_MISMATCH, ("total_in_words",), message, key=True)
        return words


def check_budget(budget: Budget, doc: YamlDocument, norms: NormSet) -> BudgetReport:
    """Compute every item and the total, and run the checks of SPEC §5 and §5b (codes in the
    module doc).

    Pure: touches no files. ``doc`` is the document ``budget`` was validated from (for lines).
    InputError when the items' ids and percentage lines cannot be computed (a repeated id, an
    unknown id in ``of``, a loop).
    """
    refs = resolve_references(budget, doc)
    checker = _Checker(budget, doc, norms, refs)
    with exact_arithmetic():
        items = tuple(
            checker.item(item, ("items", i), str(i + 1), 0, budget.for_) for i, item in enumerate(budget.items)
        )
        checker.shares()
        exact_total = sum((checker.amounts(("items", i)).value for i in range(len(items))), Fraction(0))
        total = _decimal(exact_total)
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
