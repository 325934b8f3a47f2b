"""Machine output on stdout, without rich: light commands print through this alone."""

from __future__ import annotations

import sys


def emit(text: str) -> None:
    """Write machine output (JSON, CSV) to stdout exactly, without rich's wrapping."""
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
