"""Duplicate and near-duplicate articles: the same wire story exported twice, updated versions.

:func:`flag_duplicates` compares the articles' word 5-grams ("shingles", lower-cased words):
two articles are near-duplicates when one repeats at least ``threshold`` of the other's
shingles (the share of the smaller set found in the larger, so an updated version that adds a
paragraph still repeats its first version). The default 0.8 flags the same story exported
twice (1.0), a version with a corrected figure or an added paragraph (about 0.8 to 0.95), and
leaves apart the stories of different agencies on one event, which share quotations but little
running text (at most 0.15 between any two of the seeds, the two EFE services included).

Only a few pairs are compared, never all: every article gets a MinHash signature of
:data:`HASHES` values, cut into :data:`BANDS` bands of :data:`ROWS`; articles that agree on a
whole band are candidates (found by :func:`corpusutils.pairs.candidate_pairs`, the inverted
index that also serves text reuse and stories, with the bands as features); the signatures
estimate each candidate's Jaccard similarity and so the share it repeats, and the candidates
estimated within :data:`ESTIMATE_MARGIN` (0.25) of the threshold are measured exactly on their
shingles. A
pair whose shingle sets have a Jaccard similarity of 0.5 becomes a candidate with probability
0.94, of 0.7 with probability 0.9996; a short article repeated whole inside one three times its
length (Jaccard about 0.27) with probability 0.5, so such pairs can be missed.

Flagged pairs are joined into clusters; in each cluster the article published first (then the
longest, then the first in the corpus) is kept, and the others point to it. Nothing is dropped:
:func:`keep_one_per_cluster` is the explicit step that keeps one article per cluster.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from corpusutils.pairs import candidate_pairs

__all__ = ["DUPLICATE_COLUMNS", "flag_duplicates", "keep_one_per_cluster"]

#: The columns :func:`flag_duplicates` adds.
DUPLICATE_COLUMNS = ("duplicate_of", "duplicate_similarity", "duplicate_cluster")

SHINGLE_WORDS = 5
HASHES = 63
BANDS = 21
ROWS = 3
#: Candidates whose share repeated, estimated from their signatures, falls this far below the
#: threshold are not measured.
ESTIMATE_MARGIN = 0.25
_PRIME = (1 << 61) - 1
_CHUNK = 100_000
_WORD = re.compile(r"\w+")


def _shingles(text: str, vocabulary: dict[str, int], size: int) -> np.ndarray:
    ids = [vocabulary.setdefault(w, len(vocabulary)) for w in _WORD.findall(text.lower())]
    if len(ids) < size:
        grams = [tuple(ids)] if ids else []
    else:
        grams = [tuple(ids[i : i + size]) for i in range(len(ids) - size + 1)]
    # Hashes of tuples of integers do not depend on the process (unlike those of strings).
    return np.unique(np.fromiter((hash(g) for g in grams), dtype=np.int64, count=len(grams)))


def _signatures(shingles: list[np.ndarray]) -> np.ndarray:
    rng = np.random.default_rng(20230228)
    a = rng.integers(1, _PRIME, size=HASHES, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=HASHES, dtype=np.uint64)
    out = np.full((len(shingles), HASHES), np.iinfo(np.uint64).max, dtype=np.uint64)
    for i, values in enumerate(shingles):
        if len(values):
            x = values.view(np.uint64) % np.uint64(_PRIME)
            # (a * x + b) mod 2**64 then mod p: a cheap universal family, enough for LSH.
            out[i] = ((np.outer(x, a) + b) % np.uint64(_PRIME)).min(axis=0)
    return out


def _candidates(signatures: np.ndarray, empty: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs that agree on a whole band, through the corpus's one inverted index: each band of
    each signature is one feature (a hash of the band's number and values)."""
    bands = [
        set() if empty[i] else {
            hash((band, *row[band * ROWS : (band + 1) * ROWS].tolist())) for band in range(BANDS)
        }
        for i, row in enumerate(signatures)
    ]
    # No feature is too common to pair: a band shared by many articles is a story exported
    # many times, exactly what is looked for.
    pairs = candidate_pairs(bands, max_docs=max(2, len(bands)))
    return pairs["a"].to_numpy(np.int64), pairs["b"].to_numpy(np.int64)


def flag_duplicates(
    docs: pd.DataFrame,
    *,
    text_column: str | None = None,
    threshold: float = 0.8,
    shingle_words: int = SHINGLE_WORDS,
) -> pd.DataFrame:
    """A copy of ``docs`` with the duplicate columns (see the module docstring).

    ``duplicate_of``: the ``doc_id`` of the article this one repeats (the article its cluster
    keeps), ``None`` for an article that repeats none; ``duplicate_similarity``: the share of
    shingles it shares with its closest flagged article; ``duplicate_cluster``: the kept
    article's ``doc_id`` for every article of a cluster of two or more, ``None`` otherwise.
    The text is ``text`` when the corpus is cleaned, else ``raw_text`` (or ``text_column``).

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [
    ...     "Rivers across southern Europe fell to levels not seen in March for decades.",
    ...     "Rivers across southern Europe fell to levels not seen in March for decades.",
    ...     "Portugal asked farmers on Tuesday to delay planting by two weeks."]})
    >>> flag_duplicates(docs)[["doc_id", "duplicate_of", "duplicate_cluster"]].values.tolist()
    [['a', None, 'a'], ['b', 'a', 'a'], ['c', None, None]]
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold!r}")
    column = text_column or ("text" if "text" in docs.columns else "raw_text")
    texts = [t if isinstance(t, str) else "" for t in docs[column]]
    vocabulary: dict[str, int] = {}
    shingles = [_shingles(t, vocabulary, shingle_words) for t in texts]
    sizes = np.array([len(s) for s in shingles])
    empty = sizes == 0
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    signatures = _signatures(shingles)
    a, b = _candidates(signatures, empty)
    # The signatures estimate each pair's Jaccard similarity, hence (with the two sizes) the
    # share it repeats; only pairs estimated within ESTIMATE_MARGIN of the threshold are
    # measured. In chunks: a candidate's two signatures take a kilobyte.
    keep = np.zeros(len(a), dtype=bool)
    for low in range(0, len(a), _CHUNK):
        x, y = a[low : low + _CHUNK], b[low : low + _CHUNK]
        jaccard = (signatures[x] == signatures[y]).mean(axis=1)
        shared = jaccard * (sizes[x] + sizes[y]) / (1 + jaccard)
        keep[low : low + _CHUNK] = shared / np.minimum(sizes[x], sizes[y]) >= (
            threshold - ESTIMATE_MARGIN
        )
    pairs = list(zip(a[keep].tolist(), b[keep].tolist(), strict=True))
    best = np.zeros(len(docs))
    for i, j in pairs:
        shared = len(np.intersect1d(shingles[i], shingles[j], assume_unique=True))
        similarity = shared / min(sizes[i], sizes[j])
        if similarity >= threshold:
            best[i], best[j] = max(best[i], similarity), max(best[j], similarity)
            parent[root(i)] = root(j)
    order = _priority(docs, sizes)
    ids = docs["doc_id"].astype(str).tolist()
    kept: dict[int, int] = {}
    for i in order:
        kept.setdefault(root(i), i)
    members: dict[int, int] = {}
    for i in range(len(docs)):
        members[root(i)] = members.get(root(i), 0) + 1
    out = docs.copy()
    of, cluster, similarity_column = [], [], []
    for i in range(len(docs)):
        r = root(i)
        grouped = members[r] > 1
        cluster.append(ids[kept[r]] if grouped else None)
        of.append(ids[kept[r]] if grouped and kept[r] != i else None)
        similarity_column.append(round(float(best[i]), 3) if grouped else None)
    out["duplicate_of"] = pd.Series(of, index=out.index, dtype=object)
    out["duplicate_similarity"] = pd.Series(similarity_column, index=out.index, dtype=float)
    out["duplicate_cluster"] = pd.Series(cluster, index=out.index, dtype=object)
    return out


def _priority(docs: pd.DataFrame, sizes: np.ndarray) -> list[int]:
    """Positions in the order articles are preferred: first published, longest, first."""
    published = (
        pd.to_datetime(docs["published"], errors="coerce", utc=True)
        if "published" in docs.columns else pd.Series(pd.NaT, index=docs.index)
    )
    frame = pd.DataFrame({"published": published.to_numpy(), "size": -sizes,
                          "position": np.arange(len(docs))})
    frame = frame.sort_values(["published", "size", "position"], na_position="last")
    return frame["position"].tolist()


def keep_one_per_cluster(docs: pd.DataFrame) -> pd.DataFrame:
    """The articles that repeat no other: one per cluster of near-duplicates (flagging first
    when the corpus has not been flagged). ``attrs["duplicates_left_out"]`` lists the others.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["The same words here."] * 2})
    >>> keep_one_per_cluster(docs)["doc_id"].tolist()
    ['a']
    """
    flagged = docs if "duplicate_of" in docs.columns else flag_duplicates(docs)
    left_out = flagged[flagged["duplicate_of"].notna()]
    out = flagged[flagged["duplicate_of"].isna()].copy()
    out.attrs = {**flagged.attrs, "duplicates_left_out": left_out["doc_id"].astype(str).tolist()}
    return out
