"""The ``isoprov`` command line: declares commands and their options, nothing else.

Each command's body lives in :mod:`isoprov.commands` and is imported when the command runs,
so that ``isoprov --help`` never pays for openpyxl, jinja2 or the Word library.

No ``from __future__ import annotations`` here, on purpose: typer reads every command's
signature at each run, and annotations kept as text are compiled and evaluated again each
time (a third of a light command's own start-up, issue 16).
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from isoprov import __version__
from isoprov.commands.usage import VietnameseCommand, VietnameseGroup

app = typer.Typer(
    name="isoprov",
    help="Công cụ ISO 9001 cho cơ quan hành chính: chấm điểm, dự toán kinh phí, soạn văn bản.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=VietnameseGroup,
    context_settings={"help_option_names": ["-h", "--help"]},  # `-h` is what most users try first
    epilog=(
        "Mã thoát: 0 mọi tệp hợp lệ và mọi kiểm tra đạt; 1 có tệp lỗi hoặc kiểm tra không đạt "
        "(các tệp hợp lệ vẫn được xử lý); 2 dùng lệnh sai. Xem `isoprov LỆNH --help`."
    ),
)
budget_app = typer.Typer(
    help="Dự toán kinh phí: kiểm tra và viết số tiền bằng chữ.", no_args_is_help=True, cls=VietnameseGroup
)
app.add_typer(budget_app, name="budget")
inspect_app = typer.Typer(
    help="Kiểm tra hằng năm việc áp dụng HTQLCL: kế hoạch, biên bản, hành động khắc phục.",
    no_args_is_help=True,
    cls=VietnameseGroup,
)
app.add_typer(inspect_app, name="inspect")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class BudgetFormat(StrEnum):
    table = "table"
    json = "json"


class DocumentKind(StrEnum):
    plan = "plan"
    decision = "decision"
    notice = "notice"
    report = "report"
    inspection_plan = "inspection-plan"
    inspection_decision = "inspection-decision"
    report_request = "report-request"
    minutes = "minutes"
    correction_request = "correction-request"
    action_rejection = "action-rejection"
    inspection_summary = "inspection-summary"
    ministry_report = "ministry-report"


class MarkdownForm(StrEnum):
    gfm = "gfm"
    pandoc = "pandoc"


class SchemaKind(StrEnum):
    criteria = "criteria"
    assessment = "assessment"
    budget = "budget"
    document = "document"
    norms = "norms"
    agencies = "agencies"
    inspection = "inspection"
    minutes = "minutes"
    inspection_document = "inspection-document"


class CheckFormat(StrEnum):
    table = "table"
    json = "json"


TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="DATE", help="Ngày tính hạn: 2026-12-15 hoặc 15/12/2026 (mặc định: hôm nay)."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"isoprov {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát.")
    ] = False,
) -> None:
    """Công cụ ISO 9001 cho cơ quan hành chính: chấm điểm, dự toán kinh phí, soạn văn bản."""


# Paths are checked by the commands, in Vietnamese (typer's own `readable` check speaks English
# and would make an unreadable file a usage error instead of one more invalid input).
CriteriaOption = Annotated[
    list[Path] | None,
    typer.Option("--criteria", metavar="PATH", readable=False, help="Tệp hoặc thư mục bộ tiêu chí (có thể lặp lại)."),
]


@app.command(cls=VietnameseCommand)
def score(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH", readable=False, help="Tệp tự đánh giá (.yaml, .xlsx) hoặc thư mục."),
    ],
    criteria: CriteriaOption = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", metavar="table|json|csv", help="Dạng kết quả: bảng, JSON hoặc CSV.")
    ] = OutputFormat.table,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", metavar="FILE.xlsx", readable=False, help="Ghi kết quả ra tệp Excel.")
    ] = None,
    detail: Annotated[bool, typer.Option("--detail", help="Thêm điểm từng tiêu chí.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Tiêu chí áp dụng mà chưa chấm là lỗi, không chỉ cảnh báo.")
    ] = False,
    agencies: Annotated[
        Path | None,
        typer.Option(
            "--agencies",
            metavar="FILE",
            readable=False,
            help="Danh sách cơ quan phải nộp (để liệt kê cơ quan chưa nộp).",
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", metavar="FILE.html", readable=False, help="Ghi trang kết quả HTML (mở bằng trình duyệt)."
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Giải thích từng kết quả: đầu vào và cách tính từng tiêu chí, phép tính tổng điểm, "
            "xếp loại, xếp hạng.",
        ),
    ] = False,
) -> None:
    """Chấm điểm các bản tự đánh giá: tổng điểm, xếp loại, xếp hạng."""
    from isoprov.commands import score as command

    raise typer.Exit(
        command.run(paths, criteria or [], output_format.value, xlsx, detail, strict, agencies, html, explain)
    )


@app.command(cls=VietnameseCommand, short_help="So sánh hai kỳ chấm điểm, hoặc điểm tự chấm với thẩm định.")
def compare(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="OLD NEW",
            readable=False,
            show_default=False,
            help="Bản tự đánh giá kỳ trước và kỳ sau (tệp hoặc thư mục); với --self-team: một hay nhiều đường dẫn.",
        ),
    ] = None,
    criteria: CriteriaOption = None,
    detail: Annotated[bool, typer.Option("--detail", help="Thêm các tiêu chí thay đổi nhiều nhất.")] = False,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", metavar="table|json|csv", help="Dạng kết quả: bảng, JSON hoặc CSV.")
    ] = OutputFormat.table,
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", metavar="FILE.xlsx", readable=False, help="Ghi so sánh ra tệp Excel (có biểu đồ)."),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", metavar="FILE.html", readable=False, help="Ghi trang kết quả HTML (mở bằng trình duyệt)."
        ),
    ] = None,
    self_team: Annotated[
        bool,
        typer.Option("--self-team", help="So điểm tự chấm với điểm thẩm định: theo tiêu chí và theo cơ quan."),
    ] = False,
) -> None:
    """So sánh hai kỳ chấm điểm theo mã cơ quan: tổng điểm, xếp loại, hạng và thay đổi.

    Với --self-team: tiêu chí nào các cơ quan hay tự chấm cao hơn đoàn thẩm định, và mỗi cơ quan chênh bao nhiêu.
    """
    from isoprov.commands import compare as command

    raise typer.Exit(command.run(paths or [], criteria or [], output_format.value, xlsx, html, detail, self_team))


@app.command(cls=VietnameseCommand, short_help="Kiểm tra mọi loại tệp mà không lập báo cáo.")
def validate(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", readable=False, help="Tệp hoặc thư mục cần kiểm tra.")],
    criteria: CriteriaOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Cảnh báo cũng là lỗi.")] = False,
) -> None:
    """Kiểm tra tệp (bộ tiêu chí, tự đánh giá YAML hoặc Excel, danh sách cơ quan, dự toán, định mức, văn bản)
    mà không lập báo cáo."""
    from isoprov.commands import validate as command

    raise typer.Exit(command.run(paths, criteria or [], strict))


@budget_app.command("check", cls=VietnameseCommand, short_help="Kiểm tra dự toán kinh phí.")
def budget_check(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", readable=False, help="Tệp dự toán (.yaml) hoặc thư mục.")
    ],
    output_format: Annotated[
        BudgetFormat, typer.Option("--format", metavar="table|json", help="Dạng kết quả: bảng hoặc JSON.")
    ] = BudgetFormat.table,
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", metavar="FILE.xlsx", readable=False, help="Ghi dự toán ra tệp Excel có công thức."),
    ] = None,
    norms: Annotated[
        list[Path] | None,
        typer.Option(
            "--norms", metavar="PATH", readable=False, help="Tệp hoặc thư mục định mức bổ sung (có thể lặp lại)."
        ),
    ] = None,
) -> None:
    """Kiểm tra dự toán: số lượng × định mức, tổng cộng, bằng chữ, định mức tối đa."""
    from isoprov.commands import budget as command

    raise typer.Exit(command.run_check(files, output_format.value, xlsx, norms or []))


@budget_app.command("words", cls=VietnameseCommand, short_help="Viết số tiền bằng chữ.")
def budget_words(
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help="Số tiền (đồng), ví dụ 126000000 hoặc 126.000.000.")],
) -> None:
    """Viết số tiền bằng chữ: 126000000 → Một trăm hai mươi sáu triệu đồng chẵn."""
    from isoprov.commands import budget_words as command

    raise typer.Exit(command.run_words(amount))


@inspect_app.command("check", cls=VietnameseCommand, short_help="Kiểm tra kế hoạch kiểm tra và biên bản.")
def inspect_check(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", readable=False, help="Tệp kế hoạch kiểm tra (.yaml) hoặc thư mục.")
    ],
    history: Annotated[
        list[Path] | None,
        typer.Option(
            "--history",
            metavar="PATH",
            readable=False,
            help="Kế hoạch kiểm tra các năm trước (có thể lặp lại): liệt kê cơ quan lâu nhất chưa kiểm tra tại trụ sở.",
        ),
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", metavar="table|json", help="Dạng kết quả: bảng hoặc JSON.")
    ] = CheckFormat.table,
    today: TodayOption = None,
) -> None:
    """Kiểm tra kế hoạch kiểm tra hằng năm, danh sách cơ quan, dự toán và biên bản: mã cơ quan, ngày,
    Trưởng đoàn, biên bản của cơ quan kiểm tra tại trụ sở, tỷ lệ 1/3 (Thông tư 26/2014 Điều 33.2)."""
    from isoprov.commands import inspect as command

    raise typer.Exit(command.run_check(files, history or [], output_format.value, today))


@inspect_app.command("actions", cls=VietnameseCommand, short_help="Sổ theo dõi hành động khắc phục.")
def inspect_actions(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH", readable=False, help="Biên bản, kế hoạch kiểm tra (.yaml) hoặc thư mục."),
    ],
    today: TodayOption = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", metavar="table|json|csv", help="Dạng kết quả: bảng, JSON hoặc CSV.")
    ] = OutputFormat.table,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", metavar="FILE.xlsx", readable=False, help="Ghi sổ theo dõi ra tệp Excel.")
    ] = None,
) -> None:
    """Hành động khắc phục sau kiểm tra: hạn (ngày ký biên bản + 02 tháng), tình trạng, số ngày quá hạn.
    Mã thoát 1 khi có việc quá hạn."""
    from isoprov.commands import inspect as command

    raise typer.Exit(command.run_actions(paths, today, output_format.value, xlsx))


@app.command(cls=VietnameseCommand)
def render(
    kind: Annotated[
        DocumentKind,
        typer.Argument(
            metavar="KIND",
            help="Loại văn bản: plan, decision, notice, report; kiểm tra hằng năm: inspection-plan, "
            "inspection-decision, "
            "report-request, minutes, correction-request, action-rejection, inspection-summary, ministry-report.",
        ),
    ],
    data: Annotated[Path, typer.Argument(metavar="DATA.yaml", readable=False, help="Tệp dữ liệu văn bản (.yaml).")],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="OUT", readable=False, help="Tệp kết quả: .docx, .md hoặc .html."),
    ],
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="FILE",
            readable=False,
            help="Mẫu của người dùng: Jinja (chạy trong sandbox) hoặc giấy tiêu đề .docx.",
        ),
    ] = None,
    markdown: Annotated[
        MarkdownForm | None,
        typer.Option(
            "--markdown",
            metavar="FORM",
            help="Dạng tệp .md: gfm (mặc định, Markdown đọc được ở mọi trình xem) hoặc pandoc (văn bản trung gian "
            "với các vùng `::: tên`, dùng được với pandoc).",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="GIÂY",
            min=0.1,
            max=3600,
            help="Thời gian tối đa cho một lần chạy mẫu (mặc định 10 giây).",
        ),
    ] = 10.0,
    allow_folder: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-folder",
            metavar="DIR",
            readable=False,
            help="Thư mục ngoài thư mục của tệp dữ liệu mà báo cáo được phép tìm bản tự đánh giá (lặp lại được).",
        ),
    ] = None,
) -> None:
    """Soạn văn bản hành chính theo Nghị định 30/2020/NĐ-CP."""
    from isoprov.commands import render as command

    form = markdown.value if markdown is not None else None
    raise typer.Exit(
        command.run(
            kind.value, data, output, template, markdown=form, seconds=timeout, allowed_folders=allow_folder or []
        )
    )


@app.command(cls=VietnameseCommand)
def form(
    criteria_ref: Annotated[str, typer.Argument(metavar="CRITERIA", help="Tệp bộ tiêu chí hoặc mã bộ tiêu chí.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FORM.xlsx", readable=False, help="Tệp Excel cần tạo.")
    ],
    criteria: CriteriaOption = None,
    agency_code: Annotated[
        str | None, typer.Option("--agency-code", metavar="CODE", help="Mã cơ quan điền sẵn, ví dụ SKHCN.")
    ] = None,
    agency_name: Annotated[
        str | None, typer.Option("--agency-name", metavar="NAME", help="Tên cơ quan điền sẵn.")
    ] = None,
    level: Annotated[
        str | None,
        typer.Option("--level", metavar="LEVEL", help="Cấp cơ quan điền sẵn (một cấp của bộ tiêu chí, ví dụ tinh)."),
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", metavar="PERIOD", help="Kỳ đánh giá điền sẵn, ví dụ 2025.")
    ] = None,
) -> None:
    """Tạo biểu mẫu Excel tự đánh giá cho một bộ tiêu chí."""
    from isoprov.commands import form as command

    raise typer.Exit(command.run(criteria_ref, output, criteria or [], agency_code, agency_name, level, period))


@app.command(cls=VietnameseCommand, short_help="Tạo thư mục làm việc mẫu chạy được ngay.")
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", readable=False, help="Thư mục làm việc cần tạo.")],
    force: Annotated[bool, typer.Option("--force", help="Ghi cả vào thư mục đã có tệp.")] = False,
) -> None:
    """Tạo thư mục làm việc mẫu: bộ tiêu chí, tự đánh giá, dự toán, kế hoạch."""
    from isoprov.commands import init as command

    raise typer.Exit(command.run(directory, force))


@app.command(cls=VietnameseCommand, short_help="In JSON Schema của một loại tệp.")
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            metavar="KIND",
            help="Loại tệp: criteria, assessment, budget, document, norms, agencies, inspection, minutes, "
            "inspection-document.",
        ),
    ],
) -> None:
    """In JSON Schema của một loại tệp (để trình soạn thảo gợi ý và kiểm tra)."""
    from isoprov.commands import schema as command

    raise typer.Exit(command.run(kind.value))


def main() -> None:
    """Console-script entry point."""
    app()
