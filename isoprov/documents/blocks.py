"""Document blocks: what the markup a template writes is parsed into (:mod:`.markup`), and what
the HTML and DOCX writers lay out: paragraphs of runs, headings, bullet lists, tables, and the
regions of a Nghị định 30/2020 document (header columns, title, Nơi nhận, signature block).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

#: Regions a template may open with ``::: NAME``.
REGIONS = frozenset(
    {
        "issuer",  # left header column: parent body, issuing body (rule below)
        "motto",  # right header column: Quốc hiệu and Tiêu ngữ (rule below)
        "number",  # "Số: 52/KH-BCĐ", under the issuer
        "date",  # place and date, under the motto
        "title",  # document kind and title (trích yếu), centred, short rule below
        "center",  # centred lines
        "right",  # right-aligned lines
        "recipients",  # Nơi nhận, bottom left
        "signature",  # signature block, bottom right; the last paragraph follows the signing space
        "cosign",  # a second signature block, bottom left in place of Nơi nhận (a biên bản's two signers)
        "pagebreak",  # start a new page
        "section",  # start a new section (an annex, an attached document): new page, page numbers from 1
    }
)
HEADER_REGIONS = ("issuer", "motto", "number", "date")
#: The regions laid out side by side at the bottom: left (Nơi nhận, or a second signer), right.
CLOSING_REGIONS = ("recipients", "cosign", "signature")


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text with its emphasis; ``text == "\\n"`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False

    @property
    def is_break(self) -> bool:
        return self.text == "\n"


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True, slots=True)
class TableBlock:
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    align: tuple[str, ...]
    widths: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    line: int = 0


Block = Paragraph | Heading | Bullets | TableBlock | Region


def plain_text(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)


def group_regions(blocks: Sequence[Block], start: int, names: Sequence[str]) -> tuple[dict[str, Region], int]:
    """The run of regions named in ``names`` from ``start`` on (each once), and where it ends.

    The header regions (agency, motto, number, place and date) and the closing pair (recipients,
    signature) sit side by side on the page; both writers lay each run out as one table.
    """
    group: dict[str, Region] = {}
    i = start
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, Region) or block.name not in names or block.name in group:
            break
        group[block.name] = block
        i += 1
    return group, i


def split_lines(runs: Sequence[Run]) -> list[tuple[Run, ...]]:
    """Runs cut at their line breaks (the header lays out one paragraph per line)."""
    out: list[list[Run]] = [[]]
    for run in runs:
        if run.is_break:
            out.append([])
        else:
            out[-1].append(run)
    return [tuple(line) for line in out if line]
