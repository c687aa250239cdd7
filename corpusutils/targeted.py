"""Sentiment of a sentence toward one mention in it (a target), with the words that decided it.

:func:`target_sentiment` reads a sentence from the position of the mention: the words of the
target's own clause before it (what is done to it: "condemned Russia") and after it (what it
does: "Russia lost"), the nearest words on either side, the word that governs it and the word
it heads, the rest of the sentence, and quoted words when the target stands outside the quote
(the quoted speaker's words, kept apart so that they count as the speaker's and not the
writer's). A negation ("not", "never", "n't", "without", ...) marks the words after it in its
clause; a contrast ("but", "while", "although", ...) starts a new clause, so what follows
"but" is not the target's clause unless the target stands there. Lexicon valences come from
VADER's lexicon with the news-register corrections of ``data/vader_news_corrections.csv``
("United States", "Security Council", "party", "like" as a preposition score 0).

The weights that turn these words into negative / neutral / positive are a multinomial
logistic regression fitted on the training split of NewsMTSC (Hamborg & Donnay 2021, news
sentences annotated for the sentiment toward one target) by
``benchmarks/fit_target_sentiment.py``, and shipped as the readable JSON file
``data/target_sentiment_model.json`` (one line per feature, three weights each). Nothing else
is needed at run time. ``benchmarks/bench_target_sentiment.py`` measures the result on the
development splits beside sentence-level VADER.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from corpusutils.names import _stopwords
from corpusutils.quotes import _quote_spans
from corpusutils.text import token_spans

__all__ = [
    "CLASSES",
    "load_vader_news_corrections",
    "news_valences",
    "target_features",
    "target_sentiment",
]

#: The three labels, in the order of the model's weights.
CLASSES = ("negative", "neutral", "positive")

# Words that turn what follows them in the clause around ("not good", "never supported").
_NEGATORS = frozenset(
    "not no never nor neither without nobody nothing none cannot lack lacked lacks".split()
)
# Words that open a new clause: a contrast, a relative or subordinate clause, a report.
_CLAUSE_WORDS = frozenset(
    "but however although though while whereas yet despite because since which who whom "
    "whose that after before when unless whereby if".split()
)
_CLAUSE_MARKS = re.compile(r"[,;:()\[\]—–]|(?<=\s)-(?=\s)")
_QUOTE_MARKS = re.compile(r"[“”\"]")
# Function words skipped when looking for the word that governs the target or that it heads.
_FUNCTION_WORDS = frozenset(
    "a an the of in on at to for from by with and or as its his her their our your my this "
    "these those that is are was were be been being has have had will would could should may "
    "might also s mr mrs ms dr president sen rep gov secretary minister".split()
)
_PASSIVE_AUXILIARIES = frozenset("is are was were be been being get gets got getting".split())
_PRONOUNS = frozenset("he she him her his hers they them their theirs it its".split())
_WINDOW = 3
# VADER valences run from -4 to +4; halved, they sit on the scale of the word counts.
_LEX_SCALE = 2.0


@functools.cache
def _stance_verbs() -> dict[str, str]:
    """Verb form -> the polarity it carries toward the one it governs (data/stance_verbs.csv)."""
    source = resources.files("corpusutils.data").joinpath("stance_verbs.csv")
    with source.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return dict(zip(table["verb"].str.lower(), table["polarity"], strict=True))


def _fold(word: str) -> str:
    """Lower case, possessive dropped, typographic apostrophe straightened, digits as 0."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    return re.sub(r"\d", "0", word)


def _stem(word: str) -> str:
    """A crude English stem: one common suffix off, keeping at least three letters."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _is_negator(word: str) -> bool:
    return word in _NEGATORS or word.endswith("n't")


# --- the news-register correction of VADER's lexicon --------------------------------------


def load_vader_news_corrections(path: str | Path | None = None) -> pd.DataFrame:
    """The news-register corrections of VADER's lexicon (default: the shipped file).

    Columns: ``phrase`` (the words in which the correction applies, any case), ``word`` (the
    word of the phrase whose valence changes), ``valence`` (the value used instead of
    VADER's), ``unless_after`` ("|"-separated words: the correction does not apply right
    after one of them, so "we would like" keeps the verb "like") and ``reason``.

    >>> table = load_vader_news_corrections()
    >>> row = table.set_index("phrase").loc["United States"]
    >>> row["word"], float(row["valence"])
    ('united', 0.0)
    """
    if path is None:
        source = resources.files("corpusutils.data").joinpath("vader_news_corrections.csv")
        with source.open("r", encoding="utf-8") as handle:
            table = pd.read_csv(handle, dtype=str, keep_default_na=False)
        where = "data/vader_news_corrections.csv"
    else:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        where = str(path)
    missing = {"phrase", "word", "valence", "unless_after", "reason"} - set(table.columns)
    if missing:
        raise ValueError(f"{where}: no column {sorted(missing)[0]!r}")
    for row in table.itertuples():
        if _fold(row.word) not in [_fold(w) for w in row.phrase.split()]:
            raise ValueError(f"{where}: {row.word!r} is not a word of {row.phrase!r}")
        if not row.reason.strip():
            raise ValueError(f"{where}: no reason given for {row.phrase!r}")
    return table.assign(valence=table["valence"].astype("float64"))


@functools.cache
def _corrections() -> tuple[tuple[tuple[str, ...], int, float, frozenset[str]], ...]:
    """(phrase words, index of the corrected word, valence, unless-after words) per row."""
    out = []
    for row in load_vader_news_corrections().itertuples():
        words = tuple(_fold(w) for w in row.phrase.split())
        unless = frozenset(_fold(w) for w in row.unless_after.split("|") if w)
        out.append((words, words.index(_fold(row.word)), float(row.valence), unless))
    return tuple(out)


def _vader_lexicon() -> dict[str, float]:
    from corpusutils import vader

    return vader.lexicon()


def _corrected_valences(words: Sequence[str]) -> list[float]:
    """VADER lexicon valence of each folded word, with the news corrections applied."""
    lexicon = _vader_lexicon()
    values = [lexicon.get(w, 0.0) for w in words]
    for phrase, at, valence, unless in _corrections():
        size = len(phrase)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) == phrase and not (i and words[i - 1] in unless):
                values[i + at] = valence
    return values


def news_valences(text: str) -> pd.DataFrame:
    """VADER's lexicon valence of each word of ``text``, and the news-register value used here.

    One row per word token: ``start``, ``end``, ``word`` (as written), ``vader`` (VADER's
    lexicon value, 0 when absent) and ``news`` (after :func:`load_vader_news_corrections`).
    The VADER reference measures (:func:`corpusutils.sentence_sentiment`) never use these
    corrections.

    >>> news_valences("The United States would like peace, like Kazakhstan.")[
    ...     ["word", "vader", "news"]].query("vader != 0")
         word  vader  news
    1  United    1.8   0.0
    4    like    1.5   1.5
    5   peace    2.5   2.5
    6    like    1.5   0.0
    """
    spans = token_spans(text)
    written = [text[s:e] for s, e in spans]
    folded = [_fold(w) for w in written]
    lexicon = _vader_lexicon()
    return pd.DataFrame(
        {
            "start": [s for s, _ in spans],
            "end": [e for _, e in spans],
            "word": written,
            "vader": [lexicon.get(w, 0.0) for w in folded],
            "news": _corrected_valences(folded),
        }
    )


# --- reading a sentence from a target's position ------------------------------------------


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside quotation marks, as :func:`corpusutils.quotes` finds them."""
    return [segment for segments, *_ in _quote_spans(text) for segment in segments]


def _read(text: str, start: int, end: int) -> dict:
    """Tokens of ``text`` with clause number, quote flag and negation, seen from the target."""
    read = dict(_read_sentence(text))
    read["target"] = [i for i, (s, e) in enumerate(read["spans"]) if s < end and e > start]
    return read


@functools.lru_cache(maxsize=4096)
def _read_sentence(text: str) -> dict:
    """What :func:`_read` finds in a sentence whatever the target (read once per sentence:
    sentences name several actors, and wire copy repeats sentences). Never mutated."""
    spans = token_spans(text)
    words = [_fold(text[s:e]) for s, e in spans]
    valences = _corrected_valences(words)
    quotes = _quoted_spans(text)
    in_quote = [any(qs <= s < qe for qs, qe in quotes) for s, _ in spans]
    # Clause numbers: a new clause at a clause mark or quote mark between two tokens, or at a
    # clause word; short comma-separated pieces (list items, appositions) stay in the clause
    # before them.
    clause = []
    comma = [False] * len(spans)  # the clause starting here was cut off by a comma alone
    current = 0
    last_cut = 0
    for i, (s, _) in enumerate(spans):
        if i:
            gap = text[spans[i - 1][1] : s]
            cut = bool(_CLAUSE_MARKS.search(gap) or _QUOTE_MARKS.search(gap))
            if words[i] in _CLAUSE_WORDS:
                cut = True
            if cut and (i - last_cut > 2 or words[i] in _CLAUSE_WORDS):
                current += 1
                last_cut = i
                comma[i] = gap.strip() == ","
        clause.append(current)
    negated = [False] * len(words)
    for i, w in enumerate(words):
        if _is_negator(w):
            for j in range(i + 1, len(words)):
                if clause[j] != clause[i]:
                    break
                negated[j] = True
    return {
        "spans": spans,
        "words": words,
        "valences": valences,
        "in_quote": in_quote,
        "clause": clause,
        "negated": negated,
        "cut_by_comma": comma,
    }


def _place(read: dict, i: int) -> str | None:
    """Where token ``i`` stands relative to the target (None: it is the target)."""
    target = read["target"]
    if i in target:
        return None
    first = target[0]
    t_clause = read["clause"][first]
    t_quoted = read["in_quote"][first]
    if read["in_quote"][i] and not t_quoted:
        return "quoted"
    if read["clause"][i] == t_clause:
        return "before" if i < first else "after"
    return "elsewhere"


#: How each place is named in the evidence.
PLACES = {
    "before": "in its clause, before it",
    "after": "in its clause, after it",
    "near": "next to it",
    "governs": "the word governing it",
    "heads": "the word it heads",
    "quoted": "in a quotation it stands outside",
    "elsewhere": "elsewhere in the sentence",
    "any": "in the sentence",
    "stem": "in the sentence",
    "clause_stem": "in its clause",
}


def _governs(read: dict, i: int, place: str) -> bool:
    """Whether the verb at ``i`` acts on the target: "condemned Russia", "Russia was condemned",
    "Russia, accused of ...", "supports the sovereignty, independence ... of Kazakhstan" (a
    list after the verb), but not "condemned by Russia" (Russia condemns)."""
    words, first = read["words"], read["target"][0]
    if place == "before":
        return not (i + 1 < len(words) and words[i + 1] == "by")
    if place == "elsewhere" and i < first and not read["in_quote"][i]:
        # The verb's object runs on over list commas ("X, Y and Z of Kazakhstan").
        between = range(i + 1, first)
        return (
            read["clause"][first] - read["clause"][i] <= 2
            and len(between) <= 12
            and all(words[j] not in _CLAUSE_WORDS for j in between)
            and all(read["cut_by_comma"][j] for j in range(i + 1, first + 1)
                    if read["clause"][j] != read["clause"][j - 1])
        )
    if place != "after":
        return False
    passive = i > 0 and words[i - 1] in _PASSIVE_AUXILIARIES
    return passive or (i + 1 < len(words) and words[i + 1] in ("by", "of", "for"))


def _features(read: dict) -> list[tuple[str, float, int | None]]:
    """(feature name, value, token index or None) for one target."""
    words, target = read["words"], read["target"]
    if not target:
        return [("no_target_token", 1.0, None)]
    first, last = target[0], target[-1]
    out: list[tuple[str, float, int | None]] = []
    for i, w in enumerate(words):
        place = _place(read, i)
        stance = _stance_verbs().get(w)
        if place is None or (stance and not _governs(read, i, place)):
            # A stance verb ("condemned", "praised") counts only toward the target it governs
            # (after it, in its clause, or before it in the passive): not toward the one who
            # condemns, nor anyone else.
            continue
        neg = read["negated"][i]
        name = ("not_" if neg else "") + w
        out.append((f"{place}:{name}", 1.0, i))
        out.append((f"any:{name}", 1.0, i))
        # Word forms folded together ("condemns", "condemned"), for words seen rarely.
        stem = ("not_" if neg else "") + _stem(w)
        out.append((f"stem:{stem}", 1.0, i))
        if place in ("before", "after"):
            out.append((f"clause_stem:{stem}", 1.0, i))
        near = abs(i - first) <= _WINDOW or abs(i - last) <= _WINDOW
        if near and place != "quoted":
            out.append((f"near:{name}", 1.0, i))
        valence = read["valences"][i] * (-1 if neg else 1)
        if valence:
            sign = "pos" if valence > 0 else "neg"
            out.append((f"lex_{place}_{sign}", valence / _LEX_SCALE, i))
        if stance:
            flipped = {"negative": "positive", "positive": "negative"}[stance]
            out.append((f"stance_on_it_{flipped if neg else stance}", 1.0, i))
    t_clause = read["clause"][first]
    for kind, rng in (("governs", range(first - 1, -1, -1)),
                      ("heads", range(last + 1, len(words)))):
        for i in rng:
            if read["clause"][i] != t_clause:
                break
            if words[i] in _stance_verbs() and not _governs(read, i, _place(read, i)):
                break
            if words[i] not in _FUNCTION_WORDS and not words[i].isdigit():
                name = ("not_" if read["negated"][i] else "") + words[i]
                out.append((f"{kind}:{name}", 1.0, i))
                valence = read["valences"][i] * (-1 if read["negated"][i] else 1)
                if valence:
                    out.append((f"lex_{kind}", valence / _LEX_SCALE, i))
                break
    if read["in_quote"][first]:
        out.append(("target_quoted", 1.0, None))
    elif any(read["in_quote"]):
        out.append(("target_outside_quote", 1.0, None))
    if len(target) == 1 and words[first] in _PRONOUNS:
        out.append(("target_pronoun", 1.0, None))
    if not any(read["clause"][i] == t_clause for i in range(first)):
        out.append(("target_opens_clause", 1.0, None))
    return out


def target_features(text: str, start: int, end: int) -> dict[str, float]:
    """The features :func:`target_sentiment` weighs for the mention ``text[start:end]``.

    Names are ``place:word`` (place as in :data:`PLACES`; ``not_`` marks a negated word),
    ``lex_<place>_pos`` / ``lex_<place>_neg`` (news-corrected VADER valences, halved), the
    stems of the words (``stem:``, ``clause_stem:``), ``stance_on_it_<polarity>`` (a stance
    verb that governs the target) and a few flags (``target_quoted``, ``target_pronoun``, ...).
    Used by the fitting script and at scoring time alike.

    >>> feats = target_features("The UN condemned Russia.", 17, 23)
    >>> feats["governs:condemned"], feats["before:condemned"], feats["lex_before_neg"]
    (1.0, 1.0, -0.95)
    """
    out: dict[str, float] = {}
    for name, value, _ in _features(_read(text, start, end)):
        out[name] = out.get(name, 0.0) + value
    return out


# --- the fitted model ---------------------------------------------------------------------


def _load_model_file(path: str | Path | None) -> dict:
    if path is None:
        source = resources.files("corpusutils.data").joinpath("target_sentiment_model.json")
        return json.loads(source.read_text(encoding="utf-8"))
    return json.loads(Path(path).read_text(encoding="utf-8"))


@functools.cache
def _model() -> tuple[tuple[float, ...], dict[str, tuple[float, ...]], dict]:
    data = _load_model_file(None)
    if tuple(data["classes"]) != CLASSES:
        raise ValueError("data/target_sentiment_model.json: classes must be " + str(CLASSES))
    weights = {name: tuple(values) for name, values in data["weights"].items()}
    return tuple(data["intercept"]), weights, data


def _softmax(values: Sequence[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def _score_one(text: str, start: int, end: int) -> tuple:
    intercept, weights, _ = _model()
    read = _read(text, start, end)
    logits = list(intercept)
    pieces = []
    for name, value, index in _features(read):
        w = weights.get(name)
        if w is None:
            continue
        for k in range(3):
            logits[k] += value * w[k]
        # A feature's push toward positive against negative: what the score is made of.
        pieces.append((name, index, value * (w[2] - w[0])))
    probs = _softmax(logits)
    label = CLASSES[max(range(3), key=probs.__getitem__)]
    score = probs[2] - probs[0]
    by_word: dict[int, float] = {}
    role: dict[int, str] = {}
    for name, index, push in pieces:
        if index is None:
            continue
        by_word[index] = by_word.get(index, 0.0) + push
        if name.startswith(("governs:", "heads:")):
            role[index] = name.split(":", 1)[0]
    # Words whose push agrees with the score's sign (both ways when neutral), strongest first.
    sign = 0 if label == "neutral" else (1 if score > 0 else -1)
    words = []
    for index, push in sorted(by_word.items(), key=lambda kv: -abs(kv[1])):
        if abs(push) < 0.15 or (sign and push * sign <= 0):
            continue
        if read["words"][index] in _stopwords():
            # Function words carry weight in the model but tell a reader nothing.
            continue
        s, e = read["spans"][index]
        place = role.get(index) or _place(read, index) or "near"
        words.append((text[s:e], PLACES[place], round(push, 3)))
        if len(words) == 5:
            break
    target = read["target"]
    if target:
        t_clause = read["clause"][target[0]]
        members = [i for i, c in enumerate(read["clause"]) if c == t_clause]
        clause_text = text[read["spans"][members[0]][0] : read["spans"][members[-1]][1]]
    else:
        clause_text = ""
    return label, score, probs, clause_text, words


def target_sentiment(
    sentences: Sequence[str] | pd.Series, targets: Iterable[tuple[int, int]]
) -> pd.DataFrame:
    """Sentiment of each sentence toward its target mention (a character span).

    ``sentences[i]`` is scored toward ``sentences[i][start:end]`` for the i-th
    ``(start, end)`` of ``targets``. One row per pair: ``text``, ``start``, ``end``,
    ``target`` (the mention), ``label`` (negative / neutral / positive: the likeliest),
    ``score`` (P(positive) - P(negative), -1 to +1), ``p_negative``, ``p_neutral``,
    ``p_positive``, ``clause`` (the target's clause), ``words`` (the words that moved the
    score the way it went, with where they stand and how much they pushed, strongest first)
    and ``evidence`` (the same as a readable string).

    >>> text = "The UN condemned Russia."
    >>> target_sentiment([text, text], [(4, 6), (17, 23)])[["target", "label"]]
       target     label
    0      UN   neutral
    1  Russia  negative
    """
    texts = list(sentences)
    spans = [(int(s), int(e)) for s, e in targets]
    if len(texts) != len(spans):
        raise ValueError(f"{len(texts)} sentences but {len(spans)} targets")
    rows = []
    for text, (start, end) in zip(texts, spans, strict=True):
        if not 0 <= start < end <= len(text):
            raise ValueError(f"target span ({start}, {end}) outside the sentence {text[:60]!r}")
        label, score, probs, clause, words = _score_one(text, start, end)
        evidence = "; ".join(f"{w} ({place}, {push:+.2f})" for w, place, push in words)
        rows.append((text, start, end, text[start:end], label, score, *probs, clause, words,
                     evidence))
    columns = ["text", "start", "end", "target", "label", "score", "p_negative", "p_neutral",
               "p_positive", "clause", "words", "evidence"]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("score", "p_negative", "p_neutral", "p_positive"):
        out[col] = out[col].astype("float64")
    return out
