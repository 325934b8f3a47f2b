"""``isoprov init DIR``: a working folder that ``score``, ``budget check`` and ``render`` run on
as it is: one working year (2026, tỉnh Bắc Ninh, levels ``tinh`` and ``xa``) with a criteria set,
three assessments, an agency registry, a budget, a plan, a score report, the yearly inspection, a
README in Vietnamese, and the JSON Schemas the YAML files point their editor at. Every file under
``isoprov/starter/`` is written (package data of the wheel, since it lies inside the package)."""

from __future__ import annotations

import shlex
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from isoprov.commands.common import stdout, usage_error
from isoprov.core.atomic import write_bytes_atomic, write_text_atomic
from isoprov.core.diagnostics import ExitCode
from isoprov.schemas import KINDS, schema_text

#: The starter files, shipped inside the package (``isoprov/starter/``).
STARTER = "starter"


def starter_files() -> list[tuple[str, bytes]]:
    """Every starter file as (relative POSIX path, content), in path order."""
    root = resources.files("isoprov").joinpath(STARTER)
    out: list[tuple[str, bytes]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith((".", "__")):
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                out.append((prefix + child.name, child.read_bytes()))

    walk(root, "")
    return out


def run(directory: Path, force: bool) -> int:
    """Create the working folder; refuse a non-empty one unless ``force`` (exit 2)."""
    if directory.exists() and not directory.is_dir():
        usage_error(f"`{directory}` đã có và không phải là thư mục")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        usage_error(
            f"thư mục `{directory}` đã có tệp; isoprov init chỉ tạo thư mục làm việc trong thư mục trống "
            "(dùng --force để ghi đè các tệp mẫu cùng tên, giữ nguyên các tệp khác)"
        )
    written: list[str] = []
    for name, content in starter_files():
        write_bytes_atomic(directory / name, content)
        written.append(name)
    for kind in KINDS:
        name = f"schemas/{kind}.json"
        write_text_atomic(directory / name, schema_text(kind))
        written.append(name)
    stdout.print(f"Đã tạo thư mục làm việc {directory} với {len(written)} tệp:", markup=False)
    for name in written:
        stdout.print(f"  {name}", markup=False)
    stdout.print("Thử ngay:", markup=False)
    for line in (
        f"cd {shlex.quote(str(directory))}",  # a folder name with spaces must still paste as one
        "isoprov score .",
        "isoprov budget check du-toan.yaml",
        "isoprov render plan ke-hoach.yaml -o ke-hoach.docx",
        "isoprov inspect check kiem-tra/kiem-tra-2026.yaml",
    ):
        stdout.print(f"  {line}", markup=False)
    stdout.print("Hướng dẫn chi tiết: README.md", markup=False)
    return int(ExitCode.OK)
