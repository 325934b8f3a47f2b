"""Where the shipped data lives: inside the wheel (``isoprov/_data``) or, in a source checkout,
at the top of the repository (``criteria/``, ``norms/``, ``templates/``)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # isoprov/


def shipped_dir(name: str) -> Path:
    """The folder of shipped ``criteria``, ``norms`` or ``templates``."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
