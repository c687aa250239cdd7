"""The sentence splitter: its errors on the hand-written stress set, and its speed.

Run by hand from the repository root::

    .venv/bin/python benchmarks/bench_sentences.py            # 10,000 documents
    .venv/bin/python benchmarks/bench_sentences.py --n 1000   # quick mode

Errors: every case of ``STRESS`` in ``tests/test_text.py`` (expected splits written by hand) is
split; a case is wrong when any sentence differs. Boundaries are also counted one by one:
missed (a real sentence end not split) and spurious (a split inside a sentence).

Real text (``--read N``, needs ``../shared/peer``): the AllSides articles, which the rules were
not written for, are split; printed are the number of sentences, the sentences with no letter
or digit in them (a lone "..." or '"': a fragment made by a wrong end), and N sentence ends
drawn at random (paragraph breaks left out: the text gives those) for a reader to check one by
one. Run it on two versions of the code to compare them.

Speed: the five seeds are cleaned (``clean_corpus``), the docs frame is repeated to ``--n``
documents, and ``corpusutils.sentences`` is timed over it (best of ``--repeat`` runs, with
``time.perf_counter``); also ``split_sentences`` alone. Reported as sentences per second.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import time
from pathlib import Path

import pandas as pd

from corpusutils.clean import clean_corpus
from corpusutils.text import sentences, split_sentences

ROOT = Path(__file__).resolve().parents[1]
ALLSIDES = ROOT.parent / "shared" / "peer" / "allsides-sameday" / "articles.jsonl"


def _stress_cases() -> list[str]:
    spec = importlib.util.spec_from_file_location("stress", ROOT / "tests" / "test_text.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.STRESS


def _ends(pieces: list[str]) -> set[int]:
    """Sentence ends as offsets into the joined text with the marks removed."""
    ends, pos = set(), 0
    for piece in pieces[:-1]:
        pos += len(piece)
        ends.add(len(piece.rstrip()) + pos - len(piece))
    return ends


def stress_errors() -> dict[str, int]:
    wrong = missed = spurious = boundaries = 0
    for case in _stress_cases():
        text = case.replace("‖", "")
        expected = [p.strip() for p in case.split("‖")]
        got_spans = split_sentences(text)
        if [text[a:b] for a, b in got_spans] != expected:
            wrong += 1
            print(f"  wrong: {case!r} -> {[text[a:b] for a, b in got_spans]!r}")
        want = _ends(case.split("‖"))
        have = {b for a, b in got_spans[:-1]}
        boundaries += len(want)
        missed += len(want - have)
        spurious += len(have - want)
    return {
        "cases": len(_stress_cases()),
        "wrong cases": wrong,
        "boundaries": boundaries,
        "missed": missed,
        "spurious": spurious,
    }


def _seed_docs() -> pd.DataFrame:
    manifest = pd.read_csv(ROOT / "seeds" / "manifest.csv", dtype=str)
    raws = [
        (ROOT / "seeds" / f).read_bytes().decode("utf-8").replace("\r\n", "\n")
        for f in manifest["file"]
    ]
    return pd.DataFrame({"doc_id": manifest["doc_id"], "agency": manifest["agency"],
                         "raw_text": raws})


def speed(n: int, repeat: int) -> dict[str, float]:
    seeds = clean_corpus(_seed_docs())
    copies = -(-n // len(seeds))
    docs = pd.concat([seeds] * copies, ignore_index=True).head(n)
    docs["doc_id"] = [f"{i:06d}" for i in range(len(docs))]
    best_frame = best_split = float("inf")
    rows = 0
    for _ in range(repeat):
        start = time.perf_counter()
        out = sentences(docs)
        best_frame = min(best_frame, time.perf_counter() - start)
        rows = len(out)
        start = time.perf_counter()
        for text in docs["text"]:
            split_sentences(text)
        best_split = min(best_split, time.perf_counter() - start)
    return {
        "documents": len(docs),
        "sentences": rows,
        "sentences() seconds": best_frame,
        "sentences() per second": rows / best_frame,
        "split_sentences per second": rows / best_split,
    }


def real_text(n_read: int, seed: int = 5) -> None:
    with open(ALLSIDES, encoding="utf-8") as lines:
        texts = [json.loads(line)["content_original"] for line in lines]
    total, fragments, ends = 0, [], []
    for text in texts:
        spans = split_sentences(text)
        total += len(spans)
        fragments += [text[a:b] for a, b in spans if not any(ch.isalnum() for ch in text[a:b])]
        ends += [
            (text, end, start)
            for (_, end), (start, _) in zip(spans, spans[1:], strict=False)
            if "\n\n" not in text[end:start]
        ]
    print(f"AllSides: {len(texts)} articles, {total:,} sentences, {len(fragments)} without a "
          f"letter or digit: {sorted(set(fragments))}")  # fmt: skip
    print(f"{n_read} of {len(ends):,} sentence ends within paragraphs, to read:")
    for text, end, start in random.Random(seed).sample(ends, min(n_read, len(ends))):
        print(f"  {text[max(0, end - 45) : end]!r} | {text[start : start + 35]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="documents (default 10,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best counts")
    parser.add_argument("--read", type=int, default=0, help="AllSides sentence ends to print")
    args = parser.parse_args()
    if args.read:
        real_text(args.read)
    print("stress set")
    for name, value in stress_errors().items():
        print(f"  {name}: {value}")
    print(f"speed ({args.n} documents: the cleaned seeds repeated)")
    for name, value in speed(args.n, args.repeat).items():
        print(f"  {name}: {value:,.2f}" if isinstance(value, float) else f"  {name}: {value:,}")


if __name__ == "__main__":
    main()
