"""Benchmark `isoprov score` against the floor: a bare CSafeLoader loop over the same files.

Generates a criteria set of L leaves and N assessments, then times, each as a fresh process
(so every figure includes the interpreter's start-up), best of R runs:

- load:     python -c "for f in files: yaml.load(f.read(), CSafeLoader)"
- compose:  python -c "for f in files: yaml.compose(f.read(), CSafeLoader)"
- 1 cpu:    taskset -c 0 isoprov score DIR --criteria SET --format json  (no worker process)
- all:      isoprov score DIR --criteria SET --format json  (one worker per CPU from 200 files)
- start:    isoprov --help  against  python -c "import typer"  (--startup)

- rules:  the same, on a 60-leaf set that uses every key of SPEC §3b (measured criteria by
          table and by ``full_at`` with values and {count, of}, counted criteria, conditions,
          weights, band requirements, rounding, ``max_total``, ``tie_break``), per file against
          the plain set's per file (--rules)

Usage: python benchmarks/bench_score.py [--files 300,2000] [--leaves 60,300] [--repeat 3] [--rules]
Targets (issue 16): 1 cpu ≤ 1.5 × compose; all CPUs ≤ 0.5 × load; 2 CPUs ≥ 1.7 × faster than
1 on the 300-leaf set.
Target (issue 10): the rules set's per-file cost ≤ 1.10 × the plain set's.

Measured (issue 10, 2 shared cores, best of 5, ``--files 2000 --repeat 5``): see the notes at
the end of this file.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_package

LEAVES_PER_GROUP = 10
GROUPS = 6


def write_criteria(folder: Path, leaves: int = GROUPS * LEAVES_PER_GROUP) -> Path:
    """A set of ``leaves`` scored leaves in groups of 10, a bonus and a penalty (id ``bench-60``)."""
    groups = max(1, leaves // LEAVES_PER_GROUP)
    lines = [
        "id: bench-60",
        f"title: Bộ tiêu chí đo hiệu năng ({leaves} tiêu chí)",
        "scale: 100",
        "levels: [tinh, huyen, xa]",
        "bands:",
        "  - {label: Tốt, min: 90}",
        "  - {label: Khá, min: 70}",
        "  - {label: Trung bình, min: 50}",
        "  - {label: Yếu, min: 0}",
        "criteria:",
    ]
    for g in range(1, groups + 1):
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


def write_assessments(folder: Path, n: int, seed: int = 7, leaves: int = GROUPS * LEAVES_PER_GROUP) -> None:
    groups = max(1, leaves // LEAVES_PER_GROUP)
    rng = random.Random(seed)
    levels = ["tinh", "huyen", "xa"]
    for i in range(n):
        lines = [
            f"agency: {{code: CQ{i:05d}, name: Cơ quan số {i}, level: {levels[i % 3]}}}",
            "criteria: bench-60",
            'period: "2025"',
            "scores:",
        ]
        for g in range(1, groups + 1):
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


def write_batch(root: Path, files: int, leaves: int = GROUPS * LEAVES_PER_GROUP) -> tuple[Path, Path]:
    """A criteria set of ``leaves`` leaves in ``root`` and ``files`` assessments of it in
    ``root/assessments``: (criteria file, assessments folder)."""
    criteria = write_criteria(root, leaves)
    folder = root / "assessments"
    folder.mkdir()
    write_assessments(folder, files, leaves=leaves)
    return criteria, folder


def write_rules_criteria(folder: Path) -> Path:
    """60 leaves as :func:`write_criteria`, using every key of SPEC §3b: in each group 5 leaves
    with options, 2 measured by a threshold table, 1 by ``full_at`` (rounded), 1 counted (−1 per
    late report), 1 that may be N/A; groups 1–3 weigh 2; a counted bonus and penalty; two
    conditions required by the top band; group and criterion shares; half-even rounding."""
    lines = [
        "id: bench-60-rules",
        "title: Bộ tiêu chí đo hiệu năng (60 tiêu chí, mọi quy tắc §3b)",
        "scale: 100",
        "max_total: 105",
        "levels: [tinh, huyen, xa]",
        "rounding: {places: 2, mode: half-even}",
        'ranking: {tie_break: [exact, "1"]}',
        "bands:",
        "  - {label: Tốt, min: 90, each_group_min_percent: 50, requires: [K1, K2]}",
        "  - {label: Khá, min: 70, each_criterion_min_percent: 25}",
        "  - {label: Trung bình, min: 50}",
        "  - {label: Yếu, min: 0}",
        "criteria:",
    ]
    for g in range(1, GROUPS + 1):
        lines += [f'  - id: "{g}"', f"    title: Nhóm tiêu chí số {g}"]
        if g <= 3:
            lines.append("    weight: 2")
        lines.append("    children:")
        for k in range(1, LEAVES_PER_GROUP + 1):
            lines += [
                f'      - id: "{g}.{k}"',
                f"        title: Tiêu chí {g}.{k} về áp dụng hệ thống quản lý chất lượng",
            ]
            if k <= 5 or k == LEAVES_PER_GROUP:
                lines += [
                    "        max: 2",
                    '        options: [{points: 2, label: "Đầy đủ"}, {points: 1, label: "Chậm"}, {points: 0}]',
                    "        evidence: true",
                ]
                if k == LEAVES_PER_GROUP:
                    lines.append("        na: true")
            elif k <= 7:
                lines += [
                    "        max: 2",
                    "        measure:",
                    '          unit: "%"',
                    "          points: [{min: 98, points: 2}, {min: 90, points: 1}, {min: 0, points: 0}]",
                ]
            elif k == 8:
                lines += ["        max: 2", '        measure: {unit: "%", full_at: 80, round: {places: 1}}']
            else:
                lines += ["        max: 2", "        per: -1"]
    lines += [
        "  - {id: T, title: Sáng kiến cải tiến, kind: bonus, max: 5, per: 0.5}",
        "  - {id: D, title: Báo cáo chậm, kind: penalty, max: 10, per: 1}",
        "  - {id: K1, title: Đã công bố HTQLCL, kind: condition}",
        "  - {id: K2, title: Không có lãnh đạo bị kỷ luật, kind: condition}",
    ]
    path = folder / "criteria-rules.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_rules_assessments(folder: Path, n: int, seed: int = 7) -> None:
    """Assessments for :func:`write_rules_criteria`, the same size as :func:`write_assessments`."""
    rng = random.Random(seed)
    levels = ["tinh", "huyen", "xa"]
    for i in range(n):
        lines = [
            f"agency: {{code: CQ{i:05d}, name: Cơ quan số {i}, level: {levels[i % 3]}}}",
            "criteria: bench-60-rules",
            'period: "2025"',
            "scores:",
        ]
        for g in range(1, GROUPS + 1):
            for k in range(1, LEAVES_PER_GROUP + 1):
                cid = f'"{g}.{k}"'
                if k == LEAVES_PER_GROUP and rng.random() < 0.2:
                    lines.append(f"  {cid}: {{na: Không có thủ tục thuộc lĩnh vực này}}")
                elif k <= 5 or k == LEAVES_PER_GROUP:
                    points = rng.choice([0, 1, 2, 2])
                    if rng.random() < 0.3:
                        lines.append(
                            f"  {cid}: {{self: {points}, team: {rng.choice([0, 1, 2])}, "
                            f"evidence: [Quyết định số {i}/QĐ ngày 05/01/2025]}}"
                        )
                    else:
                        lines.append(f"  {cid}: {{self: {points}, evidence: [Báo cáo số {k}/BC]}}")
                elif k in (6, 8):
                    of = rng.randint(50, 400)
                    lines.append(f"  {cid}: {{self: {{count: {rng.randint(of // 2, of)}, of: {of}}}}}")
                elif k == 7:
                    lines.append(
                        f"  {cid}: {{self: {rng.randint(800, 1000) / 10}, team: {rng.randint(800, 1000) / 10}}}"
                    )
                else:
                    lines.append(f"  {cid}: {rng.choice([0, 0, 1, 2])}")
        lines += [f"  T: {rng.choice([0, 1, 3])}", f"  D: {rng.choice([0, 0, 1])}", "  K1: true"]
        lines.append(f"  K2: {rng.choice(['true', 'true', 'false'])}")
        (folder / f"cq{i:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def best_of(cmd: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        best = min(best, timed(cmd))
    return best


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, list[float]]:
    """Each command once per round, round after round: a ratio of two commands of one round was
    measured at the same speed of this shared machine, whose speed drifts by tens of percent
    over a minute (the min of each command alone can pair a fast minute with a slow one)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    return times


def ratio(times: dict[str, list[float]], ours: str, floor: str) -> tuple[float, float]:
    """(min of ours / min of floor, median of the rounds' own ratios)."""
    rounds = sorted(a / b for a, b in zip(times[ours], times[floor], strict=True))
    return min(times[ours]) / min(times[floor]), statistics.median(rounds)


FLOOR = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)
# composing only (the node graph isoprov keeps for locating errors), with the C parser
COMPOSE = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    yaml.compose(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)

# the same, split between two forked processes: how much two CPUs of this machine give to the
# floor itself (what isoprov's own speed-up compares with)
COMPOSE_2 = (
    "import os, sys, yaml, pathlib\n"
    "files = sorted(pathlib.Path(sys.argv[1]).glob('*.yaml'))\n"
    "child = os.fork()\n"
    "for p in files[bool(child)::2]:\n"
    "    yaml.compose(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
    "if child:\n"
    "    os.waitpid(child, 0)\n"
    "else:\n"
    "    os._exit(0)\n"
)


def isoprov_command() -> list[str]:
    exe = shutil.which("isoprov")
    return [exe] if exe else [sys.executable, "-m", "isoprov"]


def on_cpus(cpus: int, cmd: list[str]) -> list[str]:
    """``cmd`` restricted to the first ``cpus`` CPUs (isoprov starts one worker per CPU it may use)."""
    return ["taskset", "-c", ",".join(str(c) for c in range(cpus)), *cmd]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", default="2000", help="sizes, comma-separated (e.g. 10,300,2000)")
    parser.add_argument("--leaves", default="60", help="leaves per file, comma-separated (e.g. 60,300)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--startup", action="store_true", help="also time `isoprov --help` against `import typer`")
    parser.add_argument(
        "--rules", action="store_true", help="also the 60-leaf set with every §3b rule against the plain one"
    )
    args = parser.parse_args()
    compile_package()
    cpus = len(os.sched_getaffinity(0))
    print(f"CPUs: {cpus}; {args.repeat} rounds, each command once per round, each a fresh process")
    head = f"{'leaves':>6} {'files':>6} {'load s':>7} {'compose':>7} {'1 cpu s':>7} {'all s':>7}"
    print(head + f" {'1cpu/compose':>12} {'all/load':>11} {'speed-up':>11} {'compose x2':>11}")
    for leaves in (int(x) for x in args.leaves.split(",")):
        for files in (int(x) for x in args.files.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                criteria, folder = write_batch(root, files, leaves)
                cmd = [*isoprov_command(), "score", str(folder), "--criteria", str(criteria), "--format", "json"]
                commands = {
                    "load": [sys.executable, "-c", FLOOR, str(folder)],
                    "compose": [sys.executable, "-c", COMPOSE, str(folder)],
                    "one": on_cpus(1, cmd),
                }
                if cpus > 1:
                    commands |= {"compose 2": [sys.executable, "-c", COMPOSE_2, str(folder)], "both": cmd}
                times = interleaved(commands, args.repeat)
            if cpus == 1:
                times |= {"compose 2": times["compose"], "both": times["one"]}
            best = {name: min(values) for name, values in times.items()}
            one_compose, all_load = ratio(times, "one", "compose"), ratio(times, "both", "load")
            speed_up, compose_x2 = ratio(times, "one", "both"), ratio(times, "compose", "compose 2")
            shown = " ".join(f"{a:5.2f}/{m:5.2f}" for a, m in (all_load, speed_up, compose_x2))
            print(
                f"{leaves:>6} {files:>6} {best['load']:7.3f} {best['compose']:7.3f} {best['one']:7.3f}"
                f" {best['both']:7.3f}  {one_compose[0]:5.2f}/{one_compose[1]:5.2f} {shown}"
            )
    print("ratios: of the mins / median of the rounds' own ratios")
    print("targets (issue 16): 1cpu/compose ≤ 1.5; all/load ≤ 0.5; speed-up ≥ 1.7 on 2 CPUs (300 leaves)")
    print("compose x2: the floor's own speed-up, composing in 2 processes against 1")
    if args.startup:
        typer_import = best_of([sys.executable, "-c", "import typer"], args.repeat + 4)
        help_time = best_of([*isoprov_command(), "--help"], args.repeat + 4)
        print(f"python -c 'import typer': {typer_import:7.3f} s")
        print(f"isoprov --help:           {help_time:7.3f} s   ratio {help_time / typer_import:5.2f} (target ≤ 1.50)")
    if args.rules:
        files = int(args.files.split(",")[0])
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            criteria, folder = write_batch(root, files)
            scored = best_of(
                [*isoprov_command(), "score", str(folder), "--criteria", str(criteria), "--format", "json"],
                args.repeat,
            )
            rules_criteria = write_rules_criteria(root)
            rules_folder = root / "assessments-rules"
            rules_folder.mkdir()
            write_rules_assessments(rules_folder, files)
            rules = best_of(
                [*isoprov_command(), "score", str(rules_folder), "--criteria", str(rules_criteria), "--format", "json"],
                args.repeat,
            )
        per_file, per_file_rules = scored / files * 1000, rules / files * 1000
        print(f"per file, plain set:       {per_file:7.3f} ms")
        print(
            f"per file, every §3b rule:  {per_file_rules:7.3f} ms"
            f"   ratio {per_file_rules / per_file:5.2f} (target ≤ 1.10)"
        )


if __name__ == "__main__":
    main()


# Notes (issue 10, 2026-12-06, a 2-core machine shared by ~6 jobs, load average ≈ 5):
# - end-to-end, --files 2000 --repeat 3, per file plain vs every §3b key: 3,526 vs 3,253 ms
#   (ratio 0,92) and, one run later, 3,914 vs 4,903 ms (1,25): the floor itself moved 3,8 → 6,2 s,
#   so these runs cannot tell 10 % apart.
# - in-process CPU time (load, validate, check, score, JSON; best of 12 rounds of 200 files,
#   three alternations): today's code on the plain set 1022 / 1071 / 1047 µs per file; this
#   branch, plain set 1091 / 1068 / 1089 µs; this branch, every §3b key 1156 / 1136 / 1136 µs:
#   ratio to today's plain set 1,13 / 1,06 / 1,085 (median 1,085), to the plain set on the same
#   code 1,06 / 1,06 / 1,04.
