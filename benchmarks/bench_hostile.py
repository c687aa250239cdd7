"""Time of each pathological input against its size: every pattern and every text function.

For each text function (tokens, split_sentences, quotes, sentence_sentiment, clean_text) and
each pathological text of ``tests/pathological.py`` it prints the seconds at 100 KB, 200 KB,
500 KB and 1 MB and the ratio of the 1 MB time to the 500 KB time (about 2 when the cost grows
linearly). For the patterns (those of ``corpusutils/data/`` and of the code, applied as the
code applies them) it prints the slowest case at 1 MB and the largest 1 MB / 500 KB ratio.

    .venv/bin/python benchmarks/bench_hostile.py [--sizes 100000 200000 500000 1000000]

Run by hand on a quiet machine: the load average is printed beside the numbers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pathological import (  # noqa: E402
    code_patterns,
    data_patterns,
    pathological_texts,
    text_functions,
)


def _seconds(function, text: str) -> float:
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 200_000, 500_000,
                                                                  1_000_000])
    parser.add_argument("--only", default=None, help="text functions whose name contains this")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    texts = {size: pathological_texts(size) for size in sizes}
    kinds = list(texts[sizes[0]])
    print(f"load average before: {os.getloadavg()}")

    functions = {k: f for k, f in text_functions().items() if not args.only or args.only in k}
    for function in functions.values():  # first calls read data files and build caches
        function("Warm up. “Quote,” he said.")
    header = " ".join(f"{s // 1000:>7} KB" for s in sizes)
    print(f"\n{'function':<20} {'input':<30} {header}  ratio")
    worst: dict[str, tuple[float, float]] = {}
    for name, function in functions.items():
        for kind in kinds:
            times = [_seconds(function, texts[size][kind]) for size in sizes]
            ratio = times[-1] / max(times[-2], 1e-6)
            cells = " ".join(f"{t:>10.3f}" for t in times)
            print(f"{name:<20} {kind:<30} {cells}  {ratio:5.2f}", flush=True)
            worst[name] = max(worst.get(name, (0.0, 0.0)), (times[-1], ratio))
    print("\nslowest 1 MB input per function (seconds, ratio to the half size):")
    for name, (seconds, ratio) in worst.items():
        print(f"  {name:<20} {seconds:8.3f} s  {ratio:5.2f}")

    if not args.only:
        patterns = {**data_patterns(), **code_patterns()}
        slowest = (0.0, "", "")
        highest = (0.0, "", "")
        for name, apply in patterns.items():
            for kind in kinds:
                half, full = (_seconds(apply, texts[size][kind]) for size in sizes[-2:])
                slowest = max(slowest, (full, name, kind))
                if full > 0.01:  # ratios of times below 10 ms are noise
                    highest = max(highest, (full / half, name, kind))
        print(f"\n{len(patterns)} patterns x {len(kinds)} inputs of {sizes[-1]:,} characters")
        print(f"  slowest: {slowest[0]:.3f} s ({slowest[1]} on {slowest[2]})")
        print(f"  largest ratio to half the size: {highest[0]:.2f} ({highest[1]} on {highest[2]})")
    print(f"\nload average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
