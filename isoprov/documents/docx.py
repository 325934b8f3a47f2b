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

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from isoprov.core.atomic import write_atomic
from isoprov.documents.blocks import (
    HEADER_REGIONS,
    Block,
    Bullets,
    Heading,
    Paragraph,
    Region,
    Run,
    TableBlock,
    group_regions,
    plain_text,
    split_lines,
)
from isoprov.documents.errors import RenderError

FONT = "Times New Roman"
PAGE_MM = (210, 297)
#: top, bottom, left, right (Phụ lục I: 20–25, 20–25, 30–35, 15–20 mm)
MARGINS_MM = (20, 20, 30, 15)
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM[2] - MARGINS_MM[3]
HEADER_COLUMNS_MM = (68, 97)  # the widest the issuer's column gets when the Quốc hiệu is 13 pt
HEADER_MIN_RIGHT_MM = 90
HEADER_MAX_RIGHT_MM = 110  # the issuer's column keeps at least 55 mm
CLOSING_COLUMNS_MM = (75, 90)
CELL_PADDING_MM = 3.8  # Word's default 0.19 cm on each side

BODY_PT = 14
TABLE_PT = 12
NUMBER_PT = 13
DATE_PT = 14
RECIPIENTS_LEAD_PT = 12
RECIPIENTS_PT = 11
PAGE_NUMBER_PT = 13
FIRST_LINE_INDENT_CM = 1.0
SPACE_AFTER_PT = 6
SIGNING_SPACE_PT = 72

Fill = Callable[[str], str]

# Advance widths (1/1000 em) of Times New Roman, taken from its metric-compatible twin Liberation
# Serif 2: enough to size the header's rules the way the decree asks (as long as the line).
_WIDTH_CHARS = "".join(chr(c) for c in range(32, 127)) + "ĐđƠơƯưĂăÂâÊêÔô–—…“”‘’×"
_REGULAR = (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 "
    "500 500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 "
    "722 722 556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 500 444 500 "
    "444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444 480 "
    "200 480 541 722 500 722 529 776 542 722 444 722 444 611 444 722 500 500 1000 1000 444 444 "
    "333 333 564"
)
_BOLD = (
    "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 500 "
    "500 500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 667 944 "
    "722 778 611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 556 444 556 "
    "444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 500 500 444 394 "
    "220 394 520 722 556 778 554 796 600 722 500 722 500 667 444 778 500 500 1000 1000 500 500 "
    "333 333 570"
)
_WIDTHS = {
    False: dict(zip(_WIDTH_CHARS, map(int, _REGULAR.split()), strict=True)),
    True: dict(zip(_WIDTH_CHARS, map(int, _BOLD.split()), strict=True)),
}
_HORN = "\u031b"


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of one line of Times New Roman text, in millimetres."""
    table = _WIDTHS[bold]
    total = 0
    for ch in text:
        width = table.get(ch)
        if width is None:
            parts = unicodedata.normalize("NFD", ch)
            base = parts[0]
            if _HORN in parts:  # ơ, ư and their tones are wider than o, u
                base = unicodedata.normalize("NFC", base + _HORN)
            width = table.get(base, 500)
        total += width
    return total / 1000 * size_pt * 25.4 / 72


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
            if isinstance(block, Region) and block.name in ("recipients", "signature"):
                group, i = group_regions(blocks, i, ("recipients", "signature"))
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
        if container is None and self.page_break:
            fmt.page_break_before = True
            self.page_break = False
        for run in runs:
            r = paragraph.add_run()
            if run.is_break:
                r.add_break()
            else:
                r.text = run.text
            _font(
                r,
                size,
                run.bold if bold is None else bold or run.bold,
                run.italic if italic is None else italic or run.italic,
            )
        if not runs:  # an empty paragraph still carries the size (its line height)
            _font(paragraph.add_run(), size)
        return paragraph

    def _new_paragraph(self, container: Any) -> Any:
        if container is None:
            return self.document.add_paragraph()
        paragraphs = container.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0].runs:
            return paragraphs[0]  # a new cell's own empty paragraph
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
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(borders)

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
        paragraphs = [b for b in region.blocks if isinstance(b, Paragraph | Heading)]
        if region.name == "title":
            # one paragraph per line: the kind, the title, the reference to the main document
            title_lines = [line for p in paragraphs for line in split_lines(p.runs)]
            for k, line in enumerate(title_lines):
                self.paragraph(
                    line, align="center", indent=False, before=12 if k == 0 else 0, after=0, keep_with_next=True
                )
            longest = max((_longest_line(p.runs, BODY_PT) for p in paragraphs[1:] or paragraphs), default=60.0)
            self.rule(None, min(max(longest / 3, 25), 60), TEXT_WIDTH_MM, after=12)
            return
        align = {"center": "center", "right": "right"}.get(region.name, "justify")
        for b in region.blocks:
            if isinstance(b, Paragraph | Heading):
                self.paragraph(b.runs, align=align, indent=align == "justify", keep_with_next=True)
            else:
                self.block(b)

    def table(self, block: TableBlock) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

        if self.page_break:
            self._break_paragraph()
        else:
            self._keep_last_with_next()  # "Bảng …:" never left alone at the foot of a page
        table = self.document.add_table(rows=1 + len(block.rows), cols=len(block.header))
        total = sum(block.widths)
        widths = [TEXT_WIDTH_MM * w / total for w in block.widths]
        _table_layout(table, widths, borders=True)
        for r, cells in enumerate((block.header, *block.rows)):
            row = table.rows[r]
            _row_flags(row, header=r == 0)
            for c, runs in enumerate(cells):
                cell = row.cells[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                self.paragraph(
                    runs,
                    container=cell,
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
        issuer = _region_lines(group.get("issuer"))
        motto = _region_lines(group.get("motto"))
        # the Quốc hiệu at 13 pt when it fits the page beside the issuer, else 12 pt (12–13 pt);
        # the Tiêu ngữ one size up (13–14 pt); the issuer's column takes the rest
        motto_size = 12
        needed = max((_width(ln, 13) for ln in motto[:-1]), default=0.0) + CELL_PADDING_MM + 1
        if needed <= HEADER_COLUMNS_MM[1]:
            motto_size = 13
        right = max(
            HEADER_MIN_RIGHT_MM,
            *(
                _width(ln, motto_size + (k == len(motto) - 1 and len(motto) > 1)) + CELL_PADDING_MM + 1
                for k, ln in enumerate(motto)
            ),
        )
        # the place and date stay on one line (a long place name, "Thành phố Hồ Chí Minh"): 14 pt,
        # else 13 pt (13–14 pt), widening the right column into the issuer's when it must
        date_lines = _region_lines(group.get("date"))
        date_width = max((_width(ln, DATE_PT) for ln in date_lines), default=0.0)
        date_size = DATE_PT if date_width + CELL_PADDING_MM + 1 <= right else DATE_PT - 1
        date_width = max((_width(ln, date_size) for ln in date_lines), default=0.0)
        right = min(max(right, date_width + CELL_PADDING_MM + 1), HEADER_MAX_RIGHT_MM)
        left = TEXT_WIDTH_MM - right
        rows = 2 if ("number" in group or "date" in group) else 1
        table = self.document.add_table(rows=rows, cols=2)
        _table_layout(table, [left, right], borders=False)
        left_cell, right_cell = table.rows[0].cells
        if issuer:
            room = left - CELL_PADDING_MM
            size = 13 if all(_width(ln, 13) <= room for ln in issuer) else 12
            issuer = [part for ln in issuer for part in _fit(ln, size, room)]
            for line in issuer:
                self.paragraph(line, container=left_cell, size=size, align="center", indent=False, after=0)
            # a rule 1/3–1/2 as long as the issuing body's line
            self.rule(left_cell, max(_width(issuer[-1], size) * 0.4, 15), room)
        if motto:
            for k, line in enumerate(motto):
                line_size = motto_size + 1 if k == len(motto) - 1 and len(motto) > 1 else motto_size
                self.paragraph(line, container=right_cell, size=line_size, align="center", indent=False, after=0)
            # a rule as long as the Tiêu ngữ
            last_size = motto_size + (len(motto) > 1)
            self.rule(right_cell, _width(motto[-1], last_size), right - CELL_PADDING_MM)
        if rows == 2:
            for name, cell, size in (
                ("number", table.rows[1].cells[0], NUMBER_PT),
                ("date", table.rows[1].cells[1], date_size),
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
        table = self.document.add_table(rows=1, cols=2)
        _table_layout(table, list(CLOSING_COLUMNS_MM), borders=False)
        row = table.rows[0]
        _row_flags(row, header=False)
        left, right = row.cells
        recipients = group.get("recipients")
        lines: list[tuple[tuple[Run, ...], float]] = []
        for b in recipients.blocks if recipients else ():
            if isinstance(b, Bullets):
                lines.extend(((Run("- "), *item), RECIPIENTS_PT) for item in b.items)
            elif isinstance(b, Paragraph | Heading):
                lines.append((b.runs, RECIPIENTS_LEAD_PT))
        for k, (runs, size) in enumerate(lines):
            self.paragraph(runs, container=left, size=size, align="left", indent=False, before=6 * (k == 0), after=0)
        signature = group.get("signature")
        paragraphs = [b for b in signature.blocks if isinstance(b, Paragraph)] if signature else []
        for k, p in enumerate(paragraphs):
            signed = k == len(paragraphs) - 1 and k > 0
            self.paragraph(
                p.runs,
                container=right,
                size=BODY_PT,
                align="center",
                indent=False,
                before=SIGNING_SPACE_PT if signed else 6 * (k == 0),
                after=0,
            )
        if len(paragraphs) == 1:  # no name yet: keep the space for the signature and seal
            self.paragraph((), container=right, size=BODY_PT, after=SIGNING_SPACE_PT, indent=False)


def _region_lines(region: Region | None) -> list[tuple[Run, ...]]:
    if region is None:
        return []
    return [line for b in region.blocks if isinstance(b, Paragraph) for line in split_lines(b.runs)]


def _width(runs: Sequence[Run], size: float) -> float:
    return text_width_mm(plain_text(runs), size, _bold(runs))


def _fit(line: tuple[Run, ...], size: float, room: float) -> list[tuple[Run, ...]]:
    """A name too long for its column, broken into as few lines as it needs, of balanced
    lengths, at words (as a clerk types "SỞ TÀI NGUYÊN / VÀ MÔI TRƯỜNG"), instead of Word's
    ragged wrap."""
    if _width(line, size) <= room or len(line) != 1 or " " not in line[0].text.strip():
        return [line]
    run = line[0]
    words = run.text.split()

    def wrap(limit: float) -> list[str]:
        lines: list[str] = []
        for word in words:
            joined = f"{lines[-1]} {word}" if lines else word
            if lines and text_width_mm(joined, size, run.bold) <= limit:
                lines[-1] = joined
            else:
                lines.append(word)
        return lines

    count = len(wrap(room))
    # the narrowest limit that still needs no more lines: every line about as long as the others
    low, high = max(text_width_mm(w, size, run.bold) for w in words), room
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (low, middle) if len(wrap(middle)) <= count else (middle, high)
    return [(Run(text, run.bold, run.italic),) for text in wrap(high)]


def _bold(runs: Sequence[Run]) -> bool:
    return any(r.bold for r in runs)


def _longest_line(runs: Sequence[Run], size: float) -> float:
    widest = max((text_width_mm(plain_text(ln), size, _bold(ln)) for ln in split_lines(runs)), default=0.0)
    return min(widest, TEXT_WIDTH_MM)


def _table_layout(table: Any, widths_mm: Sequence[float], *, borders: bool) -> None:
    """Fixed column widths (Word and LibreOffice both honour them) and explicit borders."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table.autofit = False
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(int(sum(widths_mm) / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if borders:
            for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
                element.set(qn(key), value)
        else:
            element.set(qn("w:val"), "nil")
        edges.append(element)
    tbl_pr.append(edges)
    for column, w in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)


def _row_flags(row: Any, *, header: bool) -> None:
    """A row never splits across pages; the header row repeats on each page."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
