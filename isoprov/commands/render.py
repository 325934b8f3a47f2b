"""``isoprov render KIND DATA -o OUT [--template FILE]``: draft a document (SPEC §7).

DATA is validated like every other file; the kind's template (or the user's, sandboxed) turns
it into document markup; the output's suffix picks Markdown, HTML or DOCX. Nothing is written
unless everything succeeded: an undefined field or a forbidden template leaves no file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from isoprov.commands.common import (
    print_diagnostics,
    refuse_overwriting_inputs,
    require_file,
    require_output,
    stderr,
    usage_error,
)
from isoprov.core.atomic import write_text_atomic
from isoprov.core.diagnostics import ExitCode, InputError, has_errors

OUTPUT_SUFFIXES = (".docx", ".md", ".html")


def run(
    kind: str,
    data: Path,
    output: Path,
    template: Path | None,
    markdown: str | None = None,
    seconds: float = 10.0,
    allowed_folders: Sequence[Path] = (),
) -> int:
    """Render one document and return the exit code. ``markdown``: the form of a ``.md`` output,
    ``gfm`` (the default: plain Markdown any viewer shows) or ``pandoc`` (the document markup);
    ``seconds``: the time the template may take; ``allowed_folders``: folders outside the data
    file's folder a report may search."""
    suffix = require_output(output, OUTPUT_SUFFIXES, "tệp kết quả").suffix.lower()
    if markdown is not None and suffix != ".md":
        usage_error("`--markdown` chỉ dùng khi xuất tệp .md")
    require_file(data, "tệp dữ liệu")
    if template is not None:
        require_file(template, "mẫu", "--template")
    base_docx = template if template is not None and template.suffix.lower() == ".docx" else None
    if base_docx is not None and suffix != ".docx":
        usage_error("mẫu .docx (giấy tiêu đề) chỉ dùng khi xuất tệp .docx; với .md, .html hãy dùng mẫu Jinja")
    text_template = template if base_docx is None else None
    refuse_overwriting_inputs([("-o", output)], [data, *([template] if template is not None else [])])

    from isoprov.documents import inspection as cycle
    from isoprov.documents.checks import check_conventions, check_kind, check_search_folders
    from isoprov.documents.context import build_context
    from isoprov.documents.environment import render_markup, template_name
    from isoprov.documents.errors import RenderError
    from isoprov.documents.markup import MarkupError, parse_markup
    from isoprov.documents.model import load_document, named_inputs

    try:
        document, source = cycle.load(data) if kind in cycle.INSPECTION_KINDS else load_document(data)
    except InputError as exc:
        print_diagnostics(exc.diagnostics)
        return int(ExitCode.INVALID)
    if isinstance(document, cycle.InspectionDocument):  # the yearly inspection's documents (SPEC §9)
        refuse_overwriting_inputs([("-o", output)], cycle.named_inputs(document, data.parent))
        diagnostics = cycle.check(kind, document, source)
        if not has_errors(diagnostics):
            context, found = cycle.build(kind, document, source, data.parent)
            diagnostics.extend(found)
    else:
        outside = check_search_folders(document, source, data.parent, allowed_folders)
        if outside:
            print_diagnostics(outside)
            return int(ExitCode.INVALID)
        refuse_overwriting_inputs([("-o", output)], named_inputs(document, data.parent))
        diagnostics = [*check_kind(kind, document, source), *check_conventions(document, source)]
        if not has_errors(diagnostics):
            context, found = build_context(kind, document, source, data.parent)
            diagnostics.extend(found)
    print_diagnostics(diagnostics)
    if has_errors(diagnostics):
        return int(ExitCode.INVALID)
    title = _plain_title(document.header.title)
    try:
        markup = render_markup(kind, context, text_template, seconds)
        try:
            blocks = parse_markup(markup)
        except MarkupError as exc:
            # the line is one of the text the template wrote, not of the template itself
            name = str(text_template) if text_template is not None else template_name(kind)
            raise RenderError(f"{name}: văn bản mẫu tạo ra sai quy ước, ở {exc}") from None
        if suffix == ".md" and markdown == "pandoc":
            write_text_atomic(output, markup)
        elif suffix == ".md":
            from isoprov.documents.gfm import to_gfm

            write_text_atomic(output, to_gfm(markup))
        elif suffix == ".html":
            from isoprov.documents.html import to_html

            write_text_atomic(output, to_html(blocks, title))
        else:
            from isoprov.documents.docx import write_docx

            write_docx(
                blocks,
                output,
                base=base_docx,
                fill=_letterhead_filler(context, seconds) if base_docx is not None else None,
                title=title,
                author=_plain_title(document.header.issuing_body),
            )
    except RenderError as exc:
        stderr.print(f"Lỗi mẫu: {exc}", style="bold red", markup=False, highlight=False, soft_wrap=True)
        return int(ExitCode.INVALID)
    stderr.print(f"Đã ghi {output}", markup=False, highlight=False, soft_wrap=True)
    return int(ExitCode.OK)


def _plain_title(text: str) -> str:
    """The title as the page's ``<title>`` and the file's properties show it: one line, its
    ``*emphasis*`` marks read as markup, not shown."""
    from isoprov.documents.blocks import plain_text
    from isoprov.documents.markup import escape_text, parse_inline

    return " ".join(plain_text(parse_inline(escape_text(text))).split())


def _letterhead_filler(context: dict[str, Any], seconds: float) -> Any:
    """Placeholders in a letterhead are rendered in the same sandbox as templates."""
    from isoprov.documents.environment import render_string

    return lambda text: render_string(text, context, seconds=seconds)
