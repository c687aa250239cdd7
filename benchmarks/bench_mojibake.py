"""Measure mojibake repair: corpusutils' fix_mojibake side by side with plain ftfy.fix_encoding.

Run by hand from the repository root::

    .venv/bin/python benchmarks/bench_mojibake.py

Three parts, all printed as tables:

1. ftfy's own test cases, read from ``../shared/peer/ftfy-test-cases/*.json`` (never copied into
   this repository). Each case is compared with its ``fixed-encoding`` expectation, or
   ``fixed`` when there is none. That is the fair target for both tools: ``fixed`` is what
   ``ftfy.fix_text`` returns, which also straightens curly quotes and normalises the text,
   whereas ``fixed-encoding`` is what ``ftfy.fix_encoding`` returns, and fix_mojibake is an
   encoding repair that keeps “curly” quotes on purpose. For the ``expect == "pass"`` cases the
   target is that every case ftfy passes, corpusutils passes too. The known failures
   (``expect == "fail"``) only have ``fixed``, so they are compared with quotes straightened on
   both sides, for information.
2. A multi-codec suite built here from ``benchmarks/mojibake_cases.toml``: real names in English
   news sentences, broken through each code page where the round trip exists (the UTF-8 bytes
   decode strictly with that code page and encode back to the same bytes). "name" breaks only
   the name inside an otherwise correct sentence (the situation of a wire story where two names
   went wrong); "sentence" breaks the whole sentence. A repair counts only when it gives the
   original sentence back exactly. Targets: at least 95% for every code page.
3. Correct sentences in many scripts, which must come back byte-identical (target: 0 changed),
   and the time per 1,000 sentences.
"""

from __future__ import annotations

import json
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import ftfy
from ftfy.fixes import uncurl_quotes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpusutils.clean.mojibake import fix_mojibake  # noqa: E402

FTFY_CASES = ROOT.parent / "shared" / "peer" / "ftfy-test-cases"
CASES_FILE = Path(__file__).with_name("mojibake_cases.toml")
SEEDS = ROOT / "seeds"

CODEPAGES = [
    "cp874",
    "tis-620",
    "koi8-r",
    "cp1251",
    "cp1253",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
    "cp850",
    "iso-8859-5",
    "iso-8859-7",
    "iso-8859-9",
    "iso-8859-15",
    "mac-cyrillic",
    # ftfy's home ground, for reference
    "cp1252",
    "cp1250",
]
TWICE = [
    ("cp874", "cp1252"),
    ("cp1251", "cp1252"),
    ("cp1252", "cp1251"),
    ("cp1252", "cp1252"),
    ("koi8-r", "cp1252"),
    ("cp1253", "cp1252"),
]

Fixer = Callable[[str], str]
FIXERS: dict[str, Fixer] = {"corpusutils": fix_mojibake, "ftfy": ftfy.fix_encoding}


def break_through(text: str, codepage: str) -> str | None:
    """``text`` as it reads when its UTF-8 bytes are decoded with ``codepage`` (None if lossy)."""
    raw = text.encode("utf-8")
    try:
        broken = raw.decode(codepage)
        if broken.encode(codepage) != raw:
            return None
    except UnicodeError:
        return None
    return broken


def pct(hits: int, total: int) -> str:
    return f"{hits:>4} {100 * hits / total:5.1f}%" if total else "   -      -"


def ftfy_suite() -> None:
    print("1. ftfy's test cases (compared with `fixed-encoding`, default `fixed`)")
    if not any(FTFY_CASES.glob("*.json")):
        print(f"   not found: {FTFY_CASES}\n")
        return
    print(f"{'file':<22}{'cases':>6}{'ftfy':>8}{'corpusutils':>13}{'ftfy only':>11}")
    lost_total = 0
    for path in sorted(FTFY_CASES.glob("*.json")):
        cases = [c for c in json.loads(path.read_text(encoding="utf-8"))]
        passing = [c for c in cases if c["expect"] == "pass"]
        failing = [c for c in cases if c["expect"] != "pass"]
        if passing:
            ok = {name: 0 for name in FIXERS}
            lost = []
            for case in passing:
                expected = case.get("fixed-encoding", case["fixed"])
                result = {name: fix(case["original"]) == expected for name, fix in FIXERS.items()}
                for name, passed in result.items():
                    ok[name] += passed
                if result["ftfy"] and not result["corpusutils"]:
                    lost.append(case)
            lost_total += len(lost)
            print(
                f"{path.name:<22}{len(passing):>6}{ok['ftfy']:>8}{ok['corpusutils']:>13}"
                f"{len(lost):>11}"
            )
            for case in lost:
                print(f"    lost: {case['label']}: {fix_mojibake(case['original'])!r}")
        if failing:
            ok = {name: 0 for name in FIXERS}
            for case in failing:
                expected = uncurl_quotes(case["fixed"])
                for name, fix in FIXERS.items():
                    ok[name] += uncurl_quotes(fix(case["original"])) == expected
            print(
                f"{path.name + ' (fail)':<22}{len(failing):>6}{ok['ftfy']:>8}"
                f"{ok['corpusutils']:>13}{'':>11}"
            )
    print(f"cases ftfy passes and corpusutils does not: {lost_total} (target 0)\n")


def codec_suite(names: list[dict[str, str]]) -> None:
    print(
        "2. Multi-codec suite: exact repairs (name broken in a correct sentence | whole sentence)"
    )
    header = (
        f"{'code page':<24}{'cases':>6}{'corpusutils':>13}{'ftfy':>12}"
        f" |{'cases':>6}{'corpusutils':>13}{'ftfy':>12}"
    )
    print(header)
    misses: list[str] = []
    rows = [(cp,) for cp in CODEPAGES] + [chain for chain in TWICE]
    for chain in rows:
        label = chain[0] if len(chain) == 1 else " then ".join(chain)
        counts = []
        for whole in (False, True):
            total = 0
            ok = {name: 0 for name in FIXERS}
            for case in names:
                sentence, name = case["sentence"], case["name"]
                target = sentence if whole else name
                broken: str | None = target
                for codepage in chain:
                    broken = break_through(broken, codepage) if broken is not None else None
                if broken is None or broken == target:
                    continue
                text = broken if whole else sentence.replace(name, broken)
                total += 1
                for fixer_name, fix in FIXERS.items():
                    fixed = fix(text)
                    ok[fixer_name] += fixed == sentence
                    if fixer_name == "corpusutils" and fixed != sentence:
                        misses.append(f"{label} {'sentence' if whole else 'name'}: {fixed}")
            counts.append((total, ok))
        (n1, ok1), (n2, ok2) = counts
        print(
            f"{label:<24}{n1:>6}{pct(ok1['corpusutils'], n1):>13}{pct(ok1['ftfy'], n1):>12}"
            f" |{n2:>6}{pct(ok2['corpusutils'], n2):>13}{pct(ok2['ftfy'], n2):>12}"
        )
    if misses:
        print(f"corpusutils misses ({len(misses)}):")
        for miss in misses:
            print("   ", miss)
    print()


def correct_suite(correct: dict[str, list[str]], names: list[dict[str, str]]) -> list[str]:
    print("3. Correct text: sentences changed (target 0)")
    print(f"{'script':<20}{'sentences':>10}{'corpusutils':>13}{'ftfy':>6}")
    groups = dict(correct)
    groups["english_with_names"] = [case["sentence"] for case in names]
    everything = []
    for script, sentences in groups.items():
        changed = {name: [s for s in sentences if fix(s) != s] for name, fix in FIXERS.items()}
        everything += sentences
        print(
            f"{script:<20}{len(sentences):>10}{len(changed['corpusutils']):>13}"
            f"{len(changed['ftfy']):>6}"
        )
        for sentence in changed["corpusutils"]:
            print(f"    changed: {sentence!r} -> {fix_mojibake(sentence)!r}")
    total = len(everything)
    changed_total = {name: sum(fix(s) != s for s in everything) for name, fix in FIXERS.items()}
    print(f"{'all':<20}{total:>10}{changed_total['corpusutils']:>13}{changed_total['ftfy']:>6}\n")
    return everything


def timing(correct_sentences: list[str], names: list[dict[str, str]]) -> None:
    broken = []
    for case in names:
        for codepage in CODEPAGES:
            garbled = break_through(case["name"], codepage)
            if garbled is not None and garbled != case["name"]:
                broken.append(case["sentence"].replace(case["name"], garbled))
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    print("4. Time (best of 3 runs)")
    print(f"{'input':<36}{'items':>7}{'corpusutils':>14}{'ftfy':>12}")
    for label, items, unit in (
        ("correct sentences, per 1,000", correct_sentences, 1000),
        ("broken sentences, per 1,000", broken, 1000),
        ("seed articles, per 1,000", seeds * 40, 1000),
    ):
        cells = []
        for fix in FIXERS.values():
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                for item in items:
                    fix(item)
                best = min(best, time.perf_counter() - started)
            cells.append(f"{best / len(items) * unit:8.3f} s")
        print(f"{label:<36}{len(items):>7}{cells[0]:>14}{cells[1]:>12}")


def main() -> None:
    data = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
    names = data["names"]
    ftfy_suite()
    codec_suite(names)
    correct_sentences = correct_suite(data["correct"], names)
    timing(correct_sentences, names)


if __name__ == "__main__":
    main()
