"""Headline, byline, dateline, credits and furniture of the seeds and of each agency's forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusutils.clean.structure import FIELDS, load_furniture_rules, split_structure

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def read_seed(prefix: str) -> str:
    """A seed as the loader gives it: UTF-8, newlines normalised."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n")


def _found(text: str) -> dict:
    return {k: v for k, v in split_structure(text).fields.items() if v is not None}


def _body(text: str) -> list[str]:
    return [text[a:b] for a, b in split_structure(text).body]


def test_efe_translated_000():
    raw = read_seed("000")
    s = split_structure(raw)
    assert _found(raw) == {"dateline": "Astana, 28 Feb.", "desk_code": "kk-mos/ics"}
    assert s.furniture == ["EFE", "(Photo)"]
    body = _body(raw)
    assert body[0].startswith("US Secretary of State Antony Blinken arrived")
    assert body[-1].endswith("in their territories.")
    assert len(body) == 13  # 15 lines: 13 body lines, desk code, "(Photo)"


def test_afp_001_has_nothing_around_the_body():
    raw = read_seed("001")
    s = split_structure(raw)
    assert _found(raw) == {}
    assert s.furniture == [] and s.removed == []
    assert _body(raw) == [line for line in raw.split("\n") if line.strip()]


def test_ap_002():
    raw = read_seed("002")
    s = split_structure(raw)
    assert _found(raw) == {
        "headline": "Blinken in Central Asia as tensions rise over the war in Ukraine",
        "deck": "US Secretary of State Antony Blinken is visiting Kazakhstan, where he will meet "
        "with leading diplomats from Central Asian countries.",
        "byline": "The Associated Press",
        "timestamp": "February 28, 2023, 1:59 am",
    }
    assert [f[:18] for f in s.furniture] == ["See also Indonesia", "See also Much-anti"]
    body = _body(raw)
    assert body[0].startswith("US Secretary of State Antony Blinken visited Kazakhstan on")
    assert body[-1].startswith("For decades, the United States")
    assert len(body) == 9  # 15 blocks less headline, deck, byline, timestamp, two "See also"
    assert not any("See also" in p for p in body)


def test_efe_english_003():
    raw = read_seed("003")
    s = split_structure(raw)
    assert _found(raw) == {
        "section": "Politics",
        "headline": "Blinken expresses support for Kazakhstan’s sovereignty, territorial integrity",
        "dateline": "Astana, Feb 28",
        "desk_code": "kk-mos/sc",
    }
    assert s.furniture == ["EFE", "Related Articles", "Back to top button"]
    body = _body(raw)
    assert body[0].startswith("United States Secretary of State Antony Blinken on Tuesday")
    assert body[-1].endswith("again for the first time as secretary of state.")
    dateline = next(r for r in s.removed if r["column"] == "dateline")
    assert dateline["text"] == "Astana, Feb 28 (EFE).-"


def test_reuters_004():
    raw = read_seed("004")
    s = split_structure(raw)
    found = _found(raw)
    assert set(found) == {"credits", "copyright"}
    assert found["credits"] == "Reporting by Simon Lewis; Editing by Michael Perry"
    assert found["copyright"].startswith("[© 2023 Thomson Reuters. All rights reserved.]")
    assert found["copyright"].endswith("Thompson Reuters is solely responsible for this content.")
    assert s.furniture == ["|", "|"]
    body = _body(raw)
    assert len(body) == 10
    assert body[0] == "\n".join(raw.split("\n")[:3])


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_removed_spans_are_exact(name):
    raw = read_seed(name)
    s = split_structure(raw)
    for r in s.removed:
        assert raw[r["start"] : r["end"]] == r["text"]
        assert r["text"] == r["text"].strip()
        assert r["column"] in (*FIELDS, "furniture")
    spans = sorted([(r["start"], r["end"]) for r in s.removed] + s.body)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    covered = "".join(raw[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(raw.split())


@pytest.mark.parametrize(
    ("text", "dateline", "first_words"),
    [
        ("MADRID, 3 mar (EFE).- El Gobierno aprobó hoy la ley.", "MADRID, 3 mar", "El Gobierno"),
        ("Astana, Feb 28 (EFE).- Blinken arrived.", "Astana, Feb 28", "Blinken"),
        ("Astana, 28 Feb. US Secretary of State arrived.", "Astana, 28 Feb.", "US Secretary"),
        ("ASTANA, Kazakhstan (AP) — Blinken arrived.", "ASTANA, Kazakhstan", "Blinken"),
        ("ASTANA, Feb 28 (Reuters) - Blinken arrived.", "ASTANA, Feb 28", "Blinken"),
        ("Astana (AFP) - Blinken arrived.", "Astana", "Blinken"),
    ],
)
def test_datelines_of_each_agency(text, dateline, first_words):
    assert _found(text) == {"dateline": dateline}
    assert _body(text)[0].startswith(first_words)


def test_a_sentence_is_never_a_headline():
    text = "Blinken arrived in Astana.\n\nHe met Tokayev."
    assert _found(text) == {}
    # a short line followed by something that is not a sentence is body too
    assert _found("Talks\n\nmore talks\n\nand more") == {}


def test_headline_needs_a_body_after_it():
    assert _found("Blinken in Astana") == {}
    assert _found("Blinken in Astana\n\nHe met Tokayev.") == {"headline": "Blinken in Astana"}


def test_credits_and_copyright_only_at_the_end():
    text = "(Reporting by A; Editing by B)\n\nBlinken arrived.\n\nAll rights reserved."
    assert _found(text) == {"copyright": "All rights reserved."}
    assert _body(text)[0] == "(Reporting by A; Editing by B)"


def test_rules_file_is_documented():
    rules = load_furniture_rules()
    every = [r for group in rules.by_where.values() for r in group]
    names = [r.name for r in every]
    assert len(names) == len(set(names))
    assert all(r.comment.strip() for r in every)


@pytest.mark.parametrize(
    "text",
    [
        # an all-capitals word and a dash that does not open a sentence is not a dateline
        "NATO — the alliance formed in 1949 — said it would meet.\n\nThe talks went on.",
        # a closing sentence that names a copyright office or an agency is story text
        "He spoke.\n\nThe Copyright Office said on Tuesday it would review the rules.",
        "He spoke.\n\nThe deal was first reported by Thomson Reuters on Monday.",
        # "contributed reporting" that goes on is a sentence of the story
        "He spoke.\n\nShe said Smith contributed reporting to the inquiry last year.",
        # a paragraph cut by a blank line goes on in lower case: not a headline
        "Police said the man called his\n\nstepdaughter to confirm the meeting.",
        # a sentence cut after "the" is not a headline either
        "Police said they found the\n\nCar abandoned on a farm road.",
    ],
)
def test_no_layout_rule_fires_on_story_text(text):
    s = split_structure(text)
    assert s.removed == []


def test_headline_ending_with_a_particle_is_still_a_headline():
    assert _found("Talks go on\n\nThey met again.") == {"headline": "Talks go on"}


def test_question_headline_above_a_dateline():
    text = "Who decides first?\n\nNEW YORK (AP) — Hospitals met."
    assert _found(text) == {"headline": "Who decides first?", "dateline": "NEW YORK"}
    assert _found("Who decides first?\n\nHospitals met.") == {}


def test_month_names_of_every_language_in_datelines():
    for text, dateline in [
        ("LONDON, Sept. 3 (Reuters) - He spoke.", "LONDON, Sept. 3"),
        ("Caracas, 3 set (EFE).- Habló.", "Caracas, 3 set"),
        ("Lyon, 3 févr. 2023 (AFP) - Il a parlé.", "Lyon, 3 févr. 2023"),
        ("Dakar, 3 août 2023 (AFP) - Il a parlé.", "Dakar, 3 août 2023"),
        ("Quito, 3 diciembre (EFE).- Habló.", "Quito, 3 diciembre"),
    ]:
        assert _found(text) == {"dateline": dateline}, text


def test_authors_above_the_outlet_are_a_byline():
    text = "Jane Roe and John Doe\n\nUSA TODAY\n\nWASHINGTON — The House voted."
    assert _found(text) == {
        "byline": "Jane Roe and John Doe; USA TODAY", "dateline": "WASHINGTON",
    }
