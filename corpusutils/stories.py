"""Stories: which articles report the same event, so that agencies are compared on the same
stories rather than over whatever mix of stories each happened to cover.

:func:`find_stories` adds a ``story`` column to the docs: taken from a column of the corpus
when it has one (a manifest column such as ``event``), otherwise found from the texts.

How stories are found (``column=None``):

1. **What an article is about**: its headline and lead (the first ``lead_words`` word tokens
   of the body, 400 by default: the lead and most of a news story) as content words (folded
   like :mod:`corpusutils.wording`; function words of ``data/stopwords.txt`` and numbers left
   out) and pairs of adjacent content words ("supreme court"), plus the names it mentions
   anywhere (capitalised words that :mod:`corpusutils.names` takes for names, spelling
   variants folded by :func:`corpusutils.name_key`, so "Tokáyev" and "Tokayev" count as one).
   Each feature is weighted by its inverse document frequency, ``ln((1 + N) / (1 + df)) + 1``.
2. **Which articles to compare**: only articles published within ``window_days`` of each
   other (by the ``date`` column; without dates the whole corpus is one window, and an
   undated article in a dated corpus is compared with every article), and among those only
   the pairs that share at least two features, found by the inverted index of
   :func:`corpusutils.candidate_pairs`. Features found in more than ``max_docs`` articles of
   a window make no pairs.
3. **How close**: the cosine of the two articles' binary TF-IDF vectors (0: nothing in common,
   1: the same features). Only the closest pairs are kept for step 5: those at least as
   similar as unrelated articles are on average (the mean ``m`` of step 4; such a pair says
   nothing for or against a story) and among the ``neighbours`` (20) most similar pairs of
   either of their articles. The graph then grows with the corpus, not with the square of
   the articles of a day (10,000 synthetic articles: 172,172 candidate pairs, 83,648 kept);
   the days are indexed a few at a time, so memory holds the kept pairs only.
4. **How close is close enough**, measured on the corpus itself: the similarity of 20,000
   random pairs of articles that are almost surely about different events (published more
   than a week apart; without dates, any two articles) gives the mean ``m`` and standard
   deviation ``s`` of "unrelated". Two groups of articles, with ``k`` pairs between them, form
   one story when their average similarity is at least ``m + z * s / sqrt(k)``: a single pair
   must stand out from unrelated pairs (``z = 1.645``, the one-sided 5% level: about 0.05 on
   the AllSides corpus), two large groups need only be reliably above unrelated articles on
   average. ``threshold=`` replaces this with a fixed bar. A corpus with fewer than 500 such
   pairs (the seeds) uses the values measured on the AllSides corpus.
5. **Which articles form a story**: average-link clustering: the two groups with the highest
   average similarity over all their pairs (pairs never compared count as 0) merge, again and
   again, while they clear the bar. Unlike joining every pair above a threshold (single
   link), a chain of articles that each resemble the next does not join: every article of a
   story must resemble the story as a whole, so one story cannot swallow a topic that runs for
   weeks.

The defaults (``lead_words=400``, ``z=1.645``) were chosen on the AllSides same-day corpus
and the synthetic corpus of ``benchmarks/make_corpus.py`` together; ``benchmarks/
bench_stories.py`` prints the agreement over windows and ``z`` values, and the README its
numbers and the disagreements read.

Columns added: ``story`` (a story identifier: "S001", ... in order of first publication, or
the corpus column's values as strings), ``story_label`` (the story's most characteristic
words, or for a story of one article its headline or first words) and ``story_reason`` (why
the article is in its story: the column it came from, or the closest article of its story
with their similarity and shared words, or why it stands alone).
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corpusutils.names import _POSSESSIVE, _candidate, _stopwords, name_key
from corpusutils.pairs import candidate_pairs
from corpusutils.text import fold_token, tokens

__all__ = [
    "compare_within_stories",
    "find_stories",
    "keyness_within_stories",
    "keyness_within_stories_finding",
    "story_articles",
    "story_overview",
    "story_overview_finding",
    "within_stories_finding",
]

#: Columns searched, in order, for a publication date and a headline when not named.
DATE_COLUMNS = ("published", "date", "publication_date", "pubdate")
HEADLINE_COLUMNS = ("headline", "title")

#: Random pairs drawn to measure how similar articles on different events are, the fewest
#: that count as a measurement, and how far apart in days such a pair must be published.
NULL_PAIRS = 20_000
MIN_NULL_PAIRS = 500
NULL_GAP_DAYS = 7
#: Mean and standard deviation of that similarity on the AllSides same-day corpus, used when a
#: corpus is too small (or too short in time) to measure its own.
DEFAULT_NULL_MEAN = 0.025
DEFAULT_NULL_SD = 0.03

_HAS_LETTER = re.compile(r"[^\W\d_]")
# A capitalised word: a candidate name (corpusutils.names decides).
_CAPITALISED = re.compile(r"(?<![\w'’-])[^\W\d_a-z][\w'’-]+")
_WORD_LABELS = 4


_fold = fold_token


@functools.lru_cache(maxsize=200_000)
def _content_word(token: str) -> str | None:
    """The folded word, or None for a function word, a number or a single character."""
    word = _fold(token)
    if word.lower() in _stopwords() or len(word) < 2 or not _HAS_LETTER.search(word):
        return None
    return word


def _first_column(docs: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in docs.columns), None)


def _headline_column(docs: pd.DataFrame) -> str | None:
    """The first headline column that most articles fill (cleaning may find few headlines)."""
    filled = [c for c in HEADLINE_COLUMNS if c in docs.columns
              and (docs[c].fillna("").astype(str).str.strip() != "").mean() >= 0.5]
    return filled[0] if filled else _first_column(docs, HEADLINE_COLUMNS)


def _days(docs: pd.DataFrame, date: str | None) -> np.ndarray | None:
    """Day number of each article (float, NaN when unknown), or None without a date column."""
    if date == "auto":
        date = _first_column(docs, DATE_COLUMNS)
    if date is None:
        return None
    if date not in docs.columns:
        raise ValueError(f"docs has no date column {date!r}")
    parsed = pd.to_datetime(docs[date], errors="coerce", utc=True, format="mixed")
    days = (parsed - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)
    days = np.floor(days.to_numpy(dtype=float, na_value=np.nan))
    return None if np.isnan(days).all() else days


def _features(
    headline: str, text: str, lead_words: int, names: dict[str, str | None]
) -> tuple[list[str], dict[str, str]]:
    """The features of one article, and how its names are written (key -> spelling).

    ``names`` caches the name key of each capitalised word seen so far (None: not a name).
    """
    lead = tokens(headline) + tokens(text[: lead_words * 12])[:lead_words]
    keys: dict[str, None] = {}
    previous = None
    for token in lead:
        word = _content_word(token)
        if word is None:
            previous = None
            continue
        keys[word] = None
        if previous is not None:
            keys[f"{previous} {word}"] = None
        previous = word
    spelled: dict[str, str] = {}
    for token in set(_CAPITALISED.findall(text)):
        key = names.get(token, "")
        if key == "":
            name = _candidate(token)
            key = names[token] = "@" + name_key(name) if name and len(name) > 2 else None
        if key is not None and key not in spelled:
            spelled[key] = _POSSESSIVE.sub("", token)
            keys[key] = None
    return list(keys), spelled


@dataclass(frozen=True)
class _Bar:
    """How similar on average two groups of articles must be to form one story.

    ``fixed`` when given; otherwise the mean similarity of articles on different events
    (``null_mean``) plus ``z`` standard errors for the number of pairs compared: one pair
    must stand out clearly, two large groups need only be reliably above unrelated articles.
    """

    fixed: float | None
    null_mean: float
    null_sd: float
    z: float

    def needed(self, pairs: int) -> float:
        if self.fixed is not None:
            return self.fixed
        return self.null_mean + self.z * self.null_sd / math.sqrt(pairs)


def _average_link(
    n: int, a: np.ndarray, b: np.ndarray, similarity: np.ndarray, bar: _Bar
) -> np.ndarray:
    """Cluster number of each item: average linkage on a sparse similarity graph.

    Pairs absent from the graph have similarity 0. Clusters merge, most similar first, while
    the mean similarity over all their cross pairs clears ``bar`` for that many pairs.
    """
    size = [1] * n
    version = [0] * n
    members: list[list[int]] = [[i] for i in range(n)]
    links: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, s in zip(a.tolist(), b.tolist(), similarity.tolist(), strict=True):
        links[i][j] = s
        links[j][i] = s
    single = bar.needed(1)
    heap = [(-s, i, j, 0, 0) for i, j, s in zip(a.tolist(), b.tolist(), similarity.tolist(),
                                                   strict=True) if s >= single]
    heapq.heapify(heap)
    while heap:
        _, i, j, version_i, version_j = heapq.heappop(heap)
        if version[i] != version_i or version[j] != version_j:
            continue
        if len(links[i]) < len(links[j]):
            i, j = j, i
        # j joins i: the summed similarity to every neighbour adds up.
        for k, s in links[j].items():
            if k == i:
                continue
            links[i][k] = links[i].get(k, 0.0) + s
            links[k][i] = links[i][k]
            del links[k][j]
        links[j] = {}
        del links[i][j]
        size[i] += size[j]
        members[i].extend(members[j])
        members[j] = []
        version[i] += 1
        version[j] += 1
        for k, s in links[i].items():
            mean = s / (size[i] * size[k])
            if mean >= bar.needed(size[i] * size[k]):
                heapq.heappush(heap, (-mean, i, k, version[i], version[k]))
    cluster = np.empty(n, dtype=np.int64)
    for root, items in enumerate(members):
        cluster[items] = root
    return cluster


def find_stories(
    docs: pd.DataFrame,
    *,
    column: str | None = None,
    date: str | None = "auto",
    headline: str | None = "auto",
    window_days: int = 1,
    threshold: float | None = None,
    z: float = 1.645,
    lead_words: int = 400,
    max_docs: int = 100,
    neighbours: int = 20,
    by: str | None = "agency",
) -> pd.DataFrame:
    """The docs with a ``story`` column, taken from ``column`` or found from the texts.

    With ``column`` (e.g. a manifest's ``event``), each distinct value is a story; an article
    without a value is a story of its own. Otherwise stories are found as described in the
    module documentation: articles within ``window_days`` of each other (``date``: the
    column of publication dates, "auto" for the first of ``published``, ``date``, ...; None
    to ignore dates) whose headline, lead and names are close enough, clustered by average
    link against a bar measured on the corpus (``z``) or fixed (``threshold``), on each
    article's ``neighbours`` closest pairs. ``by`` names the agency column used in the
    reasons (None: none).

    Adds the columns story, story_label and story_reason (see the module documentation) and
    returns a new frame; ``attrs["story_source"]`` says where the stories came from.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "agency": ["AP", "EFE", "AFP"],
    ...     "published": ["2023-02-28", "2023-02-28", "2023-03-09"],
    ...     "text": ["Blinken met Tokayev in Astana on Tuesday to discuss trade and Russia.",
    ...              "Blinken met Tokáyev in Astana to discuss trade, energy and Russia.",
    ...              "Floods in Brazil killed dozens after heavy rains in Sao Paulo."]})
    >>> out = find_stories(docs)
    >>> out["story"].tolist()
    ['S1', 'S1', 'S2']
    >>> out["story_label"].tolist()[1:]
    ['Astana · Blinken · Russia · Tokayev', 'Floods in Brazil killed dozens after heavy rains in \
Sao Paulo']
    """
    if "doc_id" not in docs.columns:
        raise ValueError("docs has no 'doc_id' column")
    out = docs.copy()
    if column is not None:
        return _stories_from_column(out, column)
    if "text" not in docs.columns:
        raise ValueError("docs has no 'text' column: clean the corpus first")
    if threshold is not None and not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1], or None to calibrate it")
    if neighbours < 1:
        raise ValueError("neighbours must be at least 1")
    if headline == "auto":
        headline = _headline_column(docs)
    heads = [h if isinstance(h, str) else "" for h in docs[headline]] if headline else None
    texts = [t if isinstance(t, str) else "" for t in docs["text"]]
    names: dict[str, str | None] = {}
    id_of: dict[str, int] = {}
    shown: list[str] = []  # each feature as first written, for labels and reasons
    features = []
    for i, text in enumerate(texts):
        keys, spelled = _features(heads[i] if heads else "", text, lead_words, names)
        row = np.empty(len(keys), dtype=np.int32)
        for k, key in enumerate(keys):
            f = id_of.get(key)
            if f is None:
                f = id_of[key] = len(shown)
                shown.append(spelled.get(key, key))
            row[k] = f
        row.sort()
        features.append(row)
    vocabulary = list(id_of)
    sizes = np.fromiter((len(f) for f in features), dtype=np.int64, count=len(features))
    codes = np.concatenate(features) if features else np.array([], dtype=np.int32)
    df = np.bincount(codes, minlength=len(vocabulary))
    n = len(docs)
    idf = np.log((1 + n) / (1 + df)) + 1
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n), sizes), weights=idf[codes] ** 2,
                                minlength=n))
    days = _days(docs, date)
    null = _null_similarities(features, idf, norms, df, days, window_days, max_docs)
    if len(null) >= MIN_NULL_PAIRS:
        bar = _Bar(threshold, float(null.mean()), float(null.std()), z)
    else:
        bar = _Bar(threshold, DEFAULT_NULL_MEAN, DEFAULT_NULL_SD, z)
    pairs = _similar_pairs(features, idf**2, norms, days, window_days, max_docs, neighbours,
                           floor=min(bar.null_mean, bar.needed(1)))
    cluster = _average_link(
        n, pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["similarity"].to_numpy(), bar
    )
    ids = _story_ids(cluster, days)
    out["story"] = ids
    del codes
    out["story_label"] = _labels(ids, features, vocabulary, idf, shown, heads, texts)
    out["story_reason"] = _reasons(
        out, ids, pairs, features, idf, vocabulary, shown, days, window_days, bar, by
    )
    where = (f"window {window_days} day(s)" if days is not None
             else "no dates, the whole corpus one window")
    how = (f"threshold {threshold}" if threshold is not None else
           f"a pair needs similarity {bar.needed(1):.3f}, unrelated articles average "
           f"{bar.null_mean:.3f} (sd {bar.null_sd:.3f}, "
           + (f"{len(null):,} pairs far apart in time or at random)"
              if len(null) >= MIN_NULL_PAIRS else "the default: too few pairs to measure)"))
    out.attrs["story_source"] = f"found: {where}; {how}"
    out.attrs["story_bar"] = bar
    return out


def _stories_from_column(out: pd.DataFrame, column: str) -> pd.DataFrame:
    if column not in out.columns:
        raise ValueError(f"docs has no story column {column!r}")
    values = out[column]
    missing = values.isna() | (values.astype(str).str.strip() == "")
    out["story"] = np.where(missing, "no " + column + ": " + out["doc_id"].astype(str),
                            values.astype(str))
    out["story_label"] = out["story"]
    out["story_reason"] = np.where(
        missing, f"no value in column {column!r}: a story of its own", f"column {column!r}"
    )
    out.attrs["story_source"] = f"column {column!r}"
    return out


def _nearest(a: np.ndarray, b: np.ndarray, similarity: np.ndarray, k: int) -> np.ndarray:
    """Which pairs are among the ``k`` most similar pairs of either of their two articles."""
    m = len(a)
    ends = np.concatenate([a, b])
    pair = np.concatenate([np.arange(m), np.arange(m)])
    order = np.lexsort((pair, -np.concatenate([similarity, similarity]), ends))
    ends = ends[order]
    position = np.arange(2 * m)
    first = np.maximum.accumulate(np.where(np.diff(ends, prepend=-1) != 0, position, 0))
    keep = np.zeros(m, dtype=bool)
    keep[pair[order][position - first < k]] = True
    return keep


#: Articles indexed at once by :func:`_similar_pairs` (a few days of a large corpus).
_CHUNK_ARTICLES = 20_000


def _similar_pairs(
    features: list[np.ndarray],
    weights: np.ndarray,
    norms: np.ndarray,
    days: np.ndarray | None,
    window_days: int,
    max_docs: int,
    neighbours: int,
    floor: float,
) -> pd.DataFrame:
    """Candidate pairs within the time window with their cosine similarity: those at least
    ``floor`` similar and among the ``neighbours`` most similar pairs of either article.

    The days are indexed a chunk at a time and pruned as they go, so that memory holds the
    pairs kept, not every candidate; keeping each chunk's nearest pairs first loses none of
    the corpus's nearest (an article's best pairs are its best in any chunk that has them).
    """

    def kept(found: pd.DataFrame) -> pd.DataFrame:
        found = found.assign(
            similarity=found["weight"] / (norms[found["a"]] * norms[found["b"]]))
        found = found[found["similarity"] >= floor]
        return found[_nearest(found["a"].to_numpy(), found["b"].to_numpy(),
                              found["similarity"].to_numpy(), neighbours)]

    if days is None:
        found = kept(candidate_pairs(features, weights=weights, max_docs=max_docs, min_shared=2))
        return found.reset_index(drop=True)
    dated = ~np.isnan(days)
    width = max(1, window_days)
    blocks = np.where(dated, np.floor(np.nan_to_num(days) / width), 0).astype(np.int64)
    parts = []
    values, counts = np.unique(blocks[dated], return_counts=True)
    low = 0
    while low < len(values):
        # Blocks values[low:high], each paired with the next (as candidate_pairs does).
        high = low + max(1, int(np.searchsorted(np.cumsum(counts[low:]), _CHUNK_ARTICLES)))
        last = values[min(high, len(values)) - 1]
        where = np.flatnonzero(dated & (blocks >= values[low]) & (blocks <= last + 1))
        found = candidate_pairs(
            [features[i] for i in where], weights=weights, max_docs=max_docs, min_shared=2,
            blocks=blocks[where],
        )
        found["a"], found["b"] = where[found["a"]], where[found["b"]]
        # Pairs inside block last + 1 belong to the next chunk.
        found = found[(blocks[found["a"]] <= last) | (blocks[found["b"]] <= last)]
        found = found[np.abs(days[found["a"]] - days[found["b"]]) <= window_days]
        parts.append(kept(found))
        low = high
    if not dated.all():
        # An undated article may belong with any article: compare it with all of them.
        every = candidate_pairs(features, weights=weights, max_docs=max_docs, min_shared=2)
        parts.append(kept(every[~dated[every["a"]] | ~dated[every["b"]]]))
    found = pd.concat(parts, ignore_index=True) if parts else kept(
        candidate_pairs([], weights=weights))
    found = found[_nearest(found["a"].to_numpy(), found["b"].to_numpy(),
                           found["similarity"].to_numpy(), neighbours)]
    return found.sort_values(["a", "b"]).reset_index(drop=True)


def _null_similarities(
    features: list[np.ndarray],
    idf: np.ndarray,
    norms: np.ndarray,
    df: np.ndarray,
    days: np.ndarray | None,
    window_days: int,
    max_docs: int,
    *,
    size: int = NULL_PAIRS,
    seed: int = 0,
) -> np.ndarray:
    """Similarities of random pairs that are almost surely on different events.

    With dates: pairs published more than ``NULL_GAP_DAYS`` (and three windows) apart. Without
    dates: random pairs, of which a few may share an event (the bar then errs on the high
    side), and features in more than ``max_docs`` articles are left out, as in the index (with
    dates the index leaves out only features that common within one window, so none here).
    """
    n = len(features)
    if n < 3:
        return np.array([])
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n, size * 4)
    b = rng.integers(0, n, size * 4)
    keep = a != b
    if days is not None:
        gap = max(NULL_GAP_DAYS, 3 * window_days)
        keep &= np.abs(days[a] - days[b]) > gap  # NaN (undated) compares False
    a, b = a[keep][:size], b[keep][:size]
    weight = idf**2 if days is not None else np.where(df <= max_docs, idf**2, 0.0)
    out = np.empty(len(a))
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        shared = np.intersect1d(features[i], features[j], assume_unique=True)
        out[k] = weight[shared].sum() / (norms[i] * norms[j]) if len(shared) else 0.0
    return out


def _story_ids(cluster: np.ndarray, days: np.ndarray | None) -> np.ndarray:
    """S1, S2, ... in order of each story's first day (then of its first article)."""
    frame = pd.DataFrame({"cluster": cluster, "day": days if days is not None else 0.0})
    frame["position"] = np.arange(len(cluster))
    first = frame.groupby("cluster").agg(day=("day", "min"), position=("position", "min"))
    order = first.sort_values(["day", "position"], na_position="last").index
    width = len(str(len(order)))
    names = {c: f"S{k:0{width}d}" for k, c in enumerate(order, 1)}
    return np.array([names[c] for c in cluster], dtype=object)


def _labels(ids, features, vocabulary, idf, shown, heads, texts) -> np.ndarray:
    """Each story's most characteristic features: share of its articles x idf."""
    labels: dict[str, str] = {}
    positions: dict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(ids):
        positions[story].append(i)
    for story, items in positions.items():
        if len(items) == 1:
            i = items[0]
            head = heads[i].strip() if heads else ""
            labels[story] = head or " ".join(tokens(texts[i])[:12])
            continue
        found, counts = np.unique(np.concatenate([features[i] for i in items]),
                                  return_counts=True)
        # Features most of the story's articles share, rarest first in the corpus.
        keep = counts >= 2
        found, counts = found[keep], counts[keep]
        score = counts * idf[found]
        # Ties go to names ("@key" sorts first), then alphabetically.
        keys = np.array([vocabulary[f] for f in found.tolist()], dtype=object)
        best = np.lexsort((keys, -score))[: 5 * _WORD_LABELS]
        words = []
        for f in found[best].tolist():
            word = shown[f]
            if any(word.lower() in w.lower() for w in words):
                continue  # "Blinken" the name and "blinken" the word are one label
            words.append(word)
            if len(words) == _WORD_LABELS:
                break
        labels[story] = " · ".join(words)
    return np.array([labels[s] for s in ids], dtype=object)


def _reasons(out, ids, pairs, features, idf, vocabulary, shown, days, window_days, bar,
             by) -> np.ndarray:
    """Why each article is in its story."""
    n = len(ids)
    a, b, sims = pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["similarity"].to_numpy()
    both = pd.DataFrame({"u": np.concatenate([a, b]), "v": np.concatenate([b, a]),
                         "s": np.concatenate([sims, sims])})
    both["same"] = ids[both["u"].to_numpy()] == ids[both["v"].to_numpy()]
    both = both.sort_values(["s", "v"], ascending=[False, True], kind="stable")

    def closest(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        first = frame.drop_duplicates("u")
        who, how = np.full(n, -1, dtype=np.int64), np.zeros(n)
        who[first["u"].to_numpy()] = first["v"].to_numpy()
        how[first["u"].to_numpy()] = first["s"].to_numpy()
        return who, how

    best_in, best_in_sim = closest(both[both["same"]])
    best_any, best_any_sim = closest(both)
    doc_ids = out["doc_id"].astype(str).to_numpy()
    groups = out[by].astype(str).to_numpy() if by and by in out.columns else None
    where = (
        f"within {window_days} day(s)" if days is not None else "in the corpus (no dates)"
    )

    def name(j: int) -> str:
        return f"{doc_ids[j]} ({groups[j]})" if groups is not None else doc_ids[j]

    reasons = []
    for i in range(n):
        if best_in[i] >= 0:
            j = best_in[i]
            shared = np.intersect1d(features[i], features[j], assume_unique=True)
            top = shared[np.argsort(-idf[shared], kind="stable")[:4]]
            words = ", ".join(shown[f] for f in top.tolist())
            reasons.append(f"closest in its story: {name(j)}, similarity {best_in_sim[i]:.2f}; "
                           f"shares {words}")
        elif best_any[i] >= 0:
            reasons.append(f"alone: no story {where} is similar enough (closest article "
                           f"{name(best_any[i])}, {best_any_sim[i]:.2f}; a pair needs "
                           f"{bar.needed(1):.2f})")
        else:
            reasons.append(f"alone: shares no distinctive words with any article {where}")
    return np.array(reasons, dtype=object)


def _group_counts(groups: pd.Series) -> str:
    """ "AP 2, EFE 1": each group with its articles, most first, then by name."""
    counts = groups.astype(str).value_counts()
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def story_overview(
    docs: pd.DataFrame, *, by: str = "agency", date: str | None = "auto"
) -> pd.DataFrame:
    """One row per story: its size, the groups covering it and its dates.

    ``docs`` carries the columns of :func:`find_stories`. Columns: story, story_label,
    articles, groups (how many distinct values of ``by``), <by> (the groups, by number of
    articles, "AP 2, EFE 1"), first, last (dates, when ``date`` finds a column). Sorted by
    articles, most first, then story.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "agency": ["AP", "EFE", "AP"],
    ...     "story": ["S1", "S1", "S2"], "story_label": ["talks", "talks", "floods"]})
    >>> story_overview(docs)[["story", "articles", "groups", "agency"]].values.tolist()
    [['S1', 2, 2, 'AP 1, EFE 1'], ['S2', 1, 1, 'AP 1']]
    """
    for column in ("story", by):
        if column not in docs.columns:
            raise ValueError(f"docs has no column {column!r}: run find_stories first")
    frame = docs.assign(_label=docs["story_label"] if "story_label" in docs else docs["story"])
    grouped = frame.groupby("story", sort=False)
    out = grouped.agg(story_label=("_label", "first"), articles=("doc_id", "size"),
                      groups=(by, "nunique"))
    out[by] = grouped[by].agg(_group_counts)
    if date == "auto":
        date = _first_column(docs, DATE_COLUMNS)
    if date is not None and date in docs.columns:
        parsed = pd.to_datetime(docs[date], errors="coerce", utc=True, format="mixed")
        dates = frame.assign(_date=parsed.dt.tz_localize(None)).groupby("story")["_date"]
        out["first"] = dates.min()
        out["last"] = dates.max()
    out = out.reset_index().sort_values(["articles", "story"], ascending=[False, True])
    return out.reset_index(drop=True)


def _per_article(
    measures: pd.DataFrame, values: list[str], by: str, story: str, docs: pd.DataFrame | None
) -> pd.DataFrame:
    """One row per article: its group, story and the mean of each measure over its rows."""
    frame = measures
    missing = [c for c in (by, story) if c not in frame.columns]
    if missing:
        if docs is None or any(c not in docs.columns for c in missing):
            raise ValueError(
                f"the measures have no column(s) {missing}: pass docs= with them (after "
                "find_stories) or add them"
            )
        frame = frame.merge(docs[["doc_id", *missing]], on="doc_id", how="left")
    for column in ("doc_id", *values):
        if column not in frame.columns:
            raise ValueError(f"the measures have no column {column!r}")
    return frame.groupby("doc_id", sort=False).agg(
        **{by: (by, "first"), story: (story, "first")}, **{v: (v, "mean") for v in values}
    ).reset_index()


def _resampled_draws(lengths: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot x values) positions: each cell's values drawn with replacement from the cell.

    Values are ordered by cell, ``lengths`` the number of values in each cell (all > 0).
    """
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    owner = np.repeat(np.arange(len(lengths)), lengths)
    return starts[owner] + np.floor(
        rng.random((n_boot, int(lengths.sum()))) * lengths[owner]
    ).astype(np.int64)


#: Resampled values held at once by :func:`compare_within_stories` (memory stays bounded).
_BOOT_CHUNK = 2_000_000


def _within_story_rows(frame: pd.DataFrame, measures: list[str], by: str, story: str,
                       n_boot: int, rng: np.random.Generator, tail: float) -> list[dict]:
    """The rows of :func:`compare_within_stories` for measures measured on the same articles
    (one article resample per replicate serves them all)."""
    # Cells: one story's articles of one group, ordered by story, then group.
    story_code, story_names = pd.factorize(frame[story], sort=True)
    group_names = sorted(frame[by].unique(), key=str)
    group_code = pd.Categorical(frame[by], categories=group_names).codes
    cell_key = story_code.astype(np.int64) * len(group_names) + group_code
    order = np.argsort(cell_key, kind="stable")
    measured = np.asfortranarray(frame[measures].to_numpy(float)[order])
    cells, cell_start, cell_len = np.unique(cell_key[order], return_index=True,
                                            return_counts=True)
    cell_story, cell_group = cells // len(group_names), cells % len(group_names)
    cell_sum = np.add.reduceat(measured, cell_start, axis=0)  # cells x measures
    story_len = np.bincount(cell_story, weights=cell_len, minlength=len(story_names))
    other_len = story_len[cell_story] - cell_len
    story_first = np.flatnonzero(np.diff(cell_story, prepend=-1))
    story_sum = np.add.reduceat(cell_sum, story_first, axis=0)
    # The cells each group is compared on: its stories that another group covers too.
    compared = {g: np.flatnonzero((cell_group == g) & (other_len > 0))
                for g in range(len(group_names))}
    compared = {g: c for g, c in compared.items() if len(c)}
    boot = {g: np.empty((n_boot, len(measures))) for g in compared}
    step = max(1, _BOOT_CHUNK // max(1, len(measured)))
    for low in range(0, n_boot, step):
        size = min(step, n_boot - low)
        draws = _resampled_draws(cell_len, size, rng)
        weights = {g: rng.multinomial(len(c), np.full(len(c), 1 / len(c)), size)
                   for g, c in compared.items()}
        for m in range(len(measures)):
            sums = np.add.reduceat(measured[:, m][draws], cell_start, axis=1)
            totals = np.add.reduceat(sums, story_first, axis=1)
            for g, c in compared.items():
                d = (sums[:, c] / cell_len[c]
                     - (totals[:, cell_story[c]] - sums[:, c]) / other_len[c])
                boot[g][low : low + size, m] = (weights[g] * d).sum(axis=1) / len(c)
    rows = []
    group_of = frame[by].to_numpy()
    for m, measure in enumerate(measures):
        for g, c in compared.items():
            own_means = cell_sum[c, m] / cell_len[c]
            other_means = (story_sum[cell_story[c], m] - cell_sum[c, m]) / other_len[c]
            mine = group_of == group_names[g]
            rows.append({
                by: group_names[g], "measure": measure,
                "difference": float((own_means - other_means).mean()),
                "low": float(np.percentile(boot[g][:, m], tail)),
                "high": float(np.percentile(boot[g][:, m], 100 - tail)),
                "stories": len(c), "articles": int(cell_len[c].sum()),
                "other_articles": int(other_len[c].sum()), "mean": float(own_means.mean()),
                "other_mean": float(other_means.mean()),
                "pooled_difference": float(frame.loc[mine, measure].mean()
                                           - frame.loc[~mine, measure].mean()),
            })
    return rows


def compare_within_stories(
    measures: pd.DataFrame,
    value: str | list[str],
    *,
    by: str = "agency",
    story: str = "story",
    docs: pd.DataFrame | None = None,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Each group against the other groups' articles on the same stories, with intervals.

    ``measures`` holds one row per article or per sentence (``doc_id`` and the ``value``
    column or columns: a readability grade, a compound score, a frame share); rows of one
    article are averaged first, so the article is the unit. ``by`` and ``story`` come from
    ``measures`` or, when it lacks them, from ``docs`` (the output of :func:`find_stories`).

    For a group ``g`` and each story covered by ``g`` and by at least one other group, the
    story's difference is the mean over ``g``'s articles minus the mean over the other
    groups' articles; ``difference`` is the average of these over the stories, each story
    counting once. Comparing within stories removes what differs between stories (a group
    that covers more violent events is not thereby more negative). The interval is a
    percentile bootstrap with ``n_boot`` replicates: stories resampled with replacement and,
    within each story, each group's articles resampled too (one article resample per
    replicate serves every group; a story drawn twice reuses it, which errs on the wide
    side). With a single story the interval reflects the articles only. The work is
    ``n_boot`` times the articles for each measure, whatever the number of groups.

    Columns: <by>, measure, difference, low, high, stories (the stories behind the number),
    articles and other_articles (in those stories), mean and other_mean (means of the story
    means), pooled_difference (the group's mean over all its articles minus everyone else's
    over theirs, the comparison that ignores stories). A group that shares no story with
    another group gets no row.

    >>> measures = pd.DataFrame({"doc_id": list("abcdef"), "agency": list("XYXYXY"),
    ...     "story": ["s1", "s1", "s2", "s2", "s3", "s3"], "grade": [10, 8, 14, 12, 6, 4]})
    >>> out = compare_within_stories(measures, "grade", n_boot=200)
    >>> out[["agency", "difference", "stories", "pooled_difference"]].values.tolist()
    [['X', 2.0, 3, 2.0], ['Y', -2.0, 3, -2.0]]
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    values = [value] if isinstance(value, str) else list(value)
    articles = _per_article(measures, values, by, story, docs)
    rng = np.random.default_rng(seed)
    tail = (1 - confidence) / 2 * 100
    # Measures missing on the same articles (none, or the same ones) share their resamples.
    present = articles[values].notna()
    patterns = present.T.apply(lambda column: column.to_numpy().tobytes(), axis=1)
    found: dict[str, list[dict]] = {}
    for _, same in patterns.groupby(patterns, sort=False):
        chosen = list(same.index)
        frame = articles[present[chosen[0]]].dropna(subset=[by, story])
        if len(frame):
            for row in _within_story_rows(frame, chosen, by, story, n_boot, rng, tail):
                found.setdefault(row["measure"], []).append(row)
    rows = [row for measure in values for row in found.get(measure, [])]
    columns = [by, "measure", "difference", "low", "high", "stories", "articles",
               "other_articles", "mean", "other_mean", "pooled_difference"]
    return pd.DataFrame(rows, columns=columns)


def keyness_within_stories(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    story: str = "story",
    min_count: int = 5,
    confidence: float = 0.95,
    canonicalize_names: bool = False,
) -> pd.DataFrame:
    """Words each group uses more (or less) than the other groups on the same stories.

    For a group ``g``, every story covered by ``g`` and another group is a 2x2 table (this
    word / other words, ``g`` / the others); the Mantel-Haenszel odds ratio pools the tables
    over the stories, so a word counts as ``g``'s only if ``g`` uses it more than the others
    within the stories they share, not because ``g`` covered more of the stories that need it.
    Words are counted as in :func:`corpusutils.distinctive_terms`. Where a word occurs, 0.5 is
    added to each cell of that story's table (so that a word one side never uses has a finite
    ratio); the interval is the Robins-Breslow-Greenland one for the log odds ratio.

    Columns: <by>, term, count (in ``g``'s articles of the shared stories), count_rest (the
    others' in those stories), stories (shared with another group), stories_with_term,
    odds_ratio, log_odds_ratio, low, high (of the log odds ratio), z. Sorted by group, then
    ``z``, most distinctive first; words with ``count + count_rest < min_count`` are left out.

    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "agency": ["X", "Y", "X", "Y"],
    ...     "story": ["s1", "s1", "s2", "s2"],
    ...     "text": ["war war talks", "talks talks war", "war war peace", "peace peace war"]})
    >>> out = keyness_within_stories(docs, min_count=2)
    >>> columns = ["term", "count", "count_rest", "stories_with_term"]
    >>> out.loc[out["agency"] == "X", columns].values.tolist()
    [['war', 4, 2, 2], ['peace', 1, 2, 1], ['talks', 1, 2, 1]]
    """
    from corpusutils.wording import _check, _group_term_counts

    _check(docs, by, story)
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    key = docs[story].astype(str) + "\x1f" + docs[by].astype(str)
    counts = _group_term_counts(docs.assign(_key=key), "_key", canonicalize_names)
    parts = counts["_key"].str.split("\x1f", n=1, expand=True)
    counts = counts.assign(story=parts[0], group=parts[1]).drop(columns="_key")
    tokens_in = counts.groupby(["story", "group"])["count"].sum().rename("n").reset_index()
    z_crit = _normal_quantile(1 - (1 - confidence) / 2)
    rows = []
    for group in sorted(tokens_in["group"].unique()):
        mine = tokens_in[tokens_in["group"] == group].set_index("story")["n"]
        rest = tokens_in[tokens_in["group"] != group].groupby("story")["n"].sum()
        shared = mine.index.intersection(rest.index)
        if not len(shared):
            continue
        in_shared = counts[counts["story"].isin(shared)]
        a = in_shared[in_shared["group"] == group].groupby(["story", "term"])["count"].sum()
        c = in_shared[in_shared["group"] != group].groupby(["story", "term"])["count"].sum()
        table = pd.concat({"a": a, "c": c}, axis=1).fillna(0.0).reset_index()
        n1 = mine.reindex(table["story"]).to_numpy(float)
        n0 = rest.reindex(table["story"]).to_numpy(float)
        a_, c_ = table["a"].to_numpy() + 0.5, table["c"].to_numpy() + 0.5
        b_, d_ = n1 - table["a"].to_numpy() + 0.5, n0 - table["c"].to_numpy() + 0.5
        total = a_ + b_ + c_ + d_
        r, s = a_ * d_ / total, b_ * c_ / total
        p, q = (a_ + d_) / total, (b_ + c_) / total
        sums = pd.DataFrame({"term": table["term"], "count": table["a"], "count_rest": table["c"],
                             "r": r, "s": s, "pr": p * r, "ps_qr": p * s + q * r,
                             "qs": q * s, "with": 1}).groupby("term").sum()
        sums = sums[sums["count"] + sums["count_rest"] >= min_count]
        log_or = np.log(sums["r"] / sums["s"])
        variance = (sums["pr"] / (2 * sums["r"] ** 2) + sums["ps_qr"] / (2 * sums["r"] * sums["s"])
                    + sums["qs"] / (2 * sums["s"] ** 2))
        se = np.sqrt(variance)
        rows.append(pd.DataFrame({
            by: group, "term": sums.index, "count": sums["count"].astype("int64").to_numpy(),
            "count_rest": sums["count_rest"].astype("int64").to_numpy(),
            "stories": len(shared), "stories_with_term": sums["with"].to_numpy(),
            "odds_ratio": np.exp(log_or).to_numpy(), "log_odds_ratio": log_or.to_numpy(),
            "low": (log_or - z_crit * se).to_numpy(), "high": (log_or + z_crit * se).to_numpy(),
            "z": (log_or / se).to_numpy(),
        }))
    columns = [by, "term", "count", "count_rest", "stories", "stories_with_term", "odds_ratio",
               "log_odds_ratio", "low", "high", "z"]
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows, ignore_index=True)
    out = out.sort_values([by, "z", "term"], ascending=[True, False, True], kind="stable")
    return out[columns].reset_index(drop=True)


def _normal_quantile(p: float) -> float:
    """The standard normal quantile, by bisection on erf (no scipy needed)."""
    low, high = -10.0, 10.0
    for _ in range(100):
        middle = (low + high) / 2
        if 0.5 * (1 + math.erf(middle / math.sqrt(2))) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def story_articles(docs: pd.DataFrame, story_id: str, *, by: str = "agency",
                   lead_chars: int = 300) -> pd.DataFrame:
    """One story's articles side by side: group, date, headline, length and lead.

    Columns: doc_id, <by>, date (when the docs have one), headline, words, lead (the first
    ``lead_chars`` characters of the body, whitespace squeezed), story_reason. Sorted by group.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["EFE", "AP"], "story": "S1",
    ...     "text": ["Blinken met Tokáyev.", "Blinken met Tokayev in Astana."]})
    >>> story_articles(docs, "S1")[["doc_id", "agency", "words"]].values.tolist()
    [['b', 'AP', 5], ['a', 'EFE', 3]]
    """
    chosen = docs[docs["story"] == story_id]
    if chosen.empty:
        raise ValueError(f"no article has story == {story_id!r}")
    out = pd.DataFrame({"doc_id": chosen["doc_id"], by: chosen[by]})
    date = _first_column(chosen, DATE_COLUMNS)
    if date is not None:
        out["date"] = chosen[date]
    head = _headline_column(docs)
    out["headline"] = chosen[head].fillna("") if head else ""
    texts = chosen["text"].fillna("").astype(str)
    out["words"] = [len(tokens(t)) for t in texts]
    out["lead"] = [re.sub(r"\s+", " ", t[:lead_chars]).strip() for t in texts]
    if "story_reason" in chosen.columns:
        out["story_reason"] = chosen["story_reason"]
    return out.sort_values([by, "doc_id"], key=lambda c: c.astype(str)).reset_index(drop=True)


def within_stories_finding(compared: pd.DataFrame, *, by: str = "agency") -> object:
    """A sentence that reads :func:`compare_within_stories` output, for a report.

    How many comparisons have a 95% interval that excludes 0, the clearest of them (the
    largest difference relative to its interval's width) with its interval and number of
    stories, and how many pooled differences have the other sign. Where no group shares a
    story with another, or every comparison rests on one story (a corpus of one story), it
    says so. Returns Markdown (values escaped, as :func:`corpusutils.report.finding`).

    >>> compared = pd.DataFrame({"agency": ["AP", "EFE"], "measure": "grade",
    ...     "difference": [1.0, -1.0], "low": [0.2, -2.0], "high": [1.8, 0.1],
    ...     "stories": [12, 12], "pooled_difference": [-0.5, -0.4]})
    >>> print(within_stories_finding(compared).data)  # doctest: +NORMALIZE_WHITESPACE
    Within stories, 1 of 2 comparisons has a 95% interval that excludes 0. The clearest:
    **AP** on grade, +1.000 (95% interval +0.200 to +1.800, over 12 stories; pooled over
    all stories -0.500). In 1 comparison the pooled difference has the other sign: there
    the mix of stories, not how they were covered, sets the pooled number.
    """
    from corpusutils.report import finding

    if compared.empty:
        return finding("No story is covered by two groups, so nothing is compared within "
                       "stories: the comparisons above are the only ones this corpus allows.")
    if compared["stories"].max() == 1:
        return finding(
            "The corpus holds **one story** (or the groups share only one): each group is "
            "compared with the other groups' articles on it, and the intervals reflect those "
            "articles alone, not how the groups cover other stories. Read these as the "
            "groups' differences on this story, not as a finding across stories."
        )
    clear = compared[(compared["low"] > 0) | (compared["high"] < 0)]
    flips = int((np.sign(compared["difference"]) * np.sign(compared["pooled_difference"])
                 < 0).sum())
    text = ("Within stories, {clear} of {total} comparison{s} {has} a 95% interval that "
            "excludes 0.")
    values: dict[str, object] = {"clear": len(clear), "total": len(compared),
                                 "s": "" if len(compared) == 1 else "s",
                                 "has": "has" if len(clear) == 1 else "have"}
    if len(clear):
        width = (clear["high"] - clear["low"]).where(lambda w: w > 0, np.inf)
        top = clear.loc[(clear["difference"].abs() / width).idxmax()]
        text += (" The clearest: **{group}** on {measure}, {difference:+.3f} (95% interval "
                 "{low:+.3f} to {high:+.3f}, over {stories:,} stories; pooled over all stories "
                 "{pooled:+.3f}).")
        values.update(group=top[by], measure=top["measure"], difference=top["difference"],
                      low=top["low"], high=top["high"], stories=int(top["stories"]),
                      pooled=top["pooled_difference"])
    else:
        text += " The stories do not show the groups differing on these measures."
    if flips:
        text += (" In {flips} comparison{fs} the pooled difference has the other sign: there "
                 "the mix of stories, not how they were covered, sets the pooled number.")
        values.update(flips=flips, fs="" if flips == 1 else "s")
    if len(compared) >= 20:
        text += " With this many comparisons, about 1 in 20 excludes 0 by chance."
    return finding(text, **values)


def keyness_within_stories_finding(keys: pd.DataFrame, *, by: str = "agency",
                                   top: int = 3) -> object:
    """A sentence that reads :func:`keyness_within_stories` output, for a report: for each
    group (the ten with most words), how many words it uses more than the others on the same
    stories (log odds ratio interval above 0), over how many stories, and its strongest ones.

    >>> keys = pd.DataFrame({"agency": ["AP", "AP"], "term": ["war", "talks"],
    ...     "stories": [4, 4], "low": [0.3, -0.2], "z": [3.1, 0.9]})
    >>> print(keyness_within_stories_finding(keys).data)  # doctest: +NORMALIZE_WHITESPACE
    Words a group uses more than the others on the same stories (95% interval of the log odds
    ratio above 0): AP: 1 over 4 stories ('war').
    """
    from corpusutils.report import finding

    if keys.empty:
        return finding("No story is covered by two groups with enough words: no word is "
                       "compared within stories.")
    over = keys[keys["low"] > 0].sort_values([by, "z"], ascending=[True, False])
    stories = keys.groupby(by)["stories"].max()
    counted = over.groupby(by).size().reindex(stories.index, fill_value=0)
    shown = counted.sort_values(ascending=False, kind="stable").head(10)
    parts = []
    for group, n in shown.items():
        words = over.loc[over[by] == group, "term"].head(top)
        listed = f" ({', '.join(repr(w) for w in words)})" if n else ""
        parts.append(f"{group}: {n:,} over {stories[group]:,} "
                     f"{'story' if stories[group] == 1 else 'stories'}{listed}")
    text = ("Words a group uses more than the others on the same stories (95% interval of the "
            "log odds ratio above 0): {parts}.")
    if stories.max() == 1:
        text += (" The corpus holds **one story**: these are the words of the groups' articles "
                 "on it, not a habit shown across stories.")
    return finding(text, parts="; ".join(parts))


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 story", "3 stories": a count with its noun in the right number."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def story_overview_finding(overview: pd.DataFrame, *, by: str = "agency", source: str = "",
                           shown: int = 15) -> object:
    """A sentence that reads :func:`story_overview` output, for a report: how many stories
    (and where they came from, ``source``), how many more than one group covers, the largest,
    and how many the table shows (``shown``). Returns Markdown, as
    :func:`corpusutils.report.finding`.

    >>> overview = pd.DataFrame({"story": ["S1"], "story_label": ["talks"], "articles": [1],
    ...     "groups": [1], "agency": ["AP 1"]})
    >>> print(story_overview_finding(overview).data)  # doctest: +NORMALIZE_WHITESPACE
    **1 story**: *talks* (1 article: AP 1), covered by one group only, so nothing is compared
    within stories below.
    """
    from corpusutils.report import finding

    if overview.empty:
        return finding("The corpus holds no story.")
    top = overview.iloc[0]
    where = f" ({source})" if source else ""
    values = {"count": _count(len(overview), "story", "stories"), "where": where,
              "label": top["story_label"], "articles": _count(int(top["articles"]), "article"),
              "groups": top[by]}
    if len(overview) == 1:
        text = "**{count}**{where}: *{label}* ({articles}: {groups}), "
        text += ("covered by one group only, so nothing is compared within stories below."
                 if top["groups"] < 2 else "so the comparisons below are between the groups' "
                 "articles on it, with intervals over its articles, not over stories.")
        return finding(text, **values)
    shared = int((overview["groups"] > 1).sum())
    text = ("**{count}**{where}; {shared} covered by more than one group, and only "
            "{those} enter the comparisons below. The largest: *{label}* ({articles}: "
            "{groups}). ")
    values.update(shared=f"{shared:,} {'is' if shared == 1 else 'are'}",
                  those="that one enters" if shared == 1 else "those enter")
    text += ("The table shows the {shown} largest; every story is in the CSV."
             if len(overview) > shown else "The table shows every story.")
    return finding(text, shown=shown, **values)
