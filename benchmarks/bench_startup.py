"""Benchmark the start-up of light commands against ``python -c "import typer"``.

Each command runs as a fresh process, R times (interleaved with the floor, so that a busy
moment of a shared machine hits both); the minimum is kept. Prints each command's time, its
ratio to the floor, and how many modules it imported.

Usage: python benchmarks/bench_startup.py [--repeat 15]
Target (issue 16): light commands within 1.5 × the typer import.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])

from bench_score import isoprov_command
from bytecode import compile_package

COMMANDS = [
    ["budget", "words", "126000000"],
    ["--version"],
    ["--help"],
    ["budget", "--help"],
    ["schema", "budget"],  # not light (pydantic builds the schema): for comparison
]

COUNT_MODULES = (
    "import sys, runpy\n"
    "sys.argv = ['isoprov', *sys.argv[1:]]\n"
    "from isoprov.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(f'MODULES {len(sys.modules)}')\n"
)


def once(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def modules(args: list[str]) -> int:
    run = subprocess.run([sys.executable, "-c", COUNT_MODULES, *args], capture_output=True, text=True, check=False)
    return int(run.stderr.rsplit("MODULES ", 1)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    compile_package()
    floor_cmd = [sys.executable, "-c", "import typer"]
    floor_modules = int(
        subprocess.run(
            [sys.executable, "-c", "import sys, typer; print(len(sys.modules))"], capture_output=True, text=True
        ).stdout
    )
    floor = float("inf")
    best = {tuple(c): float("inf") for c in COMMANDS}
    for _ in range(args.repeat):
        floor = min(floor, once(floor_cmd))
        for c in COMMANDS:
            best[tuple(c)] = min(best[tuple(c)], once([*isoprov_command(), *c]))
    print(f"{'command':<36} {'min s':>7} {'ratio':>6} {'modules':>8}")
    print(f"{'python -c import typer (floor)':<36} {floor:7.3f} {1:6.2f} {floor_modules:>8}")
    for c in COMMANDS:
        t = best[tuple(c)]
        print(f"{'isoprov ' + ' '.join(c):<36} {t:7.3f} {t / floor:6.2f} {modules(c):>8}")


if __name__ == "__main__":
    main()
