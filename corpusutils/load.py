"""Load a corpus of news articles into a docs frame: folders, manifests and tables.

The docs frame has one row per article. Columns:

``doc_id``
    Unique identifier (from the manifest, the table, or the file name without ``.txt``).
``file``
    The file the text came from (relative to the corpus folder), or ``table.csv#row`` for tables.
``agency``
    The grouping column: from the manifest or table, else recognised from where a signature
    stands in the text (dateline, byline, credits, copyright, closing signature; see
    :func:`corpusutils.clean.agency.recognise_agency` and
    ``corpusutils/data/agency_signatures.csv``), else ``"unknown"``.
``service``, ``published``, ``headline``, ``attribution_basis``
    Further manifest columns (and any other manifest or table columns, kept as they are).
``raw_text``
    The text exactly as decoded, newlines normalised to ``\\n``. Never changed by cleaning.
``encoding``
    How the bytes were decoded (``utf-8``, ``utf-8-sig``, ``utf-16``, ... or the detected code
    page). For table sources: ``table``.

Bad input never passes silently. Each problem names the file and what is wrong with it:

* ``errors="raise"`` (default): the first problem raises :class:`CorpusError`.
* ``errors="warn"``: each problem is a :class:`CorpusWarning`; the rest of the corpus loads.
* ``errors="skip"``: the rest of the corpus loads quietly.

Either way, the problems are listed in ``docs.attrs["skipped"]`` (a list of dicts with
``file`` and ``problem``), so nothing is lost without a trace.
"""

from __future__ import annotations

import codecs
import io
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from corpusutils import exports
from corpusutils.clean.agency import recognise_agency
from corpusutils.parallel import PROGRESS_ABOVE

ErrorPolicy = Literal["raise", "warn", "skip"]

MANIFEST_NAME = "manifest.csv"
REQUIRED_MANIFEST_COLUMNS = ("doc_id", "file")
TABLE_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
#: Columns of a cleaned docs frame that hold lists (JSON strings once saved).
_LIST_COLUMNS = ("furniture", "fixes", "removed", "notes")

# Byte-order marks, longest first: a UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# File signatures of formats that are sometimes saved or renamed as .txt by mistake.
_BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an old Microsoft Office document",
    b"\x1f\x8b": "a gzip archive",
    b"{\\rtf": "an RTF document",
}


class CorpusError(ValueError):
    """A file (or table row) that cannot be loaded; the message names it and the problem."""

    def __init__(self, file: str | Path, problem: str) -> None:
        self.file = str(file)
        self.problem = problem
        super().__init__(f"{self.file}: {problem}")


class CorpusWarning(UserWarning):
    """A file skipped under ``errors="warn"``; the message names it and the problem."""


@dataclass(frozen=True)
class _Problem:
    file: str
    problem: str


class _Problems:
    """Collects problems and applies the caller's error policy to each as it is found."""

    def __init__(self, errors: ErrorPolicy) -> None:
        if errors not in ("raise", "warn", "skip"):
            raise ValueError(f"errors must be 'raise', 'warn' or 'skip', not {errors!r}")
        self.errors = errors
        self.found: list[_Problem] = []

    def report(self, file: str | Path, problem: str) -> None:
        if self.errors == "raise":
            raise CorpusError(file, problem)
        self.found.append(_Problem(str(file), problem))
        if self.errors == "warn":
            warnings.warn(f"{file}: {problem} (skipped)", CorpusWarning, stacklevel=4)

    def as_records(self) -> list[dict[str, str]]:
        return [{"file": p.file, "problem": p.problem} for p in self.found]


def decode_bytes(data: bytes, *, encoding: str | None = None) -> tuple[str, str]:
    """Decode one file's bytes; return ``(text, encoding)`` with newlines normalised.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32), then strict UTF-8, then detection with
    charset-normalizer. Raises ``ValueError`` with the reason when the bytes are binary or
    cannot be decoded as text.

    >>> decode_bytes("Tokáyev\\r\\n".encode("utf-8"))
    ('Tokáyev\\n', 'utf-8')
    >>> decode_bytes(codecs.BOM_UTF16_LE + "Astana".encode("utf-16-le"))
    ('Astana', 'utf-16')
    """
    if encoding is not None:
        try:
            return _normalise_newlines(data.decode(encoding)), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ValueError(f"cannot be decoded as {encoding}: {exc}") from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise ValueError(f"starts with a {name} byte-order mark but {exc}") from None
            return _normalise_newlines(text.lstrip("\ufeff")), name
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ValueError(f"binary file: looks like {kind}, not text")
    if b"\x00" in data:
        raise ValueError("binary file: contains NUL bytes and no UTF-16/UTF-32 byte-order mark")
    try:
        return _normalise_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        raise ValueError(
            f"undecodable bytes: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no text encoding fits; pass encoding=... if you know it"
        )
    return _normalise_newlines(str(best)), best.encoding


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_corpus(
    source: str | Path,
    *,
    errors: ErrorPolicy = "raise",
    clean: bool = True,
    text_column: str = "text",
    encoding: str | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Load a corpus into a docs frame, one row per article (see the module docstring).

    ``source`` is a folder (with ``manifest.csv``, or every ``*.txt`` file and database export
    in it), a table file (``.csv``, ``.jsonl``, ``.parquet``) with a ``text_column`` and
    metadata columns, or one database export (Nexis ``.TXT``/``.DOCX``/``.RTF``, Factiva
    ``.RTF``/``.HTML``: one row per article, see :mod:`corpusutils.exports`).
    ``clean=False`` gives the raw texts only; by default the texts are also cleaned (see
    :func:`corpusutils.clean.clean_corpus`). A table written by :func:`save_corpus` from a
    cleaned corpus loads as it was saved, without cleaning again. ``progress`` shows a
    progress bar (default: for folders of more than 500 files).

    >>> docs = load_corpus("seeds", clean=False)
    >>> docs.groupby("agency").size().to_dict()
    {'AFP': 1, 'AP': 1, 'EFE': 2, 'Reuters': 1}
    """
    path = Path(source)
    problems = _Problems(errors)
    if path.is_dir():
        docs = _load_folder(path, problems, encoding=encoding, progress=progress)
    elif path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
        docs = _load_table(path, problems, text_column=text_column)
    elif path.is_file() and exports.is_export_file(path):
        docs = exports.load_exports([path], root=path.parent, report=problems.report,
                                    encoding=encoding)
    elif path.exists():
        raise CorpusError(
            path, f"not a corpus: expected a folder or a table file ({', '.join(TABLE_SUFFIXES)})"
        )
    else:
        raise CorpusError(path, "no such folder or file")
    docs = _drop_duplicate_ids(docs, problems)
    if docs.empty:
        detail = "; ".join(f"{p.file}: {p.problem}" for p in problems.found[:5])
        raise CorpusError(path, "no article could be loaded" + (f" ({detail})" if detail else ""))
    saved = docs.attrs
    if clean and not saved.get("cleaned"):
        from corpusutils.clean import clean_corpus

        docs = clean_corpus(docs, progress=progress)
    # A cleaned corpus written by save_corpus keeps the source and skipped files it came from.
    docs.attrs = {
        "source": saved.get("source", str(path)),
        "skipped": [*saved.get("skipped", []), *problems.as_records()],
        "exports": saved.get("exports", []),
    }
    return docs


def _load_folder(
    folder: Path, problems: _Problems, *, encoding: str | None, progress: bool | None
) -> pd.DataFrame:
    manifest_path = folder / MANIFEST_NAME
    if manifest_path.exists():
        entries = _read_manifest(manifest_path)
    else:
        # Extensions in any case ("export.TXT"); database exports hold many articles each.
        files = sorted(p for p in folder.iterdir()
                       if p.is_file() and p.suffix.lower() in exports.EXPORT_SUFFIXES)
        exported = [p for p in files if exports.is_export_file(p)]
        entries = [{"doc_id": p.stem, "file": p.name} for p in files
                   if p.suffix.lower() == ".txt" and p not in exported]
        if not entries and not exported:
            raise CorpusError(
                folder, f"no {MANIFEST_NAME}, no *.txt files and no database exports in this folder"
            )
    show = len(entries) > PROGRESS_ABOVE if progress is None else progress
    rows = list(_read_entries(folder, entries, problems, encoding=encoding, show=show))
    docs = pd.DataFrame(rows, columns=_columns(entries))
    if manifest_path.exists() or not exported:
        return docs
    found = exports.load_exports(exported, root=folder, report=problems.report, encoding=encoding)
    merged = pd.concat([docs, found], ignore_index=True) if len(docs) else found
    merged.attrs = {"exports": found.attrs["exports"]}
    return merged


def _columns(entries: list[dict[str, str]]) -> list[str]:
    first = ["doc_id", "file", "agency"]
    extra = [c for c in (entries[0] if entries else {}) if c not in first]
    return first + extra + ["raw_text", "encoding"]


def _read_manifest(manifest_path: Path) -> list[dict[str, str]]:
    try:
        table = pd.read_csv(manifest_path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CorpusError(manifest_path, f"manifest cannot be read as CSV: {exc}") from None
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in REQUIRED_MANIFEST_COLUMNS if c not in table.columns]
    if missing:
        raise CorpusError(
            manifest_path,
            f"manifest lacks the required column(s) {', '.join(missing)}; "
            f"it has {', '.join(table.columns) or 'none'}",
        )
    return table.to_dict("records")


def _read_entries(
    folder: Path,
    entries: list[dict[str, str]],
    problems: _Problems,
    *,
    encoding: str | None,
    show: bool,
) -> Iterator[dict[str, str]]:
    """Read and decode one file at a time, so memory holds the texts and nothing more."""
    root = folder.resolve()
    iterable: Iterable[dict[str, str]] = entries
    if show:
        from tqdm.auto import tqdm

        iterable = tqdm(entries, desc="loading", unit="file")
    for entry in iterable:
        name = str(entry["file"]).strip()
        shown = folder / name
        target = (folder / name).resolve()
        if not name:
            problems.report(
                folder / MANIFEST_NAME, f"row for doc_id {entry['doc_id']!r} names no file"
            )
            continue
        if not target.is_relative_to(root):
            problems.report(shown, "points outside the corpus folder; refused")
            continue
        if not target.is_file():
            problems.report(shown, "missing: named in the manifest but not found")
            continue
        data = target.read_bytes()
        if not data.strip():
            problems.report(shown, "empty file")
            continue
        try:
            text, used = decode_bytes(data, encoding=encoding)
        except ValueError as exc:
            problems.report(shown, str(exc))
            continue
        if not text.strip():
            problems.report(shown, "empty file (only whitespace once decoded)")
            continue
        row = {**entry, "doc_id": str(entry["doc_id"]).strip(), "file": name}
        if not str(row.get("agency") or "").strip():
            row["agency"] = recognise_agency(text)
        row["raw_text"] = text
        row["encoding"] = used
        yield row


def _load_table(path: Path, problems: _Problems, *, text_column: str) -> pd.DataFrame:
    kind = TABLE_SUFFIXES[path.suffix.lower()]
    try:
        if kind == "csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif kind == "jsonl":
            table = pd.read_json(path, lines=True, dtype=False)
        else:
            table = pd.read_parquet(path)
    except Exception as exc:  # each reader raises its own types; all mean "unreadable"
        raise CorpusError(path, f"cannot be read as {kind}: {exc}") from None
    if _is_saved_clean(table):
        return _restore_clean(table)
    if text_column not in table.columns:
        raise CorpusError(
            path,
            f"table has no {text_column!r} column (columns: {', '.join(map(str, table.columns))}); "
            "pass text_column=...",
        )
    table = table.rename(columns={text_column: "raw_text"})
    if "doc_id" not in table.columns:
        table.insert(0, "doc_id", [f"{i:06d}" for i in range(len(table))])
    table["doc_id"] = table["doc_id"].astype(str)
    table["file"] = [f"{path.name}#{i}" for i in range(len(table))]
    keep = []
    for i, text in enumerate(table["raw_text"]):
        if not isinstance(text, str) or not text.strip():
            problems.report(f"{path}#row {i} (doc_id {table['doc_id'].iat[i]})", "empty text")
            keep.append(False)
        else:
            keep.append(True)
    table = table[keep].copy()
    table["raw_text"] = [_normalise_newlines(t) for t in table["raw_text"]]
    if "agency" not in table.columns:
        table["agency"] = [recognise_agency(t) for t in table["raw_text"]]
    else:
        table["agency"] = [
            str(a).strip() if isinstance(a, str) and a.strip() else recognise_agency(t)
            for a, t in zip(table["agency"], table["raw_text"], strict=True)
        ]
    table["encoding"] = "table"
    first = ["doc_id", "file", "agency"]
    rest = [c for c in table.columns if c not in first + ["raw_text", "encoding"]]
    return table[first + rest + ["raw_text", "encoding"]].reset_index(drop=True)


def _is_saved_clean(table: pd.DataFrame) -> bool:
    """A table written by :func:`save_corpus` from a cleaned docs frame."""
    from corpusutils.clean import CLEAN_COLUMNS

    # "language" came later than the others: a corpus saved without it is still cleaned.
    return {"doc_id", "raw_text", *CLEAN_COLUMNS} - {"language"} <= set(table.columns)


def _restore_clean(table: pd.DataFrame) -> pd.DataFrame:
    """Turn the JSON strings :func:`save_corpus` wrote back into lists; mark it cleaned."""
    import json

    docs = table.copy()
    for column in _LIST_COLUMNS:
        docs[column] = [json.loads(v) if isinstance(v, str) else v for v in docs[column]]
    docs["doc_id"] = docs["doc_id"].astype(str)
    if "language" not in docs.columns:
        from corpusutils.language import detect_language

        docs["language"] = docs["text"].map(detect_language)
    docs.attrs = {**table.attrs, "cleaned": True}
    return docs


def _drop_duplicate_ids(docs: pd.DataFrame, problems: _Problems) -> pd.DataFrame:
    duplicated = docs["doc_id"].duplicated(keep="first")
    repeats = docs.loc[duplicated, ["file", "doc_id"]].itertuples(index=False)
    for file, doc_id in repeats:
        first = docs.loc[docs["doc_id"] == doc_id, "file"].iat[0]
        problems.report(file, f"duplicate doc_id {doc_id!r} (already used by {first})")
    return docs.loc[~duplicated].reset_index(drop=True)


def save_corpus(docs: pd.DataFrame, path: str | Path) -> Path:
    """Write a docs frame to CSV, JSONL or Parquet (by the file's extension).

    Columns holding lists or dicts (``fixes``, ``removed``, ``notes``) are written as JSON
    strings, so the file can be read back by any tool; :func:`load_corpus` reads a saved
    cleaned corpus back as it was (Parquet also keeps the source and the skipped files).

    >>> import tempfile, os
    >>> out = save_corpus(pd.DataFrame({"doc_id": ["a"], "raw_text": ["x"]}),
    ...                   os.path.join(tempfile.mkdtemp(), "c.csv"))
    >>> out.read_text(encoding="utf-8").splitlines()[0]
    'doc_id,raw_text'
    """
    import json

    out = Path(path)
    kind = TABLE_SUFFIXES.get(out.suffix.lower())
    if kind is None:
        raise ValueError(f"{out}: unknown output format; use one of {', '.join(TABLE_SUFFIXES)}")
    frame = docs.copy()
    frame.attrs = {k: docs.attrs[k] for k in ("source", "skipped", "exports") if k in docs.attrs}
    nested = [
        c for c in frame.columns
        if c in _LIST_COLUMNS or frame[c].map(lambda v: isinstance(v, list | dict | tuple)).any()
    ]
    for column in nested:
        frame[column] = frame[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "parquet":
        frame.to_parquet(out, index=False)
    elif kind == "csv":
        frame.to_csv(out, index=False, encoding="utf-8")
    else:
        buffer = io.StringIO()
        frame.to_json(buffer, orient="records", lines=True, force_ascii=False)
        out.write_text(buffer.getvalue(), encoding="utf-8")
    return out
