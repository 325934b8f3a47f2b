"""Criteria sets (bộ tiêu chí đánh giá, chấm điểm) and their own checks (SPEC §1)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from isoprov.core.diagnostics import Diagnostic
from isoprov.core.loading import PathKey, YamlDocument
from isoprov.core.validation import Model, Points, bounded_points
from isoprov.core.vietnamese import format_number
from isoprov.scoring.measure import Measure, RoundRule

CriterionKind = Literal["score", "bonus", "penalty", "condition"]

Percent = Annotated[Decimal, Field(ge=0, le=100), AfterValidator(bounded_points)]

LEVEL_NAMES = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã"}


def level_name(level: str) -> str:
    """How a level is named in reports: ``tinh`` → "Cấp tỉnh"."""
    return LEVEL_NAMES.get(level, f"Cấp {level}")


class Option(Model):
    """A fixed point level of a criterion (mức điểm), e.g. "đầy đủ, đúng hạn: 2 điểm"."""

    points: Points = Field(description="Số điểm của mức này, trong khoảng 0..max")
    label: str = Field("", description="Mô tả mức điểm")


class Band(Model):
    """A classification band (xếp loại): total ≥ ``min`` gets ``label``, when its requirements
    (điều kiện xếp loại) hold too."""

    label: str = Field(description="Tên mức xếp loại, ví dụ Tốt, Khá")
    min: Points = Field(description="Điểm tối thiểu để đạt mức này")
    each_group_min_percent: Percent | None = Field(
        None, description="Mỗi nhóm tiêu chí cấp cao nhất phải đạt ít nhất bấy nhiêu % số điểm tối đa của nhóm"
    )
    each_criterion_min_percent: Percent | None = Field(
        None, description="Mỗi tiêu chí chấm điểm áp dụng phải đạt ít nhất bấy nhiêu % điểm tối đa của tiêu chí"
    )
    requires: tuple[str, ...] = Field((), description="Các tiêu chí điều kiện (kind: condition) phải Đạt")

    @property
    def has_requirements(self) -> bool:
        return (
            self.each_group_min_percent is not None
            or self.each_criterion_min_percent is not None
            or bool(self.requires)
        )


class Ranking(Model):
    """How results equal on the rounded total are ordered (xếp hạng khi bằng điểm)."""

    tie_break: tuple[str, ...] = Field(
        min_length=1,
        description="Lần lượt: `exact` (tổng điểm chưa làm tròn) hoặc mã một nhóm cấp cao nhất "
        "(điểm của nhóm, đã nhân hệ số); cao hơn xếp trên",
    )


class Criterion(Model):
    """A criterion (tiêu chí): a group with ``children`` or a leaf with ``max``."""

    id: str = Field(min_length=1, description="Mã tiêu chí, duy nhất trong bộ (ví dụ 1.1)")
    title: str = Field(min_length=1, description="Nội dung tiêu chí")
    max: Annotated[Decimal, Field(ge=0), AfterValidator(bounded_points)] | None = Field(None, description="Điểm tối đa")
    kind: CriterionKind = Field(
        "score",
        description="score: tiêu chí chấm điểm; bonus: điểm thưởng; penalty: điểm trừ; "
        "condition: điều kiện Đạt/Không đạt, không có điểm (dùng cho xếp loại)",
    )
    children: tuple[Criterion, ...] = Field((), description="Tiêu chí con (nếu là nhóm)")
    options: tuple[Option, ...] | None = Field(None, description="Các mức điểm được phép")
    evidence: bool = Field(False, description="Điểm > 0 phải có tài liệu kiểm chứng")
    levels: tuple[str, ...] | None = Field(None, description="Chỉ áp dụng cho các cấp này")
    na: bool = Field(False, description="Cơ quan được khai báo không áp dụng, kèm lý do")
    guidance: str = Field("", description="Hướng dẫn chấm điểm, tài liệu kiểm chứng cần có")
    measure: Measure | None = Field(
        None, description="Tiêu chí định lượng: cơ quan nhập giá trị đo, bộ tiêu chí quy ra điểm"
    )
    per: Annotated[Decimal, AfterValidator(bounded_points)] | None = Field(
        None,
        description="Điểm cho mỗi lần (tiêu chí tính theo số lần): dương: min(max, per × số lần); "
        "âm: max(0, max + per × số lần)",
    )
    weight: Annotated[Decimal, Field(gt=0), AfterValidator(bounded_points)] | None = Field(
        None, description="Hệ số của nhóm tiêu chí cấp cao nhất (mặc định 1)"
    )

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def applies_to(self, level: str) -> bool:
        return self.levels is None or level in self.levels

    @cached_property
    def option_points(self) -> frozenset[Decimal] | None:
        """The points of ``options`` as a set (equal Decimals hash alike: 2 and 2.0 are one),
        for the check of every entry against them."""
        return None if self.options is None else frozenset(o.points for o in self.options)


class CriteriaSet(Model):
    """A published criteria set (bộ tiêu chí) with its scale, levels and bands."""

    id: str = Field(min_length=1, description="Mã bộ tiêu chí; bản tự đánh giá tham chiếu mã này")
    title: str = Field(min_length=1, description="Tên bộ tiêu chí")
    source: str = Field("", description="Văn bản ban hành (ví dụ Quyết định 2532/QĐ-UBND)")
    scale: Points = Field(Decimal(100), gt=0, description="Thang điểm báo cáo kết quả")
    levels: tuple[str, ...] = Field(min_length=1, description="Các cấp cơ quan: tinh, huyen, xa")
    bands: tuple[Band, ...] | None = Field(
        None, min_length=1, description="Xếp loại, từ cao xuống thấp (bỏ trống: không xếp loại)"
    )
    criteria: tuple[Criterion, ...] = Field(min_length=1, description="Danh sách tiêu chí")
    rounding: RoundRule | None = Field(None, description="Làm tròn tổng điểm (mặc định: 2 chữ số thập phân, half-up)")
    max_total: Points | None = Field(None, gt=0, description="Trần tổng điểm sau điểm thưởng (mặc định: bằng scale)")
    ranking: Ranking | None = Field(None, description="Thứ tự xếp hạng khi bằng tổng điểm đã làm tròn")

    @cached_property
    def uses_rules(self) -> bool:
        """Whether the set uses any key of SPEC §3b; a set that does not scores exactly as §3."""
        if self.bands is None or self.rounding is not None or self.max_total is not None or self.ranking is not None:
            return True
        if any(b.has_requirements for b in self.bands):
            return True
        return any(
            c.kind == "condition" or c.measure is not None or c.per is not None or c.weight is not None
            for c in self.index.values()
        )

    @cached_property
    def score_plan(self) -> tuple[tuple[Criterion, str, bool | None], ...]:
        """Each leaf with its top-level group and its rule: True when measured or counted,
        False for fixed points, None for a condition (the scoring loop reads this, not the
        models' fields, once per leaf and file)."""
        group_of = self.group_of
        return tuple(
            (
                c,
                group_of[c.id],
                None if c.kind == "condition" else (c.measure is not None or c.per is not None),
            )
            for c in self.leaves
        )

    @cached_property
    def conditions(self) -> tuple[Criterion, ...]:
        """The condition criteria (kind: condition), as :meth:`walk` gives them."""
        return tuple(c for c in self.leaves if c.kind == "condition")

    @cached_property
    def weights(self) -> dict[str, Decimal]:
        """Top-level score criterion id → its weight (hệ số), 1 where none is given."""
        return {c.id: c.weight or Decimal(1) for c in self.criteria if c.kind == "score"}

    @cached_property
    def index(self) -> dict[str, Criterion]:
        """Every criterion by id (first one wins when ids repeat: the check reports the rest)."""
        out: dict[str, Criterion] = {}
        for entry in self.walk():
            out.setdefault(entry.criterion.id, entry.criterion)
        return out

    @cached_property
    def leaves(self) -> tuple[Criterion, ...]:
        return tuple(e.criterion for e in self.walk() if e.criterion.is_leaf)

    @cached_property
    def group_of(self) -> dict[str, str]:
        """Leaf id → id of its top-level criterion (the group reported per agency)."""
        return {e.criterion.id: e.top.id for e in self.walk() if e.criterion.is_leaf}

    def walk(self) -> Iterator[CriterionAt]:
        """All criteria depth-first, with their path in the file and their top-level criterion.

        A group's ``levels``, ``evidence`` and ``na`` hold for everything under it: each criterion
        comes with the levels it and all its groups share, and with ``evidence``/``na`` set when
        it or one of its groups sets them (a group "chỉ áp dụng cho cấp xã" covers its leaves).
        """
        for i, top in enumerate(self.criteria):
            yield from _walk(top, ("criteria", i), top, _Inherited())

    def walk_as_written(self) -> Iterator[CriterionAt]:
        """All criteria depth-first exactly as the file gives them (for the file's own checks)."""
        for i, top in enumerate(self.criteria):
            yield from _walk(top, ("criteria", i), top, None)

    def band_for(self, total: Decimal) -> str | None:
        """The first band whose ``min`` ≤ total, requirements aside (None: the set has no bands)."""
        if self.bands is None:
            return None
        for band in self.bands:
            if band.min <= total:
                return band.label
        return self.bands[-1].label


@dataclass(frozen=True, slots=True)
class CriterionAt:
    criterion: Criterion
    path: PathKey
    top: Criterion


@dataclass(frozen=True, slots=True)
class _Inherited:
    """What the groups above a criterion impose on it."""

    levels: tuple[str, ...] | None = None
    evidence: bool = False
    na: bool = False

    def apply(self, c: Criterion) -> tuple[Criterion, _Inherited]:
        levels = c.levels
        if self.levels is not None:
            levels = self.levels if levels is None else tuple(lv for lv in levels if lv in self.levels)
        inherited = _Inherited(levels, self.evidence or c.evidence, self.na or c.na)
        if (levels, inherited.evidence, inherited.na) == (c.levels, c.evidence, c.na):
            return c, inherited
        return c.model_copy(update={"levels": levels, "evidence": inherited.evidence, "na": inherited.na}), inherited


def _walk(criterion: Criterion, path: PathKey, top: Criterion, above: _Inherited | None) -> Iterator[CriterionAt]:
    effective, below = (criterion, None) if above is None else above.apply(criterion)
    yield CriterionAt(effective, path, top)
    for j, child in enumerate(criterion.children):
        yield from _walk(child, (*path, "children", j), top, below)


def possible_max(c: Criterion) -> Decimal:
    """A criterion's maximum: its ``max``, or for a group without one the sum of its children's."""
    if c.max is not None or not c.children:
        return c.max or Decimal(0)
    return sum((possible_max(ch) for ch in c.children if ch.kind == "score"), Decimal(0))


def check_criteria_set(cs: CriteriaSet, doc: YamlDocument) -> list[Diagnostic]:
    """The checks of SPEC §1 that a schema cannot express, each located in the file."""
    out: list[Diagnostic] = []
    first: dict[str, PathKey] = {}
    known_levels = set(cs.levels)
    for at in cs.walk_as_written():
        c, path = at.criterion, at.path
        if c.id in first:
            line = doc.source.locate(first[c.id])
            where = f" (lần đầu ở dòng {line.line})" if line else ""
            out.append(doc.diagnostic((*path, "id"), f"mã tiêu chí `{c.id}` bị trùng{where}"))
        else:
            first[c.id] = path
        out.extend(_check_shape(c, path, top_level=len(path) == 2, doc=doc))
        for k, level in enumerate(c.levels or ()):
            if level not in known_levels:
                out.append(
                    doc.diagnostic(
                        (*path, "levels", k),
                        f"cấp `{level}` không có trong `levels` của bộ tiêu chí ({', '.join(cs.levels)})",
                    )
                )
    out.extend(_check_bands(cs, doc))
    if cs.uses_rules:
        from isoprov.scoring.rule_checks import check_rules

        out.extend(check_rules(cs, doc))
    return out


def _check_shape(c: Criterion, path: PathKey, *, top_level: bool, doc: YamlDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if c.kind == "condition":
        return out  # a condition's shape is a rule of §3b (rule_checks)
    if c.kind != "score":
        if not top_level:
            out.append(
                doc.diagnostic(
                    (*path, "kind"),
                    f"điểm thưởng/điểm trừ `{c.id}` chỉ được đặt ở cấp cao nhất, không nằm trong một nhóm",
                )
            )
        elif c.children:
            out.append(doc.diagnostic(path, f"điểm thưởng/điểm trừ `{c.id}` phải là tiêu chí lá (không có `children`)"))
        if c.max is None:
            out.append(doc.diagnostic(path, f"tiêu chí `{c.id}` thiếu `max`"))
        return out
    if c.children:
        if c.options is not None:
            out.append(doc.diagnostic((*path, "options"), "nhóm tiêu chí không có `options`; chỉ tiêu chí lá mới có"))
        child_sum = sum((possible_max(ch) for ch in c.children if ch.kind == "score"), Decimal(0))
        if c.max is not None and c.max != child_sum:
            out.append(
                doc.diagnostic(
                    (*path, "max"),
                    f"nhóm `{c.id}` khai báo max = {format_number(c.max)} nhưng tổng điểm tối đa "
                    f"các tiêu chí con là {format_number(child_sum)}",
                )
            )
        return out  # a bonus or penalty child is reported by its own check (not top level)
    if c.max is None:
        out.append(doc.diagnostic(path, f"tiêu chí lá `{c.id}` thiếu `max` (điểm tối đa)"))
        return out
    if c.options is not None:
        values = [o.points for o in c.options]
        for k, value in enumerate(values):
            if not Decimal(0) <= value <= c.max:
                out.append(
                    doc.diagnostic(
                        (*path, "options", k, "points"),
                        f"mức điểm {format_number(value)} nằm ngoài khoảng 0..{format_number(c.max)}",
                    )
                )
        if c.max not in values:
            out.append(
                doc.diagnostic(
                    (*path, "options"),
                    f"các mức điểm của `{c.id}` phải có mức bằng điểm tối đa {format_number(c.max)}",
                    key=True,
                )
            )
    return out


def _check_bands(cs: CriteriaSet, doc: YamlDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if cs.bands is None:
        return out
    for k in range(1, len(cs.bands)):
        if cs.bands[k].min >= cs.bands[k - 1].min:
            out.append(
                doc.diagnostic(
                    ("bands", k, "min"),
                    f"xếp loại phải theo thứ tự giảm dần: `{cs.bands[k].label}` "
                    f"({format_number(cs.bands[k].min)}) không thấp hơn `{cs.bands[k - 1].label}` "
                    f"({format_number(cs.bands[k - 1].min)})",
                )
            )
    if cs.bands[-1].min != 0:
        out.append(
            doc.diagnostic(
                ("bands", len(cs.bands) - 1, "min"),
                f"mức xếp loại cuối cùng phải có min = 0 (đang là {format_number(cs.bands[-1].min)})",
            )
        )
    return out
