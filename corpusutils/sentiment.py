"""Sentence-level VADER sentiment, its aggregates, the sentiment toward actors, and its drivers.

VADER is the reference measure of a sentence's overall tone, blind to whom the sentence is
about. The sentiment toward an actor (:func:`actor_mentions`, :func:`actor_sentiment`) is
not VADER's: it is :func:`corpusutils.target_sentiment` of each mention of the actor, which
reads the words that concern the mention (its clause, what governs it, quoted speech apart)
and uses VADER's lexicon only with its news-register corrections; see
:mod:`corpusutils.targeted`.


Scores are the reference VADER implementation's (``vaderSentiment``'s
``SentimentIntensityAnalyzer.polarity_scores``) on each sentence of the cleaned text, as split
by :func:`corpusutils.sentences`, computed by :mod:`corpusutils.vader` (VADER's rules
rewritten for speed, checked equal to the reference on 100,000 sentences), each distinct
sentence once. A sentence is ``positive`` when its compound score is at
least +0.05, ``negative`` when it is at most -0.05, otherwise ``neutral`` (the thresholds
recommended by VADER's authors).

VADER was built for social media. Its lexicon scores words that are neutral in news copy:
"united" is +1.8, so every "United States" adds positive valence; "integrity" (+1.6, from
"territorial integrity") and "security" (+1.4, also in "Collective Security Treaty
Organization") are positive; "war" is -2.9 and "conflict" -1.3, while "invasion" and
"troops" are not in the lexicon at all. :func:`sentiment_drivers` shows which words move
each group's score, so that a difference between agencies can be traced to its words.

VADER strips only ASCII punctuation from the ends of a token, so a word touching a
typographic quote ("integrity,”" or "“stronger”") is not looked up and counts as neutral, and
"don’t" with a typographic apostrophe is not read as a negation. Agencies that use typographic
quotes (EFE and AP in the seeds) would lose the valence of quoted words that Reuters' straight
quotes keep. So by default (``fold_quotes=True``) each sentence is scored with its typographic
quotes and apostrophes replaced by their ASCII forms; the scores are then exactly the
reference implementation's for that text, and the ``text`` column keeps the sentence as
written. ``fold_quotes=False`` scores the sentence exactly as written.

VADER's rules look back over the sentence for its words, so its time grows faster than a
sentence's length, and a sentence of a megabyte (a text without any full stop) would take
hours. A sentence of more than :data:`WINDOW_WORDS` words is therefore scored in consecutive
windows of that many words and gets the mean of the windows' scores weighted by their words;
the ``windows`` column says how many (1 for every other sentence, whose scores are VADER's
own). No sentence of news copy comes near that length.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from corpusutils import vader
from corpusutils.language import split_by_language
from corpusutils.parallel import map_texts
from corpusutils.targeted import CLASSES as TARGET_CLASSES
from corpusutils.targeted import target_sentiment
from corpusutils.text import sentences as sentence_table

__all__ = [
    "NEGATIVE_BELOW",
    "POSITIVE_ABOVE",
    "actor_mentions",
    "actor_sentiment",
    "load_actors",
    "sentence_sentiment",
    "sentiment",
    "sentiment_drivers",
]

#: Compound score at or above which a sentence is positive.
POSITIVE_ABOVE = 0.05
#: Compound score at or below which a sentence is negative.
NEGATIVE_BELOW = -0.05

_SCORES = ("neg", "neu", "pos", "compound")

#: Sentences longer than this many words are scored in windows of this many words.
WINDOW_WORDS = 200
_WORD_RUN = re.compile(r"\S+")

# One for one, so that what VADER reads lines up with the sentence as written.
_ASCII_QUOTES = {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"}


def _ascii_quotes(text: str) -> str:
    """``text`` with the marks of :data:`_ASCII_QUOTES` replaced (str.replace per mark present
    is many times faster than str.translate on text that is not ASCII)."""
    for mark, straight in _ASCII_QUOTES.items():
        if mark in text:
            text = text.replace(mark, straight)
    return text


def _label(compound: float) -> str:
    if compound >= POSITIVE_ABOVE:
        return "positive"
    if compound <= NEGATIVE_BELOW:
        return "negative"
    return "neutral"


def _score_batch(texts: Sequence[str]) -> list[tuple[float, float, float, float]]:
    """VADER scores of a batch of sentences."""
    out = []
    for text in texts:
        scores = vader.polarity_scores(text)
        out.append(tuple(scores[key] for key in _SCORES))
    return out


#: Distinct sentences per task when scoring spreads over processes.
_BATCH = 200


def _windows(text: str) -> list[str]:
    """``text`` itself, or for a sentence of more than :data:`WINDOW_WORDS` words its
    consecutive windows of that many words (each a slice of the text as written).

    >>> [len(w.split()) for w in _windows("word " * (2 * WINDOW_WORDS + 1))]
    [200, 200, 1]
    """
    if len(text) < 2 * WINDOW_WORDS or len(text.split()) <= WINDOW_WORDS:
        return [text]
    spans = [m.span() for m in _WORD_RUN.finditer(text)]
    return [
        text[spans[i][0] : spans[min(i + WINDOW_WORDS, len(spans)) - 1][1]]
        for i in range(0, len(spans), WINDOW_WORDS)
    ]


def _score_in_windows(texts: Sequence[str]) -> list[tuple[float, ...]]:
    """The scores of each text and its number of windows: a long sentence is scored window by
    window (by :func:`_score_batch`, whichever scorer it calls), then given their mean
    weighted by words."""
    windows = [_windows(text) for text in texts]
    pieces = [piece for group in windows for piece in group]
    batches = [pieces[i : i + _BATCH] for i in range(0, len(pieces), _BATCH)]
    scores = iter([row for batch in map_texts(_score_batch, batches) for row in batch])
    merged = []
    for group in windows:
        parts = [next(scores) for _ in group]
        if len(parts) == 1:
            merged.append((*parts[0], 1))
            continue
        words = [len(piece.split()) for piece in group]
        mean = (
            round(sum(p[k] * n for p, n in zip(parts, words, strict=True)) / sum(words), 4)
            for k in range(len(_SCORES))
        )
        merged.append((*mean, len(parts)))
    return merged


def _vader_texts(frame: pd.DataFrame, *, fold_quotes: bool) -> pd.Series:
    """The sentence texts as VADER reads them."""
    texts = frame["text"]
    if fold_quotes:
        texts = pd.Series([_ascii_quotes(text) for text in texts], index=texts.index, dtype=object)
    return texts


def _per_doc_batches(frame: pd.DataFrame, *, fold_quotes: bool) -> list[tuple[str, ...]]:
    """Sentence texts grouped by document, in frame order (frame rows are grouped by doc)."""
    texts = _vader_texts(frame, fold_quotes=fold_quotes)
    breaks = frame["doc_id"].ne(frame["doc_id"].shift()).cumsum()
    return [tuple(g) for _, g in texts.groupby(breaks, sort=False)]


def _english_only(frame: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """The sentences of the articles VADER can score: English ones (corpusutils.language)."""
    kept, left_out = split_by_language(docs)
    if left_out.empty:
        return frame
    return frame[frame["doc_id"].isin(kept["doc_id"])]


def sentence_sentiment(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    fold_quotes: bool = True,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """VADER scores of every sentence of the cleaned text: one row per sentence.

    Columns: those of :func:`corpusutils.sentences` (doc_id, <by>, paragraph, sentence, text,
    start, end) plus ``neg``, ``neu``, ``pos``, ``compound`` (exactly VADER's
    ``polarity_scores``), ``label`` (positive / negative / neutral at +/-0.05) and ``windows``
    (1, or for a sentence of more than :data:`WINDOW_WORDS` words the number of windows whose
    word-weighted mean it was given; see the module docstring).
    ``fold_quotes``: see the module docstring. ``sentences``: the output of
    :func:`corpusutils.sentences` for these docs, when already computed. A sentence that
    recurs (wire copy repeats itself) is scored once.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["VADER is smart, handsome, and funny. It rained."]})
    >>> sentence_sentiment(docs)[["sentence", "compound", "label"]]
       sentence  compound     label
    0         0    0.8316  positive
    1         1    0.0000   neutral
    """
    frame = sentence_table(docs, by=by) if sentences is None else sentences
    frame = _english_only(frame, docs)
    texts = _vader_texts(frame, fold_quotes=fold_quotes)
    distinct = list(dict.fromkeys(texts))
    by_text = pd.DataFrame(
        _score_in_windows(distinct), columns=[*_SCORES, "windows"], index=distinct
    )
    scores = by_text.reindex(texts.to_numpy()).set_axis(frame.index)
    out = pd.concat([frame, scores[list(_SCORES)].astype("float64")], axis=1)
    out["label"] = out["compound"].map(_label)
    out["windows"] = scores["windows"].astype("int64")
    return out


def _summarise(scored: pd.DataFrame, keys: list[str], value: str = "compound") -> pd.DataFrame:
    """n, n_docs, mean/std/median of ``value`` and label shares per group of sentence rows."""
    # Label indicators as columns, so every share is a plain (vectorised) group mean.
    flags = scored.assign(
        **{f"_{label}": scored["label"].eq(label) for label in ("positive", "negative", "neutral")}
    )
    grouped = flags.groupby(keys, sort=True, dropna=False)
    out = grouped.agg(
        n=(value, "size"),
        n_docs=("doc_id", "nunique"),
        **{f"{value}_mean": (value, "mean"), f"{value}_std": (value, "std"),
           f"{value}_median": (value, "median")},
        positive_share=("_positive", "mean"),
        negative_share=("_negative", "mean"),
        neutral_share=("_neutral", "mean"),
    )
    return out.reset_index()


def sentiment(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    fold_quotes: bool = True,
    scored: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sentence sentiment aggregated per group (``by="doc_id"`` for one row per document).

    Columns: ``<by>``, ``n`` (sentences), ``n_docs``, ``compound_mean``, ``compound_std``,
    ``compound_median`` (over the group's sentences, each sentence counting once), and
    ``positive_share``, ``negative_share``, ``neutral_share`` (shares of its sentences per
    label, summing to 1). ``scored``: the output of :func:`sentence_sentiment` for these docs,
    when already computed (it must carry the ``by`` column).

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["VADER is smart, handsome, and funny. It rained."]})
    >>> sentiment(docs)[["agency", "n", "compound_mean", "positive_share"]]
      agency  n  compound_mean  positive_share
    0     AP  2         0.4158             0.5
    """
    if scored is None:
        scored = sentence_sentiment(docs, by=by, fold_quotes=fold_quotes)
    return _summarise(scored, [by])


# --- actors -------------------------------------------------------------------------------

#: The seed event's actor list, the example that ``load_actors()`` reads without a path.
EXAMPLE_ACTORS = "examples/kazakhstan-2023/actors.csv"


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """The actor list: columns actor, term, kind, comment.

    Without ``path``, the example list of the seed event
    (``data/examples/kazakhstan-2023/actors.csv``); for other corpora bring your own file in
    the same format, or derive one with :func:`corpusutils.frequent_names`.

    Each term names one actor; a term listed twice is an error.

    >>> actors = load_actors()
    >>> sorted(actors.loc[actors.actor == "Ukraine", "kind"].unique())
    ['capital', 'demonym', 'leader', 'name']
    """
    if path is None:
        source = resources.files("corpusutils.data").joinpath(EXAMPLE_ACTORS)
        with source.open("r", encoding="utf-8") as handle:
            table = pd.read_csv(handle, dtype=str, keep_default_na=False)
        return _validated_actors(table)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        return _validated_actors(table)
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not an actor list ({exc})") from None


def _validated_actors(actors: pd.DataFrame) -> pd.DataFrame:
    missing = {"actor", "term"} - set(actors.columns)
    if missing:
        raise ValueError(f"actor table has no column {sorted(missing)[0]!r}")
    actors = actors.assign(actor=actors["actor"].str.strip(), term=actors["term"].str.strip())
    actors = actors[actors["term"] != ""]
    twice = actors.loc[actors["term"].duplicated(), "term"]
    if len(twice):
        raise ValueError(f"actor term listed more than once: {twice.iloc[0]!r}")
    return actors.reset_index(drop=True)


def _term_regex(terms: Sequence[str]) -> re.Pattern[str]:
    """One pattern for all terms: longest first, whole words only, any whitespace inside."""
    ordered = sorted(terms, key=len, reverse=True)
    parts = [r"\s+".join(re.escape(word) for word in term.split()) for term in ordered]
    if not parts:  # no actor (a corpus too small for frequent names): match nothing, not ""
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@functools.lru_cache(maxsize=8)
def _matcher(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    terms = {" ".join(term.split()): actor for actor, term in pairs}
    return _term_regex(list(terms)), terms


def _target_batch(items: Sequence[tuple[str, int, int]]) -> list[tuple[float, float, float, str,
                                                                   str, int, int]]:
    """target_sentiment of one document's mentions (one task per document, like VADER)."""
    scored = target_sentiment([t for t, _, _ in items], [(s, e) for _, s, e in items])
    return list(
        zip(scored["p_negative"], scored["p_neutral"], scored["p_positive"], scored["evidence"],
            scored["clause"], scored["start"], scored["end"], strict=True)
    )


def actor_mentions(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    actors: pd.DataFrame | None = None,
    fold_quotes: bool = True,
    scored: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The sentences that mention each actor, the sentiment toward it in each, and why.

    One row per (sentence, actor) for every sentence that names the actor at least once:
    doc_id, <by>, paragraph, sentence, actor, terms (the matched terms, "; "-joined in order of
    appearance), mentions (how many matches), text, then the sentiment toward the actor
    (:func:`corpusutils.target_sentiment` of the actor's most decided mention in the sentence,
    the one with the largest absolute score): ``score`` (-1 to +1), ``label`` (negative /
    neutral / positive), ``words`` (the words that decided it, where they stand and how much
    they pushed) and ``clause`` (that mention's clause); and, for reference, VADER's
    score of the whole sentence, blind to the actor: ``compound`` and ``vader_label``.

    Matching rule: a term matches where it is written exactly (case-sensitive: "US" never
    matches "us"), as a whole word (no letter, digit or underscore on either side, so
    "Russia" does not match inside "Russian" but does in "Russia's"), with any run of
    whitespace where the term has a space. Overlapping terms resolve to the longest one
    at each position. ``actors`` is a table with columns actor and term (default
    :func:`load_actors`). ``scored``: the output of :func:`sentence_sentiment` for these docs,
    when already computed.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["Kazakhstan condemned Russia's war. Rain fell."]})
    >>> actor_mentions(docs)[["actor", "label", "compound", "vader_label"]]
            actor     label  compound vader_label
    0  Kazakhstan   neutral   -0.7783    negative
    1      Russia  negative   -0.7783    negative
    """
    table = load_actors() if actors is None else _validated_actors(actors)
    pattern, actor_of = _matcher(tuple(zip(table["actor"], table["term"], strict=True)))
    if scored is None:
        scored = sentence_sentiment(docs, by=by, fold_quotes=fold_quotes)
    texts = scored["text"]
    if fold_quotes:
        texts = pd.Series([_ascii_quotes(text) for text in texts], index=texts.index, dtype=object)
    rows = []
    per_doc: dict[object, list[tuple[str, int, int]]] = {}
    for index, doc_id, text in zip(scored.index, scored["doc_id"], texts, strict=True):
        found: dict[str, list[tuple[str, int, int]]] = {}
        for match in pattern.finditer(text):
            term = " ".join(match.group().split())
            found.setdefault(actor_of[term], []).append((term, *match.span()))
        for actor, hits in found.items():
            terms = [term for term, _, _ in hits]
            rows.append((index, actor, "; ".join(dict.fromkeys(terms)), len(terms)))
            per_doc.setdefault(doc_id, []).extend((text, s, e) for _, s, e in hits)
    # Each mention scored once, documents spread over processes like VADER's sentences.
    batches = list(per_doc.values())
    targeted = iter(item for batch in map_texts(_target_batch, batches) for item in batch)
    hits = pd.DataFrame(rows, columns=["row", "actor", "terms", "mentions"])
    stances = []
    for count in hits["mentions"]:
        # The actor's most decided mention speaks for it: "Blinken told Tileuberdi that
        # Washington supports ... Kazakhstan" is positive toward Kazakhstan, although the
        # mention "Tileuberdi" alone is neutral.
        mentions = [next(targeted) for _ in range(count)]
        decided = max(mentions, key=lambda m: abs(m[2] - m[0]))
        label = max(zip(decided[:3], TARGET_CLASSES, strict=True))[1]
        stances.append((decided[2] - decided[0], label, decided[3], decided[4]))
    stance = pd.DataFrame(stances, columns=["score", "label", "words", "clause"])
    keys = [c for c in ("doc_id", by, "paragraph", "sentence") if c in scored.columns]
    keys = list(dict.fromkeys(keys))
    evidence = scored.loc[hits["row"], [*keys, "text", "compound", "label"]]
    evidence = evidence.rename(columns={"label": "vader_label"}).reset_index(drop=True)
    found = hits[["actor", "terms", "mentions"]]
    out = pd.concat(
        [evidence[keys], found, evidence[["text"]], stance, evidence[["compound", "vader_label"]]],
        axis=1,
    )
    out["mentions"] = out["mentions"].astype("int64")
    out["score"] = out["score"].astype("float64")
    return out


def actor_sentiment(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    actors: pd.DataFrame | None = None,
    fold_quotes: bool = True,
    scored: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sentiment toward each actor, per group: from the actor's own mentions.

    Columns: ``<by>``, ``actor``, ``n`` (sentences naming the actor), ``n_docs``, ``mentions``
    (term matches), ``score_mean``, ``score_std``, ``score_median`` (of the sentiment toward
    the actor in each sentence, -1 to +1, :func:`corpusutils.target_sentiment`),
    ``positive_share``, ``negative_share``, ``neutral_share`` (of those sentences by label)
    and ``compound_mean`` (the mean VADER score of the same sentences, blind to the actor, for
    reference). Two actors in one sentence each get their own score. The matching rule and
    the evidence (the deciding words), and ``scored``: :func:`actor_mentions`.
    ``mentions``: the output of :func:`actor_mentions` for these docs, when already computed
    (the evidence shown beside the scores), so that no mention is matched and scored twice.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["Kazakhstan condemned Russia's war. Rain fell."]})
    >>> actor_sentiment(docs)[["actor", "n", "negative_share", "compound_mean"]]
            actor  n  negative_share  compound_mean
    0  Kazakhstan  1             0.0        -0.7783
    1      Russia  1             1.0        -0.7783
    """
    if mentions is None:
        mentions = actor_mentions(
            docs, by=by, actors=actors, fold_quotes=fold_quotes, scored=scored
        )
    keys = [by, "actor"]
    out = _summarise(mentions, keys, value="score")
    grouped = mentions.groupby(keys, sort=True, dropna=False)
    out.insert(out.columns.get_loc("n_docs") + 1, "mentions", grouped["mentions"].sum().to_numpy())
    out["compound_mean"] = grouped["compound"].mean().to_numpy()
    return out


# --- drivers ------------------------------------------------------------------------------


def _driver_batch(texts: Sequence[str]) -> list[tuple[str, float]]:
    """(lexicon word, valence given) for every lexicon token in one document's sentences."""
    lexicon = vader.lexicon()
    out = []
    for text in texts:
        words, valences = [], []
        for window in _windows(text):  # a long sentence as sentence_sentiment scores it
            window_words, window_valences = vader.valences(window)
            words += window_words
            valences += window_valences
        for word, valence in zip(words, valences, strict=True):
            lower = word.lower()
            if lower in lexicon:
                out.append((lower, float(valence)))
    return out


def sentiment_drivers(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    top: int | None = None,
    fold_quotes: bool = True,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Which VADER lexicon words drive each group's sentiment.

    One row per (group, word) for every lexicon word found in the group's sentences:
    ``<by>``, ``word`` (lower case, as in the lexicon), ``valence`` (its lexicon value),
    ``n`` (occurrences), ``n_docs``, ``contribution`` (sum of the valence VADER's rules gave
    each occurrence: negation, boosters, capitals and "but" included) and
    ``contribution_per_sentence`` (contribution divided by the group's sentence count, so
    groups of different size compare). Rows are ordered by group, then by the size of the
    contribution, largest first; ``top`` keeps that many words per group. ``sentences``: the
    output of :func:`corpusutils.sentences` (or of :func:`sentence_sentiment`) for these docs,
    when already computed.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["The war is not good. The United States won."]})
    >>> sentiment_drivers(docs)[["word", "valence", "n", "contribution"]]
         word  valence  n  contribution
    0     war     -2.9  1        -2.900
    1     won      2.7  1         2.700
    2  united      1.8  1         1.800
    3    good      1.9  1        -1.406
    """
    frame = sentence_table(docs, by=by) if sentences is None else sentences
    frame = _english_only(frame, docs)
    batches = _per_doc_batches(frame, fold_quotes=fold_quotes)
    doc_ids = frame["doc_id"].drop_duplicates().tolist()
    groups = frame.drop_duplicates("doc_id")[by].tolist()
    rows = []
    for doc_id, group, hits in zip(doc_ids, groups, map_texts(_driver_batch, batches), strict=True):
        rows.extend((group, doc_id, word, valence) for word, valence in hits)
    hits = pd.DataFrame(rows, columns=[by, "doc_id", "word", "given"])
    if by == "doc_id":
        hits = hits.loc[:, ~hits.columns.duplicated()]
    grouped = hits.groupby([by, "word"], sort=True, dropna=False)
    out = grouped.agg(
        n=("given", "size"), n_docs=("doc_id", "nunique"), contribution=("given", "sum")
    ).reset_index()
    out.insert(2, "valence", out["word"].map(vader.lexicon()).astype("float64"))
    per_group = frame.groupby(by, sort=False, dropna=False).size()
    out["contribution_per_sentence"] = out["contribution"] / out[by].map(per_group).to_numpy()
    out["size"] = out["contribution"].abs()
    out = out.sort_values([by, "size", "word"], ascending=[True, False, True], kind="stable")
    if top is not None:
        out = out.groupby(by, sort=False, dropna=False).head(top)
    return out.drop(columns="size").reset_index(drop=True)
