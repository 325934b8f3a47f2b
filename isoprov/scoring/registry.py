"""The agency registry (danh sách cơ quan phải nộp) used to list missing submissions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from pydantic import Field, PrivateAttr

from isoprov.core.dates import Day
from isoprov.core.diagnostics import Diagnostic, Severity, format_path
from isoprov.core.loading import PathKey, YamlDocument, load_yaml, nfc
from isoprov.core.validation import Model, validate_document


class Announcement(Model):
    """Quyết định công bố (hoặc công bố lại) HTQLCL phù hợp TCVN ISO 9001 (QĐ 19/2014 Điều 4.3, 4.4.c)."""

    number: str | None = Field(None, min_length=1, description="Số, ký hiệu quyết định công bố, ví dụ 15/QĐ-SKHCN")
    date: Day = Field(description="Ngày ký quyết định công bố: 2019-05-12 hoặc 12/5/2019")
    standard: str | None = Field(None, description="Phiên bản tiêu chuẩn, ví dụ TCVN ISO 9001:2015")
    scope: int | None = Field(None, ge=0, description="Số thủ tục hành chính, quy trình thuộc phạm vi áp dụng")


class RegisteredAgency(Model):
    """An agency that must submit a self-assessment (and, for the yearly inspection, apply ISO)."""

    code: str = Field(min_length=1, description="Mã cơ quan")
    name: str = Field(min_length=1, description="Tên cơ quan")
    level: str | None = Field(None, description="Cấp: tinh, huyen, xa")
    group: str | None = Field(None, description="Khối cơ quan, để tổng hợp báo cáo năm (QĐ 19 Phụ lục II)")
    announced: Announcement | None = Field(None, description="Quyết định công bố HTQLCL (lần đầu)")
    reannounced: tuple[Announcement, ...] = Field((), description="Các quyết định công bố lại (khi phạm vi thay đổi)")


class Registry(Model):
    """Danh sách cơ quan phải nộp bản tự đánh giá trong một kỳ."""

    period: str | None = Field(None, description="Kỳ đánh giá (nếu chỉ áp dụng cho một kỳ)")
    criteria: str | None = Field(None, description="Mã bộ tiêu chí (nếu chỉ áp dụng cho một bộ)")
    agencies: tuple[RegisteredAgency, ...] = Field(description="Các cơ quan phải nộp")
    _source: YamlDocument | None = PrivateAttr(default=None)

    def locate(self, path: PathKey, message: str = "", *, severity: Severity = Severity.ERROR) -> Diagnostic:
        """A diagnostic at ``path`` of the file the registry was read from (unlocated if none)."""
        if self._source is None:
            return Diagnostic("", message, path=format_path(path), severity=severity)
        found = self._source.diagnostic(path, message)
        return replace(found, severity=severity)


def load_registry(path: Path) -> Registry:
    """Load and validate a registry file; raises :class:`isoprov.diagnostics.InputError`."""
    return registry_from(load_yaml(path))


def registry_from(doc: YamlDocument) -> Registry:
    """Validate a loaded registry, keeping its document to locate later findings."""
    registry = validate_document(Registry, doc)
    registry._source = doc
    return registry


def agency_key(code: str) -> str:
    """An agency code as compared everywhere (mã cơ quan): NFC, trimmed, case-folded, so that
    `SNV`, `snv` and `Snv ` are one agency."""
    # NFC again after case-folding: folding can decompose a letter (ǰ → j + ◌̌)
    return nfc(nfc(code).strip().casefold())


def check_registry(registry: Registry, levels: Sequence[str] | None = None) -> list[Diagnostic]:
    """What is wrong with a registry on its own: a code listed twice (after :func:`agency_key`),
    and, when the criteria set's ``levels`` are known, a level the set does not know."""
    out: list[Diagnostic] = []
    first: dict[str, int] = {}
    for i, agency in enumerate(registry.agencies):
        key = agency_key(agency.code)
        if key in first:
            earlier = registry.agencies[first[key]]
            line = registry.locate(("agencies", first[key], "code")).line
            spelled = "" if earlier.code == agency.code else f" (viết là `{earlier.code}`)"
            out.append(
                registry.locate(
                    ("agencies", i, "code"),
                    f"mã cơ quan `{agency.code}` đã có trong danh sách{spelled}"
                    + (f" ở dòng {line}" if line else "")
                    + "; mỗi cơ quan chỉ ghi một lần",
                )
            )
        else:
            first[key] = i
        if levels is not None and agency.level is not None and agency.level not in levels:
            out.append(
                registry.locate(
                    ("agencies", i, "level"),
                    f"cấp `{agency.level}` không có trong bộ tiêu chí"
                    + (f" `{registry.criteria}`" if registry.criteria else "")
                    + f"; các cấp hợp lệ: {', '.join(levels)}",
                )
            )
    return out


class Submitted(Protocol):
    """An agency's submission: its code, level, criteria set and period."""

    @property
    def code(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def criteria(self) -> str: ...
    @property
    def period(self) -> str: ...


def missing_agencies(registry: Registry, submitted: Iterable[Submitted]) -> list[RegisteredAgency]:
    """Registered agencies (chưa nộp) with no submission, in registry order. A registry that
    names a period or a criteria set counts only submissions for that period and set."""
    codes = {agency_key(s.code) for s in submitted if _counts(registry, s)}
    return [a for a in registry.agencies if agency_key(a.code) not in codes]


def _counts(registry: Registry, s: Submitted) -> bool:
    return (registry.period is None or s.period == registry.period) and (
        registry.criteria is None or s.criteria == registry.criteria
    )


def match_submissions(registry: Registry, submitted: Iterable[Submitted]) -> list[Diagnostic]:
    """What comparing a registry with the submissions finds: a registry for another period or
    criteria set than every submission (everyone would be "chưa nộp": an error at that key),
    an agency that submits at another level than it is listed at, and a code spelled otherwise
    (warnings)."""
    subs = list(submitted)
    out: list[Diagnostic] = []
    for key, value, label in (("period", registry.period, "kỳ"), ("criteria", registry.criteria, "bộ tiêu chí")):
        theirs = sorted({getattr(s, key) for s in subs})
        if value is not None and theirs and value not in theirs:
            out.append(
                registry.locate(
                    (key,),
                    f"danh sách dành cho {label} `{value}` nhưng các bản tự đánh giá thuộc {label} "
                    f"{', '.join(f'`{t}`' for t in theirs)}; mọi cơ quan sẽ bị tính là chưa nộp. "
                    f"Hãy sửa `{key}` của danh sách hoặc dùng đúng danh sách",
                )
            )
    listed = {agency_key(a.code): (i, a) for i, a in reversed(list(enumerate(registry.agencies)))}
    for s in sorted((s for s in subs if _counts(registry, s)), key=lambda s: s.code):
        found = listed.get(agency_key(s.code))
        if found is None:
            continue
        i, agency = found
        if agency.code != s.code:
            out.append(
                registry.locate(
                    ("agencies", i, "code"),
                    f"mã `{agency.code}` trong danh sách và mã `{s.code}` trong bản tự đánh giá được coi là "
                    "một cơ quan (khác nhau chữ hoa, chữ thường); nên viết thống nhất",
                    severity=Severity.WARNING,
                )
            )
        if agency.level is not None and s.level and agency.level != s.level:
            out.append(
                registry.locate(
                    ("agencies", i, "level"),
                    f"cơ quan `{agency.code}` có trong danh sách ở cấp `{agency.level}` nhưng bản tự đánh giá "
                    f"ghi cấp `{s.level}`; kết quả được xếp hạng theo cấp của bản tự đánh giá",
                    severity=Severity.WARNING,
                )
            )
    return out
