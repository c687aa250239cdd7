"""Every analysis on a large corpus: articles per second and peak memory, against naive loops.

Run by hand from the repository root::

    .venv/bin/python benchmarks/bench_scale.py                 # 10,000 articles
    .venv/bin/python benchmarks/bench_scale.py --n 1000        # quick mode
    .venv/bin/python benchmarks/bench_scale.py --stages readability,sentence_sentiment

What it does:

* Builds the corpus with ``make_corpus.py`` (seed sentences recombined, numbers and name
  spellings varied, the furniture of each agency) as a folder of .txt files with a
  manifest.csv in a temporary folder, so that loading is timed too. Not timed itself.
* Runs every stage in a fresh child process. The child prepares the stage's input untimed
  (the cleaned docs are read from a Parquet file that the ``clean`` stage writes), then times
  the one call with ``time.perf_counter``.
* Memory: the proportional set size (PSS) of the child and of every process it starts (the
  ``map_texts`` worker processes), summed, sampled every 20 ms during the call. Shared pages
  are split between the processes that share them, so the sum is the physical memory in use.
  "peak MiB" is the highest sample minus the sum just before the call: what the stage adds,
  workers included. tracemalloc is not used: it sees neither worker processes nor memory
  outside Python's allocator, and it slows allocation-heavy code.
* Workers: ``map_texts`` reads ``CORPUSUTILS_WORKERS``. Each stage runs with the most workers
  asked for (``--workers``, default "2,1"); a stage that started worker processes is run again
  with each smaller number. The ``workers`` column is what the stage actually used.
* Naive loops, one process, what a researcher would write without the library: ``ftfy.fix_text``
  per raw document (against ``clean``), the seven textstat formulas per document (against
  ``readability``), and ``SentimentIntensityAnalyzer.polarity_scores`` per sentence of
  ``corpusutils.text.split_sentences`` (against ``sentence_sentiment``). ``naive/ours`` above 1
  means the library is faster. The readability and sentiment results are compared value by
  value and a check line is printed; cleaning does far more than ftfy, so its check counts the
  mojibake left by each.
* ``vader_scorer``: the naive sentiment loop with ``corpusutils.vader.polarity_scores`` (VADER's
  rules rewritten for speed) in place of vaderSentiment's, one process: the scorer alone
  against the reference on the same sentences, every compound score compared exactly.

The machine is shared: the load average before and after each stage is printed with the
table, so noisy numbers can be recognised.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpusutils.readability import FORMULAS

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: The seven textstat formulas the naive readability loop calls: those corpusutils reports.
TEXTSTAT_FORMULAS = FORMULAS
SAMPLE_SECONDS = 0.02
RESULT_PREFIX = "RESULT "


# --- memory of a process tree ------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return out
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out.extend(int(p) for p in handle.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def _tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(_children(current))
    return found


def _pss_kib(pid: int) -> int:
    """Proportional set size of one process (RSS where smaps_rollup is missing), in KiB."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return 0


def memory_kind() -> str:
    return "PSS" if os.path.exists("/proc/self/smaps_rollup") else "RSS"


class TreeSampler:
    """Samples the summed PSS of this process and its descendants in a background thread.

    Above ``cap_kib`` it kills the descendants and ends this process, so that a stage that
    explodes cannot take the shared machine down with it.
    """

    def __init__(self, cap_kib: int, on_cap: Callable[[int], None]) -> None:
        self.cap_kib = cap_kib
        self.on_cap = on_cap
        self.peak_kib = 0
        self.max_processes = 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        pids = _tree(os.getpid())
        self.max_processes = max(self.max_processes, len(pids))
        total = sum(_pss_kib(p) for p in pids)
        self.peak_kib = max(self.peak_kib, total)
        if total > self.cap_kib:
            self.on_cap(total)
        return total

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.sample()

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# --- stages (run in the child process) -----------------------------------------------------


@dataclass
class Inputs:
    folder: Path
    work: Path
    _raw: Any = None
    _clean: Any = None

    def raw(self) -> Any:
        if self._raw is None:
            from corpusutils.load import load_corpus

            self._raw = load_corpus(self.folder, clean=False, progress=False)
        return self._raw

    def clean(self) -> Any:
        if self._clean is None:
            import pandas as pd

            self._clean = pd.read_parquet(self.work / "clean.parquet")
        return self._clean


@dataclass
class Stage:
    name: str
    #: Untimed: returns the arguments of the timed call.
    setup: Callable[[Inputs], tuple]
    #: Timed: the call itself.
    run: Callable[..., Any]
    #: Untimed: writes what the checks compare (or nothing).
    save: Callable[[Any, Inputs], None] | None = None
    #: The library stage(s) this naive loop is the baseline of.
    naive_of: str | tuple[str, ...] | None = None

    def baseline_of(self) -> tuple[str, ...]:
        if self.naive_of is None:
            return ()
        return (self.naive_of,) if isinstance(self.naive_of, str) else self.naive_of


def _scalar_columns(docs: Any) -> Any:
    """The docs columns Parquet can hold as they are (lists of dicts per row are left out)."""
    keep = [c for c in docs.columns if not docs[c].map(lambda v: isinstance(v, list | dict)).any()]
    return docs[keep]


def _save_clean(docs: Any, inputs: Inputs) -> None:
    _scalar_columns(docs).to_parquet(inputs.work / "clean.parquet")


def _save_frame(name: str, columns: list[str] | None = None) -> Callable[[Any, Inputs], None]:
    def save(frame: Any, inputs: Inputs) -> None:
        import pandas as pd

        out = frame if columns is None else frame[columns]
        pd.DataFrame(out).to_parquet(inputs.work / f"{name}.parquet")

    return save


def _lib(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported when the stage runs (in its own process, so it is measured)."""
    import importlib

    return getattr(importlib.import_module(module), name)


def _naive_clean(texts: list[str]) -> list[str]:
    import ftfy

    return [ftfy.fix_text(text) for text in texts]


def _naive_readability(texts: list[str]) -> list[tuple[float, ...]]:
    import textstat

    from corpusutils.resources import ensure_cmudict

    ensure_cmudict()
    return [tuple(getattr(textstat, name)(text) for name in TEXTSTAT_FORMULAS) for text in texts]


def _naive_sentiment(texts: list[str]) -> list[list[float]]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from corpusutils.text import split_sentences

    analyzer = SentimentIntensityAnalyzer()
    return [
        [analyzer.polarity_scores(text[a:b])["compound"] for a, b in split_sentences(text)]
        for text in texts
    ]


def _vader_scorer(texts: list[str]) -> list[list[float]]:
    """The naive loop with corpusutils' VADER scorer in place of vaderSentiment's."""
    from corpusutils.text import split_sentences
    from corpusutils.vader import polarity_scores

    return [
        [polarity_scores(text[a:b])["compound"] for a, b in split_sentences(text)]
        for text in texts
    ]


def _save_compounds(name: str) -> Callable[[list[list[float]], Inputs], None]:
    def save(scores: list[list[float]], inputs: Inputs) -> None:
        import pandas as pd

        pd.DataFrame({"compound": [c for doc in scores for c in doc]}).to_parquet(
            inputs.work / f"{name}.parquet"
        )

    return save


def _save_naive_texts(name: str) -> Callable[[Any, Inputs], None]:
    def save(texts: list[str], inputs: Inputs) -> None:
        import pandas as pd

        docs = inputs.raw() if name == "naive_clean" else inputs.clean()
        pd.DataFrame({"doc_id": docs["doc_id"], "text": texts}).to_parquet(
            inputs.work / f"{name}.parquet"
        )

    return save


def _save_naive_readability(rows: list[tuple[float, ...]], inputs: Inputs) -> None:
    import pandas as pd

    out = pd.DataFrame(rows, columns=list(TEXTSTAT_FORMULAS))
    out.insert(0, "doc_id", inputs.clean()["doc_id"].to_numpy())
    out.to_parquet(inputs.work / "naive_readability.parquet")


def _save_naive_sentiment(scores: list[list[float]], inputs: Inputs) -> None:
    import pandas as pd

    from corpusutils.text import split_sentences

    docs = inputs.clean()
    texts = [text[a:b] for text in _texts(docs) for a, b in split_sentences(text)]
    ids = docs["doc_id"].tolist()
    pd.DataFrame(
        {
            "doc_id": [d for d, doc in zip(ids, scores, strict=True) for _ in doc],
            "sentence": [i for doc in scores for i in range(len(doc))],
            "text": texts,
            "compound": [c for doc in scores for c in doc],
        }
    ).to_parquet(inputs.work / "naive_sentiment.parquet")


def _texts(docs: Any, column: str = "text") -> list[str]:
    return [t if isinstance(t, str) else "" for t in docs[column]]


def _reuse_top_pairs(inputs: Inputs) -> tuple:
    """Setup of shared_passages: the 200 pairs sharing most n-grams (found untimed)."""
    reuse = _lib("corpusutils.wording", "reuse")
    docs = inputs.clean()
    return (docs, reuse(docs, by="doc_id").head(200))


def _align_setup(inputs: Inputs) -> tuple:
    docs = inputs.clean()
    return (docs, _lib("corpusutils.quotes", "quotes")(docs))


def _keyness_setup(inputs: Inputs) -> tuple:
    return (inputs.clean(), "AP")


def clean_docs(inputs: Inputs) -> tuple:
    return (inputs.clean(),)


def stages() -> dict[str, Stage]:
    """Every stage, in the order they run; a stage whose function is missing reports so."""
    listed = [
        Stage(
            "load",
            lambda inputs: (inputs.folder,),
            lambda folder: _lib("corpusutils.load", "load_corpus")(
                folder, clean=False, progress=False
            ),
        ),
        Stage(
            "clean",
            lambda inputs: (inputs.raw(),),
            lambda docs: _lib("corpusutils.clean", "clean_corpus")(docs),
            _save_clean,
        ),
        Stage(
            "naive_clean",
            lambda inputs: (_texts(inputs.raw(), "raw_text"),),
            _naive_clean,
            _save_naive_texts("naive_clean"),
            naive_of="clean",
        ),
        Stage("sentences", clean_docs, lambda d: _lib("corpusutils.text", "sentences")(d)),
        Stage(
            "readability",
            clean_docs,
            lambda d: _lib("corpusutils.readability", "readability")(d),
            _save_frame("readability", ["doc_id", *TEXTSTAT_FORMULAS]),
        ),
        Stage(
            "naive_readability",
            lambda inputs: (_texts(inputs.clean()),),
            _naive_readability,
            _save_naive_readability,
            naive_of="readability",
        ),
        Stage(
            "sentence_sentiment",
            clean_docs,
            lambda d: _lib("corpusutils.sentiment", "sentence_sentiment")(d),
            _save_frame("sentence_sentiment", ["doc_id", "sentence", "text", "compound"]),
        ),
        Stage(
            "vader_scorer",
            lambda inputs: (_texts(inputs.clean()),),
            _vader_scorer,
            _save_compounds("vader_scorer"),
        ),
        Stage(
            "naive_sentiment",
            lambda inputs: (_texts(inputs.clean()),),
            _naive_sentiment,
            _save_naive_sentiment,
            naive_of=("sentence_sentiment", "vader_scorer"),
        ),
        Stage(
            "sentiment_by_doc",
            clean_docs,
            lambda d: _lib("corpusutils.sentiment", "sentiment")(d, by="doc_id"),
        ),
        Stage(
            "actor_sentiment",
            clean_docs,
            lambda d: _lib("corpusutils.sentiment", "actor_sentiment")(d),
        ),
        Stage(
            "sentiment_drivers",
            clean_docs,
            lambda d: _lib("corpusutils.sentiment", "sentiment_drivers")(d),
        ),
        Stage("frames", clean_docs, lambda d: _lib("corpusutils.framing", "frames")(d)),
        Stage(
            "frames_by_doc",
            clean_docs,
            lambda d: _lib("corpusutils.framing", "frames")(d, by="doc_id"),
        ),
        Stage("term_choice", clean_docs, lambda d: _lib("corpusutils.framing", "term_choice")(d)),
        Stage(
            "distinctive_terms",
            clean_docs,
            lambda d: _lib("corpusutils.wording", "distinctive_terms")(d),
        ),
        Stage(
            "keyness",
            _keyness_setup,
            lambda d, target: _lib("corpusutils.wording", "keyness")(d, target),
        ),
        Stage("kwic", clean_docs, lambda d: _lib("corpusutils.wording", "kwic")(d, "war")),
        Stage(
            "name_variants", clean_docs, lambda d: _lib("corpusutils.names", "name_variants")(d)
        ),
        Stage(
            "canonicalize_names",
            clean_docs,
            lambda d: _lib("corpusutils.names", "canonicalize_names")(d),
        ),
        Stage("quotes", clean_docs, lambda d: _lib("corpusutils.quotes", "quotes")(d)),
        Stage(
            "align_quotes",
            _align_setup,
            lambda d, found: _lib("corpusutils.quotes", "align_quotes")(d, found=found),
        ),
        Stage("reuse", clean_docs, lambda d: _lib("corpusutils.wording", "reuse")(d)),
        Stage(
            "shared_passages",
            _reuse_top_pairs,
            lambda d, pairs: _lib("corpusutils.wording", "shared_passages")(d, pairs),
        ),
    ]
    return {stage.name: stage for stage in listed}


def _count_pools() -> dict[str, int]:
    """Record the process pools that corpusutils.parallel starts (and their size)."""
    import corpusutils.parallel as parallel

    seen = {"pools": 0, "max_workers": 0}
    original = parallel.ProcessPoolExecutor

    class CountingPool(original):  # type: ignore[misc, valid-type]
        def __init__(self, max_workers: int | None = None, *args: Any, **kwargs: Any) -> None:
            seen["pools"] += 1
            seen["max_workers"] = max(seen["max_workers"], max_workers or 0)
            super().__init__(max_workers, *args, **kwargs)

    parallel.ProcessPoolExecutor = CountingPool
    return seen


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers), in seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_child(name: str, work: Path, cap_mib: int) -> dict[str, Any]:
    """Run one stage in this (child) process and return its measurements."""
    stage = stages()[name]
    inputs = Inputs(folder=work / "corpus", work=work)
    result: dict[str, Any] = {"stage": name}
    try:
        pools = _count_pools()
        args = stage.setup(inputs)
        articles = len(args[0]) if not isinstance(args[0], Path) else None
        gc.collect()

        def over_cap(total_kib: int) -> None:
            for pid in _tree(os.getpid())[1:]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            print(
                RESULT_PREFIX
                + json.dumps({"stage": name, "error": f"stopped at {total_kib // 1024} MiB"}),
                flush=True,
            )
            os._exit(3)

        sampler = TreeSampler(cap_mib * 1024, over_cap)
        baseline = sampler.sample()
        sampler.peak_kib = baseline
        cpu_before = _cpu_seconds()
        with sampler:
            start = time.perf_counter()
            out = stage.run(*args)
            seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu_before
        if articles is None:
            articles = len(out)
        result.update(
            seconds=seconds,
            cpu_seconds=cpu,
            articles=articles,
            rows=len(out) if hasattr(out, "__len__") else None,
            peak_mib=(sampler.peak_kib - baseline) / 1024,
            baseline_mib=baseline / 1024,
            processes=sampler.max_processes,
            pools=pools["pools"],
            pool_workers=pools["max_workers"],
        )
        if stage.save is not None:
            stage.save(out, inputs)
    except Exception as error:  # a failing stage is reported, and the others still run
        traceback.print_exc()
        result["error"] = f"{type(error).__name__}: {error}"[:300]
    return result


# --- the parent: build, run the children, check, print ---------------------------------------


def _spawn(name: str, work: Path, workers: int, cap_mib: int, timeout: float) -> dict[str, Any]:
    env = dict(os.environ, CORPUSUTILS_WORKERS=str(workers))
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name,
               "--work", str(work), "--mem-cap-mib", str(cap_mib)]
    load_before = os.getloadavg()[0]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"stage": name, "workers_env": workers, "error": f"timed out after {timeout:.0f} s"}
    result: dict[str, Any] = {"stage": name, "error": f"child exited {process.returncode}"}
    for line in stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    if "error" in result and stderr.strip():
        result["stderr"] = "\n".join(stderr.strip().splitlines()[-6:])
    result["workers_env"] = workers
    result["load"] = (load_before, os.getloadavg()[0])
    return result


def _best_of(repeat: int, name: str, work: Path, workers: int, args: argparse.Namespace) -> dict:
    """The fastest of ``repeat`` runs (other work on the machine only ever slows a run down)."""
    runs = []
    for _ in range(max(1, repeat)):
        result = _spawn(name, work, workers, args.mem_cap_mib, args.timeout)
        if "error" in result:
            return result
        runs.append(result)
    best = min(runs, key=lambda r: r["seconds"])
    best["slowest"] = max(r["seconds"] for r in runs)
    best["load"] = (min(min(r["load"]) for r in runs), max(max(r["load"]) for r in runs))
    return best


def _workers_used(result: dict[str, Any]) -> int:
    return max(1, result.get("pool_workers") or 0, result.get("processes", 1) - 1)


def _fmt(value: Any, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def check_results(work: Path) -> list[str]:
    """Compare the library's results with the naive loops' (where both ran)."""
    import numpy as np
    import pandas as pd

    lines = []

    def have(*names: str) -> bool:
        return all((work / f"{n}.parquet").exists() for n in names)

    if have("readability", "naive_readability"):
        ours = pd.read_parquet(work / "readability.parquet").set_index("doc_id")
        naive = pd.read_parquet(work / "naive_readability.parquet").set_index("doc_id")
        ours = ours.loc[naive.index, list(TEXTSTAT_FORMULAS)].to_numpy(dtype=float)
        theirs = naive[list(TEXTSTAT_FORMULAS)].to_numpy(dtype=float)
        same = np.isclose(ours, theirs, rtol=0, atol=1e-9, equal_nan=True)
        worst = np.nanmax(np.abs(ours - theirs)) if ours.size else 0.0
        verdict = "OK" if same.all() else "MISMATCH"
        lines.append(
            f"check readability: {verdict}: {same.size:,} values (7 textstat formulas x "
            f"{len(naive):,} docs), {int((~same).sum())} differ, max |ours - loop| = {worst:.3g}"
        )
    if have("sentence_sentiment", "naive_sentiment"):
        lines.append(_check_sentiment(work))
    if have("vader_scorer", "naive_sentiment"):
        ours = pd.read_parquet(work / "vader_scorer.parquet")["compound"].to_numpy()
        loop = pd.read_parquet(work / "naive_sentiment.parquet")["compound"].to_numpy()
        differ = int((ours != loop).sum()) if len(ours) == len(loop) else -1
        verdict = "OK" if differ == 0 else "MISMATCH"
        lines.append(
            f"check vader_scorer: {verdict}: {len(loop):,} sentences as written, {differ} "
            "compound scores differ from vaderSentiment's (exact comparison)"
        )
    if have("clean", "naive_clean"):
        import ftfy

        ours = pd.read_parquet(work / "clean.parquet")
        naive = pd.read_parquet(work / "naive_clean.parquet")
        thai = r"[\u0e00-\u0e7f]"  # the seed's cp874 mojibake ("Tokรกyev")
        ours_left = int(ours["text"].str.contains(thai, regex=True).sum())
        naive_left = int(naive["text"].str.contains(thai, regex=True).sum())
        ftfy_more = sum(ftfy.fix_encoding(t) != t for t in ours["text"] if isinstance(t, str))
        lines.append(
            f"check clean: docs with cp874 mojibake left: ours {ours_left:,}, ftfy.fix_text loop "
            f"{naive_left:,}; docs where ftfy.fix_encoding still changes our text: {ftfy_more:,}"
        )
    return lines


#: Typographic quotes and apostrophes, and the ASCII forms sentence_sentiment scores them as
#: by default (``fold_quotes=True``, see corpusutils.sentiment); the naive loop does not fold.
TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                             "‘": "'", "’": "'", "‚": "'"})


def _check_sentiment(work: Path) -> str:
    """Same sentences; scores equal to VADER's on the sentence, with typographic quotes folded.

    Where a sentence has no typographic quote the library's score must equal the naive loop's;
    where it has one, it must equal VADER's score of the folded sentence (computed here).
    """
    import numpy as np
    import pandas as pd
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    ours = pd.read_parquet(work / "sentence_sentiment.parquet")
    naive = pd.read_parquet(work / "naive_sentiment.parquet")
    merged = ours.merge(naive, on=["doc_id", "sentence"], how="outer",
                        suffixes=("_ours", "_loop"), indicator=True)
    both = merged[merged["_merge"] == "both"]
    unmatched = int((merged["_merge"] != "both").sum())
    other_text = int((both["text_ours"] != both["text_loop"]).sum())
    folded = both["text_loop"].map(lambda t: t.translate(TYPOGRAPHIC))
    typographic = (folded != both["text_loop"]).to_numpy()
    expected = both["compound_loop"].to_numpy(dtype=float).copy()
    analyzer = SentimentIntensityAnalyzer()
    expected[typographic] = [analyzer.polarity_scores(t)["compound"]
                             for t in folded[typographic]]
    diff = np.abs(both["compound_ours"].to_numpy(dtype=float) - expected)
    bad = int((diff >= 1e-12).sum())
    moved = int((both["compound_ours"] != both["compound_loop"]).sum())
    verdict = "OK" if unmatched == 0 and other_text == 0 and bad == 0 else "MISMATCH"
    return (
        f"check sentiment: {verdict}: {len(ours):,} sentences (loop: {len(naive):,}), "
        f"{unmatched} without a partner, {other_text} with other text; {bad} compound scores "
        f"differ from VADER's (max {diff.max() if len(diff) else 0.0:.3g}); "
        f"{int(typographic.sum()):,} sentences have typographic quotes, scored folded to ASCII,"
        f" which changes {moved:,} scores against the as-written loop"
    )


def _corpus_facts(folder: Path) -> str:
    files = list(folder.glob("*.txt"))
    size = sum(f.stat().st_size for f in files)
    return f"{len(files):,} files, {size / 2**20:.1f} MiB of UTF-8"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (1000 for a quick run)")
    parser.add_argument("--stages", default="all", help="comma-separated names, or 'all'")
    parser.add_argument("--workers", default="2,1", help="worker counts to try, e.g. 2,1 or 2")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heavy", action="store_true",
                        help="one story with the seed sentences as they are: worst case for reuse")
    parser.add_argument("--mem-cap-mib", type=int, default=8192,
                        help="a stage whose process tree goes above this is stopped")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each stage this many times and keep the fastest")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per stage")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--list", action="store_true", help="list the stages and exit")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(RESULT_PREFIX + json.dumps(run_child(args.child, args.work, args.mem_cap_mib)),
              flush=True)
        return
    available = stages()
    if args.list:
        print("\n".join(available))
        return
    wanted = list(available) if args.stages == "all" else args.stages.split(",")
    unknown = [s for s in wanted if s not in available]
    if unknown:
        parser.error(f"unknown stage(s) {unknown}; --list shows them")
    # Naive loops run with their stage; every stage after loading needs the cleaned docs.
    for name in list(wanted):
        for naive in (s.name for s in available.values() if name in s.baseline_of()):
            if naive not in wanted:
                wanted.append(naive)
    needs_clean = any(s not in ("load", "clean", "naive_clean") for s in wanted)
    order = [s for s in available if s in wanted or (s == "clean" and needs_clean)]
    counts = sorted({int(w) for w in args.workers.split(",")}, reverse=True)

    from make_corpus import make_corpus

    with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
        work = Path(tmp)
        folder = work / "corpus"
        if args.keep:
            folder = args.keep
            (work / "corpus").symlink_to(folder.resolve(), target_is_directory=True)
        start = time.perf_counter()
        make_corpus(folder, args.n, seed=args.seed, heavy=args.heavy)
        kind = "one story, heavy reuse" if args.heavy else "stories"
        print(f"corpus: {_corpus_facts(folder)} ({kind}, seed {args.seed}) built in "
              f"{time.perf_counter() - start:.1f} s; stages: {', '.join(order)}", flush=True)
        results: list[dict[str, Any]] = []
        for name in order:
            naive = available[name].naive_of is not None
            for k, workers in enumerate([1] if naive else counts):
                result = _best_of(args.repeat, name, work, workers, args)
                result["shown"] = name in wanted
                results.append(result)
                _progress(result)
                if "error" in result or k == 0 and _workers_used(result) == 1:
                    break  # a stage that did not start workers gains nothing from fewer
            if name == "clean" and not (work / "clean.parquet").exists():
                print("cleaning failed: the later stages need the cleaned docs", flush=True)
                break
        checks = check_results(work)
    _print_table(results, args, checks)


def _progress(result: dict[str, Any]) -> None:
    if "error" in result:
        print(f"  {result['stage']}: {result['error']}", flush=True)
        if result.get("stderr"):
            print(textwrap.indent(result["stderr"], "    | "), flush=True)
    else:
        print(f"  {result['stage']} (workers {_workers_used(result)}): "
              f"{result['seconds']:.2f} s, {result['peak_mib']:.0f} MiB", flush=True)


def _print_table(results: list[dict[str, Any]], args: argparse.Namespace, checks: list[str]):
    naive = {
        of: r
        for r in results
        if "error" not in r
        for of in stages()[r["stage"]].baseline_of()
    }
    header = (f"{'stage':<20} {'workers':>7} {'articles':>9} {'seconds':>9} {'articles/s':>11} "
              f"{'peak MiB':>9} {'naive s':>9} {'naive/ours':>10} {'cpu s':>8} {'cpu ratio':>9} "
              f"{'out rows':>10}")
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        if not r.get("shown"):
            continue
        if "error" in r:
            print(f"{r['stage']:<20} {'':>7} {'':>9} {r['error'][:60]}")
            continue
        loop = naive.get(r["stage"])
        naive_s = loop["seconds"] if loop else None
        ratio = naive_s / r["seconds"] if loop and r["seconds"] else None
        cpu_ratio = loop["cpu_seconds"] / r["cpu_seconds"] if loop and r["cpu_seconds"] else None
        print(
            f"{r['stage']:<20} {_workers_used(r):>7} {r['articles']:>9,} {r['seconds']:>9.2f} "
            f"{r['articles'] / r['seconds']:>11,.0f} {r['peak_mib']:>9.0f} "
            f"{_fmt(naive_s, '9.2f'):>9} {_fmt(ratio, '10.2f'):>10} {r['cpu_seconds']:>8.1f} "
            f"{_fmt(cpu_ratio, '9.2f'):>9} {_fmt(r['rows'], ',d'):>10}"
        )
    print()
    for line in checks:
        print(line)
    loads = [r["load"] for r in results if "load" in r]
    if loads:
        low = min(min(x) for x in loads)
        high = max(max(x) for x in loads)
        print(f"load average (1 min) during the run: {low:.2f} to {high:.2f} on "
              f"{os.cpu_count()} cores")
    print("naive/ours: the naive loop's wall seconds over ours (above 1: the library is faster)")
    print("cpu s: CPU seconds of the stage's process tree (workers included), less sensitive than")
    print("  wall time to other work on the machine; cpu ratio: the naive loop's over ours")
    print(f"memory: {memory_kind()} of the stage's process tree (workers included), peak minus "
          f"the value before the call, sampled every {SAMPLE_SECONDS * 1000:.0f} ms")
    print(f"python {platform.python_version()}, {platform.machine()}, n={args.n:,}, "
          f"seed={args.seed}, corpus: {'one story (heavy reuse)' if args.heavy else 'stories'}, "
          f"each stage the fastest of {args.repeat} run(s)")


if __name__ == "__main__":
    main()
