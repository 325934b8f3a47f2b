"""The checks of SPEC §3b on a criteria set: measured and counted criteria, conditions, weights,
band requirements, the ceiling and the tie-break, each error located in the file.

Run only for a set that uses one of these keys (:attr:`CriteriaSet.uses_rules`).
"""

from __future__ import annotations

from decimal import Decimal

from isoprov.core.diagnostics import Diagnostic
from isoprov.core.loading import PathKey, YamlDocument
from isoprov.core.vietnamese import format_number
from isoprov.scoring.criteria import CriteriaSet, Criterion
from isoprov.scoring.measure import Measure

EXACT = "exact"
_HUNDRED = Decimal(100)


def check_rules(cs: CriteriaSet, doc: YamlDocument) -> list[Diagnostic]:
    """Every §3b error of ``cs``, in the order of the file."""
    out: list[Diagnostic] = []
    for at in cs.walk_as_written():
        out.extend(_check_criterion(at.criterion, at.path, top_level=len(at.path) == 2, doc=doc))
    out.extend(_check_band_requirements(cs, doc))
    if cs.max_total is not None and cs.max_total < cs.scale:
        out.append(
            doc.diagnostic(
                ("max_total",),
                f"trần tổng điểm `max_total` ({format_number(cs.max_total)}) không được thấp hơn thang điểm "
                f"`scale` ({format_number(cs.scale)})",
            )
        )
    out.extend(_check_ranking(cs, doc))
    return out


def _check_criterion(c: Criterion, path: PathKey, *, top_level: bool, doc: YamlDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if c.weight is not None and not (top_level and c.kind == "score"):
        out.append(
            doc.diagnostic(
                (*path, "weight"),
                f"hệ số `weight` của `{c.id}` chỉ đặt được ở nhóm tiêu chí chấm điểm cấp cao nhất",
            )
        )
    if c.kind == "condition":
        return out + _check_condition(c, path, doc)
    for key, given in (("measure", c.measure is not None), ("per", c.per is not None)):
        if not given:
            continue
        if c.children:
            out.append(doc.diagnostic((*path, key), f"nhóm `{c.id}` không có `{key}`; chỉ tiêu chí lá mới có"))
        elif c.options is not None:
            out.append(
                doc.diagnostic(
                    (*path, key),
                    f"tiêu chí `{c.id}` có `options` (mức điểm cố định) thì không dùng `{key}`",
                )
            )
    if c.measure is not None and c.per is not None:
        out.append(
            doc.diagnostic(
                (*path, "per"),
                f"tiêu chí `{c.id}` chỉ dùng một trong `measure` (giá trị đo) hoặc `per` (số lần), không dùng cả hai",
            )
        )
    if c.per is not None and c.per == 0:
        out.append(doc.diagnostic((*path, "per"), "`per` (điểm mỗi lần) phải khác 0: dương để cộng, âm để trừ dần"))
    if c.measure is not None and not c.children:
        out.extend(_check_measure(c, c.measure, (*path, "measure"), doc))
    return out


def _check_condition(c: Criterion, path: PathKey, doc: YamlDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if c.children:
        out.append(doc.diagnostic(path, f"điều kiện `{c.id}` phải là tiêu chí lá (không có `children`)"))
    for key, given in (
        ("max", c.max is not None),
        ("options", c.options is not None),
        ("measure", c.measure is not None),
        ("per", c.per is not None),
        ("na", c.na),
    ):
        if given:
            out.append(
                doc.diagnostic(
                    (*path, key),
                    f"điều kiện `{c.id}` (kind: condition) chỉ nhận Đạt/Không đạt, không có `{key}`",
                    key=True,
                )
            )
    return out


def _check_measure(c: Criterion, m: Measure, path: PathKey, doc: YamlDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if m.points is not None and m.full_at is not None:
        out.append(
            doc.diagnostic(
                (*path, "full_at"),
                "chỉ dùng một trong `points` (bảng mức) hoặc `full_at` (tỷ lệ), không dùng cả hai",
                key=True,
            )
        )
        return out
    if m.points is None and m.full_at is None:
        out.append(
            doc.diagnostic(
                path,
                f"`measure` của `{c.id}` cần `points` (bảng mức) hoặc `full_at` (giá trị đạt điểm tối đa)",
                key=True,
            )
        )
        return out
    if m.full_at is not None:
        if m.percent and m.full_at > _HUNDRED:
            out.append(
                doc.diagnostic(
                    (*path, "full_at"), f"`full_at` là tỷ lệ % nên không quá 100 ({format_number(m.full_at)})"
                )
            )
        return out
    assert m.points is not None
    table: PathKey = (*path, "points")
    for k in range(1, len(m.points)):
        if m.points[k].min >= m.points[k - 1].min:
            out.append(
                doc.diagnostic(
                    (*table, k, "min"),
                    f"bảng mức phải theo thứ tự `min` giảm dần: {format_number(m.points[k].min)} "
                    f"không thấp hơn mức trên ({format_number(m.points[k - 1].min)})",
                )
            )
    if m.points[-1].min != 0:
        out.append(
            doc.diagnostic(
                (*table, len(m.points) - 1, "min"),
                f"mức cuối cùng của bảng phải có min = 0 (đang là {format_number(m.points[-1].min)})",
            )
        )
    if m.percent:
        for k, row in enumerate(m.points):
            if row.min > _HUNDRED:
                out.append(
                    doc.diagnostic(
                        (*table, k, "min"), f"ngưỡng là tỷ lệ % nên không quá 100 ({format_number(row.min)})"
                    )
                )
    if c.max is None:
        return out  # reported by the shape check
    for k, row in enumerate(m.points):
        if not Decimal(0) <= row.points <= c.max:
            out.append(
                doc.diagnostic(
                    (*table, k, "points"),
                    f"mức điểm {format_number(row.points)} nằm ngoài khoảng 0..{format_number(c.max)}",
                )
            )
    if all(row.points != c.max for row in m.points):
        out.append(
            doc.diagnostic(
                table,
                f"bảng mức của `{c.id}` phải có mức bằng điểm tối đa {format_number(c.max)}",
                key=True,
            )
        )
    return out


def _check_band_requirements(cs: CriteriaSet, doc: YamlDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if cs.bands is None:
        return out
    last = len(cs.bands) - 1
    for k, band in enumerate(cs.bands):
        if k == last and band.has_requirements:
            out.append(
                doc.diagnostic(
                    ("bands", k),
                    f"mức xếp loại cuối cùng (`{band.label}`) không được có điều kiện: "
                    "mọi kết quả phải có một mức xếp loại",
                )
            )
        for j, cid in enumerate(band.requires):
            criterion = cs.index.get(cid)
            if criterion is None:
                problem = f"không có tiêu chí `{cid}` trong bộ tiêu chí"
            elif criterion.kind != "condition":
                problem = f"`{cid}` không phải tiêu chí điều kiện (kind: condition)"
            else:
                continue
            conditions = [c.id for c in cs.index.values() if c.kind == "condition"]
            hint = f"; các điều kiện: {', '.join(conditions)}" if conditions else ""
            out.append(doc.diagnostic(("bands", k, "requires", j), f"`requires` của `{band.label}`: {problem}{hint}"))
    return out


def _check_ranking(cs: CriteriaSet, doc: YamlDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if cs.ranking is None:
        return out
    groups = [c.id for c in cs.criteria if c.kind == "score"]
    seen: set[str] = set()
    for k, key in enumerate(cs.ranking.tie_break):
        where: PathKey = ("ranking", "tie_break", k)
        if key in seen:
            out.append(doc.diagnostic(where, f"`{key}` đã có trong `tie_break`"))
        elif key != EXACT and key not in groups:
            out.append(
                doc.diagnostic(
                    where,
                    f"`{key}` không phải `exact` hay mã một nhóm tiêu chí cấp cao nhất ({', '.join(groups)})",
                )
            )
        seen.add(key)
    return out
