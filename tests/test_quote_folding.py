"""Apostrophe and quote style never makes a word of its own in a count (issue 13, item 5)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from corpusutils.text import fold_quotes, fold_token, tokens
from corpusutils.wording import distinctive_terms, keyness

# Written here, not taken from the code under test: every mark a house style may use for an
# apostrophe or a quotation mark, and the straight one a reader would count it as.
_STYLE = {"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'", "′": "'"}


def _style_free(term: str) -> str:
    return "".join(_STYLE.get(ch, ch) for ch in term.lower())


def _terms(docs: pd.DataFrame) -> list[set[str]]:
    frames = [distinctive_terms(docs, min_count=1)]
    frames += [keyness(docs, agency, min_count=1) for agency in sorted(set(docs["agency"]))]
    return [set(frame["term"]) for frame in frames]


def test_no_seed_term_differs_only_by_quote_style(seed_docs):
    for terms in _terms(seed_docs):
        seen: dict[str, str] = {}
        for term in sorted(terms):
            other = seen.setdefault(_style_free(term), term)
            assert other == term, f"{other!r} and {term!r} are counted apart"


def test_russias_is_one_word_whoever_writes_it(seed_docs):
    # Read in the seeds: AP writes "Russia’s" (typographic), Reuters "Russia's" (straight).
    texts = dict(zip(seed_docs["agency"], seed_docs["text"], strict=False))
    assert "Russia’s" in texts["AP"] and "Russia's" in texts["Reuters"]
    written = {
        agency: len(re.findall(r"\bRussia['’]s\b", " ".join(group["text"])))
        for agency, group in seed_docs.groupby("agency")
    }
    table = keyness(seed_docs, "AP", min_count=1).set_index("term")
    assert "russia’s" not in table.index
    assert table.loc["russia's", "count"] == written["AP"]
    assert table.loc["russia's", "count_rest"] == sum(written.values()) - written["AP"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia’s", ["Russia’s"]),
        ("Russia‘s and Russia´s", ["Russia‘s", "and", "Russia´s"]),
        ("“war”", ["war"]),
    ],
)
def test_tokens_keep_what_was_written(text, expected):
    assert tokens(text) == expected


def test_folding_keeps_offsets_and_acronyms():
    text = "“Russia’s” ‘US’ ´ and «war»"
    assert len(fold_quotes(text)) == len(text)
    assert fold_quotes(text) == "\"Russia's\" 'US' ' and \"war\""
    assert [fold_token(t) for t in tokens(text)] == ["russia's", "US", "and", "war"]


def test_folding_writes_every_mark_straight_wherever_it_stands():
    # Six apostrophe-like marks, then seven double quotation marks, each between letters.
    text = "a’b‘cʼd´e`f′g “h”i„j‟k″l«m»n ’’"
    assert fold_quotes(text) == "a'b'c'd'e'f'g \"h\"i\"j\"k\"l\"m\"n ''"
    assert fold_quotes("no marks at all") == "no marks at all"
