"""Scoring a batch of assessment files: load → validate → check → score → rank.

One bad file never stops the others: each file's problems become diagnostics and every valid
file is still scored. This is the core behind ``isoprov score`` and the score report document.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from isoprov.core.diagnostics import Diagnostic, InputError, Severity, has_errors
from isoprov.core.discovery import (
    ASSESSMENT_SUFFIXES,
    FORM_SUFFIXES,
    NOTHING_FOUND,
    OTHER_SPREADSHEETS,
    Discovery,
    discover,
    other_spreadsheet,
)
from isoprov.core.kinds import KIND_HINTS, KIND_NAMES, detect_kind
from isoprov.core.loading import YamlDocument, gc_running, load_yaml
from isoprov.core.loading import gc_paused as _gc_paused
from isoprov.core.workers import can_fork, ordered_map
from isoprov.scoring.assessment import (
    Assessment,
    PartialAssessmentError,
    check_assessment,
    check_partial,
    load_assessment,
)
from isoprov.scoring.batch import Batch, Submission
from isoprov.scoring.catalog import Catalog
from isoprov.scoring.registry import Registry, agency_key, check_registry, match_submissions, missing_agencies
from isoprov.scoring.rules import (
    CRITERIA_AT,
    DETAILS_AT,
    CriterionResult,
    Result,
    criterion_from_tuple,
    rank,
    result_from_fields,
    score,
)


def looks_like_assessment(data: Any) -> bool:
    """A folder may also hold criteria sets, budgets, registries and documents: skip those.
    Anything else (a list, a mapping whose keys are all misspelt) is read as an assessment, so
    that its problems are reported instead of the file being passed over in silence."""
    return detect_kind(data) in (None, "assessment")


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What one assessment file gave, before batch-wide rules (duplicates, ranks) apply."""

    path: Path
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: bool = False
    key: tuple[str, str, str] | None = None  # criteria set, period, agency code
    levels: tuple[str, ...] = ()
    duplicate_at: tuple[str, ...] = ()  # path in the document of the agency code, for that error
    result: Result | None = None
    submission: Submission | None = None

    def __reduce__(self) -> tuple[Callable[..., FileOutcome], tuple[Any, ...]]:
        # Speed: outcomes come back from worker processes; plain fields pickle faster than a
        # dataclass's state, and a path as its text faster than its parts. From a worker, the
        # result travels compact (see _compact_result): on a 300-leaf set, the ids, titles and
        # maxima of the criteria were nine tenths of what the parent unpickled for each file.
        submission = self.submission
        result: Any = self.result
        if _IN_WORKER and result is not None:
            result = _compact_result(result)
        return (
            _outcome_from_fields,
            (
                os.fspath(self.path),
                self.diagnostics,
                self.skipped,
                self.key,
                self.levels,
                self.duplicate_at,
                result,
                None
                if submission is None
                else (submission.code, submission.criteria, submission.period, submission.level),
            ),
        )


def _outcome_from_fields(
    path: str,
    diagnostics: tuple[Diagnostic, ...],
    skipped: bool,
    key: tuple[str, str, str] | None,
    levels: tuple[str, ...],
    duplicate_at: tuple[str, ...],
    result: Result | tuple[Any, ...] | None,
    submission: tuple[str, str, str, str] | None,
) -> FileOutcome:
    """A :class:`FileOutcome` from what its ``__reduce__`` gave."""
    return FileOutcome(
        Path(path),
        diagnostics,
        skipped,
        key,
        levels,
        duplicate_at,
        _result_from_compact(result) if isinstance(result, tuple) else result,
        None if submission is None else Submission(*submission),
    )


# A result sent by a worker: its fields as :meth:`Result.plain_fields` gives them, the details
# field by field (one tuple per field, a value per leaf: far fewer objects to pickle and
# unpickle than a tuple per leaf), without what every result of one criteria set shares (id,
# title, group, kind and maximum of each leaf, in the set's order). That part, the set's
# "static table", goes once per worker and set, with the first result of the set the worker
# sends; the parent unpickles a pool's results in the order they were sent, and keeps each
# table (by worker and set) until the batch ends.
_IN_WORKER = False
_SHARED_FIELDS = 5  # id, title, group, kind, max: the same in every result of a set
_SENT_TABLES: set[str] = set()  # in a worker: the sets whose table it has sent
_TABLES: dict[tuple[int, str], tuple[tuple[Any, ...], ...]] = {}  # in the parent


def _compact_result(result: Result) -> tuple[Any, ...]:
    columns = tuple(zip(*result.details, strict=True))  # field by field
    table = None
    if result.criteria not in _SENT_TABLES:
        _SENT_TABLES.add(result.criteria)
        table = columns[:_SHARED_FIELDS]
    # the details go pickled on their own: the parent unpickles them only if it reads them
    own = pickle.dumps(columns[_SHARED_FIELDS:], protocol=pickle.HIGHEST_PROTOCOL)
    return (os.getpid(), table, result.plain_fields(own))


def _result_from_compact(compact: tuple[Any, ...]) -> Result:
    pid, table, fields = compact
    key = (pid, fields[CRITERIA_AT])  # the worker and the criteria set
    if table is not None:
        _TABLES[key] = table
    else:
        table = _TABLES[key]
    return result_from_fields(fields, _Details(table, fields[DETAILS_AT]))


class _Details(Sequence[CriterionResult]):
    """A result's details as a worker sent them, put back leaf by leaf when first read.

    Speed: most runs never read them (JSON, the summary table and CSV show totals and groups);
    building 300 named tuples per result in the parent, while the workers still run on the same
    CPUs, was a third of its time (2 CPUs, 1,000 files of 300 leaves: 3.20 → 2.91 s without)."""

    __slots__ = ("_parts", "_rows")

    def __init__(self, table: tuple[tuple[Any, ...], ...], columns: bytes) -> None:
        self._parts: tuple[tuple[tuple[Any, ...], ...], bytes] | None = (table, columns)
        self._rows: tuple[CriterionResult, ...] = ()

    def _all(self) -> tuple[CriterionResult, ...]:
        if self._parts is not None:
            table, columns = self._parts
            # the worker's own pickle of its own values (the pipe joins this command's processes)
            rows = zip(*table, *pickle.loads(columns), strict=True)  # leaf by leaf
            self._rows = tuple(map(criterion_from_tuple, rows))
            self._parts = None
        return self._rows

    @overload
    def __getitem__(self, index: int) -> CriterionResult: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[CriterionResult, ...]: ...
    def __getitem__(self, index: int | slice) -> CriterionResult | tuple[CriterionResult, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[CriterionResult]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Details):
            other = other._all()
        return self._all() == other

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


def score_paths(
    paths: Iterable[Path],
    catalog: Catalog,
    *,
    strict: bool = False,
    registry: Registry | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Batch:
    """Score every assessment under ``paths`` against the sets ``catalog`` finds.

    Files are scored independently (in parallel worker processes for large batches); the
    batch-wide rules then apply in path order: the first file of an agency is kept.
    """
    found = assessment_files(paths)
    return score_found(found, catalog, strict=strict, registry=registry, progress=progress)


#: What ``score`` looks for in a folder, as a warning about a folder without any names it.
ASSESSMENTS_WANTED = "bản tự đánh giá (.yaml, .xlsx)"


def assessment_files(paths: Iterable[Path]) -> Discovery:
    """The files ``score`` reads under ``paths``: YAML assessments and filled forms."""
    return discover(paths, ASSESSMENT_SUFFIXES, forms=True)


def score_found(
    found: Discovery,
    catalog: Catalog,
    *,
    strict: bool = False,
    registry: Registry | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Batch:
    """:func:`score_paths` on files already found (a command that checks its outputs against
    its inputs finds them first)."""
    batch = Batch()
    files = found.files
    batch.diagnostics.extend(found.problems)
    seen: dict[tuple[str, str, str], str] = {}
    read: list[Path] = []  # the files that were assessments, or were said something about
    with _gc_paused():
        for i, outcome in enumerate(_outcomes(files, catalog, strict)):
            if progress is not None:
                progress(i, len(files))
            if not outcome.skipped or outcome.diagnostics:
                read.append(outcome.path)
            _collect(outcome, batch, seen)
        for criteria_id in sorted({s.criteria for s in batch.submitted}):
            catalog.get(criteria_id)  # gathers the criteria sets' own problems once, in this process
    batch.diagnostics[:0] = catalog.diagnostics  # criteria problems first
    catalog.diagnostics.clear()
    batch.diagnostics[:0] = _only_other_kinds(found, read)
    batch.results = rank(batch.results)
    batch.results.sort(key=lambda r: (r.criteria, r.period, batch.level_order.get(r.level, 99)))
    if registry is not None:
        batch.missing = missing_agencies(registry, batch.submitted)
        cs = catalog.get(registry.criteria) if registry.criteria is not None else None
        batch.diagnostics[:0] = [
            *check_registry(registry, cs.levels if cs is not None else None),
            *match_submissions(registry, batch.submitted),
        ]
    return batch


def _only_other_kinds(found: Discovery, read: list[Path]) -> list[Diagnostic]:
    """A warning for each folder given whose files are all of other kinds (criteria sets,
    budgets, plans, exports) and passed over without a word: `score criteria/` by mistake."""
    return [
        Diagnostic(
            str(folder),
            f"không có {ASSESSMENTS_WANTED} nào ở đây: các tệp ở đây là loại khác (bộ tiêu chí, dự toán, văn bản…)",
            severity=Severity.WARNING,
            code=NOTHING_FOUND,
        )
        for folder in dict.fromkeys(found.folders)
        if folder not in found.empty and not any(f.is_relative_to(folder) for f in read)
    ]


def _collect(outcome: FileOutcome, batch: Batch, seen: dict[tuple[str, str, str], str]) -> None:
    if outcome.skipped:
        batch.diagnostics.extend(outcome.diagnostics)  # what was passed over, and why
        return
    if outcome.submission is not None:
        batch.submitted.add(outcome.submission)
    for k, level in enumerate(outcome.levels):
        batch.level_order.setdefault(level, k)
    duplicate = duplicate_of(outcome, seen)
    if duplicate is not None:
        batch.diagnostics.append(duplicate)
        return
    batch.diagnostics.extend(outcome.diagnostics)
    if outcome.result is not None:
        batch.results.append(outcome.result)


def duplicate_of(outcome: FileOutcome, seen: dict[tuple[str, str, str], str]) -> Diagnostic | None:
    """The error for a second file of one agency, criteria set and period (SPEC §3: the first file
    in path order is kept); the first one is recorded in ``seen``."""
    key = outcome.key
    if key is None:
        return None
    if key in seen:
        [first, *_] = outcome.duplicate_at or ("",)
        written = outcome.submission.code if outcome.submission is not None else key[2]
        return duplicate_agency(
            str(outcome.path),
            (key[0], key[1], written),
            seen[key],
            int(first) if first else None,
            int(outcome.duplicate_at[1]) if len(outcome.duplicate_at) > 1 else None,
        )
    seen[key] = str(outcome.path)
    return None


def duplicate_agency(
    file: str, key: tuple[str, str, str], first_file: str, line: int | None, column: int | None
) -> Diagnostic:
    """The error for an agency's second assessment of one criteria set and period (SPEC §3)."""
    criteria, period, code = key
    return Diagnostic(
        file=file,
        message=f"cơ quan `{code}` đã có bản tự đánh giá kỳ {period} theo bộ tiêu chí "
        f"`{criteria}` trong tệp {first_file}; tệp này bị bỏ qua",
        line=line,
        column=column,
        path="agency.code",
    )


#: Below this many files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 200


def usable_cpus() -> int:
    """The CPUs this process may run on (``taskset``, a container's limit), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _outcomes(files: list[tuple[Path, bool]], catalog: Catalog, strict: bool) -> Iterator[FileOutcome]:
    workers = min(usable_cpus(), 8)
    if len(files) < PARALLEL_THRESHOLD or workers < 2 or not can_fork():
        for path, explicit in files:
            yield score_file(path, explicit, catalog, strict)
        return
    global _WORKER_JOB
    _WORKER_JOB = (files, catalog.explicit, catalog.search, strict)
    try:
        # fork: workers inherit the imported modules and the job, nothing is re-imported
        # small chunks: when the files run out, a worker waits for the other's last chunk
        chunksize = max(1, len(files) // (workers * 32))
        yield from ordered_map(_score_index, len(files), workers, chunksize)
    finally:
        _WORKER_JOB = None
        _TABLES.clear()


_WORKER_JOB: tuple[list[tuple[Path, bool]], list[Path], list[Path], bool] | None = None
_WORKER_CATALOG: Catalog | None = None


def _score_index(index: int) -> FileOutcome:
    global _WORKER_CATALOG, _IN_WORKER
    assert _WORKER_JOB is not None
    files, explicit, search, strict = _WORKER_JOB
    if _WORKER_CATALOG is None:  # the first file of this worker process
        _IN_WORKER = True
        _SENT_TABLES.clear()
        _WORKER_CATALOG = Catalog(explicit=explicit, search=search)
        _WORKER_CATALOG.load_explicit()
    path, explicit_file = files[index]
    outcome = score_file(path, explicit_file, _WORKER_CATALOG, strict)
    _WORKER_CATALOG.diagnostics.clear()  # reported once by the parent process
    return outcome


def _load(
    path: Path, explicit: bool, catalog: Catalog
) -> tuple[Assessment, YamlDocument, PartialAssessmentError | None]:
    """The assessment in one file, with the error that found part of it invalid if so; raises
    :class:`_NotAnAssessment` for another kind of YAML file found in a folder."""
    if path.suffix.lower() in OTHER_SPREADSHEETS:
        raise InputError([other_spreadsheet(path)])
    if path.suffix.lower() in FORM_SUFFIXES:
        from isoprov.excel.form_reader import read_assessment_form  # openpyxl only when a form is read

        # reading a form leaves cyclic garbage: with the collector off for the batch, 1,000 forms
        # read with lxml peaked at 286 MB (74 MB with it on for the read; bench_forms.py)
        with gc_running():
            assessment, form = read_assessment_form(path, catalog)
        return assessment, form, None
    doc = load_yaml(path)
    if not looks_like_assessment(doc.data):
        if not explicit:
            raise _NotAnAssessment
        raise InputError([_another_kind(doc)])
    try:
        return load_assessment(doc), doc, None
    except PartialAssessmentError as exc:
        return exc.partial, doc, exc


def _another_kind(doc: YamlDocument) -> Diagnostic:
    """One clear error for a named file of another kind, instead of one per foreign key."""
    kind = detect_kind(doc.data)
    assert kind is not None
    return Diagnostic(
        doc.file, f"tệp này là {KIND_NAMES[kind]}, không phải bản tự đánh giá; {KIND_HINTS[kind]}", line=1, column=1
    )


def _criteria_folders_near(path: Path) -> list[Path]:
    """`criteria/` folders beside the file or above it (a working folder made by `isoprov init`
    scored from outside): not searched (SPEC §4), but worth naming when a set is not found."""
    here = Path("criteria").resolve()
    out = []
    for parent in list(path.resolve().parents)[:4]:
        folder = parent / "criteria"
        if folder.is_dir() and folder != here:
            out.append(folder)
    return out


class _NotAnAssessment(Exception):
    """A YAML file of another kind (criteria set, budget, note) found in a folder."""


def score_file(path: Path, explicit: bool, catalog: Catalog, strict: bool) -> FileOutcome:
    """Load, validate, check and score one file (pure apart from reading it)."""
    try:
        assessment, doc, partial = _load(path, explicit, catalog)
    except _NotAnAssessment:
        return FileOutcome(path, skipped=True)
    except InputError as exc:
        if not explicit and _not_a_form(exc):
            return FileOutcome(path, skipped=True)  # a score or budget export beside the forms
        if not explicit and is_blank_form(exc):  # a form kept to send out, not a submission
            return FileOutcome(path, (blank_form_note(path),), skipped=True)
        return FileOutcome(path, tuple(exc.diagnostics))
    if not explicit and is_unscored_form(path, assessment, partial):
        return FileOutcome(path, (blank_form_note(path, agency_filled=True),), skipped=True)
    return assess(path, assessment, doc, partial, catalog, strict)


def assess(
    path: Path,
    assessment: Assessment,
    doc: YamlDocument,
    partial: PartialAssessmentError | None,
    catalog: Catalog,
    strict: bool,
) -> FileOutcome:
    """Check one loaded assessment against its criteria set and score it when it is valid: the
    one per-assessment step of ``score``, ``validate`` and ``render report``. ``partial`` is the
    error that found part of the file invalid (its valid part is still checked)."""
    code = assessment.agency.code
    submission = Submission(code, assessment.criteria, assessment.period, assessment.agency.level)
    cs = catalog.get(assessment.criteria)
    if cs is None:
        invalid = catalog.invalid.get(assessment.criteria)
        if invalid is not None:
            problem = f"có lỗi (xem các lỗi của tệp {invalid}); chưa thể chấm điểm"
        else:
            known = ", ".join(catalog.known_ids()) or "không có"
            problem = f"không tìm thấy; các bộ tiêu chí hiện có: {known}"
            near = _criteria_folders_near(path)
            if near:
                folder = os.path.relpath(near[0])
                problem += (
                    f". Thư mục `{folder}` không được tìm tự động: hãy chạy lệnh trong thư mục chứa nó, "
                    f"hoặc thêm `--criteria {folder}`"
                )
        message = f"bộ tiêu chí `{assessment.criteria}` {problem}"
        own = partial.diagnostics if partial is not None else []
        return FileOutcome(path, (*own, doc.diagnostic(("criteria",), message)), submission=submission)
    where = doc.diagnostic(("agency", "code"), "")
    if partial is not None:
        diagnostics = check_partial(partial, cs, doc, strict=strict)
    else:
        diagnostics = check_assessment(assessment, cs, doc, strict=strict)
    result = None
    if not has_errors(diagnostics):
        warnings = [_warning_text(d) for d in diagnostics if d.severity is not Severity.ERROR]
        result = score(assessment, cs, file=str(path), warnings=warnings)
    return FileOutcome(
        path,
        tuple(diagnostics),
        key=(cs.id, assessment.period, agency_key(code)),
        levels=cs.levels,
        duplicate_at=(str(where.line or ""), str(where.column or "")),
        result=result,
        submission=submission,
    )


#: The labelled cells a filled form always has: all four empty means nobody filled it in.
_AGENCY_CELLS = frozenset({"agency.code", "agency.name", "agency.level", "period"})


def is_blank_form(exc: InputError) -> bool:
    """A form nobody filled in: its only problems are its four agency cells left empty (a blank
    form kept beside the submissions to send out is not one of them)."""
    paths = {d.path for d in exc.diagnostics}
    return paths == _AGENCY_CELLS and all(d.is_error and "chưa điền" in d.message for d in exc.diagnostics)


def blank_form_note(path: Path, *, agency_filled: bool = False) -> Diagnostic:
    """The warning for a form found in a folder that nobody scored: blank, or with only the
    agency's cells filled (``isoprov form --agency-code …`` makes one to send out)."""
    what = (
        "biểu mẫu chưa chấm điểm (mới có thông tin cơ quan, chưa ô điểm nào được điền)"
        if agency_filled
        else "biểu mẫu chưa điền (ô mã cơ quan, tên, cấp, kỳ đều trống)"
    )
    return Diagnostic(str(path), f"{what}: không phải bản tự đánh giá, bỏ qua", severity=Severity.WARNING)


def is_unscored_form(path: Path, assessment: Assessment, partial: PartialAssessmentError | None) -> bool:
    """A form with its agency's cells filled and not one score cell: sent out, not sent back. In
    a folder it is passed over (named on its own it is scored, every leaf unscored): otherwise a
    form prepared for an agency, kept beside the submissions, ranks 0 points and, read first,
    makes the agency's own filled form a duplicate."""
    return path.suffix.lower() in FORM_SUFFIXES and partial is None and not assessment.scores


def _not_a_form(exc: InputError) -> bool:
    from isoprov.excel.form_reader import NotAFormError  # loaded already when a form was read

    return isinstance(exc, NotAFormError)


_NAMES_ITS_CELL = re.compile(r"ô [^!:]+![A-Z]+[0-9]+: ")


def _warning_text(d: Diagnostic) -> str:
    """A warning as a result lists it: the line first, unless it names its cell already (a form:
    ``ô Tự đánh giá!E13: …``, where the row is the line)."""
    if d.line is None or _NAMES_ITS_CELL.match(d.message):
        return d.message
    return f"dòng {d.line}: {d.message}"
