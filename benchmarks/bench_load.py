"""Loading a large folder: time per file and peak memory against the size of the texts.

Run by hand: ``.venv/bin/python benchmarks/bench_load.py [N]`` (default 10,000 files). It writes
N article files built from the seeds into a temporary folder (each seed repeated with a number
changed so that every file differs), loads them with ``load_corpus(clean=False)`` and prints the
time and the peak of Python allocations (tracemalloc) during the load, next to the total size of
the decoded texts. A loader that keeps only the texts has a peak close to that size.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from corpusutils.load import load_corpus

ROOT = Path(__file__).resolve().parents[1]


def write_corpus(folder: Path, n: int) -> int:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    total = 0
    for i in range(n):
        text = seeds[i % len(seeds)].replace("2022", str(1900 + i % 200), 1) + f"\n[{i}]\n"
        (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chars = write_corpus(folder, n)
        tracemalloc.start()
        start = time.perf_counter()
        docs = load_corpus(folder, clean=False, progress=False)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        text_bytes = sum(sys.getsizeof(t) for t in docs["raw_text"])
    print(f"files loaded        {len(docs):>10,}")
    print(f"characters          {chars:>10,}")
    print(f"seconds             {seconds:>10.2f}   ({len(docs) / seconds:,.0f} files/s)")
    print(f"texts in memory     {text_bytes / 2**20:>10.1f} MiB")
    print(f"peak while loading  {peak / 2**20:>10.1f} MiB   ({peak / text_bytes:.1f} x the texts)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
