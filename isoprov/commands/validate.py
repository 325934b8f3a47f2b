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
from isoprov.pipeline.score import assess, assessment_files, duplicate_of
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
    if not files:
        stdout.print("Không có tệp YAML hay Excel nào để kiểm tra.")
    for path, explicit in files:
        kind, diagnostics = validate_file(path, context)
        if kind is None and not explicit and path.suffix.lower() in FORM_SUFFIXES:
            stdout.print(f"[dim]–[/] {escape(str(path))} (tệp Excel khác, không phải biểu mẫu; bỏ qua)")
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


def validate_file(path: Path, context: Context) -> tuple[str | None, list[Diagnostic]]:
    """The kind of one file and its diagnostics."""
    if path.suffix.lower() in FORM_SUFFIXES:
        try:
            from isoprov.excel.form_reader import NotAFormError, read_assessment_form

            assessment, form = read_assessment_form(path, context.catalog)
        except NotAFormError as exc:
            return None, exc.diagnostics
        except InputError as exc:
            return "assessment", exc.diagnostics
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
    from isoprov.documents.model import validate_document_file

    return validate_document_file(path, doc)


VALIDATORS: dict[str, Callable[[Path, YamlDocument, Context], list[Diagnostic]]] = {
    "criteria": _criteria,
    "assessment": _assessment,
    "agencies": _agencies,
    "budget": _budget,
    "norms": _norms,
    "document": _document,
}
