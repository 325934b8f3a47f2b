"""Benchmark `isoprov score` on filled Excel forms against its floor: zipfile + lxml.

Makes a 60-leaf criteria set (the one of ``bench_score.py``), one form with ``isoprov form``,
fills it in with openpyxl (scores, evidence, an N/A), then copies it N times with a distinct
agency code each (the code is a shared string: only ``sharedStrings.xml`` changes). For each
size, each command is a fresh process and the best of R runs is kept:

- floor:  python -c "for each form: zipfile.ZipFile(f).read(sheet XML); lxml.etree.fromstring"
- score:  isoprov score DIR --criteria SET --format json

and prints time, ratio to the floor and the peak resident memory (the largest single process:
the parent or one of its workers, from ``wait4``).

Usage: python benchmarks/bench_forms.py [--sizes 10,100,300,1000] [--repeat 3]
Target (issue 16): 1,000 forms under 150 MB peak, within 2× of the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import isoprov_command, write_criteria
from bytecode import compile_package

PLACEHOLDER = "CQ-PLACEHOLDER"


def filled_template(root: Path, criteria: Path) -> Path:
    """One form made by ``isoprov form`` and filled in with openpyxl."""
    from openpyxl import load_workbook

    blank = root / "blank.xlsx"
    subprocess.run(
        [*isoprov_command(), "form", str(criteria), "-o", str(blank), "--agency-name", "Cơ quan đo hiệu năng"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wb = load_workbook(blank)
    ws = wb["Tự đánh giá"]
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Mã tiêu chí")
    columns = {ws.cell(header, c).value: c for c in range(1, 9)}
    for r in range(1, header):
        label = ws.cell(r, 1).value
        if label == "Mã cơ quan":
            ws.cell(r, 2).value = PLACEHOLDER
        elif label == "Cấp":
            ws.cell(r, 2).value = "tinh"
        elif label == "Kỳ đánh giá":
            ws.cell(r, 2).value = "2025"
    r = header + 1
    k = 0
    while ws.cell(r, 1).value is not None:
        cid = str(ws.cell(r, 1).value)
        if cid.count(".") == 1:  # a leaf of the bench set
            k += 1
            if k % 10 == 0:
                ws.cell(r, columns["Điểm tự chấm"]).value = "Không áp dụng"
                ws.cell(r, columns["Ghi chú"]).value = "Không có thủ tục thuộc lĩnh vực này"
            else:
                ws.cell(r, columns["Điểm tự chấm"]).value = (0, 1, 2, 2)[k % 4]
                ws.cell(r, columns["Tài liệu kiểm chứng"]).value = f"Báo cáo số {k}/BC"
        r += 1
    path = root / "template.xlsx"
    wb.save(path)
    return path


def copy_forms(template: Path, folder: Path, n: int) -> None:
    """``n`` copies of the filled form, each with its own agency code."""
    with zipfile.ZipFile(template) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    for i in range(n):
        with zipfile.ZipFile(folder / f"cq{i:05d}.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in entries:
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(PLACEHOLDER.encode(), f"CQ{i:05d}".encode())
                out.writestr(info, data)


# every cell's reference and value (a number, or inline text), as a reader of the form must
FLOOR = (
    "import sys, pathlib, zipfile\n"
    "from lxml import etree\n"
    "NS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'\n"
    "cells = 0\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.xlsx')):\n"
    "    with zipfile.ZipFile(p) as z:\n"
    "        root = etree.fromstring(z.read('xl/worksheets/sheet1.xml'))\n"
    "    for c in root.iter(NS + 'c'):\n"
    "        ref, value = c.get('r'), c.findtext(NS + 'v')\n"
    "        if value is None:\n"
    "            value = c.findtext(NS + 'is/' + NS + 't')\n"
    "        cells += 1\n"
    "assert cells > 0\n"
)


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB, largest single process) of one fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)[:200]}")
    return elapsed, usage.ru_maxrss / 1024


def best_of(cmd: list[str], repeat: int) -> tuple[float, float]:
    runs = [run(cmd) for _ in range(repeat)]
    return min(t for t, _ in runs), max(m for _, m in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10,100,300,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_package()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        criteria = write_criteria(root)
        template = filled_template(root, criteria)
        print(f"{'forms':>6} {'floor s':>8} {'score s':>8} {'ratio':>6} {'ms/form':>8} {'peak MB':>8}")
        for n in sizes:
            folder = root / f"forms-{n}"
            folder.mkdir()
            copy_forms(template, folder, n)
            floor, _ = best_of([sys.executable, "-c", FLOOR, str(folder)], args.repeat)
            cmd = [*isoprov_command(), "score", str(folder), "--criteria", str(criteria), "--format", "json"]
            check = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if check.returncode != 0 or json.loads(check.stdout)["results"].__len__() != n:
                sys.exit(f"score failed on {n} forms (rc {check.returncode}): {check.stderr[:500]}")
            scored, peak = best_of(cmd, args.repeat)
            print(f"{n:>6} {floor:8.3f} {scored:8.3f} {scored / floor:6.2f} {1000 * scored / n:8.1f} {peak:8.1f}")
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
