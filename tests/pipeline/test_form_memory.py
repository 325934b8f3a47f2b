"""Filled forms read in one batch do not stay in memory (issue 16: 847 MB at 1,000 forms).

``score`` pauses the cyclic garbage collector for the batch (YAML loading makes no cycles, and
the collector would walk millions of objects for nothing); an openpyxl workbook is cyclic, so
with the collector paused every form read stayed alive until the end of the batch.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from isoprov.pipeline.score import score_paths
from isoprov.scoring.catalog import Catalog
from tests import DATA
from tests.conftest import Run
from tests.excel.test_form import CRITERIA, fill_form, make_form

FORMS = 6


def _workbooks() -> int:
    """Workbooks the collector still tracks (alive, or garbage it has not freed yet)."""
    return sum(1 for o in gc.get_objects() if isinstance(o, Workbook))


def test_forms_read_in_a_batch_are_freed(cli: Callable[..., Run], tmp_path: Path) -> None:
    form = make_form(cli, tmp_path / "bieu-mau.xlsx")
    filled = fill_form(form, DATA / "assessment" / "valid-skhcn.yaml", tmp_path / "filled.xlsx")
    folder = tmp_path / "forms"
    folder.mkdir()
    for i in range(FORMS):
        shutil.copy(filled, folder / f"cq{i}.xlsx")
    gc.collect()
    before = _workbooks()
    catalog = Catalog(explicit=[CRITERIA])
    catalog.load_explicit()
    seen: list[int] = []  # workbooks in memory as each file's outcome arrives, mid-batch
    batch = score_paths([folder], catalog, progress=lambda i, n: seen.append(_workbooks() - before))
    # every copy is read (the copies after the first are duplicates of one agency: refused after
    # reading)
    assert len(batch.results) == 1
    assert len(batch.diagnostics) == FORMS - 1
    assert len(seen) == FORMS
    # each form is read twice (values, then formulas read-only): both are freed as soon as the
    # form is read; with the collector paused for the whole batch, all twelve stayed until its end
    assert seen == [0] * FORMS
