"""Pathological texts: every pattern and every text function finishes on each of them.

Nothing here is timed as a measure (``benchmarks/bench_hostile.py`` does that): each case only
has to finish within a bound a hundred times what a linear scan needs, so a pattern that
backtracks (its length squared, or worse) fails the test instead of hanging the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pathological import (  # noqa: E402
    code_patterns,
    data_patterns,
    finishes_within,
    pathological_texts,
    text_functions,
)

pytestmark = pytest.mark.hostile

#: Characters per pattern input: a linear scan takes milliseconds; a quadratic one, minutes.
PATTERN_SIZE = 50_000
#: Characters per input of the text functions, for every pathological text.
FUNCTION_SIZE = 100_000



PATTERNS = {**data_patterns(), **code_patterns()}


def test_patterns_are_found_in_data_and_code() -> None:
    names = " ".join(PATTERNS)
    for expected in (
        "furniture.toml separator",
        "agency_signatures.csv EFE",
        "quote_attribution.toml subject",
        "corpusutils.text._TOKEN",
        "corpusutils.text._BOUNDARY",
    ):
        assert expected in names


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_pattern_finishes_on_every_pathological_text(name: str) -> None:
    apply = PATTERNS[name]
    for kind, text in pathological_texts(PATTERN_SIZE).items():
        with finishes_within(10, f"{name} on {kind}"):
            apply(text)


@pytest.mark.parametrize("function", sorted(text_functions()))
def test_text_functions_finish_on_the_issues_inputs(function: str) -> None:
    """A sentence of 1 MB without punctuation; 100,000 quote marks, straight and closing."""
    inputs = {
        "a 1 MB sentence without punctuation": "word " * 200_000,
        "100,000 straight quote marks": '"' * 100_000,
        "100,000 closing quote marks": "”" * 100_000,
    }
    for kind, text in inputs.items():
        with finishes_within(60, f"{function} on {kind}"):
            text_functions()[function](text)


@pytest.mark.parametrize("function", sorted(text_functions()))
def test_text_functions_finish_on_every_pathological_text(function: str) -> None:
    for kind, text in pathological_texts(FUNCTION_SIZE).items():
        with finishes_within(30, f"{function} on {kind}"):
            text_functions()[function](text)


def test_a_long_sentence_is_scored_in_windows_with_a_note() -> None:
    import pandas as pd

    from corpusutils.resources import vader_analyzer
    from corpusutils.sentiment import WINDOW_WORDS, sentence_sentiment

    half = WINDOW_WORDS // 2
    docs = pd.DataFrame(
        {"doc_id": ["a"], "agency": ["X"], "text": ["good " * WINDOW_WORDS + "bad " * half]}
    )
    (row,) = sentence_sentiment(docs).itertuples()
    assert row.windows == 2
    # Two windows, each scored by VADER itself; the sentence gets their mean weighted by words
    # (VADER on the whole sentence would give about +1: 1,000 x 1.9 outweighs 500 x -2.5).
    vader = vader_analyzer().polarity_scores
    first = vader(" ".join(["good"] * WINDOW_WORDS))["compound"]
    second = vader(" ".join(["bad"] * half))["compound"]
    expected = (WINDOW_WORDS * first + half * second) / (WINDOW_WORDS + half)
    assert row.compound == pytest.approx(expected, abs=1e-4)
    short = sentence_sentiment(docs.assign(text="It was good."))
    assert short["windows"].tolist() == [1]
    assert short["compound"].tolist() == [vader("It was good.")["compound"]]
