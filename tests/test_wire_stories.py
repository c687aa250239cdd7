"""Wire stories of many agencies and languages (tests/wire_stories.toml): each cleaned with its
dateline, credits and signatures in their columns, the body starting at the story's first word,
and the agency recognised from where its signature stands."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from corpusutils.clean import clean_text
from corpusutils.clean.agency import recognise_agency

STORIES = tomllib.loads((Path(__file__).parent / "wire_stories.toml").read_text("utf-8"))["story"]
CHECKED = ("headline", "byline", "dateline", "credits", "copyright", "desk_code")
AGENCIES = {
    "EFE", "AFP", "AP", "Reuters", "dpa", "ANSA", "Xinhua", "TASS", "Anadolu", "UPI", "Bloomberg",
}


@pytest.mark.parametrize("story", STORIES, ids=[s["name"] for s in STORIES])
def test_parts_in_their_columns_and_body_from_the_first_word(story):
    out = clean_text(story["raw"])
    assert {c: out[c] for c in CHECKED} == {c: story.get(c) for c in CHECKED}
    assert out["text"].startswith(story["first"])
    assert out["text"].endswith(story["last"])
    assert out["language"] == story["language"]


@pytest.mark.parametrize("story", STORIES, ids=[s["name"] for s in STORIES])
def test_agency_from_where_its_signature_stands(story):
    assert recognise_agency(story["raw"]) == story["agency"]


@pytest.mark.parametrize("story", STORIES, ids=[s["name"] for s in STORIES])
def test_cleaning_a_cleaned_story_changes_nothing(story):
    once = clean_text(story["raw"])["text"]
    assert clean_text(once)["text"] == once


def test_the_set_covers_every_agency_and_language_asked_for():
    covered = {(s["agency"], s["language"]) for s in STORIES}
    assert {a for a, _ in covered} >= AGENCIES
    assert {("EFE", "es"), ("EFE", "en"), ("AFP", "en"), ("AFP", "fr"), ("AFP", "es")} <= covered


def test_every_rule_that_removes_text_records_why():
    for story in STORIES:
        for span in clean_text(story["raw"])["removed"]:
            assert span["rule"], story["name"]
