"""The language of each article, found offline from its letters and its commonest words.

:func:`detect_language` looks at the letters of a text first: a text written mostly in a
script that one language here uses (Thai, Hangul, Greek, Han ideographs, Japanese kana, ...)
is in that language. Where a script is shared (Latin, Cyrillic, Arabic), the words are counted
against the stop-word profile of each language written in it (``corpusutils/data/
languages.toml``, readable and editable) and the language whose short function words the text
uses most wins. Codes are ISO 639-1 ("en", "es", "ar", ...); ``"und"`` (ISO 639-2's
"undetermined") when the text has too few letters or words to tell, or matches no profile.

The measures built for English (textstat's readability formulas, VADER) score only articles
detected as English (and those too short to tell); :func:`split_by_language` separates the
others, :func:`left_out_note` says in words which articles were left out and why, and
:func:`no_article_in` why a measure has nothing to show at all.

Every cleaned docs frame carries the detected code in a ``language`` column (see
:func:`corpusutils.clean.clean_corpus`); a ``language`` given in a manifest or table is kept
(normalised to its code by :func:`language_code`).
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import pandas as pd

__all__ = [
    "UNDETERMINED",
    "detect_language",
    "language_code",
    "language_name",
    "left_out_note",
    "no_article_in",
    "split_by_language",
]

#: The code of a text whose language cannot be told (ISO 639-2 "undetermined").
UNDETERMINED = "und"

#: Languages the English-only measures (readability formulas, VADER) are made for.
ENGLISH = ("en",)

#: Only the start of a long text is read: a page tells the language as well as a book.
SAMPLE_CHARACTERS = 5_000

#: A script counts as the text's own when it holds more than this share of the letters.
SCRIPT_MAJORITY = 0.5

#: Japanese mixes Han ideographs with kana; this share of kana among them makes it Japanese.
KANA_SHARE = 0.1

#: The winning profile's words must make at least this share of a text's words, once the
#: text has :data:`MIN_WORDS_FOR_SHARE` words (a list of names or figures matches nothing).
MIN_STOPWORD_SHARE = 0.05
MIN_WORDS_FOR_SHARE = 20

#: Fewer words than this tell no language by their stop words ("War." is German for "was").
MIN_WORDS_TO_TELL = 5

_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_SCRIPT_ALIASES = {"HIRAGANA": "KANA", "KATAKANA": "KANA", "KATAKANA-HIRAGANA": "KANA"}


@dataclass(frozen=True)
class _Language:
    code: str
    name: str
    script: str
    names: tuple[str, ...]
    stopwords: frozenset[str]
    letters: frozenset[str]
    default: bool


@functools.cache
def _languages() -> dict[str, _Language]:
    raw = resources.files("corpusutils.data").joinpath("languages.toml").read_text("utf-8")
    return {
        code: _Language(
            code=code,
            name=entry["name"],
            script=entry["script"],
            names=tuple(n.casefold() for n in entry.get("names", ())),
            stopwords=frozenset(entry.get("stopwords", "").split()),
            letters=frozenset(entry.get("letters", "")),
            default=bool(entry.get("default", False)),
        )
        for code, entry in tomllib.loads(raw).items()
    }


@functools.cache
def _by_script() -> dict[str, tuple[_Language, ...]]:
    found: dict[str, list[_Language]] = {}
    for language in _languages().values():
        found.setdefault(language.script, []).append(language)
    return {script: tuple(langs) for script, langs in found.items()}


@functools.cache
def _weights(script: str, kind: str) -> dict[str, dict[str, float]]:
    """Stop word (or letter) -> {code: weight}; one in n profiles counts 1/n for each."""
    owners: dict[str, list[str]] = {}
    for language in _by_script().get(script, ()):
        for item in getattr(language, kind):
            owners.setdefault(item, []).append(language.code)
    return {w: {c: 1 / len(codes) for c in codes} for w, codes in owners.items()}


def _default(script: str) -> str:
    defaults = [lang.code for lang in _by_script().get(script, ()) if lang.default]
    return defaults[0] if defaults else UNDETERMINED


@functools.lru_cache(maxsize=65536)
def _script(ch: str) -> str | None:
    if unicodedata.category(ch)[0] not in "LM":
        return None
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    return _SCRIPT_ALIASES.get(word, word) or None


def _script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch, n in Counter(_NON_ASCII.findall(text)).items():
        script = _script(ch)
        if script is not None and script != "COMBINING":
            counts[script] += n
    ascii_bytes = text.encode("ascii", "ignore")
    counts["LATIN"] += len(ascii_bytes.translate(None, _NOT_ASCII_LETTERS))
    return counts


def _main_script(counts: Counter[str]) -> str | None:
    letters = sum(counts.values())
    if not letters:
        return None
    kana, han = counts.get("KANA", 0), counts.get("CJK", 0)
    if kana and kana > KANA_SHARE * (kana + han):
        counts = Counter({**counts, "KANA": kana + han, "CJK": 0})
    script, n = counts.most_common(1)[0]
    return script if n > SCRIPT_MAJORITY * letters else None


def _by_stopwords(text: str, script: str) -> str:
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS_TO_TELL:
        return _default(script)
    stopwords, letters = _weights(script, "stopwords"), _weights(script, "letters")
    evidence = [(Counter(w for w in words if w in stopwords), stopwords)]
    if letters:
        evidence.append((Counter(ch for ch in text.casefold() if ch in letters), letters))
    scores: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    for found, weights in evidence:
        for item, n in found.items():
            for code, weight in weights[item].items():
                scores[code] += weight * n
                matched[code] += n
    ranked = scores.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return _default(script)
    best = ranked[0][0]
    if len(words) >= MIN_WORDS_FOR_SHARE and matched[best] < MIN_STOPWORD_SHARE * len(words):
        return _default(script)
    return best


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in, or ``"und"``.

    Reads the first :data:`SAMPLE_CHARACTERS` characters.

    >>> detect_language("The minister said the talks would go on after the visit.")
    'en'
    >>> detect_language("El ministro dijo que las conversaciones seguirán tras la visita.")
    'es'
    >>> detect_language("وقال الوزير إن المحادثات ستستمر بعد الزيارة")
    'ar'
    >>> detect_language("รัฐมนตรีกล่าวว่าการเจรจาจะดำเนินต่อไป")
    'th'
    >>> detect_language("部长说，会谈将在访问后继续。")
    'zh'
    >>> detect_language("1,250 / 3.4%")
    'und'
    """
    sample = text[:SAMPLE_CHARACTERS] if isinstance(text, str) else ""
    script = _main_script(_script_counts(sample))
    if script is None:
        return UNDETERMINED
    candidates = _by_script().get(script, ())
    if len(candidates) == 1:
        return candidates[0].code
    if not candidates:
        return UNDETERMINED
    return _by_stopwords(sample, script)


def language_code(value: object) -> str | None:
    """The code for a language given by code, name or tag ("en", "English", "en-US"), or None.

    A value naming no language known to ``data/languages.toml`` comes back as given, stripped;
    a missing or blank value gives None.

    >>> [language_code(v) for v in ["English", "ENGLISH", "en-US", "es", "Español", "Klingon"]]
    ['en', 'en', 'en', 'es', 'es', 'Klingon']
    >>> language_code(float("nan")) is None
    True
    """
    if not isinstance(value, str) or not value.strip():
        return None
    given = value.strip()
    key = given.casefold()
    languages = _languages()
    primary = re.split(r"[-_]", key, maxsplit=1)[0]
    if primary in languages:
        return primary
    for language in languages.values():
        if key in language.names or key == language.name.casefold():
            return language.code
    return given


def language_name(code: str) -> str:
    """The English name of a language code, for sentences in the reports.

    >>> language_name("ar"), language_name("und"), language_name("xx")
    ('Arabic', 'undetermined language', 'xx')
    """
    if code == UNDETERMINED:
        return "undetermined language"
    language = _languages().get(code)
    return language.name if language else code


def _codes(docs: pd.DataFrame) -> pd.Series:
    return docs["language"].map(lambda v: language_code(v) or UNDETERMINED)


def split_by_language(
    docs: pd.DataFrame, *, languages: Sequence[str] = ENGLISH
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``docs`` split into the articles a measure made for ``languages`` can score, and the rest.

    Kept: articles whose ``language`` column is one of ``languages``, and those too short for
    their language to be told (``"und"`` with fewer than :data:`MIN_WORDS_FOR_SHARE` words in
    ``text``, an empty text included: it gives no score anyway). Left out: articles in another
    language, and longer ones whose language is undetermined. A frame without a ``language``
    column (one not loaded with :func:`corpusutils.load_corpus`) is kept whole.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "language": ["en", "ar", "und"],
    ...                      "text": ["They said so.", "قال الوزير", ""]})
    >>> kept, left_out = split_by_language(docs)
    >>> kept["doc_id"].tolist(), left_out["doc_id"].tolist()
    (['a', 'c'], ['b'])
    """
    if "language" not in docs.columns:
        return docs, docs.iloc[0:0]
    codes = _codes(docs)
    inside = codes.isin(list(languages))
    undetermined = codes.eq(UNDETERMINED)
    if "text" in docs.columns and undetermined.any():  # words counted only where they decide
        texts = docs.loc[undetermined, "text"]
        words = texts.map(lambda t: len(_WORD.findall(t)) if isinstance(t, str) else 0)
        inside.loc[undetermined] |= words.lt(MIN_WORDS_FOR_SHARE)
    return docs.loc[inside], docs.loc[~inside]


def _why_left_out(left_out: pd.DataFrame) -> dict[str, list[str]]:
    """"Arabic" -> the doc_ids left out in that language, the commonest first."""
    ids = left_out["doc_id"].astype(str) if "doc_id" in left_out.columns else left_out.index
    found: dict[str, list[str]] = {}
    for code, doc_id in zip(_codes(left_out), ids, strict=True):
        found.setdefault(language_name(code), []).append(str(doc_id))
    return dict(sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def left_out_note(
    left_out: pd.DataFrame, measure: str, *, languages: Sequence[str] = ENGLISH
) -> str:
    """One sentence saying which articles ``measure`` left out and why, or "".

    >>> docs = pd.DataFrame({"doc_id": ["b", "c", "d"], "language": ["ar", "th", "ar"]})
    >>> note = left_out_note(docs, "VADER sentiment")
    >>> note.split(": ")[0]
    '3 articles are left out of VADER sentiment, which can measure English only'
    >>> note.split(": ")[1]
    '2 in Arabic (b, d), 1 in Thai (c).'
    """
    if left_out.empty:
        return ""
    made_for = _name_list(language_name(c) for c in languages)
    why = _why_left_out(left_out)
    parts = [f"{len(ids)} in {name} ({_id_list(ids)})" for name, ids in why.items()]
    count = len(left_out)
    noun = "article is" if count == 1 else "articles are"
    return (
        f"{count} {noun} left out of {measure}, which can measure {made_for} only: "
        + ", ".join(parts) + "."
    )


def no_article_in(
    docs: pd.DataFrame, measure: str, *, languages: Sequence[str] = ENGLISH
) -> str | None:
    """Why ``measure`` has nothing to show for ``docs``: no article it can score; else None.

    >>> docs = pd.DataFrame({"doc_id": ["b", "c"], "language": ["ar", "th"]})
    >>> reason = no_article_in(docs, "VADER sentiment")
    >>> reason.split("), ")[0]
    'Nothing to show here: no article is in English (1 in Arabic, 1 in Thai'
    >>> reason.split("), ")[1]
    'the only language VADER sentiment can measure.'
    """
    kept, left_out = split_by_language(docs, languages=languages)
    if len(kept):
        return None
    made_for = _name_list(language_name(c) for c in languages)
    found = ", ".join(f"{len(ids)} in {name}" for name, ids in _why_left_out(left_out).items())
    only = "the only language" if len(languages) == 1 else "the only languages"
    return (
        f"Nothing to show here: no article is in {made_for} ({found}), "
        f"{only} {measure} can measure."
    )


def _id_list(ids: list[str], shown: int = 5) -> str:
    if len(ids) <= shown:
        return ", ".join(ids)
    return ", ".join(ids[:shown]) + f" and {len(ids) - shown} more"


def _name_list(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
