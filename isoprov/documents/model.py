"""Document data (dữ liệu văn bản): the YAML a user writes to draft a plan, decision, notice or
score report, validated like every other file kind (SPEC §7).

The models say *what* the document says; the Jinja templates in ``templates/`` say how it reads
and :mod:`isoprov.documents.docx` lays it out after Nghị định 30/2020/NĐ-CP.

Text fields accept a little inline markup, the same in every output: ``*nghiêng*``,
``**đậm**``, and a line break where the YAML text has one (a blank line starts a new paragraph).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails

from isoprov.core.discovery import YAML_SUFFIXES, discover
from isoprov.core.loading import PathKey, YamlDocument, load_yaml
from isoprov.core.validation import Model, validate_document

#: Authority prefixes of a signature block (Nghị định 30/2020, Phụ lục I, mục II.7).
AUTHORITY_PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")

#: The document kinds ``isoprov render`` knows, with their name and symbol (Phụ lục III).
KINDS: dict[str, tuple[str, str]] = {
    "plan": ("KẾ HOẠCH", "KH"),
    "decision": ("QUYẾT ĐỊNH", "QĐ"),
    "notice": ("THÔNG BÁO", "TB"),
    "report": ("BÁO CÁO", "BC"),
}

#: A line of text that must say something: an empty recipient, bullet or legal basis would print
#: as a bare "- ;" or "**" in a signed document.
Line = Annotated[str, Field(min_length=1)]

#: The shapes the JSON Schema allows (isoprov/schemas.py): NNNN, NNNN-T(T), NNNN-T(T)-N(N), quoted or not.
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
#: The way Vietnamese offices write a date, day first: 08/9/2015, 8-9-2015, 08.09.2015, or 9/2020.
_VIETNAMESE_DATE = re.compile(r"(?:(\d{1,2})([/.-]))?(\d{1,2})([/.-])(\d{4})")
_DATE_SHAPES = (
    "ghi dạng NNNN-TT-NN (2015-09-08) hoặc ngày/tháng/năm (08/9/2015); NNNN-TT (2020-02), tháng/năm "
    "(02/2020) hoặc NNNN (2021) để trống ngày cần điền tay"
)


def _date_parts(text: str) -> tuple[int, int | None, int | None] | None:
    """Year, month and day of an ISO (2015-09-08) or Vietnamese (08/9/2015) date, or None."""
    if match := _PARTIAL_DATE.fullmatch(text):
        year, month, day = match.groups()
        return int(year), None if month is None else int(month), None if day is None else int(day)
    match = _VIETNAMESE_DATE.fullmatch(text)
    if match is None or (match[2] is not None and match[2] != match[4]):  # 08/09-2015: mixed marks
        return None
    day, _, month, _, year = match.groups()
    return int(year), int(month), None if day is None else int(day)


class IssueDate(Model):
    """Ngày ban hành. A draft may leave the day (``2020-02``) or day and month (``2020``) blank,
    for the office to fill in when the document is numbered and signed."""

    year: int = Field(ge=1900, le=2999, description="Năm")
    month: int | None = Field(None, ge=1, le=12, description="Tháng (để trống: điền tay khi ký)")
    day: int | None = Field(None, ge=1, le=31, description="Ngày (để trống: điền tay khi ký)")

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            raise ValueError("ngày ban hành chỉ ghi ngày, không kèm giờ (ví dụ 2015-09-08)")
        if isinstance(value, dt.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if value is None:
            raise ValueError(f"chưa ghi ngày ban hành; {_DATE_SHAPES}")
        if isinstance(value, bool):
            raise ValueError(f"ngày ban hành `{'true' if value else 'false'}` không hợp lệ; {_DATE_SHAPES}")
        if isinstance(value, str | int | float | Decimal):
            text = str(value).strip()
            if not text:
                raise ValueError(f"chưa ghi ngày ban hành; {_DATE_SHAPES}")
            parts = _date_parts(text)
            if parts is None:
                raise ValueError(f"ngày ban hành `{text}` không hợp lệ; {_DATE_SHAPES}")
            year, month, day = parts
            if not 1900 <= year <= 2999:
                raise ValueError(f"ngày ban hành `{text}`: năm {year} không hợp lệ (từ 1900 đến 2999)")
            if month is not None and not 1 <= month <= 12:
                raise ValueError(f"ngày ban hành `{text}`: tháng {month} không có (tháng từ 1 đến 12)")
            if month is not None and day is not None:
                try:
                    dt.date(year, month, day)
                except ValueError:
                    raise ValueError(f"ngày {day}/{month}/{year} không có trong lịch") from None
            return {"year": year, "month": month, "day": day}
        return value

    @model_validator(mode="after")
    def _real_date(self) -> IssueDate:
        if self.day is not None:
            if self.month is None:
                raise ValueError("đã có ngày thì phải có tháng")
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:
                raise ValueError(f"ngày {self.day}/{self.month}/{self.year} không có trong lịch") from None
        return self

    @property
    def complete(self) -> dt.date | None:
        """The date when day, month and year are all known."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)


class Header(Model):
    """Thể thức phần đầu văn bản: cơ quan, số và ký hiệu, địa danh và thời gian, tên loại, trích yếu."""

    parent_body: str | None = Field(
        None, description="Tên cơ quan chủ quản (dòng trên, in hoa), ví dụ UBND TỈNH BẮC GIANG"
    )
    issuing_body: str = Field(min_length=1, description="Tên cơ quan ban hành (in hoa, đậm), ví dụ BAN CHỈ ĐẠO ISO")
    number: int | None = Field(
        None, ge=1, description="Số văn bản; để trống khi còn là dự thảo (văn thư điền khi vào số)"
    )
    symbol: str = Field(min_length=1, description="Ký hiệu, ví dụ KH-BCĐ, QĐ-UBND, TB-UBND")
    place: str = Field(min_length=1, description="Địa danh, ví dụ Bắc Giang")
    date: IssueDate = Field(description="Ngày ban hành: 2015-09-08 hoặc 08/9/2015; 2020-02 hoặc 02/2020 để trống ngày")
    kind: str | None = Field(None, description="Tên loại văn bản in hoa (mặc định theo loại: KẾ HOẠCH, QUYẾT ĐỊNH, …)")
    title: str = Field(min_length=1, description="Trích yếu nội dung")

    @field_validator("number", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        """``true`` is not number 1, and ``1.000`` (a Vietnamese thousand) is not number 1 either."""
        if isinstance(value, bool):
            raise ValueError(f"số văn bản phải là một số nguyên dương (ví dụ 52), không phải `{str(value).lower()}`")
        if isinstance(value, str | Decimal | float):
            text = str(value).strip()
            if text and not text.isdigit():
                raise ValueError(
                    f"số văn bản `{text}` phải là một số nguyên dương viết liền, không có dấu chấm, dấu phẩy "
                    "(ví dụ 52, 1813)"
                )
        return value

    @field_validator("symbol")
    @classmethod
    def _symbol_shape(cls, value: str) -> str:
        if "/" in value or " " in value:
            raise ValueError(
                f"ký hiệu `{value}` chỉ gồm chữ viết tắt nối bằng dấu gạch nối, không có số và "
                "dấu `/` (ví dụ KH-BCĐ; số văn bản ghi ở `number`)"
            )
        return value


class Table(Model):
    """Bảng (ví dụ bảng Tiến độ thực hiện): tên cột và các dòng, mỗi dòng đủ số ô."""

    columns: tuple[str, ...] = Field(min_length=1, description="Tên các cột")
    rows: tuple[tuple[str, ...], ...] = Field(
        min_length=1, description='Các dòng; mỗi dòng là danh sách ô, ô trống ghi ""'
    )
    widths: tuple[int, ...] | None = Field(None, description="Độ rộng tương đối của từng cột, ví dụ [1, 6, 4, 3]")
    align: tuple[Literal["left", "center", "right"], ...] | None = Field(
        None, description="Căn lề từng cột: left, center, right"
    )

    @field_validator("widths", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any) -> Any:
        """``true`` is not width 1 (pydantic would read it so)."""
        if isinstance(value, list) and any(isinstance(w, bool) for w in value):
            raise ValueError("`widths` là các số nguyên dương (ví dụ [1, 6, 4, 3]), không phải `true`/`false`")
        return value

    @field_validator("rows", mode="before")
    @classmethod
    def _empty_cells(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [["" if cell is None else cell for cell in row] if isinstance(row, list) else row for row in value]
        return value

    @model_validator(mode="after")
    def _shape(self) -> Table:
        """Every row, ``widths`` and ``align`` have one value per column; each problem is reported
        at its own node (``rows[1]``, ``widths``), all of them, not only the first."""
        n = len(self.columns)
        problems: list[InitErrorDetails] = []

        def problem(loc: tuple[str | int, ...], value: Any, message: str) -> None:
            problems.append(
                InitErrorDetails(type="value_error", loc=loc, input=value, ctx={"error": ValueError(message)})
            )

        for i, row in enumerate(self.rows):
            if len(row) != n:
                problem(("rows", i), row, f"dòng {i + 1} của bảng có {len(row)} ô, bảng có {n} cột (`columns`)")
        for name, values in (("widths", self.widths), ("align", self.align)):
            if values is not None and len(values) != n:
                problem((name,), values, f"`{name}` có {len(values)} giá trị, bảng có {n} cột")
        if self.widths is not None:
            for i, width in enumerate(self.widths):
                if width < 1:
                    problem(("widths", i), width, "`widths` phải là các số nguyên dương")
        if problems:
            raise ValidationError.from_exception_data(type(self).__name__, problems)
        return self


_BLOCK_KINDS = ("text", "heading", "bullets", "table")


def _is_scalar_text(value: Any) -> bool:
    """Text as the schema allows it: a string, or a number written where text is expected."""
    return isinstance(value, str | int | Decimal) and not isinstance(value, bool)


def _as_text(value: Any) -> Any:
    """The shorthand of blocks and articles: a bare string (or number) stands for ``{text: …}``."""
    return {"text": value} if _is_scalar_text(value) else value


def _one_or_many(value: Any) -> Any:
    """A list field that also takes a single line."""
    return (value,) if _is_scalar_text(value) else value


class Block(Model):
    """Một khối nội dung: đoạn văn (``text``), mục có tiêu đề (``heading`` + ``blocks``),
    danh sách gạch đầu dòng (``bullets``) hoặc bảng (``table``).

    Shorthand: a bare string is a paragraph.
    """

    text: str | None = Field(None, min_length=1, description="Đoạn văn")
    heading: str | None = Field(None, min_length=1, description="Tiêu đề mục, ví dụ I. Mục đích, yêu cầu")
    blocks: tuple[Block, ...] = Field((), description="Nội dung của mục (chỉ dùng với heading)")
    bullets: tuple[Line, ...] | None = Field(None, description="Các ý gạch đầu dòng")
    table: Table | None = Field(None, description="Bảng")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _as_text(value)

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        present = [k for k in _BLOCK_KINDS if getattr(self, k) is not None]
        if len(present) != 1:
            shown = ", ".join(f"`{k}`" for k in present) if present else "không có"
            raise ValueError(f"mỗi khối phải có đúng một trong `text`, `heading`, `bullets`, `table` (ở đây: {shown})")
        if self.blocks and self.heading is None:
            raise ValueError("`blocks` chỉ dùng trong một mục có `heading`")
        return self


class Article(Model):
    """Một điều của quyết định: "Điều 1. …". Shorthand: a bare string is the article's text."""

    title: str | None = Field(None, min_length=1, description='Tên điều (nếu có), in đậm sau "Điều N."')
    text: str | None = Field(None, min_length=1, description='Nội dung điều, ngay sau "Điều N."')
    blocks: tuple[Block, ...] = Field((), description="Các khoản, điểm tiếp theo")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _as_text(value)

    @model_validator(mode="after")
    def _not_empty(self) -> Article:
        if self.title is None and self.text is None and not self.blocks:
            raise ValueError("điều phải có `text`, `title` hoặc `blocks`")
        return self


class Signature(Model):
    """Chữ ký: quyền hạn (TM., KT., TL., TUQ., Q.), chức vụ, chức danh, họ tên người ký."""

    authority: tuple[Line, ...] = Field(
        (), description="Các dòng quyền hạn ký, ví dụ [KT. TRƯỞNG BAN] hoặc [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]"
    )
    position: str = Field(min_length=1, description="Chức vụ người ký, ví dụ PHÓ TRƯỞNG BAN")
    signer_title: str | None = Field(
        None, description="Chức danh ghi dưới chữ ký, trên họ tên, ví dụ GIÁM ĐỐC SỞ KH & CN"
    )
    name: str | None = Field(None, description="Họ và tên người ký (để trống: điền tay)")

    @field_validator("authority", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        return _one_or_many(value)

    @field_validator("authority")
    @classmethod
    def _prefix(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for line in value:
            if not line.startswith(AUTHORITY_PREFIXES) or line.split(" ", 1)[0] not in AUTHORITY_PREFIXES:
                raise ValueError(
                    f"dòng quyền hạn `{line}` phải bắt đầu bằng "
                    + ", ".join(AUTHORITY_PREFIXES)
                    + " và một dấu cách (ví dụ `KT. TRƯỞNG BAN`)"
                )
        return value


class BudgetAppendix(Model):
    """Phụ lục dự toán kinh phí: tệp dự toán đính kèm. Shorthand: a bare path."""

    file: str = Field(min_length=1, description="Tệp dự toán (.yaml), đường dẫn tính từ tệp văn bản")
    label: str = Field("Phụ lục", description="Nhãn phụ lục, ví dụ Phụ lục hoặc Phụ lục I")
    title: str | None = Field(None, description="Tên phụ lục (mặc định: tên dự toán, in hoa)")
    by: str | None = Field(
        None, description='Người/cơ quan ban hành văn bản chính, ghi sau "của" trong dòng "(Kèm theo …)"'
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if _is_scalar_text(value):
            return {"file": value}
        return value


class Attachment(Model):
    """Văn bản hoặc phụ lục ban hành kèm theo (ví dụ Kế hoạch kèm theo Quyết định)."""

    kind: str | None = Field(None, description="Tên loại in hoa, ví dụ KẾ HOẠCH; để trống với phụ lục")
    label: str | None = Field(None, description="Nhãn phụ lục, ví dụ Phụ lục I")
    title: str = Field(min_length=1, description="Tên văn bản/phụ lục kèm theo")
    lead: str = Field("Kèm theo", description="Đầu dòng tham chiếu: Kèm theo / Ban hành kèm theo")
    by: str | None = Field(None, description='Ghi sau "của" trong dòng tham chiếu, ví dụ UBND tỉnh')
    header: bool | None = Field(
        None, description="Lặp lại tên cơ quan và Quốc hiệu ở đầu trang (mặc định: có với văn bản, không với phụ lục)"
    )
    body: tuple[Block, ...] = Field(min_length=1, description="Nội dung")
    signature: Signature | None = Field(None, description="Chữ ký cuối văn bản kèm theo (nếu có)")


class ReportSource(Model):
    """Nguồn số liệu của báo cáo kết quả chấm điểm: các bản tự đánh giá cần chấm."""

    assessments: tuple[str, ...] = Field(min_length=1, description="Tệp hoặc thư mục tự đánh giá, tính từ tệp văn bản")
    criteria: tuple[str, ...] = Field((), description="Tệp hoặc thư mục bộ tiêu chí")
    agencies: str | None = Field(None, description="Danh sách cơ quan phải nộp (để liệt kê cơ quan chưa nộp)")
    strict: bool = Field(False, description="Tiêu chí chưa chấm là lỗi, không chỉ cảnh báo")
    heading: str = Field(
        "Kết quả đánh giá, chấm điểm",
        min_length=1,
        description="Tiêu đề phần kết quả (sau `body`, trước `closing`), ví dụ II. Kết quả chấm điểm",
    )

    @field_validator("assessments", "criteria", mode="before")
    @classmethod
    def _one_path(cls, value: Any) -> Any:
        return _one_or_many(value)


class Document(Model):
    """Dữ liệu một văn bản hành chính (Kế hoạch, Quyết định, Thông báo, Báo cáo)."""

    header: Header = Field(description="Phần đầu văn bản: cơ quan, số, ký hiệu, địa danh, ngày, loại, trích yếu")
    authority: str | None = Field(
        None, description="Thẩm quyền ban hành (quyết định), ví dụ ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    )
    legal_bases: tuple[Line, ...] = Field((), description="Căn cứ ban hành, mỗi căn cứ một dòng")
    body: tuple[Block, ...] = Field((), description="Nội dung: đoạn văn, mục, gạch đầu dòng, bảng")
    articles: tuple[Article, ...] = Field((), description="Các điều của quyết định (Điều 1, Điều 2, …)")
    closing: tuple[Block, ...] = Field((), description="Đoạn kết (sau phần số liệu của báo cáo)")
    recipients: tuple[Line, ...] = Field(min_length=1, description='Nơi nhận, ví dụ "Lưu: VT, TĐC"')
    electronic_recipients: tuple[Line, ...] = Field((), description="Nơi nhận bản điện tử")
    signature: Signature = Field(description="Chữ ký: quyền hạn, chức vụ, họ tên người ký")
    budget: BudgetAppendix | None = Field(None, description="Dự toán kinh phí đính kèm làm phụ lục")
    attachments: tuple[Attachment, ...] = Field((), description="Văn bản, phụ lục kèm theo")
    report: ReportSource | None = Field(None, description="Nguồn số liệu (chỉ với báo cáo kết quả chấm điểm)")

    @field_validator("recipients", "electronic_recipients", "legal_bases", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        return _one_or_many(value)


def resolve(base_dir: Path, name: str) -> Path:
    """A file the document names (budget, assessments, criteria, agencies): relative to the data
    file's folder ``base_dir`` unless written absolute."""
    path = Path(name)
    return path if path.is_absolute() else base_dir / path


def load_document(path: Path) -> tuple[Document, YamlDocument]:
    """Load and validate a document data file; raises :class:`isoprov.diagnostics.InputError`."""
    doc = load_yaml(path)
    return validate_document(Document, doc), doc


def named_files(document: Document) -> list[tuple[PathKey, str]]:
    """The files a document names (budget, assessments, criteria, agencies), with where."""
    named: list[tuple[PathKey, str]] = []
    if document.budget is not None:
        named.append((("budget",), document.budget.file))
    if document.report is not None:
        named += [(("report", "assessments", i), p) for i, p in enumerate(document.report.assessments)]
        named += [(("report", "criteria", i), p) for i, p in enumerate(document.report.criteria)]
        if document.report.agencies is not None:
            named.append((("report", "agencies"), document.report.agencies))
    return named


def named_inputs(document: Document, base_dir: Path) -> Iterator[Path]:
    """The files a document names, as paths (a folder of assessments stands for its files);
    lazily: a folder is searched only when asked for its files."""
    for _, name in named_files(document):
        path = resolve(base_dir, name)
        yield from discover([path], (*YAML_SUFFIXES, ".xlsx")).paths if path.is_dir() else [path]
