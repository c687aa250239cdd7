"""Which groups a report may state a finding about.

A group with a handful of sentences has the most extreme mean by chance alone, so the reports
show every group but state findings ("the lowest score is X's") only about groups with at
least ``min_articles`` articles and ``min_sentences`` sentences. A finding that picks a lowest
and a highest group needs two such groups that differ; otherwise none is written, so a corpus
of one group never reads "AP writes the hardest text (13.2), AP the easiest (13.2)".
"""

from __future__ import annotations

import pandas as pd

from corpusutils.text import sentences

__all__ = ["comparable", "extremes", "group_sizes", "no_comparison"]


def group_sizes(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    min_articles: int = 1,
    min_sentences: int = 10,
    units: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per group, largest first: <by>, articles, sentences, comparable.

    ``comparable`` is True when the group has at least ``min_articles`` articles and
    ``min_sentences`` sentences (of :func:`corpusutils.sentences`; pass them as ``units``
    when already split). The thresholds are kept in ``attrs``.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "agency": ["AP", "AP", "EFE"],
    ...                      "text": ["One. Two. Three.", "Four.", "Five."]})
    >>> group_sizes(docs, min_articles=1, min_sentences=2).to_dict("records")
    [{'agency': 'AP', 'articles': 2, 'sentences': 4, 'comparable': True}, \
{'agency': 'EFE', 'articles': 1, 'sentences': 1, 'comparable': False}]
    """
    if by not in docs.columns:
        raise ValueError(f"docs has no column {by!r}")
    units = sentences(docs, by=by) if units is None else units
    articles = docs.groupby(by, dropna=False).size()
    counted = units.groupby(by, dropna=False).size().reindex(articles.index, fill_value=0)
    out = pd.DataFrame(
        {by: articles.index, "articles": articles.to_numpy(), "sentences": counted.to_numpy()}
    )
    out["comparable"] = (out["articles"] >= min_articles) & (out["sentences"] >= min_sentences)
    out = out.sort_values(["articles", "sentences", by], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)
    out = out.astype({"articles": "int64", "sentences": "int64"})
    out.attrs.update(min_articles=min_articles, min_sentences=min_sentences, by=by)
    return out


def comparable(sizes: pd.DataFrame) -> list:
    """The groups of :func:`group_sizes` a finding may be stated about.

    >>> sizes = pd.DataFrame({"agency": ["AP", "EFE"], "comparable": [True, False]})
    >>> comparable(sizes)
    ['AP']
    """
    by = sizes.columns[0]
    return sizes.loc[sizes["comparable"], by].tolist()


def extremes(values: pd.Series, sizes: pd.DataFrame) -> tuple[object, object] | None:
    """The (lowest, highest) comparable group by ``values`` (indexed by group), or None when
    fewer than two comparable groups have a value or they are all equal: no finding then.

    >>> sizes = pd.DataFrame({"agency": ["AP", "EFE", "AFP"], "comparable": [True, True, False]})
    >>> extremes(pd.Series({"AP": 0.2, "EFE": -0.1, "AFP": -0.9}), sizes)
    ('EFE', 'AP')
    >>> extremes(pd.Series({"AP": 0.2, "AFP": -0.9}), sizes) is None
    True
    """
    kept = values[values.index.isin(comparable(sizes))].dropna()
    if len(kept) < 2 or kept.min() == kept.max():
        return None
    return kept.idxmin(), kept.idxmax()


def no_comparison(sizes: pd.DataFrame) -> str:
    """Why no finding is stated: the groups too small, or too few groups to compare.

    >>> sizes = pd.DataFrame({"agency": ["AP"], "articles": [1], "sentences": [4],
    ...                       "comparable": [False]})
    >>> sizes.attrs.update(min_articles=1, min_sentences=10)
    >>> no_comparison(sizes)
    'No finding is stated: fewer than two groups have at least 1 article(s) and 10 sentences \
(too small to compare: AP).'
    """
    by = sizes.columns[0]
    small = sizes.loc[~sizes["comparable"], by].astype(str).tolist()
    listed = ", ".join(small[:10]) + (f" and {len(small) - 10} more" if len(small) > 10 else "")
    return (
        f"No finding is stated: fewer than two groups have at least "
        f"{sizes.attrs.get('min_articles', 1)} article(s) and "
        f"{sizes.attrs.get('min_sentences', 0)} sentences"
        + (f" (too small to compare: {listed})." if small else ", or their values are equal.")
    )
