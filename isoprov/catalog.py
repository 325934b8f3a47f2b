"""Finding criteria sets by id: each ``--criteria`` file or folder, then ``./criteria/``, then
the sets shipped with the package (SPEC §4). A set is validated only when it is asked for,
except those named explicitly, which are always checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from isoprov.criteria import CriteriaSet, check_criteria_set
from isoprov.diagnostics import Diagnostic, InputError, has_errors
from isoprov.loading import YamlDocument, load_yaml
from isoprov.resources import shipped_dir
from isoprov.validation import validate_document

YAML_SUFFIXES = (".yaml", ".yml")


def yaml_files(path: Path) -> list[Path]:
    """A file itself, or the YAML files under a folder, in path order."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in YAML_SUFFIXES and p.is_file())
    return [path]


def load_criteria_set(path: Path) -> tuple[CriteriaSet | None, list[Diagnostic]]:
    """Load, validate and check one criteria file."""
    try:
        doc = load_yaml(path)
        cs = validate_document(CriteriaSet, doc)
    except InputError as exc:
        return None, exc.diagnostics
    diagnostics = check_criteria_set(cs, doc)
    return (None if has_errors(diagnostics) else cs), diagnostics


@dataclass
class Catalog:
    """Criteria sets by id, loaded lazily from the search path."""

    explicit: list[Path] = field(default_factory=list)
    search: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    invalid: dict[str, Path] = field(default_factory=dict)
    _sets: dict[str, CriteriaSet | None] = field(default_factory=dict)
    _candidates: dict[str, Path] | None = None

    @classmethod
    def default(cls, explicit: list[Path]) -> Catalog:
        return cls(explicit=list(explicit), search=[Path("criteria"), shipped_dir("criteria")])

    def load_explicit(self) -> None:
        """Validate every explicitly named criteria file now, reporting its problems."""
        for root in self.explicit:
            for path in yaml_files(root):
                cs, diagnostics = load_criteria_set(path)
                self.diagnostics.extend(diagnostics)
                if cs is not None:
                    self._sets.setdefault(cs.id, cs)
                else:
                    cid = _peek_id(path)
                    if cid is not None:
                        self._sets.setdefault(cid, None)
                        self.invalid.setdefault(cid, path)

    def get(self, criteria_id: str) -> CriteriaSet | None:
        """The valid set with this id, or None (its problems then are in ``diagnostics``)."""
        if criteria_id in self._sets:
            return self._sets[criteria_id]
        path = self._find(criteria_id)
        if path is None:
            return None
        cs, diagnostics = load_criteria_set(path)
        self.diagnostics.extend(diagnostics)
        self._sets[criteria_id] = cs
        if cs is None:
            self.invalid[criteria_id] = path
        return cs

    def known_ids(self) -> list[str]:
        ids = {k for k, v in self._sets.items() if v is not None}
        return sorted(ids | set(self._index()))

    def _find(self, criteria_id: str) -> Path | None:
        return self._index().get(criteria_id)

    def _index(self) -> dict[str, Path]:
        if self._candidates is None:
            self._candidates = {}
            for root in self.search:
                if not root.exists():
                    continue
                for path in yaml_files(root):
                    cid = _peek_id(path)
                    if cid is not None:
                        self._candidates.setdefault(cid, path)
        return self._candidates


def _peek_id(path: Path) -> str | None:
    try:
        doc: YamlDocument = load_yaml(path)
    except InputError:
        return None
    data = doc.data
    if isinstance(data, dict) and "criteria" in data:
        cid = data.get("id")
        if isinstance(cid, str):
            return cid
    return None
