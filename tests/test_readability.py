"""Readability: textstat's values on the cleaned body, sentence lengths, and MTLD."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import pandas as pd
import pytest
import textstat

from corpusutils.readability import FORMULAS, MEASURES, mtld, readability, readability_by
from corpusutils.resources import ensure_cmudict

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def docs(seed_docs) -> pd.DataFrame:
    """The five cleaned seeds."""
    return seed_docs


@pytest.fixture(scope="module")
def scores(docs: pd.DataFrame) -> pd.DataFrame:
    return readability(docs)


def test_one_row_per_document_with_group_carried(docs, scores):
    assert scores["doc_id"].tolist() == ["000", "001", "002", "003", "004"]
    assert scores["agency"].tolist() == ["EFE", "AFP", "AP", "EFE", "Reuters"]
    assert scores.columns.tolist() == ["doc_id", "agency", *MEASURES]


def test_no_group_column_when_by_is_none_or_doc_id(docs):
    assert readability(docs, by=None).columns.tolist() == ["doc_id", *MEASURES]
    assert readability(docs, by="doc_id").columns.tolist() == ["doc_id", *MEASURES]


def test_formulas_equal_textstat_called_directly(docs, scores):
    ensure_cmudict()
    for text, (_, row) in zip(docs["text"], scores.iterrows(), strict=True):
        for name in FORMULAS:
            assert row[name] == getattr(textstat, name)(text), name
        assert row["words"] == textstat.lexicon_count(text)
        assert row["textstat_sentences"] == textstat.sentence_count(text)
        assert row["syllables"] == textstat.syllable_count(text)
        assert row["syllables_per_word"] == textstat.avg_syllables_per_word(text)
        assert row["polysyllables"] == textstat.polysyllabcount(text)
        assert row["polysyllable_share"] == textstat.polysyllabcount(text) / row["words"]


def test_grade_is_the_mean_of_the_five_grade_formulas_and_is_summarised(docs, scores):
    ensure_cmudict()
    five = ("flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index",
            "automated_readability_index")
    for text, grade in zip(docs["text"], scores["grade"], strict=True):
        assert grade == pytest.approx(statistics.fmean(getattr(textstat, f)(text) for f in five))
    summary = readability_by(docs, scores=scores).query("measure == 'grade'").set_index("agency")
    assert summary["mean"].notna().all()
    efe = scores.loc[scores["agency"] == "EFE", "grade"]
    assert summary.loc["EFE", "mean"] == pytest.approx(efe.mean())


@pytest.mark.parametrize(("doc_id", "n_sentences"), [("000", 13), ("003", 15)])
def test_efe_seeds_have_one_sentence_per_paragraph(docs, scores, doc_id, n_sentences):
    # Read by hand: every body paragraph of the two EFE seeds is a single sentence.
    text = docs.set_index("doc_id").loc[doc_id, "text"]
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == n_sentences
    row = scores.set_index("doc_id").loc[doc_id]
    assert row["sentences"] == n_sentences
    lengths = [textstat.lexicon_count(p) for p in paragraphs]
    assert row["mean_sentence_length"] == pytest.approx(statistics.fmean(lengths))
    assert row["median_sentence_length"] == statistics.median(lengths)


def test_furniture_is_not_measured(docs, scores):
    # Seed 003's headline, "Politics" label and "Back to top button" are not in the body.
    row = scores.set_index("doc_id").loc["003"]
    text = docs.set_index("doc_id").loc["003", "text"]
    assert "Back to top" not in text and row["words"] == textstat.lexicon_count(text)
    assert textstat.lexicon_count(text) < textstat.lexicon_count(
        docs.set_index("doc_id").loc["003", "raw_text"]
    )


def test_short_sentences_counted_by_the_splitter_but_not_by_textstat():
    # textstat ignores "sentences" of two words or fewer; the corpus splitter does not.
    text = "The war is bad. Russia lost."
    docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "text": [text]})
    row = readability(docs).iloc[0]
    assert row["sentences"] == 2
    assert row["textstat_sentences"] == 1
    assert row["mean_sentence_length"] == 3.0  # (4 + 2) / 2


def test_empty_text_gives_missing_values():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["AP", "AP"], "text": ["", None]})
    out = readability(docs)
    assert out[list(MEASURES)].isna().all().all()


def test_missing_text_column_is_explained():
    with pytest.raises(ValueError, match="clean the corpus"):
        readability(pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "raw_text": ["x"]}))


def test_readability_by_summarises_each_group(docs):
    out = readability_by(docs).set_index(["agency", "measure"])
    assert len(out) == 4 * len(MEASURES)
    efe_texts = docs.loc[docs.agency == "EFE", "text"].tolist()
    assert len(efe_texts) == 2  # seeds 000 and 003
    ensure_cmudict()
    fog = [textstat.gunning_fog(t) for t in efe_texts]
    row = out.loc[("EFE", "gunning_fog")]
    assert row["n"] == 2
    assert row["mean"] == pytest.approx(statistics.fmean(fog))
    assert row["std"] == pytest.approx(statistics.stdev(fog))
    assert row["median"] == pytest.approx(statistics.median(fog))
    assert (row["min"], row["max"]) == (min(fog), max(fog))
    ap = out.loc[("AP", "words")]
    assert ap["n"] == 1 and math.isnan(ap["std"])
    assert ap["mean"] == textstat.lexicon_count(docs.loc[docs.agency == "AP", "text"].iloc[0])


def test_readability_by_doc_id_points_to_readability(docs):
    with pytest.raises(ValueError, match="readability"):
        readability_by(docs, by="doc_id")


# --- MTLD (McCarthy & Jarvis 2010) --------------------------------------------------------


def test_mtld_hand_worked_example():
    words = "the cat saw the dog and the dog saw the cat".split()
    # Forward: TTR 1,1,1,.75,.8,.833 then "the" makes 5/7 = .714 <= .72: one factor after
    # 7 words; the last four words (dog saw the cat) are all new: TTR 1, partial factor 0.
    # Forward MTLD = 11 / 1 = 11.
    # Backward (cat the saw dog the and dog the saw cat the): "dog" at word 7 makes 5/7:
    # one factor; the rest (the saw cat the) has TTR 3/4, partial (1 - .75) / (1 - .72) =
    # 25/28. Backward MTLD = 11 / (53/28) = 308/53. Mean: (11 + 308/53) / 2 = 891/106.
    assert mtld(words) == pytest.approx(891 / 106)


def test_mtld_is_the_mean_factor_length_whatever_the_text_length():
    # "a b c" repeated: TTR falls to 3/5 = .6 at every fifth word, in both directions, so
    # every factor is five words long, for any multiple of five words.
    for copies in (5, 10, 20):
        assert mtld(["a", "b", "c"] * copies) == pytest.approx(5.0)
    assert mtld(["war"] * 10) == pytest.approx(2.0)


def test_mtld_undefined_without_any_factor():
    assert math.isnan(mtld([]))
    assert math.isnan(mtld(["every", "word", "is", "new"]))


def test_mtld_threshold_must_be_a_ratio():
    with pytest.raises(ValueError):
        mtld(["a", "a"], threshold=1.0)


def test_mtld_column_uses_case_folded_words(docs, scores):
    from corpusutils.text import tokens

    for text, value in zip(docs["text"], scores["mtld"], strict=True):
        words = [t.casefold() for t in tokens(text) if any(c.isalpha() for c in t)]
        assert value == pytest.approx(mtld(words))
    words_000 = [t.casefold() for t in tokens(docs.loc[0, "text"])]
    assert "blinken" in words_000 and "2022" in words_000  # the year is left out of MTLD
    # News prose of a few hundred words: well above the two-word factors of pure repetition.
    assert (scores["mtld"] > 20).all()


def test_readability_by_reuses_scores_already_computed(docs):
    per_doc = readability(docs)
    assert readability_by(docs, scores=per_doc).equals(readability_by(docs))


# --- Every value equals textstat's own, on real news text ---------------------------------

PEER_ALLSIDES = ROOT.parent / "shared" / "peer" / "allsides-sameday" / "articles.jsonl"

# Corners of textstat's rules, each inside an English sentence so that the text is scored:
# contractions in capitals (their apostrophe is dropped), a final sigma, hyphens and dashes
# alone, quotes around words, an underscore, digits, unusual spaces, "sentences" of one word,
# words that are not in the CMU dictionary (Pyphen counts them).
CORNERS = [
    "DON'T STOP, they said. I can't; we won't! It's the Smiths' house, isn't it?",
    "The sign read ΟΔΟΣ ΣΟΦΟΣ in Greek letters, and the tourists took photos of it.",
    "The vote - a close one -- was held in the U.S. on Feb. 24 at 3.30 p.m. by 223-189.",
    "She said 'no' to the 'deal' and rock 'n' roll, y'all, and 'tis the season anyway.",
    "The file snake_case_name had 7,500 rows\u00a0and\u2003wide\tgaps between the words.",
    "Yes. No. Maybe. The minister of Kazakhstan's Mazhilis met Tokayev's aides again.",
    "Antidisestablishmentarianism and floccinaucinihilipilification are hard to read.",
    "Nothing but punctuation follows this sentence !!! ??? ... and then one more word.",
]


def _textstat_row(text: str) -> dict[str, float]:
    """The measures textstat itself gives for ``text`` (and its word counts per sentence)."""
    from corpusutils.text import split_sentences

    lengths = [textstat.lexicon_count(text[a:b]) for a, b in split_sentences(text)]
    words = textstat.lexicon_count(text)
    return {
        **{name: getattr(textstat, name)(text) for name in FORMULAS},
        "words": words,
        "textstat_sentences": textstat.sentence_count(text),
        "syllables": textstat.syllable_count(text),
        "syllables_per_word": textstat.avg_syllables_per_word(text),
        "polysyllables": textstat.polysyllabcount(text),
        "polysyllable_share": textstat.polysyllabcount(text) / words,
        "sentences": len(lengths),
        "mean_sentence_length": statistics.fmean(lengths),
        "median_sentence_length": statistics.median(lengths),
    }


@pytest.mark.skipif(not PEER_ALLSIDES.exists(), reason="../shared/peer/allsides-sameday is absent")
def test_every_value_equals_textstat_on_seeds_corners_and_real_news(docs):
    import json

    with open(PEER_ALLSIDES, encoding="utf-8") as lines:
        news = [json.loads(line)["content_original"] for line in lines]
    texts = [*docs["text"], *CORNERS, *news]
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    scores = readability(corpus, by=None)
    scored = scores["flesch_reading_ease"].notna().sum()
    assert scored >= len(texts) - 5  # taken for English, so scored
    ensure_cmudict()
    compared = 0
    for text, (_, row) in zip(texts, scores.iterrows(), strict=True):
        if pd.isna(row["flesch_reading_ease"]):
            continue  # not taken for English: no score at all, nothing to compare
        for name, expected in _textstat_row(text).items():
            assert row[name] == expected, (name, text[:60])
            compared += 1
    assert compared == 16 * scored
