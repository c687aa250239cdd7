"""Spelling variants of names across agencies ("Tokáyev" / "Tokayev", "Kasim-Yomart" /
"Kassym-Jomart") and rewriting them to one spelling.

A variant pair must be two spellings of one name (diacritics, apostrophe style, a
transliteration, a letter dropped, doubled or swapped), never two common names that look
alike ("Eric" / "Erik", "Michele" / "Michelle"), a name and its demonym, adjective or plural
("Iraq" / "Iraqi", "Germany" / "German"), or two different places or people ("Beijing" /
"Boeing", "Volcker" / "Volker"). How a variant is recognised:

1. Candidate names are word tokens that start with a capital letter and contain a lower-case
   one (acronyms such as "US" and "UN" are never candidates), with a possessive "'s" removed,
   that are not in ``data/stopwords.txt`` and are written capitalised more often than in lower
   case in the corpus (so "President" / "president" is not a name, "Turkey" is).
2. Spellings with the same letters once accents, apostrophe style and case are folded are one
   name ("Tokáyev" / "Tokayev", "O'Brien" / "O’Brien"), whatever their length.
3. Each spelling gets a spelling key: accents stripped (Unicode NFKD), lower case, the
   rewrite rules of ``data/name_spelling_rules.csv`` applied in order ("th" -> "t", "j" -> "y",
   "y" -> "i", ...), doubled letters collapsed. Two keys are *close* when both have at least
   ``MIN_KEY_LENGTH`` (5) letters, they share their consonant skeleton (the key without
   vowels), their first letter and their last letter (so demonyms and plurals, which change the
   end, never are), and they are equal or at most ``max_distance`` times the longer key's
   length apart in edits (insertions, deletions, substitutions, swaps of two neighbours),
   rounded down: with the default 0.2, one edit in five to nine letters, two from ten.
4. Close is not enough: many different names are a letter apart. Two close spellings are one
   name only when the corpus shows it: some name is written next to both ("Kevin McCarthy",
   "Kevin McCarty"; "Mukhtar Tileuberdi", "Mukhtar Tleuberdi"), or one document uses both while
   one of them is never written next to another name and the keys are equal or at least
   ``LONG_NAME`` (8) letters long (a misspelling: "Zalensky" in a story about Zelensky). Titles
   ("President", "Sen.", the list in ``data/quote_attribution.toml``) are not evidence. A
   cluster never grows by a chain: every spelling in it is close to every other.
5. Pairs listed in ``data/name_aliases.csv`` are always merged (well-known transliterations
   and the seeds' "Anthony" for Antony Blinken), and its ``canonical`` column names the spelling
   that :func:`canonicalize_names` writes; for other clusters the most frequent spelling is
   canonical.

Measured on 557 hand-checked spelling pairs from real news text
(``tests/name_variant_pairs.csv``): see ``benchmarks/bench_name_variants.py``. Every merge
shows in :func:`name_variants` for a reader to judge before using :func:`canonicalize_names`.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from importlib import resources

import pandas as pd

from corpusutils.text import fold_quotes, token_spans

__all__ = ["canonicalize_names", "name_key", "name_variants"]

_POSSESSIVE = re.compile(r"['’‘´]s$")
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


@functools.cache
def _titles() -> frozenset[str]:
    """Words that stand before a name without being one ("President", "Sen."): never evidence."""
    vocabulary = tomllib.loads(_data_text("quote_attribution.toml"))
    return frozenset(vocabulary["titles"])


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _written_form(spelling: str) -> str:
    """A spelling with accents, apostrophe style and case folded: "O’Brien" is "o'brien"."""
    return fold_quotes(_fold_accents(spelling)).casefold()


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
    """Edits between two keys: insertions, deletions, substitutions and swaps of two
    neighbouring letters ("Kavanuagh" / "Kavanaugh") all cost 1."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ch_a in enumerate(a, 1):
        current = [i]
        for j, ch_b in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ch_a != ch_b))
            if i > 1 and j > 1 and ch_a == b[j - 2] and a[i - 2] == ch_b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
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


def _count_spellings(
    docs: pd.DataFrame, by: str
) -> tuple[pd.DataFrame, dict[str, set[str]], set[frozenset[str]]]:
    """spelling, <by>, count, n_docs for every candidate name; the evidence that two spellings
    name the same person: the names written next to each spelling (as name keys), and the
    pairs of spellings of one consonant skeleton that one document uses both."""
    counts: Counter[tuple[str, object]] = Counter()
    doc_counts: Counter[tuple[str, object]] = Counter()
    lower: Counter[str] = Counter()
    beside: dict[str, Counter[str]] = defaultdict(Counter)
    together: set[frozenset[str]] = set()
    candidate_of: dict[str, str | None] = {}  # each distinct token judged once
    skeleton_of: dict[str, str] = {}
    for group, text in zip(docs[by], docs["text"], strict=True):
        if not isinstance(text, str):
            continue
        spans = token_spans(text)
        words = [text[a:b] for a, b in spans]
        # Only capitalised tokens can be names; the rest are counted for the case test.
        lower.update([w for w in words if w.islower()])
        names = []
        for word in words:
            if word not in candidate_of:
                candidate_of[word] = _candidate(word) if word[0].isupper() else None
            names.append(candidate_of[word])
        seen = Counter(filter(None, names))
        by_skeleton: dict[str, list[str]] = defaultdict(list)
        for name, count in seen.items():
            counts[(name, group)] += count
            doc_counts[(name, group)] += 1
            if name not in skeleton_of:
                skeleton_of[name] = _skeleton(name_key(_written_form(name)))
            by_skeleton[skeleton_of[name]].append(name)
        for alike in by_skeleton.values():
            if len(alike) > 1:
                together.update(
                    frozenset((a, b)) for i, a in enumerate(alike) for b in alike[i + 1 :]
                )
        for i in range(1, len(words)):
            # two names with one space between them: "Kevin McCarthy", not "Kevin, McCarthy"
            left, right = names[i - 1], names[i]
            if left and right and text[spans[i - 1][1] : spans[i][0]] == " ":
                beside[left][right] += 1
                beside[right][left] += 1
    totals: Counter[str] = Counter()
    for (name, _), count in counts.items():
        totals[name] += count
    is_name = {name for name, total in totals.items() if total > lower[name.lower()]}
    rows = [
        (name, group, count, doc_counts[(name, group)])
        for (name, group), count in counts.items()
        if name in is_name
    ]
    titles = _titles()
    neighbours = {
        name: {
            name_key(_written_form(other))
            for other in others
            if other in is_name and other.lower().rstrip(".") not in titles
        }
        for name, others in beside.items()
        if name in is_name
    }
    frame = pd.DataFrame(rows, columns=["spelling", by, "count", "n_docs"])
    return frame, neighbours, together


#: Keys shorter than this merge only through the alias file or their written form: among
#: short names, one letter apart is another name ("Jim" / "Kim", "Eric" / "Erik").
MIN_KEY_LENGTH = 5
#: Keys at least this long may differ by a letter on the evidence of one document alone.
LONG_NAME = 8


def _close(a: str, b: str, max_distance: float) -> bool:
    """Two name keys close enough to be one name written two ways (see the module docstring)."""
    if min(len(a), len(b)) < MIN_KEY_LENGTH:
        return False
    if a == b:
        return True
    # a changed first or last letter makes another word ("Iraq" / "Iraqi", "Fauci" / "Faucis")
    if a[0] != b[0] or a[-1] != b[-1]:
        return False
    allowed = int(max_distance * max(len(a), len(b)))
    return bool(allowed) and abs(len(a) - len(b)) <= allowed and _edit_distance(a, b) <= allowed


def _same_name(
    a: str,
    b: str,
    beside: Mapping[str, set[str]],
    together: set[frozenset[str]],
    key_of: Mapping[str, str],
) -> bool:
    """Whether the corpus shows two written forms as one name: a name written next to both
    ("Kevin McCarthy", "Kevin McCarty"), or one document using both while one of them is never
    written next to another name (so nothing says it is someone else) and their keys are equal
    or long."""
    key_a, key_b = key_of[a], key_of[b]
    if beside[a] & beside[b] - {key_a, key_b}:
        return True
    if frozenset((a, b)) not in together or (beside[a] and beside[b]):
        return False
    # without a shared neighbour, a letter apart is enough only in a long name ("Zalensky")
    return key_a == key_b or min(len(key_a), len(key_b)) >= LONG_NAME


def _clusters(
    spellings: Counter[str],
    max_distance: float,
    neighbours: Mapping[str, set[str]] | None = None,
    together: set[frozenset[str]] | None = None,
) -> dict[str, str]:
    """Map each spelling to its cluster's canonical spelling."""
    neighbours = neighbours or {}
    together = together or set()
    forms: dict[str, list[str]] = defaultdict(list)
    for spelling in spellings:
        forms[_written_form(spelling)].append(spelling)
    key_of = {form: name_key(form) for form in forms}
    beside = {
        form: set().union(*(neighbours.get(s, ()) for s in members))
        for form, members in forms.items()
    }
    form_together = {
        frozenset(_written_form(s) for s in pair) for pair in together
    }
    union = _UnionFind()
    members_of: dict[str, list[str]] = {form: [form] for form in forms}

    def join(a: str, b: str, *, checked: bool) -> None:
        root_a, root_b = union.find(a), union.find(b)
        if root_a == root_b:
            return
        # never by a chain: every spelling of one cluster must be close to every other's
        if checked and not all(
            _close(key_of[x], key_of[y], max_distance)
            for x in members_of[root_a]
            for y in members_of[root_b]
        ):
            return
        union.union(root_a, root_b)
        root = union.find(root_a)
        members_of[root] = members_of.pop(root_a, []) + members_of.pop(root_b, [])

    blocks: dict[str, list[str]] = defaultdict(list)
    for form, key in key_of.items():
        union.find(form)
        if len(key) >= MIN_KEY_LENGTH:
            blocks[_skeleton(key)].append(form)
    for block in blocks.values():
        block.sort()
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if _close(key_of[a], key_of[b], max_distance) and _same_name(
                    a, b, beside, form_together, key_of
                ):
                    join(a, b, checked=True)
    alias_canonical: dict[str, str] = {}
    for canonical, variant in _aliases():
        canonical_form, variant_form = _written_form(canonical), _written_form(variant)
        alias_canonical[canonical_form] = alias_canonical[variant_form] = canonical
        if canonical_form in forms and variant_form in forms:
            join(canonical_form, variant_form, checked=False)
    clusters: dict[str, list[str]] = defaultdict(list)
    for form, members in forms.items():
        clusters[union.find(form)].extend(members)
    canonical_of: dict[str, str] = {}
    for members in clusters.values():
        listed: Counter[str] = Counter()
        for spelling in members:
            chosen = alias_canonical.get(_written_form(spelling))
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
    counts, neighbours, together = _count_spellings(docs, by)
    columns = ["cluster_id", "canonical", "spelling", by, "count", "n_docs"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    totals = Counter(dict(counts.groupby("spelling")["count"].sum()))
    canonical_of = _clusters(totals, max_distance, neighbours, together)
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
    counts, neighbours, together = _count_spellings(docs.assign(_all=0), "_all")
    totals = Counter(dict(counts.groupby("spelling")["count"].sum())) if len(counts) else {}
    canonical_of = _clusters(Counter(totals), max_distance, neighbours, together)
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
