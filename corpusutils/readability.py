"""Readability and lexical diversity of each article's cleaned body text.

Everything is computed on ``docs.text`` (the cleaned body), never on headlines, bylines or
other furniture. The readability formulas are textstat's own, so every value equals what
``textstat`` returns for the same text (with its default settings: English, no rounding); they
are computed here from each text's words and syllables counted once, not by calling textstat
seven times over. Columns of :func:`readability` (one row per document):

``doc_id``, ``<by>``
    The document and its group (the ``by`` column is carried so the frame groups directly).
``flesch_reading_ease`` ... ``dale_chall_readability_score``
    textstat's ``flesch_reading_ease``, ``flesch_kincaid_grade``, ``gunning_fog``,
    ``smog_index``, ``coleman_liau_index``, ``automated_readability_index`` and
    ``dale_chall_readability_score`` of the text.
``words``
    textstat's word count (``lexicon_count``), the count its formulas use.
``sentences``
    Sentences found by :func:`corpusutils.text.split_sentences`, the same sentences the
    sentiment analysis scores.
``textstat_sentences``
    textstat's own sentence count (``sentence_count``), the one its formulas use. It differs
    from ``sentences`` because textstat ends a sentence at every full stop ("U.S.", "Feb. 24")
    and ignores "sentences" of two words or fewer; kept so the formulas can be checked.
``mean_sentence_length``, ``median_sentence_length``
    Words per sentence over the ``sentences`` above (textstat's word count of each).
``syllables``, ``syllables_per_word``
    textstat's ``syllable_count`` and ``avg_syllables_per_word`` (CMU dictionary, else Pyphen).
``polysyllables``, ``polysyllable_share``
    textstat's ``polysyllabcount`` (words of three or more syllables) and its share of ``words``.
``mtld``
    Measure of Textual Lexical Diversity (McCarthy & Jarvis 2010); see :func:`mtld`.
``grade``
    The mean of the five grade-level formulas (:data:`GRADE_LEVELS`): one US school grade
    per article, for summaries; each formula is in its own column.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections import Counter
from types import ModuleType

import pandas as pd

from corpusutils.language import split_by_language
from corpusutils.parallel import map_texts
from corpusutils.resources import ensure_cmudict
from corpusutils.text import fold_quotes, split_sentences, tokens

__all__ = ["GRADE_LEVELS", "MTLD_THRESHOLD", "readability", "mtld", "readability_by"]

#: The type-token ratio at which an MTLD factor is complete (McCarthy & Jarvis 2010).
MTLD_THRESHOLD = 0.72

#: textstat formulas reported, in column order.
FORMULAS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
)

#: The formulas that give a US school grade, so they share one axis; ``grade`` is their mean.
GRADE_LEVELS = (
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
)

#: Every measure column of :func:`readability`, in order.
MEASURES = (
    *FORMULAS,
    "words",
    "sentences",
    "textstat_sentences",
    "mean_sentence_length",
    "median_sentence_length",
    "syllables",
    "syllables_per_word",
    "polysyllables",
    "polysyllable_share",
    "mtld",
    "grade",
)


def _mtld_one_way(words: list[str], threshold: float) -> float:
    """Number of factors in one pass: complete factors plus the partial factor of the rest."""
    factors = 0.0
    types: set[str] = set()
    count = 0
    ttr = 1.0
    for word in words:
        count += 1
        types.add(word)
        ttr = len(types) / count
        if ttr <= threshold:
            factors += 1
            types = set()
            count = 0
            ttr = 1.0
    if count:
        factors += (1.0 - ttr) / (1.0 - threshold)
    return factors


def mtld(words: list[str], *, threshold: float = MTLD_THRESHOLD) -> float:
    """Bidirectional MTLD (McCarthy & Jarvis 2010) of a sequence of words.

    Reading forward, the type-token ratio (TTR) of the words read so far is updated after each
    word; when it falls to ``threshold`` or below, one factor is complete and counting starts
    afresh. The words left at the end add a partial factor ``(1 - TTR) / (1 - threshold)``.
    MTLD is the number of words divided by the number of factors; the result is the mean of
    the forward and the backward pass. Words are compared as given (fold case beforehand).
    When a pass has no factor at all (no words, or every word distinct with nothing
    repeated) the measure is undefined and the result is NaN.

    >>> mtld(["a", "a", "a", "a"])  # every second word completes a factor: TTR 1/2
    2.0
    """
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold!r}")
    words = list(words)
    forward = _mtld_one_way(words, threshold)
    backward = _mtld_one_way(words[::-1], threshold)
    if forward == 0 or backward == 0:
        return float("nan")
    return (len(words) / forward + len(words) / backward) / 2


def _mtld_words(text: str) -> list[str]:
    """Case-folded word tokens with at least one letter (numbers are not vocabulary)."""
    words = [t for t in tokens(text) if any(map(str.isalpha, t))]
    # Folded and case-folded in one call over the joined words (no token holds a line break).
    return fold_quotes("\n".join(words)).casefold().split("\n") if words else []


# textstat's rules (pinned version in requirements/constraints.txt), applied once per text:
# textstat computes every formula from scratch (its word list, syllables and difficult words
# again for each), through 128-entry caches that a long corpus keeps emptying. Here each text's
# words are listed once, each word's syllables are counted once per process, and the seven
# formulas are computed from those counts with textstat's own expressions, in its order of
# operations, so every value is the one textstat returns (tests/test_readability.py compares
# them with textstat's functions on the seeds and on real news text).
_LANG = "en_US"  # textstat's default language, the one its formulas below are written for
_PUNCTUATION = re.compile(r"[^\w\s\']")  # all but contraction apostrophes (remove_punctuation)
_NOT_WORD_OR_SPACE = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s")
_TEXTSTAT_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
# A run of non-space characters survives textstat's punctuation removal as a word exactly when
# it holds a word character (a contraction apostrophe is kept only before a word character):
# one match of this per word, so textstat's word count without building the words. Tried only
# where a run starts, and never giving back, so a long run without a word character costs its
# length once, not its length squared.
_TEXTSTAT_WORD = re.compile(r"(?<!\S)[^\w\s]*+\w\S*")
#: Syllables of each lower-cased word met so far in this process (emptied when it grows large).
_SYLLABLES: dict[str, int] = {}
_SYLLABLES_KEPT = 500_000


@functools.cache
def _textstat() -> ModuleType:
    """textstat's language data (``textstat.backend.utils``), imported when first needed: the
    reports import this module for :data:`GRADE_LEVELS` and :func:`readability_by` alone."""
    ensure_cmudict()  # before textstat, so textstat finds the dictionary and never downloads
    from textstat.backend import utils

    return utils


@functools.cache
def _noncontraction_apostrophe() -> re.Pattern:
    from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

    return re.compile(RE_NONCONTRACTION_APOSTROPHE)


def _textstat_words(text: str) -> list[str]:
    """textstat's word list (``list_words``): punctuation removed but for contraction
    apostrophes, split at white space. ``len`` of it is ``textstat.lexicon_count``."""
    return _PUNCTUATION.sub("", _noncontraction_apostrophe().sub("", text)).split()


def _textstat_word_count(text: str) -> int:
    """``textstat.lexicon_count(text)``: ``len(_textstat_words(text))``, counted directly."""
    return len(_TEXTSTAT_WORD.findall(text))


def _syllables(word: str) -> int:
    """textstat's syllable count of one lower-cased word: the CMU dictionary's first
    pronunciation (its stressed phones), else Pyphen's hyphenation points plus one."""
    try:
        return _SYLLABLES[word]
    except KeyError:
        pass
    try:
        count = sum(1 for p in _textstat().get_cmudict(_LANG)[word][0] if p[-1].isdigit())
    except (TypeError, IndexError, KeyError):
        count = len(_textstat().get_pyphen(_LANG).positions(word)) + 1
    if len(_SYLLABLES) >= _SYLLABLES_KEPT:
        _SYLLABLES.clear()
    _SYLLABLES[word] = count
    return count


def _textstat_sentences(text: str) -> int:
    """textstat's ``sentence_count``: pieces ending at . ! or ?, those of two words or
    fewer not counted, at least one for any non-empty text."""
    if not text:
        return 0
    pieces = _TEXTSTAT_SENTENCE.findall(text)
    short = sum(1 for piece in pieces if _textstat_word_count(piece) <= 2)
    return max(1, len(pieces) - short)


def _ratio(a: float, b: float) -> float:
    """``a / b``, and 0.0 when ``b`` is 0, as textstat's averages give."""
    return a / b if b else 0.0


def _formulas(text: str) -> dict[str, float]:
    """textstat's seven formulas and its counts of one text, from one pass over its words."""
    kept = _PUNCTUATION.sub("", _noncontraction_apostrophe().sub("", text))
    words = kept.split()
    n_words = len(words)
    n_sentences = _textstat_sentences(text)
    # textstat lowers the whole text for its syllable total, and each word for the others.
    lowered_counts = Counter(kept.lower().split())
    lowered = {word: _syllables(word) for word in lowered_counts}
    syllables = sum(lowered[word] * count for word, count in lowered_counts.items())
    language = _textstat()
    easy = language.get_lang_easy_words(_LANG)
    threshold = int(language.get_lang_cfg(_LANG, "syllable_threshold"))
    polysyllables = hard = hard_and_long = 0
    for word, count in Counter(words).items():
        lower = word.lower()
        word_syllables = lowered[lower] if lower in lowered else _syllables(lower)
        polysyllables += count if word_syllables >= 3 else 0
        if lower not in easy:
            hard += count  # Dale-Chall: threshold 0, every word not on the easy list
            hard_and_long += count if word_syllables >= threshold else 0
    per_sentence = _ratio(n_words, n_sentences)
    per_word = _ratio(syllables, n_words)
    root = language.get_lang_root(_LANG)
    row = {
        "flesch_reading_ease": 0.0 if per_sentence == 0 or per_word == 0 else (
            language.get_lang_cfg(root, "fre_base")
            - language.get_lang_cfg(root, "fre_sentence_length") * per_sentence
            - language.get_lang_cfg(root, "fre_syll_per_word") * per_word
        ),
        "flesch_kincaid_grade": 0.0 if per_sentence == 0 or per_word == 0 else (
            (0.39 * per_sentence) + (11.8 * per_word) - 15.59
        ),
        "gunning_fog": 0.4 * (per_sentence + 100 * hard_and_long / n_words) if n_words else 0.0,
        "smog_index": (
            (1.043 * (30 * (polysyllables / n_sentences)) ** 0.5) + 3.1291 if n_sentences else 0.0
        ),
    }
    letters = _ratio(len(_NOT_WORD_OR_SPACE.sub("", _SPACE.sub("", text))), n_words) * 100
    sentences = _ratio(n_sentences, n_words) * 100
    row["coleman_liau_index"] = 0.0 if letters == 0 or sentences == 0 else (
        (0.058 * letters) - (0.296 * sentences) - 15.8
    )
    chars = _ratio(len(_SPACE.sub("", text)), len(text.split()))
    row["automated_readability_index"] = 0.0 if chars == 0 or per_sentence == 0 else (
        (4.71 * chars) + (0.5 * per_sentence) - 21.43
    )
    if n_words:
        hard_share = 100 * hard / n_words
        score = (0.1579 * hard_share) + (0.0496 * per_sentence)
        row["dale_chall_readability_score"] = score + 3.6365 if hard_share > 5 else score
    else:
        row["dale_chall_readability_score"] = 0.0
    row.update(
        words=n_words,
        textstat_sentences=n_sentences,
        syllables=syllables,
        syllables_per_word=per_word,
        polysyllables=polysyllables,
    )
    return row


def _measure(text: str) -> dict[str, float]:
    """All readability measures of one text (runs in worker processes)."""
    ensure_cmudict()  # before textstat, so textstat finds the dictionary and never downloads
    row = _formulas(text)
    lengths = [_textstat_word_count(text[a:b]) for a, b in split_sentences(text)]
    words = row["words"]
    row.update(
        sentences=len(lengths),
        mean_sentence_length=statistics.fmean(lengths) if lengths else float("nan"),
        median_sentence_length=statistics.median(lengths) if lengths else float("nan"),
        polysyllable_share=row["polysyllables"] / words if words else float("nan"),
        mtld=mtld(_mtld_words(text)),
    )
    row["grade"] = statistics.fmean(row[name] for name in GRADE_LEVELS)
    return row


def _check_docs(docs: pd.DataFrame, by: str | None) -> None:
    for column in ("doc_id", "text", by):
        if column is not None and column not in docs.columns:
            hint = " (clean the corpus first: load_corpus(..., clean=True))"
            hint = hint if column == "text" else ""
            raise ValueError(f"docs has no column {column!r}{hint}")


def readability(docs: pd.DataFrame, *, by: str | None = "agency") -> pd.DataFrame:
    """Readability of each document's cleaned text: one row per doc_id (columns: module doc).

    ``by`` names a docs column carried into the result (None, or "doc_id", carries nothing
    more). Documents with no text, or not in English (see
    :func:`corpusutils.language.split_by_language`), get NaN measures.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["The cat sat on the mat. The dog ran to the park."]})
    >>> readability(docs)[["doc_id", "agency", "words", "sentences", "mean_sentence_length"]]
      doc_id agency  words  sentences  mean_sentence_length
    0      a     AP     12          2                   6.0
    """
    _check_docs(docs, by)
    keep = ["doc_id"] if by in (None, "doc_id") else ["doc_id", by]
    # The formulas are English ones: other languages get NaN, not a score (corpusutils.language).
    scored = docs.index.isin(split_by_language(docs)[0].index)
    texts = [
        t if isinstance(t, str) and ok else ""
        for t, ok in zip(docs["text"], scored, strict=True)
    ]
    rows = map_texts(_measure, texts)
    measures = pd.DataFrame(rows, columns=list(MEASURES), index=docs.index)
    empty = [not t.strip() for t in texts]
    measures.loc[empty, :] = float("nan")
    out = pd.concat([docs[keep], measures], axis=1).reset_index(drop=True)
    for column in ("words", "sentences", "textstat_sentences", "syllables", "polysyllables"):
        out[column] = out[column].astype("Int64" if any(empty) else "int64")
    return out


def readability_by(
    docs: pd.DataFrame, *, by: str = "agency", scores: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Readability summarised per group, long format: one row per (group, measure).

    Columns: ``<by>``, ``measure`` (a column of :func:`readability`), ``n`` (documents with a
    value), ``mean``, ``std`` (sample standard deviation; NaN when n is 1), ``min``,
    ``median``, ``max``. Each document counts once, whatever its length. ``scores``: the
    output of :func:`readability` for these docs, when already computed, to avoid a second run.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["AP", "AP"],
    ...                      "text": ["The cat sat on the mat.", "A dog ran in the big park."]})
    >>> readability_by(docs).query("measure == 'words'")[["agency", "n", "mean", "min", "max"]]
      agency  n  mean  min  max
    7     AP  2   6.5  6.0  7.0
    """
    if by == "doc_id":
        raise ValueError("by='doc_id' is one row per document: use readability(docs)")
    per_doc = readability(docs, by=by) if scores is None else scores
    long = per_doc.melt(id_vars=["doc_id", by], value_vars=list(MEASURES), var_name="measure")
    long["value"] = long["value"].astype("float64")
    grouped = long.groupby([by, "measure"], sort=False, dropna=False)["value"]
    out = grouped.agg(
        n="count", mean="mean", std="std", min="min", median="median", max="max"
    ).reset_index()
    order = {name: i for i, name in enumerate(MEASURES)}
    out = out.sort_values([by, "measure"], key=lambda s: s.map(order) if s.name == "measure" else s)
    return out.reset_index(drop=True)
