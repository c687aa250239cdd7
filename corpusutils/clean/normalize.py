"""Paragraphs and spacing of an article body.

* :func:`paragraph_spans` finds the paragraphs of a text as received: a blank line always ends a
  paragraph; inside a block of consecutive lines every line is a paragraph (one paragraph per
  line, as in many wire feeds), unless the block is hard-wrapped (most lines stop short of a
  sentence end, and lines are short; or, for a block of two lines, the second goes on with the
  sentence the first leaves open), in which case lines are joined and a paragraph ends at a
  line that ends a sentence before a line that does not start in lower case, and after a title
  in capitals ("BAHIA COCOA REVIEW" above the dateline of a Reuters-21578 story).
* :func:`normalize_paragraph` collapses whitespace (non-breaking spaces and line breaks
  included), removes the space before punctuation ("Tokáyev ." becomes "Tokáyev.") and a stray
  full stop after a sentence end ("influence. ." becomes "influence."), and applies NFC. Every
  removal of characters other than collapsed whitespace is returned as a span, so that the
  caller can record it.
* :func:`oddities` reports (never changes) what looks wrong but cannot be fixed safely: a doubled
  or unmatched closing quote, an odd number of straight quotes, a doubled full stop.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from typing import NamedTuple

from corpusutils.text import _is_abbreviation

__all__ = ["Paragraph", "normalize_paragraph", "oddities", "paragraph_spans"]

#: A block is read as hard-wrapped when at least this share of its lines (all but the last)
#: stop short of a sentence end ...
WRAPPED_OPEN_SHARE = 0.5
#: ... and its lines are at most this long (median, in characters).
WRAPPED_MEDIAN_CHARS = 100

_CLOSERS = "\"'”’)]»"
_SENTENCE_END = re.compile(r"(?P<stop>[.!?…])[" + re.escape(_CLOSERS) + r"]*$")
_ALNUM = re.compile(r"[^\W_]")
# Removals, in the text as received. A stray full stop is one standing alone after a sentence
# end ("influence. ."); a space before punctuation is dropped unless the punctuation starts an
# ellipsis or a number (" ...", " .5"). The space may follow a full stop too (".” . ,"), so
# that what a stray full stop leaves behind is tidied in the same pass.
_REMOVALS = re.compile(
    r"(?P<stray_full_stop>(?:(?<=[.!?])|(?<=[.!?][" + re.escape(_CLOSERS) + r"]))\s+\.(?![.\w]))"
    r"|(?P<space_before_punctuation>"
    r"(?:(?<=[^\W_])|(?<=[.!?" + re.escape(_CLOSERS) + r"]))\s+(?=[.,;:!?](?![.\d])))"
)


def _ends_sentence(line: str) -> bool:
    """True when a stripped line ends a sentence (not after an abbreviation such as "Feb.")."""
    match = _SENTENCE_END.search(line)
    if not match:
        return False
    if match["stop"] != ".":
        return True
    head = line[: match.start()]
    word = head.rsplit(None, 1)[-1] if head.strip() else ""
    return not _is_abbreviation(word)


def _continues(line: str, following: str) -> bool:
    """Does ``following`` go on with the sentence that ``line`` leaves open?"""
    line, following = line.strip(), following.strip()
    first = following.lstrip("\"'“‘«(")[:1]
    return bool(first) and not _ends_sentence(line) and (first.islower() or first.isdigit())


def _is_wrapped(lines: list[str]) -> bool:
    inner = [line.strip() for line in lines[:-1]]
    if len(lines) == 2:
        # Two lines are one wrapped paragraph when the second goes on with the first's
        # sentence ("Police said the man called his" / "stepdaughter to confirm ...").
        return _continues(lines[0], lines[1])
    if len(lines) < 3:
        return False
    still_open = sum(not _ends_sentence(line) for line in inner)
    return (
        still_open / len(inner) >= WRAPPED_OPEN_SHARE
        and statistics.median(len(line) for line in inner) <= WRAPPED_MEDIAN_CHARS
    )


def _breaks_after(line: str, following: str) -> bool:
    """In a hard-wrapped block: does a paragraph end between ``line`` and ``following``?"""
    line, following = line.strip(), following.strip()
    if not _ALNUM.search(line) or not _ALNUM.search(following):
        return True  # separators such as "|" stand alone
    if following[0].islower():
        return False
    if line.startswith("(") and line.endswith(")"):
        return True  # a parenthetical line, such as credits
    if _is_capitals(line) and not _is_capitals(following):
        return True  # a title in capitals above the story ("BAHIA COCOA REVIEW")
    return _ends_sentence(line)


def _is_capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and not any(ch.islower() for ch in letters)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every paragraph of ``text`` as received (spans may hold line breaks).

    >>> text = "One line.\\nAnother line.\\n\\nA hard-wrapped\\nparagraph that\\ngoes on.\\nNext."
    >>> [text[a:b] for a, b in paragraph_spans(text)]
    ['One line.', 'Another line.', 'A hard-wrapped\\nparagraph that\\ngoes on.', 'Next.']
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    blocks: list[list[tuple[int, int]]] = [[]]
    for start, end in lines:
        if text[start:end].strip():
            blocks[-1].append((start, end))
        elif blocks[-1]:
            blocks.append([])
    spans: list[tuple[int, int]] = []
    for block in blocks:
        if not block:
            continue
        texts = [text[a:b] for a, b in block]
        if not _is_wrapped(texts):
            spans.extend(block)
            continue
        start = block[0][0]
        for i in range(len(block) - 1):
            if _breaks_after(texts[i], texts[i + 1]):
                spans.append((start, block[i][1]))
                start = block[i + 1][0]
        spans.append((start, block[-1][1]))
    return spans


class Paragraph(NamedTuple):
    """A normalised paragraph.

    ``text``: the normalised text; ``removed``: the removed spans ``(start, end, rule)`` of the
    input; ``notes``: what was removed, in words.
    """

    text: str
    removed: list[tuple[int, int, str]]
    notes: list[str]


def normalize_paragraph(raw: str) -> Paragraph:
    """Normalise one paragraph: spacing, stray full stops, NFC (see the module docstring).

    >>> p = normalize_paragraph("the president,\\u00a0Kasim-Yomart Tokáyev .\\nEnd. .")
    >>> p.text
    'the president, Kasim-Yomart Tokáyev. End.'
    >>> [(raw_start, rule) for raw_start, _, rule in p.removed]
    [(35, 'space_before_punctuation'), (43, 'stray_full_stop')]
    """
    removed: list[tuple[int, int, str]] = []
    notes: list[str] = []
    kept: list[str] = []
    pos = 0
    for match in _REMOVALS.finditer(raw):
        rule = match.lastgroup or ""
        kept.append(raw[pos : match.start()])
        pos = match.end()
        start = match.start()
        if rule == "stray_full_stop":
            start = match.end() - 1  # the whitespace before it is layout, not content
            before = " ".join(raw[max(0, match.start() - 40) : match.start()].split())
            context = before.split(" ", 1)[-1] if len(before) >= 40 else before
            notes.append(f"stray full stop removed after {context!r}")
        removed.append((start, match.end(), rule))
    kept.append(raw[pos:])
    text = " ".join("".join(kept).split())
    return Paragraph(unicodedata.normalize("NFC", text), removed, notes)


def _positions(raw: str, paragraph: Paragraph) -> list[int] | None:
    """For each character of ``paragraph.text``, its index in ``raw`` (``None`` in the rare
    case where NFC changed the length, so that characters no longer correspond)."""
    dropped = bytearray(len(raw))
    for match in _REMOVALS.finditer(raw):
        dropped[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    positions: list[int] = []
    previous_space = True  # leading whitespace is dropped
    for index, char in enumerate(raw):
        if dropped[index]:
            continue
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        positions.append(index)
    if positions and raw[positions[-1]].isspace():
        positions.pop()
    return positions if len(positions) == len(paragraph.text) else None


_DOUBLED_CLOSING = re.compile(r"”\s*”|’\s*’(?!\w)")
_DOUBLED_STOP = re.compile(r"(?<!\.)\.[" + re.escape(_CLOSERS) + r"]*\s*\.(?!\.)")


def _context(text: str, start: int, end: int, width: int = 25) -> str:
    return text[max(0, start - width) : end + width].strip()


def oddities(text: str) -> list[str]:
    """Notes on what looks wrong in a cleaned text (paragraphs separated by blank lines).

    >>> for note in oddities("Fine “quote.”\\n\\nHe said “no.” ”\\n\\nThe end.."):
    ...     print(note)
    paragraph 1: doubled closing quote in 'He said “no.” ”'
    paragraph 1: closing quotes (2) outnumber opening ones (1)
    paragraph 2: doubled full stop in 'The end..'
    """
    notes = []
    for index, paragraph in enumerate(text.split("\n\n")):
        for match in _DOUBLED_CLOSING.finditer(paragraph):
            where = _context(paragraph, match.start(), match.end())
            notes.append(f"paragraph {index}: doubled closing quote in {where!r}")
        opening, closing = paragraph.count("“"), paragraph.count("”")
        if closing > opening:
            notes.append(
                f"paragraph {index}: closing quotes ({closing}) outnumber opening ones ({opening})"
            )
        if paragraph.count('"') % 2:
            notes.append(f"paragraph {index}: odd number of straight double quotes")
        for match in _DOUBLED_STOP.finditer(paragraph):
            where = _context(paragraph, match.start(), match.end(), width=15)
            notes.append(f"paragraph {index}: doubled full stop in {where!r}")
    return notes
