"""What goes wrong while rendering a document, said in Vietnamese for the user."""

from __future__ import annotations


class RenderError(Exception):
    """A template or markup problem, with a Vietnamese message for the user."""
