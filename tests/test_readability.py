"""Readability: textstat's values on the cleaned body, sentence lengths, and MTLD."""

from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest
import textstat

from corpusutils.readability import FORMULAS, MEASURES, doc_readability, mtld, readability_by
from corpusutils.resources import ensure_cmudict


@pytest.fixture(scope="module")
def paragraphs_003(seeds_dir) -> list[str]:
    """Body paragraphs of seed 003, cleaned by hand: section label, headline, dateline, the
    closing "EFE" signature and the desk code / related-articles furniture removed."""
    (path,) = seeds_dir.glob("003_*.txt")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = lines[2 : lines.index("kk-mos/sc")]
    assert body[0].startswith("Astana, Feb 28 (EFE).- ")
    body[0] = body[0].removeprefix("Astana, Feb 28 (EFE).- ")
    assert body[-1].endswith(" EFE")
    body[-1] = body[-1].removesuffix(" EFE")
    return body


@pytest.fixture(scope="module")
def docs(paragraphs_003) -> pd.DataFrame:
    """Seed 003 (EFE, hand-cleaned) and two short texts from another agency."""
    return pd.DataFrame(
        {
            "doc_id": ["003", "x1", "x2"],
            "agency": ["EFE", "AP", "AP"],
            "text": [
                "\n\n".join(paragraphs_003),
                "The cat sat on the mat. It was a sunny day in the park.",
                "Diplomats negotiated extensively about territorial integrity.",
            ],
        }
    )


@pytest.fixture(scope="module")
def scores(docs: pd.DataFrame) -> pd.DataFrame:
    return doc_readability(docs)


def test_one_row_per_document_with_group_carried(docs, scores):
    assert scores["doc_id"].tolist() == docs["doc_id"].tolist()
    assert scores["agency"].tolist() == docs["agency"].tolist()
    assert scores.columns.tolist() == ["doc_id", "agency", *MEASURES]


def test_no_group_column_when_by_is_none_or_doc_id(docs):
    assert doc_readability(docs, by=None).columns.tolist() == ["doc_id", *MEASURES]
    assert doc_readability(docs, by="doc_id").columns.tolist() == ["doc_id", *MEASURES]


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


def test_seed_003_has_fifteen_sentences_one_per_paragraph(paragraphs_003, scores):
    # Read by hand: each of the 15 body paragraphs of seed 003 is a single sentence.
    paragraphs = paragraphs_003
    assert len(paragraphs) == 15
    row = scores.set_index("doc_id").loc["003"]
    assert row["sentences"] == 15
    lengths = [textstat.lexicon_count(p) for p in paragraphs]
    assert row["mean_sentence_length"] == pytest.approx(statistics.fmean(lengths))
    assert row["median_sentence_length"] == statistics.median(lengths)


def test_short_sentences_counted_by_the_splitter_but_not_by_textstat():
    # textstat ignores "sentences" of two words or fewer; the corpus splitter does not.
    text = "The war is bad. Russia lost."
    docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "text": [text]})
    row = doc_readability(docs).iloc[0]
    assert row["sentences"] == 2
    assert row["textstat_sentences"] == 1
    assert row["mean_sentence_length"] == 3.0  # (4 + 2) / 2


def test_empty_text_gives_missing_values():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["AP", "AP"], "text": ["", None]})
    out = doc_readability(docs)
    assert out[list(MEASURES)].isna().all().all()


def test_missing_text_column_is_explained():
    with pytest.raises(ValueError, match="clean the corpus"):
        doc_readability(pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "raw_text": ["x"]}))


def test_readability_by_summarises_each_group(docs):
    out = readability_by(docs).set_index(["agency", "measure"])
    assert len(out) == 2 * len(MEASURES)
    ap_words = [textstat.lexicon_count(t) for t in docs.loc[docs.agency == "AP", "text"]]
    words = out.loc[("AP", "words")]
    assert words["n"] == 2
    assert words["mean"] == pytest.approx(statistics.fmean(ap_words))
    assert words["std"] == pytest.approx(statistics.stdev(ap_words))
    assert (words["min"], words["max"]) == (min(ap_words), max(ap_words))
    efe = out.loc[("EFE", "flesch_reading_ease")]
    assert efe["n"] == 1 and math.isnan(efe["std"])
    assert efe["mean"] == textstat.flesch_reading_ease(docs.loc[0, "text"])


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

    text = docs.loc[0, "text"]
    words = [t.casefold() for t in tokens(text) if any(c.isalpha() for c in t)]
    assert "blinken" in words and "2022" not in words
    assert scores.loc[0, "mtld"] == pytest.approx(mtld(words))
    assert scores.loc[0, "mtld"] > 0
