"""Near-duplicate articles flagged, never dropped unless asked."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

import corpusutils as cu
from corpusutils.duplicates import flag_duplicates, keep_one_per_cluster

FACTIVA = Path(__file__).parent / "exports" / "factiva.html"


def test_same_story_exported_twice_and_its_update_point_to_the_first() -> None:
    # factiva.html: document 3 is document 1 again (another AFP product name), document 4 is
    # its "UPDATE 1" a day later (one line before and one paragraph after the same text),
    # document 2 is Reuters' own story on the same event.
    docs = flag_duplicates(cu.load_corpus(FACTIVA))
    assert docs["duplicate_of"].tolist() == [None, None, "factiva-001", "factiva-001"]
    assert docs["duplicate_cluster"].tolist() == [
        "factiva-001", None, "factiva-001", "factiva-001",
    ]
    assert docs["duplicate_similarity"].iat[2] == 1.0
    assert docs["duplicate_similarity"].iat[3] == 1.0  # the update repeats all of the first
    assert len(docs) == 4  # flagged, not dropped


def test_keep_one_per_cluster_is_explicit_and_says_what_it_left_out() -> None:
    docs = flag_duplicates(cu.load_corpus(FACTIVA))
    kept = keep_one_per_cluster(docs)
    assert kept["doc_id"].tolist() == ["factiva-001", "factiva-002"]
    assert kept.attrs["duplicates_left_out"] == ["factiva-003", "factiva-004"]


def test_different_agencies_on_one_event_are_not_duplicates() -> None:
    docs = flag_duplicates(cu.load_corpus("seeds"))
    assert docs["duplicate_of"].isna().all()
    assert docs["duplicate_cluster"].isna().all()


def test_planted_copies_are_found_among_many_articles() -> None:
    # 3,000 articles recombined from the seeds' sentences (so they share many sentences, as
    # stories of one event do), 60 of them copied with one word changed: every copy must be in
    # one cluster with its original (which of the two is kept depends on their lengths), and
    # nothing else may be flagged.
    sentences = [
        s for text in cu.load_corpus("seeds")["text"] for s in re.split(r"(?<=[.!?])\s+", text)
        if len(s.split()) > 6
    ]
    rng = random.Random(7)
    texts = [" ".join(rng.sample(sentences, 12)) for _ in range(3000)]
    originals = rng.sample(range(3000), 60)
    copies = []
    for i in originals:
        words = texts[i].split()
        words[len(words) // 2] = "changed"
        copies.append(" ".join(words))
    docs = pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(3000)] + [f"copy{k}" for k in range(60)],
        "text": texts + copies,
    })
    flagged = flag_duplicates(docs).set_index("doc_id")
    for k, i in enumerate(originals):
        pair = flagged.loc[[f"copy{k}", f"d{i}"]]
        assert pair["duplicate_cluster"].nunique() == 1
        assert pair["duplicate_cluster"].notna().all()
        assert pair["duplicate_of"].notna().sum() == 1
    # Anything else flagged must really repeat its article (measured here with plain sets):
    # a random recombination can draw nearly the same sentences twice.
    planted = {f"copy{k}" for k in range(60)} | {f"d{i}" for i in originals}
    others = flagged[flagged["duplicate_of"].notna() & ~flagged.index.isin(planted)]
    for doc_id, row in others.iterrows():
        assert _containment(flagged.loc[doc_id, "text"], flagged.loc[row.duplicate_of, "text"]
                            ) >= 0.8
    assert len(others) < 10


def _containment(a: str, b: str) -> float:
    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}

    x, y = shingles(a), shingles(b)
    return len(x & y) / min(len(x), len(y))


def test_threshold_is_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        flag_duplicates(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), threshold=0)


def test_reports_flag_duplicates_and_can_keep_one_per_cluster() -> None:
    from corpusutils.report import _load_once

    flagged = _load_once(FACTIVA.resolve(), "agency")
    assert flagged["duplicate_of"].notna().sum() == 2
    kept = _load_once(FACTIVA.resolve(), "agency", duplicates="keep-one")
    assert kept["doc_id"].tolist() == ["factiva-001", "factiva-002"]
    assert [s["file"] for s in kept.attrs["skipped"]] == ["factiva-003", "factiva-004"]
    assert "near-duplicate of factiva-001" in kept.attrs["skipped"][0]["problem"]
