"""corpusutils: load, clean and compare how news agencies cover the same event.

Every public name below is importable from the package (``from corpusutils import sentiment``),
but its module, and the heavy libraries behind it (pandas, textstat, NLTK, vaderSentiment),
are imported only when the name is first used, so ``import corpusutils`` is quick. Importing
the package also registers the offline CMU dictionary for NLTK and textstat
(:func:`corpusutils.resources.register_cmudict`).
"""

from __future__ import annotations

import importlib
import sys
import types

from corpusutils.resources import register_cmudict

#: Where each public name lives.
_HOMES = {
    "corpusutils.clean": ("clean_corpus", "clean_text"),
    "corpusutils.clean.mojibake": ("explain_mojibake", "fix_mojibake"),
    "corpusutils.derived": ("Tables", "load_tables"),
    "corpusutils.duplicates": ("flag_duplicates", "keep_one_per_cluster"),
    "corpusutils.exports": ("load_exports",),
    "corpusutils.framing": (
        "frame_evidence",
        "frame_matches",
        "frames",
        "load_frame_lexicon",
        "load_term_sets",
        "term_choice",
    ),
    "corpusutils.language": ("detect_language",),
    "corpusutils.load": (
        "CorpusError",
        "CorpusWarning",
        "decode_bytes",
        "load_corpus",
        "recognise_agency",
        "save_corpus",
    ),
    "corpusutils.names": ("canonicalize_names", "frequent_names", "name_key", "name_variants"),
    "corpusutils.pairs": ("candidate_pairs",),
    "corpusutils.parallel": ("map_texts",),
    "corpusutils.quotes": ("align_quotes", "quotes"),
    "corpusutils.readability": ("mtld", "readability", "readability_by"),
    "corpusutils.resources": ("ensure_cmudict", "vader_analyzer"),
    "corpusutils.sentiment": (
        "actor_mentions",
        "actor_sentiment",
        "load_actors",
        "sentence_sentiment",
        "sentiment",
        "sentiment_drivers",
    ),
    "corpusutils.stories": (
        "compare_within_stories",
        "find_stories",
        "keyness_within_stories",
        "keyness_within_stories_finding",
        "story_articles",
        "story_overview",
        "story_overview_finding",
        "within_stories_finding",
    ),
    "corpusutils.targeted": ("load_vader_news_corrections", "news_valences", "target_sentiment"),
    "corpusutils.text": ("sentences", "split_sentences", "token_spans", "tokens"),
    "corpusutils.wording": (
        "distinctive_terms",
        "keyness",
        "kwic",
        "reuse",
        "shared_passages",
        "term_counts",
    ),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)

def __getattr__(name: str) -> object:
    """Import a public name's module on first use (and submodules such as ``plots``)."""
    module = _MODULE_OF.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # later lookups skip this function
        return value
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package module; a public function keeps its name when its same-named module loads.

    ``readability``, ``sentiment`` and ``quotes`` are functions and modules at once. Importing
    a submodule binds its name on the package; here the function is bound instead, as the
    package always had it (``corpusutils.readability`` is the function).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _MODULE_OF.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
register_cmudict()
