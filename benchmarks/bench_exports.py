"""Reading a large database export and flagging its near-duplicates.

Run by hand: ``.venv/bin/python benchmarks/bench_exports.py [N]`` (default 10,000 documents). It
writes one Nexis classic export of N documents in the layout of ``tests/exports/
nexis_classic.TXT`` whose bodies recombine the seeds' sentences (12 drawn at random each, so
articles share many sentences, as stories of one event do), 1% of them copied again with one
word changed; reads it with ``load_corpus(clean=False)`` and runs
:func:`corpusutils.flag_duplicates` on the bodies, printing both times, how many copies were
found and the load average (the machine is shared: read the times as orders of magnitude).
"""

from __future__ import annotations

import os
import random
import re
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from corpusutils.duplicates import flag_duplicates
from corpusutils.load import load_corpus

ROOT = Path(__file__).resolve().parents[1]


def write_export(path: Path, n: int) -> int:
    sentences = [
        s for p in sorted((ROOT / "seeds").glob("*.txt"))
        for s in re.split(r"(?<=[.!?])\s+", " ".join(p.read_text(encoding="utf-8").split()))
        if len(s.split()) > 6
    ]
    rng = random.Random(1)
    bodies = [" ".join(rng.sample(sentences, 12)) for _ in range(n)]
    copies = rng.sample(range(n), n // 100)
    for i in copies:
        words = bodies[i].split()
        words[len(words) // 2] = "changed"
        bodies.append(" ".join(words))
    total = len(bodies)
    out = ["Download Request: All Documents", "", "Terms: benchmark", ""]
    for k, body in enumerate(bodies, start=1):
        out += [f"{f'{k} of {total} DOCUMENTS':^80}".rstrip(), "",
                f"{'Copyright 2023 The Example Daily':^80}".rstrip(), "",
                f"{'The Example Daily':^80}".rstrip(), "",
                f"{'February 28, 2023 Tuesday':^80}".rstrip(), "",
                f"LENGTH: {len(body.split())} words", "", f"HEADLINE: Story {k}", "", "BODY:", ""]
        out += textwrap.wrap(body, 80) + ["", "LANGUAGE: ENGLISH", "",
                                           "LOAD-DATE: March 1, 2023", "", ""]
    path.write_text("\r\n".join(out), encoding="utf-8-sig")
    return len(copies)


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.TXT"
        planted = write_export(path, n)
        start = time.perf_counter()
        docs = load_corpus(path, clean=False, progress=False)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        flagged = flag_duplicates(docs)
        flagging = time.perf_counter() - start
    found = int(flagged["duplicate_of"].notna().sum())
    print(f"documents read: {len(docs)} in {loaded:.2f} s ({len(docs) / loaded:,.0f} a second)")
    print(f"flag_duplicates: {flagging:.2f} s; {found} flagged for {planted} planted copies")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
