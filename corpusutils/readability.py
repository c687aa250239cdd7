"""Readability and lexical diversity of each article's cleaned body text.

Everything is computed on ``docs.text`` (the cleaned body), never on headlines, bylines or
other furniture. The readability formulas are textstat's own, so every value equals what
``textstat`` returns for the same text. Columns of :func:`readability` (one row per
document):

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
"""

from __future__ import annotations

import statistics

import pandas as pd
import textstat

from corpusutils.language import split_by_language
from corpusutils.parallel import map_texts
from corpusutils.resources import ensure_cmudict
from corpusutils.text import fold_quotes, split_sentences, tokens

__all__ = ["MTLD_THRESHOLD", "readability", "mtld", "readability_by"]

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
    return [fold_quotes(t).casefold() for t in tokens(text) if any(map(str.isalpha, t))]


def _measure(text: str) -> dict[str, float]:
    """All readability measures of one text (runs in worker processes)."""
    ensure_cmudict()  # before textstat, so textstat finds the dictionary and never downloads
    lengths = [textstat.lexicon_count(text[a:b]) for a, b in split_sentences(text)]
    words = textstat.lexicon_count(text)
    # textstat caches each count for its last 128 arguments; the formulas after Flesch count
    # syllables word by word, which pushes the text's own count out. So the syllable counts
    # are read right after Flesch, and the polysyllables after SMOG, which counts them too.
    row: dict[str, float] = {FORMULAS[0]: getattr(textstat, FORMULAS[0])(text)}
    syllables = textstat.syllable_count(text)
    syllables_per_word = textstat.avg_syllables_per_word(text)
    row.update({name: getattr(textstat, name)(text) for name in FORMULAS[1:]})
    polysyllables = textstat.polysyllabcount(text)
    row.update(
        words=words,
        sentences=len(lengths),
        textstat_sentences=textstat.sentence_count(text),
        mean_sentence_length=statistics.fmean(lengths) if lengths else float("nan"),
        median_sentence_length=statistics.median(lengths) if lengths else float("nan"),
        syllables=syllables,
        syllables_per_word=syllables_per_word,
        polysyllables=polysyllables,
        polysyllable_share=polysyllables / words if words else float("nan"),
        mtld=mtld(_mtld_words(text)),
    )
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
