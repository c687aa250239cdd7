"""Repair mojibake: UTF-8 text that was decoded with the wrong code page somewhere upstream.

A wire story is often right except for a name or two ("Tokรกyev" is "Tokáyev" read as Thai
cp874), so repairs work on runs of characters inside otherwise correct text. Each round finds
two kinds of repair in the same text and merges them, until the text stops changing:

1. ftfy's encoding repair (``ftfy.fix_encoding``) over the whole text, cut into local edits.
   Typographic quotes are never straightened: quote analysis needs them.
2. Runs of non-ASCII characters tried against many single-byte code pages (Thai cp874 and
   TIS-620, KOI8-R, Windows-1250 to 1258, cp850, ISO-8859-5/7/9/15, Mac Cyrillic, and more;
   see ``corpusutils/data/mojibake.toml``), also through two code pages for text broken twice.

A run is replaced only when its bytes in some code page are valid UTF-8, the result is shorter
and looks clean in its word (no letters of another script inside a Latin word, no stray
symbols, control characters or odd capitals, only letters that news text uses), and the run
itself looked wrong. When several code pages fit, the one that explains the most runs of the
same text wins. ftfy's repair stands unless code-page repairs cover all it replaced and read it
differently (ftfy replaced C1 control characters one by one, read the run through a code page
that gives letters of another script, or repaired only part of it).

Correct text in any script is left byte-identical: the repairs are conservative on purpose.
"""

from __future__ import annotations

import bisect
import itertools
import re
import tomllib
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-*" codecs named in the data file)
from ftfy.badness import is_bad

__all__ = ["explain_mojibake", "fix_mojibake"]

#: ftfy settings: the encoding repair only, and never straighten “curly” quotes.
FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=True)

_RUN_RE = re.compile(r"[^\x00-\x7f]{2,}")
# Text whose only non-ASCII characters are typographic marks standing alone between ASCII
# cannot be mojibake (in no code page do such characters form UTF-8 on their own), so neither
# repair needs to look at it: this spares most English wire copy the work.
_WORTH_A_LOOK_RE = re.compile(r"[^\x00-\x7f]{2,}|[^\x00-\x7f“”‘’–—…•·°©®™€£¥\u00a0\u2009\u202f]")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Characters that may sit at the edge of a garbled run without being part of it.
_EDGE_PUNCTUATION = frozenset("\u00a0\u2009\u202f“”‘’„«»‹›—–…•·°©®™€£¥§¶¡¿")
# Inside a word these join letters legitimately.
_APOSTROPHES = frozenset("'’ʼ‐‑-")
_DASHES = frozenset("—–")
# Symbols that are ordinary in news text; any other symbol inside a run counts as odd.
_COMMON_SYMBOLS = frozenset("“”‘’«»…•·°©®™€£¥¢§¶±×÷−½¼¾%¡¿№฿₫₪₹₽₺₸₴")
_RARE_PUNCTUATION = frozenset("‚„†‡‰‹›")
# What a repair may produce besides letters.
_REPAIRED_SYMBOLS = _COMMON_SYMBOLS | _APOSTROPHES | _DASHES | frozenset("\u00a0\u2009\u202f„")
_CURRENCY = frozenset("€£¥¢$฿₫₪₹₽₺₸₴")
_CJK_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}
_MAX_WORD_CONTEXT = 20

Edit = tuple[int, int, str, str]  # start, end, replacement, how the text had been broken


@dataclass(frozen=True)
class _CodePage:
    codec: str
    label: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class _Settings:
    codepages: tuple[_CodePage, ...]
    letter_ranges: tuple[tuple[int, int], ...]
    rare_letters: frozenset[str]
    frequent_letters: frozenset[str]
    lead_chars: frozenset[str]
    continuation_chars: frozenset[str]


@dataclass
class _Piece:
    """A stretch of the current text and the input span it came from (chains: repairs)."""

    orig_start: int
    orig_end: int
    text: str
    chains: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Candidate:
    text: str
    chain: tuple[str, ...]  # code pages, in the order the damage happened
    order: int


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(f"\\U{ord(c):08x}" for c in chars) + "]"


def _codepage(codec: str) -> tuple[_CodePage, set[str], set[str]]:
    """Which characters a code page turns UTF-8 lead and continuation bytes into."""

    def chars(lo: int, hi: int) -> list[str]:
        out = []
        for byte in range(lo, hi + 1):
            try:
                out.append(bytes([byte]).decode(codec))
            except UnicodeDecodeError:
                continue
        return out

    cont = chars(0x80, 0xBF)
    lead2, lead3, lead4 = chars(0xC2, 0xDF), chars(0xE0, 0xEF), chars(0xF0, 0xF4)
    c = _char_class(cont)
    pattern = re.compile(
        f"(?:{_char_class(lead2)}{c}|{_char_class(lead3)}{c}{{2}}|{_char_class(lead4)}{c}{{3}})+"
    )
    page = _CodePage(codec, codec.removeprefix("sloppy-"), pattern)
    return page, set(lead2 + lead3 + lead4), set(cont)


@lru_cache(maxsize=1)
def _settings() -> _Settings:
    raw = tomllib.loads(
        files("corpusutils.data").joinpath("mojibake.toml").read_text(encoding="utf-8")
    )
    pages, leads, conts = [], set(), set()
    for codec in raw["codepages"]:
        page, lead, cont = _codepage(codec)
        pages.append(page)
        leads |= lead
        conts |= cont
    ranges = []
    for item in raw["letters"]:
        lo, _, hi = item.partition("-")
        ranges.append((int(lo, 16), int(hi or lo, 16)))
    return _Settings(
        codepages=tuple(pages),
        letter_ranges=tuple(sorted(ranges)),
        rare_letters=frozenset(raw["rare_letters"]),
        frequent_letters=frozenset(raw["frequent_letters"]),
        lead_chars=frozenset(leads),
        continuation_chars=frozenset(conts),
    )


@lru_cache(maxsize=65536)
def _info(ch: str) -> tuple[str, str | None, bool, bool]:
    """(kind, script, is_upper, is_lower) of one character.

    kind: L letter, M mark, N digit, A apostrophe or hyphen, D dash, Z space,
    C control/format/unassigned, P ordinary punctuation or symbol, S odd symbol.
    """
    cat = unicodedata.category(ch)
    if cat[0] in "LM":
        word = unicodedata.name(ch, "").split(" ", 1)[0]
        script = None if word in ("COMBINING", "") else _CJK_FAMILY.get(word, word)
        return (cat[0], script, cat in ("Lu", "Lt"), cat == "Ll")
    if cat == "Nd":
        kind = "N"
    elif ch in _APOSTROPHES:
        kind = "A"
    elif ch in _DASHES:
        kind = "D"
    elif cat[0] == "Z" or ch in "\t\n\r":
        kind = "Z"
    elif cat[0] == "C":
        kind = "C"
    elif ch in _COMMON_SYMBOLS or (cat[0] == "P" and ch not in _RARE_PUNCTUATION):
        kind = "P"
    else:
        kind = "S"
    return (kind, None, False, False)


def _oddness(left: str, run: str, right: str, *, garbled: bool) -> int:
    """How wrong ``run`` looks between ``left`` and ``right``, the rest of its word.

    Only features that involve a character of ``run`` count, so odd but legitimate spellings
    elsewhere in the word (McDonald) do not matter. ``garbled`` adds features that only make
    sense for the text before repair (a Latin capital followed by a small letter, both
    non-ASCII, as in "Å¾", is a common shape of mojibake but also of a correct repair like
    "Íñigo").
    """
    word = left + run + right
    lo, hi = len(left), len(left) + len(run)
    infos = [_info(ch) for ch in word]
    n = len(word)
    score = 0
    prev_script: str | None = None
    prev_script_at = -1
    for i, (kind, script, upper, _lower) in enumerate(infos):
        inside = lo <= i < hi
        before = infos[i - 1] if i > 0 else None
        after = infos[i + 1] if i + 1 < n else None
        if kind in "LM":
            if script is not None:
                if (
                    prev_script is not None
                    and script != prev_script
                    and (inside or lo <= prev_script_at < hi)
                ):
                    score += 2
                prev_script, prev_script_at = script, i
            if not inside:
                continue
            if kind == "M" and (before is None or before[0] not in "LM"):
                score += 2
            if upper and before is not None and before[0] == "L":
                if before[3]:
                    score += 2  # a capital after a small letter: "TokĆ"
                elif before[2] and after is not None and after[0] == "L" and after[3]:
                    score += 2  # a second capital before small letters: "TŨkyō"
            if (
                garbled
                and upper
                and script == "LATIN"
                and i + 1 < hi
                and after is not None
                and after[3]
                and after[1] == "LATIN"
                and not word[i + 1].isascii()
            ):
                score += 2
            continue
        if not inside:
            continue
        if kind == "C":
            score += 3
        elif kind == "S":
            score += 2
        elif kind == "D":
            # a dash between two letters of the run itself: "–Я—Г—В"
            if lo < i < hi - 1 and before is not None and after is not None:
                score += 1 if before[0] == "L" and after[0] == "L" else 0
        elif kind == "Z":
            if lo < i < hi - 1 and before is not None and before[0] == "L":
                score += 2 if after is not None and after[0] == "L" else 0
            elif (
                garbled
                and i == hi - 1
                and i == 1
                and infos[0][2]
                and after is not None
                and after[3]
                and word[i + 1].isascii()
            ):
                score += 2  # a lone capital, a no-break space, then the word: "Å\xa0koda"
        elif kind == "P":
            near_letter = (before is not None and before[0] in "LM") or (
                after is not None and after[0] in "LM"
            )
            if word[i] in _CURRENCY and near_letter:
                score += 2
            elif word[i] in "¡¿" and before is not None and before[0] in "LM":
                score += 2
            elif _between_letters(infos, i):
                score += 2
    return score


def _between_letters(infos: list[tuple[str, str | None, bool, bool]], i: int) -> bool:
    """Whether position ``i`` lies in a stretch of punctuation that has letters on both sides."""
    j = i - 1
    while j >= 0 and infos[j][0] in "PSZC":
        j -= 1
    if j < 0 or infos[j][0] not in "LM":
        return False
    k = i + 1
    while k < len(infos) and infos[k][0] in "PSZC":
        k += 1
    return k < len(infos) and infos[k][0] in "LM"


def _script_counts(chars: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch in chars:
        kind, script, _, _ = _info(ch)
        if kind == "L" and script is not None:
            counts[script] += 1
    return counts


def _main_script(text: str) -> str | None:
    counts = _script_counts(text)
    return counts.most_common(1)[0][0] if counts else None


def _home_script(text: str) -> str:
    """The script most letters of the whole text are written in (ASCII letters are Latin)."""
    counts = _script_counts(c for c in text if not c.isascii())
    counts["LATIN"] += sum(1 for c in text if c in _ASCII_LETTERS)
    return counts.most_common(1)[0][0]


def _plausible_letters(text: str, settings: _Settings) -> bool:
    """Every letter or mark is one that news text uses, and every other character is an
    ordinary punctuation mark or symbol (the rest, such as line art, is left to ftfy)."""
    for ch in text:
        kind = _info(ch)[0]
        if kind not in "LM":
            if ch not in _REPAIRED_SYMBOLS:
                return False
        else:
            if ch in settings.rare_letters:
                return False
            code = ord(ch)
            at = bisect.bisect_right(settings.letter_ranges, (code, 0x10FFFF)) - 1
            if at < 0 or not settings.letter_ranges[at][0] <= code <= settings.letter_ranges[at][1]:
                return False
    return True


def _decodings(run: str, settings: _Settings, depth: int) -> list[_Candidate]:
    """Every way ``run`` reads back as UTF-8 through one code page (or two, if broken twice)."""
    if run[0] not in settings.lead_chars or run[1] not in settings.continuation_chars:
        return []
    found = []
    for order, page in enumerate(settings.codepages):
        if not page.pattern.fullmatch(run):
            continue
        try:
            repaired = run.encode(page.codec).decode("utf-8")
        except UnicodeError:
            continue
        found.append(_Candidate(repaired, (page.label,), order))
        if depth > 1 and len(repaired) >= 2:
            for deeper in _decodings(repaired, settings, depth - 1):
                found.append(_Candidate(deeper.text, (*deeper.chain, page.label), order))
    return found


class _Context:
    """Per-text facts, computed once and only when a candidate run needs them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._home: str | None = None

    @property
    def home(self) -> str:
        if self._home is None:
            self._home = _home_script(self.text)
        return self._home


def _acceptable(
    ctx: _Context, start: int, end: int, settings: _Settings
) -> tuple[list[_Candidate], bool]:
    """The plausible repairs of ``text[start:end]``, and whether the evidence is weak.

    Weak evidence (two or three symbols with a single letter beside them, which line art
    looks like too) only counts when another run of the same text was repaired through the
    same code page.
    """
    text = ctx.text
    run = text[start:end]
    candidates = _decodings(run, settings, depth=2)
    if not candidates:
        return [], False
    left, right = _word_around(text, start, end)
    symbols_only = not any(_info(ch)[0] in "LM" for ch in run)
    weak = symbols_only and len(left) + len(right) < 2 and len(run) < 4
    if symbols_only and not (left or right or len(run) >= 4):
        return [], False  # a few symbols on their own: emoticons are left alone

    run_odd = _oddness(left, run, right, garbled=True)
    if len(run) >= 4 and 2 * sum(_info(ch)[0] in "LM" for ch in run) <= len(run):
        run_odd += 2  # a long stretch of glued symbols with few letters
    run_script = _main_script(run)
    home = ctx.home
    if run_script not in (None, "LATIN") and run_script != home:
        run_odd += 1  # a lone stretch of a script the rest of the text does not use
    needed = 2
    if (
        run_script == home
        and home != "LATIN"
        and not (left and right)
        and not any(_info(ch)[0] in "SC" for ch in run)
    ):
        # In a Thai or Russian article, Thai or Russian runs are presumed correct unless they
        # hold line art, math signs or control characters, which no word has.
        needed = 4
    if run_odd < needed:
        return [], False

    def lone_foreign_letter(repaired: str) -> bool:
        letters = [ch for ch in repaired if _info(ch)[0] == "L"]
        return len(letters) == 1 and not (left or right) and _info(letters[0])[1] != ctx.home

    accepted = [
        c
        for c in candidates
        if _plausible_letters(c.text, settings)
        and not lone_foreign_letter(c.text)
        and _oddness(left, c.text, right, garbled=False) == 0
        and not is_bad(c.text)  # still mojibake to ftfy's eye: leave the run to ftfy
    ]
    # A run broken twice may read, after one step, as mojibake still: then take the second.
    deeper_pages = {c.chain[-1] for c in accepted if len(c.chain) > 1}
    accepted = [
        c
        for c in accepted
        if not (
            len(c.chain) == 1
            and c.chain[0] in deeper_pages
            and _oddness(left, c.text, right, garbled=True) >= 2
        )
    ]
    return accepted, weak


#: Characters of edge punctuation tried off each end of a non-ASCII run.
_EDGES = 4


def _codepage_edits(
    text: str, settings: _Settings
) -> tuple[list[Edit], dict[tuple[int, int], set[str]]]:
    """Repairs of garbled non-ASCII runs, and for each the readings one decoding further."""
    ctx = _Context(text)
    plans: list[tuple[int, int, list[_Candidate], bool]] = []
    for match in _RUN_RE.finditer(text):
        start, end = match.span()
        # The run, then the run without quotes, dashes or spaces at its edges (a few at most:
        # a run of thousands of quote marks must not be tried in every one of its spans).
        starts, ends = [start], [end]
        while (
            starts[-1] < end and text[starts[-1]] in _EDGE_PUNCTUATION and len(starts) <= _EDGES
        ):
            starts.append(starts[-1] + 1)
        while ends[-1] > start and text[ends[-1] - 1] in _EDGE_PUNCTUATION and len(ends) <= _EDGES:
            ends.append(ends[-1] - 1)
        spans = sorted(
            ((s, e) for s in starts for e in ends if e - s >= 2), key=lambda se: se[0] - se[1]
        )
        for s, e in spans:
            accepted, weak = _acceptable(ctx, s, e, settings)
            if accepted:
                plans.append((s, e, accepted, weak))
                break
    # The code page that explains the most runs of this text wins the ties.
    support: Counter[str] = Counter()
    for _, _, accepted, weak in plans:
        if not weak:
            support.update({c.chain[-1] for c in accepted})
    edits = []
    further: dict[tuple[int, int], set[str]] = {}
    for s, e, accepted, weak in plans:
        if weak:
            accepted = [c for c in accepted if support[c.chain[-1]]]
            if not accepted:
                continue
        best = min(
            accepted,
            key=lambda c: (
                len(c.chain),
                -support[c.chain[-1]],
                -sum(ch in settings.frequent_letters for ch in c.text),
                c.order,
            ),
        )
        if (
            best.chain in (("windows-1252",), ("latin-1",))
            and all("\u00c0" <= ch <= "\u00ff" for ch in best.text)
            and not is_bad(text[s:e])
        ):
            continue  # ftfy's own judgement on Latin-1 mix-ups, which it knows best, stands
        how = ", then ".join(f"utf-8 read as {label}" for label in best.chain)
        edits.append((s, e, best.text, how))
        further[s, e] = {
            c.text
            for c in _decodings(text[s:e], settings, depth=2)
            if len(c.chain) > len(best.chain)
        }
    return edits, further


def _word_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The letters right before ``start`` and right after ``end`` (the rest of the word)."""
    left_start = start
    while (
        left_start > 0
        and start - left_start < _MAX_WORD_CONTEXT
        and _info(text[left_start - 1])[0] in "LM"
    ):
        left_start -= 1
    right_end = end
    while (
        right_end < len(text)
        and right_end - end < _MAX_WORD_CONTEXT
        and _info(text[right_end])[0] in "LM"
    ):
        right_end += 1
    return text[left_start:start], text[end:right_end]


def _ascii_pairs(a: str, b: str) -> list[tuple[int, int]]:
    """Positions of the ASCII characters of ``a`` and ``b`` that correspond.

    Mojibake repair rewrites non-ASCII runs and leaves ASCII alone, apart from a few characters
    it takes into a repair (a space that stood for a no-break space, a "?" of a lossy
    sequence). So the ASCII skeletons of both texts are walked side by side, skipping a few
    characters where they part: linear time, where a general diff of a long article is not.
    """
    pa = [i for i, ch in enumerate(a) if ch < "\x80"]
    pb = [j for j, ch in enumerate(b) if ch < "\x80"]
    sa = "".join(a[i] for i in pa)
    sb = "".join(b[j] for j in pb)
    if sa == sb:
        return list(zip(pa, pb, strict=True))
    pairs = []
    i = j = 0
    look, need = 4, 8
    while i < len(sa) and j < len(sb):
        if sa[i] == sb[j]:
            pairs.append((pa[i], pb[j]))
            i, j = i + 1, j + 1
            continue
        for skip in range(1, look + 1):
            if sa[i + skip : i + skip + need] == sb[j : j + need]:
                i += skip
                break
            if sa[i : i + need] == sb[j + skip : j + skip + need]:
                j += skip
                break
            if sa[i + skip : i + skip + need] == sb[j + skip : j + skip + need]:
                i, j = i + skip, j + skip
                break
        else:
            i, j = i + 1, j + 1
    return pairs


def _ftfy_edits(text: str) -> tuple[list[Edit], set[int]]:
    """ftfy's encoding repair, cut into local edits so each can be traced to the input.

    Each edit covers a whole stretch between two unchanged ASCII characters. Also returns the
    positions of the characters ftfy actually replaced within those stretches.
    """
    fixed, steps = ftfy.fix_encoding_and_explain(text, FTFY_CONFIG)
    if fixed == text:
        return [], set()
    how = "ftfy: " + ", ".join(f"{step.action} {step.parameter}" for step in steps or [])
    edits: list[Edit] = []
    replaced: set[int] = set()
    anchors = [(-1, -1), *_ascii_pairs(text, fixed), (len(text), len(fixed))]
    for (i0, j0), (i1, j1) in itertools.pairwise(anchors):
        before, after = text[i0 + 1 : i1], fixed[j0 + 1 : j1]
        if before == after:
            continue
        lo = 0
        while lo < min(len(before), len(after)) and before[lo] == after[lo]:
            lo += 1
        hi = 0
        while hi < min(len(before), len(after)) - lo and before[-1 - hi] == after[-1 - hi]:
            hi += 1
        replaced.update(range(i0 + 1 + lo, i1 - hi))
        edits.append((i0 + 1, i1, after, how))
    return edits, replaced


def _merge(
    text: str,
    ftfy_found: tuple[list[Edit], set[int]],
    own: tuple[list[Edit], dict[tuple[int, int], set[str]]],
) -> list[Edit]:
    """Combine both kinds of repair of the same text into one sorted, disjoint list.

    ftfy's repair stands, except where code-page repairs cover all it replaced and give a
    different result: then ftfy read the run through the wrong code page, repaired part of it,
    or replaced its C1 control characters one by one. (When ftfy went one decoding further
    than the code-page repair, through a code page that fits, ftfy's stands.)
    """
    ftfy_edits, replaced = ftfy_found
    own_edits, further = own
    own_starts = [m[0] for m in own_edits]

    def rivals(f: Edit) -> list[Edit]:
        k = max(0, bisect.bisect_left(own_starts, f[0]) - 1)
        found = []
        while k < len(own_edits) and own_edits[k][0] < f[1]:
            if own_edits[k][1] > f[0]:
                found.append(own_edits[k])
            k += 1
        return found

    def agree(f: Edit, m: Edit) -> bool:
        lo, hi = min(f[0], m[0]), max(f[1], m[1])
        ftfy_reading = text[lo : f[0]] + f[2] + text[f[1] : hi]
        readings = {m[2]} | further.get((m[0], m[1]), set())
        return any(ftfy_reading == text[lo : m[0]] + r + text[m[1] : hi] for r in readings)

    def overruled(f: Edit, ms: list[Edit]) -> bool:
        if not ms or all(agree(f, m) for m in ms):
            return False
        return all(
            any(m[0] <= i < m[1] for m in ms)
            for i in range(f[0], f[1])
            if i in replaced and not text[i].isascii()
        )

    kept = [f for f in ftfy_edits if not overruled(f, rivals(f))]
    kept_starts = [f[0] for f in kept]

    def clashes(m: Edit) -> bool:
        k = bisect.bisect_left(kept_starts, m[1])
        return k > 0 and kept[k - 1][1] > m[0]

    return sorted(kept + [m for m in own_edits if not clashes(m)])


def _splice(pieces: list[_Piece], edits: list[Edit]) -> list[_Piece]:
    """Apply edits (current-text coordinates, sorted, disjoint) and keep track of the input.

    An edit that overlaps an earlier repair absorbs it whole, so every repair keeps pointing
    at the exact input characters it replaces.
    """
    out: list[_Piece] = []
    queue = deque(pieces)
    pos = 0  # where queue[0] starts in the current text
    for start, end, new, how in edits:
        while queue:
            p_end = pos + len(queue[0].text)
            if p_end < start or (p_end == start and queue[0].text):
                out.append(queue.popleft())
                pos = p_end
            else:
                break
        touched: list[_Piece] = []
        prefix = suffix = ""
        while queue:
            piece = queue[0]
            p_start, p_end = pos, pos + len(piece.text)
            if p_start > end or (p_start == end and piece.text and start < end):
                break
            queue.popleft()
            pos = p_end
            lo, hi = max(start, p_start) - p_start, min(end, p_end) - p_start
            if piece.chains:  # an earlier repair: absorbed whole
                if not touched:
                    prefix = piece.text[:lo]
                suffix = piece.text[hi:]
                touched.append(piece)
                continue
            if lo > 0:
                out.append(_Piece(piece.orig_start, piece.orig_start + lo, piece.text[:lo]))
            touched.append(_Piece(piece.orig_start + lo, piece.orig_start + hi, piece.text[lo:hi]))
            suffix = ""
            if hi < len(piece.text):
                queue.appendleft(_Piece(piece.orig_start + hi, piece.orig_end, piece.text[hi:]))
                pos = p_start + hi
                break
        if touched:
            orig_start, orig_end = touched[0].orig_start, touched[-1].orig_end
        else:
            orig_start = orig_end = out[-1].orig_end if out else 0
        chains: tuple[str, ...] = ()
        for piece in touched:
            chains += tuple(c for c in piece.chains if c not in chains)
        if how not in chains:
            chains += (how,)
        out.append(_Piece(orig_start, orig_end, prefix + new + suffix, chains))
    out.extend(queue)
    return out


def explain_mojibake(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Repair mojibake and say what was repaired.

    Each repair is a dict with ``start`` and ``end`` (its span in the input, so
    ``text[start:end] == before``), ``before``, ``after`` and ``chain`` (how the text had been
    broken, e.g. "utf-8 read as cp874", or ftfy's steps).

    >>> fixed, repairs = explain_mojibake("President Tokรกyev arrived.")
    >>> fixed
    'President Tokáyev arrived.'
    >>> repairs
    [{'start': 13, 'end': 15, 'before': 'รก', 'after': 'á', 'chain': 'utf-8 read as cp874'}]
    """
    if text.isascii() or not _WORTH_A_LOOK_RE.search(text):
        return text, []
    settings = _settings()
    pieces = [_Piece(0, len(text), text)]
    current = text
    # Every round shortens the text or replaces control characters, so this bound is never
    # reached; it only guarantees the loop ends.
    for _ in range(len(text) + 1):
        edits = _merge(current, _ftfy_edits(current), _codepage_edits(current, settings))
        if not edits:
            break
        pieces = _splice(pieces, edits)
        updated = "".join(p.text for p in pieces)
        if updated == current:
            break
        current = updated
    repairs = [
        {
            "start": p.orig_start,
            "end": p.orig_end,
            "before": text[p.orig_start : p.orig_end],
            "after": p.text,
            "chain": "; ".join(p.chains),
        }
        for p in pieces
        if p.chains and p.text != text[p.orig_start : p.orig_end]
    ]
    return current, repairs


def fix_mojibake(text: str) -> str:
    """Repair mojibake in ``text``; correct text comes back unchanged.

    >>> fix_mojibake("Jenbeek Kulubรกev met “Erdoğan” in Ankara.")
    'Jenbeek Kulubáev met “Erdoğan” in Ankara.'
    """
    return explain_mojibake(text)[0]
