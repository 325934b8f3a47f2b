"""``isoprov schema KIND``: print the JSON Schema of a file kind, for editor completion.

Save it beside your files and point the YAML at it with a first line such as
``# yaml-language-server: $schema=schemas/assessment.json`` (VS Code's YAML extension and other
editors built on yaml-language-server then complete keys and check values as you type).
"""

from __future__ import annotations

from isoprov.commands.common import emit, usage_error
from isoprov.core.diagnostics import ExitCode
from isoprov.schemas import KINDS, schema_text


def run(kind: str) -> int:
    """Print the schema of ``kind`` on stdout."""
    if kind not in KINDS:
        usage_error(f"loại tệp `{kind}` không có; các loại: {', '.join(KINDS)}")
    emit(schema_text(kind))
    return int(ExitCode.OK)
