"""Which agency wrote a story, read from where its signature stands.

An agency signs its copy in fixed places: the dateline ("ASTANA, Feb 28 (Reuters) -"), the
byline ("By The Associated Press"), the credits ("(Reporting by ...; Editing by ...)"), the
copyright line, a closing signature ("... territories. EFE"), or the source field of a database
export ("Agence France Presse -- English"). :func:`recognise_agency` cuts the story into its parts
(:func:`corpusutils.clean.structure.split_structure`) and looks for each agency's marks only in
the part where that agency puts them (``corpusutils/data/agency_signatures.csv``). A mention in
the body never names the agency: a Fox News story that ends "The Associated Press contributed to
this report." is not an AP story.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

from corpusutils.clean.structure import split_structure

__all__ = ["PARTS", "Signature", "load_agency_signatures", "recognise_agency", "signature_parts"]

#: The parts of a story in which a signature can stand.
PARTS = ("dateline", "byline", "credits", "copyright", "signoff", "outlet")
# Removed spans whose rule closes the story with the agency's name.
_SIGNOFF_RULES = ("signature", "signoff")


@dataclass(frozen=True)
class Signature:
    """One row of ``agency_signatures.csv``."""

    agency: str
    part: str
    pattern: re.Pattern[str]


@functools.cache
def load_agency_signatures() -> tuple[Signature, ...]:
    """Read ``corpusutils/data/agency_signatures.csv`` (once per process), strongest first.

    >>> first = load_agency_signatures()[0]
    >>> first.agency, first.part, first.pattern.pattern
    ('EFE', 'dateline', '\\\\(EFE\\\\)')
    """
    source = resources.files("corpusutils.data").joinpath("agency_signatures.csv")
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    signatures = []
    for number, row in enumerate(rows, start=1):
        if row["part"] not in PARTS:
            raise ValueError(
                f"agency_signatures.csv row {number} ({row['agency']}): unknown part "
                f"{row['part']!r}, expected one of {', '.join(PARTS)}"
            )
        signatures.append(Signature(row["agency"], row["part"], re.compile(row["pattern"])))
    return tuple(signatures)


def signature_parts(removed: list[dict]) -> dict[str, list[str]]:
    """The texts of the parts where a signature can stand, from cleaning's ``removed`` spans.

    >>> signature_parts([{"rule": "dateline_ap", "column": "dateline", "text": "ASTANA (AP) —"},
    ...                  {"rule": "signature", "column": "furniture", "text": "EFE"}])
    {'dateline': ['ASTANA (AP) —'], 'signoff': ['EFE']}
    """
    parts: dict[str, list[str]] = {}
    for span in removed:
        if span.get("rule") in _SIGNOFF_RULES:
            part = "signoff"
        elif span.get("column") in PARTS:
            part = span["column"]
        else:
            continue
        parts.setdefault(part, []).append(" ".join(span["text"].split()))
    return parts


def recognise_agency(text: str, *, outlet: str | None = None) -> str:
    """Name the agency from its signature in the text (dateline, byline, credits, copyright,
    closing signature), else from ``outlet`` (an export's source field), else "unknown".

    >>> recognise_agency("Astana, Feb 28 (EFE).- Blinken arrived ...")
    'EFE'
    >>> recognise_agency("WASHINGTON — He spoke.\\n\\n"
    ...                  "The Associated Press contributed to this report.")
    'unknown'
    >>> recognise_agency("A story with no attribution.", outlet="Agence France Presse -- English")
    'AFP'
    """
    parts = signature_parts(split_structure(text).removed) if text else {}
    if outlet and outlet.strip():
        parts["outlet"] = [" ".join(outlet.split())]
    for signature in load_agency_signatures():
        for value in parts.get(signature.part, ()):
            if signature.pattern.search(value):
                return signature.agency
    return "unknown"
