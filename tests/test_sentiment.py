"""Sentence sentiment (reference VADER), actor sentiment and the lexicon words behind it."""

from __future__ import annotations

import statistics
from pathlib import Path

import pandas as pd
import pytest
import vaderSentiment.vaderSentiment as vs

from corpusutils.sentiment import (
    actor_mentions,
    actor_sentiment,
    load_actors,
    sentence_sentiment,
    sentiment,
    sentiment_drivers,
)


def straight_quotes(text: str) -> str:
    """What VADER is given by default: typographic quotes and apostrophes made ASCII."""
    for curly, straight in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'")):
        text = text.replace(curly, straight)
    return text


@pytest.fixture(scope="module")
def analyzer() -> vs.SentimentIntensityAnalyzer:
    """A fresh reference scorer, independent of the cached one the library uses."""
    return vs.SentimentIntensityAnalyzer()


@pytest.fixture(scope="module")
def lexicon() -> dict[str, float]:
    """The VADER lexicon read straight from the vaderSentiment package's file."""
    path = Path(vs.__file__).with_name("vader_lexicon.txt")
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, valence = line.split("\t")[:2]
        out[word] = float(valence)
    return out


@pytest.fixture(scope="module")
def docs(seed_docs) -> pd.DataFrame:
    """The five cleaned seeds and two short texts of a "Test" agency."""
    extra = pd.DataFrame(
        {
            "doc_id": ["x1", "x2"],
            "agency": ["Test", "Test"],
            "text": [
                "VADER is smart, handsome, and funny. The book was good.",
                "The war is not good. Russia lost.\n\nIt rained in Astana.",
            ],
        }
    )
    return pd.concat([seed_docs[["doc_id", "agency", "text"]], extra], ignore_index=True)


@pytest.fixture(scope="module")
def paragraphs_003(docs) -> list[str]:
    """Body paragraphs of seed 003; read by hand, each of the 15 is one sentence."""
    paragraphs = docs.set_index("doc_id").loc["003", "text"].split("\n\n")
    assert len(paragraphs) == 15
    return paragraphs


@pytest.fixture(scope="module")
def scored(docs) -> pd.DataFrame:
    return sentence_sentiment(docs)


# --- sentence scores ----------------------------------------------------------------------


def test_published_readme_examples():
    # Scores printed in the vaderSentiment README for these sentences.
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "agency": ["X", "X"],
            "text": ["VADER is smart, handsome, and funny.", "The book was good."],
        }
    )
    out = sentence_sentiment(docs)
    first = out.iloc[0]
    assert (first["neg"], first["neu"], first["pos"], first["compound"]) == (
        0.0,
        0.254,
        0.746,
        0.8316,
    )
    assert out.iloc[1]["compound"] == 0.4404
    assert out["label"].tolist() == ["positive", "positive"]


def test_every_sentence_scored_exactly_as_the_reference(docs, scored, analyzer):
    counts = scored.groupby("doc_id").size()
    assert (counts["000"], counts["003"], counts["x1"], counts["x2"]) == (13, 15, 2, 3)
    assert set(counts.index) == set(docs["doc_id"])
    for _, row in scored.iterrows():
        expected = analyzer.polarity_scores(straight_quotes(row["text"]))
        assert {k: row[k] for k in ("neg", "neu", "pos", "compound")} == expected


def test_fold_quotes_false_scores_the_sentence_as_written(docs, analyzer):
    scored = sentence_sentiment(docs, fold_quotes=False)
    for _, row in scored.iterrows():
        expected = analyzer.polarity_scores(row["text"])
        assert {k: row[k] for k in ("neg", "neu", "pos", "compound")} == expected


def test_typographic_quotes_do_not_hide_words_from_vader(analyzer):
    # Read in seed 003: "integrity,”" touches a closing typographic quote; VADER strips only
    # ASCII punctuation, so as written the word is not looked up.
    text = "“We support its territorial integrity,” he said."
    docs = pd.DataFrame({"doc_id": ["a"], "agency": ["X"], "text": [text]})
    folded = sentence_sentiment(docs)["compound"].iat[0]
    as_written = sentence_sentiment(docs, fold_quotes=False)["compound"].iat[0]
    assert as_written == analyzer.polarity_scores(text)["compound"]
    assert folded == analyzer.polarity_scores('"We support its territorial integrity," he said.')[
        "compound"
    ]
    assert folded > as_written


def test_sentence_rows_keep_the_sentence_frame(docs, scored, paragraphs_003):
    assert scored.columns.tolist() == [
        "doc_id", "agency", "paragraph", "sentence", "text", "start", "end",
        "neg", "neu", "pos", "compound", "label", "windows",
    ]  # fmt: skip
    efe = scored[scored.doc_id == "003"]
    assert efe["text"].tolist() == paragraphs_003
    text = docs.set_index("doc_id").loc["003", "text"]
    assert all(text[a:b] == t for a, b, t in zip(efe.start, efe.end, efe.text, strict=True))
    assert not scored["text"].str.contains("Back to top|kk-mos|See also").any()


def test_labels_use_the_conventional_thresholds(scored):
    expected = [
        "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"
        for c in scored["compound"]
    ]
    assert scored["label"].tolist() == expected
    assert {"positive", "negative", "neutral"} <= set(expected)


# --- aggregates ---------------------------------------------------------------------------


def test_group_aggregates_from_reference_scores(docs, analyzer):
    out = sentiment(docs).set_index("agency")
    assert sorted(out.index) == ["AFP", "AP", "EFE", "Reuters", "Test"]
    test = [
        "VADER is smart, handsome, and funny.",
        "The book was good.",
        "The war is not good.",
        "Russia lost.",
        "It rained in Astana.",
    ]
    compounds = [analyzer.polarity_scores(s)["compound"] for s in test]
    row = out.loc["Test"]
    assert (row["n"], row["n_docs"]) == (5, 2)
    assert row["compound_mean"] == pytest.approx(statistics.fmean(compounds))
    assert row["compound_std"] == pytest.approx(statistics.stdev(compounds))
    assert row["compound_median"] == pytest.approx(statistics.median(compounds))
    assert row["positive_share"] == pytest.approx(2 / 5)  # the two README sentences
    assert row["negative_share"] == pytest.approx(2 / 5)  # "not good", "lost"
    assert row["neutral_share"] == pytest.approx(1 / 5)
    # EFE: seeds 000 and 003, every paragraph one sentence (13 + 15).
    efe_text = docs.loc[docs.agency == "EFE", "text"]
    efe = [p for text in efe_text for p in text.split("\n\n")]
    row = out.loc["EFE"]
    assert (row["n"], row["n_docs"]) == (28, 2)
    efe_compounds = [analyzer.polarity_scores(straight_quotes(p))["compound"] for p in efe]
    assert row["compound_mean"] == pytest.approx(statistics.fmean(efe_compounds))
    assert row[["positive_share", "negative_share", "neutral_share"]].sum() == pytest.approx(1)


def test_per_document_with_by_doc_id(docs, paragraphs_003, analyzer):
    out = sentiment(docs, by="doc_id").set_index("doc_id")
    assert out.index.tolist() == docs["doc_id"].tolist()
    assert (out["n_docs"] == 1).all()
    assert out.loc["003", "n"] == 15
    expected = statistics.fmean(
        analyzer.polarity_scores(straight_quotes(p))["compound"] for p in paragraphs_003
    )
    assert out.loc["003", "compound_mean"] == pytest.approx(expected)


# --- actors -------------------------------------------------------------------------------


def test_actor_file_has_the_documented_columns_and_unique_terms():
    actors = load_actors()
    assert actors.columns.tolist() == ["actor", "term", "kind", "comment"]
    assert actors["term"].is_unique
    terms = set(actors["term"])
    assert {"Tokayev", "Tokáyev", "Tileuberdi", "Tleuberdi", "Teleuberdi", "Zelenskyi"} <= terms
    assert "America" not in terms  # would match "Latin America" (seed 001)


def test_duplicate_terms_are_rejected():
    table = pd.DataFrame({"actor": ["A", "B"], "term": ["Kyiv", "Kyiv"]})
    with pytest.raises(ValueError, match="Kyiv"):
        actor_mentions(pd.DataFrame({"doc_id": [], "agency": [], "text": []}), actors=table)


def test_mentions_counted_by_hand_in_seed_000(docs):
    out = actor_mentions(docs[docs.doc_id == "000"])
    by_sentence = {(r.sentence, r.actor): (r.terms, r.mentions) for r in out.itertuples()}
    # Paragraph 4: "... meet in the Kazakh capital with employees of the United States Embassy
    # ... his counterpart of Kazakhstan, Mukhtar Tleuberdi, and, separately, with the president
    # of that country, Kasim-Yomart Tokáyev." (the accent repaired from mojibake)
    assert by_sentence[(3, "Kazakhstan")] == (
        "Kazakh; Kazakhstan; Tleuberdi; Kasim-Yomart; Tokáyev",
        5,
    )
    assert by_sentence[(3, "United States")] == ("United States", 1)
    # Paragraph 5: "his Kyrgyz colleagues, Jenbeek Kulubáev; from Turkmenistan, Rashid Meredov;
    # and from Tajikistan, Sirojiddin Muhriddin."
    assert by_sentence[(4, "Kyrgyzstan")] == ("Kyrgyz; Kulubáev", 2)
    assert by_sentence[(4, "Turkmenistan")] == ("Turkmenistan; Meredov", 2)
    assert by_sentence[(4, "Tajikistan")] == ("Tajikistan; Muhriddin", 2)
    # Russia (Russia, Russian, Putin) in paragraphs 1, 7, 8, 9, 10, 11 and 12.
    assert sorted(out.loc[out.actor == "Russia", "sentence"]) == [0, 6, 7, 8, 9, 10, 11]


def test_mentions_counted_by_hand_in_seed_003(docs):
    out = actor_mentions(docs[docs.doc_id == "003"])
    by_sentence = {(r.sentence, r.actor): (r.terms, r.mentions) for r in out.itertuples()}
    # Paragraph 3: "“As you know well, the United States strongly supports Kazakhstan’s
    # sovereignty, ...,” Blinken said during a meeting with his Kazakh counterpart, Mukhtar
    # Tileuberdi, in Astana, according to a White House statement."
    assert by_sentence[(2, "United States")] == ("United States; Blinken; White House", 3)
    assert by_sentence[(2, "Kazakhstan")] == ("Kazakhstan; Kazakh; Tileuberdi; Astana", 4)
    # Paragraph 12: "... Tokayev told Russian President Vladimir Putin at a forum in Russia
    # that ... in eastern Ukraine, illegally annexed by Moscow months later."
    assert by_sentence[(11, "Russia")] == ("Russian; Putin; Russia; Moscow", 4)
    assert by_sentence[(11, "Kazakhstan")] == ("Tokayev", 1)
    assert by_sentence[(11, "Ukraine")] == ("Ukraine", 1)
    # Paragraph 9: "the US’ support" names the United States; "Ukraine war" names Ukraine.
    assert by_sentence[(8, "United States")] == ("US; Blinken", 2)
    # Paragraph 2: "the Central Asian country ... republics of Central Asia".
    assert by_sentence[(1, "Central Asia")] == ("Central Asian; Central Asia", 2)
    # Sentences naming Russia (Russia, Russian, Moscow, Putin, ...): paragraphs 2, 10, 12, 13
    # and 14; naming Ukraine: paragraphs 9, 10, 11 and 12.
    assert sorted(out.loc[out.actor == "Russia", "sentence"]) == [1, 9, 11, 12, 13]
    assert sorted(out.loc[out.actor == "Ukraine", "sentence"]) == [8, 9, 10, 11]


def test_matching_is_case_sensitive_on_word_boundaries():
    text = (
        "Russians and Russia's allies met us in Latin America. "
        "The U.S. and the USA spoke. Kazakhstani firms exported to\nNur-Sultan."
    )
    docs = pd.DataFrame({"doc_id": ["a"], "agency": ["X"], "text": [text]})
    out = actor_mentions(docs)
    found = dict(zip(out["actor"], out["terms"], strict=True))
    assert found["Russia"] == "Russians; Russia"
    assert found["United States"] == "U.S.; USA"  # not "us", not "Latin America"
    assert found["Kazakhstan"] == "Kazakhstani; Nur-Sultan"


def test_custom_actor_table_with_multiword_term_across_a_line_break():
    table = pd.DataFrame({"actor": ["CSTO"], "term": ["Collective Security Treaty Organization"]})
    text = "The Collective Security\nTreaty Organization met."
    docs = pd.DataFrame({"doc_id": ["a"], "agency": ["X"], "text": [text]})
    out = actor_mentions(docs, actors=table)
    assert out[["actor", "terms", "mentions"]].values.tolist() == [
        ["CSTO", "Collective Security Treaty Organization", 1]
    ]


def test_actor_sentiment_aggregates_the_evidence(docs, analyzer):
    out = actor_sentiment(docs).set_index(["agency", "actor"])
    evidence = actor_mentions(docs)
    russia = evidence[(evidence.agency == "EFE") & (evidence.actor == "Russia")]
    compounds = [analyzer.polarity_scores(straight_quotes(t))["compound"] for t in russia["text"]]
    row = out.loc[("EFE", "Russia")]
    # Sentences naming Russia, counted by hand: seven in seed 000 and five in seed 003.
    assert (row["n"], row["n_docs"]) == (12, 2)
    assert row["mentions"] == russia["mentions"].sum()
    assert row["compound_mean"] == pytest.approx(statistics.fmean(compounds))
    # Test agency: "Russia lost." (negative) and "It rained in Astana." (neutral).
    assert out.loc[("Test", "Russia"), "n"] == 1
    assert out.loc[("Test", "Russia"), "compound_mean"] == analyzer.polarity_scores(
        "Russia lost."
    )["compound"]
    assert out.loc[("Test", "Kazakhstan"), "neutral_share"] == 1.0
    # The mentions already found and scored give the same table without scoring them again.
    assert actor_sentiment(docs, mentions=evidence).set_index(["agency", "actor"]).equals(out)


# --- drivers ------------------------------------------------------------------------------


def test_driver_valences_come_from_the_lexicon_file(docs, lexicon):
    out = sentiment_drivers(docs)
    assert (out["valence"] == out["word"].map(lexicon)).all()
    words = set(out["word"])
    assert lexicon["war"] < 0 and "war" in words
    # Not in VADER's lexicon, so never a driver even though the seeds use them.
    assert "invasion" not in lexicon and "troops" not in lexicon
    assert not {"invasion", "troops"} & words


def test_driver_counts_read_in_seed_003(docs):
    out = sentiment_drivers(docs, by="doc_id").set_index(["doc_id", "word"])
    # "territorial integrity" five times in the body (the headline's sixth is not body text).
    assert out.loc[("003", "integrity"), "n"] == 5
    # As written, VADER strips only ASCII punctuation from a token's ends, so "integrity,”"
    # (paragraph 3, before a typographic closing quote) is not looked up: four occurrences.
    as_written = sentiment_drivers(docs, by="doc_id", fold_quotes=False)
    assert as_written.set_index(["doc_id", "word"]).loc[("003", "integrity"), "n"] == 4
    # "United States" three times, each "United" scored +1.8.
    assert out.loc[("003", "united"), "n"] == 3
    assert out.loc[("003", "united"), "contribution"] == pytest.approx(3 * 1.8)
    assert out.loc[("003", "united"), "contribution_per_sentence"] == pytest.approx(5.4 / 15)
    # "The war is not good.": VADER's negation turns "good" (+1.9) into 1.9 * -0.74.
    by_agency = sentiment_drivers(docs).set_index(["agency", "word"])
    assert by_agency.loc[("Test", "good"), "n"] == 2
    assert by_agency.loc[("Test", "good"), "n_docs"] == 2
    assert by_agency.loc[("Test", "good"), "contribution"] == pytest.approx(1.9 + 1.9 * -0.74)


def test_driver_contributions_add_up_to_each_compound(paragraphs_003, analyzer):
    # One sentence per document: the contributions of its words, summed and normalised as
    # VADER does, give the reference compound score (no "!" or "?" to amplify).
    docs = pd.DataFrame(
        {
            "doc_id": [f"s{i}" for i in range(len(paragraphs_003))],
            "agency": ["EFE"] * len(paragraphs_003),
            "text": paragraphs_003,
        }
    )
    out = sentiment_drivers(docs, by="doc_id")
    totals = out.groupby("doc_id")["contribution"].sum()
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        expected = analyzer.polarity_scores(straight_quotes(text))["compound"]
        total = totals.get(doc_id, 0.0)
        assert round(vs.normalize(total), 4) == expected, text


def test_drivers_ordered_by_size_and_cut_to_top(docs):
    out = sentiment_drivers(docs, top=3)
    assert out.groupby("agency").size().tolist() == [3, 3, 3, 3, 3]
    for _, group in out.groupby("agency"):
        sizes = group["contribution"].abs().tolist()
        assert sizes == sorted(sizes, reverse=True)


def test_no_actor_at_all_gives_no_mention_and_no_score(docs):
    # A corpus too small for frequent names yields an empty actor list: nothing is matched.
    none = pd.DataFrame({"actor": [], "term": [], "kind": [], "comment": []}, dtype=object)
    assert actor_mentions(docs, actors=none).empty
    assert actor_sentiment(docs, actors=none).empty
