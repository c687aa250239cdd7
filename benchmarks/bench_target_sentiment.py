"""Sentiment toward a target, against human judgements (NewsMTSC's development splits).

    .venv/bin/python benchmarks/bench_target_sentiment.py [--data ../shared/peer/newsmtsc]

For ``rw-dev.jsonl`` (real-world distribution) and ``mt-dev.jsonl`` (sentences with two or
more targets), side by side in one run:

* ``target_sentiment``: corpusutils' measure (fitted on ``rw-train.jsonl`` only);
* ``VADER sentence``: the reference VADER compound score of the whole sentence, blind to the
  target, positive at +0.05 or more, negative at -0.05 or less (typographic quotes given as
  straight ones, as corpusutils.sentence_sentiment does, with the same scorer);
* ``majority``: always the most frequent label of the training split.

Prints macro-F1 (mean of the three per-class F1 scores, x100) and accuracy, and the confusion
matrix of each (rows: the annotators' label; columns: the measure's).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from corpusutils import vader
from corpusutils.sentiment import NEGATIVE_BELOW, POSITIVE_ABOVE
from corpusutils.targeted import CLASSES, target_sentiment

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "peer" / "newsmtsc"
NAMES = {-1: "negative", 0: "neutral", 1: "positive"}
_ASCII = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def read_split(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for c in CLASSES:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return 100 * sum(scores) / len(scores)


def accuracy(gold: list[str], pred: list[str]) -> float:
    return 100 * sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def confusion(gold: list[str], pred: list[str]) -> str:
    counts = Counter(zip(gold, pred, strict=True))
    head = "annotators \\ measure".ljust(22) + "".join(c.rjust(10) for c in CLASSES)
    lines = [head]
    for g in CLASSES:
        lines.append(g.ljust(22) + "".join(str(counts[(g, p)]).rjust(10) for p in CLASSES))
    return "\n".join(lines)


def vader_label(text: str) -> str:
    compound = vader.polarity_scores(text.translate(_ASCII))["compound"]
    if compound >= POSITIVE_ABOVE:
        return "positive"
    if compound <= NEGATIVE_BELOW:
        return "negative"
    return "neutral"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not (args.data / "rw-train.jsonl").exists():
        sys.exit(f"{args.data}: NewsMTSC splits not found (see PROVENANCE.md there)")
    train = read_split(args.data / "rw-train.jsonl")
    majority = NAMES[Counter(r["polarity"] for r in train).most_common(1)[0][0]]
    print(f"majority label of rw-train.jsonl: {majority}")
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared: timings are rough)\n")
    summary = []
    for split in ("rw-dev", "mt-dev"):
        rows = read_split(args.data / f"{split}.jsonl")
        gold = [NAMES[r["polarity"]] for r in rows]
        started = time.perf_counter()
        scored = target_sentiment([r["sentence"] for r in rows],
                                  [(r["from"], r["to"]) for r in rows])
        seconds = time.perf_counter() - started
        measures = {
            "target_sentiment": scored["label"].tolist(),
            "VADER sentence": [vader_label(r["sentence"]) for r in rows],
            "majority": [majority] * len(rows),
        }
        print(f"== {split} ({len(rows)} targets; target_sentiment took {seconds:.2f} s)")
        for name, pred in measures.items():
            f1, acc = macro_f1(gold, pred), accuracy(gold, pred)
            summary.append((split, name, f1, acc))
            print(f"\n{name}: macro-F1 {f1:.1f}, accuracy {acc:.1f}")
            print(confusion(gold, pred))
        print()
    print("| split | measure | macro-F1 | accuracy |")
    print("|---|---|---:|---:|")
    for split, name, f1, acc in summary:
        print(f"| {split} | {name} | {f1:.1f} | {acc:.1f} |")


if __name__ == "__main__":
    main()
