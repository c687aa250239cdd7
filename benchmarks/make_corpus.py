"""Build a large corpus of wire stories by recombining the sentences of the five seed articles.

Run by hand: ``.venv/bin/python benchmarks/make_corpus.py FOLDER [N] [--seed S]`` writes N
article files (default 10,000) and a ``manifest.csv`` into FOLDER. The result is deterministic
for a given N and seed.

Articles come in stories, as wire copy does: a story is 3 to 12 articles (different agencies,
updates) about one event. Each story rewrites every seed sentence once, replacing about half of
its lower-case words of five letters or more with other such words of the seeds, so that
articles of one story share sentences and quotes while different stories share little more
than names and short phrases. Each article then takes 10 to 26 distinct sentences of its story
(mostly those from the seeds of its own agency), shuffled, with the numbers varied and the names
spelled in one of the variants the seeds use (the Spanish-service EFE articles prefer the
Spanish transliterations, and most of them carry the seed's cp874 mojibake, "Tokรกyev"). The
sentences are wrapped in the furniture of the seed the article imitates, so that cleaning has
the same work to do as on the seeds:

* EFE Spanish service (seed 000): dateline glued to the first line, one sentence per line,
  "EFE" signature, desk code, "(Photo)";
* EFE English service (seed 003): section label, headline, "City, Mon DD (EFE).-" dateline,
  desk code, "Related Articles", "Back to top button";
* AFP (seed 001): bare paragraphs;
* AP (seed 002): headline, deck, "ByThe Associated Press", timestamp, "See also" lines;
* Reuters (seed 004): lines hard-wrapped at 64 characters, credits and the copyright tail.

Each story happens on one day (drawn from 2022 to 2024) and each of its articles is published
that day or the next; the manifest's ``event`` column names the story ("E00001", ...), the true
grouping that ``corpusutils.find_stories`` is measured against.

Each article also has a ``desk`` (``desk-01`` ... ``desk-68`` by default, ``--desks N``), drawn
with weights falling as a power of the desk's rank, so a few desks hold most articles and the
last ones a handful or a single article: a grouping column with many groups of very unequal size
(``make report BY=desk``). Desks are drawn from a random generator of their own, so the texts do
not depend on the number of desks.

``heavy=True`` (``--heavy``) makes the whole corpus one story with the seed sentences as they
are: every sentence and quote then recurs in hundreds of articles, the worst case for text
reuse and quote alignment (far more shared passages than a real collection has).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from corpusutils.text import split_sentences, tokens

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

#: Style name -> (agency, service, seed file prefix).
STYLES = {
    "efe_es": ("EFE", "EFE Spanish service (English translation)", "000"),
    "afp": ("AFP", "AFP", "001"),
    "ap": ("AP", "The Associated Press", "002"),
    "efe_en": ("EFE", "EFE English service", "003"),
    "reuters": ("Reuters", "Reuters", "004"),
}
#: Share of an article's sentences drawn from the seeds of its own agency.
OWN_AGENCY_SHARE = 0.7
#: Articles per story (inclusive range) and the share of long lower-case words a story rewrites.
STORY_SIZE = (3, 12)
REWRITE_SHARE = 0.5
_LONG_WORD = re.compile(r"(?<![\w’'-])[a-z]{5,}(?![\w’'-])")

# Spelling variants of the names as the seeds write them: English first, Spanish-style after.
NAME_VARIANTS = (
    ("Antony", "Anthony"),
    ("Kassym-Jomart", "Kasim-Yomart"),
    ("Tokayev", "Tokáyev"),
    ("Tileuberdi", "Tleuberdi", "Teleuberdi"),
    ("Kulubaev", "Kulubáev"),
)
_NAME = re.compile(
    r"\b(?:" + "|".join(re.escape(v) for group in NAME_VARIANTS for v in group) + r")\b"
)
_GROUP_OF = {v: group for group in NAME_VARIANTS for v in group}

# A number not glued to a letter or "+" ("C5+1" stays), with thousands separators kept.
_NUMBER = re.compile(r"(?<![\w+])\d{1,3}(?:,\d{3})+(?![\w+])|(?<![\w+])\d+(?![\w+,])")

# Lines of the seeds that are furniture, not body text.
_FURNITURE = re.compile(
    r"^(?:Politics|ByThe Associated Press|See also\b.*|Related Articles|Back to top button"
    r"|\(Photo\)|kk-\w+/\w+|\|+|\(Reporting by.*|\[©.*|reserved\.\].*|broadcast, rewritten.*"
    r"|Thompson Reuters.*|\w+ \d+, \d{4}, \d+:\d+ [ap]m)\s*$"
)
_DATELINE = re.compile(r"^Astana, (?:28 Feb\.|Feb 28 \(EFE\)\.-) ")
_SIGNATURE = re.compile(r"\s+EFE$")

CITIES = ("Astana", "Tashkent", "Almaty", "Bishkek", "Dushanbe", "Ashgabat", "Samarkand")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
REUTERS_TAIL = (
    "(Reporting by Simon Lewis; Editing by Michael Perry)\n"
    "[© 2023 Thomson Reuters. All rights\n"
    "reserved.] Copyright 2022 Reuters. All rights reserved. This material may not be "
    "published,\nbroadcast, rewritten or redistributed.\n"
    "Thompson Reuters is solely responsible for this content.\n|\n|"
)


@dataclass(frozen=True)
class Pools:
    """Body sentences of the seeds: per style, and all together."""

    by_style: dict[str, tuple[str, ...]]
    every: tuple[str, ...]


def _body_lines(text: str) -> list[str]:
    """The body of a seed as lines of prose, furniture dropped and hard wraps undone."""
    if "(Reporting by" in text:
        # Reuters wraps its lines: every line that does not end a sentence continues.
        text = re.sub(r"(?<![.?!\"”])\n(?!\n)", " ", text.split("(Reporting by")[0])
    lines = []
    for line in text.replace("รก", "á").split("\n"):
        line = _SIGNATURE.sub("", _DATELINE.sub("", line.strip()))
        if line and not _FURNITURE.match(line) and len(line.split()) >= 8:
            lines.append(line)
    return lines


def seed_sentences(seeds: Path = SEEDS) -> Pools:
    """Sentences of every seed's body (five or more words each), grouped by style."""
    by_style: dict[str, tuple[str, ...]] = {}
    for style, (_, _, prefix) in STYLES.items():
        (path,) = seeds.glob(f"{prefix}_*.txt")
        found = []
        for line in _body_lines(path.read_text(encoding="utf-8")):
            for start, end in split_sentences(line):
                sentence = line[start:end]
                if len(tokens(sentence)) >= 5 and sentence[-1] in ".?!\"”":
                    found.append(sentence)
        by_style[style] = tuple(found)
    every = tuple(s for pool in by_style.values() for s in pool)
    return Pools(by_style, every)


def _vary_number(match: re.Match[str], rng: random.Random) -> str:
    digits = match.group().replace(",", "")
    value = int(digits)
    if len(digits) == 4 and 1900 <= value <= 2030:
        return str(rng.randint(1991, 2024))
    new = max(1, round(value * rng.uniform(0.5, 1.5)))
    return f"{new:,}" if "," in match.group() else str(new)


def _spell(name: str, rng: random.Random, spanish: bool) -> str:
    group = _GROUP_OF[name]
    if spanish and rng.random() < 0.7:
        return group[-1]
    return group[0] if rng.random() < 0.8 else rng.choice(group)


def _vary(sentence: str, rng: random.Random, *, spanish: bool, mojibake: bool) -> str:
    sentence = _NUMBER.sub(lambda m: _vary_number(m, rng), sentence)
    sentence = _NAME.sub(lambda m: _spell(m.group(), rng, spanish), sentence)
    if mojibake:
        # The seed's damage: UTF-8 bytes of "á" read as cp874 (Thai).
        sentence = sentence.replace("á", "á".encode().decode("cp874"))
    return sentence


def _paragraphs(sentences: list[str], rng: random.Random, low: int, high: int) -> list[str]:
    out, i = [], 0
    while i < len(sentences):
        size = rng.randint(low, high)
        out.append(" ".join(sentences[i : i + size]))
        i += size
    return out


def _headline(pool: tuple[str, ...], rng: random.Random) -> str:
    words = rng.choice(pool).split()
    return " ".join(words[: rng.randint(7, 12)]).rstrip(",;:.“”\"")


def story_pools(pools: Pools, rng: random.Random, share: float = REWRITE_SHARE) -> Pools:
    """The seed sentences as one story tells them: long lower-case words swapped at random."""
    vocabulary = sorted({w for s in pools.every for w in _LONG_WORD.findall(s)})

    def rewrite(sentence: str) -> str:
        return _LONG_WORD.sub(
            lambda m: rng.choice(vocabulary) if rng.random() < share else m.group(), sentence
        )

    by_style = {style: tuple(rewrite(s) for s in pool) for style, pool in pools.by_style.items()}
    return Pools(by_style, tuple(s for pool in by_style.values() for s in pool))


def _article(
    style: str, pools: Pools, rng: random.Random, day: dt.date | None = None
) -> tuple[str, str, str]:
    """One article's text, its publication date and its headline (or "").

    ``day`` is the publication date; the date is drawn at random without it (the draws are
    made either way, so that a given seed writes the same texts).
    """
    own = pools.by_style[style]
    others = [s for pool in pools.by_style.values() if pool is not own for s in pool]
    count = rng.randint(10, 26)
    n_own = min(len(own), round(count * OWN_AGENCY_SHARE))
    # No sentence twice in one article; the order is shuffled.
    chosen = rng.sample(own, n_own) + rng.sample(others, count - n_own)
    rng.shuffle(chosen)
    spanish = style == "efe_es"
    mojibake = spanish and rng.random() < 0.6
    body = [_vary(s, rng, spanish=spanish, mojibake=mojibake) for s in chosen]
    year, month, day_of_month = rng.randint(2022, 2024), rng.randint(1, 12), rng.randint(1, 28)
    if day is not None:
        year, month, day_of_month = day.year, day.month, day.day
    day = day_of_month
    published = f"{year}-{month:02d}-{day:02d}"
    city = rng.choice(CITIES)
    desk = f"{rng.choice(('kk', 'uz', 'kg'))}-{rng.choice(('mos', 'ist', 'ber'))}/" + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 3))
    )
    headline = ""
    if style == "efe_es":
        lines = [f"{city}, {day} {MONTHS[month - 1][:3]}. {body[0]}", *body[1:]]
        text = "\n".join(lines) + f" EFE\n{desk}" + ("\n(Photo)" if rng.random() < 0.5 else "")
    elif style == "efe_en":
        headline = _headline(own, rng)
        paragraphs = _paragraphs(body, rng, 1, 2)
        paragraphs[0] = f"{city}, {MONTHS[month - 1][:3]} {day} (EFE).- {paragraphs[0]}"
        paragraphs[-1] += " EFE"
        parts = ["Politics", headline, *paragraphs, desk, "Related Articles", "Back to top button"]
        text = "\n\n".join(parts)
    elif style == "afp":
        text = "\n".join(_paragraphs(body, rng, 2, 4))
    elif style == "ap":
        headline = _headline(own, rng)
        hour, minute = rng.randint(1, 12), rng.randint(0, 59)
        stamp = f"{MONTHS[month - 1]} {day}, {year}, {hour}:{minute:02d} {rng.choice('ap')}m"
        paragraphs = _paragraphs(body[1:], rng, 1, 2)
        for _ in range(rng.randint(0, 2)):
            see_also = "See also  " + _headline(pools.every, rng)
            paragraphs.insert(rng.randint(1, len(paragraphs)), see_also)
        text = "\n\n".join([headline, body[0], "ByThe Associated Press", stamp, *paragraphs])
    else:
        paragraphs = _paragraphs(body, rng, 1, 2)
        wrapped = [textwrap.fill(p, width=64, break_on_hyphens=False) for p in paragraphs]
        text = "\n".join([*wrapped, REUTERS_TAIL])
    return text, published, headline


#: Desks of the ``desk`` column by default, and how fast their sizes fall with their rank.
DESKS = 68
DESK_SIZE_POWER = 1.3


def _desks(n: int, desks: int, seed: int) -> list[str]:
    """A desk for each of ``n`` articles; every desk has at least one article when n allows."""
    rng = random.Random(f"desks-{seed}")
    names = [f"desk-{k:02d}" for k in range(1, desks + 1)]
    weights = [1 / k**DESK_SIZE_POWER for k in range(1, desks + 1)]
    drawn = rng.choices(names, weights, k=n)
    drawn[: min(n, desks)] = names[: min(n, desks)]
    return drawn


def make_corpus(
    folder: str | Path, n: int, *, seed: int = 0, heavy: bool = False, desks: int = DESKS
) -> Path:
    """Write ``n`` articles and ``manifest.csv`` into ``folder``; return the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    seeds = seed_sentences()
    rng = random.Random(seed)
    # Story dates come from a generator of their own, so the texts stay those of earlier runs.
    dates = random.Random(f"{seed}-dates")
    first_day, days = dt.date(2022, 1, 1), (dt.date(2024, 12, 31) - dt.date(2022, 1, 1)).days
    agencies = ("EFE", "AP", "AFP", "Reuters")
    rows = []
    width = max(5, len(str(n - 1)))
    pools, story_left = seeds, n if heavy else 0
    story_day, event = first_day + dt.timedelta(days=dates.randint(0, days)), 1
    desk_of = _desks(n, desks, seed)
    for i in range(n):
        if story_left == 0:
            pools, story_left = story_pools(seeds, rng), rng.randint(*STORY_SIZE)
            story_day = first_day + dt.timedelta(days=dates.randint(0, days))
            event += 1 if i else 0
        story_left -= 1
        agency = rng.choice(agencies)
        if agency == "EFE":
            style = rng.choice(("efe_es", "efe_en"))
        else:
            style = {"AP": "ap", "AFP": "afp", "Reuters": "reuters"}[agency]
        day = story_day + dt.timedelta(days=dates.randint(0, 1))
        text, published, headline = _article(style, pools, rng, day)
        doc_id = f"{i:0{width}d}"
        name = f"{doc_id}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        _, service, _ = STYLES[style]
        rows.append([doc_id, name, agency, service, published, headline, "synthetic",
                     f"E{event:05d}", desk_of[i]])
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["doc_id", "file", "agency", "service", "published", "headline", "attribution_basis",
             "event", "desk"]
        )
        writer.writerows(rows)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heavy", action="store_true", help="one story: the worst case for reuse")
    parser.add_argument("--desks", type=int, default=DESKS, help="groups of the desk column")
    args = parser.parse_args()
    make_corpus(args.folder, args.n, seed=args.seed, heavy=args.heavy, desks=args.desks)
    print(f"wrote {args.n:,} articles and manifest.csv to {args.folder}")


if __name__ == "__main__":
    main()
