"""Sentiment toward a target: sentences read by a human, the lexicon correction, the model file."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from corpusutils.sentiment import actor_mentions, sentence_sentiment
from corpusutils.targeted import (
    load_vader_news_corrections,
    news_valences,
    target_features,
    target_sentiment,
)

NEWSMTSC = Path(__file__).resolve().parents[2] / "shared" / "peer" / "newsmtsc"


def toward(text: str, mention: str, occurrence: int = 0) -> pd.Series:
    """target_sentiment of ``text`` toward the n-th occurrence of ``mention``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(mention, start + 1)
    return target_sentiment([text], [(start, start + len(mention))]).iloc[0]


# --- sentences read by a human --------------------------------------------------------------

CONDEMNED = "Kazakhstan condemned Russia."
SUPPORTS = (
    "Washington supports the sovereignty and territorial integrity of Kazakhstan, "
    "which won independence from Moscow in 1991."
)


def test_the_condemned_is_the_target_of_the_condemnation_not_the_condemner():
    assert toward(CONDEMNED, "Russia")["label"] == "negative"
    assert toward(CONDEMNED, "Kazakhstan")["label"] == "neutral"


def test_support_is_positive_toward_what_is_supported_and_says_nothing_about_others():
    assert toward(SUPPORTS, "Kazakhstan")["label"] == "positive"
    assert toward(SUPPORTS, "Moscow")["label"] == "neutral"


def test_two_targets_of_one_sentence_get_different_scores_each_with_its_words():
    russia, kazakhstan = toward(CONDEMNED, "Russia"), toward(CONDEMNED, "Kazakhstan")
    assert russia["score"] < kazakhstan["score"]
    assert [w for w, _, _ in russia["words"]][:1] == ["condemned"]
    assert russia["words"][0][1] == "the word governing it"
    assert "condemned" in russia["evidence"]


def test_praise_is_positive_toward_the_praised():
    text = "Blinken praised Kazakhstan for its support of Ukraine."
    assert toward(text, "Kazakhstan")["label"] == "positive"


def test_negation_turns_the_words_it_scopes():
    assert target_features("They did not support Russia.", 21, 27)["governs:not_support"] == 1.0
    features = target_features("They support Russia.", 13, 19)
    assert "governs:support" in features and "governs:not_support" not in features


def test_what_follows_but_is_another_clause():
    text = "Russia signed the deal, but Ukraine lost the war."
    features = target_features(text, 0, 6)
    assert "elsewhere:lost" in features and "after:lost" not in features
    assert "after:lost" in target_features(text, 28, 35)


def test_a_stance_verb_counts_toward_the_one_it_governs_only():
    text = "Kazakhstan condemned Russia."
    assert not any("condemned" in name for name in target_features(text, 0, 10))
    assert "stance_on_it_negative" in target_features(text, 21, 27)
    passive = "Russia was condemned by Kazakhstan."
    assert "stance_on_it_negative" in target_features(passive, 0, 6)
    assert not any("condemned" in name for name in target_features(passive, 24, 34))


def test_quoted_words_are_the_speakers_not_the_writers():
    text = '"This is a shameful and disgusting war," Tokayev said.'
    start = text.index("Tokayev")
    features = target_features(text, start, start + len("Tokayev"))
    assert "quoted:shameful" in features and "target_outside_quote" in features
    assert not any(name.startswith(("before:", "after:")) and "shameful" in name
                   for name in features)


def test_bad_targets_are_named():
    with pytest.raises(ValueError, match="2 sentences but 1 targets"):
        target_sentiment(["a b", "c d"], [(0, 1)])
    with pytest.raises(ValueError, match="outside the sentence"):
        target_sentiment(["short"], [(3, 40)])


def test_output_columns_and_probabilities():
    out = target_sentiment([CONDEMNED], [(0, 10)])
    assert out.columns.tolist() == [
        "text", "start", "end", "target", "label", "score", "p_negative", "p_neutral",
        "p_positive", "clause", "words", "evidence",
    ]
    row = out.iloc[0]
    assert row["p_negative"] + row["p_neutral"] + row["p_positive"] == pytest.approx(1.0)
    assert row["score"] == pytest.approx(row["p_positive"] - row["p_negative"])
    assert row["target"] == "Kazakhstan"


# --- the news-register correction ---------------------------------------------------------


def test_every_correction_has_a_reason_and_names_a_word_of_its_phrase():
    table = load_vader_news_corrections()
    assert (table["reason"].str.strip() != "").all()
    phrases = set(table["phrase"])
    assert {"United States", "United Nations", "territorial integrity", "Security Council",
            "like"} <= phrases


def test_corrections_apply_in_the_news_measures_only():
    text = "The United States backed the Security Council."
    valences = news_valences(text).set_index("word")
    assert valences.loc["United", "vader"] == 1.8 and valences.loc["United", "news"] == 0.0
    assert valences.loc["Security", "news"] == 0.0
    # The VADER reference still reads "united" and "security" as positive.
    docs = pd.DataFrame({"doc_id": ["a"], "agency": ["X"], "text": [text]})
    assert sentence_sentiment(docs)["compound"].iloc[0] > 0.05


def test_like_is_a_preposition_unless_it_follows_a_subject_or_auxiliary():
    out = news_valences("We would like peace. Countries like Kazakhstan agree. I like it.")
    likes = out[out["word"] == "like"]["news"].tolist()
    assert likes == [1.5, 0.0, 1.5]


def test_a_correction_file_without_reasons_is_refused(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("phrase,word,valence,unless_after,reason\nGreat Wall,great,0,,\n", "utf-8")
    with pytest.raises(ValueError, match="c.csv: no reason given for 'Great Wall'"):
        load_vader_news_corrections(path)
    path.write_text("phrase,word,valence,unless_after,reason\nGreat Wall,wall,0,,x\n"
                    "Great Wall,china,0,,x\n", "utf-8")
    with pytest.raises(ValueError, match="'china' is not a word of 'Great Wall'"):
        load_vader_news_corrections(path)


# --- the shipped weights ------------------------------------------------------------------


def model_file() -> dict:
    text = resources.files("corpusutils.data").joinpath("target_sentiment_model.json")
    return json.loads(text.read_text(encoding="utf-8"))


def test_model_file_is_readable_json_with_its_provenance():
    model = model_file()
    assert model["classes"] == ["negative", "neutral", "positive"]
    assert "rw-train.jsonl" in model["fitted_on"]
    assert all(len(w) == 3 for w in model["weights"].values())


@pytest.mark.skipif(not NEWSMTSC.exists(), reason="../shared/peer/newsmtsc is not beside the repo")
def test_model_was_fitted_on_the_training_split_as_it_is_now():
    digest = hashlib.sha256((NEWSMTSC / "rw-train.jsonl").read_bytes()).hexdigest()
    assert model_file()["fitted_on_sha256"] == digest


# --- actors -------------------------------------------------------------------------------


def seed_sentence(seed_docs, doc_id: str, sentence: int) -> pd.DataFrame:
    out = actor_mentions(seed_docs[seed_docs.doc_id == doc_id])
    return out[out["sentence"] == sentence].set_index("actor")


def test_seed_sentence_supporting_kazakhstan_is_positive_toward_it(seed_docs):
    # Seed 003, paragraph 3, read by hand: "“As you know well, the United States strongly
    # supports Kazakhstan’s sovereignty, its independence, territorial integrity,” Blinken
    # said during a meeting with his Kazakh counterpart, ..."
    rows = seed_sentence(seed_docs, "003", 2)
    assert rows.loc["Kazakhstan", "label"] == "positive"
    assert "supports" in rows.loc["Kazakhstan", "words"]


def test_seed_sentence_won_independence_from_moscow_says_nothing_about_russia(seed_docs):
    # Seed 004, paragraph 8, read by hand: "Blinken earlier told Foreign Minister Mukhtar
    # Tileuberdi that Washington supports the sovereignty, independence and territorial
    # integrity of Kazakhstan, which won independence from Moscow in 1991."
    rows = seed_sentence(seed_docs, "004", 7)
    assert rows.loc["Russia", "label"] == "neutral"
    # VADER gives the whole sentence, and so every actor in it, one positive score.
    assert rows["vader_label"].eq("positive").all()


@pytest.mark.xfail(strict=True, reason="known miss: Kazakhstan's mention 'Tileuberdi' (neutral, "
                   "pushed by 'Foreign', 'told') outweighs the barely positive 'Kazakhstan'")
def test_known_miss_support_through_a_long_list_in_a_report(seed_docs):
    rows = seed_sentence(seed_docs, "004", 7)
    assert rows.loc["Kazakhstan", "label"] == "positive"


def test_seed_sentence_annexed_by_moscow_is_negative_toward_russia(seed_docs):
    # Seed 003, paragraph 12, read by hand: "... Tokayev told Russian President Vladimir Putin
    # ... that his country would not recognize the independence of Lugansk and Donetsk, in
    # eastern Ukraine, illegally annexed by Moscow months later."
    rows = seed_sentence(seed_docs, "003", 11)
    assert rows.loc["Russia", "label"] == "negative"
    assert rows.loc["Kazakhstan", "label"] != "negative"
