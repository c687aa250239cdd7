"""Read the files researchers export from news databases: one row per article.

:func:`load_exports` (and :func:`corpusutils.load_corpus`, which calls it for such files) reads

* **Nexis classic** exports (LexisNexis Academic, nexis.com): a ``.TXT`` or ``.RTF`` file of
  documents that each start with "4 of 161 DOCUMENTS", then the copyright, outlet, date and
  edition, labelled fields ("SECTION:", "LENGTH:", "HEADLINE:", "BYLINE:", "DATELINE:"), the
  body (after "BODY:" when the export has it) and closing fields ("LOAD-DATE:", "LANGUAGE:",
  "PUBLICATION-TYPE:", "SUBJECT:" ...);
* **Nexis Uni** exports (``.DOCX`` or ``.RTF``): after a cover page, documents that each give
  the headline, outlet, date, copyright, "Section:", "Length:", "Byline:" ..., "Body", the body,
  "Load-Date:" and end with "End of Document";
* **Factiva** exports (``.RTF``, ``.DOCX`` or the ``.HTML`` page Factiva saves in "Article
  format"): headline, author, "1,210 words", date, time, source, source code, page, language and
  copyright, then the body, each document ending with "Document <Factiva id>"; and the ``.HTML``
  page of "Full Article/Report plus Indexing", a table of field codes (HD, BY, WC, PD, SN, LA,
  LP, TD, NS, RE, AN ...) per document, the codes beyond the header kept as ``subject``,
  ``region``, ``industry``, ``company``, ``publisher``, ``edition`` ....

The layout is recognised from the text, not from the file name; extensions are matched
case-insensitively. Each article becomes one row with the columns ``doc_id`` (the file name
without extension and the document's number: ``export-004``), ``file``, ``agency`` (the outlet
recognised from its signature in the story or from the outlet's name through
``corpusutils/data/agency_signatures.csv``: "Agence France Presse -- English" is ``AFP``; an
outlet that is not an agency and carries no agency's story stays as it is named, so a newspaper
export groups by newspaper), ``outlet``, ``published`` (ISO date), ``section``, ``length``
(words, as the export counts them), ``byline``, ``headline``, ``dateline``, ``language`` (as
the export writes it), ``edition``, ``document_number`` (the export's own count),
``document_id`` (Factiva's id), ``copyright``, any further labelled field under its own name
(``load_date``, ``publication_type``, ``subject`` ...), ``export_layout``, ``raw_text`` (the
body: lines that the export wrapped at a fixed width are joined into their paragraphs,
paragraphs are separated by a blank line), ``encoding`` and ``export_text`` (the document as
the export holds it, header and fields included, so nothing is lost). The cover page and the
query of each file are kept in ``docs.attrs["exports"]``, never in a body.

A file that cannot be read, a layout that is none of these, a document without a body and a
document cut off at the end of the file (a truncated download) are reported through the
caller's error policy, naming the file and the document number.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from corpusutils.clean.agency import recognise_agency
from corpusutils.load import (
    MAX_FILE_BYTES,
    CorpusError,
    decode_bytes,
    read_corpus_file,
)

__all__ = [
    "EXPORT_SUFFIXES",
    "agency_of_outlet",
    "is_export_file",
    "load_exports",
    "parse_export_date",
    "reads_like_export",
    "rtf_paragraphs",
]

#: Suffixes (lower-case) of files that may hold a database export. A ``.txt`` file is an export
#: only when its first lines read like one; the others always are (or are reported).
EXPORT_SUFFIXES = (".txt", ".docx", ".rtf", ".html", ".htm")

#: How much of a ``.txt`` file is read to tell an export from an ordinary article.
SNIFF_BYTES = 65_536

#: Reports one problem: ``report(file, problem)`` (the loader's error policy).
Report = Callable[[str, str], None]

_WORD_JOIN = re.compile(r"(?<=[^\W\d_])-$")


@dataclass
class Para:
    """One line of a plain-text export or one paragraph of a DOCX, RTF or HTML export.

    ``wrapped`` lines belong to a paragraph wrapped at a fixed width (plain text); ``role`` is
    set where the file itself says what the paragraph is (Factiva's HTML classes).
    """

    text: str
    centered: bool = False
    bold: bool = False
    wrapped: bool = False
    role: str | None = None


@dataclass
class _Document:
    number: int
    fields: dict[str, object]
    body: list[str]
    source_text: str
    problem: str | None = None


@dataclass
class _Parsed:
    layout: str
    documents: list[_Document]
    cover: str
    query: str | None
    total: int | None = None
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The editable labels (corpusutils/data/export_layouts.toml)


@functools.cache
def _layouts() -> dict:
    raw = resources.files("corpusutils.data").joinpath("export_layouts.toml").read_text("utf-8")
    return tomllib.loads(raw)


@functools.cache
def _nexis_columns() -> dict[str, str]:
    """Upper-case label -> column."""
    return {
        label.upper(): column
        for column, labels in _layouts()["nexis"]["columns"].items()
        for label in labels
    }


@functools.cache
def _nexis_labels() -> frozenset[str]:
    nexis = _layouts()["nexis"]
    return frozenset([*_nexis_columns(), *(x.upper() for x in nexis["labels"])])


@functools.cache
def _months() -> dict[str, int]:
    return {name: int(number) for number, names in _layouts()["months"].items() for name in names}


@functools.cache
def _patterns() -> dict:
    layouts = _layouts()
    nexis, factiva = layouts["nexis"], layouts["factiva"]
    month = "|".join(sorted(map(re.escape, _months()), key=len, reverse=True))
    return {
        "start": tuple(re.compile(p) for p in nexis["document_start"]),
        "factiva_end": re.compile(factiva["document_end"]),
        "words": re.compile(factiva["words"], re.IGNORECASE),
        "copyright": re.compile(factiva["copyright"]),
        # "July 1, 2015 Wednesday", "Jul 1, 2015 4:52 PM GMT", "17 May 2002", "30. November
        # 2012 Freitag", "4 de marzo de 2023", "2015-07-01": a date, then at most a weekday,
        # a time and a zone.
        "date": re.compile(
            rf"(?i)^\s*(?:(?P<m1>{month})\.?\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
            rf"|(?P<d2>\d{{1,2}})\.?\s+(?:de\s+)?(?P<m2>{month})\.?,?\s+(?:de\s+)?(?P<y2>\d{{4}})"
            rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))"
            rf"(?P<rest>(?:[\s,]+[^\W\d_]+\.?|[\s,]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
            rf"(?:\s*[AaPp]\.?[Mm]\.?)?)*)\s*$"
        ),
        "label": re.compile(r"^(?P<label>[^\W\d_][^\W\d_ /&-]*(?:[ /&-][^\W\d_]+)*)\s*:(?:\s+|$)"),
        "field_line": re.compile(r"^\s*\S"),
    }


def parse_export_date(text: str) -> str | None:
    """The ISO date of a date line as exports write it, or None when the line is not one.

    >>> parse_export_date("July 1, 2015 Wednesday")
    '2015-07-01'
    >>> parse_export_date("17 Mai 2002"), parse_export_date("30. November 2012 Freitag")
    ('2002-05-17', '2012-11-30')
    >>> parse_export_date("The Washington Post") is None
    True
    """
    match = _patterns()["date"].match(text)
    if not match or len((match["rest"] or "").split()) > 4:
        return None
    if match["y3"]:
        year, month, day = int(match["y3"]), int(match["m3"]), int(match["d3"])
    else:
        year = int(match["y1"] or match["y2"])
        month = _months()[(match["m1"] or match["m2"]).lower()]
        day = int(match["d1"] or match["d2"])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def agency_of_outlet(outlet: str | None) -> str | None:
    """The agency an outlet name stands for (``agency_signatures.csv``), or None.

    >>> agency_of_outlet("Agence France Presse -- English"), agency_of_outlet("Reuters News")
    ('AFP', 'Reuters')
    >>> agency_of_outlet("The Washington Post") is None
    True
    """
    if not outlet or not outlet.strip():
        return None
    found = recognise_agency("", outlet=outlet)
    return None if found == "unknown" else found


# ---------------------------------------------------------------------------------------------
# Formats: bytes -> paragraphs


def _decode_text(data: bytes, encoding: str | None) -> tuple[str, str]:
    # A CRLF file converted once more ends its lines with CR CR LF, which would read as a
    # blank line after every line (a paragraph per wrapped line).
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.replace(b"\r\r\n", b"\r\n")
    return decode_bytes(data, encoding=encoding)


def _text_paragraphs(text: str) -> list[Para]:
    lines = text.split("\n")
    filled = [bool(line.strip()) for line in lines]
    # Some exports put a blank line after every line: then one blank line is a line break and
    # a paragraph ends at two or more.
    runs = sum(1 for a, b in zip(filled, filled[1:], strict=False) if a and b)
    if sum(filled) > 20 and runs == 0:
        squeezed, blank = [], 0
        for line, full in zip(lines, filled, strict=True):
            if full:
                if blank >= 2:
                    squeezed.append("")
                squeezed.append(line)
                blank = 0
            else:
                blank += 1
        lines = squeezed
    return [
        Para(line.rstrip(), centered=len(line) - len(line.lstrip(" \t")) >= 3, wrapped=True)
        for line in lines
    ]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_paragraphs(data: bytes) -> list[Para]:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise ValueError(f"not a readable DOCX file (truncated or damaged?): {exc}") from None
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise ValueError(f"DOCX document.xml cannot be read (truncated?): {exc}") from None
    paragraphs = []
    for p in root.iter(f"{_W}p"):
        pieces, bold_chars, chars = [], 0, 0
        for run in p.iter(f"{_W}r"):
            props = run.find(f"{_W}rPr")
            bold_tag = props.find(f"{_W}b") if props is not None else None
            bold = bold_tag is not None and bold_tag.get(f"{_W}val", "true") not in ("0", "false")
            for node in run:
                if node.tag == f"{_W}t":
                    text = node.text or ""
                elif node.tag == f"{_W}tab":
                    text = "\t"
                elif node.tag in (f"{_W}br", f"{_W}cr"):
                    text = "\n"
                elif node.tag == f"{_W}noBreakHyphen":
                    text = "-"
                else:
                    continue
                pieces.append(text)
                visible = len(text.strip())
                chars += visible
                bold_chars += visible if bold else 0
        jc = p.find(f"{_W}pPr/{_W}jc")
        centered = jc is not None and jc.get(f"{_W}val") == "center"
        for line in "".join(pieces).split("\n"):
            paragraphs.append(Para(line.strip(), centered=centered, bold=chars > 0 and
                                   bold_chars == chars))
    return paragraphs


# RTF destinations whose text is not part of the document.
_RTF_SKIP = frozenset(
    "fonttbl colortbl stylesheet info pict header headerl headerr headerf footer footerl "
    "footerr footerf fldinst xmlnstbl listtable listoverridetable rsidtbl generator themedata "
    "colorschememapping latentstyles datastore object objdata shppict nonshppict filetbl "
    "revtbl bkmkstart bkmkend footnote annotation atnid atnauthor pgdsctbl".split()
)
_RTF_SYMBOLS = {
    "line": "\n", "tab": "\t", "emdash": "—", "endash": "–", "lquote": "‘", "rquote": "’",
    "ldblquote": "“", "rdblquote": "”", "bullet": "•", "emspace": " ", "enspace": " ",
}
_RTF_TOKEN = re.compile(
    r"\\(?P<word>[a-zA-Z]+)(?P<arg>-?\d+)? ?|\\'(?P<hex>[0-9a-fA-F]{2})|\\(?P<sym>.)"
    r"|(?P<brace>[{}])|[\r\n]+|(?P<text>[^\\{}\r\n]+)",
    re.DOTALL,
)


def rtf_paragraphs(data: bytes) -> list[Para]:
    """The paragraphs of an RTF document: text, and whether each is centered or all bold.

    Destinations that are not text (font tables, pictures, page headers, field instructions)
    are skipped; ``\\'hh`` bytes are decoded with the document's code page and ``\\uN``
    characters replace their fallback.

    >>> [p.text for p in rtf_paragraphs(rb"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}Caf\\'e9\\par "
    ...                                  rb"{\\b Na\\u239?ve}\\par}")]
    ['Café', 'Naïve']
    """
    source = data.decode("latin-1")
    codepage = "cp1252"
    found = re.search(r"\\ansicpg(\d+)", source[:2000])
    if found:
        codepage = f"cp{found[1]}"
    paragraphs: list[Para] = []
    # Per group: skipping?, bold?, characters to skip after \uN.
    stack: list[tuple[bool, bool, int]] = []
    skip, bold, uc = False, False, 1
    centered = False
    pending_skip = 0
    text: list[str] = []
    raw_bytes = bytearray()
    chars = bold_chars = 0

    def flush_bytes() -> None:
        nonlocal chars, bold_chars
        if raw_bytes:
            decoded = bytes(raw_bytes).decode(codepage, errors="replace")
            text.append(decoded)
            raw_bytes.clear()

    def emit(piece: str) -> None:
        nonlocal chars, bold_chars
        flush_bytes()
        text.append(piece)
        visible = len(piece.strip())
        chars += visible
        bold_chars += visible if bold else 0

    def end_paragraph() -> None:
        nonlocal chars, bold_chars
        flush_bytes()
        line = "".join(text)
        for part in line.split("\n"):
            paragraphs.append(Para(part.strip(), centered=centered,
                                   bold=chars > 0 and bold_chars == chars))
        text.clear()
        chars = bold_chars = 0

    for match in _RTF_TOKEN.finditer(source):
        brace, word = match["brace"], match["word"]
        if brace == "{":
            stack.append((skip, bold, uc))
            continue
        if brace == "}":
            if stack:
                skip, bold, uc = stack.pop()
            continue
        if match["sym"] == "*":
            # "{\*\dest ...}": an optional destination this reader does not know.
            skip = True
            continue
        if skip:
            continue
        if word is not None:
            if word in _RTF_SKIP:
                skip = True
            elif word in ("par", "sect", "page"):
                end_paragraph()
            elif word == "pard":
                centered = False
            elif word == "qc":
                centered = True
            elif word in ("ql", "qr", "qj"):
                centered = False
            elif word == "b":
                flush_bytes()
                bold = match["arg"] != "0"
            elif word == "plain":
                flush_bytes()
                bold = False
            elif word == "uc":
                uc = int(match["arg"] or 1)
            elif word == "u":
                value = int(match["arg"] or 0)
                emit(chr(value + 65536 if value < 0 else value))
                pending_skip = uc
            elif word in _RTF_SYMBOLS:
                emit(_RTF_SYMBOLS[word])
            continue
        if match["hex"] is not None:
            if pending_skip:
                pending_skip -= 1
                continue
            raw_bytes.append(int(match["hex"], 16))
            chars += 1
            bold_chars += 1 if bold else 0
            continue
        if match["sym"] is not None:
            symbol = match["sym"]
            if symbol in "\\{}":
                emit(symbol)
            elif symbol == "~":
                emit("\xa0")
            elif symbol == "_":
                emit("-")
            continue
        piece = match["text"]
        if piece is None:
            continue  # a newline in the RTF source is not text
        if pending_skip:
            dropped = min(pending_skip, len(piece))
            piece, pending_skip = piece[dropped:], pending_skip - dropped
        if piece:
            # Bytes above 127 written as they are belong to the document's code page.
            emit(piece.encode("latin-1").decode(codepage, errors="replace"))
    if text or raw_bytes:
        end_paragraph()
    return paragraphs


class _FactivaHTML(HTMLParser):
    """Factiva's "Article format" page: one ``div.article xxArticle`` per document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.articles: list[list[Para]] = []
        self.depth = 0
        self.article_depth: int | None = None
        self.current: list[Para] | None = None
        self.role: str | None = None
        self.buffer: list[str] = []
        self.in_header = False
        self.skip_depth: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            if tag == "br":
                self.buffer.append(" ")
            return
        self.depth += 1
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag in ("script", "style") and self.skip_depth is None:
            self.skip_depth = self.depth
        if self.skip_depth is not None:
            return
        if (
            tag == "div" and self.article_depth is None and "article" in classes
            and any(c.endswith("Article") and c != "article" for c in classes)
        ):
            self.article_depth = self.depth
            self.current = []
            self.in_header = True
            return
        if self.current is None:
            return
        if tag == "div" and attributes.get("id") == "hd":
            self._open("headline")
        elif tag == "div" and "author" in classes:
            self._open("author")
        elif tag == "div" and self.role is None:
            self._open("header")
        elif tag == "p" and any(c.startswith("articleParagraph") for c in classes):
            self.in_header = False
            self._open("body")
        elif tag == "p" and self.role is None and not self.in_header:
            self._open("trailer")

    def _open(self, role: str) -> None:
        self.role = role
        self.role_depth = self.depth
        self.buffer = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        if self.skip_depth is not None:
            if self.depth == self.skip_depth:
                self.skip_depth = None
            self.depth -= 1
            return
        if self.role is not None and self.depth == self.role_depth:
            text = " ".join("".join(self.buffer).split())
            if text and self.current is not None:
                self.current.append(Para(text, bold=self.role == "headline", role=self.role))
            self.role = None
        if self.article_depth is not None and self.depth == self.article_depth:
            if self.current is not None:
                self.articles.append(self.current)
            self.current, self.article_depth = None, None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.role is not None and self.skip_depth is None:
            self.buffer.append(data)


class _FactivaTables(HTMLParser):
    """Factiva's "Full Article/Report plus Indexing" page: per document a div "article
    xxArticle" holding a table of rows (field code, value): HD, BY, WC, PD, ..., LP, TD, AN."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.documents: list[list[tuple[str, str]]] = []
        self.depth = 0
        self.article_depth = 0
        self.skip = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and self.cell is not None:
                self.cell.append(" ")
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "div" and not self.article_depth and _is_article(classes):
            self.article_depth = self.depth
            self.documents.append([])
        elif self.article_depth and tag == "tr":
            self.row = []
        elif self.article_depth and tag == "td" and self.row is not None:
            self.cell = []
        elif tag == "p" and self.cell is not None:
            self.cell.append(_PARAGRAPH_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "td" and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            code = re.sub(r"[^A-Z]", "", self.row[0]) if self.row else ""
            if len(self.row) >= 2 and 2 <= len(code) <= 4:
                self.documents[-1].append((code, self.row[1]))
            self.row = None
        if self.article_depth and self.depth == self.article_depth:
            self.article_depth = 0
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.skip:
            self.cell.append(data)


_VOID_TAGS = frozenset(("br", "img", "meta", "link", "input", "hr"))
_PARAGRAPH_BREAK = "\x00"
# Factiva's field codes that are not part of the header the paragraph reader knows.
_FACTIVA_CODES = {
    "ED": "edition", "NS": "subject", "RE": "region", "IN": "industry", "CO": "company",
    "IPC": "information_codes", "IPD": "descriptors", "PUB": "publisher", "CT": "contact",
    "RF": "reference", "ART": "captions",
}


def _is_article(classes: list[str]) -> bool:
    return "article" in classes and any(c.endswith("Article") and c != "article"
                                        for c in classes)


def _factiva_table_paragraphs(rows: list[tuple[str, str]]) -> list[Para]:
    """One indexed document as the paragraphs of Factiva's article layout, each with its role
    (the header in the order the article format writes it, then the body, then the codes)."""
    values: dict[str, list[str]] = {}
    for code, value in rows:
        values.setdefault(code, []).append(value)

    def one(code: str) -> str:
        return _normal(" ".join(values.get(code, [])).replace(_PARAGRAPH_BREAK, " "))

    paras = [Para(one("SE"), role="section")] if one("SE") else []
    paras.append(Para(one("HD"), bold=True, role="headline"))
    if one("BY"):
        paras.append(Para(one("BY"), role="author"))
    paras += [Para(one(c), role="header") for c in ("WC", "PD", "ET", "SN", "SC", "PG", "LA",
                                                      "CY") if one(c)]
    for code in ("LP", "TD"):
        for value in values.get(code, []):
            paras += [Para(_normal(p), role="body") for p in value.split(_PARAGRAPH_BREAK)
                      if _normal(p)]
    shown = {"SE", "HD", "BY", "WC", "PD", "ET", "SN", "SC", "PG", "LA", "CY", "LP", "TD", "AN"}
    paras += [Para(one(c), role=f"field:{_FACTIVA_CODES.get(c, c.lower())}") for c in values
              if c not in shown and one(c)]
    paras.append(Para(one("AN")))
    return paras


# ---------------------------------------------------------------------------------------------
# Layouts: paragraphs -> documents


def _normal(text: str) -> str:
    return " ".join(text.split())


def _label(text: str) -> tuple[str, str] | None:
    """("LOAD-DATE", "July 1, 2015") for a labelled field line, written in capitals (classic)
    or capitalised (Nexis Uni); None for anything else."""
    match = _patterns()["label"].match(text.strip())
    if not match:
        return None
    label = match["label"]
    capitalised = "-".join(part[:1].upper() + part[1:].lower() for part in label.split("-"))
    if label.upper() not in _nexis_labels() or label not in (label.upper(), capitalised,
                                                             label.capitalize()):
        return None
    return label.upper(), text.strip()[match.end():].strip()


def _join_lines(lines: Sequence[str]) -> str:
    """A paragraph wrapped at a fixed width, joined again (a word cut after its hyphen is
    joined without a space: "state-of-the-\\nart" -> "state-of-the-art")."""
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        # (Only the end of the line so far is looked at: searching all of it each time would
        # make a long paragraph quadratic.)
        if out and _WORD_JOIN.search(out[-2:]) and line[:1].isalpha():
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out


def _blocks(paras: Sequence[Para]) -> list[list[Para]]:
    """Paragraphs as the export meant them: wrapped lines grouped up to a blank line."""
    blocks: list[list[Para]] = []
    current: list[Para] = []
    for para in paras:
        if not para.text.strip():
            if current:
                blocks.append(current)
                current = []
        elif para.wrapped:
            current.append(para)
        else:
            if current:
                blocks.append(current)
                current = []
            blocks.append([para])
    if current:
        blocks.append(current)
    return blocks


def _block_text(block: Sequence[Para]) -> str:
    return _join_lines([p.text for p in block])


def _field_column(label: str) -> str:
    return _nexis_columns().get(label, label.lower().replace("-", "_").replace(" ", "_"))


def _add_field(fields: dict[str, object], label: str, value: str) -> None:
    column = _field_column(label)
    value = _normal(value)
    if column == "length":
        digits = re.sub(r"[^\d]", "", value.split(" ")[0])
        fields["length"] = int(digits) if digits else None
        return
    if fields.get(column):
        fields[column] = f"{fields[column]}; {value}"
    else:
        fields[column] = value


_COPYRIGHT = re.compile(r"(?i)^(?:copyright\b|©|\(c\)\s|copr\.)")
_RESERVED = re.compile(r"(?i)\ball rights reserved\b")
_CONNECTOR = re.compile(r"(?i)(?:d/b/a|,|&|\band|\bof|\bthe|-)\s*$")


def _read_header(lines: Sequence[str], fields: dict[str, object]) -> None:
    """Copyright, outlet, date and edition from a document's header lines."""
    dated = [i for i, line in enumerate(lines) if parse_export_date(line)]
    cut = dated[0] if dated else len(lines)
    if dated:
        fields["published"] = parse_export_date(lines[cut])
        edition = _normal(" ".join(lines[cut + 1 :]))
        if edition:
            fields["edition"] = edition
    copyright_lines: list[str] = []
    outlet_lines: list[str] = []
    i = 0
    while i < cut:
        line = lines[i]
        if _COPYRIGHT.match(line):
            span = [line]
            ahead = lines[i + 1 : min(cut, i + 4)]
            reserved = next((k for k, x in enumerate(ahead) if _RESERVED.search(x)), None)
            if not _RESERVED.search(line) and reserved is not None:
                span += ahead[: reserved + 1]
            elif _CONNECTOR.search(line) and ahead:
                span.append(ahead[0])
            copyright_lines += span
            i += len(span)
            continue
        if _RESERVED.fullmatch(line.strip()):
            copyright_lines.append(line)
        else:
            outlet_lines.append(line)
        i += 1
    if copyright_lines:
        fields["copyright"] = _normal(" ".join(copyright_lines))
    if outlet_lines:
        fields["outlet"] = _normal(outlet_lines[-1])


def _parse_nexis_classic(paras: list[Para]) -> _Parsed:
    starts = [(i, _document_start(p.text)) for i, p in enumerate(paras)]
    starts = [(i, m) for i, m in starts if m]
    cover_paras = paras[: starts[0][0]]
    cover = "\n".join(p.text for p in cover_paras).strip()
    documents: list[_Document] = []
    totals = set()
    for k, (i, match) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(paras)
        number, total = match
        totals.add(total)
        documents.append(_nexis_classic_document(number, paras[i + 1 : end]))
    total = totals.pop() if len(totals) == 1 else None
    parsed = _Parsed("nexis", documents, cover, _query(cover_paras), total)
    if documents and not _closed(documents[-1]):
        documents[-1].problem = (
            "ends without the fields that close a document (LOAD-DATE:, LANGUAGE:): "
            "the export looks truncated"
        )
    return parsed


def _document_start(line: str) -> tuple[int, int] | None:
    """(number, total) of a classic "4 of 161 DOCUMENTS" line."""
    for pattern in _patterns()["start"]:
        match = pattern.match(line)
        if match:
            return int(match["number"]), int(match["total"])
    return None


def _closed(document: _Document) -> bool:
    return any(k in document.fields for k in ("load_date", "language", "publication_type"))


def _nexis_classic_document(number: int, paras: list[Para]) -> _Document:
    source = "\n".join(p.text for p in paras).strip("\n")
    header: list[str] = []
    rest = list(paras)
    # The header: centred lines (copyright, outlet, date, edition) before the first line at
    # the left margin.
    while rest and (not rest[0].text.strip() or rest[0].centered):
        if rest[0].text.strip():
            header.append(rest[0].text.strip())
        rest.pop(0)
    fields: dict[str, object] = {}
    _read_header(header, fields)
    blocks = _blocks(rest)
    # The closing fields, read from the end: labelled blocks and a centred copyright notice.
    back: list[list[Para]] = []
    while blocks:
        last = blocks[-1]
        if _label(last[0].text) or (
            all(p.centered for p in last) and _COPYRIGHT.match(last[0].text.strip())
        ):
            back.insert(0, blocks.pop())
        else:
            break
    body_at = next(
        (k for k, b in enumerate(blocks) if _is_body_label(_block_text(b))), None
    )
    if body_at is not None:
        front, body_blocks = blocks[:body_at], blocks[body_at + 1 :]
    else:
        k, seen_field = 0, False
        while k < len(blocks):
            labelled = _label(blocks[k][0].text)
            if labelled:
                seen_field = True
            elif seen_field:
                break
            k += 1
        front, body_blocks = blocks[:k], blocks[k:]
    untitled: list[str] = []
    for block in front:
        labelled = _label(block[0].text)
        if labelled:
            _add_field(fields, labelled[0], _block_text(block)[len(block[0].text.strip())
                                                                 - len(labelled[1]):])
        else:
            untitled.append(_block_text(block))
    if untitled and not fields.get("headline"):
        fields["headline"] = _normal(" ".join(untitled))
    for block in back:
        labelled = _label(block[0].text)
        if labelled:
            text = _block_text(block)
            _add_field(fields, labelled[0], text.split(":", 1)[1])
        elif not fields.get("copyright"):
            fields["copyright"] = _normal(_block_text(block))
    body = [_block_text(b) for b in body_blocks]
    return _Document(number, fields, [b for b in body if b], source)


def _is_body_label(text: str) -> bool:
    bare = text.strip().rstrip(":").strip()
    return bare.upper() in {x.upper() for x in _layouts()["nexis"]["body"]} and (
        bare.isupper() or bare == bare.capitalize()
    )


def _query(cover: Sequence[Para]) -> str | None:
    names = {x.lower() for x in _layouts()["nexis"]["query"]}
    for block in _blocks(cover):
        text = _block_text(block)
        label, _, value = text.partition(":")
        if value and label.strip().lower() in names:
            return _normal(value)
    return None


def _parse_nexis_uni(paras: list[Para]) -> _Parsed:
    ends = {x.lower() for x in _layouts()["nexis"]["document_end"]}
    segments: list[list[Para]] = [[]]
    closed: list[bool] = []
    for para in paras:
        if para.text.strip().lower() in ends:
            segments.append([])
            closed.append(True)
        elif para.text.strip():
            segments[-1].append(para)
    closed.append(False)
    if not segments[-1]:
        segments.pop()
        closed.pop()
    documents = []
    cover_paras: list[Para] = []
    for k, (segment, is_closed) in enumerate(zip(segments, closed, strict=True)):
        document, before = _nexis_uni_document(k + 1, segment)
        if k == 0:
            cover_paras = before
        if not is_closed:
            document.problem = "ends without 'End of Document': the export looks truncated"
        documents.append(document)
    cover = "\n".join(p.text for p in cover_paras)
    return _Parsed("nexis uni", documents, cover, _query(cover_paras))


def _nexis_uni_document(number: int, segment: list[Para]) -> tuple[_Document, list[Para]]:
    source = "\n".join(p.text for p in segment)
    fields: dict[str, object] = {}
    body_at = next((i for i, p in enumerate(segment) if _is_body_label(p.text)), None)
    head = segment if body_at is None else segment[:body_at]
    first_field = next(
        (i for i, p in enumerate(head) if _label(p.text) or _COPYRIGHT.match(p.text)), len(head)
    )
    title = head[:first_field]
    dated = [i for i, p in enumerate(title) if parse_export_date(p.text)]
    at = dated[-1] if dated else len(title)
    if dated:
        fields["published"] = parse_export_date(title[at].text)
    if at >= 1:
        fields["outlet"] = _normal(title[at - 1].text)
    if at >= 2:
        fields["headline"] = _normal(title[at - 2].text)
    before = title[: max(at - 2, 0)]
    current: str | None = None
    for para in head[first_field:]:
        labelled = _label(para.text)
        if labelled:
            current = labelled[0]
            _add_field(fields, *labelled)
        elif _COPYRIGHT.match(para.text):
            _add_field(fields, "COPYRIGHT", para.text)
            current = "COPYRIGHT"
        elif current is not None:
            _add_field(fields, current, para.text)
    if body_at is None:
        return _Document(number, fields, [], source), before
    body = segment[body_at + 1 :]
    back: list[Para] = []
    labels = {x.upper() for x in _layouts()["nexis"]["labels"]}
    while body and (_label(body[-1].text) or body[-1].text.strip().upper() in labels):
        back.insert(0, body.pop())
    # A field's value may run over the paragraphs after its label ("Graphic" + caption).
    current = None
    for para in back:
        labelled = _label(para.text)
        if labelled:
            current = labelled[0]
            if labelled[1]:
                _add_field(fields, *labelled)
        elif para.text.strip().upper() in labels:
            current = para.text.strip().upper()
        elif current:
            _add_field(fields, current, para.text)
    return _Document(number, fields, [_normal(p.text) for p in body if p.text.strip()],
                     source), before


def _parse_factiva(paras: list[Para]) -> _Parsed:
    layouts = _layouts()["factiva"]
    end = _patterns()["factiva_end"]
    summaries = {x.lower() for x in layouts["search_summary"]}
    cover_paras: list[Para] = []
    kept: list[Para] = []
    for k, para in enumerate(paras):
        if para.text.strip().lower() in summaries:
            cover_paras = paras[k:]
            break
        kept.append(para)
    documents: list[_Document] = []
    segment: list[Para] = []
    for para in kept:
        if not para.text.strip():
            continue
        match = end.match(para.text.strip())
        if match:
            documents.append(_factiva_document(len(documents) + 1, segment, match["id"]))
            segment = []
        else:
            segment.append(para)
    if segment:
        document = _factiva_document(len(documents) + 1, segment, None)
        document.problem = "ends without its 'Document <id>' line: the export looks truncated"
        documents.append(document)
    cover = "\n".join(p.text for p in cover_paras if p.text.strip())
    return _Parsed("factiva", documents, cover, _factiva_query(cover_paras))


def _factiva_query(cover: Sequence[Para]) -> str | None:
    texts = [p.text.strip() for p in cover if p.text.strip()]
    for k, text in enumerate(texts):
        if text.lower() in ("text", "text:", "suchtext", "texte") and k + 1 < len(texts):
            return texts[k + 1]
    return None


_AUTHOR = re.compile(r"(?i)^(?:by|von|par|por|di|de|door)\s")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?$")
_CODE = re.compile(r"^[A-Z0-9]{2,12}$")
_PAGE = re.compile(r"^[A-Z]?\d{1,4}[A-Z]?$")


def _factiva_document(number: int, segment: list[Para], document_id: str | None) -> _Document:
    source = "\n".join(p.text for p in segment)
    fields: dict[str, object] = {}
    if document_id:
        fields["document_id"] = document_id
    for para in segment:
        if para.role and para.role.startswith("field:"):
            fields[para.role.removeprefix("field:")] = para.text
    segment = [p for p in segment if not (p.role and p.role.startswith("field:"))]
    words = _patterns()["words"]
    at = next((i for i, p in enumerate(segment) if p.role != "body" and words.match(p.text)),
              None)
    if at is None:
        doc = _Document(number, fields, [], source)
        doc.problem = "no word count ('1,210 words') before the body: not a Factiva layout"
        return doc
    count = re.sub(r"[^\d]", "", words.match(segment[at].text)["n"])
    fields["length"] = int(count) if count else None
    before = segment[:at]
    roles = {p.role for p in before}
    if "headline" in roles:
        for para in before:
            column = {"headline": "headline", "author": "byline"}.get(para.role or "", "section")
            _add_field(fields, column.upper(), para.text)
    else:
        bold = [i for i, p in enumerate(before) if p.bold]
        head = bold[0] if bold else (1 if len(before) == 3 or (
            len(before) == 2 and not _AUTHOR.match(before[1].text)
            and len(before[1].text.split()) > 12) else 0)
        for i, para in enumerate(before):
            column = "section" if i < head else "headline" if i == head else "byline"
            _add_field(fields, column.upper(), para.text)
    languages = {x.lower() for x in _layouts()["factiva"]["languages"]}
    rest = segment[at + 1 :]
    header_end = None
    for i, para in enumerate(rest[:8]):
        text = para.text.strip()
        if para.role == "body":
            break
        if i == 0 and parse_export_date(text):
            fields["published"] = parse_export_date(text)
        elif _TIME.match(text) and "time" not in fields:
            fields["time"] = text
        elif text.lower() in languages:
            fields["language"] = text
            header_end = i + 1
            if i + 1 < len(rest) and rest[i + 1].role != "body" and _patterns()["copyright"].match(
                rest[i + 1].text.strip()
            ):
                fields["copyright"] = _normal(rest[i + 1].text)
                header_end = i + 2
            break
        elif "outlet" not in fields:
            fields["outlet"] = text
        elif _CODE.match(text) and "source_code" not in fields:
            fields["source_code"] = text
        elif _PAGE.match(text) and "page" not in fields:
            fields["page"] = text
    if header_end is None and any(p.role == "body" for p in rest):
        header_end = next(i for i, p in enumerate(rest) if p.role == "body")
    if header_end is None:
        doc = _Document(number, fields, [], source)
        doc.problem = "no language line after the date and source: not a Factiva layout"
        return doc
    body_paras = rest[header_end:]
    body, trailer = [], []
    for para in body_paras:
        (trailer if para.role == "trailer" else body).append(para.text)
    while body and re.fullmatch(r"https?://\S+", body[-1].strip()):
        trailer.insert(0, body.pop())
    for text in trailer:
        key = "url" if re.fullmatch(r"https?://\S+(?:\[\S+\])?", text.strip()) else "distributor"
        _add_field(fields, key.upper(), text)
    return _Document(number, fields, [_normal(t) for t in body if t.strip()], source)


# ---------------------------------------------------------------------------------------------
# Files -> rows


def _sniff(head: str) -> str | None:
    """The layout a text reads like, from its first lines."""
    patterns = _patterns()
    lines = head.split("\n")
    if any(_document_start(line) for line in lines):
        return "nexis"
    ends = {x.lower() for x in _layouts()["nexis"]["document_end"]}
    if any(line.strip().lower() in ends for line in lines):
        return "nexis uni"
    if any(patterns["factiva_end"].match(line.strip()) for line in lines):
        return "factiva"
    return None


def reads_like_export(head: bytes) -> bool:
    """Whether the first bytes of a plain-text file read like a Nexis or Factiva export.

    >>> reads_like_export(b"1 of 2 DOCUMENTS\\r\\n\\r\\nAgence France Presse")
    True
    >>> reads_like_export(b"Astana, Feb 28 (EFE).- Blinken arrived.")
    False
    """
    return _sniff(head.decode("utf-8", errors="ignore").replace("\r", "\n")) is not None


def is_export_file(path: str | Path) -> bool:
    """Whether a file is to be read as a database export (by suffix; a ``.txt`` file when its
    first lines read like one; a ``.txt`` file that is not a regular file is never opened).

    >>> is_export_file("no/such/file.docx"), is_export_file("article.csv")
    (True, False)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        return False
    if suffix != ".txt":
        return True
    try:
        head = read_corpus_file(path, None, head=SNIFF_BYTES)
    except ValueError:
        return False
    return reads_like_export(head)


def _parse_file(
    path: Path, encoding: str | None, *, root: str | None, max_bytes: int | None
) -> tuple[_Parsed, str]:
    data = read_corpus_file(path, root, max_bytes=max_bytes)
    if not data.strip():
        raise ValueError("empty file")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        paras, used = _docx_paragraphs(data), "docx"
    elif suffix == ".rtf" or data.lstrip().startswith(b"{\\rtf"):
        if not data.lstrip().startswith(b"{\\rtf"):
            raise ValueError("not an RTF file (it does not start with '{\\rtf')")
        paras, used = rtf_paragraphs(data), "rtf"
    elif suffix in (".html", ".htm"):
        text, used = _decode_text(data, encoding)
        tables = _FactivaTables()
        tables.feed(text)
        tables.close()
        indexed = [rows for rows in tables.documents if rows]
        if indexed:
            paras = [p for rows in indexed for p in _factiva_table_paragraphs(rows)]
            return _parse_factiva(paras), used
        parser = _FactivaHTML()
        parser.feed(text)
        parser.close()
        if not parser.articles:
            raise ValueError(
                "unknown layout: no Factiva article (div class 'article ..Article') in this page"
            )
        paras = []
        for article in parser.articles:
            paras.extend(article)
        return _parse_factiva(paras), used
    else:
        text, used = _decode_text(data, encoding)
        paras = _text_paragraphs(text)
    layout = _sniff("\n".join(p.text for p in paras))
    if layout == "nexis":
        return _parse_nexis_classic(paras), used
    if layout == "nexis uni":
        return _parse_nexis_uni(paras), used
    if layout == "factiva":
        return _parse_factiva(paras), used
    raise ValueError(
        "unknown layout: not a Nexis or Factiva export (no 'N of M DOCUMENTS' line, no "
        "'End of Document', no Factiva 'Document <id>' line)"
    )


def _rows(
    stem: str, name: str, parsed: _Parsed, used: str, report: Report
) -> Iterable[dict[str, object]]:
    total = parsed.total or len(parsed.documents)
    width = max(3, len(str(total)))
    numbers = [d.number for d in parsed.documents]
    if parsed.total and sorted(numbers) != list(range(1, parsed.total + 1)):
        missing = sorted(set(range(1, parsed.total + 1)) - set(numbers))
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
            report(name, f"holds {len(numbers)} of {parsed.total} documents: missing {shown} "
                         "(truncated or edited export?)")
    for document in parsed.documents:
        where = f"document {document.number} of {total}"
        if document.problem:
            report(name, f"{where}: {document.problem}")
            continue
        if not document.body:
            report(name, f"{where}: no body (an index entry, a graphic or a layout this reader "
                         "does not know)")
            continue
        fields = dict(document.fields)
        outlet = fields.pop("outlet", None)
        raw_text = "\n\n".join(document.body)
        # The agency's own signature (a dateline "(AP) —" in a newspaper's copy of an AP story)
        # or the outlet's name as an agency; else the outlet itself, so a newspaper export
        # groups by newspaper.
        agency = agency_of_outlet(outlet) or recognise_agency(raw_text)
        if agency == "unknown" and outlet:
            agency = outlet
        yield {
            "doc_id": f"{stem}-{document.number:0{width}d}",
            "file": name,
            "agency": agency,
            "outlet": outlet,
            **{c: fields.pop(c, None) for c in _MAIN_COLUMNS},
            "document_number": document.number,
            **fields,
            "export_layout": parsed.layout,
            "raw_text": raw_text,
            "encoding": used,
            "export_text": document.source_text,
        }


_MAIN_COLUMNS = (
    "published", "section", "length", "byline", "headline", "dateline", "language", "edition",
)


def read_export_rows(
    path: Path,
    name: str,
    *,
    report: Report,
    encoding: str | None = None,
    prefix: str | None = None,
    root: str | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> tuple[list[dict[str, object]], dict[str, object] | None]:
    """Rows (one per article) and the cover of one export file; problems go to ``report``.

    The file is read as :func:`corpusutils.load.read_corpus_file` reads it: a regular file
    (inside the resolved folder ``root``, if given) of at most ``max_bytes``.

    >>> rows, cover = read_export_rows(Path("/dev/null"), "null.txt",
    ...                                report=lambda f, p: print(f, "-", p))
    null.txt - not a regular file (a character device); refused
    """
    try:
        parsed, used = _parse_file(path, encoding, root=root, max_bytes=max_bytes)
    except ValueError as exc:
        report(name, str(exc))
        return [], None
    except OSError as exc:
        report(name, f"cannot be read: {exc}")
        return [], None
    rows = list(_rows(prefix or Path(name).stem, name, parsed, used, report))
    cover = {
        "file": name,
        "layout": parsed.layout,
        "documents": len(parsed.documents),
        "query": parsed.query,
        "cover": parsed.cover,
    }
    return rows, cover


def load_exports(
    paths: Iterable[str | Path],
    *,
    root: str | Path | None = None,
    report: Report | None = None,
    encoding: str | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
    confined: bool = False,
) -> pd.DataFrame:
    """A docs frame of the articles in export files (see the module docstring).

    ``root`` is the folder file names are given relative to; ``report(file, problem)`` receives
    each problem (default: raise :class:`corpusutils.load.CorpusError`). The covers are in
    ``attrs["exports"]``. :func:`corpusutils.load_corpus` calls this for export files and
    applies its error policy. Only regular files are read (a named pipe, a device or a folder
    is refused unopened), none larger than ``max_bytes`` (default 20 MB; None lifts the
    limit), and with ``confined`` none outside ``root`` (a link leading out is refused).

    >>> load_exports([]).shape
    (0, 6)
    """

    def raise_problem(file: str, problem: str) -> None:
        raise CorpusError(file, problem)

    report = report or raise_problem
    base = Path(root) if root is not None else None
    inside = os.path.realpath(base) if confined and base is not None else None
    rows: list[dict[str, object]] = []
    covers = []
    paths = [Path(p) for p in paths]
    stems = [p.stem.lower() for p in paths]
    for path in paths:
        name = str(path.relative_to(base)) if base is not None else str(path)
        # Two exports named alike ("news.TXT", "news.rtf") keep their extension in doc_id.
        prefix = path.stem if stems.count(path.stem.lower()) == 1 else path.name
        found, cover = read_export_rows(path, name, report=report, encoding=encoding,
                                        prefix=prefix, root=inside, max_bytes=max_bytes)
        rows.extend(found)
        if cover is not None:
            covers.append(cover)
    columns = ["doc_id", "file", "agency", "raw_text", "encoding", "export_text"]
    docs = pd.DataFrame(rows) if rows else pd.DataFrame(columns=columns)
    if "length" in docs.columns:
        docs["length"] = docs["length"].astype("Int64")
    if "document_number" in docs.columns:
        docs["document_number"] = docs["document_number"].astype("Int64")
    first = ["doc_id", "file", "agency"]
    last = ["raw_text", "encoding", "export_text"]
    docs = docs[first + [c for c in docs.columns if c not in first + last] + last]
    docs.attrs["exports"] = covers
    return docs
