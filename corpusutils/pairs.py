"""Candidate pairs of documents from an inverted index: only documents that share a feature
are ever compared, never all pairs.

A feature is any integer a document has (a hashed word n-gram, a shingle, a vocabulary id).
:func:`candidate_pairs` builds the inverted index (feature -> documents), expands each posting
list into the pairs it makes and sums, for every pair, how many features it shares and, when
the features carry weights, the sum of their weights. It serves text reuse
(:func:`corpusutils.reuse`), story grouping (:func:`corpusutils.find_stories`) and
near-duplicate flagging alike: one index for all three.

Two limits keep the work linear in the corpus rather than quadratic:

* a feature found in more than ``max_docs`` documents (a stock phrase, a copyright line, a word
  every article of a month uses) makes no pairs; the number of such features is reported, and
  ``count_common=True`` still adds them to the ``shared`` count of the pairs that are kept;
* ``blocks`` (an integer per document, e.g. the day of publication divided by a window) pairs
  only documents whose blocks differ by at most one, so a corpus of a year is indexed a few
  days at a time.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

__all__ = ["candidate_pairs"]

#: Pair counts are reduced whenever this many (pair, weight) entries have accumulated.
_PAIR_CHUNK = 4_000_000

_EMPTY = np.array([], dtype=np.int64)


def _common_bits(owners: np.ndarray, starts: np.ndarray, ends: np.ndarray, n_docs: int):
    """One bit per common feature for each document: (documents x words) uint64 bitsets."""
    lengths = ends - starts
    docs_of = np.concatenate([owners[a:b] for a, b in zip(starts, ends, strict=True)])
    gram_of = np.repeat(np.arange(len(starts), dtype=np.int64), lengths)
    bits = np.zeros((n_docs, (len(starts) + 63) // 64), dtype=np.uint64)
    np.bitwise_or.at(
        bits,
        (docs_of, gram_of // 64),
        np.left_shift(np.uint64(1), (gram_of % 64).astype(np.uint64)),
    )
    return bits


def _common_shared(bits: np.ndarray, a_idx: np.ndarray, b_idx: np.ndarray) -> np.ndarray:
    """How many common features each pair shares: popcount of the AND of their bitsets."""
    out = np.empty(len(a_idx), dtype=np.int64)
    step = max(1, 4_000_000 // max(1, bits.shape[1]))
    for low in range(0, len(a_idx), step):
        both = bits[a_idx[low : low + step]] & bits[b_idx[low : low + step]]
        out[low : low + step] = np.bitwise_count(both).sum(axis=1)
    return out


def _reduce(keys: list, counts: list, weights: list) -> tuple[np.ndarray, ...]:
    """Sum the counts and weights of equal pair keys."""
    all_keys = np.concatenate(keys)
    unique, inverse = np.unique(all_keys, return_inverse=True)
    summed = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(unique))
    weight = np.bincount(inverse, weights=np.concatenate(weights), minlength=len(unique))
    return unique, summed.astype(np.int64), weight


def _pairs_within(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i, j), i < j, of every pair inside each run ``starts[k] : starts[k] + lengths[k]``
    of a flat array, all runs at once."""
    positions = np.arange(starts[0], starts[-1], dtype=np.int64)
    run_end = np.repeat(starts[1:], lengths)
    partners = run_end - positions - 1  # how many later members each member pairs with
    left = np.repeat(positions, partners)
    first_pair = np.concatenate([[0], np.cumsum(partners)[:-1]])
    right = left + 1 + np.arange(len(left), dtype=np.int64) - np.repeat(first_pair, partners)
    return left, right


def _index_pairs(
    features: Sequence[np.ndarray],
    weights: np.ndarray | None,
    max_docs: int,
    min_shared: int,
    count_common: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """(doc a, doc b, shared features, summed weight, number of common features), a < b."""
    sizes = np.fromiter((len(f) for f in features), dtype=np.int64, count=len(features))
    total = int(sizes.sum())
    if total == 0:
        return _EMPTY, _EMPTY, _EMPTY, np.array([], dtype=float), 0
    values = np.concatenate(features).astype(np.int64, copy=False)
    owners = np.repeat(np.arange(len(features), dtype=np.int64), sizes)
    order = np.argsort(values, kind="stable")
    values, owners = values[order], owners[order]
    # Runs of equal features are the posting lists of the inverted index.
    bounds = np.flatnonzero(np.diff(values)) + 1
    run_starts = np.concatenate([[0], bounds])
    run_ends = np.concatenate([bounds, [total]])
    df = run_ends - run_starts
    common = np.flatnonzero(df > max_docs)
    usable = np.flatnonzero((df >= 2) & (df <= max_docs))
    # Features with the same posting list add to the same pairs: expand each list once.
    lists = pd.Series([owners[run_starts[i] : run_ends[i]].tobytes() for i in usable])
    codes, members = pd.factorize(lists)
    list_count = np.bincount(codes, minlength=len(members))
    feature_weight = (
        weights[values[run_starts[usable]]] if weights is not None else np.zeros(len(usable))
    )
    list_weight = np.bincount(codes, weights=feature_weight, minlength=len(members))
    n_docs = len(features)
    keys: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    sums: list[np.ndarray] = []
    lengths = np.fromiter((len(m) // 8 for m in members), dtype=np.int64, count=len(members))
    flat = np.frombuffer(b"".join(members), dtype=np.int64) if len(members) else _EMPTY
    starts = np.concatenate([[0], np.cumsum(lengths)])
    pairs_per_list = lengths * (lengths - 1) // 2
    # Expand the lists a chunk at a time, so that memory stays bounded.
    low = 0
    while low < len(members):
        reach = np.searchsorted(np.cumsum(pairs_per_list[low:]), _PAIR_CHUNK, side="right")
        high = min(len(members), low + max(1, int(reach)))
        left, right = _pairs_within(starts[low : high + 1], lengths[low:high])
        repeat = pairs_per_list[low:high]
        keys.append(flat[left] * n_docs + flat[right])
        counts.append(np.repeat(list_count[low:high].astype(float), repeat))
        sums.append(np.repeat(list_weight[low:high], repeat))
        if sum(len(k) for k in keys) > _PAIR_CHUNK:
            unique, shared, weight_sum = _reduce(keys, counts, sums)
            keys, counts, sums = [unique], [shared.astype(float)], [weight_sum]
        low = high
    if not keys:
        return _EMPTY, _EMPTY, _EMPTY, np.array([], dtype=float), len(common)
    unique, shared, weight_sum = _reduce(keys, counts, sums)
    keep = shared >= min_shared
    unique, shared, weight_sum = unique[keep], shared[keep], weight_sum[keep]
    a_idx, b_idx = unique // n_docs, unique % n_docs
    if count_common and len(common):
        bits = _common_bits(owners, run_starts[common], run_ends[common], n_docs)
        shared = shared + _common_shared(bits, a_idx, b_idx)
    return a_idx, b_idx, shared, weight_sum, len(common)


def candidate_pairs(
    features: Sequence[Collection[int]],
    *,
    weights: np.ndarray | None = None,
    max_docs: int = 100,
    min_shared: int = 1,
    blocks: Sequence[int] | np.ndarray | None = None,
    count_common: bool = False,
) -> pd.DataFrame:
    """Pairs of documents that share features, found through an inverted index.

    ``features`` holds, for each document (by position), its distinct integer features.
    ``weights``, when given, is an array indexed by feature (features must then lie in
    ``range(len(weights))``), and ``weight`` sums it over the features a pair shares: with
    ``weights = idf**2`` and binary term vectors, ``weight / (norm_a * norm_b)`` is the pair's
    TF-IDF cosine. Features in more than ``max_docs`` documents (within one pair of adjacent
    blocks when ``blocks`` is given) make no pairs and add no weight; ``count_common=True``
    still counts them in ``shared`` for the pairs kept. Pairs sharing fewer than
    ``min_shared`` features are dropped.

    ``blocks`` gives each document an integer (say, its day of publication divided by a
    window of days); documents are then paired only with documents of the same or an adjacent
    block, each pair once.

    Columns: a, b (positions in ``features``, ``a < b``), shared, weight; sorted by a, b.
    ``attrs["common_features"]`` counts the features set aside for being in too many
    documents (summed over blocks).

    >>> out = candidate_pairs([{1, 2, 3}, {2, 3, 4}, {9}, {1, 9}])
    >>> out[["a", "b", "shared"]].values.tolist()
    [[0, 1, 2], [0, 3, 1], [2, 3, 1]]
    >>> candidate_pairs([{1, 2}, {1, 2}, {1, 2}], blocks=[0, 1, 2])[["a", "b"]].values.tolist()
    [[0, 1], [1, 2]]
    """
    arrays = [
        f if isinstance(f, np.ndarray) else np.fromiter(f, dtype=np.int64, count=len(f))
        for f in features
    ]
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        if any(len(f) and (f.min() < 0 or f.max() >= len(weights)) for f in arrays):
            raise ValueError("with weights, every feature must be an index into weights")
    parts: list[tuple[np.ndarray, ...]] = []
    n_common = 0
    if blocks is None:
        a, b, shared, weight, n_common = _index_pairs(
            arrays, weights, max_docs, min_shared, count_common
        )
        parts.append((a, b, shared, weight))
    else:
        block = np.asarray(blocks, dtype=np.int64)
        if len(block) != len(arrays):
            raise ValueError(f"blocks has {len(block)} values for {len(arrays)} documents")
        for value in np.unique(block):
            # This block and the next: pairs with one document in this block are counted
            # here; pairs inside the next block are counted at its own turn.
            members = np.flatnonzero((block == value) | (block == value + 1))
            a, b, shared, weight, common = _index_pairs(
                [arrays[i] for i in members], weights, max_docs, min_shared, count_common
            )
            n_common += common
            a, b = members[a], members[b]
            keep = (block[a] == value) | (block[b] == value)
            parts.append((a[keep], b[keep], shared[keep], weight[keep]))
    a, b, shared, weight = (np.concatenate(column) for column in zip(*parts, strict=True))
    out = pd.DataFrame({"a": a, "b": b, "shared": shared, "weight": weight})
    out = out.sort_values(["a", "b"]).reset_index(drop=True)
    out.attrs["common_features"] = n_common
    return out
