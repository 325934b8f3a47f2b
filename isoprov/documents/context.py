"""The render context: what a template reads (the document as plain data, its budget appendix and
score report, escaped for the markup), and the rules of a document kind the model cannot know."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from isoprov.core.diagnostics import Diagnostic, Severity
from isoprov.core.loading import YamlDocument
from isoprov.documents.budget_appendix import budget_appendix
from isoprov.documents.markup import escape_data
from isoprov.documents.model import KINDS, Document
from isoprov.documents.score_report import score_report


def check_kind(kind: str, document: Document, source: YamlDocument) -> list[Diagnostic]:
    """Kind-specific rules the model alone cannot know (it does not know KIND)."""
    out: list[Diagnostic] = []
    if kind == "decision" and not document.articles:
        message = "quyết định cần có các điều (`articles`: Điều 1, Điều 2, …)"
        out.append(source.diagnostic(("articles",), message, at=()))
    if kind != "decision" and document.articles:
        message = f"`articles` chỉ dùng cho quyết định (decision), không dùng cho `{kind}`"
        out.append(source.diagnostic(("articles",), message, key=True))
    if kind != "decision" and document.authority is not None:
        message = "`authority` (thẩm quyền ban hành) chỉ được mẫu quyết định dùng; mẫu này bỏ qua nó"
        out.append(source.diagnostic(("authority",), message, key=True, severity=Severity.WARNING))
    if kind == "report" and document.report is None:
        message = "báo cáo kết quả chấm điểm cần khóa `report` với `assessments`"
        out.append(source.diagnostic(("report",), message, at=()))
    if kind != "report" and document.report is not None:
        message = f"`report` chỉ dùng cho báo cáo (report), không dùng cho `{kind}`"
        out.append(source.diagnostic(("report",), message, key=True))
    code = KINDS[kind][1]
    symbol = document.header.symbol
    if not symbol.startswith(code + "-"):
        out.append(
            source.diagnostic(
                ("header", "symbol"),
                f"ký hiệu `{symbol}` thường bắt đầu bằng `{code}-` với loại văn bản này",
                severity=Severity.WARNING,
            )
        )
    return out


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
