"""Direct quotations, who said them, and the same quotation as reported by different groups.

:func:`quotes` finds text between quotation marks: typographic (“…”) or straight ("…"). A
quotation that runs over several paragraphs follows the news convention: the paragraph ends
without a closing mark and the next one opens with a new opening mark; the parts are one quote.
A closing mark with no opening one (a stray ”) is ignored.

The speaker is looked for in the quote's own sentence, in this order (the words used live in
``data/quote_attribution.toml``):

* ``after``: right after the closing mark, a reporting verb and a name ('…,” said Donald Lu,')
  or a name and a verb ('…,” Blinken told his Kazakh counterpart');
* ``before``: before the opening mark, a name that is the subject of a reporting verb
  ('Tleuberdi, on his part, expressed readiness “…”', 'Tokayev, who expressed “…”');
* ``pronoun``: "he said" and the like refer to the last named speaker of the document;
* ``same sentence``: a quote that follows another one in the same sentence, with no new
  speaker, shares its speaker ('…,” said the US diplomatic head, expressing his desire for
  “stronger” ties').

A title before the name is dropped ("Kazakh President Kassym-Jomart Tokayev" gives
"Kassym-Jomart Tokayev"). Quotes with no speaker found have a missing ``speaker`` (NA).
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections import defaultdict
from importlib import resources

import numpy as np
import pandas as pd

# difflib's SequenceMatcher in C: the same matching blocks, opcodes and ratios, faster.
from cydifflib import SequenceMatcher

from corpusutils.names import _stopwords
from corpusutils.text import fold_quotes, paragraph_bounds, tokens

__all__ = ["align_quotes", "quotes"]

_MARKS = re.compile(r"[“”\"]")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[^\W\d_])")
_UPPER = "".join(chr(c) for c in range(0x250) if chr(c).isupper()) + "Α-ΩА-Я"
_WORD = rf"[{_UPPER}][\w’'.-]*"
# A run of capitalised words, allowing "of" inside ("Secretary of State Antony Blinken"),
# starting at a word's start and at most nine words long (titles included: "Collective
# Security Treaty Organization Secretary General Imangali Tasmagambetov" is found from
# "Security" on), so that searching a text for it costs its length, not its length squared.
_NAME = rf"(?<![\w’'.-]){_WORD}(?:\s+(?:of\s+)?{_WORD}){{0,8}}"
#: Characters before a quote's opening mark and after its closing mark in which its speaker is
#: looked for: far more than any attribution takes ('..., said Donald Lu, the senior ...'),
#: and a bound that keeps the search linear in a megabyte-long sentence full of quotes.
ATTRIBUTION_WINDOW = 300


@functools.cache
def _vocabulary() -> dict[str, list[str]]:
    raw = resources.files("corpusutils.data").joinpath("quote_attribution.toml").read_text("utf-8")
    return tomllib.loads(raw)


def _alternation(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    vocab = _vocabulary()
    verb = _alternation(vocab["verbs"])
    pronoun = _alternation(vocab["pronouns"])
    clause = _alternation(vocab["clause_words"])
    described = r"the\s+[^,.;:“”\"]{1,60}?"
    return {
        # …,” said Donald Lu, the senior …  /  …,” said the US diplomatic head, while …
        "verb_name": re.compile(
            rf"^[\s,]*{verb}\s+(?P<name>{_NAME}|{described})"
            rf"(?=\s*(?:[,.;:!?]|$)|\s+{clause}\b)"
        ),
        # …,” Blinken told his Kazakh counterpart  /  …,” the State Department said
        "name_verb": re.compile(
            rf"^[\s,]*(?:the\s+)?(?P<name>{_NAME})\s+(?:[a-z]+\s+){{0,2}}?{verb}\b"
        ),
        # …,” he said  /  …,” said he
        "pronoun": re.compile(
            rf"^[\s,]*(?:(?:{pronoun})\s+(?:[a-z]+\s+){{0,2}}?{verb}|{verb}\s+(?:{pronoun}))\b",
            re.IGNORECASE,
        ),
        # Tokayev, who expressed “…
        "who": re.compile(rf"(?P<name>{_NAME}),\s+who\s+(?:[a-z]+\s+){{0,2}}?{verb}\b"),
        # Tleuberdi, on his part, expressed readiness “…  /  Blinken reaffirmed that …“…
        "subject": re.compile(
            rf"(?P<name>{_NAME})(?:,[^,“”\"]{{1,60}},)?\s+(?:[a-z]+\s+){{0,2}}?{verb}\b"
        ),
        # The US diplomatic head, in response, underlined the “…  (at the sentence start)
        "described_subject": re.compile(
            rf"^\s*(?P<name>[Tt]he\s+[^,.;:“”\"]{{1,40}}?)(?:,[^,“”\"]{{1,60}},)?\s+"
            rf"(?:[a-z]+\s+){{0,2}}?{verb}\b"
        ),
    }


def _strip_title(name: str) -> str:
    titles = set(_vocabulary()["titles"])
    words = name.split()
    last_title = -1
    for i, word in enumerate(words):
        if word.lower().rstrip(".") in titles:
            # "Secretary of State Antony Blinken": the title runs on over "of State".
            last_title = i + 2 if i + 2 < len(words) and words[i + 1] == "of" else i
    rest = words[last_title + 1 :]
    return " ".join(rest) if rest else name


def _quote_spans(text: str) -> list[tuple[list[tuple[int, int]], int, int, bool]]:
    """(content segments, opening mark position, closing mark position, closed) per quote."""
    found = []
    segments: list[tuple[int, int]] = []
    open_at: int | None = None
    opened_at = -1
    for p_start, p_end in paragraph_bounds(text):
        scan_from = p_start
        if open_at is not None:
            if text[p_start] in '“"':
                # The paragraph continues the open quote: its opening mark is not a new quote.
                open_at = scan_from = p_start + 1
            else:
                found.append((segments, opened_at, segments[-1][1], False))
                segments, open_at = [], None
        for mark in _MARKS.finditer(text, scan_from, p_end):
            ch, pos = mark.group(), mark.start()
            if open_at is None:
                if ch == "”":
                    continue
                open_at, opened_at, segments = pos + 1, pos, []
            elif ch == "“":
                # A new opening mark inside an open quote: the first one was never closed.
                if pos > open_at:
                    found.append(([*segments, (open_at, pos)], opened_at, pos, False))
                open_at, opened_at, segments = pos + 1, pos, []
            else:
                found.append(([*segments, (open_at, pos)], opened_at, pos, True))
                segments, open_at = [], None
        if open_at is not None:
            segments.append((open_at, p_end))
    if open_at is not None and segments:
        found.append((segments, opened_at, segments[-1][1], False))
    return found


def _paragraph_of(paragraphs: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The paragraph (start, end) that holds ``pos`` (found by bisection: paragraphs are sorted
    and do not overlap), or (0, 0)."""
    i = bisect.bisect_right(paragraphs, (pos, float("inf"))) - 1
    if i >= 0 and paragraphs[i][0] <= pos <= paragraphs[i][1]:
        return paragraphs[i]
    return 0, 0


def _attribute(
    text: str, opened: int, closed: int, floor: int, tail_end: int, after_quote: bool
) -> tuple[str | None, str | None]:
    """(speaker, how it was found) for the quote marked at ``opened`` and ``closed``.

    The speaker is looked for in ``text[floor:opened]`` (the start of the paragraph, or the end
    of the previous quote when ``after_quote``) and in ``text[closed + 1:tail_end]``.
    """
    patterns = _patterns()
    tail = text[closed + 1 : min(tail_end, closed + 1 + ATTRIBUTION_WINDOW)]
    stop = _SENTENCE_END.search(tail)
    tail = tail[: stop.start() + 1] if stop else tail
    tail = re.split(r"[“\"]", tail, maxsplit=1)[0]
    for key in ("verb_name", "name_verb"):
        match = patterns[key].search(tail)
        if match:
            return _named(match["name"], "after")
    if patterns["pronoun"].search(tail):
        return None, "pronoun"
    head = text[floor:opened]
    boundaries = list(_SENTENCE_END.finditer(head))
    head = head[boundaries[-1].end() :] if boundaries else head
    keys = ["who", "subject", "described_subject"]
    if len(head) > ATTRIBUTION_WINDOW:
        # Only the end of a very long sentence is searched; its start is then out of view.
        head = head[-ATTRIBUTION_WINDOW:]
        keys.remove("described_subject")
    for key in keys:
        for match in patterns[key].finditer(head):
            speaker, how = _named(match["name"], "before")
            if speaker is not None or how == "pronoun":
                return speaker, how
    if after_quote and not boundaries:
        return None, "same sentence"
    return None, None


def _named(name: str, how: str) -> tuple[str | None, str | None]:
    """(speaker, how) for a matched name: titles and sentence openers dropped, pronouns kept
    for the caller to resolve ("He said" is a pronoun, "However, Blinken said" is Blinken)."""
    name = name.strip().rstrip(".,")
    if name.lower().startswith("the "):
        return name, how
    words = name.split()
    while words and words[0].lower() in _stopwords():
        if words[0].lower() in _vocabulary()["pronouns"]:
            return None, "pronoun"
        words.pop(0)
    if not words:
        return None, None
    return _strip_title(" ".join(words)), how


def _words(text: str) -> int:
    return len(tokens(text))


def quotes(docs: pd.DataFrame, *, by: str = "agency") -> pd.DataFrame:
    """Every direct quotation of ``docs.text``, with its speaker where the text names one.

    Columns: quote_id (``"<doc_id>:<k>"``), doc_id, <by>, quote, speaker, attribution
    (``after``, ``before``, ``pronoun``, ``same sentence`` or None: how the speaker was found,
    see the module docstring), start, end, n_words, closed. ``start``/``end`` are offsets into
    the document's ``text`` of the quoted words without the marks; for a quote over several
    paragraphs they span all its parts, and ``quote`` joins the parts with a blank line (the
    continuation marks are left out). ``closed`` is False for a quote whose closing mark is
    missing (it then ends with its paragraph).

    >>> docs = pd.DataFrame({"doc_id": ["1"], "agency": ["AP"],
    ...     "text": ["“We have a lot to offer,” said Donald Lu, the senior diplomat. "
    ...              "Blinken met Tokayev, who expressed “appreciation.” "
    ...              '"Good," he said.']})
    >>> quotes(docs)[["quote", "speaker", "attribution"]].values.tolist()
    [['We have a lot to offer,', 'Donald Lu', 'after'], ['appreciation.', 'Tokayev', \
'before'], ['Good,', 'Tokayev', 'pronoun']]
    """
    if "text" not in docs.columns:
        raise ValueError("docs has no 'text' column: clean the corpus first")
    if by not in docs.columns:
        raise ValueError(f"docs has no column {by!r}")
    rows = []
    for doc_id, group, text in zip(docs["doc_id"], docs[by], docs["text"], strict=True):
        if not isinstance(text, str):
            continue
        paragraphs = paragraph_bounds(text)
        last_named: str | None = None
        previous_speaker: str | None = None
        previous_end = -1
        for k, (segments, opened, closed, is_closed) in enumerate(_quote_spans(text)):
            p_start, _ = _paragraph_of(paragraphs, opened)
            _, p_end = _paragraph_of(paragraphs, closed)
            after_quote = previous_end >= p_start
            floor = previous_end + 1 if after_quote else p_start
            speaker, how = _attribute(text, opened, closed, floor, p_end, after_quote)
            if how == "pronoun":
                speaker = last_named
            elif how == "same sentence":
                speaker = previous_speaker
                if speaker is None:
                    how = None
            if speaker is not None and how in ("after", "before"):
                last_named = speaker
            quote = "\n\n".join(text[a:b].strip() for a, b in segments)
            rows.append(
                {
                    "quote_id": f"{doc_id}:{k}",
                    "doc_id": doc_id,
                    by: group,
                    "quote": quote,
                    "speaker": speaker,
                    "attribution": how,
                    "start": segments[0][0],
                    "end": segments[-1][1],
                    "n_words": _words(quote),
                    "closed": is_closed,
                }
            )
            previous_speaker, previous_end = speaker, closed
    columns = [
        "quote_id",
        "doc_id",
        by,
        "quote",
        "speaker",
        "attribution",
        "start",
        "end",
        "n_words",
        "closed",
    ]
    columns = list(dict.fromkeys(columns))
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"start": "int64", "end": "int64", "n_words": "int64", "closed": bool})


#: Wordings of another group checked with difflib for each wording: those sharing most n-grams.
_CHECKED = 8
#: In a posting list longer than ``max_versions``, each wording is paired with this many
#: wordings on either side of it, in alphabetical order and in the order of the reversed words.
_WINDOW = 3


def _fold(word: str) -> str:
    return fold_quotes(word).casefold()


def _diff(matcher: SequenceMatcher, words_a: list[str], words_b: list[str]) -> tuple:
    """Similarity, containment, readable diff and changes between two quotes: ``words_a`` and
    ``words_b`` as written, ``matcher`` set to their folded words (a and b in that order)."""
    pieces, changes = [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = " ".join(words_a[a1:a2]), " ".join(words_b[b1:b2])
        if op == "equal":
            pieces.append(old)
            continue
        changes.append((op, old, new))
        if old:
            pieces.append(f"[-{old}-]")
        if new:
            pieces.append(f"{{+{new}+}}")
    matched = sum(block.size for block in matcher.get_matching_blocks())
    shorter = min(len(matcher.a), len(matcher.b)) or 1
    return matcher.ratio(), matched / shorter, " ".join(pieces), changes


def _shared_ngrams(
    keys: list[tuple[str, ...]], backwards: np.ndarray, n: int, max_versions: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Pairs of wordings ``a < b`` that share word n-grams, and how many (an inverted index).

    ``keys`` must be sorted, so that a posting list (ascending ids) is in alphabetical order;
    ``backwards`` is each wording's rank when the keys are sorted by their reversed words.
    A list of at most ``max_versions`` wordings pairs all of them; a longer one (a stock
    phrase, or one utterance in hundreds of wordings) pairs each wording with its neighbours
    only, which keeps the work linear while near-identical wordings still meet.
    """
    count = len(keys)
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for version, key in enumerate(keys):
        for gram in {key[j : j + n] for j in range(max(1, len(key) - n + 1))}:
            index[gram].append(version)
    # Posting lists of one length make one matrix, one row per list: a few array operations.
    by_size: dict[int, list[list[int]]] = defaultdict(list)
    for members in index.values():
        if len(members) > 1:
            by_size[len(members)].append(members)
    del index
    crowded = sum(len(lists) for size, lists in by_size.items() if size > max_versions)
    firsts, seconds = [], []
    for size, lists in by_size.items():
        ids = np.array(lists, dtype=np.int64)
        if size <= max_versions:
            i, j = np.triu_indices(size, 1)
            firsts.append(ids[:, i].ravel())
            seconds.append(ids[:, j].ravel())
            continue
        backwards_order = np.argsort(backwards[ids], axis=1, kind="stable")
        for order in (ids, np.take_along_axis(ids, backwards_order, axis=1)):
            for step in range(1, min(_WINDOW, size - 1) + 1):
                a, b = order[:, :-step], order[:, step:]
                firsts.append(np.minimum(a, b).ravel())
                seconds.append(np.maximum(a, b).ravel())
    if not firsts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, crowded
    codes, shared = np.unique(
        np.concatenate(firsts) * count + np.concatenate(seconds), return_counts=True
    )
    return codes // count, codes % count, shared, crowded


def _best_matches(
    keys: list[tuple[str, ...]],
    use_version: np.ndarray,
    use_group: np.ndarray,
    n: int,
    max_versions: int,
    min_similarity: float,
) -> tuple[list[tuple[int, int]], int]:
    """Pairs of uses (wording, group): each wording's best match in every other group; and
    how many n-grams were in more than ``max_versions`` wordings."""
    n_groups = int(use_group.max()) + 1
    use_code = use_version * n_groups + use_group  # sorted: uses are ordered by wording, group
    starts = np.searchsorted(use_version, np.arange(len(keys) + 1))
    length = np.array([len(k) for k in keys], dtype=np.int64)
    backwards = np.empty(len(keys), dtype=np.int64)
    backwards[sorted(range(len(keys)), key=lambda v: keys[v][::-1])] = np.arange(len(keys))
    a, b, shared, crowded = _shared_ngrams(keys, backwards, n, max_versions)
    # Both directions; difflib's ratio cannot exceed 2 * shorter / (sum of the lengths).
    v, w, shared = np.r_[a, b], np.r_[b, a], np.r_[shared, shared]
    keep = 2 * np.minimum(length[v], length[w]) >= min_similarity * (length[v] + length[w])
    v, w, shared = v[keep], w[keep], shared[keep]
    # One row per use of w: candidates for v in the group of that use.
    per = starts[w + 1] - starts[w]
    v, w, shared = np.repeat(v, per), np.repeat(w, per), np.repeat(shared, per)
    offset = np.arange(len(w)) - np.repeat(np.cumsum(per) - per, per)
    use_w = starts[w] + offset
    slot = v * n_groups + use_group[use_w]
    # Where v itself is used in that group, the best match there is v (similarity 1).
    at = np.minimum(np.searchsorted(use_code, slot), len(use_code) - 1)
    open_slot = use_code[at] != slot
    v, use_w, shared, slot = v[open_slot], use_w[open_slot], shared[open_slot], slot[open_slot]
    w = use_version[use_w]
    # Most shared n-grams first; among equals, the wordings nearest in alphabetical order,
    # forwards or backwards (those with the longest beginning or end in common).
    near = np.minimum(np.abs(v - w), np.abs(backwards[v] - backwards[w]))
    order = np.lexsort((use_w, near, -shared, slot))
    v, use_w, slot = v[order], use_w[order], slot[order]
    first_of_slot = np.r_[True, slot[1:] != slot[:-1]] if len(slot) else np.zeros(0, bool)
    group_start = np.maximum.accumulate(np.where(first_of_slot, np.arange(len(slot)), 0))
    top = np.arange(len(slot)) - group_start < _CHECKED
    ratio: dict[tuple[int, int], float] = {}
    # difflib's ratio depends on the order of the two wordings where matches tie: each pair
    # is measured in the order it first came up in (its seq2, here), measured or not then.
    seq2_of: dict[tuple[int, int], int] = {}
    best: dict[int, tuple[float, int]] = {}
    # Candidates come sorted by wording, so one matcher keeps that wording's index (seq2).
    matcher, current = SequenceMatcher(autojunk=False), -1
    swapped = SequenceMatcher(autojunk=False)
    other_of = use_version.tolist()
    checked = zip(v[top].tolist(), use_w[top].tolist(), slot[top].tolist(), strict=True)
    for version, use, key in checked:
        other = other_of[use]
        pair = (min(version, other), max(version, other))
        # Candidates of a slot come in order of preference: the first of the highest ratio wins.
        held = best.get(key, (-1.0, -1))[0]
        if pair not in ratio:
            if version != current:
                matcher.set_seq2(keys[version])
                current = version
            matcher.set_seq1(keys[other])
            seq2 = seq2_of.setdefault(pair, version)
            # quick_ratio (the same either way round) bounds ratio from above for a fraction
            # of its cost: a candidate that cannot win the slot is not measured.
            bound = matcher.quick_ratio()
            if bound < min_similarity or bound <= held:
                continue
            if seq2 == version:
                ratio[pair] = matcher.ratio()
            else:
                swapped.set_seqs(keys[version], keys[other])
                ratio[pair] = swapped.ratio()
        if ratio[pair] >= min_similarity and ratio[pair] > held:
            best[key] = (ratio[pair], use)
    pairs: set[tuple[int, int]] = set()
    for key, (_, use) in best.items():
        version, group = divmod(key, n_groups)
        pairs.update(
            (min(own, use), max(own, use))
            for own in range(starts[version], starts[version + 1])
            if use_group[own] != group
        )
    for version in np.flatnonzero(starts[1:] - starts[:-1] > 1).tolist():
        own = range(starts[version], starts[version + 1])
        pairs.update((x, y) for x in own for y in own if x < y)
    return sorted(pairs), crowded


def align_quotes(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    min_similarity: float = 0.6,
    min_words: int = 4,
    n: int = 3,
    max_versions: int = 100,
    found: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The same utterance quoted in different groups, with a word-level diff.

    Quotes (from :func:`quotes`, or ``found`` if given) of at least ``min_words`` words are
    compared by their wording: the case-folded words, punctuation and the form of apostrophes
    ignored. Quotes worded alike within one group count once (``n_a``, ``n_b`` say how many
    there are; the ids, documents and speakers shown are those of the first). Each distinct
    wording is compared once, and only with wordings that share a word ``n``-gram with it (an
    inverted index); an n-gram found in more than ``max_versions`` wordings (a stock phrase,
    or an utterance quoted in many wordings) pairs each wording only with its neighbours in
    alphabetical order, forwards and by the words read backwards; how many n-grams were
    treated so is in ``attrs["crowded_ngrams"]``.

    ``similarity`` is difflib's ratio on the words (2 * matched words / total words). Each
    wording of a group is paired with its best match in every other group: the same wording
    (similarity 1, no changes) where that group has it, else the most similar one with
    ``similarity >= min_similarity`` among the few sharing most n-grams with it. A pair that
    is the best match both ways is one row: at most one row per wording of a group and other
    group, so the rows grow with the number of quotes (times the number of groups), not with
    its square. ``containment`` is the matched words over the shorter quote's words, high
    when one agency quotes a fragment of the other's.

    ``diff`` reads as quote a, with ``[-words-]`` only in a and ``{+words+}`` only in b;
    ``changes`` lists the differences as ``(op, words_a, words_b)``, op being ``replace``,
    ``delete`` or ``insert``.

    Columns: quote_id_a, quote_id_b, doc_id_a, doc_id_b, <by>_a, <by>_b, n_a, n_b, speaker_a,
    speaker_b, quote_a, quote_b, similarity, containment, diff, changes. Sorted by similarity;
    within a row, a is the quote found first.

    >>> docs = pd.DataFrame({"doc_id": ["1", "2"], "agency": ["EFE", "Reuters"],
    ...     "text": ['“They actually have no meaning,” Blinken said.',
    ...              '"They actually have real meaning," Blinken said.']})
    >>> align_quotes(docs)[["doc_id_a", "doc_id_b", "diff"]].values.tolist()
    [['1', '2', 'They actually have [-no-] {+real+} meaning']]
    """
    if found is None:
        found = quotes(docs, by=by)
    group_column = by if by in found.columns else "doc_id"
    found = found[found["n_words"] >= min_words].reset_index(drop=True)
    columns = [
        "quote_id_a",
        "quote_id_b",
        "doc_id_a",
        "doc_id_b",
        f"{by}_a",
        f"{by}_b",
        "n_a",
        "n_b",
        "speaker_a",
        "speaker_b",
        "quote_a",
        "quote_b",
        "similarity",
        "containment",
        "diff",
        "changes",
    ]
    columns = list(dict.fromkeys(columns))
    if not len(found):
        out = pd.DataFrame({column: [] for column in columns}, columns=columns)
        out = out.astype({"n_a": "int64", "n_b": "int64", "similarity": float,
                          "containment": float})
        out.attrs["crowded_ngrams"] = 0
        return out
    texts = found["quote"].tolist()
    words = [tokens(text) for text in texts]
    # Each spelling is folded once and its folded form shared by every wording using it.
    fold = {w: _fold(w) for w in {w for quote in words for w in quote}}
    folded = [tuple(fold[w] for w in quote) for quote in words]
    del fold
    keys = sorted(set(folded))
    version_of = {key: v for v, key in enumerate(keys)}
    groups, group_values = pd.factorize(found[group_column], use_na_sentinel=False)
    # A use is one wording in one group: its first quote and how many quotes it has.
    codes = np.array([version_of[k] for k in folded], dtype=np.int64) * len(group_values)
    del folded, version_of
    uses, first, count = np.unique(codes + groups, return_index=True, return_counts=True)
    use_version, use_group = np.divmod(uses, len(group_values))
    matches, crowded = _best_matches(
        keys, use_version, use_group, n, max_versions, min_similarity
    )
    pairs = np.array(matches, dtype=np.int64).reshape(-1, 2)
    # The quote found first is side a.
    x, y = pairs[:, 0], pairs[:, 1]
    swap = first[x] > first[y]
    x, y = np.where(swap, y, x), np.where(swap, x, y)
    # Each pair of wordings is compared once, with the quotes of the first row that has it.
    pair_code = use_version[x] * len(keys) + use_version[y]
    unique_codes, shown, row_pair = np.unique(pair_code, return_index=True, return_inverse=True)
    a_version, b_version = np.divmod(unique_codes, len(keys))
    a_quote, b_quote = first[x[shown]].tolist(), first[y[shown]].tolist()
    compared: list = [None] * len(unique_codes)
    matcher = SequenceMatcher(autojunk=False)
    # In the order of side b, so that one matcher keeps b's index for all its pairs.
    for k in np.lexsort((a_version, b_version)).tolist():
        matcher.set_seq2(keys[b_version[k]])
        matcher.set_seq1(keys[a_version[k]])
        compared[k] = _diff(matcher, words[a_quote[k]], words[b_quote[k]])
    similarity = np.array([c[0] for c in compared], dtype=float)[row_pair]
    keep = similarity >= min_similarity
    x, y, row_pair, similarity = x[keep], y[keep], row_pair[keep], similarity[keep]
    i, j = first[x], first[y]
    quote_ids = found["quote_id"].to_numpy(dtype=object)
    # Sorted by similarity, then the quote ids (as strings: ranks of the sorted ids).
    id_rank = np.empty(len(quote_ids), dtype=np.int64)
    id_rank[np.argsort(quote_ids, kind="stable")] = np.arange(len(quote_ids))
    order = np.lexsort((id_rank[j], id_rank[i], -similarity))
    x, y, i, j, row_pair = x[order], y[order], i[order], j[order], row_pair[order]
    doc_ids = found["doc_id"].to_numpy(dtype=object)
    speakers = found["speaker"].to_numpy(dtype=object)
    quote_texts = np.array(texts, dtype=object)
    group_names = np.array(list(group_values), dtype=object)
    diffs, changes = np.empty(len(compared), dtype=object), np.empty(len(compared), dtype=object)
    for k, (_, _, diff, changed) in enumerate(compared):
        diffs[k], changes[k] = diff, changed
    out = pd.DataFrame(
        {
            "quote_id_a": quote_ids[i],
            "quote_id_b": quote_ids[j],
            "doc_id_a": doc_ids[i],
            "doc_id_b": doc_ids[j],
            f"{by}_a": group_names[use_group[x]],
            f"{by}_b": group_names[use_group[y]],
            "n_a": count[x].astype("int64"),
            "n_b": count[y].astype("int64"),
            "speaker_a": speakers[i],
            "speaker_b": speakers[j],
            "quote_a": quote_texts[i],
            "quote_b": quote_texts[j],
            "similarity": similarity[order],
            "containment": np.array([c[1] for c in compared], dtype=float)[row_pair],
            "diff": diffs[row_pair],
            "changes": changes[row_pair],
        },
        columns=columns,
    )
    out = out.astype({"n_a": "int64", "n_b": "int64", "similarity": float, "containment": float})
    out = out.reset_index(drop=True)
    out.attrs["crowded_ngrams"] = crowded
    return out
