"""The results page in a real browser: headless Chromium loads it from a file with the network
off, and the page it built has every bar and row, with no console error. Skipped where Chromium
is not installed."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import ROOT
from tests.conftest import Run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

BG2020 = ROOT / "examples" / "bac-giang-2020" / "assessments"
BG2021 = ROOT / "examples" / "bac-giang-2021" / "assessments"
CONSOLE = re.compile(r":CONSOLE[:(]")


def chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Open ``page`` in headless Chromium with a fresh profile and no network services."""
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )


def tables(dom: str) -> dict[str, int]:
    """Each table's caption → its number of body rows."""
    out: dict[str, int] = {}
    for chunk in re.findall(r"<table\b.*?</table>", dom, flags=re.S):
        caption = re.search(r"<caption>(.*?)</caption>", chunk, flags=re.S)
        body = re.search(r"<tbody>(.*?)</tbody>", chunk, flags=re.S)
        key = caption.group(1) if caption else ""
        out[key] = out.get(key, 0) + (len(re.findall(r"<tr\b", body.group(1))) if body else 0)
    return out


def test_console_errors_are_seen(tmp_path: Path) -> None:
    """The check below can fail: a page that logs an error is caught."""
    page = tmp_path / "loi.html"
    page.write_text('<!DOCTYPE html><p>x</p><script>console.error("lỗi thử")</script>', encoding="utf-8")
    done = chromium(tmp_path, page, "--dump-dom")
    assert any(CONSOLE.search(line) for line in done.stderr.splitlines()), done.stderr


def test_compare_page_in_chromium(cli: Callable[..., Run], tmp_path: Path) -> None:
    page = tmp_path / "so-sanh.html"
    run = cli("compare", BG2020, BG2021, "--html", page)
    assert run.exit_code == 0, run.stderr
    done = chromium(tmp_path, page, "--dump-dom")
    assert done.returncode == 0, done.stderr
    console = [line for line in done.stderr.splitlines() if CONSOLE.search(line)]
    assert console == []
    dom = done.stdout
    # 11 agencies in both years (change bars), 12 results in 2021 (ranking bars)
    assert len(re.findall(r'<rect class="bar[ "]', dom)) == 11 + 12
    rows = tables(dom)
    assert rows["Thay đổi 2020 → 2021 — cấp tỉnh"] == 5
    assert rows["Thay đổi 2020 → 2021 — cấp huyện"] == 3
    assert rows["Thay đổi 2020 → 2021 — cấp xã"] == 3
    assert rows["Xếp hạng cấp tỉnh — kỳ 2021"] == 6
    assert rows["Điểm theo nhóm tiêu chí"] == 12 * 6  # every agency, six groups
    assert rows["Cơ quan chỉ có ở 2020"] == rows["Cơ quan chỉ có ở 2021"] == 1


def test_score_page_in_chromium_and_screenshot(cli: Callable[..., Run], tmp_path: Path) -> None:
    page = tmp_path / "ket-qua.html"
    run = cli("score", BG2020, "--html", page)
    assert run.exit_code == 0, run.stderr
    done = chromium(tmp_path, page, "--dump-dom")
    assert [line for line in done.stderr.splitlines() if CONSOLE.search(line)] == []
    assert len(re.findall(r'<rect class="bar[ "]', done.stdout)) == 12
    shot = tmp_path / "trang.png"
    done = chromium(tmp_path, page, "--hide-scrollbars", "--window-size=390,1200", f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (390, 1200)
