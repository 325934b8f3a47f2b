"""Where one YAML assessment's time goes in `isoprov score`, phase by phase, in one process.

Generates N assessments of an L-leaf set (as bench_score.py does), then times, per file and
in-process (no start-up, collector paused as the command pauses it), the min of R rounds of:

- compose:  ``yaml.compose`` with isoprov's loader (the C parser, tags resolved from a cache)
- load:     ``load_yaml``: reading, composing and turning the nodes into values (minus compose:
            the values' own cost)
- validate: ``load_assessment`` (pydantic)
- check:    ``check_assessment`` against the set
- score:    ``score``

and, for comparison, ``yaml.compose`` with CSafeLoader's own resolver (bench_score.py's floor,
without start-up). Prints milliseconds per file.

Usage: python benchmarks/bench_phases.py [--files 1000] [--leaves 60,300] [--repeat 4]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path

from bench_score import write_batch
from bytecode import compile_package


def phases(folder: Path, criteria: Path, repeat: int) -> dict[str, float]:
    import yaml

    from isoprov.core.loading import _FastLoader, load_yaml
    from isoprov.scoring.assessment import check_assessment, load_assessment
    from isoprov.scoring.catalog import Catalog
    from isoprov.scoring.rules import score

    files = sorted(folder.glob("*.yaml"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    catalog = Catalog.default([criteria])
    catalog.load_explicit()
    best: dict[str, float] = {}
    gc.disable()
    try:
        for _ in range(repeat):
            spent = dict.fromkeys(("floor compose", "compose", "load", "validate", "check", "score"), 0.0)
            started = time.perf_counter()
            for text in texts:
                yaml.compose(text, Loader=yaml.CSafeLoader)
            spent["floor compose"] = time.perf_counter() - started
            started = time.perf_counter()
            for text in texts:
                yaml.compose(text, Loader=_FastLoader)
            spent["compose"] = time.perf_counter() - started
            for path in files:
                t0 = time.perf_counter()
                doc = load_yaml(path)
                t1 = time.perf_counter()
                assessment = load_assessment(doc)
                t2 = time.perf_counter()
                cs = catalog.get(assessment.criteria)
                assert cs is not None
                check_assessment(assessment, cs, doc)
                t3 = time.perf_counter()
                score(assessment, cs, str(path))
                t4 = time.perf_counter()
                spent["load"] += t1 - t0
                spent["validate"] += t2 - t1
                spent["check"] += t3 - t2
                spent["score"] += t4 - t3
            for key, value in spent.items():
                best[key] = min(best.get(key, float("inf")), value)
    finally:
        gc.enable()
    return {key: value / len(files) * 1000 for key, value in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--leaves", default="60,300", help="leaves per file, comma-separated")
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    compile_package()
    names = ("floor compose", "compose", "values", "validate", "check", "score", "total")
    print(f"ms per file, min of {args.repeat} rounds of {args.files} files, one process")
    print(f"{'leaves':>6} " + " ".join(f"{n:>13}" for n in names))
    for leaves in (int(x) for x in args.leaves.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            criteria, folder = write_batch(Path(tmp), args.files, leaves)
            ms = phases(folder, criteria, args.repeat)
        values = ms["load"] - ms["compose"]
        total = ms["load"] + ms["validate"] + ms["check"] + ms["score"]
        row = (ms["floor compose"], ms["compose"], values, ms["validate"], ms["check"], ms["score"], total)
        print(f"{leaves:>6} " + " ".join(f"{v:13.3f}" for v in row))


if __name__ == "__main__":
    main()
