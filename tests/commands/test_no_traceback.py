"""No traceback, ever: under any input bytes, a closed stream or a failing disk, the user reads a
located Vietnamese message (issue: never lose or clobber a user's file)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isoprov.core.diagnostics import InputError
from isoprov.core.loading import decode_text, parse_yaml
from tests import ROOT

PLAN = ROOT / "examples" / "bac-giang-2020" / "ke-hoach.yaml"
ASSESSMENTS = ROOT / "examples" / "bac-giang-2020" / "assessments"


def _isoprov(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "isoprov", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


YAML_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200).map(lambda s: s.encode("utf-8")),
    st.lists(
        st.sampled_from(
            [
                b"a: ",
                b"- ",
                b"{",
                b"}",
                b"[",
                b"]",
                b"&x ",
                b"*x",
                b"!!python/object ",
                b"\n",
                b"  ",
                b"'",
                b'"',
                b"1_0",
                b"\x00",
                b"\xef\xbb\xbf",
                b"\xff\xfe",
                b"#",
                b": ",
                b"?",
            ]
        ),
        max_size=40,
    ).map(b"".join),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAML_BYTES)
def test_the_loader_answers_any_bytes_with_data_or_located_diagnostics(raw: bytes) -> None:
    try:
        parse_yaml(decode_text(raw, "t.yaml"), "t.yaml")
    except InputError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.file == "t.yaml" and d.message
            assert d.line is None or d.line >= 1


def test_a_closed_stdout_is_said_not_a_traceback(tmp_path: Path) -> None:
    out = tmp_path / "kq.xlsx"
    done = _isoprov("score", ASSESSMENTS, "--xlsx", out, stdout=None, preexec_fn=lambda: os.close(1))
    assert "Traceback" not in done.stderr
    assert "đầu ra chuẩn (stdout) đã bị đóng" in done.stderr
    assert done.returncode == 0 and out.exists()  # the file asked for is still written


def _small_files() -> None:
    # writes past 20 kB fail with EFBIG, as on a full disk (Python ignores SIGXFSZ)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_write_that_fails_midway_leaves_nothing_and_prints_no_traceback(tmp_path: Path) -> None:
    for args in (
        ("render", "plan", PLAN, "-o", tmp_path / "kh.docx"),
        ("score", ASSESSMENTS, "--xlsx", tmp_path / "kq.xlsx"),
    ):
        done = _isoprov(*args, preexec_fn=_small_files)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
        assert f"`{args[-1]}`" in done.stderr  # the message names the user's file
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file left behind
