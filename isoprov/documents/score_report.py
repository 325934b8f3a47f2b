"""The figures of a score report (báo cáo kết quả chấm điểm): the assessments it names scored, ranked
per level, counted per band, averaged per criteria group, and the agencies that have not submitted."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoprov.core.diagnostics import Diagnostic, InputError, Severity
from isoprov.core.loading import YamlDocument
from isoprov.documents.model import ReportSource, resolve

if TYPE_CHECKING:
    from isoprov.scoring.batch import Batch
    from isoprov.scoring.catalog import Catalog


def score_report(
    spec: ReportSource, source: YamlDocument, base_dir: Path
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Score the assessments a report names (:mod:`isoprov.pipeline.score`) and gather what
    the report shows: ranking per level, counts per band, averages per criteria group, agencies
    that have not submitted. Any invalid assessment is an error: a report must not silently
    leave an agency out."""
    from isoprov.pipeline.score import assessment_files, score_found
    from isoprov.scoring.catalog import Catalog
    from isoprov.scoring.registry import Registry, load_registry

    diagnostics: list[Diagnostic] = []
    paths = []
    for key, names in (("assessments", spec.assessments), ("criteria", spec.criteria)):
        for i, name in enumerate(names):
            path = resolve(base_dir, name)
            if not path.exists():
                diagnostics.append(source.diagnostic(("report", key, i), f"không tìm thấy `{path}`"))
            paths.append((key, path))
    registry: Registry | None = None
    if spec.agencies is not None:
        path = resolve(base_dir, spec.agencies)
        if not path.is_file():
            diagnostics.append(source.diagnostic(("report", "agencies"), f"không tìm thấy `{path}`"))
        else:
            try:
                registry = load_registry(path)
            except InputError as exc:
                diagnostics.extend(exc.diagnostics)
    if diagnostics:
        return None, diagnostics
    catalog = Catalog.default([p for k, p in paths if k == "criteria"])
    catalog.load_explicit()
    found = assessment_files([p for k, p in paths if k == "assessments"])
    batch = score_found(found, catalog, strict=spec.strict, registry=registry)
    named = ", ".join(f"`{name}`" for name in spec.assessments)
    scanned = f"đã đọc {len(found.files)} tệp tự đánh giá (.yaml, .xlsx) từ {named}"
    diagnostics.append(source.diagnostic(("report", "assessments"), scanned, severity=Severity.NOTE))
    diagnostics.extend(batch.diagnostics)
    if not batch.ok:
        return None, diagnostics
    if not batch.results:
        diagnostics.append(source.diagnostic(("report", "assessments"), "không có bản tự đánh giá nào để lập báo cáo"))
        return None, diagnostics
    return _summarise(batch, catalog, registry is not None), diagnostics


def _summarise(batch: Batch, catalog: Catalog, has_registry: bool) -> dict[str, Any]:
    from isoprov.scoring.criteria import level_name
    from isoprov.scoring.rules import round_points

    zero = Decimal(0)
    sets: list[dict[str, Any]] = []
    for r in batch.results:
        if not sets or (sets[-1]["criteria"], sets[-1]["period"]) != (r.criteria, r.period):
            cs = catalog.get(r.criteria)
            sets.append(
                {
                    "criteria": r.criteria,
                    "criteria_title": cs.title if cs is not None else r.criteria,
                    "criteria_source": cs.source if cs is not None else "",
                    "period": r.period,
                    "bands": [b.label for b in cs.bands or ()] if cs is not None else [],
                    "levels": [],
                }
            )
        levels = sets[-1]["levels"]
        if not levels or levels[-1]["level"] != r.level:
            levels.append({"level": r.level, "name": level_name(r.level), "results": []})
        levels[-1]["results"].append(
            {
                "rank": r.rank,
                "code": r.agency_code,
                "name": r.agency_name,
                "self_total": r.self_total,
                "total": r.total,
                "difference": r.difference,
                "band": r.band,
                "groups": [
                    {"id": g.id, "title": g.title, "earned": g.earned, "possible": g.possible} for g in r.groups
                ],
            }
        )
    for s in sets:
        for level in s["levels"]:
            results = level["results"]
            n = Decimal(len(results))
            level["count"] = len(results)
            level["average"] = round_points(sum((x["total"] for x in results), zero) / n)
            counts = {label: 0 for label in s["bands"]}
            for x in results:
                if x["band"] is not None:  # a set without bands (SPEC §3b) counts none
                    counts[x["band"]] = counts.get(x["band"], 0) + 1
            level["bands"] = [
                {"label": k, "count": v, "percent": round_points(Decimal(v) * 100 / n)} for k, v in counts.items()
            ]
            groups: dict[str, dict[str, Any]] = {}
            for x in results:
                for g in x["groups"]:
                    acc = groups.setdefault(
                        g["id"], {"id": g["id"], "title": g["title"], "earned": zero, "possible": zero}
                    )
                    acc["earned"] += g["earned"]
                    acc["possible"] += g["possible"]
            level["groups"] = [
                {
                    "id": g["id"],
                    "title": g["title"],
                    "average": round_points(g["earned"] / n),
                    "possible": round_points(g["possible"] / n),
                    "percent": round_points(g["earned"] / g["possible"] * 100) if g["possible"] else zero,
                }
                for g in groups.values()
            ]
    missing = [{"code": a.code, "name": a.name, "level": a.level} for a in batch.missing]
    return {
        "sets": sets,
        "missing": missing,
        "registry": has_registry,
        "count": len(batch.results),
    }
