"""Language detection, on real text: the seeds, and peer data read from ../shared/peer/."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from corpusutils.clean import clean_corpus
from corpusutils.language import (
    detect_language,
    language_code,
    left_out_note,
    split_by_language,
)

PEER = Path(__file__).resolve().parents[2] / "shared" / "peer"


def _peer(relative: str) -> Path:
    path = PEER / relative
    if not path.exists():
        pytest.skip(f"peer data not available: {path} (the ../shared folder beside the checkout)")
    return path


def test_every_seed_is_english(seed_docs):
    # All five seeds are in English, the EFE Spanish-service story included (its manifest
    # says "English translation"; read by hand, its Spanish spellings are names only).
    assert seed_docs["language"].tolist() == ["en"] * 5


def test_same_day_coverage_of_english_outlets_is_english():
    # AllSides same-day corpus: Reuters, AP, CNN, Fox News, NYT, BBC, ... all English-language.
    path = _peer("allsides-sameday/articles.jsonl")
    texts = [json.loads(line)["content_original"] for line in path.open(encoding="utf-8")]
    found = pd.Series([detect_language(t) for t in texts]).value_counts().to_dict()
    assert found == {"en": len(texts)}


def test_language_names_written_in_their_own_script():
    # ftfy's "Messy language names" cases: the label names the language, the fixed text is
    # that language's name for itself. Those in a script of one language here must be told
    # from the script alone. "日本語" is left out: written in kanji only, it cannot be told
    # from Chinese by its letters (Japanese is recognised by its kana).
    cases = json.loads(_peer("ftfy-test-cases/language-names.json").read_text(encoding="utf-8"))
    checked = []
    for case in cases:
        name = case["label"].rsplit(":", 1)[-1].strip()
        code = language_code(name.split()[-1])  # "Simplified Chinese" -> "Chinese"
        if code in {"el", "he", "th", "ko", "zh"}:
            checked.append((case["fixed"], code, detect_language(case["fixed"])))
    assert checked, "no case in a single-language script found"
    assert [(text, want) for text, want, _ in checked] == [(t, g) for t, _, g in checked]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "und"),
        ("1,250 / 3.4% — 2023", "und"),
        ("Blinken Tokayev Astana", "und"),  # names only: no word tells the language
        ("They met.", "und"),  # "met" is Dutch for "with": one word each, a tie
        ("They said the talks went well.", "en"),
    ],
)
def test_too_little_to_tell(text, expected):
    assert detect_language(text) == expected


def test_a_long_text_is_read_from_its_start_only():
    english = "The minister said that the talks would go on after the visit. " * 400
    assert detect_language(english + "部长说" * 50_000) == "en"


def test_given_language_is_kept_as_its_code_with_a_note_when_the_text_disagrees():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "language": ["Spanish", "ENGLISH", None],
            "raw_text": [
                "The minister said that the talks would go on after the visit.",
                "The minister said that the talks would go on after the visit.",
                "El ministro dijo que las conversaciones seguirán tras la visita.",
            ],
        }
    )
    out = clean_corpus(docs)
    assert out["language"].tolist() == ["es", "en", "es"]
    assert out.loc[0, "notes"] == [
        "language given ('Spanish') differs from the one detected ('en')"
    ]
    assert out.loc[1, "notes"] == [] and out.loc[2, "notes"] == []


def test_split_and_note_name_the_articles_left_out():
    docs = pd.DataFrame(
        {"doc_id": ["a", "b", "c", "d"], "language": ["en", "ar", "en-GB", "English"]}
    )
    kept, left_out = split_by_language(docs)
    assert kept["doc_id"].tolist() == ["a", "c", "d"]
    assert left_out_note(left_out, "the readability formulas") == (
        "1 article is left out of the readability formulas, which can measure English only: "
        "1 in Arabic (b)."
    )
    assert left_out_note(kept.iloc[0:0], "VADER") == ""
