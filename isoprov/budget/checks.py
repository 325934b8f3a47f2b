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
    that reads two ways, ``"1.5 triệu"``, is an input error.)

Input errors (unknown keys, a money string that could be read two ways such as ``1.5 triệu``, a figure
with more than 30 digits before or after the decimal mark) are not
findings: :func:`~isoprov.core.validation.validate_document` reports them at their node.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from isoprov.budget.model import Budget, BudgetItem, exact_arithmetic, money_as_written
from isoprov.budget.norms import Norm, NormSet
from isoprov.budget.results import BudgetReport, ItemResult
from isoprov.core.diagnostics import Diagnostic, Severity
from isoprov.core.loading import PathKey, YamlDocument
from isoprov.core.numbers import format_number
from isoprov.core.vietnamese import amount_in_words, same_amount_words, to_unit, words_to_amount


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
    AMBIGUOUS_NUMBER,
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
            f'`"{yaml_reading} triệu đồng"` (số tiền) hoặc `"{yaml_reading}"` (số lượng)'
        )
    return (
        f"`{value}` có thể hiểu là {yaml_reading} (dấu `.` là dấu thập phân) hoặc {grouped} "
        f"(dấu `.` phân cách hàng nghìn) và đang được tính là {yaml_reading}; nếu là {grouped} "
        f"hãy viết `{plain}`, {other}"
    )


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
                checks.append((what, money.number, money_as_written(money)))
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
