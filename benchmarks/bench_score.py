"""Benchmark `isoprov score` against the floor: a bare CSafeLoader loop over the same files.

Generates a 60-leaf criteria set and N assessments, then times, each as a fresh process
(so both include the interpreter's start-up), best of R runs:

- floor:  python -c "for f in files: yaml.load(f.read(), CSafeLoader)"
- score:  isoprov score DIR --criteria SET --format json
- start:  isoprov --help  against  python -c "import typer"

Usage: python benchmarks/bench_score.py [--files 2000] [--repeat 3]
Targets (issue 2): score ≤ 1.2 × floor on 2,000 files; --help ≤ 1.5 × the typer import.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEAVES_PER_GROUP = 10
GROUPS = 6


def write_criteria(folder: Path) -> Path:
    lines = [
        "id: bench-60",
        "title: Bộ tiêu chí đo hiệu năng (60 tiêu chí)",
        "scale: 100",
        "levels: [tinh, huyen, xa]",
        "bands:",
        "  - {label: Tốt, min: 90}",
        "  - {label: Khá, min: 70}",
        "  - {label: Trung bình, min: 50}",
        "  - {label: Yếu, min: 0}",
        "criteria:",
    ]
    for g in range(1, GROUPS + 1):
        lines += [f'  - id: "{g}"', f"    title: Nhóm tiêu chí số {g}", "    children:"]
        for k in range(1, LEAVES_PER_GROUP + 1):
            lines += [
                f'      - id: "{g}.{k}"',
                f"        title: Tiêu chí {g}.{k} về áp dụng hệ thống quản lý chất lượng",
                "        max: 2",
                '        options: [{points: 2, label: "Đầy đủ"}, {points: 1, label: "Chậm"}, {points: 0}]',
                "        evidence: true",
            ]
            if k == LEAVES_PER_GROUP:
                lines.append("        na: true")
    lines += [
        "  - {id: T, title: Điểm thưởng, kind: bonus, max: 5}",
        "  - {id: D, title: Điểm trừ, kind: penalty, max: 10}",
    ]
    path = folder / "criteria.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_assessments(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    levels = ["tinh", "huyen", "xa"]
    for i in range(n):
        lines = [
            f"agency: {{code: CQ{i:05d}, name: Cơ quan số {i}, level: {levels[i % 3]}}}",
            "criteria: bench-60",
            'period: "2025"',
            "scores:",
        ]
        for g in range(1, GROUPS + 1):
            for k in range(1, LEAVES_PER_GROUP + 1):
                points = rng.choice([0, 1, 2, 2])
                if k == LEAVES_PER_GROUP and rng.random() < 0.2:
                    lines.append(f'  "{g}.{k}": {{na: Không có thủ tục thuộc lĩnh vực này}}')
                elif rng.random() < 0.3:
                    lines.append(
                        f'  "{g}.{k}": {{self: {points}, team: {rng.choice([0, 1, 2])}, '
                        f"evidence: [Quyết định số {i}/QĐ ngày 05/01/2025]}}"
                    )
                else:
                    lines.append(f'  "{g}.{k}": {{self: {points}, evidence: [Báo cáo số {k}/BC]}}')
        lines.append(f"  T: {rng.choice([0, 1])}")
        (folder / f"cq{i:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def best_of(cmd: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


FLOOR = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)


def isoprov_command() -> list[str]:
    exe = shutil.which("isoprov")
    return [exe] if exe else [sys.executable, "-m", "isoprov"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        criteria = write_criteria(root)
        folder = root / "assessments"
        folder.mkdir()
        write_assessments(folder, args.files)
        floor = best_of([sys.executable, "-c", FLOOR, str(folder)], args.repeat)
        scored = best_of(
            [*isoprov_command(), "score", str(folder), "--criteria", str(criteria), "--format", "json"],
            args.repeat,
        )
    typer_import = best_of([sys.executable, "-c", "import typer"], args.repeat + 4)
    help_time = best_of([*isoprov_command(), "--help"], args.repeat + 4)
    print(f"files: {args.files} (60 leaves each)")
    print(f"floor (CSafeLoader loop):  {floor:7.3f} s")
    print(f"isoprov score --format json: {scored:7.3f} s   ratio {scored / floor:5.2f} (target ≤ 1.20)")
    print(f"python -c 'import typer':  {typer_import:7.3f} s")
    print(f"isoprov --help:            {help_time:7.3f} s   ratio {help_time / typer_import:5.2f} (target ≤ 1.50)")


if __name__ == "__main__":
    main()
