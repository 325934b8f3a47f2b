"""What isoprov says about a document's data beyond its model: the rules of its kind, the
conventions of Nghị định 30/2020 a signable document keeps, and the files it names.

The conventions are warnings (the document still renders, the official decides): no signer's
name, a title (trích yếu) written in capitals, a body not ending in ``./.``, ``Lưu`` without its
colon in Nơi nhận, a number without a full date or a full date without a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from isoprov.core.diagnostics import Diagnostic, InputError, Severity
from isoprov.core.loading import PathKey, YamlDocument
from isoprov.core.validation import validate_document
from isoprov.documents.model import KINDS, Block, Document, named_files, resolve

#: A signature without the signer's name: allowed (filled in by hand), but said.
NO_SIGNER_NAME = (
    "chữ ký chưa có họ tên người ký (`name`): văn bản in ra để trống chỗ họ tên, phải điền tay trước khi ký"
)


def check_kind(kind: str, document: Document, source: YamlDocument) -> list[Diagnostic]:
    """Kind-specific rules the model alone cannot know (it does not know KIND)."""
    out: list[Diagnostic] = []
    if kind == "decision" and not document.articles:
        message = "quyết định cần có các điều (`articles`: Điều 1, Điều 2, …)"
        out.append(source.diagnostic(("articles",), message, at=()))
    if kind != "decision" and document.articles:
        message = f"`articles` chỉ dùng cho quyết định (decision), không dùng cho `{kind}`"
        out.append(source.diagnostic(("articles",), message, key=True))
    if kind != "decision" and document.authority is not None:
        message = "`authority` (thẩm quyền ban hành) chỉ được mẫu quyết định dùng; mẫu này bỏ qua nó"
        out.append(source.diagnostic(("authority",), message, key=True, severity=Severity.WARNING))
    if kind == "report" and document.report is None:
        message = "báo cáo kết quả chấm điểm cần khóa `report` với `assessments`"
        out.append(source.diagnostic(("report",), message, at=()))
    if kind != "report" and document.report is not None:
        message = f"`report` chỉ dùng cho báo cáo (report), không dùng cho `{kind}`"
        out.append(source.diagnostic(("report",), message, key=True))
    code = KINDS[kind][1]
    symbol = document.header.symbol
    if not symbol.startswith(code + "-"):
        out.append(
            source.diagnostic(
                ("header", "symbol"),
                f"ký hiệu `{symbol}` thường bắt đầu bằng `{code}-` với loại văn bản này",
                severity=Severity.WARNING,
            )
        )
    return out


def check_conventions(document: Document, source: YamlDocument) -> list[Diagnostic]:
    """Warnings for what a document about to be signed usually has (Nghị định 30/2020, Phụ lục I)."""
    out: list[Diagnostic] = []

    def warn(path: PathKey, message: str, key: bool = False) -> None:
        out.append(source.diagnostic(path, message, key=key, severity=Severity.WARNING))

    header = document.header
    if document.signature.name is None:
        warn(
            ("signature",),
            NO_SIGNER_NAME,
            key=True,
        )
    titles: list[tuple[PathKey, str]] = [(("header", "title"), header.title)]
    titles += [(("attachments", i, "title"), a.title) for i, a in enumerate(document.attachments) if a.kind]
    for path, title in titles:
        if _in_capitals(title):
            warn(
                path,
                "trích yếu viết toàn chữ in hoa trong dữ liệu; Nghị định 30/2020 trình bày trích yếu bằng chữ "
                "in thường (đứng, đậm) dưới tên loại in hoa, và mẫu in đúng như dữ liệu ghi",
            )
    last = _last_text(document)
    if last is not None and not last[1].rstrip().endswith("./."):
        warn(
            _as_written(source, last[0]),
            "nội dung văn bản không kết thúc bằng `./.` (Nghị định 30/2020: đoạn cuối kết thúc bằng dấu `./.`)",
        )
    for key in ("recipients", "electronic_recipients"):
        for i, line in enumerate(getattr(document, key)):
            if _STORE_WITHOUT_COLON.match(line.strip()):
                warn(
                    (key, i),
                    f"`{line.strip()}` thiếu dấu hai chấm: viết `Lưu: VT, …` (lưu văn thư và đơn vị soạn thảo)",
                )
    complete = header.date.complete is not None
    if header.number is not None and not complete:
        warn(
            ("header", "date"),
            "văn bản đã có số nhưng ngày ban hành còn để trống: số và ngày thường được văn thư điền cùng lúc "
            "khi vào sổ (vẫn được phép)",
        )
    if header.number is None and complete:
        warn(
            ("header", "number"),
            "ngày ban hành đã ghi đủ nhưng số văn bản còn để trống: số và ngày thường được văn thư điền cùng lúc "
            "khi vào sổ (vẫn được phép)",
        )
    return out


#: "Lưu VT, TĐC", "Lưu", "Lưu văn thư": the storage line without its colon (not "Lưu trữ tỉnh",
#: the archive, nor a person whose family name is Lưu)
_STORE_WITHOUT_COLON = re.compile(r"lưu(?:\s*[,.;-]?\s*(?:vt|văn thư)\b|\s*$)", re.IGNORECASE)


def _in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 5 and all(c.isupper() for c in letters)


def _last_text(document: Document) -> tuple[PathKey, str] | None:
    """The path and text of the last paragraph before the signature (closing, body, or the last
    article); a table or a heading there counts, with no text."""
    for key in ("closing", "body"):
        found = _last_in_blocks(getattr(document, key), (key,))
        if found is not None:
            return found
    if document.articles:
        k = len(document.articles) - 1
        article = document.articles[k]
        found = _last_in_blocks(article.blocks, ("articles", k, "blocks"))
        if found is not None:
            return found
        if article.text is not None:
            return ("articles", k, "text"), article.text
        return ("articles", k), ""
    return None


def _last_in_blocks(blocks: tuple[Block, ...], path: PathKey) -> tuple[PathKey, str] | None:
    if not blocks:
        return None
    k = len(blocks) - 1
    block = blocks[k]
    here = (*path, k)
    if block.heading is not None:
        return _last_in_blocks(block.blocks, (*here, "blocks")) or ((*here, "heading"), "")
    if block.text is not None:
        return (*here, "text"), block.text
    if block.bullets:
        return (*here, "bullets", len(block.bullets) - 1), block.bullets[-1]
    return here, ""


def _as_written(source: YamlDocument, path: PathKey) -> PathKey:
    """``path`` as the file writes it: a paragraph may be a bare string (``- Nội dung./.``), not
    ``{text: …}``."""
    if path and path[-1] == "text" and isinstance(source.value_at(path[:-1]), str):
        return path[:-1]
    return path


def check_search_folders(
    document: Document, source: YamlDocument, base_dir: Path, allowed: Sequence[Path] = ()
) -> list[Diagnostic]:
    """A folder the document names (a report's assessments or criteria) is searched only inside
    the data file's folder tree, or inside a folder the user allowed (``render --allow-folder``):
    ``assessments: /`` must not walk the whole disk. A *file* named anywhere is read as named."""
    roots = [base_dir.resolve(), *(folder.resolve() for folder in allowed)]
    out: list[Diagnostic] = []
    for where, name in named_files(document):
        path = resolve(base_dir, name)
        if not path.is_dir():
            continue
        found = path.resolve()
        if not any(found == root or found.is_relative_to(root) for root in roots):
            out.append(
                source.diagnostic(
                    where,
                    f"thư mục `{path}` nằm ngoài thư mục của tệp dữ liệu (`{base_dir}`): isoprov không tự tìm "
                    "tệp ngoài đó; hãy nêu từng tệp, đặt tệp dữ liệu ở thư mục chung, hoặc cho phép thư mục này "
                    f"bằng `--allow-folder {path}`",
                )
            )
    return out


def validate_document_file(path: Path, doc: YamlDocument) -> list[Diagnostic]:
    """``isoprov validate`` on a document: the model, that the files it names exist, and that
    the funds its text states are the attached budget's total (the budget itself is checked as a
    budget, the assessments by rendering)."""
    try:
        document = validate_document(Document, doc)
    except InputError as exc:
        return exc.diagnostics
    from isoprov.documents.budget_appendix import stated_totals

    out = check_conventions(document, doc)
    base = path.parent
    for where, name in named_files(document):
        target = resolve(base, name)
        if not target.exists():
            out.append(doc.diagnostic(where, f"không tìm thấy `{target}`"))
    out += stated_totals(document, doc, base)  # the text's figure against the attached budget
    return out
