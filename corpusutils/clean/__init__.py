"""Clean wire stories: repair mojibake, take out the parts around the body, tidy paragraphs.

:func:`clean_corpus` adds these columns to a docs frame (:func:`clean_text` gives them for one
text); ``raw_text`` is never changed:

``text``
    The cleaned body: paragraphs separated by a blank line ("\\n\\n"), single spaces, NFC.
``headline``, ``deck``, ``section``, ``byline``, ``timestamp``, ``dateline``, ``credits``,
``desk_code``, ``copyright``
    The parts found around the body (``None`` when absent). A value already in the frame (from
    a manifest, say) is kept; the one found in the text then only shows in ``removed``, and in
    ``notes`` when the two differ.
``furniture``
    List of the web and wire furniture removed: "See also ..." links, "(Photo)", "|", the
    closing "EFE" signature.
``fixes``
    List of mojibake repairs (dicts: start, end, before, after, chain), spans in ``raw_text``.
``removed``
    List of every span removed on the way from the repaired text to ``text`` (dicts: rule,
    column (the column that received it, or ``None``), text, start, end), spans in the
    repaired text (:func:`repaired_text`).
``notes``
    List of oddities reported but not changed (doubled closing quotes, doubled full stops).
``language``
    The language of ``text`` as an ISO 639-1 code, ``"und"`` when it cannot be told (see
    :mod:`corpusutils.language`). A language already in the frame is kept (as its code, by
    :func:`corpusutils.language.language_code`), with a note when the text looks otherwise.

Nothing is lost: every character of ``repaired_text(raw_text, fixes)`` other than whitespace
is either in one ``removed`` span or, in order, in ``text``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import pandas as pd

from corpusutils.clean.mojibake import explain_mojibake
from corpusutils.clean.normalize import oddities
from corpusutils.clean.structure import FIELDS, split_structure
from corpusutils.language import UNDETERMINED, detect_language, language_code
from corpusutils.parallel import PROGRESS_ABOVE, map_texts

__all__ = ["CLEAN_COLUMNS", "clean_corpus", "clean_text", "repaired_text"]

#: The columns that cleaning adds (or fills) in a docs frame, in order.
CLEAN_COLUMNS = ("text", *FIELDS, "furniture", "fixes", "removed", "notes", "language")


# Space-like characters other than the no-break space, which is itself a common byte of
# mojibake ("Ã" + U+00A0 is "à" read as Windows-1252) and must reach the repair intact.
_SPACE_LIKE = re.compile(r"[^\S\n\xa0]")


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def repaired_text(raw: str, fixes: Sequence[dict]) -> str:
    """The text that ``removed`` spans point into: ``raw`` with newlines normalised to "\\n",
    each fix applied (spans in that text), then NFC.

    >>> repaired_text("Tok\\u0e23\\u0e01yev\\r\\n", [{"start": 3, "end": 5, "after": "á"}])
    'Tokáyev\\n'
    """
    base = _normalize_newlines(raw)
    pieces, pos = [], 0
    for fix in sorted(fixes, key=lambda f: f["start"]):
        pieces.append(base[pos : fix["start"]])
        pieces.append(fix["after"])
        pos = fix["end"]
    pieces.append(base[pos:])
    return unicodedata.normalize("NFC", "".join(pieces))


def clean_text(raw: str) -> dict:
    """Clean one text; the dict has the keys of :data:`CLEAN_COLUMNS`.

    >>> out = clean_text("Politics\\n\\nTalks go on\\n\\nAstana, Feb 28 (EFE).- They met "
    ...                  "Tokáyev . EFE\\n\\nkk-mos/sc")
    >>> out["text"], out["headline"], out["dateline"], out["desk_code"]
    ('They met Tokáyev.', 'Talks go on', 'Astana, Feb 28', 'kk-mos/sc')
    >>> [r["rule"] for r in out["removed"]]
    ['section', 'headline', 'dateline_efe', 'space_before_punctuation', 'signature', 'desk_code']
    """
    base = _normalize_newlines(raw)
    # The repair reads space-like characters as plain spaces (one for one, so spans are
    # unchanged): it then sees what it will see in the cleaned text, and cleaning a cleaned
    # text repairs nothing more.
    _, found_fixes = explain_mojibake(_SPACE_LIKE.sub(" ", base))
    fixes = [{**f, "before": base[f["start"] : f["end"]]} for f in found_fixes]
    repaired = repaired_text(raw, fixes)
    found = split_structure(repaired)
    removed = list(found.removed)
    notes: list[str] = []
    paragraphs = []
    for (start, _end), paragraph in zip(found.body, found.paragraphs, strict=True):
        for a, b, rule in paragraph.removed:
            removed.append(
                {
                    "rule": rule,
                    "column": None,
                    "text": repaired[start + a : start + b],
                    "start": start + a,
                    "end": start + b,
                }
            )
        notes.extend(paragraph.notes)
        if paragraph.text:
            paragraphs.append(paragraph.text)
    text = "\n\n".join(paragraphs)
    notes.extend(oddities(text))
    removed.sort(key=lambda r: (r["start"], r["end"]))
    return {
        "text": text,
        **found.fields,
        "furniture": found.furniture,
        "fixes": fixes,
        "removed": removed,
        "notes": notes,
        "language": detect_language(text),
    }


def _given(value: object) -> str | None:
    """A value already in the frame, or None when it is missing or blank."""
    if isinstance(value, str) and value.strip():
        return value
    return None


def clean_corpus(
    docs: pd.DataFrame, *, workers: int | None = None, progress: bool | None = None
) -> pd.DataFrame:
    """A copy of ``docs`` with the cleaning columns (see the module docstring) from raw_text.

    The per-text work is spread over processes for large corpora (``workers`` as in
    :func:`corpusutils.map_texts`); ``progress`` shows a progress bar (default: for more than
    500 articles).

    >>> docs = pd.DataFrame({"doc_id": ["a"], "headline": [""],
    ...                      "raw_text": ["Talks go on\\n\\nBy Jane Doe\\n\\nThey met. EFE"]})
    >>> out = clean_corpus(docs)
    >>> out.loc[0, ["text", "headline", "byline"]].tolist()
    ['They met.', 'Talks go on', 'Jane Doe']
    """
    if "raw_text" not in docs.columns:
        raise ValueError("docs has no 'raw_text' column: load it with corpusutils.load_corpus")
    raws = [r if isinstance(r, str) else "" for r in docs["raw_text"]]
    show = len(raws) > PROGRESS_ABOVE if progress is None else progress
    results = map_texts(clean_text, raws, workers=workers, progress="cleaning" if show else None)
    out = docs.copy()
    given_languages = out["language"] if "language" in out.columns else None
    for column in CLEAN_COLUMNS:
        values = [result[column] for result in results]
        if column in FIELDS and column in out.columns:
            for i, (given, found) in enumerate(zip(out[column], values, strict=True)):
                kept = _given(given)
                if kept is None:
                    continue
                if found is not None and " ".join(found.split()) != " ".join(kept.split()):
                    results[i]["notes"].append(
                        f"{column} given ({kept!r}) differs from the one in the text ({found!r})"
                    )
                values[i] = kept
        out[column] = pd.Series(values, index=out.index, dtype=object)
    if given_languages is not None:
        out["language"] = _languages(given_languages, out["language"], out["notes"])
    return out


def _languages(given: pd.Series, detected: pd.Series, notes: pd.Series) -> list[str]:
    """A language given in the frame wins over the detected one, with a note when at odds."""
    languages = []
    for note, value, found in zip(notes, given, detected, strict=True):
        code = language_code(value)
        if code is not None and found not in (code, UNDETERMINED):
            note.append(f"language given ({value!r}) differs from the one detected ({found!r})")
        languages.append(code or found)
    return languages
