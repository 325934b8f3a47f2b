"""The budget pipeline, written once: a budget file → read → validate → check → report.

Called by ``isoprov budget check`` (:mod:`isoprov.commands.budget`), ``isoprov validate``
(:mod:`isoprov.commands.validate`) and the plan's budget appendix
(:func:`isoprov.documents.render.budget_appendix`): the three always agree on what a budget
file computes to and what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from isoprov.budget.checks import check_budget
from isoprov.budget.model import Budget
from isoprov.budget.norms import NormLookup, NormSet
from isoprov.budget.results import BudgetReport
from isoprov.budget.traps import comma_traps
from isoprov.core.diagnostics import Diagnostic, InputError
from isoprov.core.kinds import KIND_HINTS, KIND_NAMES, detect_kind
from isoprov.core.loading import YamlDocument, load_yaml
from isoprov.core.validation import validate_document


@dataclass(frozen=True, slots=True)
class CheckedBudget:
    """One budget file through the pipeline: its report (None when it could not be read or
    validated), the loaded document (for the figures as written) and the input problems."""

    report: BudgetReport | None
    doc: YamlDocument | None
    problems: list[Diagnostic]


def check_document(doc: YamlDocument, norms: NormSet) -> BudgetReport:
    """Validate a loaded budget document and run the checks; InputError for invalid input.

    A figure YAML split at a decimal comma (``times: [2,5 tháng]``) is refused first: the keys
    and values it produced (a multiplier ``5 tháng``, a key ``5``) are not what was written.
    """
    traps = comma_traps(doc)
    if traps:
        raise InputError(traps)
    return check_budget(validate_document(Budget, doc), doc, norms)


def check_file(path: Path, norms: NormSet, *, explicit: bool = True) -> CheckedBudget:
    """Load, validate and check one budget file; input problems come back as diagnostics.

    Another kind of isoprov file (a plan, an assessment, a norms file) is skipped when it was
    found in a folder (``explicit=False``), and one clear error when it was named (not one error
    per foreign key).
    """
    doc: YamlDocument | None = None
    try:
        doc = load_yaml(path)
        kind = detect_kind(doc.data)
        if kind not in (None, "budget"):
            if not explicit:
                return CheckedBudget(None, doc, [])
            name = KIND_NAMES[kind]
            message = f"tệp này là {name}, không phải dự toán (dự toán có `title`, `unit` và `items`)"
            if kind == "document":
                message += f"; {KIND_HINTS[kind]}"
            raise InputError([Diagnostic(doc.file, message, 1, 1)])
        return CheckedBudget(check_document(doc, norms), doc, [])
    except InputError as exc:
        return CheckedBudget(None, doc, exc.diagnostics)


def validate_budget_document(doc: YamlDocument, norms: NormSet | None = None) -> list[Diagnostic]:
    """Everything wrong with a loaded budget file: input errors, or else the checks' findings.

    For ``isoprov validate``. Without ``norms``, the caps are looked up as ``budget check`` does
    with no ``--norms`` (the budget folder's ``norms/``, ``./norms``, then the shipped ones);
    problems in those norms files are not reported here but when the norms files themselves are
    validated.
    """
    if norms is None:
        norms = NormLookup().for_budget(Path(doc.file))
    try:
        return list(check_document(doc, norms).findings)
    except InputError as exc:
        return exc.diagnostics
