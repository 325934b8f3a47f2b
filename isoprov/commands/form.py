"""``isoprov form CRITERIA -o FORM.xlsx``: a fill-in self-assessment form for one criteria set.

CRITERIA is a criteria file, or an id looked up as ``isoprov score`` does (each ``--criteria``
file or folder, then ``./criteria/``, then the shipped sets).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from isoprov.commands.common import (
    print_diagnostics,
    refuse_overwriting_inputs,
    require_output,
    require_paths,
    stdout,
    usage_error,
)
from isoprov.core.diagnostics import ExitCode, Severity
from isoprov.scoring.catalog import Catalog, load_criteria_set
from isoprov.scoring.criteria import CriteriaSet


def run(
    criteria_ref: str,
    output: Path,
    criteria: list[Path],
    agency_code: str | None,
    agency_name: str | None,
    level: str | None,
    period: str | None,
) -> int:
    """Write the form and return the exit code."""
    require_paths(criteria)
    require_output(output, (".xlsx",), "tệp biểu mẫu")
    refuse_overwriting_inputs([("-o", output)], [Path(criteria_ref), *criteria])
    cs = _criteria_set(criteria_ref, criteria)
    if cs is None:
        return int(ExitCode.INVALID)
    if level is not None and level not in cs.levels:
        usage_error(f"cấp `{level}` không có trong bộ tiêu chí `{cs.id}`; các cấp hợp lệ: {', '.join(cs.levels)}")
    from isoprov.excel.form_writer import write_form  # openpyxl only when a form is written

    count = write_form(cs, output, agency_code=agency_code, agency_name=agency_name, level=level, period=period)
    stdout.print(f"Đã tạo biểu mẫu tự đánh giá {output} (bộ tiêu chí {cs.id}, {count} tiêu chí).", markup=False)
    stdout.print(f"Cơ quan điền các ô nền vàng; chấm điểm bằng: isoprov score {shlex.quote(str(output))}", markup=False)
    return int(ExitCode.OK)


def _criteria_set(ref: str, criteria: list[Path]) -> CriteriaSet | None:
    """The set named by ``ref``: a file, or an id; None (problems printed) when it is invalid."""
    path = Path(ref)
    if path.is_file():
        cs, diagnostics = load_criteria_set(path)
        print_diagnostics(diagnostics)
        return cs
    catalog = Catalog.default(criteria)
    catalog.load_explicit()
    cs = catalog.get(ref)
    if cs is None and path.is_dir():
        usage_error(f"`{ref}` là một thư mục; CRITERIA là một tệp bộ tiêu chí (.yaml) hoặc mã bộ tiêu chí")
    problems = [d for d in catalog.diagnostics if d.severity is Severity.ERROR]
    if cs is None and not problems and ref not in catalog.invalid:
        if path.suffix.lower() in (".yaml", ".yml") or path.parent != Path("."):
            usage_error(f"không tìm thấy tệp bộ tiêu chí `{ref}`")
        known = ", ".join(catalog.known_ids()) or "không có"
        usage_error(
            f"không tìm thấy bộ tiêu chí `{ref}` (không phải tệp, cũng không phải mã bộ tiêu chí đã biết); "
            f"các bộ tiêu chí hiện có: {known}"
        )
    print_diagnostics(catalog.diagnostics)
    return cs
