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
