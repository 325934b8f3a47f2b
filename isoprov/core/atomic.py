"""Atomic output: a failure never leaves a half-written file, and an existing file is replaced
only once the new one is complete."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``target``, then rename it into place.

    If ``write`` raises, the temporary file is removed and ``target`` is left untouched.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _about(exc, target) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, _file_mode(target))
        write(tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        failed = exc if isinstance(exc, OSError) else _serialisation_io_error(exc)
        # a failed write names our temporary file, or no file at all (a full disk): say the user's
        if failed is not None and failed.filename in (str(tmp), None):
            raise _about(failed, target) from exc
        raise


def _file_mode(target: Path) -> int:
    """The mode a plain save would give: the existing file's, or 0o666 less the umask (a
    temporary file is created 0o600, which would hide a document from colleagues)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _serialisation_io_error(exc: BaseException) -> OSError | None:
    """lxml (under openpyxl and python-docx) reports a failed write as ``SerialisationError:
    IO_ENOSPC``: the operating-system error it stands for, or None for any other exception."""
    text = str(exc)
    if type(exc).__name__ != "SerialisationError" or not text.startswith("IO_"):
        return None
    code = getattr(errno, text[3:], None)
    return OSError(code, os.strerror(code)) if isinstance(code, int) else OSError(errno.EIO, text)


def _about(exc: OSError, target: Path) -> OSError:
    """The same error, about the file the user named rather than our temporary file."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(target))


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
