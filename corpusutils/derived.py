"""The tables several analyses start from, computed once and handed on.

Sentences, the VADER scores of every sentence, the readability of every article and the
stories the articles belong to are each needed by several notebooks (and several cells).
:func:`load_tables` gives them for one corpus, each computed at most once: the report builder
computes them once per build and writes them beside the cleaned corpus it hands to the
notebooks (:func:`save_tables`, one Parquet file each); a notebook then reads them back instead
of computing them again. Run interactively on any corpus (a folder, a table, with no builder
around), the same call computes each table the first time it is asked for.

The analysis functions take what was already computed: ``sentence_sentiment(docs,
sentences=...)``, ``sentiment(docs, scored=...)``, ``actor_sentiment(docs, scored=...)``,
``sentiment_drivers(docs, sentences=...)``, ``readability_by(docs, scores=...)``; the
within-story comparisons take the docs with their stories (:attr:`Tables.stories`).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import pandas as pd

__all__ = ["TABLES", "Tables", "load_tables", "save_tables"]

#: The tables handed on, in the order they are computed.
TABLES = ("sentences", "sentence_sentiment", "readability", "stories", "actor_mentions")

#: The columns :attr:`Tables.stories` adds to the docs: all that is saved of it.
STORY_COLUMNS = ("story", "story_label", "story_reason")

#: Parquet metadata key recording the grouping column and the docs a table was computed from.
_META_KEY = b"corpusutils.derived"
#: Parquet metadata key keeping a table's text attrs (e.g. where the stories came from).
_ATTRS_KEY = b"corpusutils.attrs"


def _table_path(corpus_file: Path, name: str) -> Path:
    return corpus_file.with_name(f"{corpus_file.stem}.{name}.parquet")


def _stamp(docs: pd.DataFrame, by: str, story: str) -> str:
    """The grouping and story columns and a digest of every doc_id and text: what a table
    depends on."""
    digest = hashlib.sha256()
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        digest.update(f"{doc_id}\x00{text}\x00".encode("utf-8", "surrogatepass"))
    return json.dumps({"by": by, "story": story, "docs": digest.hexdigest()})


def _saved_form(tables: Tables, name: str) -> pd.DataFrame:
    """What is written of a table: the stories as doc_id and the story columns only (the docs
    themselves are the cleaned corpus, saved beside)."""
    table = getattr(tables, name)
    if name == "stories":
        kept = table[["doc_id", *STORY_COLUMNS]]
        kept.attrs = dict(table.attrs)
        return kept
    return table


def save_tables(tables: Tables, corpus_file: str | Path) -> list[Path]:
    """Write every table of :data:`TABLES` beside ``corpus_file`` as ``<stem>.<table>.parquet``
    (computing those not computed yet); return the paths.

    Each file records the grouping and a digest of the docs, so that :class:`Tables` never
    takes it for another grouping or another corpus.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    corpus_file = Path(corpus_file)
    written = []
    for name in TABLES:
        stamp = tables._stamp_of(name)
        table = _saved_form(tables, name)
        attrs = {k: v for k, v in table.attrs.items() if isinstance(v, str)}
        table = table.copy(deep=False)
        table.attrs = {}  # kept as text below; pandas would try (and warn) on the rest
        arrow = pa.Table.from_pandas(table, preserve_index=False)
        arrow = arrow.replace_schema_metadata(
            {**arrow.schema.metadata, _META_KEY: stamp, _ATTRS_KEY: json.dumps(attrs)}
        )
        path = _table_path(corpus_file, name)
        pq.write_table(arrow, path)
        written.append(path)
    return written


def _read_table(corpus_file: Path, name: str, stamp: str) -> pd.DataFrame | None:
    """The table saved beside ``corpus_file``, if there is one with this stamp."""
    path = _table_path(corpus_file, name)
    if not path.is_file():
        return None
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(path)
    except (OSError, ValueError):
        return None
    metadata = arrow.schema.metadata or {}
    if metadata.get(_META_KEY, b"").decode() != stamp:
        return None
    table = arrow.to_pandas()
    table.attrs.update(json.loads(metadata.get(_ATTRS_KEY, b"{}")))
    return table


class Tables:
    """A corpus and the tables derived from it (:data:`TABLES`), each computed at most once.

    ``docs`` is the cleaned corpus; ``by`` the grouping column; ``story`` the column naming
    each article's story, or "auto" to find the stories; ``actors`` the actor list of
    :attr:`actor_mentions` (a table, or a CSV file for :func:`corpusutils.load_actors`; None:
    the corpus's most frequent names, :func:`corpusutils.frequent_names`). ``saved_beside``:
    the cleaned corpus file the report builder wrote, beside which it saved the tables; a
    saved table is read from there when it was computed for this grouping, these stories,
    these documents (and this actor list), else computed here on first use.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["The cat sat on the mat. It rained."]})
    >>> tables = Tables(docs)
    >>> tables.sentence_sentiment is tables.sentence_sentiment  # computed once
    True
    """

    def __init__(
        self,
        docs: pd.DataFrame,
        *,
        by: str = "agency",
        story: str = "auto",
        actors: pd.DataFrame | str | Path | None = None,
        saved_beside: str | Path | None = None,
    ) -> None:
        self.docs = docs
        self.by = by
        self.story = story
        self._actors = actors
        self.saved_beside = Path(saved_beside) if saved_beside is not None else None

    def _saved(self, name: str) -> pd.DataFrame | None:
        if self.saved_beside is None:
            return None
        return _read_table(self.saved_beside, name, self._stamp_of(name))

    def _stamp_of(self, name: str) -> str:
        """What table ``name`` depends on: the docs, grouping and stories, and the actors."""
        if name != "actor_mentions":
            return self._stamp
        digest = hashlib.sha256()
        for actor, term in zip(self.actors["actor"], self.actors["term"], strict=True):
            digest.update(f"{actor}\x00{term}\x00".encode("utf-8", "surrogatepass"))
        return json.dumps({"tables": self._stamp, "actors": digest.hexdigest()})

    @functools.cached_property
    def _stamp(self) -> str:
        return _stamp(self.docs, self.by, self.story)

    @functools.cached_property
    def sentences(self) -> pd.DataFrame:
        """:func:`corpusutils.sentences` of the docs."""
        from corpusutils.text import sentences

        saved = self._saved("sentences")
        return saved if saved is not None else sentences(self.docs, by=self.by)

    @functools.cached_property
    def sentence_sentiment(self) -> pd.DataFrame:
        """:func:`corpusutils.sentence_sentiment` of the docs (from :attr:`sentences`)."""
        from corpusutils.sentiment import sentence_sentiment

        saved = self._saved("sentence_sentiment")
        if saved is not None:
            return saved
        return sentence_sentiment(self.docs, by=self.by, sentences=self.sentences)

    @functools.cached_property
    def readability(self) -> pd.DataFrame:
        """:func:`corpusutils.readability` of the docs."""
        from corpusutils.readability import readability

        saved = self._saved("readability")
        return saved if saved is not None else readability(self.docs, by=self.by)

    @functools.cached_property
    def actors(self) -> pd.DataFrame:
        """The actor list (columns actor, term, kind, comment): as given, else the corpus's
        most frequent names."""
        if isinstance(self._actors, pd.DataFrame):
            return self._actors
        if self._actors is not None:
            from corpusutils.sentiment import load_actors

            return load_actors(self._actors)
        from corpusutils.names import frequent_names

        return frequent_names(self.docs)

    @functools.cached_property
    def actor_mentions(self) -> pd.DataFrame:
        """:func:`corpusutils.actor_mentions` of :attr:`actors`, from
        :attr:`sentence_sentiment`: every sentence naming an actor, with the sentiment toward
        it."""
        from corpusutils.sentiment import actor_mentions

        saved = self._saved("actor_mentions")
        if saved is not None:
            return saved
        return actor_mentions(
            self.docs, by=self.by, actors=self.actors, scored=self.sentence_sentiment
        )

    @functools.cached_property
    def stories(self) -> pd.DataFrame:
        """:func:`corpusutils.find_stories` of the docs: the docs with the columns
        :data:`STORY_COLUMNS`, from the column ``story`` or found ("auto")."""
        from corpusutils.stories import find_stories

        saved = self._saved("stories")
        if saved is None:  # a saved table's stamp already fixes its doc_ids and their order
            column = None if self.story == "auto" else self.story
            return find_stories(self.docs, column=column, by=self.by)
        out = self.docs.drop(columns=[c for c in STORY_COLUMNS if c in self.docs.columns])
        for name in STORY_COLUMNS:
            out[name] = saved[name].to_numpy(dtype=object)
        out.attrs.update(saved.attrs)
        return out


def load_tables(
    corpus: str | Path,
    *,
    by: str = "agency",
    story: str = "auto",
    actors: pd.DataFrame | str | Path | None = None,
) -> Tables:
    """Load and clean ``corpus`` (as :func:`corpusutils.load_corpus`), and the tables derived
    from it (``story``: the story column, or "auto" to find the stories; ``actors``: the actor
    list, see :class:`Tables`): read from beside it when the report builder saved them, else
    computed on first use.

    >>> tables = load_tables("seeds")
    >>> len(tables.docs), tables.by
    (5, 'agency')
    """
    from corpusutils.load import load_corpus

    docs = load_corpus(corpus)
    path = Path(corpus)
    saved_beside = path if path.is_file() else None
    return Tables(docs, by=by, story=story, actors=actors, saved_beside=saved_beside)
