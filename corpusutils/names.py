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

from corpusutils.text import fold_quotes, token_spans, tokens

__all__ = ["canonicalize_names", "frequent_names", "name_key", "name_variants"]

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

    ``attrs["name_spellings"]`` maps every spelling to rewrite to its canonical one, for
    :func:`canonicalize_names`. Columns: cluster_id (0 for the most frequent name), canonical (from
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
        empty = pd.DataFrame(columns=columns)
        empty.attrs["name_spellings"] = {}
        return empty
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
    out = counts[columns].reset_index(drop=True)
    # every rewrite canonicalize_names makes, single-spelling aliases included ("Lugansk")
    out.attrs["name_spellings"] = {s: c for s, c in canonical_of.items() if s != c}
    return out


def _spelling_map(docs: pd.DataFrame, max_distance: float) -> dict[str, str]:
    counts, neighbours, together = _count_spellings(docs.assign(_all=0), "_all")
    totals = Counter(dict(counts.groupby("spelling")["count"].sum())) if len(counts) else {}
    canonical_of = _clusters(Counter(totals), max_distance, neighbours, together)
    return {s: c for s, c in canonical_of.items() if s != c}


def canonicalize_names(
    docs: pd.DataFrame, *, max_distance: float = 0.2, variants: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A copy of ``docs`` whose ``text`` writes every name in its canonical spelling.

    Uses the clusters of :func:`name_variants` (with ``data/name_aliases.csv``), so that word
    counts compare what agencies say rather than how each house spells names. Pass the
    :func:`name_variants` of these docs as ``variants`` when already computed (grouped by any
    column, same ``max_distance``): the names are then not counted again. Possessives are
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
    if variants is None:
        mapping = _spelling_map(docs, max_distance)
    else:
        mapping = variants.attrs.get("name_spellings") or {}
    out = docs.copy()
    if mapping:
        out["text"] = [_rewrite(text, mapping) for text in docs["text"]]
    out.attrs["name_spellings"] = mapping
    return out


# A capitalised word token (the tokens of corpusutils.text, so compounds and possessives are
# one token): only these can be names, and each is looked up once, whatever the mapping's size.
_CAPITALISED = re.compile(
    r"(?<![^\W_]|[-‐‑'’])[^\W\d_a-z](?:[^\W_]|[\u0300-\u036f])*"
    r"(?:[-‐‑'’](?:[^\W_]|[\u0300-\u036f])+)*"
)


def _rewrite(text: object, mapping: dict[str, str]) -> object:
    """Each whole token that is a listed spelling (a possessive may follow) in its canonical
    spelling; a spelling inside a longer word or compound is left alone."""
    if not isinstance(text, str):
        return text

    def canonical(match: re.Match[str]) -> str:
        token = match.group()
        base = _POSSESSIVE.sub("", token)
        spelling = mapping.get(base)
        return token if spelling is None else spelling + token[len(base):]

    return _CAPITALISED.sub(canonical, text)


# --- actors derived from the corpus -----------------------------------------------------------

#: Lower-case words that may join the capitalised words of one name ("Bank of England").
_NAME_JOINERS = frozenset({"of", "de", "del", "der", "la", "al", "bin", "von", "van", "da"})
#: A longer name takes in a shorter one that ends it when written at least this share as often.
ABSORB_SHARE = 0.05
#: Words before a name that mark a place ("in Kazakhstan", "to Astana").
_PLACE_BEFORE = frozenset({"in", "to", "from", "at", "across", "near", "into", "inside"})


@functools.cache
def _name_kinds() -> dict[str, dict[str, str]]:
    """``data/name_kinds.csv`` by where the word stands: inside a name (an organisation's),
    alone (no name at all); titles are those of ``data/quote_attribution.toml``."""
    kinds: dict[str, dict[str, str]] = defaultdict(dict)
    for row in csv.DictReader(io.StringIO(_data_text("name_kinds.csv"))):
        for word in row["word"].split():
            kinds[row["where"]][word.rstrip(".")] = row["kind"]
    # month names ("February") are capitalised but name no actor: the datelines' list of them
    lines = [line for line in _data_text("months.csv").splitlines() if not line.startswith("#")]
    for row in csv.DictReader(lines):
        if row["language"] == "en":
            kinds["alone"][row["name"].capitalize()] = "none"
    return dict(kinds)


def _is_name_word(token: str) -> bool:
    return token[0].isupper() and (any(ch.islower() for ch in token) or len(token) > 1)


def _mentions(text: str) -> list[tuple[tuple[str, ...], str, str]]:
    """(words of the name, the word before it, the title before it) for every run of
    capitalised words in ``text``, sentence-initial function words and titles taken off."""
    spans = token_spans(text)
    words = [text[a:b] for a, b in spans]
    alone = _name_kinds().get("alone", {})
    found = []
    i = 0
    while i < len(words):
        if not _is_name_word(words[i]):
            i += 1
            continue
        j = i + 1
        while j < len(words) and text[spans[j - 1][1] : spans[j][0]] == " ":
            if _is_name_word(words[j]):
                j += 1
            elif (words[j] in _NAME_JOINERS and j + 1 < len(words)
                  and _is_name_word(words[j + 1])
                  and text[spans[j][1] : spans[j + 1][0]] == " "):
                j += 2
            else:
                break
        run = [_POSSESSIVE.sub("", w) for w in words[i:j]]
        title = ""
        # a title inside the run ends what precedes it: "US Secretary of State Antony Blinken"
        last = max((k for k, w in enumerate(run) if w.rstrip(".").lower() in _titles()),
                   default=-1)
        if last >= 0:
            title = run[last]
            run = run[last + 1 :]
            if len(run) > 1 and run[0] in _NAME_JOINERS:
                run = run[2:]
        while run and (run[0].lower() in _stopwords() or run[0] in _NAME_JOINERS
                       or run[0] in alone):
            run = run[1:]
        while run and run[-1] in _NAME_JOINERS:
            run = run[:-1]
        if run:
            before = words[i - 1].lower() if i > 0 and not title else ""
            found.append((tuple(run), before, title))
        i = j
    return found


def frequent_names(
    docs: pd.DataFrame, *, top: int = 12, min_docs: int = 2, max_distance: float = 0.2
) -> pd.DataFrame:
    """The most frequent named people, places and organisations of a corpus, as an actor list
    (the format of :func:`corpusutils.load_actors`): actor, term, kind, comment.

    Offline and rule-based, no model: a name is a run of capitalised words ("Antony Blinken",
    "Bank of England", "U.S."), with sentence-initial function words, titles ("President",
    "Secretary of State"; those of ``data/quote_attribution.toml``) and days and months
    (``data/name_kinds.csv``, ``data/months.csv``) taken off; a single
    word counts only when the corpus writes it capitalised more often than not. Spellings of
    one name are merged as :func:`name_variants` does, and a name that ends a longer, more
    frequent name is the same actor ("Blinken" is "Antony Blinken"). Actors are ranked by the
    number of articles naming them (at least ``min_docs``), then by mentions; the ``top`` are
    kept, each with every way it is written as a term. ``kind`` is a guess from the words
    around the name (``data/name_kinds.csv``): ``person`` after a title, ``organisation`` with
    a word such as "Ministry" or an acronym, ``place`` after "in", "to", "from" ..., else
    ``name``. Read the list, edit it, and pass it back as your own (``make report ACTORS=``).

    >>> docs = pd.DataFrame({"doc_id": ["1", "2"], "text": [
    ...     "Secretary of State Antony Blinken arrived in Astana. Blinken met Tokayev.",
    ...     "The talks in Astana went on. President Tokayev said Blinken was welcome."]})
    >>> frequent_names(docs)[["actor", "term", "kind"]].values.tolist()
    [['Antony Blinken', 'Antony Blinken', 'person'], ['Antony Blinken', 'Blinken', 'person'], \
['Astana', 'Astana', 'place'], ['Tokayev', 'Tokayev', 'person']]
    """
    if "text" not in docs.columns:
        raise ValueError("docs has no 'text' column: clean the corpus first")
    canonical = _spelling_map(docs, max_distance) if len(docs) else {}
    mentions: Counter[tuple[str, ...]] = Counter()
    in_docs: dict[tuple[str, ...], set[int]] = defaultdict(set)
    written: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    cues: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    lower: Counter[str] = Counter()
    for position, text in enumerate(docs["text"]):
        if not isinstance(text, str):
            continue
        lower.update(w for w in tokens(text) if w.islower())
        for run, before, title in _mentions(text):
            if run[0].startswith(("I'", "I’")):  # "I'm", "I’ve": the pronoun
                continue
            name = tuple(canonical.get(w, w) for w in run)
            mentions[name] += 1
            in_docs[name].add(position)
            written[name][" ".join(run)] += 1
            cues[name]["person" if title else "place" if before in _PLACE_BEFORE else ""] += 1
    # a single word written in lower case as often as capitalised is not a name ("Officials")
    names = [n for n in mentions if len(n) > 1 or mentions[n] > lower[n[0].lower()]]
    # a name that ends a longer name is that name ("Blinken", "Antony Blinken") when the longer
    # one is written often enough and is not an organisation ("House", "White House")
    inside = _name_kinds().get("inside", {})
    owner: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in names:
        longer = [n for n in names if len(n) > len(name) and n[-len(name):] == name
                  and mentions[n] >= ABSORB_SHARE * mentions[name]
                  and not any(w in inside for w in n)]
        if longer:
            owner[name] = max(longer, key=lambda n: (mentions[n], n))
    for name in list(owner):
        while owner[name] in owner:
            owner[name] = owner[owner[name]]
    actors: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for name in names:
        actors[owner.get(name, name)].append(name)
    rows = []
    for actor, members in actors.items():
        docs_naming = set().union(*(in_docs[m] for m in members))
        count = sum(mentions[m] for m in members)
        if len(docs_naming) >= min_docs:
            rows.append((actor, members, len(docs_naming), count))
    rows.sort(key=lambda r: (-r[2], -r[3], r[0]))
    out = []
    seen_terms: set[str] = set()
    for actor, members, n_docs, count in rows[:top]:
        cue = sum((cues[m] for m in members), Counter())
        label = " ".join(actor)
        kind = _kind(actor, cue)
        terms = sorted({w for m in members for w in written[m]} | {" ".join(m) for m in members},
                       key=lambda t: (-len(t), t))
        for term in terms:
            if term not in seen_terms:
                seen_terms.add(term)
                out.append((label, term, kind,
                            f"derived from the corpus: {count} mentions in {n_docs} articles"))
    return pd.DataFrame(out, columns=["actor", "term", "kind", "comment"])


def _kind(name: tuple[str, ...], cues: Counter[str]) -> str:
    inside = _name_kinds().get("inside", {})
    total = sum(cues.values()) or 1
    if cues["person"] / total >= 0.2:
        return "person"
    if any(w in inside for w in name) or (len(name) == 1 and name[0].replace(".", "").isupper()):
        return "organisation"
    if cues["place"] / total >= 0.3:
        return "place"
    return "name"
