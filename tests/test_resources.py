"""Offline by construction: the network is blocked and the data still comes from packages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from corpusutils.resources import ensure_cmudict, nltk_data_dir, vader_analyzer


def test_network_is_blocked_here() -> None:
    with pytest.raises(OSError, match="network access is blocked"):
        socket.create_connection(("pypi.org", 443), timeout=2)


def test_network_is_blocked_in_child_processes() -> None:
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('93.184.216.34', 80), timeout=2)\n"
        "except OSError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "network access is blocked" in out.stdout


def test_cmudict_written_in_nltk_format_into_a_fresh_folder() -> None:
    import nltk

    root = ensure_cmudict()
    assert root == nltk_data_dir()
    assert str(root) in nltk.data.path
    lines = (root / "corpora" / "cmudict" / "cmudict").read_text(encoding="utf-8").splitlines()
    # NLTK's reader expects "WORD N PHONES"; the entry for "a" has two pronunciations.
    assert "A 1 AH0" in lines and "A 2 EY1" in lines
    assert nltk.corpus.cmudict.dict()["kazakhstan"]


def test_textstat_flesch_reading_ease_matches_its_published_tests() -> None:
    """Expected values from textstat's own test suite (tests/backend/metrics/
    test_flesch_reading_ease.py): SHORT_TEXT -> 83.32 and EASY_TEXT -> 78.918 (textstat
    0.7.13; earlier releases gave 81.482 for EASY_TEXT)."""
    import textstat

    ensure_cmudict()
    assert round(textstat.flesch_reading_ease("Cool dogs wear da sunglasses."), 3) == 83.32
    easy = (
        "Anna and her family love doing puzzles. Anna is best at little puzzles. Anna and her "
        "brother work on medium size puzzles together. Anna's Brother likes puzzles with cars "
        "in them. When the whole family does a puzzle, they do really big puzzles. It can take "
        "them a week to finish a really big puzzle. Last year they did a puzzle with 500 "
        "pieces! Anna tries to finish one small puzzle a day by her. Her puzzles have about 50 "
        "pieces. They all glue their favorite puzzles together and frame them. The puzzles "
        "look so nice on the wall."
    )
    assert round(textstat.flesch_reading_ease(easy), 3) == 78.918


def test_textstat_never_downloads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import nltk
    import textstat

    def refuse(*args, **kwargs):
        raise AssertionError("nltk.download was called")

    monkeypatch.setattr(nltk, "download", refuse)
    ensure_cmudict()
    assert textstat.syllable_count("Kazakhstan") == 3


def test_vader_reference_scores() -> None:
    """The vaderSentiment README gives compound 0.8316 for this sentence."""
    scores = vader_analyzer().polarity_scores("VADER is smart, handsome, and funny.")
    assert scores == {"neg": 0.0, "neu": 0.254, "pos": 0.746, "compound": 0.8316}


def test_fast_cmudict_equals_nltks_own_reader_of_the_written_file() -> None:
    """Every entry as NLTK's CMUDictCorpusReader reads the NLTK-format file."""
    from nltk.corpus.reader.cmudict import CMUDictCorpusReader

    from corpusutils.resources import cmu_dictionary

    root = ensure_cmudict()
    reference = CMUDictCorpusReader(str(root / "corpora" / "cmudict"), ["cmudict"]).dict()
    fast = cmu_dictionary()
    assert len(fast) == len(reference) > 100_000
    assert dict(fast.items()) == reference
    assert "notaword" not in fast


def test_textstat_called_directly_after_import_works_offline(tmp_path: Path) -> None:
    """`import corpusutils, textstat` in a fresh process, with downloads refused: textstat's
    syllable counts come from the CMU dictionary (3 for "Kazakhstan", where Pyphen's
    hyphenation would give another count), through corpusutils' reader."""
    code = (
        "import nltk\n"
        "def refuse(*a, **k):\n"
        "    raise SystemExit('nltk.download was called')\n"
        "nltk.download = refuse\n"
        "import corpusutils, textstat\n"
        "print(textstat.syllable_count('Kazakhstan'), round(textstat.flesch_reading_ease("
        "'Cool dogs wear da sunglasses.'), 2))\n"
        "print(type(nltk.corpus.cmudict).__name__)\n"
    )
    for order in (code, code.replace("import nltk\n", "import corpusutils, nltk\n", 1)):
        env = {**os.environ, "CORPUSUTILS_DATA_DIR": str(tmp_path / order[:6])}
        out = subprocess.run(
            [sys.executable, "-c", order], capture_output=True, text=True, env=env, check=True
        )
        assert out.stdout.split() == ["3", "83.32", "FastCMUDictCorpusReader"], out.stderr


def test_textstat_imported_before_corpusutils_is_registered_too(tmp_path: Path) -> None:
    code = (
        "import textstat, corpusutils\n"
        "import nltk\n"
        "print(type(nltk.corpus.cmudict).__name__, textstat.syllable_count('Kazakhstan'))\n"
    )
    env = {**os.environ, "CORPUSUTILS_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split() == ["FastCMUDictCorpusReader", "3"], out.stderr
