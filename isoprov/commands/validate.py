"""``isoprov validate``: check any isoprov file (criteria set, assessment, form, registry, budget,
norms, document) without computing reports. The kind of each YAML file is told by its keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.markup import escape

from isoprov.commands.common import print_diagnostics, require_paths, stdout
from isoprov.core.diagnostics import Diagnostic, ExitCode, InputError, Severity, has_errors
from isoprov.core.discovery import FORM_SUFFIXES
from isoprov.core.kinds import KIND_NAMES, detect_kind
from isoprov.core.loading import YamlDocument, load_yaml
from isoprov.core.validation import validate_document
from isoprov.pipeline.score import (
    assess,
    assessment_files,
    blank_form_note,
    duplicate_of,
    is_blank_form,
    is_unscored_form,
)
from isoprov.scoring.assessment import (
    Assessment,
    PartialAssessmentError,
    load_assessment,
)
from isoprov.scoring.catalog import Catalog, load_criteria_set
from isoprov.scoring.registry import check_registry, registry_from


@dataclass
class Context:
    """What validating one run shares: the criteria sets, ``--strict``, and the first file of
    each agency's assessment per criteria set and period (a second one is an error, SPEC §3)."""

    catalog: Catalog
    strict: bool = False
    seen: dict[tuple[str, str, str], str] = field(default_factory=dict)


def run(paths: list[Path], criteria: list[Path], strict: bool) -> int:
    """Validate every file under ``paths``; print one line per file and the problems found."""
    require_paths([*paths, *criteria])
    catalog = Catalog.default(criteria)
    catalog.load_explicit()
    everything: list[Diagnostic] = list(catalog.diagnostics)
    catalog.diagnostics.clear()
    context = Context(catalog, strict)
    found = assessment_files(paths)
    files = found.files
    everything.extend(found.problems)
    everything.extend(found.empty_folders("tệp YAML hay Excel (.yaml, .yml, .xlsx)"))
    if not files:
        stdout.print("Không có tệp YAML hay Excel nào để kiểm tra.")
    for path, explicit in files:
        kind, diagnostics = validate_file(path, context, explicit=explicit)
        if kind is None and not explicit and path.suffix.lower() in FORM_SUFFIXES:
            if diagnostics == [blank_form_note(path)]:
                what = "biểu mẫu chưa điền"
            elif diagnostics == [blank_form_note(path, agency_filled=True)]:
                what = "biểu mẫu chưa chấm điểm"
            else:
                what = "tệp Excel khác, không phải biểu mẫu"
            stdout.print(f"[dim]–[/] {escape(str(path))} ({what}; bỏ qua)")
            continue
        diagnostics.extend(catalog.diagnostics)
        catalog.diagnostics.clear()
        everything.extend(diagnostics)
        label = KIND_NAMES.get(kind or "", "không rõ loại")
        if has_errors(diagnostics):
            stdout.print(f"[red]✗[/] {escape(str(path))} ({label})")
        elif diagnostics:
            stdout.print(f"[yellow]![/] {escape(str(path))} ({label}; {len(diagnostics)} cảnh báo/ghi chú)")
        else:
            stdout.print(f"[green]✓[/] {escape(str(path))} ({label})")
    everything = list(dict.fromkeys(everything))  # a set named as PATH and as --criteria: reported once
    print_diagnostics(everything)
    failed = has_errors(everything) or (strict and any(d.severity is Severity.WARNING for d in everything))
    return int(ExitCode.INVALID if failed else ExitCode.OK)


def validate_file(path: Path, context: Context, *, explicit: bool = True) -> tuple[str | None, list[Diagnostic]]:
    """The kind of one file and its diagnostics."""
    if path.suffix.lower() in FORM_SUFFIXES:
        try:
            from isoprov.excel.form_reader import NotAFormError, read_assessment_form

            assessment, form = read_assessment_form(path, context.catalog)
        except NotAFormError as exc:
            return None, exc.diagnostics
        except InputError as exc:
            if not explicit and is_blank_form(exc):
                return None, [blank_form_note(path)]
            return "assessment", exc.diagnostics
        if not explicit and is_unscored_form(path, assessment, None):
            return None, [blank_form_note(path, agency_filled=True)]
        return "assessment", _check_against_set(path, assessment, form, context)
    try:
        doc = load_yaml(path)
    except InputError as exc:
        return None, exc.diagnostics
    kind = detect_kind(doc.data)
    if kind is None:
        keys = ", ".join(sorted(doc.data)) if isinstance(doc.data, dict) else ""
        return None, [
            *doc.problems,
            doc.diagnostic(
                (),
                "không nhận ra loại tệp (bộ tiêu chí, tự đánh giá, dự toán, văn bản…)"
                + (f"; các khóa ở cấp cao nhất: {keys}" if keys else ""),
            ),
        ]
    try:
        return kind, VALIDATORS[kind](path, doc, context)
    except InputError as exc:
        return kind, exc.diagnostics


def _criteria(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    return load_criteria_set(path)[1]


def _assessment(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    try:
        return _check_against_set(path, load_assessment(doc), doc, context)
    except PartialAssessmentError as exc:
        return _check_against_set(path, exc.partial, doc, context, exc)


def _check_against_set(
    path: Path, a: Assessment, doc: YamlDocument, context: Context, partial: PartialAssessmentError | None = None
) -> list[Diagnostic]:
    """The score pipeline's own step (:func:`assess`), then its duplicate rule."""
    outcome = assess(path, a, doc, partial, context.catalog, context.strict)
    duplicate = duplicate_of(outcome, context.seen)
    return [duplicate] if duplicate is not None else list(outcome.diagnostics)


def _agencies(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    registry = registry_from(doc)
    cs = context.catalog.get(registry.criteria) if registry.criteria is not None else None
    return check_registry(registry, cs.levels if cs is not None else None)


def _budget(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    from isoprov.pipeline.budget import validate_budget_document

    return validate_budget_document(doc)


def _norms(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    from isoprov.budget.norms import validate_norms_document

    return validate_norms_document(doc)


def _document(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    from isoprov.documents.checks import validate_document_file

    return validate_document_file(path, doc)


def _inspection(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    import datetime as dt

    from isoprov.inspection.checks import check_set
    from isoprov.inspection.load import load_set

    found, diagnostics = load_set(path)
    if found is None:
        return diagnostics
    result = check_set(found, dt.date.today())
    return [*result.findings, *result.errors]


def _minutes(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    """A minutes file on its own, then against the inspection it names (the agency on site, the
    date in the year): the diagnostics about this file."""
    import datetime as dt

    from isoprov.inspection.checks import check_set, minutes_findings
    from isoprov.inspection.load import LoadedMinutes, load_set
    from isoprov.inspection.model import Minutes, resolve

    minutes = validate_document(Minutes, doc)
    inspection = resolve(path.parent, minutes.inspection)
    if not inspection.is_file():
        return [doc.diagnostic(("inspection",), f"không tìm thấy tệp kế hoạch kiểm tra `{inspection}`")]
    found, _ = load_set(inspection)
    if found is None or path.resolve() not in {m.path.resolve() for m in found.minutes}:
        return minutes_findings(LoadedMinutes(path, minutes, doc))  # the inspection is reported on its own
    result = check_set(found, dt.date.today())
    here = path.resolve()
    return [d.with_file(doc.file) for d in (*result.findings, *result.errors) if Path(d.file).resolve() == here]


def _inspection_document(path: Path, doc: YamlDocument, context: Context) -> list[Diagnostic]:
    from isoprov.documents.inspection import InspectionDocument, cycle_conventions
    from isoprov.inspection.model import resolve

    document = validate_document(InspectionDocument, doc)
    out = cycle_conventions(document, doc)
    for key in ("inspection", "minutes"):
        name = getattr(document, key)
        if name is not None and not resolve(path.parent, name).is_file():
            out.append(doc.diagnostic((key,), f"không tìm thấy `{resolve(path.parent, name)}`"))
    return out


VALIDATORS: dict[str, Callable[[Path, YamlDocument, Context], list[Diagnostic]]] = {
    "criteria": _criteria,
    "assessment": _assessment,
    "agencies": _agencies,
    "budget": _budget,
    "norms": _norms,
    "document": _document,
    "inspection": _inspection,
    "minutes": _minutes,
    "inspection-document": _inspection_document,
}
