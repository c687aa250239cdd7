"""corpusutils' VADER scorer against the reference: equal scores, and sentences per second.

Run by hand from the repository root::

    .venv/bin/python benchmarks/bench_vader.py              # 100,000 sentences
    .venv/bin/python benchmarks/bench_vader.py --n 20000    # quicker

What it does:

* Builds the sentence corpus of ``vader_sentences.py`` (real news sentences from
  ``../shared/peer``, the scale benchmark's synthetic corpus, and variants of both that put
  each VADER rule to work: capitals, negations, "but", boosters, emoticons and emoji, "!" and
  "?", special phrases). Not timed.
* Equality: every sentence scored by ``vaderSentiment``'s ``polarity_scores`` and by
  ``corpusutils.vader.polarity_scores``; all four numbers must be equal (``==`` on floats, no
  tolerance). Mismatches are counted per kind of sentence and the first few are printed; the
  exit status is 1 if there is any.
* Speed, one process, one core: each scorer over the whole list, ``--repeat`` times in
  alternation (the fastest run of each is kept, so that a burst of load on the shared machine
  hurts both alike); then the library's way, each distinct sentence scored once. The load
  average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vader_sentences import vader_sentences  # noqa: E402

from corpusutils.resources import vader_analyzer  # noqa: E402
from corpusutils.vader import polarity_scores  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def check(corpus: list[tuple[str, str]]) -> int:
    """Number of sentences whose scores differ from the reference (printed per kind)."""
    reference = vader_analyzer().polarity_scores
    mismatches: dict[str, int] = {}
    counts: dict[str, int] = {}
    shown = 0
    for kind, sentence in corpus:
        counts[kind] = counts.get(kind, 0) + 1
        expected, got = reference(sentence), polarity_scores(sentence)
        if expected != got:
            mismatches[kind] = mismatches.get(kind, 0) + 1
            if shown < 5:
                print(f"  MISMATCH {sentence!r}\n    reference {expected}\n    ours      {got}")
                shown += 1
    for kind, n in counts.items():
        print(f"  {kind:10s} {n:8,d} sentences, {mismatches.get(kind, 0):,d} differ")
    return sum(mismatches.values())


def _time(score, sentences: list[str]) -> float:
    started = time.perf_counter()
    for sentence in sentences:
        score(sentence)
    return time.perf_counter() - started


def _distinct_once(sentences: list[str]) -> None:
    scored = {s: polarity_scores(s) for s in dict.fromkeys(sentences)}
    [scored[s] for s in sentences]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="sentences (default 100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each scorer")
    args = parser.parse_args(argv)

    corpus = vader_sentences(args.n)
    sentences = [s for _, s in corpus]
    print(f"{len(sentences):,} sentences ({len(set(sentences)):,} distinct); load {_load()}")

    print("equality with vaderSentiment (neg, neu, pos, compound; exact):")
    differ = check(corpus)
    print(f"  {len(sentences) - differ:,} of {len(sentences):,} equal")

    reference = vader_analyzer().polarity_scores
    best = {"reference": float("inf"), "corpusutils": float("inf")}
    for _ in range(args.repeat):
        best["reference"] = min(best["reference"], _time(reference, sentences))
        best["corpusutils"] = min(best["corpusutils"], _time(polarity_scores, sentences))
    started = time.perf_counter()
    _distinct_once(sentences)
    once = time.perf_counter() - started

    n = len(sentences)
    print(f"speed, one core (fastest of {args.repeat}; load after {_load()}):")
    print(f"  {'scorer':44s} {'seconds':>8s} {'sentences/s':>12s} {'x reference':>12s}")
    rows = [
        ("vaderSentiment polarity_scores, every sentence", best["reference"]),
        ("corpusutils.vader, every sentence", best["corpusutils"]),
        ("corpusutils.vader, each distinct sentence once", once),
    ]
    for name, seconds in rows:
        speedup = best["reference"] / seconds
        print(f"  {name:44s} {seconds:8.2f} {n / seconds:12,.0f} {speedup:12.2f}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
