"""``isoprov inspect actions``: the register of corrective actions (sổ theo dõi hành động khắc phục).

Every unmet finding (chưa đạt) of a minutes file is a corrective action due 2 months after the
minutes were signed (TT 26/2014 Điều 37.2.c; the month rule of :func:`isoprov.core.dates.add_months`).
Its status is that of the last ``actions`` entry naming it dated on or before the day the register
is made for (``--today``), or ``open`` when the agency had not reported by then. An action is
overdue when it is open or not accepted after its due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from isoprov.core.diagnostics import Diagnostic, InputError, Severity
from isoprov.inspection.checks import minutes_findings
from isoprov.inspection.load import YAML_SUFFIXES, LoadedMinutes, minutes_files
from isoprov.inspection.model import Action, Inspection, Minutes, Status, load_inspection, load_minutes, resolve
from isoprov.scoring.registry import Registry, agency_key, load_registry


@dataclass(frozen=True)
class ActionRow:
    """One corrective action as the register shows it."""

    file: str
    line: int | None
    agency: str
    agency_name: str
    finding: str
    action: str
    signed: dt.date
    due: dt.date
    reported: dt.date | None
    status: Status
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "agency": self.agency,
            "agency_name": self.agency_name,
            "finding": self.finding,
            "action": self.action,
            "signed": self.signed.isoformat(),
            "due": self.due.isoformat(),
            "reported": self.reported.isoformat() if self.reported is not None else None,
            "status": self.status,
            "overdue_days": self.overdue_days,
        }


def overdue_days(status: Status, due: dt.date, today: dt.date) -> int:
    """Days past the due date of an action still open or not accepted; 0 otherwise."""
    if status == "done" or today <= due:
        return 0
    return (today - due).days


def latest_reports(minutes: Minutes, today: dt.date) -> dict[str, Action]:
    """The last report on each finding as known on ``today``: a report dated later had not been
    made yet (the register "tính đến ngày" a past date, a November summary written before the
    December reports). A report without a date counts whenever."""
    return {a.finding: a for a in minutes.actions if a.reported is None or a.reported <= today}


def rows_of(loaded: LoadedMinutes, names: dict[str, str], today: dt.date) -> list[ActionRow]:
    """The register rows of one minutes file, in the order of its findings, as on ``today``."""
    m = loaded.minutes
    latest = latest_reports(m, today)
    name = {agency_key(code): text for code, text in names.items()}.get(agency_key(m.agency), m.agency)
    rows = []
    for i, finding in enumerate(m.findings):
        if finding.result != "chua-dat":
            continue
        reported = latest.get(finding.item)
        status: Status = reported.status if reported is not None else "open"
        mark = loaded.doc.source.locate(("findings", i))
        rows.append(
            ActionRow(
                file=loaded.doc.file,
                line=mark.line if mark else None,
                agency=m.agency,
                agency_name=name,
                finding=finding.item,
                action=finding.action or "",
                signed=m.signed,
                due=m.due,
                reported=reported.reported if reported is not None else None,
                status=status,
                overdue_days=overdue_days(status, m.due, today),
            )
        )
    return rows


def gather_minutes(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The minutes files PATHs name: a minutes file, an inspection file (its ``bien-ban/``) or a
    folder (its YAML files, recursively: the inspection files among them are skipped, their
    minutes are in the folder already). Each file once, in the order given."""
    out: list[Path] = []
    diagnostics: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in YAML_SUFFIXES)
        else:
            out.append(path)
    return list(dict.fromkeys(out)), diagnostics


def input_files(paths: Iterable[Path]) -> list[Path]:
    """Every file :func:`register` may read from ``paths`` (the files named, the YAML files of the
    folders, the minutes beside each file named), without reading any: an output must not be one
    of them."""
    given = list(paths)
    files, _ = gather_minutes(given)
    return [*files, *(m for p in given if not p.is_dir() for m in minutes_files(p))]


def register(paths: Iterable[Path], today: dt.date) -> tuple[list[ActionRow], list[Diagnostic]]:
    """Every corrective action of the minutes under ``paths``, with the files that could not be
    read. Agency names come from the registry of each minutes' inspection."""
    from isoprov.core.kinds import detect_kind
    from isoprov.core.loading import load_yaml

    given = list(paths)
    files, diagnostics = gather_minutes(given)
    rows: list[ActionRow] = []
    names_cache: dict[Path, dict[str, str]] = {}
    expanded: list[Path] = []
    for path in files:
        try:
            kind = detect_kind(load_yaml(path).data)
        except InputError as exc:
            diagnostics += exc.diagnostics
            continue
        if kind == "inspection":
            expanded += minutes_files(path) if path in given else []
        elif kind == "minutes":
            expanded.append(path)
        elif path in given:
            diagnostics.append(Diagnostic(str(path), "tệp này không phải biên bản kiểm tra (có `findings`, `signed`)"))
    for path in dict.fromkeys(expanded):
        try:
            loaded = LoadedMinutes(path, *load_minutes(path))
        except InputError as exc:
            diagnostics += exc.diagnostics
            continue
        inspection_path = resolve(path.parent, loaded.minutes.inspection).resolve()
        if inspection_path not in names_cache:
            names, found = _names(inspection_path, loaded)
            diagnostics += found
            names_cache[inspection_path] = names
        # an action naming no finding would vanish from the register: say so (as `inspect check`)
        diagnostics += [d for d in minutes_findings(loaded) if d.severity is Severity.ERROR]
        rows += rows_of(loaded, names_cache[inspection_path], today)
    # a wrong or empty folder is said (not an empty register in silence): each folder given with
    # no minutes under it and nothing said about a file in it; when nothing at all was found, every
    # path given (an inspection file without minutes beside it too)
    read = [*expanded, *(Path(d.file) for d in diagnostics)]
    nothing = [p for p in given if p.is_dir() and not any(f.is_relative_to(p) for f in read)]
    if not read:
        nothing = given
    diagnostics += [
        Diagnostic(str(path), NO_MINUTES_MESSAGE, severity=Severity.WARNING, code=NO_MINUTES)
        for path in dict.fromkeys(nothing)
    ]
    return rows, diagnostics


#: The warning of a run that found no minutes at all (its code lets the command keep an old register).
NO_MINUTES = "no-minutes"
NO_MINUTES_MESSAGE = (
    "không có biên bản kiểm tra nào ở đây (tệp YAML có `findings`, `signed`; hoặc kế hoạch kiểm tra "
    "có thư mục `bien-ban/` bên cạnh)"
)


def _names(inspection_path: Path, loaded: LoadedMinutes) -> tuple[dict[str, str], list[Diagnostic]]:
    if not inspection_path.is_file():
        message = f"không tìm thấy tệp kế hoạch kiểm tra `{loaded.minutes.inspection}`"
        return {}, [loaded.doc.diagnostic(("inspection",), message)]
    try:
        inspection: Inspection = load_inspection(inspection_path)[0]
        registry: Registry = load_registry(resolve(inspection_path.parent, inspection.agencies))
    except InputError as exc:
        return {}, exc.diagnostics
    except OSError:
        return {}, []
    return {a.code: a.name for a in registry.agencies}, []
