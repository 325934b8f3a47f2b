"""Self-assessments (bản tự đánh giá, chấm điểm) and their checks against a criteria set (SPEC §2–3)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Annotated, Any, Union

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from isoprov.core.diagnostics import Diagnostic, InputError, Severity
from isoprov.core.loading import PathKey, YamlDocument
from isoprov.core.validation import Model, Points, validate_document
from isoprov.core.vietnamese import format_number
from isoprov.scoring.criteria import CriteriaSet, Criterion
from isoprov.scoring.measure import Counts, EntryValue, Ratio
from isoprov.scoring.points import points_of


class Agency(Model):
    """The assessed agency (cơ quan được đánh giá)."""

    code: str = Field(min_length=1, description="Mã cơ quan, duy nhất trong một kỳ đánh giá")
    name: str = Field(min_length=1, description="Tên cơ quan")
    level: str = Field(min_length=1, description="Cấp: tinh, huyen, xa (theo bộ tiêu chí)")


_POINTS_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

#: A condition's result as the form and officials write it (Đạt / Không đạt), besides true/false.
PASS_FAIL = {"đạt": True, "không đạt": False}


def _pass_fail(value: Any) -> Any:
    if isinstance(value, str):
        return PASS_FAIL.get(" ".join(value.split()).lower(), value)
    return value


def _value_kind(value: Any) -> str:
    """Which kind of input an entry's ``self``/``team`` is, by its type as loaded."""
    if value.__class__ is Decimal:  # the common case first, without an ABC check
        return "number"
    if isinstance(value, bool) or (isinstance(value, str) and _pass_fail(value) is not value):
        return "bool"
    if isinstance(value, dict | Ratio):
        return "ratio"
    return "number"


#: Points, a measured value or a count (a number); two counts ``{count, of}``; or a condition's
#: result (true/false, Đạt/Không đạt). Which one a criterion takes is checked against the set.
Value = Annotated[
    Union[  # noqa: UP007 - the tagged members need the Union form
        Annotated[Points, Tag("number")],
        Annotated[Ratio, Tag("ratio")],
        Annotated[bool, BeforeValidator(_pass_fail), Tag("bool")],
    ],
    Discriminator(_value_kind),
]


class ScoreEntry(Model):
    """Points for one criterion: the agency's own (tự chấm) and the team's (thẩm định).

    Shorthand: a bare number is the self score, ``"1.1": 2``.
    """

    self_points: Value | None = Field(
        None,
        alias="self",
        description="Điểm tự chấm; với tiêu chí định lượng: giá trị đo hoặc {count, of}; "
        "tiêu chí tính theo số lần: số lần; điều kiện: true (Đạt) / false (Không đạt)",
    )
    team: Value | None = Field(
        None, description="Điểm (hoặc giá trị, số lần, Đạt/Không đạt) thẩm định của đoàn đánh giá"
    )
    evidence: tuple[str, ...] = Field((), description="Tài liệu kiểm chứng")
    note: str = Field("", description="Ghi chú")
    na: str | None = Field(None, description="Lý do không áp dụng (chỉ với tiêu chí cho phép)")

    model_config = ConfigDict(**Model.model_config, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):  # the common case first
            if "count" in value and not value.keys() & {"self", "team", "na"}:
                return {"self": value}  # "3.1": {count: 193, of: 200}
            return value
        if isinstance(value, Decimal | int | bool):
            return {"self": value}  # a number, or a condition's true/false
        if isinstance(value, str) and _POINTS_TEXT.fullmatch(value.strip()):
            return {"self": value.strip()}  # "2" in quotes: the same number as {self: "2"}
        if isinstance(value, str) and _value_kind(value) == "bool":
            return {"self": value}  # Đạt / Không đạt
        if isinstance(value, str):
            raise ValueError(
                f"điểm phải là một số (ví dụ 2 hoặc 1.5), không phải `{value}`; "
                "hoặc một bảng {self: ..., team: ..., evidence: [...]}"
            )
        return value

    @field_validator("evidence", mode="before")
    @classmethod
    def _one_evidence(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("evidence", mode="after")
    @classmethod
    def _no_blank_evidence(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """An empty entry (`evidence: [""]`) names no document: it is not evidence."""
        if all(map(str.strip, value)):  # the common case, without building a new tuple
            return value
        return tuple(e for e in value if e.strip())

    @field_validator("na", mode="before")
    @classmethod
    def _na_reason(cls, value: Any) -> Any:
        # `na:` written with nothing after it is a declaration without its reason, not no declaration
        if value is None or isinstance(value, bool) or not isinstance(value, str) or not value.strip():
            raise ValueError("`na` phải ghi lý do không áp dụng, ví dụ `na: Cơ quan không có TTHC liên thông`")
        return value

    @model_validator(mode="after")
    def _na_excludes_points(self) -> ScoreEntry:
        if self.na is not None and (self.self_points is not None or self.team is not None):
            raise ValueError("tiêu chí đã khai báo không áp dụng (`na`) thì không chấm điểm `self`/`team`")
        if self.na is None and self.self_points is None and self.team is None:
            raise ValueError("cần ít nhất một trong `self`, `team` hoặc `na`")
        return self

    @property
    def final(self) -> EntryValue | None:
        """Final input: the team's where given, otherwise the agency's own."""
        return self.team if self.team is not None else self.self_points


class Assessment(Model):
    """One agency's self-assessment for one criteria set and period."""

    agency: Agency = Field(description="Cơ quan tự đánh giá: mã, tên, cấp")
    criteria: str = Field(min_length=1, description="Mã bộ tiêu chí")
    period: str = Field(min_length=1, description="Kỳ đánh giá, ví dụ 2020")
    scores: dict[str, ScoreEntry] = Field(default_factory=dict, description="Điểm theo mã tiêu chí")


class PartialAssessmentError(InputError):
    """An assessment whose agency, criteria set and period are valid but some score entries are
    not: ``partial`` holds the valid entries, so that they can still be checked against the set
    and every error of the file is reported at once (a typo in one entry must not hide an
    out-of-range score in another)."""

    def __init__(self, diagnostics: Iterable[Diagnostic], partial: Assessment, dropped: frozenset[str]) -> None:
        super().__init__(diagnostics)
        self.partial = partial
        self.dropped = dropped


def load_assessment(doc: YamlDocument) -> Assessment:
    """Validate a loaded document as an :class:`Assessment`.

    Raises :class:`InputError`, or :class:`PartialAssessmentError` when the valid part of the
    file can still be checked against its criteria set.
    """
    try:
        return validate_document(Assessment, doc)
    except InputError as exc:
        found = _partial(doc.data)
        if found is None:
            raise
        raise PartialAssessmentError(exc.diagnostics, *found) from None


def _partial(data: Any) -> tuple[Assessment, frozenset[str]] | None:
    if not isinstance(data, dict):
        return None
    scores = data.get("scores")
    if scores is not None and not isinstance(scores, dict):
        return None
    valid: dict[str, Any] = {}
    dropped: set[str] = set()
    for cid, entry in (scores or {}).items():
        try:
            ScoreEntry.model_validate(entry)
        except ValidationError:
            dropped.add(cid)
            continue
        valid[cid] = entry
    head = {key: data[key] for key in ("agency", "criteria", "period") if key in data}
    try:
        return Assessment.model_validate({**head, "scores": valid}), frozenset(dropped)
    except ValidationError:
        return None


def check_partial(
    exc: PartialAssessmentError, cs: CriteriaSet, doc: YamlDocument, *, strict: bool = False
) -> list[Diagnostic]:
    """The file's own errors, then what checking its valid entries against ``cs`` finds (an entry
    left out because it is invalid is not reported again as missing; nor is any when the file's
    `scores` could not be read at all: a misspelt `score:` is one error, not one per leaf)."""
    invalid: Collection[str] = exc.dropped
    if not isinstance(doc.value_at(("scores",)), dict):
        invalid = cs.index.keys()
    return [*exc.diagnostics, *check_assessment(exc.partial, cs, doc, strict=strict, invalid=invalid)]


def check_assessment(
    a: Assessment, cs: CriteriaSet, doc: YamlDocument, *, strict: bool = False, invalid: Collection[str] = ()
) -> list[Diagnostic]:
    """Errors and warnings of SPEC §3 for one assessment against its criteria set (``invalid``:
    ids whose entries failed validation, already reported, so not reported as missing)."""
    out: list[Diagnostic] = []
    level = a.agency.level
    if level not in cs.levels:
        out.append(
            doc.diagnostic(
                ("agency", "level"),
                f"cấp `{level}` không có trong bộ tiêu chí `{cs.id}`; các cấp hợp lệ: {', '.join(cs.levels)}",
            )
        )
        return out
    for cid, entry in a.scores.items():
        path: PathKey = ("scores", cid)
        criterion = cs.index.get(cid)
        if criterion is None:
            out.append(doc.diagnostic(path, f"mã tiêu chí `{cid}` không có trong bộ tiêu chí `{cs.id}`", key=True))
            continue
        if not criterion.is_leaf:
            out.append(
                doc.diagnostic(
                    path,
                    f"`{cid}` là nhóm tiêu chí; chỉ chấm điểm các tiêu chí con "
                    f"({', '.join(ch.id for ch in criterion.children)})",
                    key=True,
                )
            )
            continue
        out.extend(_check_entry(criterion, entry, path, level, doc))
    severity = Severity.ERROR if strict else Severity.WARNING
    applicable = [leaf for leaf in cs.leaves if leaf.kind == "score" and leaf.applies_to(level)]
    for leaf in applicable:
        if leaf.id not in a.scores and leaf.id not in invalid:
            out.append(
                doc.diagnostic(
                    ("scores",),
                    f"tiêu chí `{leaf.id}` ({leaf.title}) chưa được chấm; tính 0 điểm",
                    key=True,
                    severity=severity,
                    code="missing-entry",
                )
            )
    if cs.uses_rules:
        for leaf in cs.conditions:
            if (
                leaf.kind == "condition"
                and leaf.applies_to(level)
                and leaf.id not in a.scores
                and leaf.id not in invalid
            ):
                out.append(
                    doc.diagnostic(
                        ("scores",),
                        f"điều kiện `{leaf.id}` ({leaf.title}) chưa được đánh giá; tính là Không đạt",
                        key=True,
                        severity=severity,
                        code="missing-entry",
                    )
                )
    if all(leaf.id in a.scores and a.scores[leaf.id].na is not None for leaf in applicable):
        out.append(
            doc.diagnostic(
                ("scores",),
                f"không còn tiêu chí nào của bộ `{cs.id}` áp dụng cho cơ quan cấp `{level}` "
                "(tất cả đều không áp dụng): không quy đổi được, tổng điểm chỉ gồm điểm thưởng trừ điểm trừ",
                key=True,
                severity=Severity.WARNING,
                code="nothing-applicable",
            )
        )
    return out


def _check_entry(c: Criterion, entry: ScoreEntry, path: PathKey, level: str, doc: YamlDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not c.applies_to(level):
        out.append(
            doc.diagnostic(
                path,
                f"tiêu chí `{c.id}` không áp dụng cho cấp `{level}`; điểm này bị bỏ qua",
                key=True,
                severity=Severity.WARNING,
                code="not-applicable-level",
            )
        )
        return out
    if entry.na is not None:
        if not c.na or c.kind == "condition":
            out.append(
                doc.diagnostic(
                    (*path, "na"),
                    f"tiêu chí `{c.id}` không cho phép khai báo không áp dụng (`na`)",
                )
            )
        return out
    positive = False
    want_evidence = c.evidence and not entry.evidence  # only then does "positive" matter
    for field, value in (("self", entry.self_points), ("team", entry.team)):
        if value is None:
            continue
        problem = _input_problem(c, value)
        if problem:
            at: PathKey = (*path, field) if (*path, field) in doc.source.values else path
            out.append(doc.diagnostic(at, problem))
        if not want_evidence or positive:
            continue
        if isinstance(value, Decimal) and c.kind != "condition" and c.measure is None and c.per is None:
            positive = value > 0  # fixed points (also out of range: as in §3)
        elif not problem:
            positive = value is True if c.kind == "condition" else points_of(c, value) > 0
    if positive:
        what = "được đánh giá Đạt" if c.kind == "condition" else "có điểm lớn hơn 0"
        out.append(
            doc.diagnostic(
                path,
                f"tiêu chí `{c.id}` {what} nhưng chưa có tài liệu kiểm chứng (`evidence`)",
                key=True,
                severity=Severity.WARNING,
                code="no-evidence",
            )
        )
    return out


_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def _input_problem(c: Criterion, value: EntryValue) -> str | None:
    """What is wrong with one input for criterion ``c``, or None (SPEC §3, §3b)."""
    if value.__class__ is Decimal and c.measure is None and c.per is None and c.kind != "condition":
        return _points_problem(c, value)  # the common case first: points for fixed points
    if c.kind == "condition":
        if isinstance(value, bool):
            return None
        return f"`{c.id}` là điều kiện: chỉ nhận true (Đạt) hoặc false (Không đạt), không phải `{_shown(value)}`"
    if isinstance(value, bool):
        if c.measure is None and c.per is None:  # as the file's own check words it (SPEC §3)
            return (
                f"điểm phải là một số (ví dụ 2 hoặc 1.5), không phải `{_shown(value)}`; "
                "true/false (Đạt/Không đạt) chỉ dùng cho tiêu chí điều kiện"
            )
        return f"tiêu chí `{c.id}` cần {_wanted(c)}, không phải Đạt/Không đạt (`{_shown(value)}`)"
    if value.__class__ is Ratio:  # Speed: not isinstance (an ABC check per entry)
        if c.measure is not None:
            return None
        return f"tiêu chí `{c.id}` cần {_wanted(c)}; chỉ tiêu chí định lượng (`measure`) mới nhận {{count, of}}"
    assert isinstance(value, Decimal)
    if c.measure is not None:
        if value < 0:
            return f"giá trị đo của `{c.id}` không được âm ({format_number(value)})"
        if c.measure.percent and value > _HUNDRED:
            return f"giá trị của `{c.id}` là tỷ lệ %, không quá 100 ({format_number(value)})"
        return None
    if c.per is not None:
        if value < 0 or value != value.to_integral_value():
            return f"số lần của `{c.id}` phải là số nguyên không âm, không phải {format_number(value)}"
        return None
    return _points_problem(c, value)


def _wanted(c: Criterion) -> str:
    if c.measure is not None:
        return f"giá trị đo ({c.measure.unit}) hoặc {{count, of}}"
    if c.per is not None:
        return "số lần (số nguyên)"
    return "điểm (một số)"


def _shown(value: EntryValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Ratio | Counts):
        return f"{{count: {format_number(value.count)}, of: {format_number(value.of)}}}"
    return format_number(value)


def _points_problem(c: Criterion, value: Decimal) -> str | None:
    assert c.max is not None
    if not _ZERO <= value <= c.max:
        return f"điểm {format_number(value)} nằm ngoài khoảng cho phép 0..{format_number(c.max)} của tiêu chí `{c.id}`"
    if c.option_points is not None and value not in c.option_points:
        allowed = ", ".join(format_number(o.points) for o in c.options or ())
        return f"điểm {format_number(value)} không phải một mức của tiêu chí `{c.id}`; các mức cho phép: {allowed}"
    return None
