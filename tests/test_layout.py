"""The shape of the code base: rules that keep it readable, checked like any behaviour."""

from __future__ import annotations

import pytest

from tests import ROOT


def test_no_test_builds_its_own_cli_runner() -> None:
    """A ``CliRunner`` of its own catches exceptions, so its test could pass on a crash."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").rglob("*.py")
        if p.name not in ("clirun.py", "test_layout.py") and "CliRunner" in p.read_text(encoding="utf-8")
    ]
    assert offenders == [], f"dùng tests.clirun.invoke thay cho CliRunner: {offenders}"


def test_tests_mirror_the_package() -> None:
    """Each test folder is named for a package of isoprov (``tests/scoring`` ↔ ``isoprov/scoring``)."""
    packages = {p.name for p in (ROOT / "isoprov").iterdir() if (p / "__init__.py").exists()}
    folders = {p.name for p in (ROOT / "tests").iterdir() if (p / "__init__.py").exists()}
    assert folders <= packages, f"thư mục kiểm thử không khớp gói nào: {sorted(folders - packages)}"


def test_each_layer_imports_only_the_layers_below_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The import-linter contract of pyproject.toml: core < scoring, budget < excel < pipeline <
    documents < schemas < commands < cli. A broken layer prints the offending import chain."""
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0


def test_every_test_the_readme_cites_exists() -> None:
    """The README's guarantees name the tests that check them: each file and test must exist."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cited = re.findall(r"`(tests/[\w/]+\.py)((?:::\w+)?)`", readme)
    assert len(cited) >= 10
    for file, name in cited:
        path = ROOT / file
        assert path.exists(), file
        if name:
            assert f"def {name[2:]}(" in path.read_text(encoding="utf-8"), f"{file}{name}"
    # `::name` written after another citation refers to the file cited just before it
    for follower in re.findall(r"`::(\w+)`", readme):
        assert any(f"def {follower}(" in (ROOT / f).read_text(encoding="utf-8") for f, _ in cited), follower
