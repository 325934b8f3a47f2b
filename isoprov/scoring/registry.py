"""The agency registry (danh sách cơ quan phải nộp) used to list missing submissions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from pydantic import Field

from isoprov.core.dates import Day
from isoprov.core.loading import load_yaml
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


def load_registry(path: Path) -> Registry:
    """Load and validate a registry file; raises :class:`isoprov.diagnostics.InputError`."""
    return validate_document(Registry, load_yaml(path))


class Submitted(Protocol):
    """An agency's submission: its code, criteria set and period."""

    @property
    def code(self) -> str: ...
    @property
    def criteria(self) -> str: ...
    @property
    def period(self) -> str: ...


def missing_agencies(registry: Registry, submitted: Iterable[Submitted]) -> list[RegisteredAgency]:
    """Registered agencies (chưa nộp) with no submission, in registry order. A registry that
    names a period or a criteria set counts only submissions for that period and set."""
    codes = {
        s.code
        for s in submitted
        if (registry.period is None or s.period == registry.period)
        and (registry.criteria is None or s.criteria == registry.criteria)
    }
    return [a for a in registry.agencies if a.code not in codes]
