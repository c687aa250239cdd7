"""corpusutils: load, clean and compare how news agencies cover the same event."""

from corpusutils.parallel import map_texts
from corpusutils.resources import ensure_cmudict, vader_analyzer

__all__ = [
    "ensure_cmudict",
    "map_texts",
    "vader_analyzer",
]
