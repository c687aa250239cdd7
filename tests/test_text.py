"""Sentence splitting and tokens: a hand-written stress set, the seeds, and properties."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpusutils.text import sentences, split_sentences, token_spans, tokens

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# The stress set. "‖" marks where a sentence ends (and is removed to make the input); the
# expected sentences are the pieces between the marks, stripped. Written by hand.
STRESS = [
    # titles and ranks
    "Mr. Blinken arrived. ‖He met Mrs. Smith and Ms. Lee.",
    "Lt. Col. John Smith spoke. ‖He was brief.",
    "Sen. Bob Menendez and Gov. Ron DeSantis spoke. ‖Dr. Jill Biden did not.",
    "Gen. Mark A. Milley said so. ‖The Pentagon agreed.",
    "Ms. Lee, 45, left. ‖Mr. Park stayed.",
    "St. Petersburg hosted the summit. ‖Putin attended.",
    "El Sr. Blinken llegó hoy a Astana. ‖Se reunió con Tokáyev.",
    # initials
    "George W. Bush visited in 2005. ‖J. R. R. Tolkien wrote books.",
    "Kassym-Jomart K. Tokayev met him. ‖They talked.",
    # months and numbered things
    "The trip comes after the Feb. 24 anniversary of the invasion. ‖It tested Moscow.",
    "Astana, 28 Feb. ‖US Secretary of State Antony Blinken arrived.",
    "Exports grew 12.5 percent in Jan. ‖Imports fell.",
    "See No. 5 on the list. ‖Art. 3 applies.",
    "Resolution No. 5 passed. ‖No. 6 failed.",
    "The town (pop. 5,000) is small. ‖It grew.",
    "The capital, pop. 1.2 million, lies north. ‖It is cold.",
    "It weighs approx. 5 kg and costs approx. $10. ‖It is light.",
    "Acme Inc. and Beta Inc. merged. ‖Shares rose.",
    "He sued Acme Inc. ‖The company denied it.",
    "The report (see p. 12) was clear. ‖It was published.",
    # dotted abbreviations
    "U.S. officials say the U.S. economy grew. ‖Others disagree.",
    "He flew to the U.S. ‖The talks begin today.",
    "He cited the U.N. Charter and the U.K. position. ‖It is clear.",
    "The U.S.-led coalition grew. ‖Kazakhstan stayed out.",
    "They met in Washington, D.C. ‖The capital was calm.",
    "The meeting starts at 9 a.m. ‖The talks end at 5 p.m. on Tuesday.",
    "He worked for Acme Co. ‖The firm folded.",
    "Apple Inc. said profits rose. ‖Shares fell.",
    "He met Mr. Smith Jr. ‖The two spoke.",
    "Prices rose, i.e. inflation, and e.g. rents. ‖Officials worried.",
    # quotes that end (or do not end) a sentence
    'He called it "a turning point for the region." ‖Next, he flew to Tashkent.',
    '"It is over," he said." ‖Next day he left.',
    "“At this particular time, these words are heard more than usual,” Blinken added. "
    "‖He did not elaborate.",
    "“to further deepen our strategic partnership.” ‖Blinken then met Kazakh President Tokayev.",
    'He said: "Only get stronger." ‖The US diplomatic head agreed.',
    '"Are you coming?" he asked. ‖She nodded.',
    "‘Never,’ she said. ‖‘Not again.’",
    '"We will win." ‖"The war is over."',
    # numbers
    "Kazakhstan shares a 7,500 km border with Russia. ‖Growth was 3.5% last year.",
    "They met in the well-known C5+1 format. ‖The meeting lasted two hours.",
    "The vote was 141 to 7. ‖2023 marks a year of war.",
    "The price rose to $1.5 billion. ‖It was a record.",
    "It happened in 1991. ‖Since then, relations grew.",
    # ellipses, ?, !
    "He paused... and then went on. ‖It was over… ‖Nobody spoke.",
    "Wait ... ‖What happened?",
    # a spaced ellipsis is one mark, not three full stops
    "Prices rose . . . and then fell. ‖The market closed.",
    "Prices rose. . . and fell. ‖Then they rose.",
    "Prices rose . . . ‖The market closed.",
    "“We will . . . win,” he said. ‖He left.",
    "Did he agree? ‖No. ‖He refused!",
    "What now?! ‖Nobody knows.",
    # brackets and dashes
    "(Reporting by Simon Lewis.) ‖The end.",
    "Blinken met five ministers – all from Central Asia – in Astana. ‖The Uzbek joined later.",
    # paragraphs: a sentence never crosses a blank line, even without a full stop
    "One. ‖Two without an end\n\n‖Three.",
    "Headline without a stop\n\n‖Body starts here. ‖And goes on.",
    "Blinken's visit is his first.\n‖Next line, same paragraph.",
    # no boundary at all
    "No punctuation at the end",
    "A sentence that ends at the end.",
]


def _case(case: str) -> tuple[str, list[str]]:
    return case.replace("‖", ""), [part.strip() for part in case.split("‖")]


@pytest.mark.parametrize("case", STRESS)
def test_stress_set(case):
    text, expected = _case(case)
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("  \n\n \n ") == []


def _seed(name: str) -> str:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n")


def _blocks(raw: str) -> list[str]:
    return [b.strip() for b in raw.split("\n\n") if b.strip()]


def test_seed_003_paragraphs_split_as_read():
    blocks = _blocks(_seed("003"))
    # blocks 3 to 15 are body paragraphs; sentence counts by reading them.
    counts = [len(split_sentences(b)) for b in blocks[3:16]]
    assert counts == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    quote = blocks[4]
    assert quote.startswith("“As you know well")
    assert split_sentences(quote) == [(0, len(quote))]


def test_seed_002_two_sentence_paragraph():
    blocks = _blocks(_seed("002"))
    paragraph = next(b for b in blocks if b.startswith("Blinken’s visit to Astana"))
    got = [paragraph[a:b] for a, b in split_sentences(paragraph)]
    assert len(got) == 2
    assert got[0].endswith("as foreign minister.")
    assert got[1].startswith("Just a few days after")


def test_seed_004_us_and_feb_do_not_split():
    lines = _seed("004").split("\n")
    paragraph = " ".join(lines[3:7])  # "The trip comes just days after the Feb. 24 ..."
    assert "Feb. 24" in paragraph
    assert len(split_sentences(paragraph)) == 1
    paragraph = " ".join(lines[13:17])  # "U.S. officials say ... U.S. cooperation ..."
    assert paragraph.count("U.S.") == 2
    assert len(split_sentences(paragraph)) == 1


def test_sentences_frame_offsets_and_numbering():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "outlet": ["AP", "EFE", "AP"],
            "text": ["One. Two.\n\nThree.", "Mr. Smith left.", ""],
        }
    )
    out = sentences(docs, by="outlet")
    assert list(out.columns) == [
        "doc_id", "outlet", "paragraph", "sentence", "text", "start", "end",
    ]
    assert out["doc_id"].tolist() == ["a", "a", "a", "b"]
    assert out["paragraph"].tolist() == [0, 0, 1, 0]
    assert out["sentence"].tolist() == [0, 1, 2, 0]
    assert out["text"].tolist() == ["One.", "Two.", "Three.", "Mr. Smith left."]
    texts = dict(zip(docs["doc_id"], docs["text"], strict=True))
    for row in out.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text


def test_sentences_needs_text_column():
    docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "raw_text": ["One. Two."]})
    with pytest.raises(ValueError, match="clean"):
        sentences(docs)


def test_sentences_of_empty_frame_has_the_columns():
    docs = pd.DataFrame({"doc_id": [], "agency": [], "text": []})
    out = sentences(docs)
    assert out.empty
    assert list(out.columns) == [
        "doc_id", "agency", "paragraph", "sentence", "text", "start", "end",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kassym-Jomart Tokayev", ["Kassym-Jomart", "Tokayev"]),
        ("Kazakhstan’s sovereignty", ["Kazakhstan’s", "sovereignty"]),
        ("Kazakhstan's", ["Kazakhstan's"]),
        ("a 7,500 km border", ["a", "7,500", "km", "border"]),
        ("grew 3.5%.", ["grew", "3.5"]),
        ("the C5+1 format", ["the", "C5", "1", "format"]),
        ("Tokáyev and Kulubáev", ["Tokáyev", "and", "Kulubáev"]),
        ("“Stronger.” – he said", ["Stronger", "he", "said"]),
        ("post-Soviet, ex-Soviet -- and - dashes", ["post-Soviet", "ex-Soviet", "and", "dashes"]),
        ("end. 2023", ["end", "2023"]),
        ("U.S. officials", ["U.S.", "officials"]),
        ("at the U.N. in the U.S.", ["at", "the", "U.N.", "in", "the", "U.S."]),
        ("Mr. Lu and e.g. talks", ["Mr", "Lu", "and", "e.g.", "talks"]),
        ("version 2.0.1 of U.S", ["version", "2.0.1", "of", "U", "S"]),
        ("", []),
    ],
)
def test_tokens(text, expected):
    assert tokens(text) == expected
    assert [text[a:b] for a, b in token_spans(text)] == expected


def test_tokens_keep_decomposed_accents_with_their_letter():
    word = "Toka\u0301yev"  # "a" + combining acute, as an un-normalised text may hold it
    assert tokens(f"{word} said") == [word, "said"]
    # Marks anywhere in a run, runs of several marks, and joiners between such runs.
    text = "\u0301a-b\u0301c, x\u0301\u0300y’s 7,500 _e\u0301_"
    assert tokens(text) == ["\u0301a-b\u0301c", "x\u0301\u0300y’s", "7,500", "e\u0301"]


_texty = st.lists(
    st.sampled_from(list("abcXYZ .!?…,\"'”“’)(\n\t-0123456789") + ["Mr.", "U.S.", "Feb. "]),
    max_size=80,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(_texty)
def test_sentence_spans_cover_every_visible_character(text):
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end
        piece = text[start:end]
        assert piece == piece.strip()
        assert "\n\n" not in piece
        previous_end = end
    visible = "".join(text.split())
    assert "".join("".join(text[a:b].split()) for a, b in spans) == visible


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=120))
def test_tokens_are_substrings_at_their_offsets(text):
    spans = token_spans(text)
    assert [text[a:b] for a, b in spans] == tokens(text)
    assert all(a < b for a, b in spans)


def test_sentences_by_doc_id_and_reserved_names():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One. Two.", "Three."]})
    out = sentences(docs, by="doc_id")
    assert list(out.columns) == ["doc_id", "paragraph", "sentence", "text", "start", "end"]
    assert out["doc_id"].tolist() == ["a", "a", "b"]
    with pytest.raises(ValueError, match="column of the sentences frame"):
        sentences(docs.assign(start=1), by="start")
    with pytest.raises(ValueError, match="no column 'agency'"):
        sentences(docs)
