"""JSON Schemas of isoprov's file kinds (``isoprov schema KIND``), for editor completion.

A schema is generated from the pydantic model that validates the kind, then adjusted so that an
editor accepts exactly what isoprov accepts:

- models and fields that take a shorthand (``"1.1": 2`` for ``{self: 2}``, a bare string for a
  paragraph or a one-item list) get it as an alternative;
- text fields accept numbers too (``period: 2020``; the models coerce numbers to text);
- descriptions are Vietnamese everywhere (pydantic takes a model's description from its
  docstring, written for developers), and the English titles pydantic derives from field
  names are dropped, so an editor's hover shows the Vietnamese description.

``schemas/*.json`` at the top of the repository are this module's output, committed so that the
shipped YAML files can point at them (``# yaml-language-server: $schema=…``); a test keeps them
equal to the output.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from copy import deepcopy
from typing import Any

from pydantic import BaseModel

KINDS = (
    "criteria",
    "assessment",
    "budget",
    "document",
    "norms",
    "agencies",
    "inspection",
    "minutes",
    "inspection-document",
)
#: Kinds whose numbers are amounts of money, which may be written as Vietnamese money text.
MONEY_KINDS = frozenset({"budget", "norms"})

#: Draft 7: what yaml-language-server (VS Code's YAML extension) supports ("JSON Schema 7 and below").
JSON_SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
_REF_TEMPLATE = "#/definitions/{model}"

#: Root titles, as an editor shows them.
TITLES = {
    "criteria": "Bộ tiêu chí đánh giá, chấm điểm (isoprov)",
    "assessment": "Bản tự đánh giá, chấm điểm của cơ quan (isoprov)",
    "budget": "Dự toán kinh phí (isoprov)",
    "document": "Dữ liệu văn bản hành chính (isoprov render)",
    "norms": "Định mức chi tối đa (isoprov)",
    "agencies": "Danh sách cơ quan phải nộp bản tự đánh giá (isoprov)",
    "inspection": "Kế hoạch kiểm tra hằng năm việc áp dụng HTQLCL (isoprov inspect)",
    "minutes": "Biên bản kiểm tra tại trụ sở cơ quan (isoprov inspect)",
    "inspection-document": "Dữ liệu văn bản của kỳ kiểm tra hằng năm (isoprov render inspection-plan, minutes, …)",
}

#: Vietnamese descriptions of the models (root and ``$defs``), by class name.
MODEL_DESCRIPTIONS = {
    "CriteriaSet": "Bộ tiêu chí đánh giá, chấm điểm việc áp dụng HTQLCL theo TCVN ISO 9001: thang điểm, "
    "các cấp cơ quan, xếp loại và danh sách tiêu chí.",
    "Criterion": "Một tiêu chí: nhóm tiêu chí (có `children`) hoặc tiêu chí lá (có `max`).",
    "Option": "Một mức điểm cố định của tiêu chí, ví dụ «Có quyết định, đủ thành phần: 2 điểm».",
    "Band": "Một mức xếp loại: tổng điểm từ `min` trở lên được xếp loại `label`, khi đủ các điều kiện "
    "(`each_group_min_percent`, `each_criterion_min_percent`, `requires`) nếu có.",
    "Measure": "Tiêu chí định lượng: cơ quan nhập giá trị đo (hoặc {count, of}); bộ tiêu chí quy ra điểm "
    "theo bảng mức (`points`) hoặc tỷ lệ đến `full_at`.",
    "Threshold": "Một mức của bảng mức: giá trị từ `min` trở lên được `points` điểm.",
    "RoundRule": "Cách làm tròn: số chữ số thập phân (`places`) và kiểu làm tròn (`mode`).",
    "Ranking": "Cách xếp hạng khi bằng tổng điểm đã làm tròn.",
    "Ratio": "Giá trị đo cho bằng hai số đếm: `count` trên tổng số `of` (ví dụ 193 hồ sơ đúng hạn trên 200).",
    "Assessment": "Bản tự đánh giá, chấm điểm của một cơ quan theo một bộ tiêu chí, trong một kỳ.",
    "Agency": "Cơ quan tự đánh giá: mã, tên và cấp.",
    "ScoreEntry": "Điểm của một tiêu chí: điểm tự chấm (`self`), điểm thẩm định (`team`), tài liệu kiểm "
    "chứng, ghi chú, hoặc khai báo không áp dụng (`na`). Viết gọn: một con số là điểm tự chấm.",
    "Registry": "Danh sách cơ quan phải nộp bản tự đánh giá (để liệt kê cơ quan chưa nộp).",
    "RegisteredAgency": "Một cơ quan phải nộp bản tự đánh giá.",
    "Budget": "Dự toán kinh phí: các khoản chi (số lượng × định mức), tổng cộng và số tiền bằng chữ.",
    "BudgetItem": "Một khoản chi, có thể kèm các khoản chi tiết (`breakdown`).",
    "NormFile": "Tệp định mức chi tối đa, trích từ một văn bản quy phạm (hoặc mức ví dụ với `example: true`).",
    "NormCap": "Một định mức chi tối đa: tối đa `max` cho mỗi `per`, theo văn bản `source`.",
    "Document": "Dữ liệu một văn bản hành chính (Kế hoạch, Quyết định, Thông báo, Báo cáo) theo Nghị định "
    "30/2020/NĐ-CP.",
    "Header": "Phần đầu văn bản: cơ quan, số và ký hiệu, địa danh và ngày, tên loại, trích yếu.",
    "IssueDate": "Ngày ban hành: NNNN-TT-NN (2015-09-08); NNNN-TT (2020-02) hoặc NNNN (2021) để trống "
    "phần văn thư điền tay khi vào số.",
    "Block": "Một khối nội dung: đoạn văn (`text`), mục có tiêu đề (`heading` và `blocks`), danh sách "
    "gạch đầu dòng (`bullets`) hoặc bảng (`table`). Viết gọn: một chuỗi là một đoạn văn.",
    "Table": "Bảng: tên các cột và các dòng, mỗi dòng đủ số ô.",
    "Article": "Một điều của quyết định («Điều 1. …»). Viết gọn: một chuỗi là nội dung điều.",
    "Signature": "Phần chữ ký: quyền hạn ký (TM., KT., TL., TUQ., Q.), chức vụ, chức danh, họ tên.",
    "BudgetAppendix": "Phụ lục dự toán kinh phí kèm theo văn bản. Viết gọn: đường dẫn tệp dự toán.",
    "Attachment": "Văn bản hoặc phụ lục ban hành kèm theo.",
    "InspectionDocument": "Dữ liệu một văn bản của kỳ kiểm tra hằng năm: phần đầu, chữ ký, nơi nhận như mọi "
    "văn bản, và tệp lấy số liệu (`inspection` hoặc `minutes`).",
    "Announcement": "Quyết định công bố (hoặc công bố lại) HTQLCL phù hợp TCVN ISO 9001 (QĐ 19/2014 Điều 4).",
    "Inspection": "Kế hoạch kiểm tra một năm (Thông tư 26/2014 Điều 34): danh sách cơ quan, cơ quan kiểm tra "
    "tại trụ sở, đoàn kiểm tra, hạn báo cáo, dự toán.",
    "OnSite": "Một cơ quan được kiểm tra tại trụ sở và ngày kiểm tra.",
    "Person": "Một người: họ tên, chức vụ, nhiệm vụ trong đoàn.",
    "Minutes": "Biên bản kiểm tra tại trụ sở (Mẫu 21. BBKT): thành phần, kết quả theo Điều 36, ý kiến, "
    "hành động khắc phục.",
    "Representatives": "Đại diện đoàn kiểm tra và đại diện cơ quan được kiểm tra.",
    "Finding": "Kết quả một nội dung Điều 36 (dat/chua-dat); nội dung chưa đạt cần yêu cầu khắc phục.",
    "Action": "Báo cáo hành động khắc phục: nội dung, ngày báo cáo, tình trạng, bằng chứng.",
    "ReportSource": "Nguồn số liệu của báo cáo kết quả chấm điểm: các bản tự đánh giá cần chấm.",
}

_ONE_OR_MANY = "Một giá trị, hoặc danh sách nhiều giá trị"
_TEXT_OR_NUMBER = ["string", "number"]


def model_for(kind: str) -> type[BaseModel]:
    """The model that validates files of ``kind`` (imported only when asked for)."""
    if kind == "criteria":
        from isoprov.scoring.criteria import CriteriaSet

        return CriteriaSet
    if kind == "assessment":
        from isoprov.scoring.assessment import Assessment

        return Assessment
    if kind == "budget":
        from isoprov.budget.model import Budget

        return Budget
    if kind == "document":
        from isoprov.documents.model import Document

        return Document
    if kind == "norms":
        from isoprov.budget.norms import NormFile

        return NormFile
    if kind == "agencies":
        from isoprov.scoring.registry import Registry

        return Registry
    if kind == "inspection":
        from isoprov.inspection.model import Inspection

        return Inspection
    if kind == "minutes":
        from isoprov.inspection.model import Minutes

        return Minutes
    if kind == "inspection-document":
        from isoprov.documents.inspection import InspectionDocument

        return InspectionDocument
    raise ValueError(f"unknown schema kind {kind!r}; known: {', '.join(KINDS)}")


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of ``kind``, adjusted for editors (see the module docstring)."""
    model = model_for(kind)
    raw = model.model_json_schema(by_alias=True, ref_template=_REF_TEMPLATE)
    defs: dict[str, Any] = raw.pop("$defs", {})
    root_name = model.__name__
    for name, node in [(root_name, raw), *defs.items()]:
        _describe_model(name, node)
        for (owner, prop), patch in _FIELD_PATCHES.items():
            if owner == name and prop in node.get("properties", {}):
                node["properties"][prop] = patch(node["properties"][prop])
    for name, patch in _MODEL_PATCHES.items():
        if name in defs:
            defs[name] = patch(defs[name])
    out: dict[str, Any] = {"$schema": JSON_SCHEMA_DIALECT, "title": TITLES[kind]}
    out.update(raw)
    out["title"] = TITLES[kind]
    if defs:
        out["definitions"] = dict(sorted(defs.items()))
    _adjust(out, money=kind in MONEY_KINDS, top=True)
    return out


def schema_text(kind: str) -> str:
    """``json_schema(kind)`` as the text ``isoprov schema`` prints and ``schemas/`` holds."""
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"


def _describe_model(name: str, node: dict[str, Any]) -> None:
    if name in MODEL_DESCRIPTIONS:
        node["description"] = MODEL_DESCRIPTIONS[name]


def _adjust(node: Any, *, money: bool, top: bool = False) -> None:
    """Drop the English titles pydantic derives from names; let text fields take numbers."""
    if isinstance(node, list):
        for item in node:
            _adjust(item, money=money)
        return
    if not isinstance(node, dict):
        return
    if not top:
        node.pop("title", None)
    if "$ref" in node and len(node) > 1:
        # Draft 7 ignores keywords beside `$ref`: keep the field's description through allOf.
        node["allOf"] = [{"$ref": node.pop("$ref")}]
    _decimal_text(node, money)
    if node.get("type") == "string" and not any(k in node for k in ("enum", "const", "format", "pattern")):
        node["type"] = list(_TEXT_OR_NUMBER)
    for key, value in node.items():
        if key in ("properties", "definitions") and isinstance(value, dict):
            for sub in value.values():
                _adjust(sub, money=money)
        elif key not in ("enum", "const", "default", "examples"):
            _adjust(value, money=money)


def _decimal_text(node: dict[str, Any], money: bool) -> None:
    """A ``Decimal`` field is "a number, or text": points take text that is a plain number
    (``"7.5"``); amounts of money take Vietnamese money text too (``500.000 đồng/ngày``), which
    the budget model parses. Set here, not left to pydantic: its output for the text branch
    differs between its versions (2.13 has a pattern, 2.14 none), and ``schemas/`` must not
    change with the pydantic installed."""
    branches = node.get("anyOf")
    if not isinstance(branches, list) or not any(isinstance(b, dict) and b.get("type") == "number" for b in branches):
        return
    for i, branch in enumerate(branches):
        if isinstance(branch, dict) and branch.get("type") == "string" and set(branch) <= {"type", "pattern"}:
            branches[i] = dict(_MONEY_TEXT if money else _DECIMAL_TEXT)


# ---- shorthands ------------------------------------------------------------------------------


def _or(*alternatives: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A patch: the node itself, or one of ``alternatives`` (a shorthand)."""

    def patch(node: dict[str, Any]) -> dict[str, Any]:
        original = deepcopy(node)
        description = original.get("description")  # kept on both: editors show either
        default = original.pop("default", None) if "default" in original else None
        out: dict[str, Any] = {"anyOf": [*alternatives, original]}
        if description is not None:
            out["description"] = description
        if default is not None:
            out["default"] = default
        return out

    return patch


def _one_or_many(node: dict[str, Any]) -> dict[str, Any]:
    """A list field that also takes a single item (``evidence: Quyết định …``)."""
    items = deepcopy(node.get("items") or {})
    if not items:
        for branch in node.get("anyOf", []):
            if branch.get("type") == "array":
                items = deepcopy(branch.get("items") or {})
    items.pop("description", None)
    patched = _or(items)(node)
    patched.setdefault("description", _ONE_OR_MANY)
    return patched


_NUMBER = {"type": "number"}
#: A condition's result as officials write it (the model reads any case and spacing).
_PASS_FAIL = {"type": "string", "enum": ["Đạt", "Không đạt", "đạt", "không đạt", "ĐẠT", "KHÔNG ĐẠT"]}
_TEXT = {"type": "string"}
_DECIMAL_TEXT = {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"}
_MONEY_TEXT = {"type": "string", "pattern": r"\d"}  # 500.000 đồng/ngày, 8,1 triệu đồng
# 2015-09-08, 2020-02, 2021; the Vietnamese way, day first: 08/9/2015, 8-9-2015, 02/2020
_PARTIAL_DATE = {
    "type": "string",
    "pattern": r"^(\d{4}(-\d{1,2}(-\d{1,2})?)?|\d{1,2}([/.-])\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4}"
    r"|\d{1,2}\.\d{1,2}\.\d{4})$",
}


def _with_pass_fail(node: dict[str, Any]) -> dict[str, Any]:
    """A ``self``/``team`` value: where it takes true/false, it takes Đạt / Không đạt too."""
    out = deepcopy(node)

    def walk(item: Any) -> Any:
        if isinstance(item, dict):
            if item == {"type": "boolean"}:
                return {"anyOf": [{"type": "boolean"}, dict(_PASS_FAIL)]}
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(out)  # type: ignore[no-any-return]


#: Whole models that take a shorthand, by ``$defs`` name.
_MODEL_PATCHES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    # "1.1": 2; "K1": true or Đạt; "3.1": {count: 193, of: 200}
    "ScoreEntry": _or(_NUMBER, {"anyOf": [{"type": "boolean"}, _PASS_FAIL]}, {"$ref": "#/definitions/Ratio"}),
    "Block": _or(_TEXT),  # a paragraph
    "Article": _or(_TEXT),
    "BudgetAppendix": _or(_TEXT),  # budget: du-toan.yaml
    "IssueDate": _or(_PARTIAL_DATE, {"type": "integer"}),  # 2015-09-08, 08/9/2015, 2020-02, 2021
}

#: Fields that take a shorthand, by (model, field).
_FIELD_PATCHES: dict[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("ScoreEntry", "evidence"): _one_or_many,
    ("ScoreEntry", "self"): lambda node: _with_pass_fail(node),
    ("ScoreEntry", "team"): lambda node: _with_pass_fail(node),
    ("Signature", "authority"): _one_or_many,
    ("Document", "recipients"): _one_or_many,
    ("Document", "electronic_recipients"): _one_or_many,
    ("Document", "legal_bases"): _one_or_many,
    ("ReportSource", "assessments"): _one_or_many,
    ("ReportSource", "criteria"): _one_or_many,
    ("BudgetItem", "times"): _one_or_many,
    # `triệu`, `Triệu đồng`, `trđ`: spellings the budget model normalises; the list completes
    ("Budget", "unit"): _or(_TEXT),
    # a cap is money with its unit (`150.000 đồng`); a bare number is refused by the model
    # … or a share of another cap, `{percent: 80, of: iso-tu-van-xay-dung-chi-cuc}` (SPEC §5b)
    ("NormCap", "max"): lambda node: {
        "anyOf": [_MONEY_TEXT, {"$ref": "#/definitions/PercentOf"}],
        "description": node.get("description", ""),
    },
    ("NormCap", "min"): lambda node: {
        "anyOf": [_MONEY_TEXT, {"type": "null"}],
        "description": node.get("description", ""),
    },
    ("NormCap", "for"): _one_or_many,
    ("BudgetItem", "of"): _one_or_many,
}
