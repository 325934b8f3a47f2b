"""Every benchmark measures isoprov as a user's install runs it: from compiled bytecode.

``pip install .`` compiles the package's modules to ``.pyc`` files; an editable checkout gets
them on its first run, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on the machine these
figures were taken on), in which case every command compiled isoprov's ~100 modules from
source again (~40 ms of each start-up). The benchmarks compile them once before timing; the
floors' libraries are installed, so already compiled.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "isoprov"


def compile_package() -> None:
    """Write the ``.pyc`` files of the checkout's package (py_compile writes them even when
    ``PYTHONDONTWRITEBYTECODE`` is set; imports read them either way)."""
    if not compileall.compile_dir(PACKAGE, quiet=1):
        raise SystemExit(f"could not compile {PACKAGE}")
