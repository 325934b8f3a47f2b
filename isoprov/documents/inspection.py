"""Documents of the yearly inspection (SPEC §9), rendered by ``isoprov render``.

A document of the cycle is written like any other document (header, legal bases, Nơi nhận,
signature: :class:`isoprov.documents.model.Document`) and names the file its figures come from:
``inspection:`` (the year's inspection file) or ``minutes:`` (one minutes file). The templates
``templates/<kind>.md.j2`` lay out what is computed here; what they follow and what is inferred
is written in each template's header comment.

==================== ============================================ ===========
kind                 document                                     names
==================== ============================================ ===========
inspection-plan      Kế hoạch kiểm tra (Mẫu 19. KHKT)             inspection
inspection-decision  Quyết định kiểm tra (Mẫu 20. QĐKT)           inspection
report-request       Công văn đề nghị báo cáo (Điều 35, 36)       inspection
minutes              Biên bản kiểm tra (Mẫu 21. BBKT)             minutes
correction-request   Công văn đề nghị khắc phục (Điều 37.1.a)     minutes
action-rejection     Thông báo chưa chấp nhận hành động khắc phục minutes
inspection-summary   Báo cáo kết quả kiểm tra tháng 11 (Điều 38)  inspection
ministry-report      Báo cáo tháng 12 (QĐ 19 Phụ lục II)          inspection
==================== ============================================ ===========
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import Field

from isoprov.core.dates import Day, short_date
from isoprov.core.diagnostics import Diagnostic, InputError, Severity
from isoprov.core.loading import YamlDocument, load_yaml
from isoprov.core.validation import validate_document
from isoprov.core.vietnamese import format_date, format_number
from isoprov.documents.model import BudgetAppendix, Document, IssueDate, Line, Signature
from isoprov.inspection.load import InspectionSet, LoadedMinutes, load_set
from isoprov.inspection.model import (
    FORM_LABELS,
    ITEM_GROUPS,
    ITEMS,
    RESULT_LABELS,
    STATUS_LABELS,
    load_minutes,
    resolve,
)

#: kind → (the kind's name as the title prints it, "" for a công văn; symbol prefix; source key).
INSPECTION_KINDS: dict[str, tuple[str, str, str]] = {
    "inspection-plan": ("KẾ HOẠCH", "KH", "inspection"),
    "inspection-decision": ("QUYẾT ĐỊNH", "QĐ", "inspection"),
    "report-request": ("", "", "inspection"),
    "minutes": ("BIÊN BẢN KIỂM TRA", "BB", "minutes"),
    "correction-request": ("", "", "minutes"),
    "action-rejection": ("", "", "minutes"),
    "inspection-summary": ("BÁO CÁO", "BC", "inspection"),
    "ministry-report": ("BÁO CÁO", "BC", "inspection"),
}
#: Kinds that are a công văn: no kind name, the "V/v" summary under the number.
LETTERS = frozenset({"report-request", "correction-request", "action-rejection"})


class InspectionDocument(Document):
    """Dữ liệu một văn bản của kỳ kiểm tra hằng năm: phần đầu, chữ ký, nơi nhận như mọi văn bản,
    và tệp lấy số liệu (`inspection` hoặc `minutes`)."""

    inspection: str | None = Field(None, min_length=1, description="Tệp kế hoạch kiểm tra (.yaml)")
    minutes: str | None = Field(None, min_length=1, description="Tệp biên bản kiểm tra (.yaml)")
    addressees: tuple[Line, ...] = Field((), description="Kính gửi (công văn, báo cáo), mỗi nơi một dòng")
    as_of: Day | None = Field(None, description="Ngày tính tình trạng khắc phục (mặc định: ngày ban hành)")
    new_due: Day | None = Field(None, description="Hạn mới để khắc phục (thông báo chưa chấp nhận)")
    recipients: tuple[Line, ...] = Field((), description='Nơi nhận, ví dụ "Lưu: VT, TĐC" (biên bản: không có)')
    # a biên bản is signed by the people it names, not by one signer: optional here, required
    # for the other kinds by :func:`check`
    signature: Signature | None = Field(  # type: ignore[assignment]
        None, description="Chữ ký (biên bản: lấy từ thành phần ký)"
    )


def load(path: Path) -> tuple[InspectionDocument, YamlDocument]:
    """Load and validate a document of the cycle; raises :class:`InputError`."""
    doc = load_yaml(path)
    return validate_document(InspectionDocument, doc), doc


def named_inputs(document: InspectionDocument, base_dir: Path) -> Iterator[Path]:
    """The files a document of the cycle reads: the inspection or minutes file it names, and the
    inspection's registry, budget and minutes (an output must never overwrite one of them)."""
    from isoprov.inspection.load import minutes_files
    from isoprov.inspection.model import Inspection

    for name in (document.inspection, document.minutes):
        if name is None:
            continue
        path = resolve(base_dir, name)
        yield path
        if document.inspection is None or not path.is_file():
            continue
        try:
            inspection = validate_document(Inspection, load_yaml(path))
        except InputError:
            continue
        yield resolve(path.parent, inspection.agencies)
        if inspection.budget is not None:
            yield resolve(path.parent, inspection.budget)
        yield from minutes_files(path)


def check(kind: str, document: InspectionDocument, source: YamlDocument) -> list[Diagnostic]:
    """What the kind needs that the model alone cannot know."""
    _name, code, needs = INSPECTION_KINDS[kind]
    out: list[Diagnostic] = []
    if getattr(document, needs) is None:
        what = "tệp kế hoạch kiểm tra" if needs == "inspection" else "tệp biên bản kiểm tra"
        out.append(source.diagnostic((needs,), f"văn bản `{kind}` cần khóa `{needs}`: {what}", at=()))
    other = "minutes" if needs == "inspection" else "inspection"
    if getattr(document, other) is not None:
        out.append(
            source.diagnostic((other,), f"văn bản `{kind}` lấy số liệu từ `{needs}`, không dùng `{other}`", key=True)
        )
    if kind != "minutes":
        if document.signature is None:
            out.append(source.diagnostic(("signature",), "thiếu trường bắt buộc `signature`", at=()))
        if not document.recipients:
            out.append(source.diagnostic(("recipients",), "thiếu trường bắt buộc `recipients` (Nơi nhận)", at=()))
    if document.articles:
        message = "`articles` không dùng cho văn bản kiểm tra: các điều được lập từ kế hoạch kiểm tra"
        out.append(source.diagnostic(("articles",), message, key=True))
    if document.report is not None:
        out.append(source.diagnostic(("report",), f"`report` không dùng cho `{kind}`", key=True))
    if document.budget is not None:
        message = "dự toán lấy từ `budget` của tệp kế hoạch kiểm tra; bỏ `budget` ở văn bản"
        out.append(source.diagnostic(("budget",), message, key=True))
    out += cycle_conventions(document, source)
    symbol = document.header.symbol
    if code and not symbol.startswith(code + "-"):
        message = f"ký hiệu `{symbol}` thường bắt đầu bằng `{code}-` với loại văn bản này"
        out.append(source.diagnostic(("header", "symbol"), message, severity=Severity.WARNING))
    if kind in LETTERS and symbol.split("-", 1)[0] in ("KH", "QĐ", "TB", "BC", "BB"):
        message = f"công văn không có tên loại; ký hiệu `{symbol}` chỉ gồm tên viết tắt cơ quan, ví dụ SKHCN-TĐC"
        out.append(source.diagnostic(("header", "symbol"), message, severity=Severity.WARNING))
    return out


def cycle_conventions(document: InspectionDocument, source: YamlDocument) -> list[Diagnostic]:
    """The warnings every document of the cycle gets, whatever its kind, from ``validate`` and
    ``render`` alike: a signature without the signer's name (as any document,
    :data:`~isoprov.documents.checks.NO_SIGNER_NAME`), and figures counted at a day (`as_of`)
    after the document's own date, which would state as done what had not happened when it was
    signed."""
    from isoprov.documents.checks import NO_SIGNER_NAME

    out = []
    if document.signature is not None and document.signature.name is None:
        out.append(source.diagnostic(("signature",), NO_SIGNER_NAME, key=True, severity=Severity.WARNING))
    if document.as_of is not None and document.as_of > _latest_day(document.header.date):
        message = (
            f"số liệu tính đến ngày {short_date(document.as_of)} (`as_of`), sau ngày ban hành văn bản "
            f"({_shown_date(document.header.date)}): văn bản sẽ nêu những việc chưa xảy ra khi ký; "
            "hãy ghi `as_of` không muộn hơn ngày văn bản, hoặc sửa ngày văn bản"
        )
        out.append(source.diagnostic(("as_of",), message, severity=Severity.WARNING))
    return out


def counted_at(document: InspectionDocument) -> dt.date:
    """The day a document's figures are counted at (overdue days, the reports made by then):
    its `as_of`, else its own date — a date left partly blank for the office (``2021-12``)
    counting up to its last possible day, as :func:`cycle_conventions` reads it."""
    return document.as_of or _latest_day(document.header.date)


def _latest_day(date: IssueDate) -> dt.date:
    """The last day a date left partly blank for the office (``2021-12``, ``2021``) may be."""
    if date.month is None:
        return dt.date(date.year, 12, 31)
    if date.day is None:
        return dt.date(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
    return dt.date(date.year, date.month, date.day)


def _shown_date(date: IssueDate) -> str:
    if date.month is None:
        return f"năm {date.year}"
    if date.day is None:
        return f"tháng {date.month:02d}/{date.year}"
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


def build(
    kind: str, document: InspectionDocument, source: YamlDocument, base_dir: Path
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The template context: ``doc``, ``kind``, ``kind_name``, ``budget`` as for every document,
    and ``inspection`` (the year's figures) or ``minutes`` (one visit). Any error in the files
    the figures come from leaves nothing to render."""
    from isoprov.documents.budget_appendix import STATED_TOTAL, budget_appendix
    from isoprov.documents.markup import escape_data

    diagnostics: list[Diagnostic] = []
    minutes_path: Path | None = None
    loaded: LoadedMinutes | None = None
    if document.minutes is not None:
        minutes_path = resolve(base_dir, document.minutes)
        if not minutes_path.is_file():
            return {}, [source.diagnostic(("minutes",), f"không tìm thấy tệp biên bản `{minutes_path}`")]
        try:
            loaded = LoadedMinutes(minutes_path, *load_minutes(minutes_path))
        except InputError as exc:
            return {}, exc.diagnostics
        inspection_path = resolve(minutes_path.parent, loaded.minutes.inspection)
        where: YamlDocument = loaded.doc
        at: tuple[str, ...] = ("inspection",)
    else:
        assert document.inspection is not None
        inspection_path = resolve(base_dir, document.inspection)
        where, at = source, ("inspection",)
    if not inspection_path.is_file():
        return {}, [where.diagnostic(at, f"không tìm thấy tệp kế hoạch kiểm tra `{inspection_path}`")]
    found, problems = load_set(inspection_path)
    if found is None:
        return {}, problems
    from isoprov.inspection.checks import check_set

    as_of = counted_at(document)
    result = check_set(found, as_of)
    diagnostics += [d for d in (*result.errors, *result.findings) if d.is_error]
    if diagnostics:
        return {}, diagnostics
    kind_name = INSPECTION_KINDS[kind][0]
    context: dict[str, Any] = {
        "kind": kind,
        "kind_name": document.header.kind or kind_name,
        "doc": document.model_dump(mode="python"),
        "budget": None,
        "report": None,
        "inspection": inspection_context(found),
        "minutes": None,
        "as_of": as_of,
        "as_of_short": short_date(as_of),
    }
    if kind == "inspection-plan" and found.inspection.budget is not None:
        budget_file = resolve(inspection_path.parent, found.inspection.budget).resolve()
        ref = BudgetAppendix(file=str(budget_file), label="Phụ lục")
        budget, found_budget = budget_appendix(document.model_copy(update={"budget": ref}), source, base_dir)
        # the budget's own findings belong to `budget check`; the funds the text states do not
        diagnostics += [d for d in found_budget if d.is_error or d.code == STATED_TOTAL]
        context["budget"] = budget
    if loaded is not None:
        context["minutes"] = minutes = minutes_context(loaded, found, as_of, document)
        if kind == "correction-request" and not minutes["unmet"]:
            message = "biên bản không có nội dung chưa đạt (`chua-dat`): không có gì để đề nghị khắc phục"
            diagnostics.append(loaded.doc.diagnostic(("findings",), message))
        if kind == "action-rejection" and not minutes["not_accepted"]:
            message = "biên bản không có hành động khắc phục nào `status: not-accepted` để thông báo chưa chấp nhận"
            diagnostics.append(loaded.doc.diagnostic(("actions",), message, at=()))
    if kind == "inspection-summary":
        context["summary"] = november_context(found, as_of)
    if kind == "ministry-report":
        context["annual"] = december_context(found)
    return {k: v if k == "kind" else escape_data(v) for k, v in context.items()}, diagnostics


def _person(p: Any) -> dict[str, Any]:
    return {"name": p.name, "position": p.position, "role": p.role}


def inspection_context(found: InspectionSet) -> dict[str, Any]:
    """The year's plan as the templates read it: agencies with their form and date, the team."""
    inspection = found.inspection
    onsite = {o.code: o.date for o in inspection.onsite}
    agencies = []
    for a in found.agencies:
        day = onsite.get(a.code)
        agencies.append(
            {
                "code": a.code,
                "name": a.name,
                "level": a.level,
                "group": a.group,
                "onsite": day is not None,
                "form": FORM_LABELS["onsite" if day is not None else "records"],
                "date": short_date(day) if day is not None else None,
            }
        )
    visits = [
        {"code": o.code, "name": found.name_of(o.code), "date": short_date(o.date), "date_long": format_date(o.date)}
        for o in inspection.onsite
    ]
    dates = sorted(onsite.values())
    n = len(found.agencies)
    from isoprov.inspection.checks import onsite_required

    return {
        "year": inspection.year,
        "unit": inspection.unit,
        "partners": list(inspection.partners),
        "reports_due": short_date(inspection.reports_due) if inspection.reports_due else None,
        "time": inspection.time,
        "agencies": agencies,
        "onsite": visits,
        "records": [a for a in agencies if not a["onsite"]],
        "counts": {
            "agencies": n,
            "onsite": len(visits),
            "records": n - len(visits),
            "required": onsite_required(n),
        },
        "first_date": short_date(dates[0]) if dates else None,
        "last_date": short_date(dates[-1]) if dates else None,
        "team": [_person(p) for p in inspection.team],
        "leader": _person(inspection.leader) if inspection.leader else None,
        "item_groups": [
            {
                "id": gid,
                "label": label,
                "entries": [{"id": i, "label": text} for i, text in ITEMS.items() if i.startswith(gid + ".")],
            }
            for gid, label in ITEM_GROUPS
        ],
    }


def minutes_context(
    loaded: LoadedMinutes, found: InspectionSet, as_of: dt.date, document: InspectionDocument
) -> dict[str, Any]:
    """One visit: the agency, who signs, the results per Điều 36 item, the corrective actions."""
    from isoprov.inspection.actions import latest_reports, rows_of

    m = loaded.minutes
    results = {f.item: f for f in m.findings}
    groups: list[dict[str, Any]] = []
    for gid, label in ITEM_GROUPS:
        rows = []
        for item, text in ITEMS.items():
            if not item.startswith(gid + "."):
                continue
            f = results.get(item)
            rows.append(
                {
                    "item": item,
                    "label": text,
                    "result": RESULT_LABELS[f.result] if f else "Không kiểm tra",
                    "unmet": f is not None and f.result == "chua-dat",
                    "note": f.note if f and f.note else "",
                    "action": f.action if f and f.action else "",
                }
            )
        groups.append({"id": gid, "label": label, "rows": rows})
    names = {a.code: a.name for a in found.agencies}
    register = rows_of(loaded, names, as_of)
    latest = latest_reports(m, as_of)
    actions = []
    for r in register:
        reported = latest.get(r.finding)
        actions.append(
            {
                "item": r.finding,
                "label": ITEMS[r.finding],
                "action": r.action,
                "status": STATUS_LABELS[r.status],
                "not_accepted": r.status == "not-accepted",
                "reported": short_date(r.reported) if r.reported else None,
                "evidence": list(reported.evidence) if reported else [],
                "reason": reported.note if reported and reported.note else None,
                "overdue_days": r.overdue_days,
            }
        )
    leader = next((p for p in m.representatives.team if p.is_leader), m.representatives.team[0])
    return {
        "agency": {"code": m.agency, "name": found.name_of(m.agency)},
        "place": m.place,
        "signed": short_date(m.signed),
        "signed_date": m.signed,
        "due": short_date(m.due),
        "due_date": m.due,
        "new_due": short_date(document.new_due) if document.new_due else None,
        "team": [_person(p) for p in m.representatives.team],
        "agency_people": [_person(p) for p in m.representatives.agency],
        "leader": _person(leader),
        "agency_signer": _person(m.representatives.agency[0]),
        "groups": groups,
        "met": sum(1 for f in m.findings if f.result == "dat"),
        "unmet": [row for g in groups for row in g["rows"] if row["unmet"]],
        "opinion": m.opinion,
        "actions": actions,
        # every report the office did not accept (a letter answers a report, even one followed
        # by a later accepted report)
        "not_accepted": [
            {
                "item": a.finding,
                "label": ITEMS.get(a.finding, ""),
                "action": results[a.finding].action if a.finding in results else "",
                "reported": short_date(a.reported) if a.reported else None,
                "reason": a.note,
            }
            for a in m.actions
            if a.status == "not-accepted" and (a.reported is None or a.reported <= as_of)
        ],
    }


def november_context(found: InspectionSet, as_of: dt.date) -> dict[str, Any]:
    from isoprov.inspection.summary import november

    s = november(found, as_of)
    return {
        "agencies": s.agencies,
        "onsite": s.onsite,
        "records": s.records,
        "required": s.onsite_required,
        "minutes": s.minutes,
        "by_item": [{"item": c.item, "label": c.label, "met": c.met, "unmet": c.unmet} for c in s.items],
        "actions": {
            "total": sum(s.actions.values()),
            "done": s.actions["done"],
            "open": s.actions["open"],
            "not_accepted": s.actions["not-accepted"],
            "overdue": s.overdue,
        },
        "rows": [
            {
                "name": r.name,
                "date": short_date(r.date),
                "signed": short_date(r.signed) if r.signed else None,
                "met": r.met,
                "unmet": r.unmet,
                "done": r.done,
                "open": r.open,
                "not_accepted": r.not_accepted,
                "overdue": r.overdue,
            }
            for r in s.rows
        ],
    }


def december_context(found: InspectionSet) -> dict[str, Any]:
    from isoprov.inspection.summary import december

    r = december(found.agencies, found.inspection.year)

    def row(g: Any) -> dict[str, Any]:
        return {
            "group": g.group,
            "in_scope": g.in_scope,
            "announced": g.announced,
            "reannounced": g.reannounced,
            "not_announced": g.not_announced,
            "percent": format_number(g.percent, 1),
        }

    def announcement(a: Any) -> str:
        if a is None:
            return ""
        parts = [f"Số {a.number}" if a.number else "", f"ngày {short_date(a.date)}"]
        return " ".join(p for p in parts if p)

    return {
        "groups": [row(g) for g in r.groups],
        "total": row(r.total),
        "annex": [
            {
                "name": a.name,
                "group": a.group,
                "announced": announcement(a.announced),
                "standard": (a.announced.standard or "") if a.announced else "",
                "reannounced": "; ".join(announcement(x) for x in a.reannounced),
            }
            for a in r.annex
        ],
    }
