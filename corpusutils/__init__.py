"""corpusutils: load, clean and compare how news agencies cover the same event."""

from corpusutils.parallel import map_texts
from corpusutils.resources import ensure_cmudict, vader_analyzer
from corpusutils.text import sentences, split_sentences, token_spans, tokens

__all__ = [
    "ensure_cmudict",
    "map_texts",
    "sentences",
    "split_sentences",
    "token_spans",
    "tokens",
    "vader_analyzer",
]
