"""What goes wrong while rendering a document, said in Vietnamese for the user."""

from __future__ import annotations

#: The longest message isoprov prints about a template: a message quoting a huge value (the
#: 1,000,000-character string a template built) must stay readable.
MAX_MESSAGE = 1000


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` at most ``limit`` characters: its start and its end, the middle left out."""
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    tail = limit - head - 40  # the marker in between
    return f"{text[:head]} … (bỏ bớt {len(text) - head - tail:,} ký tự) … {text[-tail:]}".replace(",", ".")


class RenderError(Exception):
    """A template or markup problem, with a Vietnamese message for the user (at most
    :data:`MAX_MESSAGE` characters)."""

    def __init__(self, message: str) -> None:
        super().__init__(clip(message))
