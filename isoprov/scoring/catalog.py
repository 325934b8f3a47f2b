"""Finding criteria sets by id: each ``--criteria`` file or folder, then ``./criteria/``, then
the sets shipped with the package (SPEC §4). A set is validated only when it is asked for,
except those named explicitly, which are always checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from isoprov.core.diagnostics import Diagnostic, InputError, has_errors
from isoprov.core.discovery import YAML_SUFFIXES, discover
from isoprov.core.loading import YamlDocument, load_yaml
from isoprov.core.resources import shipped_dir
from isoprov.core.validation import validate_document
from isoprov.scoring.criteria import CriteriaSet, check_criteria_set


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
    _repeats: dict[str, list[Path]] = field(default_factory=dict)

    @classmethod
    def default(cls, explicit: list[Path]) -> Catalog:
        return cls(explicit=list(explicit), search=[Path("criteria"), shipped_dir("criteria")])

    def load_explicit(self) -> None:
        """Validate every explicitly named criteria file now, reporting its problems.

        A file named on its own is always read as a criteria set; in a folder named with
        ``--criteria``, YAML files of other kinds (assessments, budgets, notes) are passed over.
        """
        first: dict[str, Path] = {}
        read: set[Path] = set()  # a file named twice (itself and in its folder) is read once
        for root in self.explicit:
            in_folder = root.is_dir()
            found = discover([root], YAML_SUFFIXES)
            self.diagnostics.extend(found.problems)
            for path in found.paths:
                if path.resolve() in read or (in_folder and not _maybe_criteria(path)):
                    continue
                read.add(path.resolve())
                cs, diagnostics = load_criteria_set(path)
                self.diagnostics.extend(diagnostics)
                cid = cs.id if cs is not None else _peek_id(path)
                if cid is None:
                    continue
                if cid in first and first[cid].resolve() != path.resolve():
                    self.diagnostics.append(_duplicate_set(cid, path, first[cid]))
                    continue
                first[cid] = path
                self._sets.setdefault(cid, cs)
                if cs is None:
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
        self.diagnostics.extend(
            _duplicate_set(criteria_id, other, path) for other in self._repeats.get(criteria_id, ())
        )
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
        """Set id → file, over the search folders; a folder may not hold one id twice (a later
        folder, such as the shipped sets, may: the earlier one wins)."""
        if self._candidates is None:
            self._candidates = {}
            for root in self.search:
                if not root.exists():
                    continue
                here: dict[str, Path] = {}
                found = discover([root], YAML_SUFFIXES)
                self.diagnostics.extend(found.problems)
                for path in found.paths:
                    cid = _peek_id(path)
                    if cid is None:
                        continue
                    if cid in here:
                        self._repeats.setdefault(cid, []).append(path)
                        continue
                    here[cid] = path
                    self._candidates.setdefault(cid, path)
        return self._candidates


def _peek_data(path: Path) -> Any:
    try:
        doc: YamlDocument = load_yaml(path)
    except InputError:
        return None
    return doc.data


def _maybe_criteria(path: Path) -> bool:
    """Whether a file in a ``--criteria`` folder is meant as a criteria set: one that does not
    load but has the set's keys is (its error is worth showing); an assessment, a budget, an
    empty note is not."""
    try:
        data = load_yaml(path).data
    except InputError:
        text = path.read_bytes()
        return b"criteria:" in text or b"bands:" in text
    return looks_like_criteria(data)


def looks_like_criteria(data: Any) -> bool:
    """A criteria set has a list of ``criteria`` (an assessment names one by id) or ``bands``."""
    return (
        isinstance(data, dict) and "agency" not in data and (isinstance(data.get("criteria"), list) or "bands" in data)
    )


def _peek_id(path: Path) -> str | None:
    data = _peek_data(path)
    if not looks_like_criteria(data):
        return None
    cid = data.get("id")
    if isinstance(cid, str):
        return cid
    if isinstance(cid, Decimal):  # `id: 2021` unquoted: read as the set's model reads it
        return str(cid)
    return None


def _duplicate_set(criteria_id: str, path: Path, first: Path) -> Diagnostic:
    return Diagnostic(
        str(path),
        f"mã bộ tiêu chí `{criteria_id}` đã có ở tệp {first}; mỗi bộ tiêu chí cần một mã riêng "
        "(tệp này không được dùng)",
        line=1,
        column=1,
        path="id",
    )
