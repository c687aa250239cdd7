"""Texts built to make regular expressions backtrack, and every pattern corpusutils runs.

Shared by ``tests/test_hostile_text.py`` (each pattern and text function finishes) and
``benchmarks/bench_hostile.py`` (their time against the input size). The patterns are found,
not listed: every rule of ``corpusutils/data/`` that holds a pattern, every pattern built from
the data's word lists, and every compiled pattern at the top level of a corpusutils module, so
a pattern added later is checked too.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd

import corpusutils


def pathological_texts(size: int) -> dict[str, str]:
    """About ``size`` characters each, named by what they repeat.

    >>> {name: len(text) for name, text in pathological_texts(10).items()}["full stops"]
    16
    """

    def rep(unit: str, tail: str = "") -> str:
        return unit * max(1, size // len(unit)) + tail

    return {
        "sentence without punctuation": rep("word "),
        "straight quotes": rep('"'),
        "opening quotes": rep("“"),
        "closing quotes": rep("”"),
        "quoted words": rep("“Aa” "),
        "underscores then text": rep("_", " Source: EFE"),
        "spaced symbols then text": rep("_ ", "x"),
        "letter-dot pairs": rep("a.", "b"),
        "capital-dot pairs": rep("A.", "b"),
        "full stops": "Word " + rep(".", "x"),
        "full stops and quotes": rep('."', "x"),
        "spaces after a capital": "A" + rep(" ", "x"),
        "capitals": rep("A"),
        "capitalised words": rep("Aa ", "x"),
        "capitalised words and commas": rep("Aa, ", "x"),
        "capitalised words of": rep("Aa of ", "x"),
        "initials": rep("A. "),
        "opening brackets": rep("("),
        "dashes": rep("-", "x"),
        "digits": rep("1"),
        "digit groups": rep("1,", "x"),
        "newlines": rep("\n"),
        "blank lines with spaces": rep("\n \n"),
        "hyphenated words": rep("Aa-"),
        "apostrophes": rep("a’"),
        "ellipses": rep("… "),
        "lower-case words": rep("the "),
        "mojibake": rep("Ã©"),
        "by and names": "By " + rep("Aa and ", "x"),
    }


# How each place in the code applies a furniture rule (see furniture.toml's header).
_RULE_USE = {
    "anywhere": "fullmatch",
    "header": "fullmatch",
    "footer": "fullmatch",
    "start": "match",
    "end": "search",
}


def _apply(pattern: re.Pattern[str], how: str) -> Callable[[str], object]:
    if how == "finditer":
        return lambda text: sum(1 for _ in pattern.finditer(text))
    return getattr(pattern, how)


def data_patterns() -> dict[str, Callable[[str], object]]:
    """Every pattern read from ``corpusutils/data/`` or built from its word lists, applied the
    way the code applies it."""
    from corpusutils.clean.agency import load_agency_signatures
    from corpusutils.clean.structure import load_furniture_rules
    from corpusutils.quotes import _patterns

    found: dict[str, Callable[[str], object]] = {}
    for where, rules in load_furniture_rules().by_where.items():
        for rule in rules:
            how = _RULE_USE[where]
            found[f"furniture.toml {rule.name} ({how})"] = _apply(rule.pattern, how)
    for number, signature in enumerate(load_agency_signatures(), start=1):
        name = f"agency_signatures.csv {signature.agency} {number} (search)"
        found[name] = _apply(signature.pattern, "search")
    for name, pattern in _patterns().items():
        found[f"quote_attribution.toml {name} (finditer)"] = _apply(pattern, "finditer")
    return found


def code_patterns() -> dict[str, Callable[[str], object]]:
    """Every compiled pattern at the top level of a corpusutils module, run over the whole
    text (``finditer``: the most a caller can ask of it)."""
    found: dict[str, Callable[[str], object]] = {}
    for module_info in pkgutil.walk_packages(corpusutils.__path__, "corpusutils."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found[f"{module_info.name}.{name} (finditer)"] = _apply(value, "finditer")
    return found


def text_functions() -> dict[str, Callable[[str], object]]:
    """The text-level functions the analyses call on every article and sentence."""
    from corpusutils.clean import clean_text
    from corpusutils.quotes import quotes
    from corpusutils.sentiment import sentence_sentiment
    from corpusutils.text import split_sentences, tokens

    def as_docs(text: str) -> pd.DataFrame:
        return pd.DataFrame({"doc_id": ["a"], "agency": ["X"], "text": [text]})

    return {
        "tokens": tokens,
        "split_sentences": split_sentences,
        "quotes": lambda text: quotes(as_docs(text)),
        "sentence_sentiment": lambda text: sentence_sentiment(as_docs(text)),
        "clean_text": clean_text,
    }


@contextmanager
def finishes_within(seconds: int, what: str = "the block") -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def stop(signum, frame):
        raise TimeoutError(f"{what}: did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
