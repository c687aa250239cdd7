"""Layout of real news text: does the cleaned body start at the story's first word?

Run by hand: ``.venv/bin/python benchmarks/bench_wire_layout.py [--show]``. It cleans the
AllSides same-day corpus (``../shared/peer/allsides-sameday/articles.jsonl``: 391 real articles
of twelve outlets, read where it lies, never copied) and counts, with checks written apart from
the cleaning rules:

``body starts with a dateline or credit``
    the first 80 characters of the cleaned body hold an outlet tag such as "(Reuters)" or
    "(CNN)", or the body opens with a place in capitals and a dash ("WASHINGTON —"), or with a
    byline, a photo caption or web furniture ("CLOSE", "Story highlights", "Enlarge this image").
``body ends with a credit``
    the last paragraph is a credit, sign-up prompt, copyright line or sign-off ("... contributed
    to this report", "Sign up ...", "Reuter").
``story text possibly moved out``
    something was moved to ``headline`` that is not the dataset's own title, or a removed span
    of twelve words or more ends like a sentence and is not a credit, copyright or caption. These
    are candidates: ``--show`` prints each one to be read by a person.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from corpusutils.clean import clean_text

PEER = Path(__file__).resolve().parents[2] / "shared" / "peer" / "allsides-sameday"

_TAG = re.compile(r"\((?:Reuters|AP|CNN|CNN Business|AFP|EFE|Bloomberg|UPI|Xinhua|dpa)\)")
_CAPS_DASH = re.compile(r"[A-Z][A-Z.'/ ]{2,40}(?:, [A-Z][A-Za-z. ]{1,20})? ?[—–-]")
_FURNITURE_START = re.compile(
    r"(?:CLOSE\b|Story highlights|Enlarge this image|toggle caption|Hide caption|By [A-Z]"
    r"|\(Updates?\b|Watch\b.{0,80}\bCNN\b)"
)
_CAPTION = re.compile(r"(?:REUTERS/[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*|\(AP Photo[^)]*\)"
                      r"|\(Photo: [^)]*\))\s*$")
_CREDIT_END = re.compile(
    r"(?:contributed to this report|contributed reporting|^Sign up\b|Copyright|All rights reserved"
    r"|^Reuter\s*$|Editing by|^\(Reporting by)", re.IGNORECASE | re.MULTILINE
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _same_title(found: str, title: str) -> bool:
    a, b = set(_words(found)), set(_words(title))
    return bool(a) and len(a & b) / len(a) >= 0.6


def judge(article: dict) -> dict:
    """The checks above for one article (a row of the jsonl file)."""
    out = clean_text(article["content_original"])
    body = out["text"]
    paragraphs = body.split("\n\n") if body else [""]
    head = body[:80]
    starts = bool(
        _TAG.search(head) or _CAPS_DASH.match(body) or _FURNITURE_START.match(body)
        or _CAPTION.search(paragraphs[0])
    )
    ends = bool(_CREDIT_END.search(paragraphs[-1]) and len(paragraphs[-1].split()) < 40)
    moved = []
    for r in out["removed"]:
        text = " ".join(r["text"].split())
        if r["rule"] in ("space_before_punctuation", "stray_full_stop"):
            continue
        if r["column"] == "headline" and not _same_title(text, article.get("title") or ""):
            moved.append((r["rule"], text))
        elif (
            len(text.split()) >= 12 and _SENTENCE_END.search(text)
            and r["column"] not in ("credits", "copyright")
            and not _CAPTION.search(text)
        ):
            moved.append((r["rule"], text))
    return {"starts": starts, "ends": ends, "moved": moved, "body": body, "out": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print every flagged article")
    args = parser.parse_args()
    path = PEER / "articles.jsonl"
    if not path.exists():
        sys.exit(f"{path} not found: this benchmark reads the peer corpus beside the checkout")
    articles = [json.loads(line) for line in path.open(encoding="utf-8")]
    counts: Counter[str] = Counter()
    by_outlet: Counter[tuple[str, str]] = Counter()
    for article in articles:
        result = judge(article)
        for key in ("starts", "ends"):
            if result[key]:
                counts[key] += 1
                by_outlet[(key, article["source"])] += 1
        if result["moved"]:
            counts["moved"] += 1
            by_outlet[("moved", article["source"])] += 1
        if args.show and (result["starts"] or result["ends"] or result["moved"]):
            print(f"--- {article['source']} | title: {article.get('title')!r}")
            print(f"    body: {result['body'][:160]!r}")
            if result["ends"]:
                print(f"    last: {result['body'].split(chr(10) * 2)[-1][:160]!r}")
            for rule, text in result["moved"]:
                print(f"    moved by {rule}: {text[:160]!r}")
    n = len(articles)
    print(f"{n} articles")
    print(f"body starts with a dateline or credit: {counts['starts']}")
    print(f"body ends with a credit:               {counts['ends']}")
    print(f"story text possibly moved out:         {counts['moved']}")
    for (key, outlet), count in sorted(by_outlet.items()):
        print(f"  {key:7} {outlet:25} {count}")


if __name__ == "__main__":
    main()
