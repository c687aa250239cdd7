"""News frames per sentence, per document and per agency, and the words agencies choose.

The default frame lexicon is ``corpusutils/data/frames.csv``: the five generic news frames of
Semetko and Valkenburg (2000) -- conflict, economic consequences, responsibility (their
"attribution of responsibility"), human interest, morality -- as keyword indicators of their
coding questions, which apply to news on any subject. A lexicon file has one row per (frame,
term) with the columns ``frame`` and ``term`` (required), and ``family``, ``comment`` and
``source``. Researchers bring their own files in that format (``make report FRAMES=...``);
``corpusutils/data/examples/kazakhstan-2023/frames.csv`` is an example: issue frames for the
seed event (US diplomacy in post-Soviet Central Asia). Keywords are a proxy for a coder's
judgement: read :func:`frame_evidence` before trusting a share. See
:func:`load_frame_lexicon`, or pass ``lexicon=`` (a table or a mapping frame -> terms).

The term sets of :func:`term_choice` (``concept``, ``term``) have no general default: the file
``corpusutils/data/examples/kazakhstan-2023/term_choice.csv`` is the seed event's example
(words for the war in Ukraine, names for the region).

How a term matches (the same rules for :func:`term_choice`):

* case is ignored; a term is written in lower case;
* a term matches whole words only: "war" does not match "warn" or "Warsaw"; a hyphen or an
  apostrophe is a word boundary, so "soviet" matches "post-Soviet" and "russia" matches
  "Russia's";
* ``*`` stands for any further letters or digits (never a space, hyphen or apostrophe):
  "sanction*" matches "sanction", "sanctions", "sanctioned"; it may only end a term
  ("trade route*", not "call* for");
* a space in a term matches any run of whitespace, line breaks included ("territorial
  integrity" matches across a hard-wrapped line); ``'`` matches ``'`` and ``’``; ``-`` matches
  the hyphen characters ``-``, ``‐`` and ``‑``; every other character matches itself;
* within one frame the longest term that matches at a place wins, and a stretch of text is
  matched once: where a frame lists both "territorial integrity" and "territor*", the phrase
  counts once, as "territorial integrity"; an exact term is named before a wildcard one
  ("sanctions" before "sanction*"). Frames are independent: words listed under two frames
  count for both, and a match in one frame never hides a match in another.

A sentence "carries" a frame when at least one of the frame's terms matches in it. The headline
(``docs.headline``, when present and not empty) is one more unit, numbered ``sentence == -1``
with ``is_headline`` True; the body sentences come from :func:`corpusutils.text.sentences`.

Lead weighting: readers weigh the top of a story more, so :func:`frames` also reports a
``lead_weighted_share`` where the headline counts ``headline_weight`` (3) times, the first
``lead_sentences`` (2) body sentences ``lead_weight`` (2) times and every later sentence once.

To scale to many thousands of articles, all sentences are joined into one string and scanned
once by a single regular expression built as a trie of every term (the engine follows the
text letter by letter instead of trying each term in turn); what each frame makes of a match
is worked out once per distinct matched text. The cost grows with the length of the corpus, not
with the number of terms times the number of sentences.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from corpusutils.language import split_by_language
from corpusutils.text import sentences, tokens

__all__ = [
    "frame_evidence",
    "frame_matches",
    "frames",
    "load_frame_lexicon",
    "load_term_sets",
    "term_choice",
]

LexiconLike = pd.DataFrame | Mapping[str, Iterable[str]] | None

# Units are joined with a character that is neither a word character nor whitespace, so no
# term (and no word boundary) can reach across two sentences.
_SEP = "\x00"
# str.lower() keeps the length of every character except U+0130 (dotted capital I), which
# becomes two; mapping it first keeps offsets in the lowered text equal to offsets in the text.
_SAME_LENGTH_LOWER = {0x130: "i"}
_TERM_SHAPE = re.compile(r"^\w(?:.*[\w*])?$")
_CANONICAL = str.maketrans({"’": "'", "‐": "-", "‑": "-"})
_WHITESPACE = re.compile(r"\s+")
_WORD_TAIL = re.compile(r"\w*")


#: The packaged lexicons a name can stand for, besides a file path.
PACKAGED_LEXICONS = {
    "generic": "frames.csv",
    "kazakhstan-2023": "examples/kazakhstan-2023/frames.csv",
}
#: The example term sets of the seed event (``load_term_sets()`` without a path).
EXAMPLE_TERM_SETS = "examples/kazakhstan-2023/term_choice.csv"


def _read_data_csv(name: str, path: str | Path | None) -> pd.DataFrame:
    if path is None:
        raw = resources.files("corpusutils.data").joinpath(name).read_text("utf-8")
    else:
        try:
            raw = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: cannot be read ({exc})") from None
    return pd.read_csv(io.StringIO(raw), dtype=str, keep_default_na=False)


def load_frame_lexicon(
    path: str | Path | Sequence[str | Path] | None = None,
) -> pd.DataFrame:
    """The frame lexicon: frame, family, term, comment, source.

    ``path`` is a CSV file, the name of a packaged lexicon (``"generic"``, the default: the
    five generic frames; ``"kazakhstan-2023"``: the seed event's issue frames), or a list of
    them, read one after another into one table. ``attrs["sources"]`` names what was read.

    >>> lexicon = load_frame_lexicon()
    >>> sorted(lexicon["frame"].unique())
    ['conflict', 'economic_consequences', 'human_interest', 'morality', 'responsibility']
    >>> both = load_frame_lexicon(["generic", "kazakhstan-2023"])
    >>> both.query("frame == 'sovereignty'")["term"].head(2).tolist()
    ['sovereign*', 'territorial integrity']
    >>> both.attrs["sources"]
    ['generic', 'kazakhstan-2023']
    """
    paths = ["generic"] if path is None else [path] if isinstance(path, str | Path) else path
    tables = []
    for one in paths:
        packaged = PACKAGED_LEXICONS.get(str(one))
        table = _read_data_csv(packaged, None) if packaged else _read_data_csv("", one)
        missing = {"frame", "term"} - set(table.columns)
        if missing:
            raise ValueError(
                f"{one}: a frame lexicon needs the columns frame and term; missing "
                f"{', '.join(sorted(missing))}"
            )
        for column in ("family", "comment", "source"):
            if column not in table.columns:
                table[column] = ""
        tables.append(table)
    if not tables:
        raise ValueError("no frame lexicon given")
    out = pd.concat(tables, ignore_index=True)
    out.attrs["sources"] = [str(one) if str(one) in PACKAGED_LEXICONS else Path(one).name
                            for one in paths]
    return out


def load_term_sets(path: str | Path | None = None) -> pd.DataFrame:
    """Concept term sets for :func:`term_choice`: concept, term, comment.

    Without ``path``, the seed event's example (``data/examples/kazakhstan-2023``).

    >>> load_term_sets().query("concept == 'war'")["term"].head(3).tolist()
    ['invasion', 'full-scale invasion', 'war']
    """
    table = _read_data_csv(EXAMPLE_TERM_SETS, path)
    missing = {"concept", "term"} - set(table.columns)
    if missing:
        raise ValueError(
            f"{path or EXAMPLE_TERM_SETS}: a term set file needs the columns concept and term; "
            f"missing {', '.join(sorted(missing))}"
        )
    if "comment" not in table.columns:
        table["comment"] = ""
    return table


def _normalise_term(term: str) -> str:
    """Lower case, single spaces, ``'`` for ``’`` and ``-`` for the other hyphens; validated."""
    term = " ".join(str(term).lower().split()).translate(_CANONICAL)
    if not _TERM_SHAPE.match(term) or "*" in term[:-1]:
        raise ValueError(
            f"bad term {term!r}: a term starts with a letter or digit and ends with one or "
            "with a single *"
        )
    return term


def _canonical(matched: str) -> str:
    """The lexicon spelling of matched (lower-cased) text: the inverse of :func:`_atoms`."""
    return _WHITESPACE.sub(" ", matched).translate(_CANONICAL)


def _atoms(term: str) -> list[str]:
    """The regular expression pieces of a normalised term, one per character."""
    parts = []
    for ch in term:
        if ch == "*":
            parts.append(r"\w*")
        elif ch == " ":
            parts.append(r"\s+")
        elif ch == "'":
            parts.append("['’]")
        elif ch == "-":
            parts.append("[-‐‑]")
        else:
            parts.append(re.escape(ch))
    return parts


def _trie(terms: Iterable[str]) -> str:
    r"""One regular expression for ``terms``, factored as a trie so that the engine follows the
    text instead of trying every term in turn.

    At each node the literal continuations come first, then a closing ``\w*``, then the end of
    a term; as the continuations of a node start with different characters, the first path that
    ends at a word boundary is the longest term that matches there.
    """
    end = ""
    root: dict = {}
    for term in terms:
        node = root
        for atom in _atoms(term):
            node = node.setdefault(atom, {})
        node[end] = {}

    def emit(node: dict) -> str:
        children = sorted((a for a in node if a), key=lambda a: a == r"\w*")
        alternatives = [a + emit(node[a]) for a in children]
        if not alternatives:
            return ""
        if len(alternatives) == 1 and end not in node:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")" + ("?" if end in node else "")

    return emit(root)


class _Lexicon:
    """Compiled term groups (frames, or one group per term for :func:`term_choice`).

    One scan finds, at every word start, the longest term of any group that matches there;
    what each group matches at that spot is a prefix of that text, worked out once per distinct
    text and remembered.
    """

    def __init__(self, groups: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.names = tuple(name for name, _ in groups)
        all_terms = dict.fromkeys(t for _, terms in groups for t in terms)
        self._scanner = re.compile(rf"\b(?=({_trie(all_terms)})\b)")
        self._patterns = tuple(re.compile(rf"(?:{_trie(terms)})\b") for _, terms in groups)
        self._exact = tuple({t: t for t in terms if not t.endswith("*")} for _, terms in groups)
        self._prefixes = tuple(
            sorted(((t[:-1], t) for t in terms if t.endswith("*")), key=lambda p: -len(p[0]))
            for _, terms in groups
        )
        self._resolved: dict[str, tuple[tuple[int, str, int], ...]] = {}

    def _term(self, group: int, matched: str) -> str:
        canonical = _canonical(matched)
        exact = self._exact[group].get(canonical)
        if exact is not None:
            return exact
        for prefix, term in self._prefixes[group]:
            if canonical.startswith(prefix) and _WORD_TAIL.fullmatch(canonical, len(prefix)):
                return term
        raise AssertionError(f"no term of group {group} explains {matched!r}")

    def _resolve(self, text: str) -> tuple[tuple[int, str, int], ...]:
        """(group, term, length) of every group with a term matching at the start of text."""
        found = self._resolved.get(text)
        if found is None:
            hits = []
            for group, pattern in enumerate(self._patterns):
                m = pattern.match(text)
                if m:
                    hits.append((group, self._term(group, m.group()), m.end()))
            found = self._resolved[text] = tuple(hits)
        return found

    def scan(self, texts: Iterable[str]) -> pd.DataFrame:
        """Every match in ``texts``: unit (position in texts), group, term, start, end.

        Within a group, matches do not overlap (the scan resumes after a match, as
        ``re.finditer`` would); different groups may match the same words.
        """
        joined = _Joined.of(texts)
        starts: list[int] = []
        lengths: list[int] = []
        groups: list[int] = []
        terms: list[str] = []
        free_from = [0] * len(self.names)
        for m in self._scanner.finditer(joined.lowered):
            pos = m.start()
            for group, term, length in self._resolve(m.group(1)):
                if pos >= free_from[group]:
                    free_from[group] = pos + length
                    starts.append(pos)
                    lengths.append(length)
                    groups.append(group)
                    terms.append(term)
        start = np.asarray(starts, dtype=np.int64)
        unit = np.searchsorted(joined.offsets, start, side="right") - 1
        local = start - joined.offsets[unit]
        return pd.DataFrame(
            {
                "unit": unit.astype(np.int64),
                "group": np.asarray(groups, dtype=np.int64),
                "term": pd.Series(terms, dtype=object),
                "start": local,
                "end": local + np.asarray(lengths, dtype=np.int64),
            }
        )


@functools.lru_cache(maxsize=32)
def _compile(groups: tuple[tuple[str, tuple[str, ...]], ...]) -> _Lexicon:
    return _Lexicon(groups)


def _lexicon(lexicon: LexiconLike) -> _Lexicon:
    if lexicon is None:
        lexicon = load_frame_lexicon()
    if isinstance(lexicon, pd.DataFrame):
        if not {"frame", "term"} <= set(lexicon.columns):
            raise ValueError("a frame lexicon needs the columns frame and term")
        pairs = zip(lexicon["frame"], lexicon["term"], strict=True)
    else:
        pairs = ((frame, term) for frame, ts in lexicon.items() for term in ts)
    spec: dict[str, dict[str, None]] = {}
    for frame, term in pairs:
        if not isinstance(term, str) or not term.strip():
            continue
        spec.setdefault(str(frame), {})[_normalise_term(term)] = None
    if not spec:
        raise ValueError("the frame lexicon has no terms")
    return _compile(tuple((frame, tuple(ts)) for frame, ts in spec.items()))


def _check_columns(docs: pd.DataFrame, by: str) -> None:
    for col in ("doc_id", by, "text"):
        if col not in docs.columns:
            hint = " (clean the corpus first: load_corpus(..., clean=True))"
            hint = hint if col == "text" else ""
            raise ValueError(f"docs has no column {col!r}{hint}")


def _has_headline(docs: pd.DataFrame) -> np.ndarray:
    """Which rows of ``docs`` have a non-empty headline."""
    if "headline" not in docs.columns:
        return np.zeros(len(docs), dtype=bool)
    return np.fromiter(
        (isinstance(h, str) and bool(h.strip()) for h in docs["headline"]),
        dtype=bool,
        count=len(docs),
    )


def _units(docs: pd.DataFrame, by: str, headline: bool) -> pd.DataFrame:
    """Headline and body sentences: doc_id, <by>, sentence, is_headline, text (doc order)."""
    _check_columns(docs, by)
    docs = split_by_language(docs)[0]  # the lexicons are English
    keys = ["doc_id"] if by == "doc_id" else ["doc_id", by]
    body = sentences(docs, by=by)[[*keys, "sentence", "text"]].assign(is_headline=False)
    parts = [body]
    has = _has_headline(docs)
    if headline and has.any():
        head = docs.loc[has, keys].assign(
            sentence=-1, text=docs.loc[has, "headline"].to_numpy(), is_headline=True
        )
        parts.insert(0, head)
    units = pd.concat(parts, ignore_index=True)
    position = pd.Series(np.arange(len(docs)), index=docs["doc_id"].to_numpy())
    units["_pos"] = units["doc_id"].map(position)
    units = units.sort_values(["_pos", "sentence"], kind="stable").drop(columns="_pos")
    units["sentence"] = units["sentence"].astype("int64")
    units["is_headline"] = units["is_headline"].astype(bool)
    return units[[*keys, "sentence", "is_headline", "text"]].reset_index(drop=True)


@dataclass(frozen=True)
class _Joined:
    """Texts joined into one lower-cased string, with each text's start offset."""

    original: str
    lowered: str
    offsets: np.ndarray

    @classmethod
    def of(cls, texts: Iterable[str]) -> _Joined:
        texts = [t.replace(_SEP, " ") for t in texts]
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        original = _SEP.join(texts)
        if "\u0130" in original:
            original_for_lower = original.translate(_SAME_LENGTH_LOWER)
        else:
            original_for_lower = original
        return cls(original, original_for_lower.lower(), offsets)


def frame_matches(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    lexicon: LexiconLike = None,
    headline: bool = True,
) -> pd.DataFrame:
    """Every frame term found, one row per match: doc_id, <by>, sentence, is_headline, frame,
    term, matched, match_start, match_end, text.

    ``sentence`` is the body sentence number (0-based) or -1 for the headline; ``term`` is the
    lexicon entry ("sanction*"), ``matched`` the words as written ("sanctions"), and
    ``text[match_start:match_end] == matched`` where ``text`` is the sentence.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "headline": ["War and trade"],
    ...                      "text": ["New sanctions hit trade routes. Talks went on."]})
    >>> lex = {"economy": ["sanction*", "trade route*", "trade"]}
    >>> frame_matches(docs, lexicon=lex)[["sentence", "term", "matched"]].to_dict("list")
    {'sentence': [-1, 0, 0], 'term': ['trade', 'sanction*', 'trade route*'], \
'matched': ['trade', 'sanctions', 'trade routes']}
    """
    lex = _lexicon(lexicon)
    units = _units(docs, by, headline)
    table = lex.scan(units["text"]).sort_values(["unit", "start", "group"], kind="stable")
    rows = units.iloc[table["unit"].to_numpy()].reset_index(drop=True)
    texts = rows["text"].tolist()
    out = rows.drop(columns="text")
    out["frame"] = [lex.names[i] for i in table["group"]]
    out["term"] = table["term"].to_numpy()
    starts, ends = table["start"].to_numpy(), table["end"].to_numpy()
    out["matched"] = [t[a:b] for t, a, b in zip(texts, starts, ends, strict=True)]
    out["match_start"] = starts
    out["match_end"] = ends
    out["text"] = texts
    return out


def frames(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    lexicon: LexiconLike = None,
    headline: bool = True,
    headline_weight: float = 3.0,
    lead_weight: float = 2.0,
    lead_sentences: int = 2,
) -> pd.DataFrame:
    """Share of sentences carrying each frame, one row per (group, frame): <by>, frame, n_docs,
    n_sentences, n_with_frame, share, lead_weighted_share.

    Sentences are pooled within a group (the headline counts as one sentence): ``share`` is
    ``n_with_frame / n_sentences``. ``lead_weighted_share`` is the same with the headline
    counted ``headline_weight`` times, body sentences before ``lead_sentences`` counted
    ``lead_weight`` times and the rest once. Every frame of the lexicon gets a row for every
    group, zero when absent; a group without sentences gets NaN shares. ``by="doc_id"`` gives
    one row per document and frame.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "headline": ["War in Ukraine"],
    ...                      "text": ["The war began. Prices rose. Talks went on."]})
    >>> out = frames(docs, lexicon={"war": ["war"]})  # weights 3 (headline), 2, 2, 1
    >>> out[["n_sentences", "n_with_frame", "share", "lead_weighted_share"]].to_dict("records")
    [{'n_sentences': 4, 'n_with_frame': 2, 'share': 0.5, 'lead_weighted_share': 0.625}]
    """
    if lead_sentences < 0:
        raise ValueError("lead_sentences must be >= 0")
    lex = _lexicon(lexicon)
    units = _units(docs, by, headline)
    table = lex.scan(units["text"])
    n_frames = len(lex.names)
    carries = np.zeros((len(units), n_frames), dtype=bool)
    carries[table["unit"].to_numpy(), table["group"].to_numpy()] = True
    sentence = units["sentence"].to_numpy()
    weight = np.where(
        units["is_headline"].to_numpy(),
        headline_weight,
        np.where(sentence < lead_sentences, lead_weight, 1.0),
    ).astype(float)

    groups = units[by].to_numpy()
    plain = pd.DataFrame(carries, columns=range(n_frames)).groupby(groups, dropna=False).sum()
    weighted = (
        pd.DataFrame(carries * weight[:, None], columns=range(n_frames))
        .groupby(groups, dropna=False)
        .sum()
    )
    sizes = pd.Series(1, index=range(len(units))).groupby(groups, dropna=False).sum()
    weights = pd.Series(weight).groupby(groups, dropna=False).sum()

    n_docs = docs.groupby(by, dropna=False, sort=True).size()
    all_groups = n_docs.index
    plain = plain.reindex(all_groups, fill_value=0)
    weighted = weighted.reindex(all_groups, fill_value=0.0)
    sizes = sizes.reindex(all_groups, fill_value=0)
    weights = weights.reindex(all_groups, fill_value=0.0)

    n_groups = len(all_groups)
    n_sent = np.repeat(sizes.to_numpy(), n_frames)
    n_with = plain.to_numpy().reshape(-1)
    return pd.DataFrame(
        {
            by: np.repeat(all_groups.to_numpy(), n_frames),
            "frame": np.tile(np.asarray(lex.names, dtype=object), n_groups),
            "n_docs": np.repeat(n_docs.to_numpy(), n_frames).astype("int64"),
            "n_sentences": n_sent.astype("int64"),
            "n_with_frame": n_with.astype("int64"),
            "share": _ratio(n_with, n_sent),
            "lead_weighted_share": _ratio(
                weighted.to_numpy().reshape(-1), np.repeat(weights.to_numpy(), n_frames)
            ),
        }
    )


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den as floats, NaN where den is 0."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def frame_evidence(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    frame: str | Iterable[str] | None = None,
    lexicon: LexiconLike = None,
    headline: bool = True,
) -> pd.DataFrame:
    """The sentences behind each frame, one row per (group, frame, sentence): <by>, frame,
    doc_id, sentence, is_headline, n_matches, terms, matched, text.

    ``terms`` and ``matched`` list the lexicon terms and the words as written, in order of
    appearance, joined with "; ". ``frame`` keeps only the named frame(s).

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["Sanctions bit. Nothing else. More sanctions came."]})
    >>> ev = frame_evidence(docs, lexicon={"economy": ["sanction*"]}, frame="economy")
    >>> ev[["sentence", "terms", "text"]].to_dict("list")
    {'sentence': [0, 2], 'terms': ['sanction*', 'sanction*'], \
'text': ['Sanctions bit.', 'More sanctions came.']}
    """
    lex = _lexicon(lexicon)
    wanted = list(lex.names)
    if frame is not None:
        wanted = [frame] if isinstance(frame, str) else list(frame)
        unknown = [f for f in wanted if f not in lex.names]
        if unknown:
            raise ValueError(f"unknown frame(s) {unknown}; the lexicon has {list(lex.names)}")
    units = _units(docs, by, headline)
    table = lex.scan(units["text"])
    table = table[table["group"].isin([lex.names.index(f) for f in wanted])]
    table = table.sort_values(["unit", "group", "start"], kind="stable")
    keys = list(dict.fromkeys([by, "frame", "doc_id", "sentence"]))
    columns = [*keys, "is_headline", "n_matches", "terms", "matched", "text"]

    unit = table["unit"].to_numpy()
    group = table["group"].to_numpy()
    # one evidence row per run of equal (unit, group) in the sorted match table
    new_run = np.ones(len(table), dtype=bool)
    new_run[1:] = (unit[1:] != unit[:-1]) | (group[1:] != group[:-1])
    bounds = [*np.flatnonzero(new_run).tolist(), len(table)]
    texts = units["text"].to_numpy()
    term_list = table["term"].tolist()
    starts, ends = table["start"].tolist(), table["end"].tolist()
    terms, matched = [], []
    for a, b in itertools.pairwise(bounds):
        text = texts[unit[a]]
        terms.append("; ".join(dict.fromkeys(term_list[a:b])))
        spans = zip(starts[a:b], ends[a:b], strict=True)
        matched.append("; ".join(dict.fromkeys(text[i:j] for i, j in spans)))
    first = np.asarray(bounds[:-1], dtype=np.int64)
    out = units.iloc[unit[first]].reset_index(drop=True)
    out["frame"] = [lex.names[g] for g in group[first]]
    out["_frame"] = group[first]
    out["n_matches"] = np.diff(bounds).astype("int64")
    out["terms"] = terms
    out["matched"] = matched
    # units are in document and sentence order, so a stable sort keeps that order within a frame
    out = out.sort_values(list(dict.fromkeys([by, "_frame"])), kind="stable")
    return out.reset_index(drop=True)[columns]


def term_choice(
    docs: pd.DataFrame,
    terms: Sequence[str] | None = None,
    *,
    by: str = "agency",
    concept: str = "war",
    term_sets: pd.DataFrame | None = None,
    headline: bool = True,
) -> pd.DataFrame:
    """How often each group uses each of several words for one thing, one row per (group, term):
    <by>, term, count, n_words, per_1000_words, n_docs_using, n_docs.

    ``terms`` default to the ``concept`` set of ``term_sets`` (a table of
    :func:`load_term_sets`; by default the seed event's example, where "war" is invasion,
    war, conflict, attack, ...). Each term is counted on its own, by the matching
    rules of this module, in headline and body: "full-scale invasion" also counts as
    "invasion". ``n_words`` is the group's word tokens (:func:`corpusutils.text.tokens`) in the
    same text.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["AP", "EFE"],
    ...                      "text": ["The invasion of Ukraine.", "The war, the war."]})
    >>> term_choice(docs, ["invasion", "war"])[["agency", "term", "count", "n_docs_using"]]
      agency      term  count  n_docs_using
    0     AP  invasion      1             1
    1     AP       war      0             0
    2    EFE  invasion      0             0
    3    EFE       war      2             1
    """
    if terms is None:
        sets = load_term_sets() if term_sets is None else term_sets
        terms = sets.loc[sets["concept"] == concept, "term"].tolist()
        if not terms:
            raise ValueError(f"no term set {concept!r}; known: {sorted(set(sets['concept']))}")
    elif isinstance(terms, str):
        terms = [terms]
    normalised = list(dict.fromkeys(_normalise_term(t) for t in terms))
    _check_columns(docs, by)
    docs = split_by_language(docs)[0]  # the term sets are English

    pieces: list[str] = []
    owner: list[int] = []
    heads = docs["headline"] if headline and "headline" in docs.columns else [None] * len(docs)
    for i, (head, text) in enumerate(zip(heads, docs["text"], strict=True)):
        for piece in (head, text):
            if isinstance(piece, str) and piece.strip():
                pieces.append(piece)
                owner.append(i)
    owner_a = np.asarray(owner, dtype=np.int64)
    n_words_doc = np.bincount(
        owner_a, weights=[len(tokens(p)) for p in pieces], minlength=len(docs)
    ).astype(np.int64)
    # every term is a group of its own, so each is counted independently of the others
    table = _compile(tuple((t, (t,)) for t in normalised)).scan(pieces)
    counts = np.zeros((len(docs), len(normalised)), dtype=np.int64)
    np.add.at(counts, (owner_a[table["unit"].to_numpy()], table["group"].to_numpy()), 1)

    groups = docs[by].to_numpy()
    per_group = pd.DataFrame(counts, columns=normalised).groupby(groups, dropna=False)
    count = per_group.sum()
    using = (pd.DataFrame(counts > 0, columns=normalised)).groupby(groups, dropna=False).sum()
    words = pd.Series(n_words_doc).groupby(groups, dropna=False).sum()
    n_docs = pd.Series(1, index=range(len(docs))).groupby(groups, dropna=False).sum()

    n_terms = len(normalised)
    out = pd.DataFrame(
        {
            by: np.repeat(count.index.to_numpy(), n_terms),
            "term": np.tile(np.asarray(normalised, dtype=object), len(count)),
            "count": count.to_numpy().reshape(-1).astype("int64"),
            "n_words": np.repeat(words.to_numpy(), n_terms).astype("int64"),
            "n_docs_using": using.to_numpy().reshape(-1).astype("int64"),
            "n_docs": np.repeat(n_docs.to_numpy(), n_terms).astype("int64"),
        }
    )
    out.insert(4, "per_1000_words", 1000 * _ratio(out["count"], out["n_words"]))
    return out
