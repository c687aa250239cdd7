"""How well and how fast ``find_stories`` groups articles into stories.

Run by hand: ``.venv/bin/python benchmarks/bench_stories.py [--scale 10000 100000]``.

1. **Agreement** with the topic-day labels of the AllSides same-day corpus (read from
   ``../shared/peer/allsides-sameday/``, never copied here): pairwise precision, recall and F1
   (a pair of articles is "together" in the labels when they share topic and date, and in the
   result when they share a story), over windows of 0 to 2 days and several z values, then the
   disagreements of the default settings, story by story, to read.
2. **Scale**: ``benchmarks/make_corpus.py`` corpora of 10,000 and 100,000 articles (stories of
   3 to 12 articles, each published on its story's day or the next), cleaned once, then
   ``find_stories`` alone in a fresh process: seconds, peak resident memory above the
   process's size before the call, and the agreement with the corpus's true ``event`` column.

Timings on a shared machine are noisy: the load average is printed beside each.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ALLSIDES = ROOT.parent / "shared" / "peer" / "allsides-sameday" / "articles.jsonl"


def pairwise_agreement(truth: np.ndarray, found: np.ndarray) -> dict[str, float]:
    """Pairwise precision, recall and F1 of ``found`` against ``truth`` (counted by groups)."""
    frame = pd.DataFrame({"t": truth, "f": found})

    def together(keys: list[str]) -> int:
        sizes = frame.groupby(keys).size().to_numpy()
        return int((sizes * (sizes - 1) // 2).sum())

    both, in_truth, in_found = together(["t", "f"]), together(["t"]), together(["f"])
    precision = both / in_found if in_found else 1.0
    recall = both / in_truth if in_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs_found": in_found,
            "pairs_truth": in_truth}


def _check_agreement() -> None:
    """The pair counting against a direct loop over all pairs, on a small example."""
    truth = np.array(list("aaabbc"))
    found = np.array(list("xxyyyz"))
    pairs = list(combinations(range(len(truth)), 2))
    tp = sum(truth[i] == truth[j] and found[i] == found[j] for i, j in pairs)
    fp = sum(truth[i] != truth[j] and found[i] == found[j] for i, j in pairs)
    fn = sum(truth[i] == truth[j] and found[i] != found[j] for i, j in pairs)
    got = pairwise_agreement(truth, found)
    assert (got["precision"], got["recall"]) == (tp / (tp + fp), tp / (tp + fn)), got


def allsides(window_days: int, z: float) -> None:
    import corpusutils as cu

    docs = cu.load_corpus(ALLSIDES, text_column="content_original")
    truth = (docs["topic"].astype(str) + " " + docs["date"].astype(str)).to_numpy()
    print(f"AllSides same-day: {len(docs)} articles, {len(set(truth))} topic-days, "
          f"{docs['date'].nunique()} days")
    day_only = pairwise_agreement(truth, docs["date"].astype(str).to_numpy())
    print(f"  baseline 'one story per day': P={day_only['precision']:.3f} "
          f"R={day_only['recall']:.3f} F1={day_only['f1']:.3f}")
    print("  window  z     P      R      F1    stories  seconds  load")
    chosen = None
    for window in (0, 1, 2):
        for zz in (1.645, 2.33, 3.09):
            start = time.perf_counter()
            out = cu.find_stories(docs, window_days=window, z=zz, by="source")
            seconds = time.perf_counter() - start
            got = pairwise_agreement(truth, out["story"].to_numpy())
            print(f"  {window:>6}  {zz:<4}  {got['precision']:.3f}  {got['recall']:.3f}  "
                  f"{got['f1']:.3f}  {out['story'].nunique():>7}  {seconds:7.2f}  "
                  f"{os.getloadavg()[0]:.2f}")
            if window == window_days and zz == z:
                chosen = out
    print(f"  bar: {chosen.attrs['story_source']}")
    _disagreements(chosen, truth)


def _disagreements(out: pd.DataFrame, truth: np.ndarray) -> None:
    """Each topic-day split over several stories, and each story spanning topic-days."""
    out = out.assign(label=truth)
    print("\nTopic-days split over several stories (window and z as chosen):")
    for label, group in out.groupby("label"):
        if group["story"].nunique() > 1:
            print(f"  {label}: {group['story'].nunique()} stories")
            for story, members in group.groupby("story"):
                titles = "; ".join(t[:60] for t in members["title"])
                print(f"    {story} ({len(members)}): {titles}")
    print("\nStories spanning several topic-days:")
    for story, group in out.groupby("story"):
        if group["label"].nunique() > 1:
            print(f"  {story} {group['story_label'].iloc[0]!r}: "
                  + "; ".join(f"{k} ({v})" for k, v in group["label"].value_counts().items()))


def _child(parquet: str) -> None:
    """Run find_stories once on a saved corpus; print seconds and memory as JSON."""
    import corpusutils as cu

    docs = pd.read_parquet(parquet)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_now = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    load = os.getloadavg()[0]
    start = time.perf_counter()
    out = cu.find_stories(docs)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    got = pairwise_agreement(out["event"].to_numpy(), out["story"].to_numpy())
    print(json.dumps({
        "seconds": seconds, "peak_mib_above_start": (peak - rss_now) / 2**20,
        "peak_before_mib": before / 1024, "stories": int(out["story"].nunique()),
        "events": int(out["event"].nunique()), "load": [load, os.getloadavg()[0]],
        "source": out.attrs["story_source"], **got,
    }))


def scale(sizes: list[int], work: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_corpus import make_corpus

    import corpusutils as cu

    print("\nScale (make_corpus, find_stories with its defaults, in a fresh process):")
    print("  articles  seconds  peak MiB  stories  events  P      R      F1     load")
    for n in sizes:
        folder = work / f"corpus-{n}"
        parquet = work / f"stories-{n}.parquet"
        if not parquet.exists():
            make_corpus(folder, n)
            docs = cu.load_corpus(folder)
            columns = ["doc_id", "agency", "published", "headline", "text", "event"]
            docs[columns].to_parquet(parquet)
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(parquet)],
            capture_output=True, text=True, check=True,
        )
        got = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"  {n:>8,}  {got['seconds']:7.1f}  {got['peak_mib_above_start']:8.0f}  "
              f"{got['stories']:>7,}  {got['events']:>6,}  {got['precision']:.3f}  "
              f"{got['recall']:.3f}  {got['f1']:.3f}  {got['load'][0]:.2f}-{got['load'][1]:.2f}")
        print(f"            {got['source']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--window", type=int, default=0,
                        help="window of the disagreements listed (the labels are per day)")
    parser.add_argument("--z", type=float, default=1.645)
    parser.add_argument("--work", type=Path, help="keep the generated corpora here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    _check_agreement()
    if ALLSIDES.exists():
        allsides(args.window, args.z)
    else:
        print(f"skipped the agreement: {ALLSIDES} not found")
    if args.scale:
        if args.work:
            args.work.mkdir(parents=True, exist_ok=True)
            scale(args.scale, args.work)
        else:
            with tempfile.TemporaryDirectory() as work:
                scale(args.scale, Path(work))


if __name__ == "__main__":
    main()
