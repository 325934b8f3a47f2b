"""Benchmark `isoprov budget check` on large budgets against its floors, measured in the same run.

Generates a budget of N items (every tenth with a breakdown of three sub-items, rates in đồng,
some citing a shipped cap), then times, each as a fresh process (both sides include the
interpreter's start-up), min of R runs:

- table:  isoprov budget check FILE                 against  python -c "yaml.load(text, CSafeLoader)"
- xlsx:   isoprov budget check FILE --xlsx OUT.xlsx against  a bare openpyxl write of the same cells
                                                               (values and formulas, no styles)
and prints each ratio to its floor. Peak memory (max RSS of the child) is printed beside.

Usage: python benchmarks/bench_budget.py [--sizes 10,100,1000,10000] [--repeat 3]
Target (issue 16): both within 2× of their floor at 10,000 items.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_package

FLOOR_YAML = "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"

FLOOR_XLSX = """
import sys, yaml
from openpyxl import Workbook
data = yaml.load(open(sys.argv[1], encoding="utf-8").read(), Loader=yaml.CSafeLoader)
wb = Workbook(); ws = wb.active
row = 5
def put(item, depth, number):
    # the cells the export writes for an item (TT, name, unit, quantity, rate, formula, note), no styles
    global row
    if number: ws.cell(row=row, column=1, value=number)
    ws.cell(row=row, column=2, value=item["name"])
    if "unit" in item: ws.cell(row=row, column=3, value=item["unit"])
    if "quantity" in item: ws.cell(row=row, column=4, value=item["quantity"])
    if "rate" in item: ws.cell(row=row, column=5, value=1000)
    ws.cell(row=row, column=8, value=f"=D{row}*E{row}")
    ws.cell(row=row, column=9, value=f"{item.get('quantity', '')} × {item.get('rate', '')}")
    row += 1
    for sub in item.get("breakdown", []):
        put(sub, depth + 1, "")
for k, item in enumerate(data["items"]):
    put(item, 0, f"{k + 1}.")
ws.cell(row=row, column=8, value=f"=SUM(H5:H{row - 1})")
wb.save(sys.argv[2])
"""


def write_budget(path: Path, n: int) -> None:
    lines = ["title: Dự toán đo hiệu năng", "unit: đồng", "items:"]
    for i in range(n):
        if i % 10 == 9:
            lines += [f"  - name: Hội nghị số {i}", "    breakdown:"]
            lines += [f"      - {{name: Nước uống {i}.{k}, quantity: {k + 10}, rate: 20.000 đồng}}" for k in range(3)]
        elif i % 10 == 5:
            lines.append(
                f"  - {{name: Hỗ trợ tiền ăn {i}, quantity: 30, rate: 150.000 đồng, norm: ho-tro-an-hoi-nghi-tinh}}"
            )
        else:
            lines.append(
                f"  - {{name: Khoản chi số {i}, unit: Cuộc, quantity: {i % 7 + 1}, rate: {1000 * (i % 13 + 1)} đồng}}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(args: list[str], repeat: int) -> tuple[float, float]:
    """Min wall time of ``repeat`` runs and the max RSS (MB) of the children."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_package()
    isoprov = [sys.executable, "-m", "isoprov"]
    header = ("items", "floor yaml", "table", "ratio", "floor xlsx", "--xlsx", "ratio", "peak MB")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (7, 11, 8, 6, 11, 8, 6, 8), strict=True)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in (int(s) for s in args.sizes.split(",")):
            budget = folder / f"du-toan-{n}.yaml"
            write_budget(budget, n)
            floor_yaml, _ = timed([sys.executable, "-c", FLOOR_YAML, str(budget)], args.repeat)
            table, peak = timed([*isoprov, "budget", "check", str(budget)], args.repeat)
            floor_xlsx, _ = timed(
                [sys.executable, "-c", FLOOR_XLSX, str(budget), str(folder / "floor.xlsx")], args.repeat
            )
            out = folder / f"out-{n}.xlsx"
            xlsx, peak = timed([*isoprov, "budget", "check", str(budget), "--xlsx", str(out)], args.repeat)
            print(
                f"{n:>7} {floor_yaml:>10.2f}s {table:>7.2f}s {table / floor_yaml:>5.1f}× "
                f"{floor_xlsx:>10.2f}s {xlsx:>7.2f}s {xlsx / floor_xlsx:>5.1f}× {peak:>8.0f}"
            )


if __name__ == "__main__":
    main()
