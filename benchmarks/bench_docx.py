"""Benchmark DOCX tables: ``isoprov render`` of a plan whose schedule has N rows, against its floor,
bare python-docx writing the same cells (``Table.add_row`` per row, text per cell) and saving.

Each side runs in a fresh process (the isoprov side is the whole command in-process: YAML, Jinja,
markup, layout, atomic save), warmed up once, best of R runs; peak memory is that process's peak
resident size (ru_maxrss). Prints, per size, the times, their ratio and the peak memory.

Usage: python benchmarks/bench_docx.py [--sizes 10,100,1000,10000] [--repeat 3]
Targets (issues 15, 16): linear in N, 10,000 rows under 10 s, within 2x of the floor.

Measured 2026-12-06, 2 shared cores (x86_64, ~6 jobs running), best of 3:

   rows  isoprov s   floor s  ratio  isoprov MB  floor MB
     10      0.120     0.037   3.22          59        48      (fixed cost: YAML, Jinja, header block)
    100      0.268     0.157   1.71          57        50
   1000      1.273     0.558   2.28         120        57
  10000      4.510    10.917   0.41         426       228      (python-docx's add_row bends upwards)

Before (row access `table.rows[r]` and python-docx setters per cell): 1,000 rows 9,9 s, quadratic.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bytecode import compile_package

COLUMNS = ("TT", "Nội dung", "Thực hiện", "Thời gian thực hiện")


def row(k: int) -> tuple[str, str, str, str]:
    return (
        f"{k}.",
        f"Kiểm tra, đánh giá việc áp dụng hệ thống quản lý chất lượng tại cơ quan số {k}",
        "Sở Khoa học và Công nghệ",
        f"Tháng {k % 12 + 1}/2025",
    )


def write_data(folder: Path, rows: int) -> Path:
    lines = [
        "header:",
        "  issuing_body: Ban chỉ đạo ISO",
        "  number: 12",
        "  symbol: KH-BCĐ",
        "  place: Bắc Giang",
        "  date: 2025-03-05",
        "  title: Kế hoạch kiểm tra",
        "body:",
        "  - table:",
        f"      columns: [{', '.join(COLUMNS)}]",
        "      widths: [1, 6, 3, 2]",
        "      rows:",
    ]
    lines += [f'        - ["{a}", "{b}", "{c}", "{d}"]' for a, b, c, d in map(row, range(1, rows + 1))]
    lines += [
        "  - Tổ chức thực hiện./.",
        'recipients: ["Lưu: VT"]',
        "signature: {position: TRƯỞNG BAN, name: Nguyễn Văn A}",
    ]
    path = folder / f"kh-{rows}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def isoprov_render(data: Path, out: Path) -> Callable[[], None]:
    from isoprov.commands.render import run

    def job() -> None:
        out.unlink(missing_ok=True)
        assert run("plan", data, out, None) == 0

    return job


def bare_python_docx(rows: int) -> Callable[[], None]:
    import docx

    def job() -> None:
        document = docx.Document()
        table = document.add_table(rows=1, cols=len(COLUMNS))
        for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
            cell.text = text
        for k in range(1, rows + 1):
            for cell, text in zip(table.add_row().cells, row(k), strict=True):
                cell.text = text
        document.save(io.BytesIO())

    return job


def best(job: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(which: str, rows: int, repeat: int) -> None:
    """One job in this (fresh) process: prints its best time and the process's peak memory."""
    import resource

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        job = (
            isoprov_render(write_data(folder, rows), folder / "kh.docx")
            if which == "isoprov"
            else bare_python_docx(rows)
        )
        with contextlib.redirect_stderr(io.StringIO()):
            job()  # warm-up: imports, templates
            seconds = best(job, repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds} {peak_mb}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--job", choices=("isoprov", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    compile_package()
    if args.job is not None:
        measure(args.job, args.rows, args.repeat)
        return
    print(f"{'rows':>7} {'isoprov s':>10} {'floor s':>9} {'ratio':>6} {'isoprov MB':>11} {'floor MB':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        found = {}
        for which in ("isoprov", "floor"):
            command = [sys.executable, __file__, "--job", which, "--rows", str(size), "--repeat", str(args.repeat)]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
            found[which] = (float(out[0]), float(out[1]))
        (t_ours, m_ours), (t_floor, m_floor) = found["isoprov"], found["floor"]
        print(f"{size:>7} {t_ours:>10.3f} {t_floor:>9.3f} {t_ours / t_floor:>6.2f} {m_ours:>11.0f} {m_floor:>9.0f}")


if __name__ == "__main__":
    main()
