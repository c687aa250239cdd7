"""Derived tables: computed once, handed on through files, the same numbers either way."""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from corpusutils.derived import STORY_COLUMNS, TABLES, Tables, load_tables, save_tables
from corpusutils.load import save_corpus
from corpusutils.readability import readability
from corpusutils.sentiment import (
    actor_mentions,
    actor_sentiment,
    sentence_sentiment,
    sentiment,
    sentiment_drivers,
)
from corpusutils.stories import find_stories
from corpusutils.text import sentences

# The module, not the function of the same name that the package binds to its name.
sentiment_module = importlib.import_module("corpusutils.sentiment")


@pytest.fixture(scope="module")
def saved(seed_docs, tmp_path_factory) -> Path:
    """The seeds as the report builder leaves them: cleaned corpus and tables beside it."""
    corpus = save_corpus(seed_docs, tmp_path_factory.mktemp("build") / "cleaned-corpus.parquet")
    save_tables(Tables(seed_docs, by="agency"), corpus)
    return corpus


def test_each_table_equals_its_function(seed_docs) -> None:
    tables = Tables(seed_docs, by="agency")
    assert_frame_equal(tables.sentences, sentences(seed_docs, by="agency"))
    assert_frame_equal(tables.sentence_sentiment, sentence_sentiment(seed_docs, by="agency"))
    assert_frame_equal(tables.readability, readability(seed_docs, by="agency"))
    assert_frame_equal(tables.stories, find_stories(seed_docs, by="agency"))


def test_tables_are_saved_beside_the_corpus_and_read_back_unchanged(saved, seed_docs) -> None:
    assert sorted(p.name for p in saved.parent.glob("*.parquet")) == sorted(
        [saved.name, *(f"cleaned-corpus.{name}.parquet" for name in TABLES)]
    )
    fresh = Tables(seed_docs, by="agency")
    read = load_tables(saved, by="agency")
    for name in TABLES:
        if name == "stories":  # the docs with their stories: compare what the table adds
            for column in ["doc_id", *STORY_COLUMNS]:
                assert read.stories[column].tolist() == fresh.stories[column].tolist()
            assert read.stories.attrs["story_source"] == fresh.stories.attrs["story_source"]
            continue
        assert_frame_equal(getattr(read, name), getattr(fresh, name), check_dtype=True)


def test_saved_tables_are_read_not_computed(saved, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(sentiment_module, "sentence_sentiment", refuse)
    monkeypatch.setattr(importlib.import_module("corpusutils.readability"), "readability", refuse)
    tables = load_tables(saved, by="agency")
    assert len(tables.sentence_sentiment) == len(tables.sentences) > 50
    assert len(tables.readability) == 5
    monkeypatch.setattr(importlib.import_module("corpusutils.stories"), "find_stories", refuse)
    stories = tables.stories
    # The seeds are one event, and the story says where it came from.
    assert stories["story"].nunique() == 1 and len(stories) == 5
    assert stories.attrs["story_source"].startswith("found:")


def test_stories_from_a_column_are_not_taken_for_found_ones(saved, seed_docs) -> None:
    by_column = load_tables(saved, by="agency", story="service")
    assert by_column.stories.attrs["story_source"] == "column 'service'"
    assert by_column.stories["story"].tolist() == seed_docs["service"].astype(str).tolist()


def test_saved_tables_of_another_grouping_or_corpus_are_not_used(saved, seed_docs) -> None:
    by_service = load_tables(saved, by="service")
    assert "service" in by_service.sentence_sentiment.columns
    assert_frame_equal(
        by_service.sentence_sentiment, sentence_sentiment(seed_docs, by="service")
    )
    fewer = seed_docs.iloc[:2]
    tables = Tables(fewer, by="agency", saved_beside=saved)
    assert set(tables.sentence_sentiment["doc_id"]) == set(fewer["doc_id"])
    edited = seed_docs.assign(text=seed_docs["text"].str.replace("Kazakhstan", "Kazakstan"))
    tables = Tables(edited, by="agency", saved_beside=saved)
    assert not tables.sentences["text"].str.contains("Kazakhstan").any()


def test_analyses_given_the_tables_give_what_they_compute_alone(seed_docs) -> None:
    tables = Tables(seed_docs, by="agency")
    scored = tables.sentence_sentiment
    assert_frame_equal(sentiment(seed_docs, scored=scored), sentiment(seed_docs))
    assert_frame_equal(actor_mentions(seed_docs, scored=scored), actor_mentions(seed_docs))
    assert_frame_equal(actor_sentiment(seed_docs, scored=scored), actor_sentiment(seed_docs))
    assert_frame_equal(
        sentiment_drivers(seed_docs, sentences=tables.sentences), sentiment_drivers(seed_docs)
    )
    assert_frame_equal(
        sentence_sentiment(seed_docs, sentences=tables.sentences), sentence_sentiment(seed_docs)
    )


def test_a_recurring_sentence_is_scored_once_and_placed_everywhere(monkeypatch) -> None:
    calls = []
    real = sentiment_module._score_batch

    def counting(texts):
        calls.extend(texts)
        return real(texts)

    monkeypatch.setattr(sentiment_module, "_score_batch", counting)
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "agency": ["AP", "AFP"],
            "text": ["Talks failed. Peace is good.", "Peace is good. Talks failed. Rain."],
        }
    )
    scored = sentence_sentiment(docs)
    assert sorted(calls) == ["Peace is good.", "Rain.", "Talks failed."]
    assert scored["text"].tolist() == [
        "Talks failed.", "Peace is good.", "Peace is good.", "Talks failed.", "Rain."
    ]
    assert scored["compound"].iloc[0] == scored["compound"].iloc[3] < 0
    assert scored["compound"].iloc[1] == scored["compound"].iloc[2] > 0


def test_actor_mentions_are_those_of_the_actor_list_given_or_derived(seed_docs) -> None:
    from corpusutils import frequent_names, load_actors

    tables = Tables(seed_docs, by="agency")
    derived = actor_mentions(seed_docs, actors=frequent_names(seed_docs))
    assert_frame_equal(tables.actor_mentions, derived)
    listed = Tables(seed_docs, by="agency", actors=load_actors().iloc[:3])
    assert set(listed.actor_mentions["actor"]) <= set(load_actors()["actor"].iloc[:3])
    scored = listed.sentence_sentiment
    assert_frame_equal(
        actor_sentiment(seed_docs, mentions=listed.actor_mentions),
        actor_sentiment(seed_docs, actors=load_actors().iloc[:3], scored=scored),
    )


def test_saved_actor_mentions_of_another_actor_list_are_not_used(saved, seed_docs) -> None:
    from corpusutils import load_actors

    few = load_actors().iloc[:3]
    read = load_tables(saved, by="agency", actors=few)
    assert_frame_equal(read.actor_mentions, actor_mentions(seed_docs, actors=few))
