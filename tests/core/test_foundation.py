"""Small shared pieces: exact JSON, atomic writes, diagnostics text, start-up imports."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoprov.core.atomic import write_atomic, write_text_atomic
from isoprov.core.diagnostics import Diagnostic, Severity, format_path
from isoprov.core.jsonout import dumps, plain_decimal


def test_json_writes_decimals_exactly() -> None:
    text = dumps({"a": Decimal("82.250"), "b": Decimal("126"), "c": [Decimal("0.10"), None, True, "Tốt"]})
    assert json.loads(text, parse_float=Decimal) == {
        "a": Decimal("82.25"),
        "b": 126,
        "c": [Decimal("0.1"), None, True, "Tốt"],
    }
    assert '"Tốt"' in text  # not \\u-escaped


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12))
def test_plain_decimal_round_trips(value: Decimal) -> None:
    text = plain_decimal(value)
    assert "E" not in text and "e" not in text
    assert Decimal(text) == value


@given(
    st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=1000), max_size=8),
    st.integers(min_value=0, max_value=3),
)
def test_json_writes_equal_decimals_alike_however_written(values: list[Decimal], zeros: int) -> None:
    """Each number as plain_decimal writes it, also when an equal one written otherwise (``2.50``
    after ``2.5``, ``-0`` after ``0``) came first: the text of a value is remembered."""
    padded = [Decimal(f"{v:f}" + ("0" * zeros if "." in f"{v:f}" else "")) for v in values]
    for batch in (values, padded, [-v for v in values]):
        assert json.loads(dumps(batch), parse_float=str, parse_int=str) == [plain_decimal(v) for v in batch]


def test_json_refuses_floats_and_other_objects() -> None:
    with pytest.raises(TypeError):
        dumps({"x": object()})


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("cũ", encoding="utf-8")

    def broken(tmp: Path) -> None:
        tmp.write_text("một nửa", encoding="utf-8")
        raise RuntimeError("hỏng giữa chừng")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text(encoding="utf-8") == "cũ"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_atomic_write_replaces_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    write_text_atomic(target, "mới")
    assert target.read_text(encoding="utf-8") == "mới"


def test_diagnostic_text_names_file_line_column_and_path() -> None:
    d = Diagnostic("a.yaml", "điểm 11 nằm ngoài khoảng", 12, 5, format_path(("scores", "2.3", "self")), Severity.ERROR)
    assert d.text() == 'a.yaml:12:5: lỗi scores."2.3".self: điểm 11 nằm ngoài khoảng'
    assert d.as_json() == {
        "file": "a.yaml",
        "line": 12,
        "column": 5,
        "message": 'scores."2.3".self: điểm 11 nằm ngoài khoảng',
    }


def test_format_path() -> None:
    assert format_path(("items", 4, "breakdown", 2, "rate")) == "items[4].breakdown[2].rate"
    assert format_path(("scores", "T")) == "scores.T"


def test_start_up_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; import isoprov.cli; "
        "heavy = [m for m in ('openpyxl', 'jinja2', 'docx', 'pydantic', 'yaml') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def _modules_after(*argv: str) -> tuple[str, set[str]]:
    """Run ``isoprov ARGV`` in a fresh interpreter; its stdout and the top-level packages it imported."""
    code = (
        "import sys\n"
        f"sys.argv = ['isoprov', *{list(argv)!r}]\n"
        "from isoprov.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stdout.write('\\nMODULES ' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    out, _, modules = run.stdout.rpartition("\nMODULES ")
    return out, set(modules.split())


HEAVY = {"pydantic", "pydantic_core", "openpyxl", "jinja2", "docx", "yaml", "rich", "lxml"}


def test_budget_words_is_a_light_command() -> None:
    """`budget words` starts about as fast as typer itself (issue 16): typer would import
    pydantic to coerce its argument, the budget command module the budget model."""
    out, modules = _modules_after("budget", "words", "126000000")
    assert out.strip() == "Một trăm hai mươi sáu triệu đồng chẵn"
    assert modules & HEAVY == set()


def test_a_command_that_needs_pydantic_still_gets_it() -> None:
    """The check above can fail: a heavy command run the same way imports them."""
    _, modules = _modules_after("schema", "budget")
    assert "pydantic" in modules


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("--version")
    assert run.exit_code == 0 and run.stdout.startswith("isoprov ")
