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

Bad input never passes silently. Each problem names the file (or the table row, or the manifest
row) and what is wrong with it; names that are not UTF-8 are shown with their bytes escaped:

* ``errors="raise"`` (default): the first problem raises :class:`CorpusError`.
* ``errors="warn"``: each problem is a :class:`CorpusWarning`; the rest of the corpus loads.
* ``errors="skip"``: the rest of the corpus loads quietly.

Either way, the problems are listed in ``docs.attrs["skipped"]`` (a list of dicts with
``file`` and ``problem``), so nothing is lost without a trace. Loading opens only regular files
inside the corpus folder (the manifest included): links leading out of it, named pipes, devices
and folders named ``.txt`` are refused unopened, and no message quotes a refused file. Tables are
read exactly as written: no column becomes an index, ids stay the strings written, a column named
like one corpusutils writes (``raw_text``, ``text``, ``fixes``, ...) is renamed
``<name>_original``, and a row that does not fit (a CSV row with a field too many, a broken JSONL
line) is skipped with its line number.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from corpusutils.clean.agency import recognise_agency
from corpusutils.parallel import PROGRESS_ABOVE

ErrorPolicy = Literal["raise", "warn", "skip"]

MANIFEST_NAME = "manifest.csv"
REQUIRED_MANIFEST_COLUMNS = ("doc_id", "file")
TABLE_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
#: Columns of a cleaned docs frame that hold lists (JSON strings once saved).
_LIST_COLUMNS = ("furniture", "fixes", "removed", "notes")
#: Columns corpusutils writes itself: a manifest or table column of that name is renamed
#: ``<name>_original`` (with a message) rather than overwritten or mistaken for the text.
RESERVED_COLUMNS = ("raw_text", "encoding", "text", *_LIST_COLUMNS)
#: The largest file loaded as one article by default (far above any news story).
MAX_FILE_BYTES = 20_000_000
#: Articles per row group of a Parquet file written by save_corpus.
PARQUET_ROW_GROUP = 1_000

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
        self.file = display_name(file)
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

    def report(self, file: str | Path, problem: str, *, outcome: str = "skipped") -> None:
        file = display_name(file)
        if self.errors == "raise":
            raise CorpusError(file, problem)
        self.found.append(_Problem(str(file), problem))
        if self.errors == "warn":
            warnings.warn(f"{file}: {problem} ({outcome})", CorpusWarning, stacklevel=4)

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
    mixed = _decode_mixed(data)
    if mixed is not None:
        return _normalise_newlines(mixed), "utf-8+cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        raise ValueError(
            f"undecodable bytes: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no text encoding fits; pass encoding=... if you know it"
        )
    return _normalise_newlines(str(best)), best.encoding


# A UTF-8 sequence of two to four bytes, or a single byte that starts none.
_UTF8_OR_STRAY = re.compile(
    rb"([\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2})|([\x80-\xff])"
)


def _decode_mixed(data: bytes) -> str | None:
    """UTF-8 with stray Windows-1252 bytes (a file pasted together from two sources): each
    valid UTF-8 sequence as UTF-8, each other byte as Windows-1252. None unless UTF-8
    sequences are common enough (one per eight stray bytes) that the file is not simply in a
    legacy code page that happens to hold one by chance."""
    utf8 = stray = 0
    parts = []
    for match in _UTF8_OR_STRAY.finditer(data):
        if match.group(1):
            utf8 += 1
        else:
            stray += 1
    if utf8 < 2 or utf8 * 8 < stray:
        return None
    start = 0
    for match in _UTF8_OR_STRAY.finditer(data):
        parts.append(data[start : match.start()].decode("ascii"))
        piece = match.group()
        parts.append(piece.decode("utf-8") if match.group(1) else _cp1252_byte(piece))
        start = match.end()
    parts.append(data[start:].decode("ascii"))
    return "".join(parts)


def _cp1252_byte(byte: bytes) -> str:
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return byte.decode("latin-1")


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
    max_bytes: int | None = MAX_FILE_BYTES,
) -> pd.DataFrame:
    """Load a corpus into a docs frame, one row per article (see the module docstring).

    ``source`` is a folder (with ``manifest.csv``, or every ``*.txt`` file and database export
    in it), a table file (``.csv``, ``.jsonl``, ``.parquet``) with a ``text_column`` and
    metadata columns, or one database export (Nexis ``.TXT``/``.DOCX``/``.RTF``, Factiva
    ``.RTF``/``.HTML``: one row per article, see :mod:`corpusutils.exports`).
    ``clean=False`` gives the raw texts only; by default the texts are also cleaned (see
    :func:`corpusutils.clean.clean_corpus`). A table written by :func:`save_corpus` loads as it
    was saved (a cleaned one without cleaning again). ``progress`` shows a progress bar
    (default: for folders of more than 500 files). An article file or a database export
    larger than ``max_bytes`` (default 20 MB, far more than any news article or export) is
    refused unread; ``max_bytes=None`` lifts the limit. Only regular files are read, whether
    named here or found in a folder (a named pipe, device or folder named ``.csv``, ``.txt``,
    ``.rtf`` ... is refused unopened).

    >>> docs = load_corpus("seeds", clean=False)
    >>> docs.groupby("agency").size().to_dict()
    {'AFP': 1, 'AP': 1, 'EFE': 2, 'Reuters': 1}
    """
    if "\x00" in os.fspath(source):
        shown = os.fspath(source).replace("\x00", "\\x00")
        raise CorpusError(shown, "the name holds a NUL character")
    from corpusutils import exports

    path = Path(source)
    problems = _Problems(errors)
    if path.is_dir():
        docs = _load_folder(path, problems, encoding=encoding, progress=progress,
                            max_bytes=max_bytes)
    elif os.path.lexists(path) and path.suffix.lower() in TABLE_SUFFIXES:
        docs = _load_table(path, problems, text_column=text_column)
    elif os.path.lexists(path) and _named_as_export(path):
        # read_corpus_file refuses what is not a regular file, or is too large, unopened.
        docs = exports.load_exports([path], root=path.parent, report=problems.report,
                                    encoding=encoding, max_bytes=max_bytes)
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
    # A corpus written by save_corpus keeps the source and skipped files it came from.
    docs.attrs = {
        "source": saved.get("source", display_name(path)),
        "skipped": [*saved.get("skipped", []), *problems.as_records()],
        "exports": saved.get("exports", []),
    }
    return docs


def _named_as_export(path: Path) -> bool:
    """A file named directly that is read as a database export: by its suffix, a ``.txt``
    file when it reads like one, and anything of those suffixes that is not a regular file
    (so that the export reader says what it is instead)."""
    from corpusutils import exports

    suffix = path.suffix.lower()
    if suffix not in exports.EXPORT_SUFFIXES:
        return False
    return suffix != ".txt" or not path.is_file() or exports.is_export_file(path)


# ---------------------------------------------------------------------------------------------
# Opening files: only regular files inside the corpus folder, never blocking, never quoting.


def display_name(path: str | Path) -> str:
    """A file name fit for a message: bytes that are not UTF-8 shown as escapes.

    >>> display_name(os.fsdecode(b"caf\\xe9.txt"))
    'caf\\\\xe9.txt'
    """
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # lone surrogates that did not come from the file system
        return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def _kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def read_corpus_file(
    path: str | Path, root: str | None, *, max_bytes: int | None = None, head: int | None = None
) -> bytes:
    """The bytes of one regular file inside the folder ``root`` (a resolved path, or None for
    a file named directly); ``ValueError`` with the reason otherwise.

    Symbolic links are followed only while they stay inside ``root`` (a file named directly
    may be a link: what it names is read); named pipes, devices, sockets and folders are
    refused without being opened for reading, so nothing blocks; a file larger than
    ``max_bytes`` is refused unread; ``head`` reads only that many first bytes (enough to tell
    what a file is). The reason never quotes the file's content. Every file corpusutils loads
    (articles, manifests, tables, database exports) is read through here.

    >>> read_corpus_file("/dev/null", None)
    Traceback (most recent call last):
    ...
    ValueError: not a regular file (a character device); refused
    """
    name = os.fspath(path)
    if "\x00" in name:
        raise ValueError("the file name holds a NUL character; refused")
    target = name
    info = None
    if root is None:
        target = os.path.realpath(name)  # opened below without following links
        info = _stat(target, follow=True, link=name)
    elif os.path.dirname(name) == root:
        info = _stat(name, follow=False)
    # A regular file right inside the folder is inside it; anything else is resolved first.
    if root is not None and (info is None or not stat.S_ISREG(info.st_mode)):
        target = os.path.realpath(name)
        if os.path.commonpath([target, root]) != root:
            raise ValueError("points outside the corpus folder; refused")
        info = _stat(target, follow=True, link=name)
    _check_regular(info, max_bytes)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(target, flags)
    except OSError as exc:
        raise ValueError(f"cannot be opened: {_reason(exc)}") from None
    with open(handle, "rb", buffering=0) as file:
        _check_regular(os.fstat(handle), max_bytes)  # the very file that was checked
        data = file.readall() if head is None else file.read(head)
    if max_bytes is not None and len(data) > max_bytes:
        raise ValueError(f"larger than {max_bytes:,} bytes; refused (pass max_bytes=...)")
    return data


def _stat(name: str, *, follow: bool, link: str | None = None) -> os.stat_result:
    try:
        return os.stat(name) if follow else os.lstat(name)
    except FileNotFoundError:
        if os.path.islink(link or name):
            raise ValueError("a symbolic link to nothing (broken link)") from None
        raise ValueError("missing: named in the manifest but not found") from None
    except OSError as exc:
        raise ValueError(f"cannot be opened: {_reason(exc)}") from None


def _check_regular(info: os.stat_result, max_bytes: int | None) -> None:
    kind = _kind_of(info.st_mode)
    if kind is not None:
        raise ValueError(f"not a regular file ({kind}); refused")
    if max_bytes is not None and info.st_size > max_bytes:
        raise ValueError(
            f"{info.st_size:,} bytes, larger than the limit of {max_bytes:,} for one file; "
            "refused unread (pass max_bytes=... to load it)"
        )


def _reason(exc: OSError) -> str:
    """Why opening failed, without the file name (the caller names the file)."""
    return exc.strerror or type(exc).__name__


# ---------------------------------------------------------------------------------------------
# Folders: manifest.csv, or every *.txt file.


def _load_folder(
    folder: Path,
    problems: _Problems,
    *,
    encoding: str | None,
    progress: bool | None,
    max_bytes: int | None,
) -> pd.DataFrame:
    from corpusutils import exports

    root = os.path.realpath(folder)
    manifest_path = folder / MANIFEST_NAME
    exported: list[Path] | None = None  # with a manifest, every file it names is an article
    if os.path.lexists(manifest_path):
        entries = _read_manifest(manifest_path, root, problems)
    else:
        entries, exported = _list_folder(folder, problems)
        if not entries and not exported and not problems.found:
            raise CorpusError(
                folder, f"no {MANIFEST_NAME}, no *.txt files and no database exports in this folder"
            )
    show = len(entries) > PROGRESS_ABOVE if progress is None else progress
    rows = list(
        _read_entries(folder, root, entries, problems, encoding=encoding, show=show,
                      max_bytes=max_bytes, exported=exported)
    )
    docs = pd.DataFrame(rows, columns=_columns([entry for entry, _ in entries]))
    if not exported:
        return docs
    found = exports.load_exports(sorted(exported), root=folder, report=problems.report,
                                 encoding=encoding, max_bytes=max_bytes, confined=True)
    merged = pd.concat([docs, found], ignore_index=True) if len(docs) else found
    merged.attrs = {"exports": found.attrs["exports"]}
    return merged


def _list_folder(
    folder: Path, problems: _Problems
) -> tuple[list[tuple[dict[str, str], str]], list[Path]]:
    """The folder's ``*.txt`` files as ``(entry, name on disk)`` (whatever their kind, so that
    one that is not a regular file is reported; :func:`_read_entries` tells an export saved as
    ``.txt`` from an article), and its other database exports (``.docx``, ``.rtf``, ``.html``:
    regular files only, never a link)."""
    from corpusutils import exports

    try:
        with os.scandir(folder) as listing:
            found = sorted(
                (entry.name, entry.is_file(follow_symlinks=False))
                for entry in listing
                if os.path.splitext(entry.name)[1].lower() in exports.EXPORT_SUFFIXES
            )
    except OSError as exc:
        raise CorpusError(folder, f"the folder cannot be listed: {_reason(exc)}") from None
    entries, exported = [], []
    for name, regular in found:
        shown = display_name(name)
        if shown != name:
            problems.report(folder / shown, "the file name is not valid UTF-8; rename the file")
            continue
        stem, suffix = os.path.splitext(name)
        if suffix.lower() == ".txt" or not regular:
            entries.append(({"doc_id": stem, "file": name}, name))
        else:
            exported.append(folder / name)
    return entries, exported


def _columns(entries: list[dict[str, str]]) -> list[str]:
    first = ["doc_id", "file", "agency"]
    extra = [c for c in (entries[0] if entries else {}) if c not in first]
    return first + extra + ["raw_text", "encoding"]


def _read_manifest(
    manifest_path: Path, root: str, problems: _Problems
) -> list[tuple[dict[str, str], str]]:
    """Manifest rows as ``(entry, file name)``; a manifest that cannot be read stops the load."""
    try:
        text, _ = decode_bytes(read_corpus_file(os.path.join(root, MANIFEST_NAME), root))
        table = _read_csv_table(manifest_path, text, problems)
    except CorpusError:
        raise
    except ValueError as exc:
        raise CorpusError(manifest_path, f"manifest cannot be read: {exc}") from None
    missing = [c for c in REQUIRED_MANIFEST_COLUMNS if c not in table.columns]
    if missing:
        raise CorpusError(
            manifest_path,
            f"manifest lacks the required column(s) {', '.join(missing)}; "
            f"it has {', '.join(table.columns) or 'none'}",
        )
    names = _safe_column_names(manifest_path, table.columns, RESERVED_COLUMNS, problems)
    entries = []
    for where, record in table.rows:
        entry = {names[k]: v for k, v in record.items()}
        entry["doc_id"] = entry["doc_id"].strip()
        name = entry["file"].strip()
        if not name or not entry["doc_id"]:
            missing_part = "no file" if not name else "no doc_id"
            problems.report(f"{manifest_path}#{where}", f"the row names {missing_part}")
            continue
        entries.append((entry, name))
    return entries


def _read_entries(
    folder: Path,
    root: str,
    entries: list[tuple[dict[str, str], str]],
    problems: _Problems,
    *,
    encoding: str | None,
    show: bool,
    max_bytes: int | None,
    exported: list[Path] | None = None,
) -> Iterator[dict[str, str]]:
    """Read and decode one file at a time, so memory holds the texts and nothing more.

    With ``exported`` (a folder without a manifest), a ``.txt`` file whose first lines read
    like a database export is added to it instead of being read as one article (the file is
    opened once for both)."""
    from corpusutils import exports

    iterable: Iterable[tuple[dict[str, str], str]] = entries
    if show:
        from tqdm.auto import tqdm

        iterable = tqdm(entries, desc="loading", unit="file")
    for entry, name in iterable:
        try:
            data = read_corpus_file(os.path.join(root, name), root, max_bytes=max_bytes)
            if exported is not None and exports.reads_like_export(data[: exports.SNIFF_BYTES]):
                exported.append(folder / name)
                continue
            if not data.strip():
                raise ValueError("empty file")
            text, used = decode_bytes(data, encoding=encoding)
            if not text.strip():
                raise ValueError("empty file (only whitespace once decoded)")
        except ValueError as exc:
            problems.report(os.path.join(folder, name), str(exc))
            continue
        row = {**entry, "file": name}
        if not str(row.get("agency") or "").strip():
            row["agency"] = recognise_agency(text)
        row["raw_text"] = text
        row["encoding"] = used
        yield row


# ---------------------------------------------------------------------------------------------
# Tables: read exactly as written, row by row, each bad row skipped with its place.


@dataclass
class _Table:
    """A table as read: its column names and ``(place, record)`` per row ("line 3", "row 2")."""

    columns: list[str]
    rows: list[tuple[str, dict[str, object]]]
    attrs: dict = field(default_factory=dict)


def _read_csv_table(path: Path, text: str, problems: _Problems) -> _Table:
    """Every value a string as written; a row with more or fewer fields than the header is
    reported with its line and skipped (never shifted into an index)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # an article is a field; the default limit is 128 KiB
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            raise ValueError("no header row (the file is empty)")
        columns = [c.strip() for c in header]
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:
            raise ValueError(f"the header repeats the column(s) {', '.join(map(repr, repeated))}")
        rows = []
        line = reader.line_num
        for values in reader:
            first, line = line + 1, reader.line_num
            where = f"line {first}" if first == line else f"lines {first}-{line}"
            if not values:  # a blank line
                continue
            if len(values) != len(columns):
                problems.report(
                    f"{path}#{where}",
                    f"{len(values)} fields where the header has {len(columns)} "
                    "(an unquoted comma in a value?)",
                )
                continue
            rows.append((where, dict(zip(columns, values, strict=True))))
        if text.count('"') % 2 and rows and rows[-1][0].startswith("lines"):
            # csv reads an unclosed quotation mark as a value running to the end of the file.
            where, _ = rows.pop()
            problems.report(
                f"{path}#{where}",
                "a quotation mark opened on the first of these lines is never closed, so the "
                "rest of the file reads as one value",
            )
    except csv.Error as exc:
        raise ValueError(f"not valid CSV ({exc}, line {reader.line_num})") from None
    finally:
        csv.field_size_limit(previous)
    return _Table(columns, rows)


def _read_jsonl_table(path: Path, text: str, problems: _Problems) -> _Table:
    """One JSON object per line; a broken line is reported with its number and skipped."""
    columns: dict[str, None] = {}
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            problems.report(f"{path}#line {number}", f"not valid JSON ({exc})")
            continue
        if not isinstance(record, dict):
            problems.report(f"{path}#line {number}", "not a JSON object")
            continue
        columns.update(dict.fromkeys(record))
        rows.append((f"line {number}", record))
    return _Table(list(columns), rows)


def _read_parquet_table(path: Path, data: bytes, problems: _Problems) -> _Table:
    """Values as stored (integers stay integers), one row group at a time: a row group that
    cannot be read (damaged, or failing its page checksums) is reported with its rows and
    skipped, the others load. A file whose footer is lost (cut short) is refused whole: only
    the footer says where its rows are."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(data), page_checksum_verification=True)
        schema = parquet.schema_arrow
    except Exception as exc:  # pyarrow raises its own types; all mean "unreadable"
        raise ValueError(
            f"not a readable Parquet file ({type(exc).__name__}: its footer, which says where "
            "the rows are, is missing or damaged; a file cut short?)"
        ) from None
    rows: list[tuple[str, dict[str, object]]] = []
    groups, first = parquet.metadata.num_row_groups, 0
    for group in range(groups):
        count = parquet.metadata.row_group(group).num_rows
        try:
            records = parquet.read_row_group(group).to_pylist()
        except Exception as exc:  # a damaged page: this group's rows are lost, not the rest
            problems.report(
                f"{path}#rows {first}-{first + count - 1}",
                f"row group {group + 1} of {groups} cannot be read ({type(exc).__name__}); "
                f"its {count} rows are left out",
            )
        else:
            rows += [(f"row {first + i}", record) for i, record in enumerate(records)]
        first += count
    attrs = {}
    stored = (schema.metadata or {}).get(b"PANDAS_ATTRS")
    if stored:
        try:
            attrs = json.loads(stored)
        except ValueError:
            attrs = {}
    return _Table(schema.names, rows, attrs if isinstance(attrs, dict) else {})


#: How each kind of table is read: ``(path, decoded text or bytes, problems) -> _Table``.
TABLE_READERS: dict[str, Callable[..., _Table]] = {
    "csv": _read_csv_table,
    "jsonl": _read_jsonl_table,
    "parquet": _read_parquet_table,
}
_BINARY_TABLES = {"parquet"}


def _load_table(path: Path, problems: _Problems, *, text_column: str) -> pd.DataFrame:
    kind = TABLE_SUFFIXES[path.suffix.lower()]
    try:
        content: str | bytes = read_corpus_file(path, None)
        if kind not in _BINARY_TABLES:
            content, _ = decode_bytes(content)
        table = TABLE_READERS[kind](path, content, problems)
    except CorpusError:
        raise
    except ValueError as exc:
        raise CorpusError(path, f"cannot be read as {kind}: {exc}") from None
    if {"doc_id", "file", "raw_text", "encoding"} <= set(table.columns):
        return _restore_saved(path, table, problems)
    if text_column not in table.columns:
        raise CorpusError(
            path,
            f"table has no {text_column!r} column (columns: {', '.join(table.columns) or 'none'})"
            "; pass text_column=...",
        )
    reserved = tuple(c for c in (*RESERVED_COLUMNS, "file") if c != text_column)
    names = _safe_column_names(path, table.columns, reserved, problems)
    names[text_column] = "raw_text"
    rows = []
    for i, (where, record) in enumerate(table.rows):
        doc_id = _as_text(record.get("doc_id")) if "doc_id" in table.columns else f"{i:06d}"
        place = f"{path}#{where}" + (f" (doc_id {doc_id})" if doc_id else "")
        text = record.get(text_column)
        problem = _row_problem(doc_id, text, record)
        if problem:
            problems.report(place, problem)
            continue
        row = {names[k]: v for k, v in record.items()}
        row.update(doc_id=doc_id, file=f"{path.name}#{i}", raw_text=_normalise_newlines(text))
        agency = _as_text(record.get("agency"))
        row["agency"] = agency or recognise_agency(row["raw_text"])
        row["encoding"] = "table"
        rows.append(row)
    first = ["doc_id", "file", "agency"]
    rest = [names[c] for c in table.columns if names[c] not in (*first, "raw_text")]
    return pd.DataFrame(rows, columns=[*first, *rest, "raw_text", "encoding"], dtype=object)


def _row_problem(doc_id: str, text: object, record: dict[str, object]) -> str | None:
    if not doc_id:
        return "no doc_id"
    if not isinstance(text, str) or not text.strip():
        return "empty text" if text is None or isinstance(text, str) else "text is not a string"
    for value in (text, doc_id, *(v for v in record.values() if isinstance(v, str))):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "holds a lone surrogate (not valid Unicode)"
    return None


def _as_text(value: object) -> str:
    """An id or label as written: numbers as in JSON ("1", not "1.0"), nothing as ""."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return str(value)


def _safe_column_names(
    path: Path, columns: Iterable[str], reserved: Iterable[str], problems: _Problems
) -> dict[str, str]:
    """Map each column to the name it gets: a name corpusutils writes itself (``raw_text``,
    ``text``, ``fixes``, ...) or an empty name is renamed, with a message, never overwritten."""
    columns = list(columns)
    reserved = set(reserved)
    taken = set(columns) | reserved
    names = {}
    for position, column in enumerate(columns, start=1):
        if column in reserved or not column:
            new = f"{column}_original" if column else f"column_{position}"
            while new in taken:
                new += "_"
            taken.add(new)
            what = f"column {column!r} is a name corpusutils writes" if column else (
                f"column {position} has no name"
            )
            problems.report(path, f"{what}; renamed to {new!r}", outcome="renamed")
            names[column] = new
        else:
            names[column] = column
    return names


def _restore_saved(path: Path, table: _Table, problems: _Problems) -> pd.DataFrame:
    """A table written by :func:`save_corpus`: columns as saved, JSON strings back into lists;
    marked cleaned when it holds every cleaning column."""
    from corpusutils.clean import CLEAN_COLUMNS

    rows = []
    for where, record in table.rows:
        doc_id = _as_text(record.get("doc_id"))
        place = f"{path}#{where}" + (f" (doc_id {doc_id})" if doc_id else "")
        problem = _row_problem(doc_id, record.get("raw_text"), record)
        row = {**record, "doc_id": doc_id}
        for column in _LIST_COLUMNS:
            value = row.get(column)
            if problem or not isinstance(value, str):
                continue
            try:
                row[column] = json.loads(value)
            except ValueError:
                problem = f"column {column!r} is not the JSON list save_corpus writes"
            else:
                if not isinstance(row[column], list):
                    problem = f"column {column!r} is not a JSON list"
        if problem:
            problems.report(place, problem)
            continue
        rows.append(row)
    docs = pd.DataFrame(rows, columns=table.columns, dtype=object)
    # "language" came later than the other cleaning columns: a corpus saved without it is
    # still cleaned, and gets it here.
    cleaned = set(CLEAN_COLUMNS) - {"language"} <= set(table.columns)
    if cleaned and "language" not in docs.columns:
        from corpusutils.language import detect_language

        docs["language"] = docs["text"].map(detect_language)
    saved = {"source": str(table.attrs["source"])} if "source" in table.attrs else {}
    skipped = table.attrs.get("skipped")
    if isinstance(skipped, list):
        saved["skipped"] = [
            {"file": str(s.get("file")), "problem": str(s.get("problem"))}
            for s in skipped if isinstance(s, dict)
        ]
    docs.attrs = {**saved, "cleaned": cleaned}
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
        # Page checksums, and row groups of 1,000 articles: a file damaged later loses the
        # groups it hits, detected, instead of all of it or, silently, some of its values.
        frame.to_parquet(out, index=False, row_group_size=PARQUET_ROW_GROUP,
                         write_page_checksum=True)
    elif kind == "csv":
        frame.to_csv(out, index=False, encoding="utf-8")
    else:
        buffer = io.StringIO()
        frame.to_json(buffer, orient="records", lines=True, force_ascii=False)
        out.write_text(buffer.getvalue(), encoding="utf-8")
    return out
