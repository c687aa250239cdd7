"""Sentences that say why a report, or a section of one, has nothing to show.

A corpus can load and still leave an analysis without input: every article was furniture and
no text is left after cleaning, no article is in a language the measures are made for, a
group label is missing, one group only. The report builder (:mod:`corpusutils.report`) asks
these functions before it runs the notebooks: it stops at once when no report could show
anything, labels missing groups, puts the notes of :func:`corpus_notes` at the top of each
report, and shows the sentence of :func:`section_reason` where a section would have been.

A notebook says what it needs in its metadata: ``{"corpusutils": {"needs": "english",
"measures": "textstat's readability formulas"}}`` for the whole notebook, or the cell tag
``needs-english`` on single cells (their measures are named in the notebook metadata too).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from corpusutils.language import left_out_note, no_article_in, split_by_language

__all__ = [
    "MISSING_GROUP",
    "corpus_notes",
    "label_missing_groups",
    "no_text_left",
    "section_reason",
]

#: The label given to articles whose grouping column is empty.
MISSING_GROUP = "(missing)"


def _is_missing(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or bool(pd.isna(value))


def _label(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label_missing_groups(docs: pd.DataFrame, by: str) -> pd.DataFrame:
    """``docs`` with every missing or blank ``by`` label replaced by ``"(missing)"``.

    A column with missing labels becomes text ("2023", not "2023.0"); a column without any
    is returned as it is.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "agency": ["AP", None, "  "]})
    >>> label_missing_groups(docs, "agency")["agency"].tolist()
    ['AP', '(missing)', '(missing)']
    >>> years = pd.DataFrame({"doc_id": ["a", "b"], "year": [2023.0, None]})
    >>> label_missing_groups(years, "year")["year"].tolist()
    ['2023', '(missing)']
    """
    missing = docs[by].map(_is_missing)
    if not missing.any():
        return docs
    out = docs.copy()
    labels = [
        MISSING_GROUP if gone else _label(v) for v, gone in zip(docs[by], missing, strict=True)
    ]
    out[by] = pd.Series(labels, index=docs.index, dtype=object)
    return out


def no_text_left(docs: pd.DataFrame) -> str | None:
    """Why no report can show anything: no article has text left after cleaning; else None.

    >>> print(no_text_left(pd.DataFrame({"doc_id": ["a", "b"], "text": ["", " "]})))
    No article has any text left after cleaning (2 articles: a, b): everything in them was \
furniture, a headline or other metadata, so there is nothing to analyse. To see what cleaning \
took out: corpusutils clean CORPUS --out cleaned.csv
    """
    if docs["text"].map(lambda t: isinstance(t, str) and bool(t.strip())).any():
        return None
    ids = docs["doc_id"].astype(str).tolist()
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return (
        f"No article has any text left after cleaning ({len(ids)} articles: {shown}): "
        "everything in them was furniture, a headline or other metadata, so there is nothing "
        "to analyse. To see what cleaning took out: corpusutils clean CORPUS --out cleaned.csv"
    )


def section_reason(docs: pd.DataFrame, needs: Mapping[str, str]) -> str | None:
    """Why a section with these ``needs`` (a notebook's metadata) has nothing to show, or None.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["قال الوزير"], "language": ["ar"]})
    >>> section_reason(docs, {"needs": "english", "measures": "VADER"}).split(" (")[0]
    'Nothing to show here: no article is in English'
    >>> section_reason(docs, {}) is None
    True
    """
    need = needs.get("needs")
    if need is None:
        return None
    if need != "english":
        raise ValueError(f"unknown need {need!r} in the notebook metadata; known: 'english'")
    return no_article_in(docs, needs.get("measures", "this section"))


def corpus_notes(
    docs: pd.DataFrame, by: str, needs: Mapping[str, str] | None = None
) -> list[str]:
    """Notes a report shows before its analysis: missing group labels, one group only, and
    (when ``needs`` asks for English) the articles its measures leave out.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["(missing)", "AP"],
    ...                      "text": ["They said so.", "قال الوزير"], "language": ["en", "ar"]})
    >>> for note in corpus_notes(docs, "agency", {"needs": "english", "measures": "VADER"}):
    ...     print(note)
    1 article has no agency: it is counted as the group "(missing)".
    1 article is left out of VADER, which can measure English only: 1 in Arabic (b).
    """
    notes = []
    missing = int((docs[by].astype(str) == MISSING_GROUP).sum())
    if missing:
        subject = "1 article has" if missing == 1 else f"{missing} articles have"
        pronoun = "it is" if missing == 1 else "they are"
        notes.append(f'{subject} no {by}: {pronoun} counted as the group "{MISSING_GROUP}".')
    if by != "doc_id" and docs[by].nunique() == 1 and len(docs) > 1:
        notes.append(
            f"All articles are in one {by} group ({docs[by].iloc[0]}): there is no other "
            "group to compare it with, so what follows describes that group alone."
        )
    if needs and needs.get("needs") == "english":
        note = left_out_note(split_by_language(docs)[1], needs.get("measures", "these measures"))
        if note:
            notes.append(note)
    return notes
