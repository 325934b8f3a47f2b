"""Norm caps (định mức chi tối đa): ``norms/*.yaml``.

A norms file lists caps, each quoted from the regulation it comes from::

    title: Định mức chi hội nghị (Thông tư 40/2017/TT-BTC)
    caps:
      - id: ho-tro-an-hoi-nghi-tinh
        title: Hỗ trợ tiền ăn đại biểu không hưởng lương, hội nghị tại thành phố thuộc tỉnh, huyện
        max: 150.000 đồng          # a money string: the unit is always written
        per: người/ngày
        source: Thông tư 40/2017/TT-BTC, Điều 12 khoản 4

A file marked ``example: true`` holds figures that are *not* taken from a regulation (a local
rate to replace by the province's HĐND resolution): budgets may use them, but a check against
them is reported as a note (within the cap) or a warning (above it), never as an error.

A cap may also be defined from another (SPEC §5b, Thông tư 116/2015/TT-BTC Điều 4)::

      - id: iso-tu-van-xay-dung-xa
        max: {percent: 80, of: iso-tu-van-xay-dung-chi-cuc}   # 80 % of point c: 26,4 triệu đồng
        for: [xa, dvsn]                                        # the kinds of agency it is for
      - id: iso-chuyen-gia-doc-lap
        min: 2,8 triệu đồng                                    # a rate below: a warning
        max: 7,4 triệu đồng
        share: {percent: 80, of: iso-tu-van-xay-dung-so-huyen} # Σ items citing it ≤ 80 % of that cap

A derived cap may be derived from a derived cap; an ``of`` that names no cap, or a loop, is an
error of the norms file. :meth:`NormSet.resolve` computes a cap with the chain it came from.

Caps are looked up by id in the ``--norms`` files or folders first, then the ``norms/`` folder
beside the budget file, then ``./norms/``, then the caps shipped with the package; the first layer
that defines an id wins, so a province overrides a shipped cap by giving its own file. The same id
twice within one layer is an error. Only caps quoted from a regulation's text are shipped; a local
or example rate lives in a ``norms/`` folder of the user's own (the Bắc Giang 2020 example keeps
one beside its budget).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from isoprov.budget.agencies import agency_kinds
from isoprov.core.diagnostics import Diagnostic, InputError, Severity
from isoprov.core.discovery import YAML_SUFFIXES, discover
from isoprov.core.loading import YamlDocument, load_yaml
from isoprov.core.numbers import format_approximate, format_number
from isoprov.core.resources import shipped_dir
from isoprov.core.validation import Model, validate_document
from isoprov.core.vietnamese import MoneyParseError, parse_money

CAP_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"


class PercentOf(Model):
    """Tỷ lệ phần trăm của một mức khác (a share of another cap): ``{percent: 80, of: iso-tu-van-xay-dung-chi-cuc}``."""

    percent: Decimal = Field(gt=0, description="Tỷ lệ phần trăm")
    of: str = Field(pattern=CAP_ID_PATTERN, description="Mã định mức làm cơ sở")

    def shown(self) -> str:
        return f"{format_number(self.percent)} % mức `{self.of}`"


def _money_with_unit(value: object) -> object:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        raise ValueError(f"mức `{value}` phải ghi kèm đơn vị tiền, ví dụ `150.000 đồng`, `1,5 triệu đồng`")
    if isinstance(value, str):
        try:
            parse_money(value)
        except MoneyParseError as exc:
            raise ValueError(str(exc)) from None
    return value


#: Whether a cap's figure was read from the regulation's own text (``text``), from a secondary
#: source such as a provincial department's summary (``secondary``), or not checked (``unverified``).
Verified = Literal["text", "secondary", "unverified"]


class NormCap(Model):
    """One cap (mức chi tối đa): at most ``max`` per ``per``, as ``source`` says."""

    id: str = Field(
        min_length=1,
        pattern=r"^[a-z0-9][a-z0-9._-]*$",
        description="Mã định mức (chữ thường không dấu, số, `-`), dự toán tham chiếu mã này",
    )
    title: str = Field("", description="Nội dung chi (bỏ trống: dùng mã)")
    max: str | PercentOf = Field(
        description="Mức tối đa, ghi kèm đơn vị (`150.000 đồng`, `150.000 đồng/người/ngày`), hoặc "
        "`{percent: 80, of: mã-định-mức}`: một tỷ lệ của mức khác"
    )
    min: str | None = Field(None, description="Mức tối thiểu của khung (định mức thấp hơn: cảnh báo)")
    for_: Annotated[tuple[str, ...], BeforeValidator(agency_kinds)] = Field(
        (), alias="for", description="Các loại cơ quan áp dụng mức này (bỏ trống: mọi cơ quan)"
    )
    share: PercentOf | None = Field(
        None, description="Tổng các khoản theo mức này không quá tỷ lệ này của một mức khác"
    )
    verified: Verified | None = Field(
        None,
        description="Con số đã đối chiếu: `text` (lời văn của văn bản), `secondary` (nguồn thứ cấp), "
        "`unverified` (chưa đối chiếu)",
    )
    per: str = Field("", description="Tính cho, ví dụ `người/ngày` (nếu `max` chưa ghi)")
    source: str = Field(
        "", description="Văn bản và điều khoản quy định mức này (bỏ trống: dùng `source` chung của tệp)"
    )
    note: str = Field("", description="Ghi chú (điều kiện áp dụng)")

    @field_validator("max", mode="before")
    @classmethod
    def _max(cls, value: object) -> object:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            raise ValueError(f"mức tối đa `{value}` phải ghi kèm đơn vị tiền, ví dụ `150.000 đồng`, `1,5 triệu đồng`")
        return _money_with_unit(value)

    @field_validator("min", mode="before")
    @classmethod
    def _min(cls, value: object) -> object:
        return _money_with_unit(value)

    @cached_property
    def max_vnd(self) -> Decimal:
        """The cap in đồng, exactly (a cap written as money; see :meth:`NormSet.resolve`)."""
        assert isinstance(self.max, str), "a derived cap: NormSet.resolve computes it"
        return parse_money(self.max)[0]

    @cached_property
    def min_vnd(self) -> Decimal | None:
        return None if self.min is None else parse_money(self.min)[0]

    @property
    def per_text(self) -> str:
        """What the cap is per: ``người/ngày`` (from ``per``, or the ``/…`` written in ``max``)."""
        if self.per:
            return self.per
        return " ".join(self.max.split()).partition("/")[2] if isinstance(self.max, str) else ""

    def shown(self) -> str:
        """The cap as a reader sees it: ``150.000 đồng/người/ngày``."""
        assert isinstance(self.max, str)
        text = " ".join(self.max.split())
        return text if "/" in text or not self.per else f"{text}/{self.per}"

    @property
    def name(self) -> str:
        """What the cap is for: its title, or its id when it has none."""
        return self.title or self.id


class NormFile(Model):
    """A norms file: caps from one regulation (or, with ``example: true``, example figures)."""

    title: str = Field("", description="Tên tệp định mức")
    example: bool = Field(
        False, description="true: mức ví dụ, không trích từ văn bản quy phạm (chỉ cảnh báo, không báo lỗi)"
    )
    source: str = Field(
        "",
        description="Văn bản quy định chung: dùng cho mức nào không ghi `source` riêng",
    )
    # Not Field(min_length=1): pydantic then also reports "too short" whenever a cap is invalid.
    caps: tuple[NormCap, ...] = Field(description="Danh sách định mức (ít nhất một)")

    @field_validator("caps")
    @classmethod
    def _some_caps(cls, value: tuple[NormCap, ...], info: ValidationInfo) -> tuple[NormCap, ...]:
        if not value:
            raise ValueError("tệp định mức cần ít nhất một mức trong `caps`")
        # SPEC §5: each cap names the regulation it comes from, itself or by the file's `source`
        missing = [c.id for c in value if not c.source.strip()]
        if missing and not str(info.data.get("source") or "").strip():
            listed = ", ".join(f"`{m}`" for m in missing)
            raise ValueError(
                f"mức {listed} chưa ghi văn bản quy định (`source`): ghi `source` cho từng mức hoặc một "
                "`source` chung ở đầu tệp"
            )
        return value


@dataclass(frozen=True, slots=True)
class Norm:
    """A cap together with where it was read and whether it is only an example."""

    cap: NormCap
    file: str
    line: int | None
    example: bool
    #: The regulation the cap comes from: its own ``source``, else the file's.
    source: str = ""


@dataclass(frozen=True, slots=True)
class ResolvedCap:
    """A cap's figures in đồng, with how a derived one was computed."""

    norm: Norm
    max_vnd: Fraction
    #: For a derived cap, the steps down to the cap written as money: (percent, the base norm).
    chain: tuple[tuple[Decimal, Norm], ...] = ()

    @property
    def min_vnd(self) -> Decimal | None:
        return self.norm.cap.min_vnd

    def shown(self) -> str:
        """``26,4 triệu đồng/cơ quan`` for a derived cap; as written for the others."""
        if not self.chain:
            return self.norm.cap.shown()
        per = self.norm.cap.per_text or next((n.cap.per_text for _, n in self.chain if n.cap.per_text), "")
        figure = _show_vnd(self.max_vnd)
        return f"{figure}/{per}" if per else figure

    def derivation(self) -> str:
        """How a derived cap is computed, with both sources: "= 80 % × 33 triệu đồng (mức
        `iso-tu-van-xay-dung-chi-cuc`, Thông tư 116/2015/TT-BTC, Điều 4 khoản 2 điểm c)"."""
        if not self.chain:
            return ""
        steps = " × ".join(f"{format_number(p)} %" for p, _ in self.chain)
        base = self.chain[-1][1]
        via = "".join(f" qua `{n.cap.id}`" for _, n in self.chain[:-1])
        return f"= {steps} × {base.cap.shown()} (mức `{base.cap.id}`{via}: {base.source})"

    def full(self) -> str:
        """The cap, its derivation and its own source: for messages and reports."""
        derivation = self.derivation()
        return f"{self.shown()} ({derivation}; {self.norm.source})" if derivation else self.shown()


def _show_vnd(vnd: Fraction) -> str:
    for factor, unit in ((10**9, "tỷ đồng"), (10**6, "triệu đồng"), (10**3, "nghìn đồng")):
        if vnd >= factor:
            return f"{format_approximate(vnd / factor, 3)} {unit}"
    return f"{format_approximate(vnd)} đồng"


class NormCycleError(ValueError):
    """A derived cap whose ``of`` names no cap, or leads back to itself; the message is Vietnamese."""


@dataclass
class NormSet:
    """Caps by id, in lookup order (the first definition of an id wins)."""

    norms: dict[str, Norm] = field(default_factory=dict)

    def get(self, norm_id: str) -> Norm | None:
        return self.norms.get(norm_id)

    def resolve(self, norm_id: str) -> ResolvedCap:
        """The cap with its figure in đồng; NormCycleError when ``of`` names no cap or loops."""
        norm = self.norms[norm_id]
        chain: list[tuple[Decimal, Norm]] = []
        seen = [norm_id]
        current = norm
        factor = Fraction(1)
        while isinstance(current.cap.max, PercentOf):
            step = current.cap.max
            base = self.norms.get(step.of)
            if base is None:
                raise NormCycleError(
                    f"mức `{current.cap.id}` tính theo `{step.of}` nhưng không có mức nào mã `{step.of}`"
                )
            if step.of in seen:
                loop = " → ".join(f"`{i}`" for i in (*seen, step.of))
                raise NormCycleError(f"mức `{norm_id}` tính theo chính nó qua vòng lặp {loop}")
            seen.append(step.of)
            factor *= Fraction(step.percent) / 100
            chain.append((step.percent, base))
            current = base
        return ResolvedCap(norm, factor * Fraction(current.cap.max_vnd), tuple(chain))

    def reference_problems(self, ids: Iterable[str] | None = None) -> list[tuple[Norm, str]]:
        """Each cap (of ``ids``, default all) whose ``max`` or ``share`` cannot be resolved,
        with the reason."""
        out = []
        for norm_id in self.norms if ids is None else ids:
            norm = self.norms[norm_id]
            try:
                self.resolve(norm_id)
                if norm.cap.share is not None:
                    if norm.cap.share.of not in self.norms:
                        raise NormCycleError(
                            f"mức `{norm_id}` giới hạn tổng theo `{norm.cap.share.of}` (`share`) nhưng không có "
                            f"mức nào mã `{norm.cap.share.of}`"
                        )
                    self.resolve(norm.cap.share.of)
            except NormCycleError as exc:
                out.append((norm, str(exc)))
        return out

    def fitting(self, norm_id: str, kind: str) -> str | None:
        """The id of the cap for agencies of ``kind`` closest to ``norm_id`` (the same spending
        at another level), if one is close enough."""
        candidates = [i for i, n in self.norms.items() if kind in n.cap.for_ and i != norm_id]
        close = difflib.get_close_matches(norm_id, candidates, n=1, cutoff=0.6)
        return close[0] if close else None

    def suggest(self, norm_id: str) -> str | None:
        """The known id closest to a mistyped one, if any is close."""
        # 0.75: a typo, not another cap that shares "hoi-nghi" (nuoc-uong-hoi-nghi ↛ ho-tro-an-hoi-nghi-xa)
        close = difflib.get_close_matches(norm_id, list(self.norms), n=1, cutoff=0.75)
        return close[0] if close else None

    def __len__(self) -> int:
        return len(self.norms)


def validate_norms_document(doc: YamlDocument) -> list[Diagnostic]:
    """Everything wrong with a loaded norms file (for ``isoprov validate``), ids repeated included."""
    try:
        nf = validate_document(NormFile, doc)
    except InputError as exc:
        return exc.diagnostics
    out: list[Diagnostic] = []
    first: dict[str, int] = {}
    for i, cap in enumerate(nf.caps):
        if cap.id in first:
            mark = doc.source.locate(("caps", first[cap.id]))
            where = f" (lần đầu ở dòng {mark.line})" if mark else ""
            out.append(doc.diagnostic(("caps", i, "id"), f"mã định mức `{cap.id}` bị trùng{where}"))
        else:
            first[cap.id] = i
    if not out:
        beside, _ = load_norms(beside=Path(doc.file).parent)
        own = NormSet({**beside.norms})
        for i, cap in enumerate(nf.caps):
            mark = doc.source.locate(("caps", i))
            own.norms[cap.id] = Norm(cap, doc.file, mark.line if mark else None, nf.example, cap.source or nf.source)
        for norm, reason in own.reference_problems([c.id for c in nf.caps]):
            index = next(i for i, c in enumerate(nf.caps) if c.id == norm.cap.id)
            out.append(doc.diagnostic(("caps", index, "max"), reason))
    return out


def load_norm_file(path: Path) -> tuple[list[Norm], list[Diagnostic]]:
    """Load and validate one norms file; its caps, or the diagnostics that explain why not."""
    try:
        doc = load_yaml(path)
        nf = validate_document(NormFile, doc)
    except InputError as exc:
        return [], exc.diagnostics
    norms = []
    for i, cap in enumerate(nf.caps):
        mark = doc.source.locate(("caps", i))
        norms.append(Norm(cap, doc.file, mark.line if mark else None, nf.example, cap.source.strip() or nf.source))
    return norms, []


def search_path(extra: Sequence[Path], beside: Path | None = None) -> list[list[Path]]:
    """The layers searched for caps, highest precedence first: ``--norms``, ``norms/`` in the
    folder ``beside`` (the budget's own folder), ``./norms``, shipped."""
    layers: list[list[Path]] = [list(extra)]
    seen: set[Path] = set()
    roots = [beside / "norms"] if beside is not None else []
    for root in (*roots, Path("norms"), shipped_dir("norms")):
        resolved = root.resolve()
        if root.is_dir() and resolved not in seen:
            seen.add(resolved)
            layers.append([root])
    return layers


def load_norms(extra: Sequence[Path] = (), beside: Path | None = None) -> tuple[NormSet, list[Diagnostic]]:
    """Every cap on the search path (see the module docstring), with the problems found."""
    return build_norm_set(search_path(extra, beside))


class NormLookup:
    """The caps for each budget file, loaded once per budget folder (a batch of budgets in one
    folder shares them); each problem in a norms file is reported once."""

    def __init__(self, extra: Sequence[Path] = ()) -> None:
        self.extra = tuple(extra)
        self.problems: list[Diagnostic] = []
        self._by_folder: dict[Path, NormSet] = {}
        self._reported: set[tuple[str, int | None, str]] = set()

    def for_budget(self, budget_file: Path) -> NormSet:
        """The caps a budget file is checked against."""
        folder = budget_file.parent.resolve()
        norm_set = self._by_folder.get(folder)
        if norm_set is None:
            norm_set, problems = load_norms(self.extra, budget_file.parent)
            self._by_folder[folder] = norm_set
            for d in problems:
                key = (d.file, d.line, d.message)
                if key not in self._reported:
                    self._reported.add(key)
                    self.problems.append(d)
        return norm_set


def build_norm_set(layers: Iterable[Sequence[Path]]) -> tuple[NormSet, list[Diagnostic]]:
    """Caps from layers of files or folders; an id repeated within a layer is an error."""
    out = NormSet()
    diagnostics: list[Diagnostic] = []
    seen_files: set[Path] = set()
    for layer in layers:
        defined_here: dict[str, Norm] = {}
        for root in layer:
            found = discover([root], YAML_SUFFIXES)
            diagnostics.extend(found.problems)
            for path in found.paths:
                resolved = path.resolve()
                if resolved in seen_files:
                    continue
                seen_files.add(resolved)
                norms, problems = load_norm_file(path)
                diagnostics.extend(problems)
                for norm in norms:
                    first = defined_here.get(norm.cap.id)
                    if first is not None:
                        diagnostics.append(_duplicate(norm, first))
                        continue
                    defined_here[norm.cap.id] = norm
                    out.norms.setdefault(norm.cap.id, norm)
    for norm, reason in out.reference_problems():
        del out.norms[norm.cap.id]
        diagnostics.append(Diagnostic(norm.file, reason, line=norm.line, severity=Severity.ERROR))
    return out, diagnostics


def _duplicate(norm: Norm, first: Norm) -> Diagnostic:
    where = f"{first.file}:{first.line}" if first.line else first.file
    return Diagnostic(
        norm.file,
        f"mã định mức `{norm.cap.id}` đã được khai báo ở {where}; mỗi mã chỉ được khai báo một lần",
        line=norm.line,
        severity=Severity.ERROR,
    )
