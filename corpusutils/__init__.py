"""corpusutils: load, clean and compare how news agencies cover the same event."""

from corpusutils.clean import clean_corpus, clean_text
from corpusutils.clean.mojibake import explain_mojibake, fix_mojibake
from corpusutils.framing import (
    frame_evidence,
    frame_matches,
    frames,
    load_frame_lexicon,
    load_term_sets,
    term_choice,
)
from corpusutils.language import detect_language
from corpusutils.load import (
    CorpusError,
    CorpusWarning,
    decode_bytes,
    load_corpus,
    recognise_agency,
    save_corpus,
)
from corpusutils.names import canonicalize_names, name_key, name_variants
from corpusutils.pairs import candidate_pairs
from corpusutils.parallel import map_texts
from corpusutils.quotes import align_quotes, quotes
from corpusutils.readability import mtld, readability, readability_by
from corpusutils.resources import ensure_cmudict, vader_analyzer
from corpusutils.sentiment import (
    actor_mentions,
    actor_sentiment,
    load_actors,
    sentence_sentiment,
    sentiment,
    sentiment_drivers,
)
from corpusutils.stories import find_stories, story_overview
from corpusutils.text import sentences, split_sentences, token_spans, tokens
from corpusutils.wording import distinctive_terms, keyness, kwic, reuse, shared_passages

__all__ = [
    "CorpusError",
    "CorpusWarning",
    "clean_corpus",
    "clean_text",
    "decode_bytes",
    "detect_language",
    "explain_mojibake",
    "fix_mojibake",
    "load_corpus",
    "recognise_agency",
    "save_corpus",
    "actor_mentions",
    "actor_sentiment",
    "align_quotes",
    "canonicalize_names",
    "distinctive_terms",
    "readability",
    "ensure_cmudict",
    "keyness",
    "kwic",
    "load_actors",
    "map_texts",
    "mtld",
    "name_key",
    "name_variants",
    "quotes",
    "readability_by",
    "reuse",
    "sentence_sentiment",
    "sentences",
    "sentiment",
    "sentiment_drivers",
    "shared_passages",
    "split_sentences",
    "token_spans",
    "tokens",
    "vader_analyzer",
    "frame_evidence",
    "frame_matches",
    "frames",
    "load_frame_lexicon",
    "load_term_sets",
    "term_choice",
    "candidate_pairs",
    "find_stories",
    "story_overview",
]
