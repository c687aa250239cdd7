"""corpusutils: load, clean and compare how news agencies cover the same event."""

from corpusutils.parallel import map_texts
from corpusutils.readability import doc_readability, mtld, readability_by
from corpusutils.resources import ensure_cmudict, vader_analyzer
from corpusutils.sentiment import (
    actor_mentions,
    actor_sentiment,
    load_actors,
    sentence_sentiment,
    sentiment_by,
    sentiment_drivers,
)
from corpusutils.text import sentences, split_sentences, token_spans, tokens

__all__ = [
    "actor_mentions",
    "actor_sentiment",
    "doc_readability",
    "ensure_cmudict",
    "load_actors",
    "map_texts",
    "mtld",
    "readability_by",
    "sentence_sentiment",
    "sentences",
    "sentiment_by",
    "sentiment_drivers",
    "split_sentences",
    "token_spans",
    "tokens",
    "vader_analyzer",
]
