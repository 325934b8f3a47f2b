"""Benchmark `isoprov score DIR --xlsx OUT` against a bare openpyxl write of the same cells.

Generates N assessments of the 60-leaf set of bench_score.py (levels tinh/huyen/xa in turn,
so three level sheets), then times, each as a fresh process (both sides include the
interpreter's start-up), min of R runs:

- export: isoprov score DIR --criteria SET --xlsx OUT.xlsx  (loading, scoring and the export)
- floor:  a bare openpyxl write of the cells of that OUT.xlsx: the same sheets, every cell's
          value (numbers, text, formulas) and number format; no fonts, fills, borders or
          alignments (assigning those as style objects, even built once, costs more than the
          export does now), no scoring, no chart, no column widths
- score:  isoprov score DIR --criteria SET --format json  (the same command without the export)

and prints the ratio export / floor, the export's own share (export − score) / floor, and each
side's peak memory (max RSS of the child, MB).

Usage: python benchmarks/bench_xlsx.py [--sizes 10,100,1000] [--repeat 3]
Target (issue 16): the export within 2× of its floor, linear in size.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_score import write_assessments, write_criteria
from bytecode import compile_package

FLOOR = """
import pickle, sys
from openpyxl import Workbook
sheets = pickle.load(open(sys.argv[1], "rb"))
wb = Workbook()
wb.remove(wb.active)
for title, cells in sheets:
    ws = wb.create_sheet(title)
    for row, column, value, fmt in cells:
        ws.cell(row=row, column=column, value=value).number_format = fmt
wb.save(sys.argv[2])
"""


def floor_input(workbook: Path, target: Path) -> int:
    """The cells of ``workbook`` for the floor process, pickled into ``target``; their number."""
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    sheets: list[tuple[str, list[tuple[int, int, object, str]]]] = []
    count = 0
    for ws in wb.worksheets:
        cells = []
        for line in ws.iter_rows():
            for c in line:
                if c.value is None and not c.has_style:
                    continue
                cells.append((c.row, c.column, c.value, c.number_format))
        count += len(cells)
        sheets.append((ws.title, cells))
    with target.open("wb") as f:
        pickle.dump(sheets, f)
    return count


def timed(args: list[str], repeat: int) -> tuple[float, float]:
    """Min wall time of ``repeat`` fresh processes and their largest max RSS (MB)."""
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        best = min(best, time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{args} failed: {status}")
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_package()
    isoprov = [sys.executable, "-m", "isoprov"]
    header = ("files", "cells", "floor", "score", "export", "ratio", "own ratio", "floor MB", "export MB")
    print(" ".join(f"{h:>9}" for h in header))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        criteria = write_criteria(folder)
        for n in (int(s) for s in args.sizes.split(",")):
            source = folder / f"a{n}"
            source.mkdir()
            write_assessments(source, n)
            out = folder / f"out-{n}.xlsx"
            export, export_mb = timed(
                [*isoprov, "score", str(source), "--criteria", str(criteria), "--xlsx", str(out)], args.repeat
            )
            score, _ = timed(
                [*isoprov, "score", str(source), "--criteria", str(criteria), "--format", "json"], args.repeat
            )
            cells = floor_input(out, folder / "floor.pickle")
            floor, floor_mb = timed(
                [sys.executable, "-c", FLOOR, str(folder / "floor.pickle"), str(folder / "floor.xlsx")], args.repeat
            )
            print(
                f"{n:>9} {cells:>9} {floor:>8.2f}s {score:>8.2f}s {export:>8.2f}s {export / floor:>8.2f}× "
                f"{(export - score) / floor:>8.2f}× "
                f"{floor_mb:>9.0f} {export_mb:>9.0f}"
            )


if __name__ == "__main__":
    main()
