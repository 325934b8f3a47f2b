"""Diagnostics: user mistakes as data, not exceptions.

Every loader and check returns a list of :class:`Diagnostic` records and keeps going; the CLI
only prints them and picks the exit code (0 ok, 1 some input failed, 2 usage error).
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum


class Severity(StrEnum):
    """Mức độ: lỗi (error), cảnh báo (warning), ghi chú (note)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


SEVERITY_LABEL = {Severity.ERROR: "lỗi", Severity.WARNING: "cảnh báo", Severity.NOTE: "ghi chú"}


class ExitCode(IntEnum):
    """Exit statuses fixed by the SPEC."""

    OK = 0
    INVALID = 1
    USAGE = 2


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about one input file, with where it is and what is wrong (in Vietnamese)."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    severity: Severity = Severity.ERROR
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def with_file(self, file: str) -> Diagnostic:
        return replace(self, file=file)

    def location(self) -> str:
        """``file:line:column`` with the parts that are known."""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def text(self) -> str:
        """The one-line form printed to users: ``file:line:col: lỗi [path]: message``."""
        where = f" {self.path}" if self.path else ""
        code = f" ({self.code})" if self.code else ""
        return f"{self.location()}: {SEVERITY_LABEL[self.severity]}{code}{where}: {self.message}"

    def as_json(self) -> dict[str, object]:
        """The SPEC's ``errors`` entry, key for key: file, line, column, message (with the path)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message if not self.path else f"{self.path}: {self.message}",
        }


class InputError(Exception):
    """Raised inside loaders to abandon one file; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(d.text() for d in self.diagnostics))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def exit_code(diagnostics: Iterable[Diagnostic]) -> ExitCode:
    return ExitCode.INVALID if has_errors(diagnostics) else ExitCode.OK


def format_path(parts: Iterable[str | int]) -> str:
    """Render a path inside a document the way the SPEC shows it: ``scores."2.3".self``."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
            continue
        text = part if _is_plain_key(part) else f'"{part}"'
        out.append(("." if out else "") + text)
    return "".join(out)


def _is_plain_key(key: str) -> bool:
    return bool(key) and (key[0].isalpha() or key[0] == "_") and all(c.isalnum() or c in "_-" for c in key)


_OS_ERRORS = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền",
    errno.EPERM: "không được phép",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.ENOSPC: "ổ đĩa đã hết chỗ trống",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EEXIST: "đã có tệp trùng tên",
    errno.EFBIG: "tệp vượt quá kích thước cho phép",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EIO: "lỗi đọc/ghi ổ đĩa",
}


def os_error_text(exc: OSError, action: str = "đọc/ghi") -> str:
    """An operating-system error in Vietnamese, naming the file."""
    what = _OS_ERRORS.get(exc.errno or 0, exc.strerror or str(exc) or type(exc).__name__)
    where = exc.filename if exc.filename is not None else ""
    return f"không {action} được `{where}`: {what}" if where else f"lỗi hệ thống: {what}"
