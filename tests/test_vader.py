"""corpusutils.vader: the same scores as vaderSentiment, on a large and varied corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from corpusutils import vader

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def reference() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    """30,000 sentences of benchmarks/vader_sentences.py: real news sentences from
    ../shared/peer (when present), the scale benchmark's synthetic corpus, and variants that
    put each VADER rule to work. benchmarks/bench_vader.py checks all 100,000."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from vader_sentences import vader_sentences
    finally:
        sys.path.remove(str(BENCHMARKS))
    return vader_sentences(30_000)


def test_every_score_equals_the_reference(corpus, reference) -> None:
    differ = [
        (kind, s) for kind, s in corpus if vader.polarity_scores(s) != reference.polarity_scores(s)
    ]
    kinds = {kind for kind, _ in corpus}
    assert "targeted" in kinds and "synthetic" in kinds
    assert not differ, differ[:5]


RULES = [
    "VADER is smart, handsome, and funny.",  # the reference's own examples
    "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "The book was good.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "no good, no no bad",
    "It was the least bad option; at least it was not the worst.",
    "Never so good, never this bad, without doubt great",
    "That was the bomb, yeah right, a kiss of death at the bus stop",
    "good good but good bad bad",  # the "but" rule rescales the first equal value
    "Is it good?? Is it?",
    "Terrible???? Awful!!!!!!",
    "",
    "   ",
    "😀😀",
    "© 2023 Reuters. All rights reserved.",
]


@pytest.mark.parametrize("text", RULES)
def test_each_rule_scores_as_the_reference(text, reference) -> None:
    assert vader.polarity_scores(text) == reference.polarity_scores(text)


def test_valences_sum_to_the_compound_without_punctuation_emphasis(reference) -> None:
    import math

    text = "The plot was good, but the characters are not great."
    words, valences = vader.valences(text)
    assert words[:4] == ["The", "plot", "was", "good"]
    total = sum(valences)
    assert round(total / math.sqrt(total * total + 15), 4) == reference.polarity_scores(text)[
        "compound"
    ]


def test_lexicon_is_the_reference_lexicon(reference) -> None:
    assert vader.lexicon() == reference.lexicon
