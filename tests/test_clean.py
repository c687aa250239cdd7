"""Cleaning the seeds end to end: what must read right, what must go, and that nothing is lost."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpusutils.clean import CLEAN_COLUMNS, clean_corpus, clean_text, repaired_text
from corpusutils.text import sentences

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
AGENCIES = {"000": "EFE", "001": "AFP", "002": "AP", "003": "EFE", "004": "Reuters"}


def read_seed(prefix: str) -> str:
    """A seed as the loader gives it: UTF-8, newlines normalised."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n")


@pytest.fixture(scope="module")
def cleaned() -> pd.DataFrame:
    docs = pd.DataFrame(
        {
            "doc_id": list(AGENCIES),
            "agency": list(AGENCIES.values()),
            "raw_text": [read_seed(name) for name in AGENCIES],
        }
    )
    return clean_corpus(docs).set_index("doc_id", drop=False)


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_columns_and_raw_text_kept(cleaned):
    assert list(cleaned.columns) == ["doc_id", "agency", "raw_text", *CLEAN_COLUMNS]
    for name in AGENCIES:
        assert cleaned.loc[name, "raw_text"] == read_seed(name)
        for column in ("furniture", "fixes", "removed", "notes"):
            assert isinstance(cleaned.loc[name, column], list)


def test_names_read_right_and_no_thai_letter_left(cleaned):
    text = cleaned.loc["000", "text"]
    assert "Kasim-Yomart Tokáyev." in text  # also without the space before the full stop
    assert "Jenbeek Kulubáev;" in text
    for body in cleaned["text"]:
        assert not re.search(r"[\u0e00-\u0e7f]", body)
    fixes = cleaned.loc["000", "fixes"]
    assert [(f["before"], f["after"]) for f in fixes] == [("รก", "á"), ("รก", "á")]


def test_no_furniture_left_in_any_body(cleaned):
    banned = ["See also", "Related Articles", "Back to top button", "(Photo)", "kk-mos",
              "Copyright", "Thomson Reuters", "Thompson Reuters", "All rights reserved",
              "Reporting by", "ByThe", "February 28, 2023, 1:59 am"]
    for doc_id, body in zip(cleaned["doc_id"], cleaned["text"], strict=True):
        for phrase in banned:
            assert phrase not in body, (doc_id, phrase)
        assert "|" not in body
        assert not re.search(r"\b[a-z]{1,5}-[a-z]{1,5}/[a-z]{1,5}\b", body)  # a desk code
        assert not body.rstrip().endswith("EFE")


def test_reuters_body_is_whole_paragraphs(cleaned):
    lines = read_seed("004").split("\n")
    paragraphs = _paragraphs(cleaned.loc["004", "text"])
    assert paragraphs[0] == " ".join(lines[:3])
    # By reading the file: ten paragraphs, then credits, copyright and two "|" lines.
    assert len(paragraphs) == 10
    assert paragraphs[-1] == " ".join(lines[33:37])
    assert all("\n" not in p for p in paragraphs)
    assert cleaned.loc["004", "credits"] == "Reporting by Simon Lewis; Editing by Michael Perry"
    assert "Thomson Reuters" in cleaned.loc["004", "copyright"]
    assert cleaned.loc["004", "furniture"] == ["|", "|"]


def test_paragraph_counts_by_reading(cleaned):
    # 000 and 001: one paragraph per line (000 less desk code and "(Photo)"); 002 and 003:
    # the blank-line blocks less what is not body.
    assert len(_paragraphs(cleaned.loc["000", "text"])) == 13
    assert len(_paragraphs(cleaned.loc["001", "text"])) == 7
    assert len(_paragraphs(cleaned.loc["002", "text"])) == 9
    assert len(_paragraphs(cleaned.loc["003", "text"])) == 15


def test_ap_parts(cleaned):
    row = cleaned.loc["002"]
    assert row["headline"] == "Blinken in Central Asia as tensions rise over the war in Ukraine"
    assert row["deck"].startswith("US Secretary of State Antony Blinken is visiting Kazakhstan")
    assert row["byline"] == "The Associated Press"
    assert row["timestamp"] == "February 28, 2023, 1:59 am"
    assert row["text"].startswith("US Secretary of State Antony Blinken visited Kazakhstan")
    assert [f.split(":")[0] for f in row["furniture"]] == [
        "See also Indonesian official",
        "See also Much-anticipated legislative elections are underway in Guinea-Bissau",
    ]


def test_efe_parts(cleaned):
    efe_en, efe_es = cleaned.loc["003"], cleaned.loc["000"]
    assert efe_en["dateline"] == "Astana, Feb 28"
    assert efe_en["section"] == "Politics"
    assert efe_en["headline"].startswith("Blinken expresses support for Kazakhstan’s")
    assert efe_en["desk_code"] == "kk-mos/sc"
    assert efe_en["text"].startswith("United States Secretary of State Antony Blinken")
    assert efe_es["dateline"] == "Astana, 28 Feb."
    assert efe_es["desk_code"] == "kk-mos/ics"
    assert efe_es["headline"] is None
    assert efe_es["text"].startswith("US Secretary of State Antony Blinken arrived")
    for row in (efe_en, efe_es):
        signature = [r for r in row["removed"] if r["rule"] == "signature"]
        assert [r["text"] for r in signature] == ["EFE"]
        assert row["furniture"][0] == "EFE"


def test_no_headline_where_the_text_has_none(cleaned):
    for name in ("000", "001", "004"):
        assert cleaned.loc[name, "headline"] is None
        assert cleaned.loc[name, "deck"] is None
        first_line = read_seed(name).split("\n")[0]
        assert cleaned.loc[name, "text"][:40] in " ".join(first_line.split()) or name == "000"


def test_oddities_are_reported_not_changed(cleaned):
    assert "international law.” ”" in cleaned.loc["002", "text"]
    assert any("doubled closing quote" in n for n in cleaned.loc["002", "notes"])
    afp = cleaned.loc["001"]
    assert "despite Moscow’s great influence.\n\n" in afp["text"]
    assert any(r["rule"] == "stray_full_stop" and r["text"] == "." for r in afp["removed"])
    assert any("stray full stop" in n for n in afp["notes"])


def _apply_fixes(raw: str, fixes: list[dict]) -> str:
    out, pos = [], 0
    for fix in sorted(fixes, key=lambda f: f["start"]):
        assert raw[fix["start"] : fix["end"]] == fix["before"]
        out += [raw[pos : fix["start"]], fix["after"]]
        pos = fix["end"]
    return "".join(out) + raw[pos:]


def _visible(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def _account(raw: str, out: dict) -> None:
    """Every visible character of the repaired raw text is in one removed span or in the text."""
    repaired = unicodedata.normalize(
        "NFC", _apply_fixes(raw.replace("\r\n", "\n").replace("\r", "\n"), out["fixes"])
    )
    spans = sorted((r["start"], r["end"]) for r in out["removed"])
    for r in out["removed"]:
        assert repaired[r["start"] : r["end"]] == r["text"]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    kept, pos = [], 0
    for start, end in spans:
        kept.append(repaired[pos:start])
        pos = end
    kept.append(repaired[pos:])
    assert _visible("".join(kept)) == _visible(out["text"])


@pytest.mark.parametrize("name", list(AGENCIES))
def test_nothing_is_lost(name, cleaned):
    raw = read_seed(name)
    row = cleaned.loc[name]
    _account(raw, row.to_dict())
    # Every extracted part comes from a removed span that fed its column.
    for column in ("headline", "deck", "section", "byline", "timestamp", "dateline", "credits",
                   "desk_code", "copyright"):
        if row[column] is None:
            assert not any(r["column"] == column for r in row["removed"])
            continue
        fed = " ".join(r["text"] for r in row["removed"] if r["column"] == column)
        assert _visible(row[column]) in _visible(fed)


def test_manifest_headline_is_kept():
    raw = read_seed("002")
    docs = pd.DataFrame(
        {"doc_id": ["a", "b"], "headline": ["Headline from the manifest", ""],
         "raw_text": [raw, raw]}
    )
    out = clean_corpus(docs)
    assert out["headline"].tolist() == [
        "Headline from the manifest",
        "Blinken in Central Asia as tensions rise over the war in Ukraine",
    ]
    assert any("differs" in n for n in out.loc[0, "notes"])
    assert not any("differs" in n for n in out.loc[1, "notes"])
    assert out.loc[0, "text"] == out.loc[1, "text"]
    assert any(r["rule"] == "headline" for r in out.loc[0, "removed"])


def test_clean_corpus_needs_raw_text():
    with pytest.raises(ValueError, match="raw_text"):
        clean_corpus(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}))


def test_large_corpus_over_two_processes_matches_serial():
    raws = [read_seed(name) for name in AGENCIES] * 82  # 410 texts: above the serial limit
    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(raws))], "raw_text": raws})
    parallel = clean_corpus(docs, workers=2)
    serial = clean_corpus(docs.head(5), workers=1)
    assert parallel.head(5)[list(CLEAN_COLUMNS)].equals(serial[list(CLEAN_COLUMNS)])
    assert parallel["text"].tolist() == serial["text"].tolist() * 82


def test_sentences_of_cleaned_seeds(cleaned):
    out = sentences(cleaned)
    texts = dict(zip(cleaned["doc_id"], cleaned["text"], strict=True))
    for row in out.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text
    # 003 body: by reading, one sentence per paragraph, fifteen paragraphs.
    efe = out[out["doc_id"] == "003"]
    assert len(efe) == 15 and efe["paragraph"].tolist() == list(range(15))


_pieces = st.sampled_from(
    [
        "\n", "\n\n", " ", "\u00a0", ".", " .", ",", "”", "“", "|", "EFE", " EFE", "Politics",
        "By Jane Doe", "February 28, 2023, 1:59 am", "Astana, Feb 28 (EFE).- ", "Astana, 28 Feb. ",
        "kk-mos/sc", "(Photo)", "See also more", "(Reporting by A; Editing by B)",
        "Copyright 2023 Reuters.", "Talks go on", "Blinken met Tokayev.", "He said.",
        "Tok\u0e23\u0e01yev", "Toka\u0301yev", "U.S.", "Mr.", "the", "and", "Central Asia",
    ]
)
_storyish = st.lists(_pieces, max_size=30).map("".join)
_any_text = st.one_of(st.text(max_size=300), _storyish)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_any_text)
def test_cleaning_never_raises_and_accounts_for_everything(raw):
    out = clean_text(raw)
    assert set(out) == set(CLEAN_COLUMNS)
    _account(raw, out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_any_text)
def test_cleaning_is_idempotent(raw):
    once = clean_text(raw)["text"]
    assert clean_text(once)["text"] == once


_word = st.sampled_from(["the", "talks", "Astana", "went", "on", "Blinken", "met", "Tokáyev",
                         "7,500", "km", "“long”", "border", "with", "Russia"])
_sentence = st.lists(_word, min_size=2, max_size=12).map(
    lambda words: (words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:])) + "."
)
_clean_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)
_clean_story = st.lists(_clean_paragraph, min_size=1, max_size=6).map("\n\n".join)


@settings(max_examples=100, deadline=None)
@given(_clean_story)
def test_clean_text_is_left_unchanged(text):
    out = clean_text(text)
    assert out["text"] == text
    assert out["removed"] == [] and out["fixes"] == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_any_text, min_size=1, max_size=3))
def test_sentence_offsets_point_at_the_sentences(raws):
    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(raws))], "agency": "X",
                         "raw_text": raws})
    cleaned = clean_corpus(docs, workers=1)
    out = sentences(cleaned)
    texts = dict(zip(cleaned["doc_id"], cleaned["text"], strict=True))
    for row in out.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text
        assert row.text and row.text == row.text.strip()


def test_mojibake_with_a_no_break_space_byte_is_repaired():
    # "à" is C3 A0 in UTF-8; read as Windows-1252 it shows as "Ã" plus a no-break space, so the
    # no-break space must reach the repair before spaces are normalised.
    broken = "Voilà, the café in Brašov.".encode().decode("cp1252", errors="strict")
    assert "\u00a0" in broken
    out = clean_text(broken)
    assert out["text"] == "Voilà, the café in Brašov."
    assert repaired_text(broken, out["fixes"]) == "Voilà, the café in Brašov."


def test_cleaning_shows_a_progress_bar_when_asked(raw_seed_docs, capsys):
    clean_corpus(raw_seed_docs, workers=1, progress=True)
    assert "cleaning" in capsys.readouterr().err
    clean_corpus(raw_seed_docs, workers=1)  # five articles: no bar by default
    assert "cleaning" not in capsys.readouterr().err
