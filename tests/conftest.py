"""Shared fixtures: paths to test data and a runner for the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import DATA
from tests.clirun import invoke


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
        result = invoke(args)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def starter(cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder written by ``isoprov init``, made the current folder."""
    folder = tmp_path / "lam-viec"
    run = cli("init", folder)
    assert run.exit_code == 0, run.stderr
    monkeypatch.chdir(folder)
    return folder


#: Tests that open a file with LibreOffice run where it is installed (a CI machine may lack it).
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def libreoffice_convert(tmp_path: Path, *files: Path, to: str = "xlsx", out: Path | None = None) -> tuple[Path, str]:
    """Open ``files`` with LibreOffice headless and save them as ``to`` in ``out`` (default
    ``tmp_path/lo``), as an agency saving a form would: every formula is computed on saving.
    Returns the folder and LibreOffice's stderr (for assertion messages)."""
    folder = out if out is not None else tmp_path / "lo"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    return folder, done.stderr


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, finished but not reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
