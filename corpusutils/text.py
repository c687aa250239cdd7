"""Sentences and word tokens of cleaned article text, offline and rule-based.

Sentence splitting reads the abbreviation list in ``corpusutils/data/abbreviations.txt`` (a
readable file; see its header for what each section means) instead of NLTK's punkt model, which
would need a download. The rules, in order, for a candidate boundary (``.``, ``!``, ``?``, an
ellipsis, optionally followed by closing quotes or brackets, then whitespace):

* never across a paragraph break (a blank line); a sentence never ends without whitespace after
  it, so "3.5%", "U.S.-led" and "C5+1" stay whole;
* never before a word starting with a lower-case letter or with ``,;:)`` ("etc. and", "usual,”
  Blinken said" has no candidate at all);
* a bare full stop after a title ("Mr.", "Lt. Col."), an initial ("George W. Bush") or an
  ``[before_number]`` word before a number ("Feb. 24") does not end a sentence; after a dotted
  abbreviation ("U.S.") or an ``[ambiguous]`` one it ends a sentence only when the next word
  is a typical sentence opener ("... in the U.S. The talks");
* a full stop, ``?`` or ``!`` followed by closing quotes ('he said." Next') ends the sentence
  after the quotes; an ellipsis ("…", "...", or spaced, "rose . . . and fell") ends one only
  before a capital letter or an opening quote.

Counting folds quotation marks: :func:`fold_quotes` writes typographic apostrophes and quotes
straight, one character for one, so "Russia’s" and "Russia's" are one word in every count while
the text keeps what was written.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["fold_quotes", "fold_token", "sentences", "split_sentences", "token_spans", "tokens"]

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
# Possessive runs, and a run of stops is tried only from its first stop: a shorter run, or a
# later start in the same run, would meet the same character after it, so giving back can
# never help, and trying it made a long run of full stops cost its length squared.
_BOUNDARY = re.compile(
    r"(?<![.!?…])(?P<term>[.!?…]++)(?P<close>[" + re.escape(_CLOSERS) + r"]*+)"
    r"(?=\s++(?P<next>\S+))"
)
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_LEADING_OPENERS = re.compile(r"^[" + re.escape(_OPENERS) + r"]+")
_DOTTED = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
_INITIAL = re.compile(r"^[^\W\d_]$")


@dataclass(frozen=True)
class _Abbreviations:
    title: frozenset[str]
    before_number: frozenset[str]
    ambiguous: frozenset[str]
    starters: frozenset[str]


@functools.cache
def _abbreviations() -> _Abbreviations:
    """Read the abbreviation sections from the package data (once per process)."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    raw = resources.files("corpusutils.data").joinpath("abbreviations.txt").read_text("utf-8")
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is not None:
            current.add(line)
    return _Abbreviations(
        **{name: frozenset(sections.get(name, ())) for name in _Abbreviations.__annotations__}
    )


def _word_before(text: str, end: int, floor: int) -> str:
    """The whitespace-delimited word ending at ``end``, without opening quotes or brackets."""
    start = end
    while start > floor and not text[start - 1].isspace():
        start -= 1
    return _LEADING_OPENERS.sub("", text[start:end])


def _ends_sentence(text: str, match: re.Match[str], floor: int, abbr: _Abbreviations) -> bool:
    nxt = match["next"]
    first = nxt[0]
    if first.islower() or first in ",;:)]}%":
        return False
    term, close = match["term"], match["close"]
    dots = nxt.rstrip(_CLOSERS + ",;:")
    if term == "." and dots and not dots.strip("."):
        return False  # a spaced ellipsis goes on ("rose . . . and fell", "time. ... Guam")
    if "…" in term or "..." in term or _ends_spaced_ellipsis(text, match.start()):
        return first.isupper() or first in _OPENERS
    if term != "." or close:
        return True
    word = _word_before(text, match.start(), floor)
    bare_next = _LEADING_OPENERS.sub("", nxt)
    if word in abbr.title or _INITIAL.match(word):
        return False
    if word in abbr.before_number:
        return not first.isdigit()
    if word in abbr.ambiguous or _DOTTED.match(word):
        return bare_next.rstrip(",;:") in abbr.starters
    return True


def _ends_spaced_ellipsis(text: str, start: int) -> bool:
    """True when the full stop at ``start`` closes a spaced ellipsis (". . .")."""
    return text[max(0, start - 4) : start] == ". . "


def _is_abbreviation(word: str) -> bool:
    """True when a full stop after ``word`` (given without it) may not end a sentence."""
    abbr = _abbreviations()
    word = _LEADING_OPENERS.sub("", word)
    return bool(
        word in abbr.title
        or word in abbr.before_number
        or word in abbr.ambiguous
        or _INITIAL.match(word)
        or _DOTTED.match(word)
    )


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank paragraphs of a cleaned ``text`` (separated by blank lines).

    >>> paragraph_bounds("First one.\\n\\nSecond one.")
    [(0, 10), (12, 23)]
    """
    spans = []
    start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _sentence_spans(text: str) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) for every sentence of ``text``."""
    abbr = _abbreviations()
    out = []
    for paragraph, (p_start, p_end) in enumerate(paragraph_bounds(text)):
        start = p_start
        for match in _BOUNDARY.finditer(text, p_start, p_end):
            if _ends_sentence(text, match, p_start, abbr):
                span = _trim(text, start, match.end())
                if span:
                    out.append((paragraph, *span))
                start = match.end()
        span = _trim(text, start, p_end)
        if span:
            out.append((paragraph, *span))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of a cleaned text, trimmed, never across paragraphs.

    >>> text = 'Mr. Blinken met Lt. Col. Smith on Feb. 24 in the U.S. capital. "Good," he said.'
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Mr. Blinken met Lt. Col. Smith on Feb. 24 in the U.S. capital.', '"Good," he said.']
    """
    return [(start, end) for _, start, end in _sentence_spans(text)]


def sentences(docs: pd.DataFrame, *, by: str = "agency") -> pd.DataFrame:
    """One row per sentence of ``docs.text``: doc_id, <by>, paragraph, sentence, text, start, end.

    ``paragraph`` and ``sentence`` count from 0 within each document; ``start``/``end`` are
    offsets into that document's ``text``, so ``text[start:end]`` is the sentence.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["One. Two?\\n\\nThree, he said."]})
    >>> sentences(docs)[["paragraph", "sentence", "text", "start"]].to_dict("list")
    {'paragraph': [0, 0, 1], 'sentence': [0, 1, 2], 'text': ['One.', 'Two?', 'Three, he said.'], \
'start': [0, 5, 11]}
    """
    if "text" not in docs.columns:
        raise ValueError(
            "docs has no 'text' column: clean the corpus first "
            "(corpusutils.clean.clean_corpus(docs) or load_corpus(..., clean=True))"
        )
    missing = [c for c in ("doc_id", by) if c not in docs.columns]
    if missing:
        raise ValueError(f"docs has no column {missing[0]!r}")
    if by in _SENTENCE_COLUMNS:
        raise ValueError(f"by={by!r} is a column of the sentences frame; group by another")
    texts = [t if isinstance(t, str) else "" for t in docs["text"]]
    spans = [_sentence_spans(t) for t in texts]
    counts = [len(s) for s in spans]
    columns = {"doc_id": np.repeat(docs["doc_id"].to_numpy(), counts)}
    if by != "doc_id":
        columns[by] = np.repeat(docs[by].to_numpy(), counts)
    columns["paragraph"] = np.fromiter(
        (p for doc in spans for p, _, _ in doc), dtype=np.int64, count=sum(counts)
    )
    columns["sentence"] = np.concatenate(
        [np.arange(n, dtype=np.int64) for n in counts] or [np.zeros(0, dtype=np.int64)]
    )
    columns["text"] = [t[a:b] for t, doc in zip(texts, spans, strict=True) for _, a, b in doc]
    columns["start"] = np.fromiter(
        (a for doc in spans for _, a, _ in doc), dtype=np.int64, count=sum(counts)
    )
    columns["end"] = np.fromiter(
        (b for doc in spans for _, _, b in doc), dtype=np.int64, count=sum(counts)
    )
    return pd.DataFrame(columns)


_SENTENCE_COLUMNS = ("paragraph", "sentence", "text", "start", "end")


# Apostrophe-like marks (typographic, modifier letter, acute and grave accents, prime) and
# double quotation marks, each folded to its straight form; one character for one, so offsets
# into a folded text are offsets into the text.
_QUOTE_FOLD = str.maketrans(dict.fromkeys("’‘ʼ´`′", "'") | dict.fromkeys("“”„‟″«»", '"'))
# The same marks as (mark, straight form) pairs: replacing them one after the other, each only
# where it occurs, gives what translate gives (no straight form is itself a mark) some twenty
# times faster on article-long text, where translate looks up every character.
_QUOTE_MARKS = tuple((chr(mark), straight) for mark, straight in _QUOTE_FOLD.items())


def fold_quotes(text: str) -> str:
    """``text`` with typographic apostrophes and quotation marks written straight.

    Every count (keyness, distinctive terms, reuse, stories, name spellings, readability)
    folds its words with this, so that an agency's house style of apostrophe never makes a
    word of its own. Each mark is replaced by one character: offsets stay valid.

    >>> print(fold_quotes("Russia’s “war” and Russia's ‘war’"))
    Russia's "war" and Russia's 'war'
    """
    for mark, straight in _QUOTE_MARKS:
        if mark in text:
            text = text.replace(mark, straight)
    return text


def fold_token(token: str) -> str:
    """The form a word token is counted under: quotes folded, lower case except acronyms.

    An all-capital token of two or more letters stays as written, so that "US" is not counted
    as the pronoun "us".

    >>> [fold_token(t) for t in ("Russia’s", "russia's", "US", "A")]
    ["russia's", "russia's", 'US', 'a']
    """
    token = token.translate(_QUOTE_FOLD)
    return token if len(token) > 1 and token.isupper() else token.lower()


# A token is a dotted abbreviation of single letters ("U.S.", "U.N."), or a run of letters and
# digits (any script, with combining marks) that may contain a hyphen or an apostrophe (any of
# ' ’ ‘ ´) between two such runs ("Kassym-Jomart", "Kazakhstan’s" stay whole), or a comma or
# full stop between two digits ("7,500", "3.5"). Everything else separates tokens. A dotted
# abbreviation is tried only where one can start (not right after "x."), and its run never
# gives back, so "a.a.a. ... a.b" costs its length, not its length squared. A run of letters
# and marks is taken a class at a time and never given back (nothing after it could use what
# it gave back): the same tokens, a quarter faster than a character at a time.
_RUN = r"(?:[^\W_]++|[\u0300-\u036f]++)++"
_TOKEN = re.compile(
    r"(?<![^\W_])(?<![^\W\d_]\.)(?:[^\W\d_]\.){2,}+(?![^\W_])"
    rf"|{_RUN}(?:(?:[-‐‑'’‘´]|(?<=\d)[.,](?=\d)){_RUN})*+"
)


def token_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every word token of ``text``; see :func:`tokens` for the rule.

    >>> token_spans("C5+1 format")
    [(0, 2), (3, 4), (5, 11)]
    """
    return [m.span() for m in _TOKEN.finditer(text)]


def tokens(text: str) -> list[str]:
    """Word tokens of ``text``, as they are written (no case folding).

    A token is a run of letters or digits of any script. A hyphen or apostrophe (``'`` or
    ``’``) between two such runs joins them, so compounds and possessives stay one token
    ("Kassym-Jomart", "Kazakhstan’s", "don't"); a comma or full stop between two digits joins
    them ("7,500", "3.5"). A dotted abbreviation of single letters keeps its dots ("U.S.").
    Every other character (punctuation, symbols, "%", "+") separates tokens and is dropped.

    >>> tokens("Kazakhstan’s President Kassym-Jomart Tokayev: a 7,500 km border, 3.5% (C5+1).")
    ['Kazakhstan’s', 'President', 'Kassym-Jomart', 'Tokayev', 'a', '7,500', 'km', 'border', \
'3.5', 'C5', '1']
    >>> tokens("U.S. officials met U.N. staff in the U.S.")
    ['U.S.', 'officials', 'met', 'U.N.', 'staff', 'in', 'the', 'U.S.']
    """
    return _TOKEN.findall(text)
