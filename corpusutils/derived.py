"""The tables several analyses start from, computed once and handed on.

Sentences, the VADER scores of every sentence and the readability of every article are each
needed by several notebooks (and several cells). :func:`load_tables` gives them for one
corpus, each computed at most once: the report builder computes them once per build
and writes them beside the cleaned corpus it hands to the notebooks (:func:`save_tables`,
one Parquet file each); a notebook then reads them back instead of
computing them again. Run interactively on any corpus (a folder, a table, with no builder
around), the same call computes each table the first time it is asked for.

The analysis functions take what was already computed: ``sentence_sentiment(docs,
sentences=...)``, ``sentiment(docs, scored=...)``, ``actor_sentiment(docs, scored=...)``,
``sentiment_drivers(docs, sentences=...)``, ``readability_by(docs, scores=...)``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import pandas as pd

__all__ = ["TABLES", "Tables", "load_tables", "save_tables"]

#: The tables handed on, in the order they are computed.
TABLES = ("sentences", "sentence_sentiment", "readability")

#: Parquet metadata key recording the grouping column and the docs a table was computed from.
_META_KEY = b"corpusutils.derived"


def _table_path(corpus_file: Path, name: str) -> Path:
    return corpus_file.with_name(f"{corpus_file.stem}.{name}.parquet")


def _stamp(docs: pd.DataFrame, by: str) -> str:
    """The grouping column and a digest of every doc_id and text: what a table depends on."""
    digest = hashlib.sha256()
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        digest.update(f"{doc_id}\x00{text}\x00".encode("utf-8", "surrogatepass"))
    return json.dumps({"by": by, "docs": digest.hexdigest()})


def save_tables(tables: Tables, corpus_file: str | Path) -> list[Path]:
    """Write every table of :data:`TABLES` beside ``corpus_file`` as ``<stem>.<table>.parquet``
    (computing those not computed yet); return the paths.

    Each file records the grouping and a digest of the docs, so that :class:`Tables` never
    takes it for another grouping or another corpus.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    corpus_file = Path(corpus_file)
    stamp = _stamp(tables.docs, tables.by)
    written = []
    for name in TABLES:
        arrow = pa.Table.from_pandas(getattr(tables, name), preserve_index=False)
        arrow = arrow.replace_schema_metadata({**arrow.schema.metadata, _META_KEY: stamp})
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
    if (arrow.schema.metadata or {}).get(_META_KEY, b"").decode() != stamp:
        return None
    return arrow.to_pandas()


class Tables:
    """A corpus and the tables derived from it (:data:`TABLES`), each computed at most once.

    ``docs`` is the cleaned corpus; ``by`` the grouping column. ``saved_beside``: the cleaned
    corpus file the report builder wrote, beside which it saved the tables; a saved table is
    read from there when it was computed for this grouping and these documents, else
    computed here on first use.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"],
    ...                      "text": ["The cat sat on the mat. It rained."]})
    >>> tables = Tables(docs)
    >>> tables.sentence_sentiment is tables.sentence_sentiment  # computed once
    True
    """

    def __init__(
        self, docs: pd.DataFrame, *, by: str = "agency", saved_beside: str | Path | None = None
    ) -> None:
        self.docs = docs
        self.by = by
        self.saved_beside = Path(saved_beside) if saved_beside is not None else None

    def _saved(self, name: str) -> pd.DataFrame | None:
        if self.saved_beside is None:
            return None
        return _read_table(self.saved_beside, name, self._stamp)

    @functools.cached_property
    def _stamp(self) -> str:
        return _stamp(self.docs, self.by)

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


def load_tables(corpus: str | Path, *, by: str = "agency") -> Tables:
    """Load and clean ``corpus`` (as :func:`corpusutils.load_corpus`), and the tables derived
    from it: read from beside it when the report builder saved them, else computed on first
    use.

    >>> tables = load_tables("seeds")
    >>> len(tables.docs), tables.by
    (5, 'agency')
    """
    from corpusutils.load import load_corpus

    docs = load_corpus(corpus)
    path = Path(corpus)
    return Tables(docs, by=by, saved_beside=path if path.is_file() else None)
