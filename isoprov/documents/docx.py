"""DOCX layout after Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức và kỹ thuật trình bày).

Lays out the blocks parsed from document markup (:mod:`isoprov.documents.markup`) with python-docx:
A4 portrait, margins 20/20/30/15 mm, Times New Roman; the two-column header (issuing body |
Quốc hiệu and Tiêu ngữ, each with its rule; "Số:" and the place and date under them); the
document kind and title centred and bold with a short rule; a justified body at 14 pt with a
1 cm first-line indent and 6 pt after each paragraph; bordered tables; Nơi nhận (12/11 pt) at
bottom left beside the signature block; page numbers centred in the top margin from page 2.

Every run carries its font and size explicitly, so a user's base document (``--template
letterhead.docx``: their styles, page setup, page header and letterhead) cannot change what the
decree fixes. python-docx is imported inside the functions: ``isoprov --help`` never pays for it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from isoprov.core.atomic import write_atomic
from isoprov.documents.blocks import (
    CLOSING_REGIONS,
    HEADER_REGIONS,
    Block,
    Bullets,
    Heading,
    Paragraph,
    Region,
    Run,
    TableBlock,
    group_regions,
    split_lines,
)
from isoprov.documents.columns import column_widths
from isoprov.documents.errors import RenderError
from isoprov.documents.ooxml import put_in_order
from isoprov.documents.page import (
    BODY_PT,
    CELL_PADDING_MM,
    CLOSING_COLUMNS_MM,
    FIRST_LINE_INDENT_CM,
    FONT,
    MARGINS_MM,
    NUMBER_PT,
    PAGE_MM,
    PAGE_NUMBER_PT,
    RECIPIENTS_LEAD_PT,
    RECIPIENTS_PT,
    SIGNING_SPACE_PT,
    SPACE_AFTER_PT,
    TABLE_PT,
    TEXT_WIDTH_MM,
    header_layout,
    region_lines,
    title_rule_mm,
)

Fill = Callable[[str], str]


def build_docx(
    blocks: Sequence[Block],
    *,
    base: Path | None = None,
    fill: Fill | None = None,
    title: str = "",
    author: str = "",
) -> Any:
    """Lay ``blocks`` out as a python-docx ``Document`` (on ``base`` when given)."""
    import docx

    if base is not None:
        try:
            document = docx.Document(str(base))
        except Exception as exc:  # python-docx raises several kinds for a file that is not Word's
            raise RenderError(
                f"không mở được mẫu Word `{base}` ({type(exc).__name__}); mẫu phải là tệp .docx "
                "lưu từ Word hoặc LibreOffice"
            ) from None
    else:
        document = docx.Document()
    has_letterhead = False
    if base is not None:
        has_letterhead = _fill_letterhead(document, fill)
    else:
        _page_setup(document)
        _default_fonts(document)
        _compat(document)
    _drop_styles_with_effects(document)
    _page_numbers(document)
    _Writer(document, skip_first_header=has_letterhead).write(blocks)
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.comments = "Soạn bằng isoprov"
    props.language = "vi-VN"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
    return document


def write_docx(
    blocks: Sequence[Block],
    target: Path,
    *,
    base: Path | None = None,
    fill: Fill | None = None,
    title: str = "",
    author: str = "",
) -> None:
    """Build the document first, then write it atomically: a failure leaves no file."""
    document = build_docx(blocks, base=base, fill=fill, title=title, author=author)
    write_atomic(target, lambda tmp: document.save(str(tmp)))


# ---------------------------------------------------------------------------
# Page, fonts, page numbers
# ---------------------------------------------------------------------------


def _page_setup(document: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(PAGE_MM[0])
        section.page_height = Mm(PAGE_MM[1])
        section.top_margin = Mm(MARGINS_MM[0])
        section.bottom_margin = Mm(MARGINS_MM[1])
        section.left_margin = Mm(MARGINS_MM[2])
        section.right_margin = Mm(MARGINS_MM[3])
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)


def _default_fonts(document: Any) -> None:
    """Times New Roman everywhere by default, Vietnamese as the proofing language."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _rfonts(rpr)
            _lang(rpr)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _rfonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(SPACE_AFTER_PT)
    fmt.line_spacing = 1.0


def _compat(document: Any) -> None:
    """A justified line that ends in a manual line break is not stretched (Word's
    ``doNotExpandShiftReturn``; LibreOffice reads it too)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        return
    if compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def _rfonts(rpr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(name), FONT)


def _lang(rpr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _page_numbers(document: Any) -> None:
    """Arabic page numbers centred in the top margin, none on the first page (Phụ lục I)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for section in document.sections:
        header = section.header
        if any(p.text.strip() for p in header.paragraphs) or header.tables:
            continue  # the user's base document has its own page header
        section.different_first_page_header_footer = True
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
            run = paragraph.add_run()
            _font(run, PAGE_NUMBER_PT)
            if kind is not None:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            else:
                run.text = text or ""
        paragraph.paragraph_format.space_after = Pt(0)


def _font(run: Any, size: float, bold: bool | None = None, italic: bool | None = None) -> None:
    from docx.shared import Pt

    run.font.name = FONT
    _rfonts(run._r.get_or_add_rPr())
    run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic


# ---------------------------------------------------------------------------
# The user's letterhead
# ---------------------------------------------------------------------------


def _fill_letterhead(document: Any, fill: Fill | None) -> bool:
    """Render ``{{ … }}`` placeholders in the base document's own text; True if it has any body
    content (then it is the letterhead, and the generated header block is left out)."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            if not header.is_linked_to_previous:  # reading an absent header would create one
                paragraphs.extend(header.paragraphs)
    from docx.text.run import Run as DocxRun

    for paragraph in paragraphs:
        text = paragraph.text
        if fill is not None and ("{{" in text or "{%" in text):
            # Word splits text into runs at random; render the whole paragraph and keep the
            # formatting of its first run (a run inside a link counts: its text is the paragraph's)
            rendered = fill(text)
            runs = [DocxRun(r, paragraph) for r in paragraph._p.xpath("./w:r | ./w:hyperlink/w:r")]
            runs[0].text = rendered
            for run in runs[1:]:
                run._r.getparent().remove(run._r)
    return bool(document.tables) or any(p.text.strip() for p in document.paragraphs)


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------


class _Writer:
    def __init__(self, document: Any, *, skip_first_header: bool) -> None:
        self.document = document
        self.skip_header = skip_first_header
        self.page_break = False
        # paragraph and run properties made once per format and copied after: python-docx's
        # setters cost a millisecond a cell, a 10,000-row table has 40,000 cells
        self._paragraph_formats: dict[tuple[Any, ...], Any] = {}
        self._run_formats: dict[tuple[Any, ...], Any] = {}

    def write(self, blocks: Sequence[Block]) -> None:
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if isinstance(block, Region) and block.name in HEADER_REGIONS:
                group, i = group_regions(blocks, i, HEADER_REGIONS)
                if self.skip_header:
                    self.skip_header = False
                else:
                    self.header(group)
                continue
            if isinstance(block, Region) and block.name in CLOSING_REGIONS:
                group, i = group_regions(blocks, i, CLOSING_REGIONS)
                self.closing(group)
                continue
            self.block(block)
            i += 1

    # -- paragraphs -------------------------------------------------------

    def paragraph(
        self,
        runs: Sequence[Run],
        *,
        container: Any = None,
        size: float = BODY_PT,
        align: str = "justify",
        indent: bool = True,
        after: float = SPACE_AFTER_PT,
        before: float = 0,
        bold: bool | None = None,
        italic: bool | None = None,
        keep_with_next: bool = False,
    ) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        paragraph = self._new_paragraph(container)
        breaks_page = container is None and self.page_break
        key = (size, align, indent, after, before, keep_with_next)
        made = None if breaks_page else self._paragraph_formats.get(key)
        if made is not None:
            _replace_properties(paragraph._p, made)
        else:
            fmt = paragraph.paragraph_format
            fmt.alignment = {
                "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
                "left": WD_ALIGN_PARAGRAPH.LEFT,
            }[align]
            fmt.first_line_indent = Cm(FIRST_LINE_INDENT_CM) if indent else Cm(0)
            fmt.left_indent = Cm(0)
            fmt.space_before = Pt(before)
            fmt.space_after = Pt(after)
            fmt.line_spacing = 1.0
            fmt.widow_control = True
            if keep_with_next:
                fmt.keep_with_next = True
            if breaks_page:
                fmt.page_break_before = True
                self.page_break = False
            else:
                self._paragraph_formats[key] = copy.deepcopy(paragraph._p.pPr)
        for run in runs:
            r = paragraph.add_run()
            if run.is_break:
                r.add_break()
            else:
                r.text = run.text
            self._font(
                r,
                size,
                run.bold if bold is None else bold or run.bold,
                run.italic if italic is None else italic or run.italic,
            )
        if not runs:  # an empty paragraph still carries the size (its line height)
            self._font(paragraph.add_run(), size)
        return paragraph

    def _font(self, run: Any, size: float, bold: bool | None = None, italic: bool | None = None) -> None:
        """:func:`_font`, its properties made once per format and copied after."""
        key = (size, bold, italic)
        made = self._run_formats.get(key)
        if made is not None:
            _replace_properties(run._r, made)
        else:
            _font(run, size, bold, italic)
            self._run_formats[key] = copy.deepcopy(run._r.rPr)

    def _new_paragraph(self, container: Any) -> Any:
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph as DocxParagraph

        if container is None:
            return self.document.add_paragraph()
        paragraphs = container._element.findall(qn("w:p"))
        if len(paragraphs) == 1 and len(paragraphs[0]) == 0:
            return DocxParagraph(paragraphs[0], container)  # a new cell's own empty paragraph
        return container.add_paragraph()

    def rule(self, container: Any, width_mm: float, space_mm: float, after: float = 0, before: float = 3) -> None:
        """A horizontal rule of ``width_mm`` centred in ``space_mm``: a tiny empty paragraph with
        a bottom border, narrowed by equal indents."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        paragraph = self._new_paragraph(container)
        fmt = paragraph.paragraph_format
        side = max((space_mm - width_mm) / 2, 0)
        fmt.left_indent = Mm(side)
        fmt.right_indent = Mm(side)
        fmt.first_line_indent = Mm(0)
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        fmt.line_spacing = Pt(2)
        if container is None:
            fmt.keep_with_next = True
        _font(paragraph.add_run(), 2)
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        put_in_order(paragraph._p.get_or_add_pPr(), borders)

    # -- blocks -----------------------------------------------------------

    def block(self, block: Block, container: Any = None) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block.runs, container=container)
        elif isinstance(block, Heading):
            self.paragraph(
                block.runs, container=container, bold=True, italic=block.level >= 4 or None, keep_with_next=True
            )
        elif isinstance(block, Bullets):
            for item in block.items:
                self.paragraph((Run("- "), *item), container=container)
        elif isinstance(block, TableBlock):
            self.table(block)
        else:
            self.region(block)

    def region(self, region: Region) -> None:
        if region.name == "pagebreak":
            self.page_break = True
            return
        if region.name == "section":
            self.section()
            return
        paragraphs = [b for b in region.blocks if isinstance(b, Paragraph | Heading)]
        if region.name == "title":
            # one paragraph per line: the kind, the title, the reference to the main document
            title_lines = [line for p in paragraphs for line in split_lines(p.runs)]
            for k, line in enumerate(title_lines):
                self.paragraph(
                    line, align="center", indent=False, before=12 if k == 0 else 0, after=0, keep_with_next=True
                )
            self.rule(None, title_rule_mm([p.runs for p in paragraphs]), TEXT_WIDTH_MM, after=12)
            return
        align = {"center": "center", "right": "right"}.get(region.name, "justify")
        for b in region.blocks:
            if isinstance(b, Paragraph | Heading):
                self.paragraph(b.runs, align=align, indent=align == "justify", keep_with_next=True)
            else:
                self.block(b)

    def section(self) -> None:
        """End the section so far and start a new one on a new page, its page numbers from 1
        (Nghị định 30/2020: an annex's pages are numbered on their own): an annex or an attached
        document. The page header (its page number) carries over; its first page has none."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        self.page_break = False  # the section starts a page of its own
        sentinel = self.document.element.body.get_or_add_sectPr()
        # the section so far ends in a 1 pt paragraph holding a copy of its properties
        paragraph = self.paragraph((), size=1, after=0, indent=False)
        paragraph.paragraph_format.line_spacing = Pt(1)
        paragraph._p.set_sectPr(sentinel.clone())
        for reference in sentinel.xpath("w:headerReference|w:footerReference"):
            sentinel.remove(reference)  # the same page header, inherited
        kind = OxmlElement("w:type")
        kind.set(qn("w:val"), "nextPage")
        put_in_order(sentinel, kind)
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        put_in_order(sentinel, numbering)

    def table(self, block: TableBlock) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.table import _Cell

        if self.page_break:
            self._break_paragraph()
        else:
            self._keep_last_with_next()  # "Bảng …:" never left alone at the foot of a page
        table = self.document.add_table(rows=1 + len(block.rows), cols=len(block.header))
        widths = column_widths(block, TEXT_WIDTH_MM, TABLE_PT, CELL_PADDING_MM)
        _table_layout(table, widths, borders=True, v_align=WD_CELL_VERTICAL_ALIGNMENT.CENTER)
        # rows walked once: `table.rows[r]` lists every row again, a 10,000-row table in minutes
        for r, (row, cells) in enumerate(zip(table.rows, (block.header, *block.rows), strict=True)):
            _row_flags(row, header=r == 0)
            for c, (tc, runs) in enumerate(zip(row._tr.tc_lst, cells, strict=True)):
                self.paragraph(
                    runs,
                    container=_Cell(tc, table),
                    size=TABLE_PT,
                    align="center" if r == 0 else block.align[c],
                    indent=False,
                    before=2,
                    after=2,
                )
        self.paragraph((), size=6, after=0, indent=False)  # air below the table

    def _keep_last_with_next(self) -> None:
        body = self.document.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag.endswith("sectPr") else body[-1]
        if last.tag.endswith("}p"):
            last.get_or_add_pPr()
            from docx.text.paragraph import Paragraph as DocxParagraph

            DocxParagraph(last, self.document).paragraph_format.keep_with_next = True

    def _break_paragraph(self) -> None:
        """A table cannot start a page by itself: a 1 pt paragraph at the top of the new page
        carries the break (a break *run* would leave an empty line or an empty page)."""
        from docx.shared import Pt

        paragraph = self.paragraph((), size=1, after=0, indent=False)  # takes the pending break
        paragraph.paragraph_format.line_spacing = Pt(1)

    def header(self, group: dict[str, Region]) -> None:
        """The two-column header of Phụ lục I: issuer | Quốc hiệu, Tiêu ngữ; Số | place, date."""
        if self.page_break:
            self._break_paragraph()
        layout = header_layout(
            region_lines(group.get("issuer")), region_lines(group.get("motto")), region_lines(group.get("date"))
        )
        rows = 2 if ("number" in group or "date" in group) else 1
        table = self.document.add_table(rows=rows, cols=2)
        _table_layout(table, [layout.left_mm, layout.right_mm], borders=False)
        left_cell, right_cell = table.rows[0].cells
        for line in layout.issuer:
            self.paragraph(line, container=left_cell, size=layout.issuer_pt, align="center", indent=False, after=0)
        if layout.issuer:
            self.rule(left_cell, layout.issuer_rule_mm, layout.left_mm - CELL_PADDING_MM)
        for k, line in enumerate(layout.motto):
            size = layout.motto_line_pt(k)
            self.paragraph(line, container=right_cell, size=size, align="center", indent=False, after=0)
        if layout.motto:
            self.rule(right_cell, layout.motto_rule_mm, layout.right_mm - CELL_PADDING_MM)
        if rows == 2:
            for name, cell, size in (
                ("number", table.rows[1].cells[0], NUMBER_PT),
                ("date", table.rows[1].cells[1], layout.date_pt),
            ):
                region = group.get(name)
                for b in region.blocks if region else ():
                    if isinstance(b, Paragraph):
                        self.paragraph(
                            b.runs, container=cell, size=size, align="center", indent=False, before=6, after=0
                        )

    def closing(self, group: dict[str, Region]) -> None:
        """Nơi nhận (bottom left) beside the signature block (bottom right), kept on one page
        together with the last line of the body."""
        if self.page_break:
            self._break_paragraph()
        self._keep_last_with_next()
        cosigned = "cosign" in group
        # a biên bản: two signers side by side, in equal halves, their names on a row of their
        # own so that they stand on one line whatever the length of each title
        table = self.document.add_table(rows=2 if cosigned else 1, cols=2)
        half = sum(CLOSING_COLUMNS_MM) / 2
        _table_layout(table, [half, half] if cosigned else list(CLOSING_COLUMNS_MM), borders=False)
        for row in table.rows:
            _row_flags(row, header=False)
        left, right = table.rows[0].cells
        recipients = group.get("recipients")
        lines: list[tuple[tuple[Run, ...], float]] = []
        for b in recipients.blocks if recipients else ():
            if isinstance(b, Bullets):
                lines.extend(((Run("- "), *item), RECIPIENTS_PT) for item in b.items)
            elif isinstance(b, Paragraph | Heading):
                lines.append((b.runs, RECIPIENTS_LEAD_PT))
        for k, (runs, size) in enumerate(lines):
            self.paragraph(runs, container=left, size=size, align="left", indent=False, before=6 * (k == 0), after=0)
        if cosigned:
            names = table.rows[1].cells
            self._signature(left, group["cosign"], names[0])
            self._signature(right, group.get("signature"), names[1])
        else:
            self._signature(right, group.get("signature"))

    def _signature(self, cell: Any, signature: Region | None, name_cell: Any = None) -> None:
        """A signature block in ``cell``: centred, the last paragraph (the name) after the space
        for the signature and seal — in ``name_cell`` when given (the names row of a biên bản)."""
        paragraphs = [b for b in signature.blocks if isinstance(b, Paragraph)] if signature else []
        titles, name = (paragraphs[:-1], paragraphs[-1]) if len(paragraphs) > 1 else (paragraphs, None)
        for k, p in enumerate(titles):
            self.paragraph(
                p.runs,
                container=cell,
                size=BODY_PT,
                align="center",
                indent=False,
                before=6 * (k == 0),
                after=0,
                keep_with_next=name_cell is not None,
            )
        target = cell if name_cell is None else name_cell
        if name is not None:
            self.paragraph(
                name.runs,
                container=target,
                size=BODY_PT,
                align="center",
                indent=False,
                before=SIGNING_SPACE_PT,
                after=0,
            )
        elif name_cell is not None:  # no name yet: the names row keeps the space for the signature
            self.paragraph((), container=target, size=BODY_PT, before=SIGNING_SPACE_PT, after=0, indent=False)
        else:  # no name yet: keep the space for the signature and seal
            self.paragraph((), container=cell, size=BODY_PT, after=SIGNING_SPACE_PT, indent=False)


def _replace_properties(element: Any, properties: Any) -> None:
    """A copy of ``properties`` (a ``w:pPr`` or ``w:rPr``) as the first child of ``element``, in
    place of its own."""
    own = element.find(properties.tag)
    if own is not None:
        element.remove(own)
    element.insert(0, copy.deepcopy(properties))


def _drop_styles_with_effects(document: Any) -> None:
    """python-docx's default template carries ``stylesWithEffects.xml``, a copy of the styles that
    only Word 2010 reads (Word 2013 and later neither read nor write it). Its copy goes stale as
    soon as a style is added (the page header's), and validators warn that Word may then call the
    file unreadable; without the part, Word 2010 uses ``styles.xml``."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rel_id)


def _table_layout(table: Any, widths_mm: Sequence[float], *, borders: bool, v_align: Any = None) -> None:
    """Fixed column widths (Word and LibreOffice both honour them) and explicit borders."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table.autofit = False  # <w:tblLayout w:type="fixed"/>, in its place
    tbl_pr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    put_in_order(tbl_pr, width)
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if borders:
            for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
                element.set(qn(key), value)
        else:
            element.set(qn("w:val"), "nil")
        edges.append(element)
    put_in_order(tbl_pr, edges)
    for column, w in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(w)
    # each cell's properties (width, vertical alignment) made on the first row, copied below
    rows = iter(table.rows)
    first = next(rows)
    for cell, w in zip(first.cells, widths_mm, strict=True):
        cell.width = Mm(w)
        if v_align is not None:
            cell.vertical_alignment = v_align
    made = [tc.tcPr for tc in first._tr.tc_lst]
    for row in rows:
        for tc, properties in zip(row._tr.tc_lst, made, strict=True):
            _replace_properties(tc, properties)


def _row_flags(row: Any, *, header: bool) -> None:
    """A row never splits across pages; the header row repeats on each page."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    put_in_order(tr_pr, OxmlElement("w:cantSplit"))
    if header:
        put_in_order(tr_pr, OxmlElement("w:tblHeader"))
