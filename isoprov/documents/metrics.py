"""How wide a line of Times New Roman prints: the header's rules are as long as their line (Nghị
định 30/2020), and a table column is never narrower than its widest number or word."""

from __future__ import annotations

import unicodedata

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
