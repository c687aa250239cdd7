"""Reading a large database export and flagging its near-duplicates.

Run by hand: ``.venv/bin/python benchmarks/bench_exports.py [N]`` (default 10,000 documents). It
writes one Nexis classic export of N documents (the four documents of
``tests/exports/nexis_classic.TXT`` repeated, each with a number changed, so that every
fourth document is a near-duplicate of another), reads it with ``load_corpus(clean=False)``
and runs :func:`corpusutils.flag_duplicates` on the bodies, printing both times, how many
articles were flagged and the load average (the machine is shared: read times as orders of
magnitude).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from corpusutils.duplicates import flag_duplicates
from corpusutils.load import load_corpus

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "exports" / "nexis_classic.TXT"


def write_export(path: Path, n: int) -> None:
    text = FIXTURE.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    marker = "1 of 4 DOCUMENTS"
    head, _, rest = text.partition(marker)
    cover = head.rsplit("\n", 1)[0]
    blocks = ("\n" + rest).split(" of 4 DOCUMENTS")
    documents = [b.rsplit("\n", 1)[0] if k + 1 < len(blocks) else b for k, b in
                 enumerate(blocks)]
    documents = [d.split("\n", 1)[1] for d in documents]
    out = [cover]
    for i in range(n):
        body = documents[i % 4].replace("41 percent", f"{i % 97} percent")
        body = body.replace("on Monday", f"on day {i}", 1)
        out.append(f"{f'{i + 1} of {n} DOCUMENTS':^80}".rstrip() + "\n" + body)
    path.write_text("\n".join(out), encoding="utf-8")


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.TXT"
        write_export(path, n)
        start = time.perf_counter()
        docs = load_corpus(path, clean=False, progress=False)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        flagged = flag_duplicates(docs)
        flagging = time.perf_counter() - start
    print(f"documents read: {len(docs)} in {loaded:.2f} s ({len(docs) / loaded:,.0f} a second)")
    print(f"flag_duplicates: {flagging:.2f} s; flagged {flagged['duplicate_of'].notna().sum()}, "
          f"clusters {flagged['duplicate_cluster'].nunique()}")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
