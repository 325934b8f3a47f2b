"""What every command shares: consoles, printing diagnostics, usage errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.text import Text

from isoprov.commands.output import emit as emit  # here too: every command's output helper
from isoprov.core.diagnostics import Diagnostic, ExitCode, Severity
from isoprov.core.jsonout import plain_decimal
from isoprov.core.vietnamese import format_number
from isoprov.excel.cells import looks_like_formula

# Piped or redirected output is read in files and e-mails, not 80-column terminals: give tables
# room so Vietnamese agency names stay on one line.
# No emoji codes: `f.yaml:100:19` must not print as `f.yaml💯19` (rich reads `:100:` as one),
# nor an agency's name lose a `:smile:`.
stdout = Console(highlight=False, soft_wrap=False, emoji=False, width=None if sys.stdout.isatty() else 160)
stderr = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def usage_error(message: str) -> NoReturn:
    """Exit 2 with a Vietnamese message on stderr."""
    # the message names the user's paths: `[/]` or `[red]` in a file name is text, not markup
    stderr.print(Text.assemble(("Lỗi cách dùng:", "bold red"), " ", message))
    raise typer.Exit(ExitCode.USAGE)


def require_paths(paths: Iterable[Path]) -> list[Path]:
    """Every PATH must exist: a missing one is a usage error (exit 2)."""
    out = list(paths)
    for p in out:
        if not p.exists():
            usage_error(f"không tìm thấy đường dẫn `{p}`")
    return out


def require_file(path: Path, what: str, option: str | None = None) -> Path:
    """An input that must be one file (``--agencies FILE``, ``--template FILE``, DATA): a missing
    path or a folder is a usage error (exit 2), checked before any work is done."""
    where = f"`{option}`: " if option else ""
    if not path.exists():
        usage_error(f"{where}không tìm thấy {what} `{path}`")
    if path.is_dir():
        usage_error(f"{where}`{path}` là một thư mục, không phải {what}; hãy chỉ tới một tệp")
    return path


def require_output(path: Path, suffixes: tuple[str, ...], what: str) -> Path:
    """An output file must have one of ``suffixes`` and must not be a folder (usage errors, exit 2),
    checked before any work is done."""
    if path.is_dir():
        usage_error(f"`{path}` là một thư mục; hãy ghi tên tệp {suffixes[0]}")
    if path.suffix.lower() not in suffixes:
        allowed = ", ".join(suffixes[:-1]) + (" hoặc " if len(suffixes) > 1 else "") + suffixes[-1]
        usage_error(f"{what} `{path}` phải có đuôi {allowed}")
    return path


def refuse_overwriting_inputs(outputs: Iterable[tuple[str, Path | None]], inputs: Iterable[Path]) -> None:
    """An output that is one of the run's input files — the same file by name, through a link or
    a hard link — is a usage error (exit 2), said before any work: writing it would destroy the
    input (an agency's filled form, the data of a document, a template). ``outputs`` pairs each
    output with the option that names it."""
    wanted = [(option, path) for option, path in outputs if path is not None and path.exists()]
    if not wanted:
        return
    for source in inputs:
        for option, path in wanted:
            if _same_file(path, source):
                where = f"`{option}`: " if option else ""
                usage_error(
                    f"{where}tệp kết quả `{path}` chính là tệp đầu vào `{source}` của lệnh này; ghi vào đó "
                    "sẽ xóa mất tệp đầu vào. Hãy đặt tên khác cho tệp kết quả"
                )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def keep_old_output(target: Path, what: str) -> None:
    """Say that ``target`` was not written because the run produced nothing valid to put in it;
    an existing file is left as it was (a run that produced nothing keeps the old results)."""
    kept = "; tệp cũ được giữ nguyên" if target.exists() else ""
    stderr.print(f"Không ghi {target}: không có {what} hợp lệ nào{kept}.", markup=False, highlight=False)


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """Print diagnostics to stderr, one line each: ``file:line:col: lỗi path: message``."""
    for d in diagnostics:
        stderr.print(d.text(), style=_STYLE[d.severity], markup=False, highlight=False)


def csv_text(value: str) -> str:
    """Text a spreadsheet must not run as a formula (CSV injection): a leading ``'`` makes it text."""
    return "'" + value if looks_like_formula(value) else value


def csv_number(value: Decimal | None) -> str:
    """A number for CSV: its exact digits with ``.`` (``82.25``), empty for none."""
    return "" if value is None else plain_decimal(value)


def signed_points(value: Decimal, places: int = 2) -> str:
    """Points with their sign, the Vietnamese way, for tables: +2,50 / -1,25 / 0,00."""
    text = format_number(value, places)
    return f"+{text}" if value > 0 else text
