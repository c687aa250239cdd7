"""The candidate-pair index against brute force over all pairs."""

from itertools import combinations

import numpy as np
import pytest

from corpusutils.pairs import candidate_pairs


def _random_sets(rng: np.random.Generator, n: int, vocabulary: int) -> list[set[int]]:
    return [set(rng.integers(0, vocabulary, rng.integers(0, 12)).tolist()) for _ in range(n)]


def _brute(sets, max_docs, weights=None, blocks=None):
    df = {}
    for s in sets:
        for f in s:
            df[f] = df.get(f, 0) + 1
    out = {}
    for i, j in combinations(range(len(sets)), 2):
        if blocks is not None and abs(blocks[i] - blocks[j]) > 1:
            continue
        if blocks is not None:
            # document frequency within the pair of adjacent blocks the pair is counted in
            low = min(blocks[i], blocks[j])
            inside = [s for s, b in zip(sets, blocks, strict=True) if b in (low, low + 1)]
            df = {}
            for s in inside:
                for f in s:
                    df[f] = df.get(f, 0) + 1
        shared = [f for f in sets[i] & sets[j] if df[f] <= max_docs]
        if shared:
            weight = sum(weights[f] for f in shared) if weights is not None else 0.0
            out[(i, j)] = (len(shared), weight)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_counts_and_weights_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    sets = _random_sets(rng, 60, 40)
    weights = rng.random(40)
    found = candidate_pairs(sets, weights=weights, max_docs=6)
    expected = _brute(sets, 6, weights)
    got = {(a, b): (s, w) for a, b, s, w in found.itertuples(index=False)}
    assert got.keys() == expected.keys()
    for key, (shared, weight) in expected.items():
        assert got[key][0] == shared
        assert got[key][1] == pytest.approx(weight)


@pytest.mark.parametrize("seed", range(3))
def test_blocks_pair_only_neighbouring_blocks(seed):
    rng = np.random.default_rng(seed)
    sets = _random_sets(rng, 50, 25)
    blocks = rng.integers(0, 6, len(sets)).tolist()
    found = candidate_pairs(sets, max_docs=8, blocks=blocks)
    got = {(a, b): s for a, b, s in found[["a", "b", "shared"]].itertuples(index=False)}
    expected = {k: v[0] for k, v in _brute(sets, 8, blocks=blocks).items()}
    assert got == expected


def test_min_shared_and_common_features():
    # Feature 0 is in every document: no pairs from it, but counted when count_common=True.
    sets = [{0, 1, 2}, {0, 1, 2}, {0, 3}, {0, 4}]
    found = candidate_pairs(sets, max_docs=2, min_shared=2, count_common=True)
    assert found[["a", "b", "shared"]].values.tolist() == [[0, 1, 3]]
    assert found.attrs["common_features"] == 1


def test_weights_must_index_features():
    with pytest.raises(ValueError, match="index into weights"):
        candidate_pairs([{5}, {5}], weights=np.ones(3))
