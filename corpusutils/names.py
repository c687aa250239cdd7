"""Spelling variants of names across agencies ("Tokáyev" / "Tokayev", "Kasim-Yomart" /
"Kassym-Jomart") and rewriting them to one spelling.

How a variant is recognised:

1. Candidate names are word tokens that start with a capital letter and contain a lower-case
   one (acronyms such as "US" and "UN" are never candidates), with a possessive "'s" removed,
   that are not in ``data/stopwords.txt`` and are written capitalised more often than in lower
   case in the corpus (so "President" / "president" is not a name, "Turkey" is).
2. Each candidate gets a spelling key: accents stripped (Unicode NFKD), lower case, the
   rewrite rules of ``data/name_spelling_rules.csv`` applied in order ("th" -> "t", "j" -> "y",
   "y" -> "i", ...), doubled letters collapsed. Spellings with the same key are one name.
3. Keys are compared only within blocks that share their consonant skeleton (the key without
   vowels), so names that differ in a consonant ("Kyrgyzstan" / "Tajikistan", "Iran" /
   "Iraq") never merge, and the work grows with the number of names, not its square. Two keys
   in a block are one name when their edit distance is at most ``max_distance`` times the
   longer key's length, rounded down: with the default 0.2, "Tileuberdi" / "Tleuberdi" (1
   edit in 10 letters) merge, "Vladimir" / "Volodymyr" (2 edits in 9, the Russian and the
   Ukrainian form of one name, here two presidents) do not, and names of fewer than five
   letters must have the same key.
4. Pairs listed in ``data/name_aliases.csv`` are always merged, and its ``canonical`` column
   names the spelling that :func:`canonicalize_names` writes; for other clusters the most
   frequent spelling is canonical.

Demonyms and adjectives are different words, not spellings: "Russia" / "Russian" and "Kazakh"
/ "Kazakhs" differ in a consonant and stay apart. Different names with the same consonants
and one vowel apart may still merge ("Biden" / "Baden"); every merge shows in
:func:`name_variants` for a reader to judge before using :func:`canonicalize_names`.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections import Counter, defaultdict
from importlib import resources

import pandas as pd

from corpusutils.text import tokens

__all__ = ["canonicalize_names", "name_key", "name_variants"]

_POSSESSIVE = re.compile(r"['’]s$")
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]")


def _data_text(name: str) -> str:
    return resources.files("corpusutils.data").joinpath(name).read_text("utf-8")


@functools.cache
def _stopwords() -> frozenset[str]:
    lines = (line.strip() for line in _data_text("stopwords.txt").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


@functools.cache
def _spelling_rules() -> tuple[tuple[str, str], ...]:
    rows = csv.DictReader(io.StringIO(_data_text("name_spelling_rules.csv")))
    return tuple((row["pattern"], row["replacement"] or "") for row in rows)


@functools.cache
def _aliases() -> tuple[tuple[str, str], ...]:
    """(canonical, variant) pairs from ``data/name_aliases.csv``."""
    rows = csv.DictReader(io.StringIO(_data_text("name_aliases.csv")))
    return tuple((row["canonical"].strip(), row["variant"].strip()) for row in rows)


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def name_key(spelling: str) -> str:
    """The spelling key of a name: spellings with the same key are the same name.

    >>> [name_key(s) for s in ("Kassym-Jomart", "Kasim-Yomart", "Tokáyev", "Anthony")]
    ['kasim-iomart', 'kasim-iomart', 'tokaiev', 'antoni']
    """
    key = _fold_accents(spelling).lower()
    for pattern, replacement in _spelling_rules():
        key = key.replace(pattern, replacement)
    return _DOUBLED.sub(r"\1", key)


def _skeleton(key: str) -> str:
    return _VOWELS.sub("", key)


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ch_a in enumerate(a, 1):
        current = [i]
        for j, ch_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ch_a != ch_b))
            )
        previous = current
    return previous[-1]


def _candidate(token: str) -> str | None:
    token = _POSSESSIVE.sub("", token)
    if not token or not token[0].isupper() or not any(ch.islower() for ch in token):
        return None
    if token.lower() in _stopwords():
        return None
    return token


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.parent[item] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _count_spellings(docs: pd.DataFrame, by: str) -> pd.DataFrame:
    """spelling, <by>, count, n_docs for every candidate name."""
    counts: Counter[tuple[str, object]] = Counter()
    doc_counts: Counter[tuple[str, object]] = Counter()
    lower: Counter[str] = Counter()
    for group, text in zip(docs[by], docs["text"], strict=True):
        if not isinstance(text, str):
            continue
        words = tokens(text)
        # Only capitalised tokens can be names; the rest are counted for the case test.
        lower.update([w for w in words if w.islower()])
        seen = Counter(filter(None, map(_candidate, [w for w in words if w[0].isupper()])))
        for name, count in seen.items():
            counts[(name, group)] += count
            doc_counts[(name, group)] += 1
    totals: Counter[str] = Counter()
    for (name, _), count in counts.items():
        totals[name] += count
    rows = [
        (name, group, count, doc_counts[(name, group)])
        for (name, group), count in counts.items()
        if totals[name] > lower[name.lower()]
    ]
    return pd.DataFrame(rows, columns=["spelling", by, "count", "n_docs"])


def _clusters(spellings: Counter[str], max_distance: float) -> dict[str, str]:
    """Map each spelling to its cluster's canonical spelling."""
    union = _UnionFind()
    key_of = {s: name_key(s) for s in spellings}
    blocks: dict[str, set[str]] = defaultdict(set)
    for key in key_of.values():
        union.find(key)
        blocks[_skeleton(key)].add(key)
    for block in blocks.values():
        members = sorted(block)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                allowed = int(max_distance * max(len(a), len(b)))
                if allowed and abs(len(a) - len(b)) <= allowed:
                    if _edit_distance(a, b) <= allowed:
                        union.union(a, b)
    alias_canonical: dict[str, str] = {}
    for canonical, variant in _aliases():
        canonical_key, variant_key = name_key(canonical), name_key(variant)
        alias_canonical[canonical_key] = alias_canonical[variant_key] = canonical
        if canonical_key in union.parent or variant_key in union.parent:
            union.union(canonical_key, variant_key)
    members_of: dict[str, list[str]] = defaultdict(list)
    for spelling, key in key_of.items():
        members_of[union.find(key)].append(spelling)
    canonical_of: dict[str, str] = {}
    for members in members_of.values():
        listed = Counter()
        for spelling in members:
            chosen = alias_canonical.get(key_of[spelling])
            if chosen is not None:
                listed[chosen] += spellings[spelling]
        if listed:
            canonical = min(listed, key=lambda s: (-listed[s], s))
        else:
            canonical = min(
                members,
                key=lambda s: (-spellings[s], sum(not ch.isascii() for ch in s), s),
            )
        for spelling in members:
            canonical_of[spelling] = canonical
    return canonical_of


def name_variants(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    max_distance: float = 0.2,
    min_spellings: int = 2,
) -> pd.DataFrame:
    """Clusters of spellings of the same name, and which group writes which spelling.

    See the module docstring for how spellings are matched. Only clusters with at least
    ``min_spellings`` distinct spellings in the corpus are listed.

    Columns: cluster_id (0 for the most frequent name), canonical (from
    ``data/name_aliases.csv`` when listed there, else the most frequent spelling), spelling,
    <by>, count (occurrences of the spelling in the group), n_docs (documents of the group that
    use it). One row per (cluster, spelling, group) that occurs.

    >>> docs = pd.DataFrame({"doc_id": ["1", "2", "3"], "agency": ["EFE", "AP", "AP"],
    ...     "text": ["President Kasim-Yomart Tokáyev met Blinken.",
    ...              "President Kassym-Jomart Tokayev met Blinken.",
    ...              "Tokayev's office said so."]})
    >>> name_variants(docs)[["canonical", "spelling", "agency", "count"]].values.tolist()
    [['Tokayev', 'Tokayev', 'AP', 2], ['Tokayev', 'Tokáyev', 'EFE', 1], \
['Kassym-Jomart', 'Kasim-Yomart', 'EFE', 1], ['Kassym-Jomart', 'Kassym-Jomart', 'AP', 1]]
    """
    if "text" not in docs.columns:
        raise ValueError("docs has no 'text' column: clean the corpus first")
    if by not in docs.columns:
        raise ValueError(f"docs has no column {by!r}")
    counts = _count_spellings(docs, by)
    columns = ["cluster_id", "canonical", "spelling", by, "count", "n_docs"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    totals = Counter(dict(counts.groupby("spelling")["count"].sum()))
    canonical_of = _clusters(totals, max_distance)
    counts["canonical"] = counts["spelling"].map(canonical_of)
    sizes = counts.groupby("canonical")["spelling"].nunique()
    counts = counts[counts["canonical"].map(sizes) >= min_spellings]
    cluster_totals = counts.groupby("canonical")["count"].sum()
    order = sorted(cluster_totals.index, key=lambda c: (-cluster_totals[c], c))
    counts["cluster_id"] = counts["canonical"].map({c: i for i, c in enumerate(order)})
    counts["spelling_total"] = counts["spelling"].map(totals)
    counts = counts.sort_values(
        ["cluster_id", "spelling_total", "spelling", "count"],
        ascending=[True, False, True, False],
        kind="stable",
    )
    counts = counts.astype({"cluster_id": "int64", "count": "int64", "n_docs": "int64"})
    return counts[columns].reset_index(drop=True)


def _spelling_map(docs: pd.DataFrame, max_distance: float) -> dict[str, str]:
    counts = _count_spellings(docs.assign(_all=0), "_all")
    totals = Counter(dict(counts.groupby("spelling")["count"].sum())) if len(counts) else {}
    canonical_of = _clusters(Counter(totals), max_distance)
    return {s: c for s, c in canonical_of.items() if s != c}


def canonicalize_names(docs: pd.DataFrame, *, max_distance: float = 0.2) -> pd.DataFrame:
    """A copy of ``docs`` whose ``text`` writes every name in its canonical spelling.

    Uses the clusters of :func:`name_variants` (with ``data/name_aliases.csv``), so that word
    counts compare what agencies say rather than how each house spells names. Possessives are
    kept ("Tokáyev's" becomes "Tokayev's"). The offsets of any frame computed from the original
    ``text`` no longer apply to the copy. The replacements made are in
    ``attrs["name_spellings"]`` (spelling -> canonical).

    >>> docs = pd.DataFrame({"doc_id": ["1", "2"], "agency": ["EFE", "AP"],
    ...     "text": ["Anthony Blinken met Tokáyev's aides.", "Antony Blinken met Tokayev."]})
    >>> canonicalize_names(docs)["text"].tolist()
    ["Antony Blinken met Tokayev's aides.", 'Antony Blinken met Tokayev.']
    """
    if "text" not in docs.columns:
        raise ValueError("docs has no 'text' column: clean the corpus first")
    mapping = _spelling_map(docs, max_distance)
    out = docs.copy()
    if mapping:
        # Whole tokens only: not inside a longer word or compound, a possessive may follow.
        alternatives = "|".join(re.escape(s) for s in sorted(mapping, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w-]|['’](?!s\b)\w)")
        out["text"] = [_rewrite(text, mapping, pattern) for text in docs["text"]]
    out.attrs["name_spellings"] = mapping
    return out


def _rewrite(text: object, mapping: dict[str, str], pattern: re.Pattern[str]) -> object:
    if not isinstance(text, str) or not any(spelling in text for spelling in mapping):
        return text
    return pattern.sub(lambda m: mapping[m.group()], text)
