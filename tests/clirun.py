"""The one way tests run the CLI in-process.

``typer.testing.CliRunner`` catches exceptions by default, so a test that only looks at the exit
code or at stderr could pass on a crash. Every CLI test goes through :func:`invoke`, which lets
exceptions through; ``tests/test_layout.py`` checks that no test builds its own runner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from isoprov.cli import app


def invoke(args: Sequence[str | Path], env: Mapping[str, str] | None = None, input: str | None = None) -> Any:
    """Run ``isoprov ARGS``; an exception inside the command fails the test instead of an exit code."""
    return CliRunner().invoke(app, [str(a) for a in args], env=env, input=input, catch_exceptions=False)
