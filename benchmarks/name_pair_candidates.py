"""Candidate spelling pairs for the hand-checked list ``tests/name_variant_pairs.csv``.

Run by hand from the repository root::

    .venv/bin/python benchmarks/name_pair_candidates.py > /tmp/candidates.txt

A deliberately loose generator, independent of :mod:`corpusutils.names`, so that the list it
feeds is not shaped by the rule it measures. Names are the capitalised word tokens (with a
lower-case letter, possessive removed, written capitalised more often than in lower case) of
real text the project did not write: the AllSides articles and the NewsMTSC sentences in
``../shared/peer/`` and the cleaned seeds. Each name gets a loose key (accents, apostrophes and
case folded; ``dzh zh kh th ph gh ck q x w j y ou c`` rewritten; doubled letters collapsed), and
two names are a candidate pair when their keys are at most a third of the longer key apart in
edits or one key starts the other (demonyms, plurals: "Iraq" / "Iraqi").

That gives thousands of pairs; the list takes, with a fixed random seed: every pair whose keys
are equal (where a loose rule is most tempted to merge), every pair one edit apart in keys of
eight letters or more, and samples of one-edit pairs in shorter keys and of pairs further
apart. Each line printed is ``stratum<TAB>spelling_a<TAB>spelling_b<TAB>count_a<TAB>count_b``
followed by up to three contexts of each spelling, for the reader who labels the pair. The
labels themselves are written by hand into the CSV, never by this script.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from corpusutils import load_corpus
from corpusutils.text import tokens

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT.parent / "shared" / "peer"
LOOSE_RULES = [
    ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("th", "t"), ("ph", "f"), ("gh", "g"), ("ck", "k"),
    ("q", "k"), ("x", "ks"), ("w", "v"), ("j", "y"), ("y", "i"), ("ou", "u"), ("c", "k"),
]  # fmt: skip


def real_texts() -> list[str]:
    """AllSides article bodies, distinct NewsMTSC sentences and the cleaned seeds."""
    texts = []
    with open(PEER / "allsides-sameday" / "articles.jsonl", encoding="utf-8") as lines:
        texts += [json.loads(line)["content_original"] for line in lines]
    seen: set[str] = set()
    for path in sorted((PEER / "newsmtsc").glob("*.jsonl")):
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                sentence = json.loads(line)["sentence"]
                if sentence not in seen:
                    seen.add(sentence)
                    texts.append(sentence)
    texts += load_corpus(ROOT / "seeds")["text"].tolist()
    return texts


def loose_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    key = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    key = key.replace("’", "").replace("'", "")
    for pattern, replacement in LOOSE_RULES:
        key = key.replace(pattern, replacement)
    return re.sub(r"(.)\1+", r"\1", key)


def edits(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ch_a in enumerate(a, 1):
        current = [i]
        for j, ch_b in enumerate(b, 1):
            substitution = previous[j - 1] + (ch_a != ch_b)
            current.append(min(previous[j] + 1, current[j - 1] + 1, substitution))
        previous = current
    return previous[-1]


def deletions(key: str, depth: int) -> set[str]:
    out = {key}
    for _ in range(depth):
        out |= {k[:i] + k[i + 1 :] for k in out for i in range(len(k))}
    return out


def main() -> None:
    texts = real_texts()
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    contexts: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        words = tokens(text)
        for i, word in enumerate(words):
            name = re.sub(r"['’]s$", "", word)
            if name and name[0].isupper() and any(ch.islower() for ch in name):
                capitalised[name] += 1
                before = words[i - 1] if i else "^"
                after = words[i + 1] if i + 1 < len(words) else "$"
                contexts[name][f"{before} _ {after}"] += 1
            elif word.islower():
                lower[word] += 1
    names = [n for n in capitalised if capitalised[n] > lower[n.lower()]]
    keys = {n: loose_key(n) for n in names}
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, key in keys.items():
        if len(key) < 2:
            continue
        for variant in deletions(key, 2 if len(key) >= 7 else 1):
            index[("d", variant)].add(name)
        for cut in (0, 1, 2, 3):
            if len(key) - cut >= 3:
                index[("p", key[: len(key) - cut])].add(name)
    pairs = set()
    for members in index.values():
        if len(members) <= 60:  # a block this large is a common short key: no names there
            pairs.update(itertools.combinations(sorted(members), 2))
    rows = []
    for a, b in sorted(pairs):
        if a.lower() == b.lower():
            continue  # case only: not a spelling pair
        ka, kb = keys[a], keys[b]
        distance = edits(ka, kb)
        longer = max(len(ka), len(kb))
        if distance <= max(1, round(longer / 3)) or ka.startswith(kb) or kb.startswith(ka):
            rows.append((a, b, distance, longer))
    rng = random.Random(13)
    strata = {
        "equal keys": [r for r in rows if r[2] == 0],
        "one edit, 8+ letters": [r for r in rows if r[2] == 1 and r[3] >= 8],
        "one edit, 5-7 letters (sample)": rng.sample(
            [r for r in rows if r[2] == 1 and 5 <= r[3] <= 7], 60
        ),
        "two edits, 8+ letters (sample)": rng.sample(
            [r for r in rows if r[2] == 2 and r[3] >= 8], 30
        ),
        "further apart, short (sample)": rng.sample(
            [r for r in rows if r[2] >= 2 and r[3] < 8], 20
        ),
    }
    print(f"# {len(texts)} texts, {len(names)} names, {len(rows)} loose pairs", file=sys.stderr)
    for stratum, chosen in strata.items():
        for a, b, _, _ in chosen:
            shown = [" ; ".join(c for c, _ in contexts[n].most_common(3)) for n in (a, b)]
            print(stratum, a, b, capitalised[a], capitalised[b], *shown, sep="\t")


if __name__ == "__main__":
    main()
