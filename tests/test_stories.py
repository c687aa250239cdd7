"""Story grouping: from a column, found from texts, and against the AllSides topic-days."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corpusutils import find_stories, load_corpus, story_overview

ALLSIDES = Path(__file__).resolve().parents[2] / "shared/peer/allsides-sameday/articles.jsonl"

BLINKEN = ("US Secretary of State Antony Blinken met Kazakh President Kassym-Jomart Tokayev in "
           "Astana on Tuesday, pledging support for Central Asian sovereignty.")
FLOODS = ("Floods in the Brazilian state of Sao Paulo killed at least 40 people after record "
          "rainfall, and rescuers searched for missing residents in Sao Sebastiao.")


def _docs() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["b1", "b2", "b3", "f1", "f2", "b4"],
        "agency": ["AP", "EFE", "AFP", "Reuters", "AP", "EFE"],
        "published": ["2023-02-28", "2023-02-28", "2023-03-01", "2023-02-28", "2023-02-28",
                      "2023-06-15"],
        "text": [BLINKEN, BLINKEN.replace("Tokayev", "Tokáyev").replace("Tuesday", "today"),
                 "Blinken, in Astana, told Tokayev that Central Asian sovereignty matters.",
                 FLOODS, FLOODS.replace("at least 40", "dozens of"),
                 BLINKEN],
    })


def test_found_stories_split_events_and_time():
    out = find_stories(_docs(), threshold=0.1)
    story = dict(zip(out["doc_id"], out["story"], strict=True))
    # The visit (same day and the next) is one story, the floods another; the same text
    # published months later is outside the window: a story of its own.
    assert story["b1"] == story["b2"] == story["b3"]
    assert story["f1"] == story["f2"] != story["b1"]
    assert story["b4"] not in {story["b1"], story["f1"]}
    assert out.loc[out["doc_id"] == "b2", "story_reason"].item().startswith(
        "closest in its story: b1 (AP)")
    assert out.loc[out["doc_id"] == "b4", "story_reason"].item().startswith("alone")
    assert "Blinken" in out.loc[out["doc_id"] == "b1", "story_label"].item()


def test_without_dates_the_corpus_is_one_window():
    out = find_stories(_docs().drop(columns="published"), threshold=0.1)
    story = dict(zip(out["doc_id"], out["story"], strict=True))
    assert story["b4"] == story["b1"]  # the same text, no date to keep them apart
    assert "no dates" in out.attrs["story_source"]


def test_no_chaining_through_a_topic():
    # Each article shares most words with the next, none with articles far along the chain:
    # joining every similar pair (single link) would make one story of all of them.
    vocabulary = [f"word{k}" for k in range(40)]
    texts = [" ".join(vocabulary[i : i + 6]) for i in range(0, 30, 2)]
    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    out = find_stories(docs, threshold=0.3, date=None)
    sizes = out["story"].value_counts()
    assert sizes.max() <= 3
    neighbours = docs.assign(story=out["story"])
    assert (neighbours["story"] == neighbours["story"].shift()).sum() >= 3


def test_stories_from_a_column_keep_articles_without_a_value_apart():
    docs = _docs().assign(event=["visit", "visit", "visit", "floods", None, "visit"])
    out = find_stories(docs, column="event")
    assert out["story"].tolist()[:4] == ["visit", "visit", "visit", "floods"]
    assert out["story"].nunique() == 3
    assert out.loc[4, "story_reason"] == "no value in column 'event': a story of its own"
    with pytest.raises(ValueError, match="no story column 'topic'"):
        find_stories(docs, column="topic")


def test_story_overview_counts_articles_and_groups():
    out = story_overview(find_stories(_docs(), threshold=0.1))
    top = out.iloc[0]
    assert (top["articles"], top["groups"]) == (3, 3)
    assert top["agency"] == "AFP 1, AP 1, EFE 1"
    assert str(top["first"].date()) == "2023-02-28" and str(top["last"].date()) == "2023-03-01"


def _pairwise_f1(truth: np.ndarray, found: np.ndarray) -> float:
    n = len(truth)
    upper = np.triu_indices(n, 1)
    same_truth = (truth[:, None] == truth[None, :])[upper]
    same_found = (found[:, None] == found[None, :])[upper]
    both = (same_truth & same_found).sum()
    precision, recall = both / same_found.sum(), both / same_truth.sum()
    return 2 * precision * recall / (precision + recall)


@pytest.mark.skipif(not ALLSIDES.exists(), reason="../shared/peer/allsides-sameday is absent")
def test_allsides_topic_days_pairwise_f1():
    docs = load_corpus(ALLSIDES, text_column="content_original")
    truth = (docs["topic"] + " " + docs["date"]).to_numpy()
    # The labels are per day, so articles are compared within their day (window 0).
    found = find_stories(docs, window_days=0, by="source")["story"].to_numpy()
    assert _pairwise_f1(truth, found) >= 0.8


def _planted(seed: int = 7) -> pd.DataFrame:
    """40 stories: half with a high baseline (10), half low (0). Agency A covers every high
    story and five low ones, B every low story and five high ones, C all. Within a story A's
    articles score 1 lower than the others'; B and C have no effect of their own."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(40):
        high = s < 20
        baseline = 10.0 if high else 0.0
        covering = ["C"]
        if high or s >= 35:
            covering.append("A")
        if not high or s < 5:
            covering.append("B")
        for agency in covering:
            for k in range(rng.integers(1, 4)):
                value = baseline + (-1.0 if agency == "A" else 0.0) + rng.normal(0, 0.5)
                rows.append((f"{s}-{agency}-{k}", agency, f"s{s:02d}", value))
    return pd.DataFrame(rows, columns=["doc_id", "agency", "story", "score"])


def test_within_story_comparison_finds_what_pooling_hides():
    from corpusutils import compare_within_stories

    measures = _planted()
    a = compare_within_stories(measures, "score", n_boot=2000).set_index("agency").loc["A"]
    # Pooled over stories, A looks higher (it covers the high-baseline stories) ...
    assert a["pooled_difference"] > 2
    # ... within stories it is 1 lower, and the interval says so.
    assert a["low"] <= -1.0 <= a["high"]
    assert a["high"] < 0
    assert a["stories"] == 25  # the stories A shares with B or C: all it covers


def test_within_story_comparison_of_sentences_uses_articles_and_docs():
    from corpusutils import compare_within_stories

    measures = _planted()
    docs = measures[["doc_id", "agency", "story"]]
    # Each article as three sentences with the same mean: the same result.
    sentences = measures.loc[measures.index.repeat(3), ["doc_id", "score"]].reset_index(drop=True)
    sentences["score"] += np.tile([-0.3, 0.0, 0.3], len(measures))
    got = compare_within_stories(sentences, "score", docs=docs, n_boot=200)
    want = compare_within_stories(measures, "score", n_boot=200)
    pd.testing.assert_frame_equal(got, want)


def test_one_story_compares_articles_within_it():
    from corpusutils import compare_within_stories

    measures = pd.DataFrame({"doc_id": list("abcd"), "agency": ["X", "X", "Y", "Y"],
                             "story": "S1", "grade": [9.0, 11.0, 7.0, 5.0]})
    row = compare_within_stories(measures, "grade", n_boot=500).iloc[0]
    assert (row["agency"], row["difference"], row["stories"]) == ("X", 4.0, 1)
    assert 1.0 <= row["low"] <= 4.0 <= row["high"] <= 7.0


def test_keyness_within_one_story_is_the_corrected_odds_ratio():
    from corpusutils import keyness_within_stories

    docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["X", "Y"], "story": "S1",
                         "text": ["war war talks", "talks talks war"]})
    row = keyness_within_stories(docs, min_count=1).set_index(["agency", "term"]).loc[("X", "war")]
    # One table: a=2, b=1 (X's other tokens), c=1, d=2, each plus 0.5 (Haldane-Anscombe);
    # with one story Robins-Breslow-Greenland's variance is Woolf's 1/a + 1/b + 1/c + 1/d.
    assert row["odds_ratio"] == pytest.approx(2.5 * 2.5 / (1.5 * 1.5))
    se = np.sqrt(1 / 2.5 + 1 / 1.5 + 1 / 1.5 + 1 / 2.5)
    assert row["low"] == pytest.approx(np.log(2.5 * 2.5 / 2.25) - 1.959964 * se, abs=1e-5)
    assert row["stories"] == 1


def test_a_measure_missing_on_some_articles_is_compared_where_it_is_known():
    from corpusutils import compare_within_stories

    measures = _planted()
    # C's articles lack the measure: A then meets only B, on the stories both cover (s00-s04,
    # which B covers among the high ones, and s35-s39, which A covers among the low ones).
    measures["partial"] = measures["score"].where(measures["agency"] != "C")
    out = compare_within_stories(measures, ["score", "partial"], n_boot=300)
    a = out.set_index(["agency", "measure"])
    assert a.loc[("A", "partial"), "stories"] == 10
    assert a.loc[("A", "score"), "stories"] == 25
    assert set(out.loc[out["measure"] == "partial", "agency"]) == {"A", "B"}
    # Planted -1, articles with noise of sd 0.5: the estimate is near it and clearly below 0.
    assert a.loc[("A", "partial"), "difference"] == pytest.approx(-1.0, abs=0.4)
    assert a.loc[("A", "partial"), "high"] < 0


def test_each_article_keeps_its_nearest_pairs():
    from corpusutils.stories import _nearest

    a, b = np.array([0, 0, 0, 1, 2]), np.array([1, 2, 3, 2, 3])
    similarity = np.array([0.9, 0.8, 0.1, 0.5, 0.05])
    # Best pair of 0 and of 1: (0, 1); of 2: (0, 2); of 3: (0, 3), its 0.1 beating 0.05.
    assert _nearest(a, b, similarity, 1).tolist() == [True, True, True, False, False]
    assert _nearest(a, b, similarity, 2).tolist() == [True, True, True, True, True]


def test_indexing_the_days_a_few_at_a_time_finds_the_same_stories(monkeypatch):
    from corpusutils import stories

    docs = pd.concat([_docs().assign(published=day) for day in
                      ["2023-02-27", "2023-03-01", "2023-03-02", "2023-03-05"]], ignore_index=True)
    docs["doc_id"] = [f"d{i}" for i in range(len(docs))]
    whole = find_stories(docs, threshold=0.1)
    monkeypatch.setattr(stories, "_CHUNK_ARTICLES", 3)
    chunked = find_stories(docs, threshold=0.1)
    assert chunked["story"].tolist() == whole["story"].tolist()
    assert chunked["story_reason"].tolist() == whole["story_reason"].tolist()
