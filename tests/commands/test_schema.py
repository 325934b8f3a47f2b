"""``isoprov schema KIND``: JSON Schemas with Vietnamese descriptions, kept equal to ``schemas/``,
matching what isoprov accepts; the shipped YAML files point their editor at them (issue 5)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from isoprov import __version__
from isoprov.commands.validate import detect_kind
from isoprov.core.loading import load_yaml
from isoprov.schemas import KINDS, json_schema, schema_text
from tests import DATA, ROOT
from tests.conftest import Run

Cli = Callable[..., Run]
SCHEMAS = ROOT / "schemas"
STARTER = ROOT / "isoprov" / "starter"
_VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)
_SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def shipped_yaml() -> list[Path]:
    """The YAML files the project ships: criteria sets, norms, examples, the init starter."""
    out: list[Path] = []
    for folder in (ROOT / "criteria", ROOT / "norms", ROOT / "examples", STARTER):
        out.extend(sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")))
    return out


def plain(value: Any) -> Any:
    """Loaded YAML as an editor's YAML server sees it (numbers, text), for jsonschema."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def validator(kind: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json_schema(kind))


def objects(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema node that describes an object with properties."""
    if isinstance(node, dict):
        if "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from objects(value, f"{where}/{i}")


@pytest.mark.parametrize("kind", KINDS)
def test_schema_command_prints_a_valid_json_schema(cli: Cli, kind: str) -> None:
    run = cli("schema", kind)
    assert run.exit_code == 0
    schema = run.json()
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"  # what yaml-language-server supports
    assert _VIETNAMESE.search(schema["title"])


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_a_vietnamese_description(kind: str) -> None:
    schema = json_schema(kind)
    missing, english = [], []
    for where, node in objects(schema):
        if not _VIETNAMESE.search(node.get("description", "")):
            english.append(where or "/")
        for name, prop in node["properties"].items():
            if not _VIETNAMESE.search(prop.get("description", "")):
                missing.append(f"{where}.{name}")
    assert not missing, f"fields without a Vietnamese description: {missing}"
    assert not english, f"models without a Vietnamese description: {english}"


def titles(node: Any, where: str = "") -> Iterator[str]:
    """Where a schema node has a ``title`` (property names, such as a field called title, excluded)."""
    if isinstance(node, dict):
        if isinstance(node.get("title"), str):
            yield where or "/"
        for key, value in node.items():
            if key == "properties":
                for name, sub in value.items():
                    yield from titles(sub, f"{where}.{name}")
            elif key not in ("required", "enum", "default"):
                yield from titles(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from titles(value, f"{where}/{i}")


@pytest.mark.parametrize("kind", KINDS)
def test_no_english_titles_derived_from_field_names(kind: str) -> None:
    assert list(titles(json_schema(kind))) == ["/"]


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schemas_equal_the_command_output(kind: str) -> None:
    committed = SCHEMAS / f"{kind}.json"
    assert committed.is_file(), f"run: isoprov schema {kind} > schemas/{kind}.json"
    assert committed.read_text(encoding="utf-8") == schema_text(kind), (
        f"schemas/{kind}.json is stale; run: isoprov schema {kind} > schemas/{kind}.json"
    )


@pytest.mark.parametrize("path", shipped_yaml(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_yaml_is_valid_under_its_schema(path: Path) -> None:
    doc = load_yaml(path)
    kind = detect_kind(doc.data)
    assert kind is not None
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(plain(doc.data))]
    assert not errors


@pytest.mark.parametrize("path", shipped_yaml(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_yaml_points_its_editor_at_its_schema(path: Path) -> None:
    # yaml-language-server reads the modeline from any comment line; the shipped files keep it as
    # their last line, so that adding it moved no line number that messages and tests refer to.
    lines = [m for line in path.read_text(encoding="utf-8").splitlines() if (m := _SCHEMA_LINE.match(line))]
    assert len(lines) == 1, f"{path}: add the line `# yaml-language-server: $schema=…`"
    match = lines[0]
    kind = detect_kind(load_yaml(path).data)
    target = match[1]
    assert Path(target).name == f"{kind}.json"
    if path.is_relative_to(STARTER):
        return  # the starter's schemas are written by `isoprov init` (see tests/test_init.py)
    assert (path.parent / target).resolve() == (SCHEMAS / f"{kind}.json").resolve()


@pytest.mark.parametrize("path", sorted((DATA / "assessment").glob("valid-*.yaml")), ids=lambda p: p.name)
def test_valid_assessments_are_valid_under_the_schema(path: Path) -> None:
    assert not list(validator("assessment").iter_errors(plain(load_yaml(path).data)))


def test_the_schema_accepts_the_shorthands() -> None:
    data = {
        "agency": {"code": "SNV", "name": "Sở Nội vụ", "level": "tinh"},
        "criteria": "thu-nghiem",
        "period": 2020,  # a number where text is expected
        "scores": {"1.1": 2, "1.2": {"self": 1.5, "evidence": "Quyết định số 1"}, "2.4": {"na": "Không có"}},
    }
    assert not list(validator("assessment").iter_errors(data))


@pytest.mark.parametrize(
    ("kind", "text_branch"),
    [
        ("assessment", {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"}),
        ("criteria", {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"}),
        ("budget", {"type": "string", "pattern": r"\d"}),  # 500.000 đồng/ngày
    ],
)
def test_decimal_fields_are_described_by_us_not_by_the_pydantic_version(kind: str, text_branch: Any) -> None:
    def decimal_text_branches(node: Any) -> Iterator[Any]:
        if isinstance(node, dict):
            branches = node.get("anyOf", [])
            if any(b.get("type") == "number" for b in branches):
                yield from (b for b in branches if b.get("type") == "string")
            for value in node.values():
                yield from decimal_text_branches(value)
        elif isinstance(node, list):
            for value in node:
                yield from decimal_text_branches(value)

    found = list(decimal_text_branches(json_schema(kind)))
    assert found and all(b == text_branch for b in found)


def test_a_norm_cap_is_money_text_with_its_unit() -> None:
    cap = {"id": "an", "title": "Ăn", "per": "người/ngày", "source": "Thông tư 40/2017/TT-BTC"}
    good = {"caps": [{**cap, "max": "150.000 đồng"}]}
    bad = {"caps": [{**cap, "max": 150000}]}
    assert not list(validator("norms").iter_errors(good))
    assert list(validator("norms").iter_errors(bad))


@pytest.mark.parametrize(
    ("points", "valid"),
    [
        (7.5, True),
        ("7.5", True),
        (" 7.5 ", True),
        ("+.5", True),
        ("5.", True),
        ("7,5", False),
        ("bảy", False),
        ("", False),
        (".", False),
        ("1e3", False),
    ],
)
def test_points_as_text_must_be_a_decimal_number(points: Any, valid: bool) -> None:
    # the schema says what the model accepts, whatever pydantic version generated it
    data = {
        "agency": {"code": "SNV", "name": "Sở Nội vụ", "level": "tinh"},
        "criteria": "thu-nghiem",
        "period": "2020",
        "scores": {"1.1": {"self": points}},
    }
    assert (not list(validator("assessment").iter_errors(data))) is valid


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("assessment", DATA / "assessment" / "unknown-key.yaml"),
        ("criteria", DATA / "criteria" / "unknown-key.yaml"),
        ("budget", DATA / "budget" / "unknown-key.yaml"),
    ],
)
def test_the_schema_catches_a_typo_in_a_key(kind: str, path: Path) -> None:
    def messages(errors: Any) -> Iterator[str]:
        for e in errors:
            yield e.message
            yield from messages(e.context or [])

    found = list(messages(validator(kind).iter_errors(plain(load_yaml(path).data))))
    assert any("Additional properties" in m for m in found), found


def test_an_unknown_kind_is_a_usage_error(cli: Cli) -> None:
    assert cli("schema", "khong-co").exit_code == 2


def test_version(cli: Cli) -> None:
    run = cli("--version")
    assert run.exit_code == 0
    assert run.stdout.strip() == f"isoprov {__version__}"


def test_shell_completion_is_offered(cli: Cli) -> None:
    run = cli("--help")
    assert "--install-completion" in run.stdout and "--show-completion" in run.stdout


def test_schema_json_is_utf8_not_escaped(cli: Cli) -> None:
    text = cli("schema", "criteria").stdout
    assert "Mã tiêu chí" in text and "\\u" not in text
    json.loads(text)


@pytest.mark.parametrize("kind", KINDS)
def test_the_console_script_prints_a_schema_both_drafts_accept(kind: str) -> None:
    """``isoprov schema KIND`` as a shell runs it: one JSON document on stdout, nothing on
    stderr; a valid schema under Draft 7 (what it declares) and Draft 2020-12, accepting every
    shipped file of its kind read as a plain YAML reader reads it."""
    script = shutil.which("isoprov")
    if script is None:
        pytest.skip("the isoprov console script is not installed")
    done = subprocess.run([script, "schema", kind], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stderr == b""
    schema = json.loads(done.stdout.decode("utf-8"))
    shipped = [p for p in shipped_yaml() if detect_kind(load_yaml(p).data) == kind]
    assert shipped, kind
    for draft in (jsonschema.Draft7Validator, jsonschema.Draft202012Validator):
        draft.check_schema(schema)
        for path in shipped:
            data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in draft(schema).iter_errors(data)]
            assert not errors, (draft.__name__, path, errors)
