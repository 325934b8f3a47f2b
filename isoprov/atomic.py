"""Atomic output: a failure never leaves a half-written file, and an existing file is replaced
only once the new one is complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``target``, then rename it into place.

    If ``write`` raises, the temporary file is removed and ``target`` is left untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_text_atomic(target: Path, text: str) -> None:
    """Write UTF-8 text atomically."""

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(target, write)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    """Write bytes atomically."""

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomic(target, write)
