"""Which files a command reads: one rule for every command that takes files or folders.

A file named on the command line is always read. In a folder, searched recursively, a file is
read when its suffix is one the command reads; passed over without a word are hidden files and
folders (``.git/``, an editor's ``.history/`` of old copies) and Office lock files (``~$…``, left
while a workbook is open). Everything else that is passed over is said, once per item:

- a folder that cannot be read is an error (its files would be missing from the results);
- a folder reached again through a link (a loop) is a warning, and is not read twice;
- a link that leads nowhere, with a suffix the command reads, is a warning;
- where the command reads Excel forms, a spreadsheet in another format (``.xlsm``, ``.xls``,
  ``.ods``, ``.xlsb``) is an error that asks for ``.xlsx``: an agency's submission must not
  vanish from the ranking because of how it was saved;
- a folder in which nothing at all is found (a wrong or an empty folder) is a warning
  (:meth:`Discovery.empty_folders`).

Files come in path order: the paths in the order given, each folder's files sorted. A file
reached twice (``score dir dir/a.yaml``) is read once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from isoprov.core.diagnostics import Diagnostic, Severity, os_error_text

YAML_SUFFIXES = (".yaml", ".yml")
FORM_SUFFIXES = (".xlsx",)
#: What ``score`` and ``validate`` read: YAML files and filled forms.
ASSESSMENT_SUFFIXES = (*YAML_SUFFIXES, *FORM_SUFFIXES)
#: Spreadsheets an agency may send instead of the ``.xlsx`` form.
OTHER_SPREADSHEETS = (".xlsm", ".xls", ".ods", ".xlsb")


#: The code of the warning for a folder given in which nothing was found (a wrong or empty one):
#: said on stderr also where a command's JSON lists only errors.
NOTHING_FOUND = "nothing-found"


def is_passed_over(name: str) -> bool:
    """Hidden files and folders, and Office lock files: never read from a folder."""
    return name.startswith((".", "~$"))


@dataclass
class Discovery:
    """The files to read (each with whether it was named explicitly) and what was passed over."""

    files: list[tuple[Path, bool]] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    #: The folders given, in order; and those in which the search found nothing at all: no
    #: file to read (even one read already through another path), nothing passed over with a word.
    folders: list[Path] = field(default_factory=list)
    empty: list[Path] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return [path for path, _ in self.files]

    def empty_folders(self, what: str) -> list[Diagnostic]:
        """A warning for each folder given in which nothing was found: ``what`` names what the
        command looked for."""
        return [
            Diagnostic(str(folder), f"không có {what} nào ở đây", severity=Severity.WARNING, code=NOTHING_FOUND)
            for folder in self.empty
        ]


def discover(paths: Iterable[Path], suffixes: tuple[str, ...], *, forms: bool = False) -> Discovery:
    """The files under ``paths`` with one of ``suffixes`` (see the module's rule).

    ``forms``: the command reads Excel forms, so other spreadsheet formats found in a folder are
    errors rather than unknown files.
    """
    found = Discovery()
    seen: set[Path] = set()
    folders: dict[Path, Path] = {}  # folder → its resolved path

    def add(path: Path, explicit: bool) -> None:
        key = path.resolve() if explicit or path.is_symlink() else _resolved_in(path, folders)
        if key not in seen:
            seen.add(key)
            found.files.append((path, explicit))

    for path in paths:
        if path.is_dir():
            found.folders.append(path)
            said = len(found.problems)
            inside = _folder_files(path, suffixes, forms, found.problems)
            if not inside and len(found.problems) == said and path not in found.empty:
                found.empty.append(path)
            for p in inside:
                add(p, False)
        else:
            add(path, True)
    return found


def _folder_files(root: Path, suffixes: tuple[str, ...], forms: bool, problems: list[Diagnostic]) -> list[Path]:
    out: list[Path] = []
    visited: set[tuple[int, int]] = set()

    def unreadable(exc: OSError) -> None:
        problems.append(Diagnostic(str(exc.filename or root), os_error_text(exc, "đọc thư mục") + _SKIPPED_FOLDER))

    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=True):
        here = Path(folder)
        try:
            stat = here.stat()
        except OSError as exc:  # gone or unreadable since it was listed
            unreadable(exc)
            dirs[:] = []
            continue
        identity = (stat.st_dev, stat.st_ino)
        if identity in visited:
            problems.append(
                Diagnostic(
                    folder,
                    "thư mục này dẫn (qua liên kết) về một thư mục đã đọc; bỏ qua để không đọc lại và không lặp vô tận",
                    severity=Severity.WARNING,
                )
            )
            dirs[:] = []
            continue
        visited.add(identity)
        dirs[:] = sorted(d for d in dirs if not is_passed_over(d))
        for name in names:
            if is_passed_over(name):
                continue
            suffix = os.path.splitext(name)[1].lower()
            path = here / name
            if suffix in suffixes:
                if path.is_file():
                    out.append(path)
                elif path.is_symlink():
                    problems.append(
                        Diagnostic(str(path), "liên kết này không dẫn tới tệp nào; bỏ qua", severity=Severity.WARNING)
                    )
            elif forms and suffix in OTHER_SPREADSHEETS:
                problems.append(other_spreadsheet(path))
    return sorted(out)


def other_spreadsheet(path: Path) -> Diagnostic:
    """The error for a spreadsheet in another format than the ``.xlsx`` form (``.xlsm``…)."""
    return Diagnostic(
        str(path),
        f"tệp bảng tính dạng `{path.suffix.lower()}` không được đọc; isoprov chỉ đọc biểu mẫu `.xlsx`: "
        "hãy mở tệp bằng Excel và lưu lại dưới dạng «Excel Workbook (*.xlsx)»",
    )


_SKIPPED_FOLDER = "; các tệp trong thư mục này không được đọc"


def _resolved_in(path: Path, folders: dict[Path, Path]) -> Path:
    """``path.resolve()`` for a file found in a folder that is not itself a link: its folder
    resolved, then its name. Speed: one resolution per folder instead of one per file (each
    resolution looks at every part of the path)."""
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name
