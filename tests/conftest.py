"""Shared fixtures: paths to test data and a runner for the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from isoprov.cli import app

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def cli() -> Callable[..., Run]:
    """Run ``isoprov ARGS`` in-process and capture stdout and stderr separately."""

    def run(*args: str | Path) -> Run:
        runner = CliRunner()
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run
