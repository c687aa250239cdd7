"""Paragraphs and spacing: unwrapping the seeds as they come, tidying, reporting oddities."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpusutils.clean.normalize import (
    _positions,
    normalize_paragraph,
    oddities,
    paragraph_spans,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def read_seed(prefix: str) -> str:
    """A seed as the loader gives it: UTF-8, newlines normalised."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n")


def _paragraphs(text: str) -> list[str]:
    return [text[a:b] for a, b in paragraph_spans(text)]


def test_hard_wrapped_reuters_becomes_whole_paragraphs():
    raw = read_seed("004")
    lines = raw.split("\n")
    paragraphs = _paragraphs(raw)
    # The first paragraph is the first three lines; the body has ten paragraphs by reading:
    # they end at "diplomat.", "Turkmenistan.", "sanctions.", "Uzbekistan.", "west.",
    # "Ukraine.", "palace.", "1991.", "republic." and "after Ukraine.".
    assert paragraphs[0] == "\n".join(lines[:3])
    ends = ["diplomat.", "Turkmenistan.", "sanctions.", "Tashkent, Uzbekistan.", "to the west.",
            "Putin in Ukraine.", "palace.", "in 1991.", "Soviet republic.", "after Ukraine."]
    assert [p.endswith(end) for p, end in zip(paragraphs, ends, strict=False)] == [True] * 10
    # then the credits line, the copyright notice (two sentences over four lines), two "|"
    assert paragraphs[10] == "(Reporting by Simon Lewis; Editing by Michael Perry)"
    assert paragraphs[11].startswith("[© 2023 Thomson Reuters. All rights\nreserved.]")
    assert paragraphs[11].endswith("rewritten or redistributed.")
    assert paragraphs[12] == "Thompson Reuters is solely responsible for this content."
    assert paragraphs[13:] == ["|", "|"]


def test_one_paragraph_per_line_is_kept():
    for name in ("000", "001"):
        raw = read_seed(name)
        lines = [line for line in raw.split("\n") if line.strip()]
        assert _paragraphs(raw) == lines


def test_blank_lines_separate_paragraphs():
    raw = read_seed("003")
    blocks = [b for b in raw.split("\n\n") if b.strip()]
    assert _paragraphs(raw) == blocks


def test_wrapped_line_ending_in_abbreviation_is_joined():
    text = (
        "The talks with officials from the U.S.\n"
        "State Department were held in the capital on Tuesday and they\n"
        "ended late in the evening, officials said.\n"
        "A second paragraph follows here.\n"
    )
    assert len(paragraph_spans(text)) == 2


def test_spacing_rules():
    assert normalize_paragraph("Tokáyev .").text == "Tokáyev."
    assert normalize_paragraph("a\u00a0 b\n c\t\td").text == "a b c d"
    assert normalize_paragraph("great influence. .").text == "great influence."
    assert normalize_paragraph("Yes , no ; maybe : really ?").text == "Yes, no; maybe: really?"
    # kept: an ellipsis after a space, a decimal without its zero, quotes
    assert normalize_paragraph("Wait ... what").text == "Wait ... what"
    assert normalize_paragraph("rose by .5 percent").text == "rose by .5 percent"
    assert normalize_paragraph("law.” ”").text == "law.” ”"


def test_removed_spans_point_into_the_input():
    raw = "the president, Kasim-Yomart Tokáyev .\nIt grew. . Then , more."
    paragraph = normalize_paragraph(raw)
    assert [(raw[a:b], rule) for a, b, rule in paragraph.removed] == [
        (" ", "space_before_punctuation"),
        (".", "stray_full_stop"),
        (" ", "space_before_punctuation"),
    ]
    assert paragraph.text == "the president, Kasim-Yomart Tokáyev. It grew. Then, more."
    assert len(paragraph.notes) == 1 and "It grew." in paragraph.notes[0]


def test_nfc():
    decomposed = "Toka\u0301yev"
    assert normalize_paragraph(decomposed).text == "Tokáyev"
    assert normalize_paragraph(decomposed).text == unicodedata.normalize("NFC", decomposed)


def test_oddities_in_ap_seed():
    raw = read_seed("002")
    paragraph = next(b for b in raw.split("\n\n") if "international law." in b)
    notes = oddities(normalize_paragraph(paragraph).text)
    assert any("doubled closing quote" in n for n in notes)
    assert any("closing quotes (2) outnumber opening ones (1)" in n for n in notes)


def test_oddities_reports_doubled_full_stop_and_straight_quotes():
    notes = oddities('He left.. Then\n\nShe said "yes.')
    assert notes == [
        "paragraph 0: doubled full stop in 'He left.. Then'",
        "paragraph 1: odd number of straight double quotes",
    ]
    assert oddities("“Fine,” he said. An ellipsis... is fine.") == []


_spacey = st.lists(
    st.sampled_from(["a", "Tó", " ", "  ", "\u00a0", "\n", ".", ",", "?", "”", "“", "...", "1"]),
    max_size=40,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_spacey, st.text(max_size=60)))
@example(".” . ,")  # a stray full stop once left a space before the comma behind it
def test_normalize_paragraph_is_idempotent(raw):
    once = normalize_paragraph(raw).text
    assert normalize_paragraph(once).text == once
    assert normalize_paragraph(once).removed == []


@settings(max_examples=200, deadline=None)
@given(st.one_of(_spacey, st.text(max_size=60)))
def test_positions_map_each_character_back_to_the_input(raw):
    paragraph = normalize_paragraph(raw)
    positions = _positions(raw, paragraph)
    if positions is None:  # only when NFC changed the length
        assert unicodedata.normalize("NFC", raw) != raw
        return
    assert positions == sorted(set(positions))
    for char, index in zip(paragraph.text, positions, strict=True):
        assert char == raw[index] or (char == " " and raw[index].isspace()) or (
            unicodedata.normalize("NFC", raw) != raw
        )
