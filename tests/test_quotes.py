"""Direct quotations, their speakers, and the same quotation across agencies (from the seeds)."""

from __future__ import annotations

import pandas as pd
import pytest

from corpusutils.quotes import align_quotes, quotes


@pytest.fixture(scope="module")
def docs(seed_docs) -> pd.DataFrame:
    return seed_docs


@pytest.fixture(scope="module")
def found(docs) -> pd.DataFrame:
    return quotes(docs)


def _speaker_of(found: pd.DataFrame, doc_id: str, opening: str) -> object:
    rows = found[(found["doc_id"] == doc_id) & found["quote"].str.startswith(opening)]
    assert len(rows) == 1, (doc_id, opening)
    return rows["speaker"].iloc[0]


def test_every_quotation_of_the_seeds_is_found(found):
    # Counted by reading: 000 has three, 001 five, 002 one (its stray second ” opens nothing),
    # 003 eight, 004 two (straight quotes).
    assert found.groupby("doc_id").size().to_dict() == {
        "000": 3,
        "001": 5,
        "002": 1,
        "003": 8,
        "004": 2,
    }
    assert found["closed"].all()
    assert found["quote_id"].is_unique


def test_offsets_point_at_the_quoted_words(docs, found):
    text_of = dict(zip(docs["doc_id"], docs["text"], strict=True))
    for row in found.itertuples():
        assert text_of[row.doc_id][row.start : row.end] == row.quote
        assert text_of[row.doc_id][row.start - 1] in '“"'


@pytest.mark.parametrize(
    ("doc_id", "opening", "speaker"),
    [
        ("000", "Looking forward", "Blinken"),  # “…,” tweeted Blinken
        ("001", "As you know", "Blinken"),  # “…,” Blinken told his Kazakh counterpart
        ("001", "At this particular time", "Blinken"),  # “…,” Blinken added
        ("001", "We have a lot to offer", "Donald Lu"),  # “…,” said Donald Lu, the senior …
        ("001", "intends to strengthen", "Anthony Blinken"),  # Anthony Blinken reaffirmed …
        ("002", "in accordance with", "Kassym-Jomart Tokayev"),  # Kazakh President … has spoken
        ("003", "As you know well", "Blinken"),  # “…,” Blinken said during a meeting
        ("003", "Sometimes we just say", "the US diplomatic head"),  # said the US diplomatic head
        ("003", "stronger", "the US diplomatic head"),  # same sentence, same speaker
        ("003", "to work closely", "Tleuberdi"),  # Tleuberdi, on his part, expressed readiness
        ("003", "appreciation", "Kassym-Jomart Tokayev"),  # …Tokayev, who expressed “…
        ("004", "We have built", "Tokayev"),  # "…," Tokayev told Blinken
        ("004", "Sometimes we just say", "Blinken"),  # "…," Blinken said in reference …
    ],
)
def test_speakers_named_in_the_text(found, doc_id, opening, speaker):
    assert _speaker_of(found, doc_id, opening) == speaker


def test_quotes_without_a_named_speaker(found):
    # "in which he will reiterate “the commitment …”" and AFP's “reliable partner” card.
    assert pd.isna(_speaker_of(found, "000", "the commitment"))
    assert pd.isna(_speaker_of(found, "001", "reliable partner"))


def test_a_quote_over_several_paragraphs_is_one_quote():
    text = (
        "Smith said: “The first part goes on.\n\n"
        "“The second part ends here,” and that was all.\n\n"
        "“A new quote,” he said."
    )
    docs = pd.DataFrame({"doc_id": ["1"], "agency": ["AP"], "text": [text]})
    out = quotes(docs)
    assert out["quote"].tolist() == [
        "The first part goes on.\n\nThe second part ends here,",
        "A new quote,",
    ]
    assert out["speaker"].tolist() == ["Smith", "Smith"]
    assert out["attribution"].tolist() == ["before", "pronoun"]
    first = out.iloc[0]
    assert text[first["start"] : first["end"]].startswith("The first part")
    assert text[first["start"] : first["end"]].endswith("ends here,")


def test_an_unclosed_quote_is_kept_and_flagged():
    docs = pd.DataFrame(
        {"doc_id": ["1"], "agency": ["AP"], "text": ["He said “never closed.\n\nNext paragraph."]}
    )
    out = quotes(docs)
    assert out["quote"].tolist() == ["never closed."]
    assert out["closed"].tolist() == [False]


def test_the_same_utterance_across_agencies(docs):
    out = align_quotes(docs)
    pairs = {(r.doc_id_a, r.doc_id_b): r for r in out.itertuples()}
    # Blinken's "Sometimes we just say those words ...": 28 words each in EFE (003) and
    # Reuters (004), one word apart ("no" / "real" meaning): ratio 2 * 27 / 56.
    sometimes = pairs[("003", "004")]
    assert sometimes.similarity == pytest.approx(54 / 56)
    assert sometimes.changes == [("replace", "no", "real")]
    assert "have [-no-] {+real+} meaning" in sometimes.diff
    assert (sometimes.agency_a, sometimes.agency_b) == ("EFE", "Reuters")
    # "As you know(, well), the United States strongly supports ..." in AFP (001) and EFE (003).
    know = pairs[("001", "003")]
    assert know.quote_a.startswith("As you know,")
    assert know.quote_b.startswith("As you know well,")
    assert ("insert", "", "well") in know.changes
    # Only different agencies are paired: the two EFE stories quote different words.
    assert (out["agency_a"] != out["agency_b"]).all()
    assert out["similarity"].ge(0.6).all()


def test_short_quotes_are_not_aligned():
    docs = pd.DataFrame(
        {
            "doc_id": ["1", "2"],
            "agency": ["AP", "EFE"],
            "text": ["A “reliable partner” card.", "The “reliable partner” card."],
        }
    )
    assert align_quotes(docs).empty
    assert len(align_quotes(docs, min_words=2)) == 1


def test_same_wording_within_a_group_counts_once():
    quote = "“We will not recognise the breakaway republics,” Tokayev said."
    docs = pd.DataFrame(
        {
            "doc_id": ["1", "2", "3"],
            "agency": ["AP", "AP", "EFE"],
            "text": [quote, quote.replace("Tokayev", "the president"), quote],
        }
    )
    out = align_quotes(docs)
    assert len(out) == 1
    row = out.iloc[0]
    assert (row["agency_a"], row["agency_b"], row["n_a"], row["n_b"]) == ("AP", "EFE", 2, 1)
    assert (row["doc_id_a"], row["doc_id_b"]) == ("1", "3")
    assert row["similarity"] == 1.0
    assert row["changes"] == []


def test_repeating_the_seeds_multiplies_the_counts_not_the_rows(docs):
    # Every seed article 300 times in its own agency: the same wordings in the same groups, so
    # the same pairs as on the seeds, each wording now quoted 300 times in its group.
    seeds = docs[["doc_id", "agency", "text"]]
    copies = [seeds.assign(doc_id=seeds["doc_id"] + f"-{k}") for k in range(1, 300)]
    repeated = pd.concat([seeds, *copies], ignore_index=True)
    once, many = align_quotes(seeds), align_quotes(repeated)
    assert len(many) == len(once) == 2
    same = ["quote_id_a", "quote_id_b", "agency_a", "agency_b", "similarity", "diff", "changes"]
    assert many[same].equals(once[same])
    assert (many[["n_a", "n_b"]] == 300 * once[["n_a", "n_b"]]).all().all()


@pytest.mark.parametrize("max_versions", [100, 1000])
def test_each_wording_is_paired_with_its_twin_not_with_every_variant(max_versions):
    # 150 wordings of one sentence, told apart only by their last word (a number); AP and EFE
    # differ in the word before it. AP's k-th wording is most like EFE's k-th (one word of 15
    # apart, against two for any other), so there are 150 rows, not 150 * 150. The n-grams
    # with the number differ between the agencies, so the pairs must be found through n-grams
    # that all 300 wordings share: above max_versions=100, through their nearest wordings only.
    sentence = "We discussed trade, energy and security and we hope to meet again {} round {}"
    count = 150
    text = {"AP": sentence.replace("{}", "in", 1), "EFE": sentence.replace("{}", "at", 1)}
    docs = pd.DataFrame(
        {
            "doc_id": [f"{agency}{k}" for agency in text for k in range(count)],
            "agency": [agency for agency in text for _ in range(count)],
            "text": [
                f"“{text[agency].format(k)},” he said." for agency in text for k in range(count)
            ],
        }
    )
    out = align_quotes(docs, max_versions=max_versions)
    assert len(out) == count
    # Counted by hand: the 10 runs of three words of "we discussed ... meet again" are in all
    # 300 wordings, "meet again in", "again in round" (AP) and their "at" forms (EFE) in 150.
    assert out.attrs["crowded_ngrams"] == (14 if max_versions == 100 else 0)
    number_a = out["quote_a"].str.extract(r"(\d+),$")[0]
    number_b = out["quote_b"].str.extract(r"(\d+),$")[0]
    assert (number_a == number_b).all()
    assert sorted(number_a.astype(int)) == list(range(count))
    assert (out["agency_a"] + out["agency_b"] == "APEFE").all()
    assert out["similarity"].eq(2 * 14 / 30).all()
    assert out["changes"].map(lambda c: c == [("replace", "in", "at")]).all()
