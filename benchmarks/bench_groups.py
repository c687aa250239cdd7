"""Many groups: the wording report (notebook 05) on 10,000 articles in 68 desks.

Run by hand: ``.venv/bin/python benchmarks/bench_groups.py [--n 10000] [--folder DIR]
[--heavy] [--sample 5]``. Builds the corpus with ``make_corpus.py`` (its ``desk`` column has
68 groups of very unequal size; ``--heavy``: one story whose every sentence recurs in hundreds
of articles), then does what ``make report BY=desk`` does before and for notebook 05:

* loads, cleans and flags the corpus once and saves it with the derived tables
  (:func:`corpusutils.save_tables`), as the report builder does for all the notebooks (kept in
  ``--folder`` and reused by the next run; not part of notebook 05's time);
* optionally (``--sample N``, default 0) times ``keyness`` of every desk in one call against
  one call per desk (N desks timed, the time for all of them extrapolated);
* runs notebook 05 through the report builder (the notebook as the builder prepares it, the
  same parameters, the page written), and prints its time, the CPU time of its kernel, and
  the time of each code cell (recorded by papermill in the executed notebook).

The machine's load average (1, 5 and 15 minutes) is printed beside every time: on a shared
machine a wall-clock time measures the load as much as the code; the kernel's CPU time is the
steadier number.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

BY = "desk"
NOTEBOOK = ROOT / "notebooks" / "05-wording.ipynb"


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _timed(label: str, work):
    started = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - started:.1f} s ({_load()})", flush=True)
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _prepare(work: Path, n: int, heavy: bool) -> Path:
    """The corpus cleaned once and the derived tables saved beside it, as the builder does."""
    from make_corpus import make_corpus

    from corpusutils import Tables, load_corpus, save_corpus
    from corpusutils.derived import save_tables
    from corpusutils.report import CLEANED_CORPUS, _load_once

    corpus = work / "corpus"
    if not (corpus / "manifest.csv").is_file():
        _timed(f"make_corpus ({n:,} articles)", lambda: make_corpus(corpus, n, heavy=heavy))
    cleaned = work / CLEANED_CORPUS
    if not cleaned.is_file():
        docs = _timed("load, clean and flag duplicates (the builder)", lambda: _load_once(
            corpus, BY))
        save_corpus(docs, cleaned)
    # Tables saved by an earlier run are read back (and kept) when they still apply.
    tables = Tables(load_corpus(cleaned), by=BY, story="auto", saved_beside=cleaned)
    _timed("derived tables (the builder, once for every notebook)",
           lambda: save_tables(tables, cleaned))
    return cleaned


def _keyness(cleaned: Path, sample: int) -> None:
    from corpusutils import canonicalize_names, keyness, load_corpus, name_variants

    docs = load_corpus(cleaned)
    named = canonicalize_names(docs, variants=name_variants(docs, by=BY))
    _timed("keyness, every desk in one call", lambda: keyness(named, by=BY))
    desks = docs[BY].unique()
    started = time.perf_counter()
    for desk in desks[:sample]:
        keyness(named, desk, by=BY)
    each = (time.perf_counter() - started) / sample
    print(f"keyness, one call per desk: {each:.1f} s a call, so about {each * len(desks):.0f} s "
          f"for the {len(desks)} desks ({_load()})", flush=True)


def _notebook(cleaned: Path, work: Path) -> None:
    """Notebook 05 as ``make report`` runs it, then the time of each of its code cells."""
    from corpusutils import load_corpus
    from corpusutils.report import _Job, _prepared, _run_job

    docs = load_corpus(cleaned)
    print(f"{len(docs):,} articles in {docs[BY].nunique()} desks", flush=True)
    staging = Path(tempfile.mkdtemp(prefix="report-", dir=work))
    (staging / "figures").mkdir()
    (staging / "notebooks").mkdir()
    parameters = {"corpus": str(cleaned), "output_dir": str(staging), "by": BY,
                  "min_articles": 1, "min_sentences": 10, "story": "auto"}
    job = _Job(NOTEBOOK, parameters, staging, cleaned, "python3", _prepared(NOTEBOOK, docs, BY))
    cpu = _children_cpu()
    _timed("notebook 05-wording by desk, through the report builder", lambda: _run_job(job))
    print(f"  CPU time of its kernel: {_children_cpu() - cpu:.1f} s", flush=True)
    executed = json.loads((staging / "notebooks" / NOTEBOOK.name).read_text("utf-8"))
    for cell in executed["cells"]:
        seconds = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if cell["cell_type"] == "code" and seconds is not None:
            first = next((line for line in "".join(cell["source"]).splitlines()
                          if line.strip() and not line.startswith(("#", "%"))), "")
            print(f"  {seconds:6.1f} s  {first[:80]}")
    print(f"  the page: {staging / '05-wording.html'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--folder", type=Path, default=None, help="keep the corpus here")
    parser.add_argument("--heavy", action="store_true", help="one story recurring everywhere")
    parser.add_argument("--sample", type=int, default=0, help="desks timed one keyness call each")
    args = parser.parse_args()
    print(f"start ({_load()})", flush=True)
    work = Path(args.folder or tempfile.mkdtemp(prefix="bench-groups-"))
    work.mkdir(parents=True, exist_ok=True)
    cleaned = _prepare(work, args.n, args.heavy)
    if args.sample:
        _keyness(cleaned, args.sample)
    _notebook(cleaned, work)


if __name__ == "__main__":
    main()
