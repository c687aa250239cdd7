"""Name variants: precision and recall of the merged pairs on the hand-checked list.

Run by hand from the repository root (needs ``../shared/peer``)::

    .venv/bin/python benchmarks/bench_name_variants.py

``tests/name_variant_pairs.csv`` holds 557 spelling pairs drawn from real news text (AllSides
articles, NewsMTSC sentences, the seeds) and labelled by reading them before the code was
measured. :func:`corpusutils.name_variants` runs over that same text; a pair is merged when
both spellings are in one cluster. Printed: the confusion table, precision and recall, both
by kind of pair; the same with the alias file emptied (what the rules find alone); the wrong
and missed pairs; and the merges the list does not hold, for a reader to judge. The load
average is printed beside the time taken (the machine is shared).
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections import Counter
from pathlib import Path
from unittest import mock

from corpusutils import load_corpus
from corpusutils import names as names_module

ROOT = Path(__file__).resolve().parents[1]


def _tests_module():
    spec = importlib.util.spec_from_file_location("pairs", ROOT / "tests" / "test_name_pairs.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def report(title: str, measured: dict) -> None:
    tp, fp, fn, tn = (len(measured[k]) for k in ("tp", "fp", "fn", "tn"))
    print(f"\n{title}")
    print("                   merged   kept apart")
    print(f"  labelled variant  {tp:6d}   {fn:6d}")
    print(f"  labelled different{fp:6d}   {tn:6d}")
    print(f"  precision {measured['precision']:.3f}   recall {measured['recall']:.3f}")
    by_kind: dict[str, Counter[str]] = {}
    for outcome in ("tp", "fp", "fn", "tn"):
        for pair in measured[outcome]:
            by_kind.setdefault(pair["kind"], Counter())[outcome] += 1
    for kind, counts in sorted(by_kind.items()):
        print(f"    {kind:36s} " + " ".join(f"{k}={counts[k]}" for k in ("tp", "fp", "fn", "tn")))


def main() -> None:
    pairs = _tests_module()
    docs = pairs.real_corpus(load_corpus(ROOT / "seeds"))
    print(f"{len(docs)} texts; {len(pairs.labelled_pairs())} labelled pairs")
    load = os.getloadavg()
    start = time.perf_counter()
    variants = names_module.name_variants(docs, by="source")
    took = time.perf_counter() - start
    print(f"name_variants: {took:.1f} s (load average {load[0]:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after)")  # fmt: skip
    measured = pairs.evaluate(variants)
    report("With data/name_aliases.csv (as shipped)", measured)
    with mock.patch.object(names_module, "_aliases", lambda: ()):
        report("Rules alone (alias file emptied)", pairs.evaluate(
            names_module.name_variants(docs, by="source")))  # fmt: skip
    for outcome, title in (("fp", "merged but different"), ("fn", "variants kept apart")):
        print(f"\n{title}:")
        for pair in measured[outcome]:
            print(f"  {pair['spelling_a']} / {pair['spelling_b']} ({pair['kind']})")
    print(f"\nmerged pairs the list does not hold ({len(measured['unlisted'])}):")
    for a, b in measured["unlisted"]:
        print(f"  {a} / {b}")


if __name__ == "__main__":
    main()
