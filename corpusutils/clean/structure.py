"""The parts of a wire story around its body: headline, byline, dateline, credits, furniture.

The patterns live in ``corpusutils/data/furniture.toml`` (one commented rule each: where it looks,
which column it feeds). :func:`split_structure` cuts a text into paragraphs
(:func:`corpusutils.clean.normalize.paragraph_spans`) and then, in this order:

1. removes every paragraph that is furniture wherever it stands ("See also ...", "(Photo)", "|");
2. from the end, removes trailing paragraphs that are credits, copyright notices, desk codes or
   furniture, and an agency signature closing the last paragraph ("... territories. EFE");
3. from the start, removes leading paragraphs that are a section label, a byline, a timestamp,
   a headline or a deck, and a dateline opening the first paragraph ("Astana, 28 Feb.").

A headline is found by its shape: a short leading paragraph that does not end like a sentence
and is followed by one that does (or by a byline, timestamp or dateline); a paragraph that reads
as a cut sentence (it ends with a word such as "the" or "his", or the next one goes on in lower
case) is never a headline, so that a layout guess never takes story text out of the body. A deck
is a leading paragraph directly followed by a byline or timestamp. Each decision depends only on
a paragraph and the one after it, so cleaning a cleaned text finds nothing more to remove.
"""

from __future__ import annotations

import csv
import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from corpusutils.clean.normalize import (
    Paragraph,
    _positions,
    normalize_paragraph,
    paragraph_spans,
)

__all__ = ["FIELDS", "Rule", "Structure", "load_furniture_rules", "split_structure"]

#: The single-valued columns that structure extraction fills (``None`` when absent).
FIELDS = (
    "headline", "deck", "section", "byline", "timestamp", "dateline", "credits", "desk_code",
    "copyright",
)
_JOINERS = {"copyright": " ", "credits": "; "}
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘«"


@dataclass(frozen=True)
class Rule:
    """One pattern of ``furniture.toml``."""

    name: str
    column: str
    where: str
    pattern: re.Pattern[str]
    comment: str

    def value(self, match: re.Match[str]) -> str:
        raw = match["value"] if "value" in self.pattern.groupindex else match[0]
        return " ".join((raw or "").split())


@dataclass(frozen=True)
class _Rules:
    by_where: dict[str, tuple[Rule, ...]]
    headline_words: int
    headline_chars: int
    deck_words: int
    never_last: frozenset[str]


_PIECE = re.compile(r"\{([a-z_]+)\}")


def _month_pattern() -> str:
    """Every month name and abbreviation of ``months.csv``, longest first, in any letter case."""
    source = resources.files("corpusutils.data").joinpath("months.csv")
    with source.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        words = {w for row in rows for w in (row["name"], *row["abbreviations"].split()) if w}
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "(?i:" + "|".join(re.escape(w) for w in ordered) + r")(?![^\W\d_])"


def _expand(pattern: str, pieces: dict[str, str], where: str) -> str:
    """Put each named piece ``{name}`` into a pattern (as a non-capturing group)."""

    def piece(match: re.Match[str]) -> str:
        if match[1] not in pieces:
            raise ValueError(f"furniture.toml {where}: unknown piece {{{match[1]}}}")
        return "(?:" + pieces[match[1]] + ")"

    return _PIECE.sub(piece, pattern)


@functools.cache
def load_furniture_rules() -> _Rules:
    """Read and compile ``corpusutils/data/furniture.toml`` (once per process).

    >>> rules = load_furniture_rules()
    >>> [r.name for r in rules.by_where["footer"]][:4]
    ['desk_code', 'credits', 'copyright', 'signoff']
    """
    raw = resources.files("corpusutils.data").joinpath("furniture.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    pieces = {"month": _month_pattern()}
    for name, text in data.get("parts", {}).items():
        pieces[name] = _expand(text, pieces, f"part {name!r}")
    by_where: dict[str, list[Rule]] = {w: [] for w in ("anywhere", "header", "footer", "start",
                                                       "end")}
    for entry in data["rule"]:
        if entry["where"] not in by_where:
            raise ValueError(f"furniture.toml rule {entry['name']!r}: unknown where")
        if entry["column"] not in (*FIELDS, "furniture"):
            raise ValueError(f"furniture.toml rule {entry['name']!r}: unknown column")
        by_where[entry["where"]].append(
            Rule(
                name=entry["name"],
                column=entry["column"],
                where=entry["where"],
                pattern=re.compile(_expand(entry["pattern"], pieces, f"rule {entry['name']!r}")),
                comment=entry.get("comment", ""),
            )
        )
    return _Rules(
        by_where={k: tuple(v) for k, v in by_where.items()},
        headline_words=data["headline"]["max_words"],
        headline_chars=data["headline"]["max_chars"],
        never_last=frozenset(data["headline"].get("never_last", ())),
        deck_words=data["deck"]["max_words"],
    )


@dataclass
class Structure:
    """What :func:`split_structure` found in a text.

    ``fields`` maps each of :data:`FIELDS` to its text (or ``None``); ``furniture`` lists the
    furniture texts in order; ``body`` holds the spans of the body paragraphs in the text;
    ``removed`` holds one dict per removed span: rule, column, text, start, end;
    ``paragraphs`` holds the body paragraphs normalised (:func:`normalize_paragraph`).
    """

    fields: dict[str, str | None]
    furniture: list[str]
    body: list[tuple[int, int]]
    removed: list[dict] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _fullmatch(rules: tuple[Rule, ...], view: str) -> tuple[Rule, re.Match[str]] | None:
    for rule in rules:
        match = rule.pattern.fullmatch(view)
        if match:
            return rule, match
    return None


def _ends_like_sentence(view: str) -> bool:
    stripped = view.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in ".!?…"


# Starts only at a word's start: searched through a text, it stays linear.
_NAMES = re.compile(r"(?<![\w.'’-])[A-Z][\w.'’-]*(?:(?:,? and |, | )[A-Z][\w.'’-]*){1,15}")


def _names_only(view: str) -> bool:
    """A list of people's names: capitalised words joined by spaces, commas and "and"."""
    return bool(_NAMES.fullmatch(view))


def _starts_like_title(view: str) -> bool:
    first = view.lstrip(_OPENERS)[:1]
    return bool(first) and (first.isupper() or first.isdigit())


class _Splitter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.rules = load_furniture_rules()
        self.units = [_trim(text, a, b) for a, b in paragraph_spans(text)]
        self.units = [u for u in self.units if u[0] < u[1]]
        self.found: dict[str, list[tuple[int, str]]] = {}
        self.removed: list[dict] = []
        self._paragraphs: dict[tuple[int, int], Paragraph] = {}

    def paragraph(self, start: int, end: int) -> Paragraph:
        key = (start, end)
        if key not in self._paragraphs:
            self._paragraphs[key] = normalize_paragraph(self.text[start:end])
        return self._paragraphs[key]

    def view(self, start: int, end: int) -> str:
        """The paragraph as it will read once normalised: what every rule looks at."""
        return self.paragraph(start, end).text

    def record(self, rule: Rule, start: int, end: int, value: str) -> None:
        self.removed.append(
            {
                "rule": rule.name,
                "column": rule.column,
                "text": self.text[start:end],
                "start": start,
                "end": end,
            }
        )
        if value:
            self.found.setdefault(rule.column, []).append((start, value))

    def take_whole(self, index: int, wheres: tuple[str, ...]) -> bool:
        start, end = self.units[index]
        view = self.view(start, end)
        for where in wheres:
            hit = _fullmatch(self.rules.by_where[where], view)
            if hit:
                rule, match = hit
                self.record(rule, start, end, rule.value(match))
                del self.units[index]
                return True
        return False

    def take_edge(self, index: int, where: str) -> bool:
        """Remove a prefix ("start" rules) or suffix ("end" rules) of a paragraph.

        Rules match the normalised paragraph, as they will in a cleaned text; the cut is
        then mapped back to the text as received.
        """
        start, end = self.units[index]
        for rule in self.rules.by_where[where]:
            find = rule.pattern.match if where == "start" else rule.pattern.search
            view = self.view(start, end)
            match = find(view)
            if not match or not match[0].strip():
                continue
            positions = _positions(self.text[start:end], self.paragraph(start, end))
            if positions is None:  # NFC changed the length: match the text as received
                view = self.text[start:end]
                positions = list(range(len(view)))
                match = find(view)
                if not match or not match[0].strip():
                    continue
            first = match.start() + len(match[0]) - len(match[0].lstrip())
            last = match.end() - (len(match[0]) - len(match[0].rstrip())) - 1
            cut = (start + positions[first], start + positions[last] + 1)
            self.record(rule, *cut, rule.value(match))
            rest = (cut[1], end) if where == "start" else (start, cut[0])
            rest = _trim(self.text, *rest)
            if rest[0] < rest[1]:
                self.units[index] = rest
            else:
                del self.units[index]
            return True
        return False

    def _has_dateline(self, index: int) -> bool:
        view = self.view(*self.units[index])
        return any(rule.pattern.match(view) for rule in self.rules.by_where["start"])

    def take_title(self) -> bool:
        """Headline or deck at the start, judged from the first paragraph and the next one."""
        view = self.view(*self.units[0])
        nxt = self.view(*self.units[1]) if len(self.units) > 1 else None
        if nxt is None:
            return False
        before_byline = any(
            r.column in ("byline", "timestamp") and r.pattern.fullmatch(nxt)
            for r in self.rules.by_where["header"]
        )
        words = len(view.split())
        # as written: "ET" (a time zone) is not the French "et"
        last_word = view.split()[-1].strip(_CLOSERS + _OPENERS) if words else ""
        dateline_next = self._has_dateline(1)
        ending = view.rstrip(_CLOSERS)[-1:]
        is_title = (
            words <= self.rules.headline_words
            and len(view) <= self.rules.headline_chars
            and _starts_like_title(view)
            and sum(ch.isalpha() for ch in view) >= 2
            and (ending not in tuple(".!?…:;,") or (ending == "?" and dateline_next))
            # a sentence cut by a line break goes on in the next paragraph: not a headline
            and last_word not in self.rules.never_last
            and not nxt.lstrip(_OPENERS)[:1].islower()
            and (_ends_like_sentence(nxt) or before_byline or dateline_next)
        )
        if _names_only(view) and any(
            r.name == "byline_outlet" and r.pattern.fullmatch(nxt)
            for r in self.rules.by_where["header"]
        ):
            # authors' names above the outlet's name: "David Jackson and Michael Collins" /
            # "USA TODAY"
            rule = Rule("byline_names", "byline", "header", re.compile(""), "")
            self.record(rule, *self.units[0], view)
            del self.units[0]
            return True
        is_deck = not is_title and before_byline and words <= self.rules.deck_words
        if not (is_title or is_deck):
            return False
        if is_title and "headline" not in self.found:
            column = "headline"
        elif "deck" not in self.found:
            column = "deck"
        else:
            column = "furniture"
        rule = Rule("headline" if is_title else "deck", column, "header", re.compile(""), "")
        self.record(rule, *self.units[0], view)
        del self.units[0]
        return True

    def run(self) -> Structure:
        # Until nothing more applies: a cut can expose a new first or last paragraph (a
        # dateline followed by nothing but credits, say), and stopping only where no rule
        # applies is what makes cleaning a cleaned text a no-op.
        before = None
        while self.units != before:
            before = list(self.units)
            for index in reversed(range(len(self.units))):
                self.take_whole(index, ("anywhere",))
            while self.units and (
                self.take_whole(-1, ("anywhere", "footer")) or self.take_edge(-1, "end")
            ):
                pass
            while self.units and (
                self.take_whole(0, ("anywhere", "header"))
                or self.take_edge(0, "start")
                or self.take_title()
            ):
                pass
        fields: dict[str, str | None] = {}
        for column in FIELDS:
            values = [v for _, v in sorted(self.found.get(column, []))]
            fields[column] = _JOINERS.get(column, "; ").join(values) if values else None
        furniture = [v for _, v in sorted(self.found.get("furniture", []))]
        self.removed.sort(key=lambda r: r["start"])
        paragraphs = [self.paragraph(*unit) for unit in self.units]
        return Structure(fields, furniture, list(self.units), self.removed, paragraphs)


def split_structure(text: str) -> Structure:
    """Find the parts of a story around its body (see the module docstring).

    >>> s = split_structure("Politics\\n\\nTalks go on\\n\\nAstana, Feb 28 (EFE).- They met. EFE"
    ...                     "\\n\\nkk-mos/sc\\n\\nBack to top button")
    >>> s.fields["section"], s.fields["headline"], s.fields["dateline"], s.fields["desk_code"]
    ('Politics', 'Talks go on', 'Astana, Feb 28', 'kk-mos/sc')
    >>> s.furniture
    ['EFE', 'Back to top button']
    >>> [(r["rule"], r["text"]) for r in s.removed][2]
    ('dateline_efe', 'Astana, Feb 28 (EFE).-')
    """
    return _Splitter(text).run()
