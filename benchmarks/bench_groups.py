"""Many groups: the wording report (notebook 05) on 10,000 articles in 68 desks.

Run by hand: ``.venv/bin/python benchmarks/bench_groups.py [--n 10000] [--folder DIR]``.
Builds the corpus with ``make_corpus.py`` (its ``desk`` column has 68 groups of very unequal
size), cleans it once as ``make report`` does, then times:

* ``keyness`` of every desk against the rest: one call for all desks (counting the words
  once), against one call per desk (each counting them again; ``--sample`` desks are timed
  and the time for all of them extrapolated);
* notebook 05 run by papermill on the cleaned corpus, grouped by desk.

The machine's load average is printed beside every time: on a shared machine the times are
orders of magnitude, not measurements to compare to the second.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def _timed(label: str, work):
    started = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - started:.1f} s "
          f"(load average {os.getloadavg()[0]:.1f})", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--folder", type=Path, default=None, help="keep the corpus here")
    parser.add_argument("--sample", type=int, default=5, help="desks timed one call each")
    args = parser.parse_args()

    import papermill
    from make_corpus import make_corpus

    from corpusutils import canonicalize_names, keyness, load_corpus, name_variants, save_corpus

    work = Path(args.folder or tempfile.mkdtemp(prefix="bench-groups-"))
    corpus = work / "corpus"
    if not (corpus / "manifest.csv").is_file():
        _timed(f"make_corpus ({args.n:,} articles)", lambda: make_corpus(corpus, args.n))
    cleaned = work / "cleaned-corpus.parquet"
    if not cleaned.is_file():
        docs = _timed("load and clean", lambda: load_corpus(corpus, progress=False))
        save_corpus(docs, cleaned)
    docs = load_corpus(cleaned)
    print(f"{len(docs):,} articles in {docs['desk'].nunique()} desks")

    named = canonicalize_names(docs, variants=name_variants(docs, by="desk"))
    _timed("keyness, every desk in one call", lambda: keyness(named, by="desk"))
    desks = docs["desk"].unique()
    started = time.perf_counter()
    for desk in desks[: args.sample]:
        keyness(named, desk, by="desk")
    each = (time.perf_counter() - started) / args.sample
    print(f"keyness, one call per desk: {each:.1f} s a call, so about {each * len(desks):.0f} s "
          f"for the {len(desks)} desks (load average {os.getloadavg()[0]:.1f})", flush=True)

    out = Path(tempfile.mkdtemp(prefix="report-", dir=work))
    (out / "figures").mkdir()
    _timed(
        "notebook 05-wording by desk",
        lambda: papermill.execute_notebook(
            str(ROOT / "notebooks" / "05-wording.ipynb"),
            str(out / "05-wording.ipynb"),
            parameters={"corpus": str(cleaned), "output_dir": str(out), "by": "desk"},
            progress_bar=False,
            cwd=str(out),
        ),
    )


if __name__ == "__main__":
    main()
