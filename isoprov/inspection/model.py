"""The yearly inspection's files (SPEC §9): the inspection file (kế hoạch kiểm tra of one year)
and the minutes of each on-site visit (biên bản kiểm tra, Mẫu 21. BBKT).

Thông tư 26/2014/TT-BKHCN Điều 33–38: every agency of the registry is checked through its report
and records (kiểm tra qua hồ sơ, báo cáo), some at their office (kiểm tra tại trụ sở); each
on-site visit ends in minutes whose unmet items (chưa đạt) get a corrective action
(hành động khắc phục) due 2 months after signing.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from isoprov.core.dates import Day, add_months
from isoprov.core.loading import YamlDocument, load_yaml
from isoprov.core.validation import Model, validate_document

#: The 13 items of TT 26/2014 Điều 36, in order (letters skip "f", as Vietnamese lists do).
#: The labels paraphrase the article (its full text was not found, see /tmp/research/legal.md):
#: the ids are the contract, the labels may be reworded once the official text is checked.
ITEMS: dict[str, str] = {
    "1.a": "Phạm vi áp dụng Hệ thống quản lý chất lượng bao quát toàn bộ thủ tục hành chính",
    "1.b": "Phổ biến, hướng dẫn các quy trình đến toàn bộ cán bộ, công chức liên quan",
    "1.c": "Sự phù hợp của hệ thống với yêu cầu của TCVN ISO 9001",
    "1.d": "Thực hiện các quy trình đã xây dựng",
    "1.đ": "Xem xét của lãnh đạo, đánh giá nội bộ và hành động khắc phục",
    "1.e": "Giải quyết khiếu nại, phản ánh",
    "1.g": "Cải tiến hệ thống quản lý chất lượng",
    "2.a": "Sự tham gia của lãnh đạo cơ quan",
    "2.b": "Người đứng đầu xác nhận hiệu lực của hệ thống",
    "2.c": "Thông báo và niêm yết công bố hệ thống quản lý chất lượng",
    "2.d": "Cập nhật thay đổi của văn bản quy phạm pháp luật vào hệ thống",
    "2.đ": "Công bố lại khi phạm vi áp dụng thay đổi",
    "2.e": "Lựa chọn tổ chức tư vấn, chuyên gia tư vấn",
}
#: The two groups of items: against the standard, and against Quyết định 19/2014/QĐ-TTg.
ITEM_GROUPS = (
    ("1", "Theo yêu cầu của Tiêu chuẩn quốc gia TCVN ISO 9001"),
    ("2", "Theo quy định của Quyết định số 19/2014/QĐ-TTg"),
)

LEADER = "trưởng đoàn"
#: Months the agency has to report its corrective action (TT 26 Điều 37.2.c).
CORRECTION_MONTHS = 2

Result = Literal["dat", "chua-dat"]
Status = Literal["open", "done", "not-accepted"]
RESULT_LABELS = {"dat": "Đạt", "chua-dat": "Chưa đạt"}
STATUS_LABELS = {"open": "Chưa khắc phục", "done": "Đã khắc phục", "not-accepted": "Chưa chấp nhận"}
FORM_LABELS = {"onsite": "Tại trụ sở cơ quan", "records": "Qua hồ sơ, báo cáo"}


class Person(Model):
    """Một người: họ tên, chức vụ, nhiệm vụ trong đoàn (Trưởng đoàn, Phó Trưởng đoàn, Thành viên, Thư ký)."""

    name: str = Field(min_length=1, description="Họ và tên")
    position: str = Field(min_length=1, description="Chức vụ, đơn vị công tác")
    role: str | None = Field(None, min_length=1, description="Nhiệm vụ trong đoàn, ví dụ Trưởng đoàn")

    @property
    def is_leader(self) -> bool:
        return self.role is not None and " ".join(self.role.lower().split()) == LEADER


class OnSite(Model):
    """Một cơ quan được kiểm tra tại trụ sở và ngày kiểm tra (dự kiến)."""

    code: str = Field(min_length=1, description="Mã cơ quan trong danh sách cơ quan")
    date: Day = Field(description="Ngày kiểm tra: 2026-10-12 hoặc 12/10/2026")


class Inspection(Model):
    """Kế hoạch kiểm tra một năm (TT 26/2014 Điều 34): cơ quan, hình thức, thời gian, đoàn, kinh phí."""

    year: int = Field(ge=2000, le=2999, description="Năm kiểm tra")
    unit: str = Field(min_length=1, description="Đơn vị kiểm tra, ví dụ Chi cục Tiêu chuẩn Đo lường Chất lượng")
    partners: tuple[str, ...] = Field((), description="Các đơn vị phối hợp")
    agencies: str = Field(
        min_length=1, description="Danh sách cơ quan (tệp .yaml): mọi cơ quan được kiểm tra qua hồ sơ"
    )
    reports_due: Day | None = Field(None, description="Hạn gửi báo cáo (Điều 36): 2026-09-15 hoặc 15/9/2026")
    time: str | None = Field(None, min_length=1, description="Thời gian kiểm tra ghi bằng chữ, ví dụ Quý IV năm 2026")
    onsite: tuple[OnSite, ...] = Field((), description="Các cơ quan kiểm tra tại trụ sở, với ngày kiểm tra")
    team: tuple[Person, ...] = Field((), description="Đoàn kiểm tra: họ tên, chức vụ, nhiệm vụ (đúng một Trưởng đoàn)")
    budget: str | None = Field(None, min_length=1, description="Dự toán kinh phí kiểm tra (tệp .yaml)")

    @field_validator("partners", mode="before")
    @classmethod
    def _one_partner(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @property
    def leader(self) -> Person | None:
        leaders = [p for p in self.team if p.is_leader]
        return leaders[0] if len(leaders) == 1 else None

    def onsite_codes(self) -> list[str]:
        return [o.code for o in self.onsite]


class Representatives(Model):
    """Thành phần ký biên bản: đại diện đoàn kiểm tra và đại diện cơ quan được kiểm tra."""

    team: tuple[Person, ...] = Field(min_length=1, description="Đại diện đoàn kiểm tra (có Trưởng đoàn)")
    agency: tuple[Person, ...] = Field(min_length=1, description="Đại diện cơ quan được kiểm tra")


class Finding(Model):
    """Kết quả kiểm tra một nội dung của Điều 36; nội dung chưa đạt cần hành động khắc phục."""

    item: str = Field(description="Nội dung Điều 36: 1.a 1.b 1.c 1.d 1.đ 1.e 1.g 2.a 2.b 2.c 2.d 2.đ 2.e")
    result: Result = Field(description="dat (đạt) hoặc chua-dat (chưa đạt)")
    note: str | None = Field(None, min_length=1, description="Nhận xét, bằng chứng")
    action: str | None = Field(None, min_length=1, description="Yêu cầu khắc phục (bắt buộc khi chưa đạt)")

    @field_validator("item", mode="before")
    @classmethod
    def _known_item(cls, value: Any) -> Any:
        text = str(value).strip() if value is not None else ""
        if text not in ITEMS:
            raise ValueError(f"nội dung `{text}` không có trong Điều 36; các nội dung: {', '.join(ITEMS)}")
        return text

    @model_validator(mode="after")
    def _action_when_unmet(self) -> Finding:
        if self.result == "chua-dat" and self.action is None:
            raise ValueError(f"nội dung {self.item} chưa đạt cần ghi yêu cầu khắc phục (`action`)")
        return self


class Action(Model):
    """Báo cáo hành động khắc phục của cơ quan cho một nội dung chưa đạt."""

    finding: str = Field(min_length=1, description="Nội dung chưa đạt được khắc phục, ví dụ 1.đ")
    reported: Day | None = Field(None, description="Ngày cơ quan báo cáo kết quả khắc phục")
    status: Status = Field(description="open (chưa khắc phục), done (đã khắc phục), not-accepted (chưa chấp nhận)")
    evidence: tuple[str, ...] = Field((), description="Bằng chứng, ví dụ Báo cáo số 15/BC-SKHDT ngày 01/12/2026")
    note: str | None = Field(None, min_length=1, description="Ghi chú; với not-accepted: lý do chưa chấp nhận")

    @field_validator("evidence", mode="before")
    @classmethod
    def _one_evidence(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value


class Minutes(Model):
    """Biên bản kiểm tra tại trụ sở (Mẫu 21. BBKT): thành phần, kết quả theo Điều 36, ý kiến, khắc phục."""

    inspection: str = Field(min_length=1, description="Tệp kế hoạch kiểm tra, tính từ thư mục của biên bản")
    agency: str = Field(min_length=1, description="Mã cơ quan được kiểm tra")
    place: str = Field(min_length=1, description="Địa điểm kiểm tra, ví dụ Trụ sở Sở Kế hoạch và Đầu tư")
    signed: Day = Field(description="Ngày ký biên bản: 2026-10-12 hoặc 12/10/2026")
    representatives: Representatives = Field(description="Đại diện đoàn kiểm tra và cơ quan được kiểm tra")
    findings: tuple[Finding, ...] = Field(min_length=1, description="Kết quả từng nội dung Điều 36")
    opinion: str | None = Field(None, min_length=1, description="Ý kiến của cơ quan được kiểm tra")
    actions: tuple[Action, ...] = Field((), description="Báo cáo hành động khắc phục (ghi khi cơ quan báo cáo)")

    @property
    def due(self) -> dt.date:
        """Hạn báo cáo khắc phục: ngày ký + 2 tháng (Bộ luật Dân sự Điều 147–148)."""
        return add_months(self.signed, CORRECTION_MONTHS)


def load_inspection(path: Path) -> tuple[Inspection, YamlDocument]:
    """Load and validate an inspection file; raises :class:`isoprov.core.diagnostics.InputError`."""
    doc = load_yaml(path)
    return validate_document(Inspection, doc), doc


def load_minutes(path: Path) -> tuple[Minutes, YamlDocument]:
    """Load and validate a minutes file; raises :class:`isoprov.core.diagnostics.InputError`."""
    doc = load_yaml(path)
    return validate_document(Minutes, doc), doc


def resolve(base: Path, name: str) -> Path:
    """A path written in a file, relative to that file's folder; ``..`` folded away so that
    messages name ``bien-ban/SKHDT.yaml``, not ``bien-ban/../bien-ban/SKHDT.yaml``."""
    path = Path(name)
    return Path(os.path.normpath(path if path.is_absolute() else base / path))
