"""The page of a Nghị định 30/2020 document (Phụ lục I, thể thức và kỹ thuật trình bày), one
source for the DOCX and the HTML: A4 and its margins, the font sizes, the two-column header
(how wide each column, which size fits), and the length of each rule (đường kẻ).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from isoprov.documents.blocks import Paragraph, Region, Run, plain_text, split_lines
from isoprov.documents.metrics import text_width_mm

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


def line_width_mm(runs: Sequence[Run], size: float) -> float:
    """The printed width of one line of runs (bold if any run is)."""
    return text_width_mm(plain_text(runs), size, any(r.bold for r in runs))


def longest_line_mm(runs: Sequence[Run], size: float) -> float:
    """The widest line of a paragraph (cut at its line breaks), at most the text width."""
    return min(max((line_width_mm(ln, size) for ln in split_lines(runs)), default=0.0), TEXT_WIDTH_MM)


def title_rule_mm(paragraphs: Sequence[Sequence[Run]]) -> float:
    """The short rule under the kind and title: a third of its longest line (the reference line
    when there is one), 25–60 mm."""
    longest = max((longest_line_mm(p, BODY_PT) for p in paragraphs[1:] or paragraphs), default=60.0)
    return min(max(longest / 3, 25), 60)


def region_lines(region: Region | None) -> list[tuple[Run, ...]]:
    """The lines of a header region, one per line break."""
    if region is None:
        return []
    return [line for b in region.blocks if isinstance(b, Paragraph) for line in split_lines(b.runs)]


@dataclass(frozen=True)
class HeaderLayout:
    """The two-column header of Phụ lục I: issuing body | Quốc hiệu and Tiêu ngữ; Số | place, date."""

    left_mm: float
    right_mm: float
    issuer: list[tuple[Run, ...]]  # the issuer's lines, a name too long for its column broken at words
    issuer_pt: int
    issuer_rule_mm: float  # 1/3–1/2 of the issuing body's line
    motto: list[tuple[Run, ...]]
    motto_pt: int  # the Quốc hiệu; the Tiêu ngữ one size up
    motto_rule_mm: float  # as long as the Tiêu ngữ
    date_pt: int

    def motto_line_pt(self, k: int) -> int:
        return self.motto_pt + 1 if k == len(self.motto) - 1 and len(self.motto) > 1 else self.motto_pt


def header_layout(
    issuer: list[tuple[Run, ...]], motto: list[tuple[Run, ...]], date: list[tuple[Run, ...]]
) -> HeaderLayout:
    """Sizes and column widths of the header for its lines."""
    # the Quốc hiệu at 13 pt when it fits the page beside the issuer, else 12 pt (12–13 pt);
    # the Tiêu ngữ one size up (13–14 pt); the issuer's column takes the rest
    motto_size = 12
    needed = max((line_width_mm(ln, 13) for ln in motto[:-1]), default=0.0) + CELL_PADDING_MM + 1
    if needed <= HEADER_COLUMNS_MM[1]:
        motto_size = 13

    def motto_pt(k: int) -> int:
        return motto_size + 1 if k == len(motto) - 1 and len(motto) > 1 else motto_size

    right = max(
        HEADER_MIN_RIGHT_MM,
        *(line_width_mm(ln, motto_pt(k)) + CELL_PADDING_MM + 1 for k, ln in enumerate(motto)),
    )
    # the place and date stay on one line (a long place name, "Thành phố Hồ Chí Minh"): 14 pt,
    # else 13 pt (13–14 pt), widening the right column into the issuer's when it must
    date_width = max((line_width_mm(ln, DATE_PT) for ln in date), default=0.0)
    date_size = DATE_PT if date_width + CELL_PADDING_MM + 1 <= right else DATE_PT - 1
    date_width = max((line_width_mm(ln, date_size) for ln in date), default=0.0)
    right = min(max(right, date_width + CELL_PADDING_MM + 1), HEADER_MAX_RIGHT_MM)
    left = TEXT_WIDTH_MM - right
    room = left - CELL_PADDING_MM
    issuer_size = 13 if all(line_width_mm(ln, 13) <= room for ln in issuer) else 12
    issuer = [part for ln in issuer for part in fit_words(ln, issuer_size, room)]
    return HeaderLayout(
        left_mm=left,
        right_mm=right,
        issuer=issuer,
        issuer_pt=issuer_size,
        issuer_rule_mm=max(line_width_mm(issuer[-1], issuer_size) * 0.4, 15) if issuer else 0.0,
        motto=motto,
        motto_pt=motto_size,
        motto_rule_mm=line_width_mm(motto[-1], motto_pt(len(motto) - 1)) if motto else 0.0,
        date_pt=date_size,
    )


def fit_words(line: tuple[Run, ...], size: float, room: float) -> list[tuple[Run, ...]]:
    """A name too long for its column, broken into as few lines as it needs, of balanced
    lengths, at words (as a clerk types "SỞ TÀI NGUYÊN / VÀ MÔI TRƯỜNG"), instead of Word's
    ragged wrap."""
    if line_width_mm(line, size) <= room or len(line) != 1 or " " not in line[0].text.strip():
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
