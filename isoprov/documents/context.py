"""The render context: what a template reads (the document as plain data, its budget appendix and
score report), escaped for the markup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from isoprov.core.diagnostics import Diagnostic
from isoprov.core.loading import YamlDocument
from isoprov.documents.budget_appendix import budget_appendix
from isoprov.documents.markup import escape_data
from isoprov.documents.model import KINDS, Document
from isoprov.documents.score_report import score_report


def build_context(
    kind: str, document: Document, source: YamlDocument, base_dir: Path
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The template context: the document as plain data, the budget appendix and score report.

    Its text is escaped for the markup (:func:`escape_text`: ``&``, ``<``, ``>``); the markup
    parser decodes it, so HTML and DOCX show the characters and the Markdown output carries no raw
    HTML of the user's.

    Returns the diagnostics of the files it reads (budget, assessments); with an error among
    them there is nothing to render.
    """
    diagnostics: list[Diagnostic] = []
    data = document.model_dump(mode="python")
    kind_name, _code = KINDS[kind]
    context: dict[str, Any] = {
        "kind": kind,
        "kind_name": document.header.kind or kind_name,
        "doc": data,
        "budget": None,
        "report": None,
    }
    if document.budget is not None:
        budget, found = budget_appendix(document, source, base_dir)
        diagnostics.extend(found)
        context["budget"] = budget
    if kind == "report" and document.report is not None:
        report, found = score_report(document.report, source, base_dir)
        diagnostics.extend(found)
        context["report"] = report
    # all text a template reads is the user's (data, budget, registry, criteria): escaped once here
    return {name: value if name == "kind" else escape_data(value) for name, value in context.items()}, diagnostics
