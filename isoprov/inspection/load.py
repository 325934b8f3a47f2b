"""One inspection with everything it names: its registry, its budget and the minutes found in
``bien-ban/`` beside it (SPEC §9: paths inside a file are relative to that file's folder)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from isoprov.core.diagnostics import Diagnostic, InputError
from isoprov.core.loading import YamlDocument, load_yaml
from isoprov.inspection.model import Inspection, Minutes, load_inspection, load_minutes, resolve
from isoprov.scoring.registry import RegisteredAgency, Registry, agency_key, registry_from

#: The folder of minutes, beside the inspection file.
MINUTES_DIR = "bien-ban"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadedMinutes:
    """A valid minutes file and where it came from."""

    path: Path
    minutes: Minutes
    doc: YamlDocument


@dataclass
class InspectionSet:
    """An inspection, its registry (None when it could not be read) and its valid minutes;
    ``diagnostics`` holds the files that could not be read (they go to ``errors``)."""

    path: Path
    inspection: Inspection
    doc: YamlDocument
    registry: Registry | None = None
    registry_doc: YamlDocument | None = None
    minutes: list[LoadedMinutes] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)  # minutes files whose errors are in diagnostics

    @property
    def agencies(self) -> tuple[RegisteredAgency, ...]:
        return self.registry.agencies if self.registry is not None else ()

    def agency(self, code: str) -> RegisteredAgency | None:
        """The registry's agency of ``code`` (compared as :func:`agency_key`: `SNV` = `snv`)."""
        key = agency_key(code)
        return next((a for a in self.agencies if agency_key(a.code) == key), None)

    def name_of(self, code: str) -> str:
        found = self.agency(code)
        return found.name if found is not None else code

    def minutes_of(self, code: str) -> LoadedMinutes | None:
        key = agency_key(code)
        return next((m for m in self.minutes if agency_key(m.minutes.agency) == key), None)


def minutes_files(inspection_path: Path) -> list[Path]:
    """The minutes files beside an inspection: ``bien-ban/*.yaml`` in name order."""
    folder = inspection_path.parent / MINUTES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in YAML_SUFFIXES)


def load_set(path: Path) -> tuple[InspectionSet | None, list[Diagnostic]]:
    """Load an inspection file and what it names. The inspection itself failing gives None and
    its diagnostics; a registry or minutes file failing is recorded in the set's diagnostics."""
    try:
        inspection, doc = load_inspection(path)
    except InputError as exc:
        return None, exc.diagnostics
    found = InspectionSet(path, inspection, doc)
    registry_path = resolve(path.parent, inspection.agencies)
    if not registry_path.is_file():
        found.diagnostics.append(doc.diagnostic(("agencies",), f"không tìm thấy danh sách cơ quan `{registry_path}`"))
    else:
        try:
            registry_doc = load_yaml(registry_path)
            found.registry = registry_from(registry_doc)
            found.registry_doc = registry_doc
        except InputError as exc:
            found.diagnostics.extend(exc.diagnostics)
    for minutes_path in minutes_files(path):
        try:
            minutes, minutes_doc = load_minutes(minutes_path)
        except InputError as exc:
            found.diagnostics.extend(exc.diagnostics)
            found.unreadable.append(minutes_path)
            continue
        found.minutes.append(LoadedMinutes(minutes_path, minutes, minutes_doc))
    return found, []
