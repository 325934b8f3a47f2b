"""``isoprov inspect check``: the rules of one year's inspection (SPEC §9, TT 26/2014 Điều 33–37).

Each rule returns :class:`Diagnostic` records with a stable code:

- INS001 an on-site code the registry does not know; INS002 an on-site agency listed twice;
- INS003 a date outside the inspection's year; INS004 not exactly one Trưởng đoàn;
- INS005 (warning) no minutes for an on-site agency whose visit date has passed (the records
  are incomplete, not wrong: the visit may not have happened yet in the files);
- INS006 (warning) fewer than ⌈N/3⌉ of the N registry agencies on site (Điều 33.2: real plans
  fall short, so it warns with the figures and does not refuse);
- INS007 an agency code twice in the registry;
- INS008 minutes for an agency not on site; INS009 two minutes for one agency;
- INS010 minutes whose ``inspection`` is not this file; INS011 minutes signed outside the year
  or before the visit;
- INS012 an Điều 36 item twice in one minutes; INS013 an action naming no finding of the file;
- INS014 (warning) an action on a finding that was met; INS015 (warning) an action reported after
  its due date; INS016 (warning) a minutes file not named after its agency; INS017 a budget file
  not found; INS018 (warning) a signer for the team who is not in the inspection's team;
  INS019 (warning) minutes that no Trưởng đoàn signs.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from isoprov.core.dates import short_date
from isoprov.core.diagnostics import Diagnostic, Severity
from isoprov.inspection.load import MINUTES_DIR, InspectionSet, LoadedMinutes
from isoprov.inspection.model import Inspection
from isoprov.scoring.registry import agency_key, check_registry


def onsite_required(agencies: int) -> int:
    """⌈N / 3⌉: how many agencies TT 26 Điều 33.2 wants checked at their office."""
    return -(-agencies // 3)


@dataclass(frozen=True)
class HistoryRow:
    """An agency not on site this year and the last year it was (None: never, in the history given)."""

    code: str
    name: str
    last_onsite: int | None


@dataclass
class CheckResult:
    """The outcome of checking one inspection."""

    file: str
    year: int
    agencies: int
    onsite: int
    onsite_required: int
    findings: list[Diagnostic] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    history: list[HistoryRow] | None = None

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in (*self.findings, *self.errors))


def check_set(found: InspectionSet, today: dt.date, history: Sequence[Inspection] | None = None) -> CheckResult:
    """Every rule of the module docstring on one loaded inspection. Diagnostics about the
    inspection file, and warnings about others, are ``findings``; errors in another file (its
    registry, budget, minutes) are ``errors``."""
    inspection, doc = found.inspection, found.doc
    n = len(found.agencies)
    out: list[Diagnostic] = list(found.diagnostics)
    out += _registry_rules(found)
    out += _onsite_rules(found)
    out += _date_rules(inspection, found)
    out += _team_rules(found)
    out += _budget_rules(found)
    required = onsite_required(n)
    if found.registry is not None and len(inspection.onsite) < required:
        out.append(
            doc.diagnostic(
                ("onsite",),
                f"chỉ {len(inspection.onsite)} trong {n} cơ quan được kiểm tra tại trụ sở; Thông tư 26/2014 "
                f"Điều 33.2 yêu cầu ít nhất 1/3, tức {required} cơ quan "
                f"(còn thiếu {required - len(inspection.onsite)})",
                key=True,
                at=("onsite",) if inspection.onsite else (),
                severity=Severity.WARNING,
                code="INS006",
            )
        )
    out += _minutes_rules(found, today)
    result = CheckResult(str(found.path), inspection.year, n, len(inspection.onsite), required)
    own = doc.file
    for d in dict.fromkeys(out):
        (result.errors if d.is_error and d.file != own else result.findings).append(d)
    if history is not None:
        result.history = longest_without_onsite(found, history)
    return result


def _registry_rules(found: InspectionSet) -> list[Diagnostic]:
    """The registry's own rules (:func:`isoprov.scoring.registry.check_registry`: a code twice)."""
    if found.registry is None:
        return []
    return [replace(d, code="INS007") for d in check_registry(found.registry)]


def _onsite_rules(found: InspectionSet) -> list[Diagnostic]:
    out = []
    codes = [a.code for a in found.agencies]
    seen: set[str] = set()
    for i, item in enumerate(found.inspection.onsite):
        where = ("onsite", i, "code")
        if agency_key(item.code) in seen:
            message = f"cơ quan `{item.code}` đã có trong danh sách kiểm tra tại trụ sở"
            out.append(found.doc.diagnostic(where, message, code="INS002"))
        seen.add(agency_key(item.code))
        if found.registry is not None and found.agency(item.code) is None:
            close = difflib.get_close_matches(item.code, codes, n=1, cutoff=0.6)
            hint = f"; có phải ý bạn là `{close[0]}`?" if close else ""
            message = f"mã cơ quan `{item.code}` không có trong danh sách cơ quan `{found.inspection.agencies}`{hint}"
            out.append(found.doc.diagnostic(where, message, code="INS001"))
    return out


def _outside(year: int, day: dt.date) -> bool:
    return day.year != year


def _date_rules(inspection: Inspection, found: InspectionSet) -> list[Diagnostic]:
    out = []
    dates: list[tuple[tuple[str | int, ...], dt.date]] = [
        (("onsite", i, "date"), o.date) for i, o in enumerate(inspection.onsite)
    ]
    if inspection.reports_due is not None:
        dates.insert(0, (("reports_due",), inspection.reports_due))
    for where, day in dates:
        if _outside(inspection.year, day):
            message = f"ngày {short_date(day)} không thuộc năm kiểm tra {inspection.year}"
            out.append(found.doc.diagnostic(where, message, code="INS003"))
    return out


def _team_rules(found: InspectionSet) -> list[Diagnostic]:
    leaders = [i for i, p in enumerate(found.inspection.team) if p.is_leader]
    if len(leaders) == 1:
        return []
    if not leaders:
        message = "đoàn kiểm tra phải có đúng một Trưởng đoàn (`role: Trưởng đoàn`); chưa có ai"
        return [found.doc.diagnostic(("team",), message, key=True, code="INS004")]
    names = ", ".join(found.inspection.team[i].name for i in leaders)
    message = f"đoàn kiểm tra phải có đúng một Trưởng đoàn; đang có {len(leaders)}: {names}"
    return [found.doc.diagnostic(("team", leaders[1], "role"), message, code="INS004")]


def _budget_rules(found: InspectionSet) -> list[Diagnostic]:
    """The budget the plan appends must be valid: its errors (not its notes) are errors."""
    if found.inspection.budget is None:
        return []
    from isoprov.core.diagnostics import InputError
    from isoprov.core.loading import load_yaml
    from isoprov.inspection.model import resolve
    from isoprov.pipeline.budget import validate_budget_document

    path = resolve(found.path.parent, found.inspection.budget)
    if not path.is_file():
        return [found.doc.diagnostic(("budget",), f"không tìm thấy tệp dự toán `{path}`", code="INS017")]
    try:
        found_diagnostics = validate_budget_document(load_yaml(path))
    except InputError as exc:
        return exc.diagnostics
    return [d for d in found_diagnostics if d.severity is not Severity.NOTE]


def _minutes_rules(found: InspectionSet, today: dt.date) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    inspection = found.inspection
    onsite = {agency_key(o.code): (i, o.code, o.date) for i, o in enumerate(inspection.onsite)}
    by_agency: dict[str, LoadedMinutes] = {}
    for loaded in found.minutes:
        m, doc = loaded.minutes, loaded.doc
        target = (loaded.path.parent / m.inspection).resolve()
        if target != found.path.resolve():
            message = f"biên bản chỉ tới `{m.inspection}`, không phải tệp kế hoạch kiểm tra `{found.path}`"
            out.append(doc.diagnostic(("inspection",), message, code="INS010"))
            continue
        if loaded.path.stem != m.agency:
            message = f"tệp biên bản nên mang tên mã cơ quan: `{m.agency}{loaded.path.suffix}`"
            out.append(doc.diagnostic(("agency",), message, severity=Severity.WARNING, code="INS016"))
        key = agency_key(m.agency)
        if key in by_agency:
            message = f"cơ quan `{m.agency}` đã có biên bản `{by_agency[key].path}`"
            out.append(doc.diagnostic(("agency",), message, code="INS009"))
            continue
        by_agency[key] = loaded
        if key not in onsite:
            known = found.agency(m.agency)
            what = f"`{m.agency}` ({known.name})" if known is not None else f"`{m.agency}`"
            message = (
                f"cơ quan {what} không có trong danh sách kiểm tra tại trụ sở (`onsite`) của kế hoạch "
                f"năm {inspection.year}; biên bản kiểm tra chỉ lập cho cơ quan được kiểm tra tại trụ sở"
            )
            out.append(doc.diagnostic(("agency",), message, code="INS008"))
        elif m.signed < onsite[key][2]:
            message = f"biên bản ký ngày {short_date(m.signed)}, trước ngày kiểm tra {short_date(onsite[key][2])}"
            out.append(doc.diagnostic(("signed",), message, code="INS011"))
        if _outside(inspection.year, m.signed):
            message = f"ngày ký {short_date(m.signed)} không thuộc năm kiểm tra {inspection.year}"
            out.append(doc.diagnostic(("signed",), message, code="INS011"))
        out += minutes_findings(loaded)
        out += _signer_rules(loaded, inspection)
    for key, (i, code, day) in onsite.items():
        if key not in by_agency and day < today:
            broken = next((p for p in found.unreadable if agency_key(p.stem) == key), None)
            state = (
                f"biên bản `{MINUTES_DIR}/{broken.name}` có lỗi (xem lỗi của tệp đó) nên chưa đọc được"
                if broken is not None
                else f"chưa có biên bản `{MINUTES_DIR}/{code}.yaml`"
            )
            message = f"đã qua ngày kiểm tra {short_date(day)} tại `{code}` ({found.name_of(code)}) mà {state}"
            where = ("onsite", i, "code")
            out.append(found.doc.diagnostic(where, message, severity=Severity.WARNING, code="INS005"))
    return out


def _signer_rules(loaded: LoadedMinutes, inspection: Inspection) -> list[Diagnostic]:
    """The team's signers are members of the inspection's team, and one of them is its leader
    (Mẫu 21 is signed by the Trưởng đoàn and the agency)."""
    doc, team = loaded.doc, loaded.minutes.representatives.team
    members = {" ".join(p.name.split()) for p in inspection.team}
    out = []
    for i, person in enumerate(team):
        if inspection.team and " ".join(person.name.split()) not in members:
            message = f"`{person.name}` không có trong đoàn kiểm tra (`team`) của kế hoạch năm {inspection.year}"
            where = ("representatives", "team", i, "name")
            out.append(doc.diagnostic(where, message, severity=Severity.WARNING, code="INS018"))
    if not any(p.is_leader for p in team):
        message = "biên bản do Trưởng đoàn ký: ghi `role: Trưởng đoàn` cho một người trong `representatives.team`"
        out.append(doc.diagnostic(("representatives", "team"), message, severity=Severity.WARNING, code="INS019"))
    return out


def minutes_findings(loaded: LoadedMinutes) -> list[Diagnostic]:
    """The rules inside one minutes file: items once each, actions naming unmet findings,
    actions reported on time."""
    m, doc = loaded.minutes, loaded.doc
    out: list[Diagnostic] = []
    results: dict[str, str] = {}
    for i, finding in enumerate(m.findings):
        if finding.item in results:
            message = f"nội dung {finding.item} đã có kết quả ở trên; mỗi nội dung ghi một lần"
            out.append(doc.diagnostic(("findings", i, "item"), message, code="INS012"))
        results.setdefault(finding.item, finding.result)
    for i, action in enumerate(m.actions):
        result = results.get(action.finding)
        if result is None:
            listed = ", ".join(results) or "không có"
            message = f"`finding: {action.finding}` không phải nội dung nào trong `findings` của biên bản ({listed})"
            out.append(doc.diagnostic(("actions", i, "finding"), message, code="INS013"))
        elif result == "dat":
            message = f"nội dung {action.finding} đã đạt; không cần hành động khắc phục"
            out.append(doc.diagnostic(("actions", i, "finding"), message, severity=Severity.WARNING, code="INS014"))
        if action.reported is not None and action.reported > m.due:
            late = (action.reported - m.due).days
            message = (
                f"báo cáo khắc phục ngày {short_date(action.reported)}, sau hạn {short_date(m.due)} "
                f"(ký {short_date(m.signed)} + 02 tháng) {late} ngày"
            )
            out.append(doc.diagnostic(("actions", i, "reported"), message, severity=Severity.WARNING, code="INS015"))
    return out


def longest_without_onsite(found: InspectionSet, history: Iterable[Inspection]) -> list[HistoryRow]:
    """Agencies not on site this year, those never on site (in the history given) first, then by
    the year of their last on-site check, oldest first (TT 26 Điều 37.1.b: the records check
    decides who goes on site in later years)."""
    last: dict[str, int] = {}
    for past in history:
        if past.year >= found.inspection.year:
            continue
        for code in past.onsite_codes():
            key = agency_key(code)
            last[key] = max(last.get(key, past.year), past.year)
    this_year = {agency_key(c) for c in found.inspection.onsite_codes()}
    rows = [
        HistoryRow(a.code, a.name, last.get(agency_key(a.code)))
        for a in found.agencies
        if agency_key(a.code) not in this_year
    ]
    return sorted(rows, key=lambda r: (r.last_onsite is not None, r.last_onsite or 0))
