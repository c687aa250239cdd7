"""VADER's rules over its lexicon, rewritten for speed: the reference scores, several times faster.

:func:`polarity_scores` gives exactly what ``vaderSentiment``'s
``SentimentIntensityAnalyzer().polarity_scores`` gives (the same four numbers, bit for bit):
the lexicon, emoji descriptions and rule constants (boosters, negations, special idioms,
capitals, "but", punctuation emphasis) are the reference package's own, and each rule is
applied in the same order with the same floating-point operations, quirks included (the
"but" rule rescales the *first* sentiment equal to each value, as the reference does). What
changes is the bookkeeping: every token is lower-cased once instead of once per rule, the
emoji pass runs only when the text holds an emoji, n-grams are compared as tuples instead of
formatted strings. The test suite and ``benchmarks/bench_vader.py`` compare every score with
the reference on 100,000 sentences.

:func:`valences` stops before the sum, giving each token and the valence the rules gave it
(what :func:`corpusutils.sentiment_drivers` adds up).
"""

from __future__ import annotations

import functools
import math
import string
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from types import ModuleType

__all__ = ["lexicon", "polarity_scores", "valences"]

_PUNCTUATION = string.punctuation


@dataclass(frozen=True)
class _Rules:
    lexicon: dict[str, float]
    emojis: dict[str, str]
    emoji_chars: frozenset[str]
    boosters: dict[str, float]
    negations: frozenset[str]
    special: dict[tuple[str, ...], float]
    booster_ngrams: dict[tuple[str, ...], float]
    c_incr: float
    n_scalar: float
    context_words: frozenset[str]


@functools.cache
def _rules() -> _Rules:
    """The reference package's lexicon and constants, read once per process."""
    import vaderSentiment.vaderSentiment as reference

    from corpusutils.resources import vader_analyzer

    analyzer = vader_analyzer()
    # Tokens never contain whitespace, so a phrase can only match word by word: compare tuples.
    return _Rules(
        lexicon=analyzer.lexicon,
        emojis=analyzer.emojis,
        # The reference replaces emoji character by character: longer sequences never match.
        emoji_chars=frozenset(e for e in analyzer.emojis if len(e) == 1),
        boosters=reference.BOOSTER_DICT,
        negations=frozenset(reference.NEGATE),
        special={tuple(k.split(" ")): v for k, v in reference.SPECIAL_CASES.items() if " " in k},
        booster_ngrams={
            tuple(k.split(" ")): v for k, v in reference.BOOSTER_DICT.items() if " " in k
        },
        c_incr=reference.C_INCR,
        n_scalar=reference.N_SCALAR,
        context_words=_context_words(reference),
    )


def _context_words(reference: ModuleType) -> frozenset[str]:
    """Words without which no rule changes the lexicon valence of the words around them.

    Boosters, negations and the words the negation rules look for, and one word of each
    special phrase and booster phrase (a phrase counts only when all its words are there).
    Without one of these within three words before a lexicon word and two after, and without
    capitals or "n't", its valence is the lexicon's: every rule adds 0.0 or leaves it alone.
    """
    phrases = [k.split(" ") for k in (*reference.SPECIAL_CASES, *reference.BOOSTER_DICT)]
    return frozenset(
        [
            *(k for k in reference.BOOSTER_DICT if " " not in k),
            *reference.NEGATE,
            *("no", "never", "without", "so", "this", "least"),
            *(max(words, key=len) for words in phrases if len(words) > 1),
        ]
    )


def lexicon() -> dict[str, float]:
    """VADER's lexicon (lower-case word -> valence), the reference package's, read once.

    >>> lexicon()["good"]
    1.9
    """
    return _rules().lexicon


def _describe_emojis(text: str, emojis: dict[str, str]) -> str:
    """Each emoji character replaced by its description, a space before it after a non-space."""
    out = []
    prev_space = True
    for ch in text:
        description = emojis.get(ch)
        if description is None:
            out.append(ch)
            prev_space = ch == " "
        else:
            if not prev_space:
                out.append(" ")
            out.append(description)
            prev_space = False
    return "".join(out)


def _negated(lower: str, negations: frozenset[str]) -> bool:
    return lower in negations or "n't" in lower


def _word_valence(
    i: int, base: float, raw: list[str], lowers: list[str], cap_diff: bool, rules: _Rules
) -> float:
    """The valence of lexicon word ``i`` after VADER's rules, in the reference's order."""
    lexicon = rules.lexicon
    n = len(lowers)
    valence = base
    if lowers[i] == "no" and i != n - 1 and lowers[i + 1] in lexicon:
        valence = 0.0  # "no" before a lexicon word negates it instead of counting itself
    if (
        (i > 0 and lowers[i - 1] == "no")
        or (i > 1 and lowers[i - 2] == "no")
        or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ("or", "nor"))
    ):
        valence = base * rules.n_scalar
    if cap_diff and raw[i].isupper():
        if valence > 0:
            valence += rules.c_incr
        else:
            valence -= rules.c_incr
    for start_i in range(3):
        if i <= start_i:
            break
        before = lowers[i - (start_i + 1)]
        if before in lexicon:
            continue
        scalar = 0.0
        boost = rules.boosters.get(before)
        if boost is not None:
            scalar = boost
            if valence < 0:
                scalar *= -1
            if cap_diff and raw[i - (start_i + 1)].isupper():
                if valence > 0:
                    scalar += rules.c_incr
                else:
                    scalar -= rules.c_incr
        if start_i == 1 and scalar != 0:
            scalar = scalar * 0.95
        if start_i == 2 and scalar != 0:
            scalar = scalar * 0.9
        valence = valence + scalar
        valence = _negation(valence, lowers, start_i, i, rules)
        if start_i == 2:
            valence = _idioms(valence, lowers, i, rules)
    if i > 1 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
        if lowers[i - 2] != "at" and lowers[i - 2] != "very":
            valence = valence * rules.n_scalar
    elif i > 0 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
        valence = valence * rules.n_scalar
    return valence


def _negation(valence: float, lowers: list[str], start_i: int, i: int, rules: _Rules) -> float:
    if start_i == 0:
        if _negated(lowers[i - 1], rules.negations):
            valence = valence * rules.n_scalar
    elif start_i == 1:
        if lowers[i - 2] == "never" and lowers[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif lowers[i - 2] == "without" and lowers[i - 1] == "doubt":
            pass
        elif _negated(lowers[i - 2], rules.negations):
            valence = valence * rules.n_scalar
    else:
        if (lowers[i - 3] == "never" and lowers[i - 2] in ("so", "this")) or lowers[i - 1] in (
            "so",
            "this",
        ):
            valence = valence * 1.25
        elif lowers[i - 3] == "without" and (lowers[i - 2] == "doubt" or lowers[i - 1] == "doubt"):
            pass
        elif _negated(lowers[i - 3], rules.negations):
            valence = valence * rules.n_scalar
    return valence


def _idioms(valence: float, lowers: list[str], i: int, rules: _Rules) -> float:
    three, two, one, zero = lowers[i - 3], lowers[i - 2], lowers[i - 1], lowers[i]
    special = rules.special
    for seq in ((one, zero), (two, one, zero), (two, one), (three, two, one), (three, two)):
        if seq in special:
            valence = special[seq]
            break
    n = len(lowers)
    if n - 1 > i and (zero, lowers[i + 1]) in special:
        valence = special[(zero, lowers[i + 1])]
    if n - 1 > i + 1 and (zero, lowers[i + 1], lowers[i + 2]) in special:
        valence = special[(zero, lowers[i + 1], lowers[i + 2])]
    for ngram in ((three, two, one), (three, two), (two, one)):
        if ngram in rules.booster_ngrams:
            valence = valence + rules.booster_ngrams[ngram]
    return valence


def _but(lowers: list[str], sentiments: list[float]) -> list[float]:
    """Halve what comes before the first "but", and add half to what follows, the reference's
    way: each value rescales the first entry equal to it (usually itself)."""
    if "but" not in lowers:
        return sentiments
    bi = lowers.index("but")
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments[si] = sentiment * 0.5
        elif si > bi:
            sentiments[si] = sentiment * 1.5
    return sentiments


def _analyse(text: str) -> tuple[str, list[str], list[float]]:
    """(the text as scored, its tokens in lower case, the valence of each token)."""
    rules = _rules()
    if not text.isascii() and not rules.emoji_chars.isdisjoint(text):
        text = _describe_emojis(text, rules.emojis)
    text = text.strip()
    raw = text.split()
    lowered = text.lower()
    if len(lowered) == len(text):  # no character changed length: strip the lower-case tokens
        lowers = [t if len(s := t.strip(_PUNCTUATION)) <= 2 else s for t in lowered.split()]
    else:
        lowers = [w.lower() for w in _words(raw)]
    n = len(raw)
    # Some words in capitals, not all (stripping punctuation changes no capital: test the raw
    # tokens).
    cap_diff = 0 < n - sum(map(str.isupper, raw)) < n
    lexicon = rules.lexicon
    boosters = rules.boosters
    context_words = rules.context_words
    plain_text = "n't" not in lowered
    sentiments: list[float] = [0] * n  # what the reference gives words off the lexicon
    for i in compress(range(n), map(lexicon.__contains__, lowers)):
        lower = lowers[i]
        if lower in boosters or (lower == "kind" and i < n - 1 and lowers[i + 1] == "of"):
            continue
        start = i - 3 if i > 3 else 0
        if (
            plain_text
            and context_words.isdisjoint(lowers[start : i + 3])
            and not (cap_diff and any(map(str.isupper, raw[start : i + 1])))
        ):
            sentiments[i] = lexicon[lower]  # nothing around it for a rule to act on
        else:
            sentiments[i] = _word_valence(i, lexicon[lower], raw, lowers, cap_diff, rules)
    return text, lowers, _but(lowers, sentiments)


def _words(tokens: list[str]) -> list[str]:
    """VADER's words: punctuation stripped from both ends of each token, unless that leaves two
    characters or fewer (then the token is likely an emoticon, ":)", and is kept whole)."""
    return [t if len(s := t.strip(_PUNCTUATION)) <= 2 else s for t in tokens]


def _normalize(score: float, alpha: float = 15) -> float:
    norm = score / math.sqrt((score * score) + alpha)
    return -1.0 if norm < -1.0 else 1.0 if norm > 1.0 else norm


def _emphasis(text: str) -> float:
    """Added intensity from "!" (up to four) and from two or more "?"."""
    ep_amplifier = min(text.count("!"), 4) * 0.292
    qm_count = text.count("?")
    qm_amplifier = 0
    if qm_count > 1:
        qm_amplifier = qm_count * 0.18 if qm_count <= 3 else 0.96
    return ep_amplifier + qm_amplifier


def _scores(text: str, sentiments: Sequence[float]) -> dict[str, float]:
    if not sentiments:
        return {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    if not any(sentiments):  # what the arithmetic below gives when every valence is 0
        return {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
    sum_s = float(sum(sentiments))
    emphasis = _emphasis(text)
    if sum_s > 0:
        sum_s += emphasis
    elif sum_s < 0:
        sum_s -= emphasis
    compound = _normalize(sum_s)
    pos_sum = 0.0
    neg_sum = 0.0
    signed = [score for score in sentiments if score]
    neu_count = len(sentiments) - len(signed)
    for score in signed:  # neutral words count 1: lift sentiment words above them by 1
        if score > 0:
            pos_sum += float(score) + 1
        else:
            neg_sum += float(score) - 1
    if pos_sum > math.fabs(neg_sum):
        pos_sum += emphasis
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= emphasis
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return {
        "neg": round(math.fabs(neg_sum / total), 3),
        "neu": round(math.fabs(neu_count / total), 3),
        "pos": round(math.fabs(pos_sum / total), 3),
        "compound": round(compound, 4),
    }


def polarity_scores(text: str) -> dict[str, float]:
    """VADER's scores of ``text``: neg, neu, pos (shares) and compound (-1 to 1).

    Equal to ``vaderSentiment``'s ``SentimentIntensityAnalyzer().polarity_scores(text)``.

    >>> polarity_scores("VADER is smart, handsome, and funny.")
    {'neg': 0.0, 'neu': 0.254, 'pos': 0.746, 'compound': 0.8316}
    """
    scored, _, sentiments = _analyse(text)
    return _scores(scored, sentiments)


def valences(text: str) -> tuple[list[str], list[float]]:
    """VADER's tokens of ``text`` and the valence its rules give each one (0 off the lexicon).

    Boosters, capitals, negation and "but" are applied; "!" and "?" are not (they act on the
    sum). For a sentence without them, normalizing the sum gives the compound score.

    >>> valences("The war is not good.")
    (['The', 'war', 'is', 'not', 'good'], [0, -2.9, 0, 0, -1.406])
    """
    scored, _, sentiments = _analyse(text)
    return _words(scored.split()), sentiments
