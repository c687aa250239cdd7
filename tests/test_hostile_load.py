"""Hostile corpora: special files, links out of the corpus, odd names, tables broken on purpose.

Each case checks that the load names the file (or the row) and the problem, that the rest of the
corpus loads, that nothing outside the corpus is read or quoted, and that nothing blocks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from corpusutils.load import CorpusError, CorpusWarning, load_corpus, save_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pathological import finishes_within  # noqa: E402

pytestmark = pytest.mark.hostile

GOOD = "Astana, Feb 28 (EFE).- Blinken arrived in Kazakhstan."
SECRET = "TOP-SECRET-LINE do not print me"



@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder with one good article, beside a secret file outside it."""
    (tmp_path / "secret.txt").write_text(SECRET + "\nsecond line\n", encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


# Every file the process opens (Python's "open" audit event: open(), os.open(), io.open_code),
# recorded only inside files_opened(); audit hooks cannot be removed, so this one is cheap.
_OPENED: list[str] | None = None


def _record_open(event: str, args: tuple) -> None:
    if event == "open" and _OPENED is not None and isinstance(args[0], str | bytes):
        _OPENED.append(os.path.realpath(os.fsdecode(args[0])))


sys.addaudithook(_record_open)


@contextmanager
def nothing_opened_outside(source: Path) -> Iterator[None]:
    """Fail if loading ``source`` opens a file beside it that is not part of it (what a link
    leads to counts: the paths are resolved)."""
    global _OPENED
    _OPENED = []
    try:
        yield
    finally:
        opened, _OPENED = _OPENED, None
    near, inside = os.path.realpath(source.parent), os.path.realpath(source)
    outside = [
        p for p in opened
        if p.startswith(near + os.sep) and p != inside and not p.startswith(inside + os.sep)
    ]
    assert not outside, f"opened outside the corpus: {outside}"


def _load_warn(source: Path, **options) -> tuple[pd.DataFrame, list[str]]:
    with pytest.warns(CorpusWarning) as caught, finishes_within(20), nothing_opened_outside(
        source
    ):
        docs = load_corpus(source, errors="warn", clean=False, **options)
    return docs, [str(w.message) for w in caught]


def test_the_open_recorder_sees_a_file_read_outside(corpus: Path) -> None:
    """The check used throughout: it does catch a read of the file beside the corpus."""
    with pytest.raises(AssertionError, match="secret.txt"), nothing_opened_outside(corpus):
        (corpus.parent / "secret.txt").read_bytes()
    os.symlink(corpus.parent / "secret.txt", corpus / "link.txt")
    with pytest.raises(AssertionError, match="secret.txt"), nothing_opened_outside(corpus):
        (corpus / "good.txt").read_bytes()
        os.close(os.open(corpus / "link.txt", os.O_RDONLY))  # a link leading out


def _only_good(docs: pd.DataFrame) -> None:
    assert docs["doc_id"].tolist() == ["good"]
    assert docs["raw_text"].tolist() == [GOOD]


# --- the manifest -----------------------------------------------------------------------------


def test_manifest_that_is_a_fifo_is_refused_without_blocking(corpus: Path) -> None:
    os.mkfifo(corpus / "manifest.csv")
    with finishes_within(10), pytest.raises(CorpusError) as caught:
        load_corpus(corpus, errors="skip", clean=False)
    assert "manifest.csv" in caught.value.file
    assert "named pipe" in caught.value.problem


def test_manifest_linked_out_of_the_corpus_is_not_read(corpus: Path) -> None:
    (corpus / "manifest.csv").symlink_to(corpus.parent / "secret.txt")
    with nothing_opened_outside(corpus), pytest.raises(CorpusError) as caught:
        load_corpus(corpus, errors="skip", clean=False)
    assert "outside the corpus folder" in str(caught.value)
    assert SECRET not in str(caught.value) and "TOP-SECRET" not in str(caught.value)


def test_manifest_that_is_a_folder(corpus: Path) -> None:
    (corpus / "manifest.csv").mkdir()
    with pytest.raises(CorpusError, match=r"manifest\.csv: .*not a regular file \(a folder\)"):
        load_corpus(corpus, errors="skip", clean=False)


def test_manifest_rows_with_bad_file_names(corpus: Path) -> None:
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    long_name = "x" * 300 + ".txt"
    rows = [
        ["doc_id", "file"],
        ["good", "good.txt"],
        ["loop", "loop.txt"],
        ["long", long_name],
        ["nul", "a\x00b.txt"],
        ["out", "../secret.txt"],
    ]
    # UTF-16 (with its byte-order mark) is the one way a manifest can hold a NUL character.
    (corpus / "manifest.csv").write_text(
        "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-16"
    )
    docs, messages = _load_warn(corpus)
    _only_good(docs)
    problems = {Path(s["file"]).name[:12]: s["problem"] for s in docs.attrs["skipped"]}
    assert "cannot be opened" in problems["loop.txt"]
    assert "cannot be opened" in problems["x" * 12]
    assert "NUL" in problems["a\x00b.txt"]
    assert "outside the corpus folder" in problems["secret.txt"]
    assert not any("TOP-SECRET" in m for m in messages)


@pytest.mark.parametrize("column", ["raw_text", "encoding", "text", "fixes"])
def test_manifest_column_named_like_a_reserved_one_is_renamed(corpus: Path, column: str) -> None:
    (corpus / "manifest.csv").write_text(
        f"doc_id,file,{column}\ngood,good.txt,as the user wrote it\n", encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=f"column '{column}' is a name corpusutils writes"):
        load_corpus(corpus, clean=False)
    docs, messages = _load_warn(corpus)
    assert docs[f"{column}_original"].tolist() == ["as the user wrote it"]
    assert docs["raw_text"].tolist() == [GOOD]
    assert any(f"renamed to '{column}_original'" in m for m in messages)
    cleaned = load_corpus(corpus, errors="skip")
    assert cleaned["text"].iat[0].startswith("Blinken arrived")
    assert cleaned[f"{column}_original"].tolist() == ["as the user wrote it"]


# --- files of a folder without a manifest -----------------------------------------------------


def test_special_files_named_txt_are_listed_as_skipped(corpus: Path) -> None:
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "folder.txt").mkdir()
    (corpus / "broken.txt").symlink_to(corpus / "nowhere")
    (corpus / "out.txt").symlink_to(corpus.parent / "secret.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "inside.txt").symlink_to(corpus / "good.txt")  # a link that stays inside is fine
    docs, messages = _load_warn(corpus)
    assert docs["doc_id"].tolist() == ["good", "inside"]
    problems = {Path(s["file"]).name: s["problem"] for s in docs.attrs["skipped"]}
    assert set(problems) == {"pipe.txt", "folder.txt", "broken.txt", "out.txt", "loop.txt"}
    assert "named pipe" in problems["pipe.txt"]
    assert "a folder" in problems["folder.txt"]
    assert "broken link" in problems["broken.txt"]
    assert "outside the corpus folder" in problems["out.txt"]
    assert "cannot be opened" in problems["loop.txt"]
    assert not any("TOP-SECRET" in m for m in messages)


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device file needs root")
def test_device_named_txt_is_not_read(corpus: Path) -> None:
    os.mknod(corpus / "zero.txt", 0o600 | 0o020000, os.makedev(1, 5))  # like /dev/zero
    docs, _ = _load_warn(corpus)
    _only_good(docs)
    assert "character device" in docs.attrs["skipped"][0]["problem"]


def test_name_that_is_not_utf8_is_named_with_escapes(corpus: Path, tmp_path: Path) -> None:
    os.close(os.open(os.fsencode(corpus) + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT, 0o600))
    with open(os.fsencode(corpus) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(b"Some text.")
    with pytest.raises(CorpusError, match=r"caf\\xe9\.txt: the file name is not valid UTF-8"):
        load_corpus(corpus, clean=False)
    docs = load_corpus(corpus, errors="skip")
    assert docs["doc_id"].tolist() == ["good"]
    assert docs.attrs["skipped"][0]["file"].endswith("caf\\xe9.txt")
    save_corpus(docs, tmp_path / "out.parquet")  # every name in the frame can be written


def test_a_200_mb_file_is_refused_unread(corpus: Path) -> None:
    with open(corpus / "huge.txt", "wb") as handle:
        handle.truncate(200_000_000)  # sparse: costs no disk and must not be read
    started = time.process_time()
    docs, _ = _load_warn(corpus)
    assert time.process_time() - started < 10
    _only_good(docs)
    (skipped,) = docs.attrs["skipped"]
    assert skipped["file"].endswith("huge.txt")
    assert "200,000,000 bytes" in skipped["problem"] and "max_bytes" in skipped["problem"]


def test_100000_files_load_in_bounded_time(tmp_path: Path) -> None:
    """100,000 names, each a hard link to one of 1,000 files: to the loader they are 100,000
    files, which the test writes and removes in seconds (100,000 separate files cost minutes
    of disk work on a busy machine, and test nothing more of the loader)."""
    folder = os.fsencode(tmp_path)
    for i in range(1_000):
        handle = os.open(b"%s/%06d.txt" % (folder, i), os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(handle, b"Story %d." % i)
        os.close(handle)
    for i in range(1_000, 100_000):
        os.link(b"%s/%06d.txt" % (folder, i % 1_000), b"%s/%06d.txt" % (folder, i))
    with finishes_within(110):
        docs = load_corpus(tmp_path, clean=False, progress=False)
    assert len(docs) == 100_000
    # Every row holds the text of its own file, in the order of the names.
    expected = [f"Story {i % 1_000}." for i in range(100_000)]
    assert docs["doc_id"].tolist() == [f"{i:06d}" for i in range(100_000)]
    assert docs["raw_text"].tolist() == expected
    shutil.rmtree(tmp_path)  # leave no 100,000 names behind in the temporary folder


EXPORTS = Path(__file__).resolve().parent / "exports"


@pytest.mark.parametrize("name", ["export.txt", "export.TXT", "export.rtf", "export.docx",
                                  "export.html", "table.csv", "table.parquet"])
def test_a_fifo_named_like_an_export_or_a_table_is_refused_unopened(
    corpus: Path, name: str
) -> None:
    fifo = corpus / name
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    with finishes_within(10, f"loading a FIFO named {name}"), pytest.raises(CorpusError) as caught:
        load_corpus(fifo, clean=False)
    assert caught.value.file.endswith(name)
    assert "not a regular file (a named pipe (FIFO)); refused" in caught.value.problem
    # Skipping it leaves nothing to load: still an error, naming the file and the reason.
    with finishes_within(10, f"loading a FIFO named {name}"), pytest.raises(
        CorpusError, match=rf"{re.escape(name)}: .*not a regular file \(a named pipe"
    ):
        load_corpus(fifo, errors="skip", clean=False)


@pytest.mark.parametrize("name", ["export.TXT", "export.rtf", "export.docx", "export.html"])
def test_an_oversized_export_is_refused_unread_directly_and_in_a_folder(
    corpus: Path, name: str
) -> None:
    huge = corpus / name
    with open(huge, "wb") as handle:
        # An export's first lines (what tells a .txt export from an article), then a sparse
        # tail: 200 MB that cost no disk and must not be read.
        handle.write((EXPORTS / "nexis_classic.TXT").read_bytes())
        handle.truncate(200_000_000)
    with finishes_within(10, f"refusing {name}"), pytest.raises(CorpusError) as caught:
        load_corpus(huge, clean=False)
    assert caught.value.file.endswith(name)
    assert "200,000,000 bytes, larger than the limit of 20,000,000" in caught.value.problem
    assert "max_bytes" in caught.value.problem
    docs, _ = _load_warn(corpus)  # in its folder: skipped, the article beside it loads
    _only_good(docs)
    (skipped,) = docs.attrs["skipped"]
    assert skipped["file"].endswith(name) and "200,000,000 bytes" in skipped["problem"]


def test_max_bytes_applies_to_exports_and_none_lifts_it(tmp_path: Path) -> None:
    export = tmp_path / "nexis.TXT"
    shutil.copyfile(EXPORTS / "nexis_classic.TXT", export)
    size = export.stat().st_size
    with pytest.raises(CorpusError, match=rf"nexis\.TXT: {size:,} bytes, larger than the limit"):
        load_corpus(export, clean=False, max_bytes=size - 1)
    whole = load_corpus(export, clean=False, max_bytes=None)
    assert len(whole) == len(load_corpus(export, clean=False, max_bytes=size))
    assert len(whole) > 1


def test_an_export_linked_out_of_the_corpus_folder_is_refused(corpus: Path) -> None:
    outside = corpus.parent / "factiva.rtf"
    shutil.copyfile(EXPORTS / "factiva.rtf", outside)
    (corpus / "factiva.rtf").symlink_to(outside)
    docs, _ = _load_warn(corpus)
    _only_good(docs)
    (skipped,) = docs.attrs["skipped"]
    assert skipped["file"].endswith("factiva.rtf")
    assert "outside the corpus folder" in skipped["problem"]


@pytest.mark.parametrize("source", ["factiva.rtf", "table.csv"])
def test_a_file_named_directly_through_a_link_is_read(tmp_path: Path, source: str) -> None:
    """Naming a file is choosing it: a link named directly is followed (not refused)."""
    real = tmp_path / "data" / source
    real.parent.mkdir()
    if source == "table.csv":
        real.write_text("doc_id,text\na,Blinken arrived in Astana.\n", encoding="utf-8")
    else:
        shutil.copyfile(EXPORTS / source, real)
    link = tmp_path / f"link-{source}"
    link.symlink_to(real)
    docs = load_corpus(link, clean=False)
    assert docs["raw_text"].tolist() == load_corpus(real, clean=False)["raw_text"].tolist()
    assert len(docs) >= 1


def test_mixed_encodings_in_one_file(corpus: Path) -> None:
    utf8 = "Kazakh President Tokáyev met Blinken in Astaná. ".encode()
    cp1252 = "Le ministre a salué la « coopération » et l’été à Astaná.".encode("cp1252")
    (corpus / "mixed.txt").write_bytes(utf8 + cp1252)
    docs = load_corpus(corpus, errors="raise")
    mixed = docs.set_index("doc_id").loc["mixed"]
    assert mixed["text"] == (
        "Kazakh President Tokáyev met Blinken in Astaná. "
        "Le ministre a salué la « coopération » et l’été à Astaná."
    )
    assert mixed["encoding"] == "utf-8+cp1252"


# --- tables -----------------------------------------------------------------------------------


def test_csv_row_with_an_extra_comma_is_skipped_not_shifted(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("doc_id,text\na,Astana, Feb 28\nb,Blinken arrived.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.csv#line 2: 3 fields where the header has 2"):
        load_corpus(path, clean=False)
    docs, _ = _load_warn(path)
    assert docs[["doc_id", "raw_text"]].values.tolist() == [["b", "Blinken arrived."]]


def test_csv_broken_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        'doc_id,text\na,First story.\nb,"Unclosed quote\nc,Third story.\n', encoding="utf-8"
    )
    docs, messages = _load_warn(path)
    assert docs["doc_id"].tolist() == ["a"]
    assert any("c.csv#lines 3-4: a quotation mark opened" in m for m in messages)


def test_header_only_csv_and_text_plus_raw_text(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("doc_id,text\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"empty\.csv: no article could be loaded"):
        load_corpus(empty, errors="skip", clean=False)
    both = tmp_path / "both.csv"
    both.write_text("doc_id,text,raw_text\na,The text.,Another text.\n", encoding="utf-8")
    docs, messages = _load_warn(both)
    assert docs["raw_text"].tolist() == ["The text."]
    assert docs["raw_text_original"].tolist() == ["Another text."]
    assert any("'raw_text' is a name corpusutils writes" in m for m in messages)


def test_jsonl_ids_kept_as_written_and_broken_line_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [
        {"doc_id": 1, "text": "One."},
        {"doc_id": 2, "text": "Two.", "year": 2023},
        {"doc_id": None, "text": "No id."},
        {"doc_id": "x/../<b>y</b>", "text": "Odd id."},
    ]
    text = "\n".join(json.dumps(r) for r in lines)
    path.write_text(text.replace('"No id."}', '"No id."}\n{"doc_id": "z", "text": '), "utf-8")
    docs, _ = _load_warn(path)
    assert docs["doc_id"].tolist() == ["1", "2", "x/../<b>y</b>"]
    assert docs["year"].tolist()[1] == 2023
    skipped = {s["file"].rsplit("#", 1)[1]: s["problem"] for s in docs.attrs["skipped"]}
    assert skipped["line 3"] == "no doc_id"
    assert skipped["line 4"].startswith("not valid JSON")


def test_parquet_cut_short_is_refused_naming_the_file(
    tmp_path: Path, raw_seed_docs: pd.DataFrame
) -> None:
    path = save_corpus(raw_seed_docs, tmp_path / "c.parquet")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a download cut in the middle: no footer left
    with pytest.raises(CorpusError, match=r"c\.parquet: cannot be read as parquet: .*cut short"):
        load_corpus(path, errors="warn", clean=False)


def damage_row_group(path: Path, group: int, column: int) -> None:
    """Overwrite bytes inside the pages of one column chunk of one row group (not its
    headers), as a bad sector or a broken copy would."""
    import pyarrow.parquet as pq

    chunk = pq.ParquetFile(path).metadata.row_group(group).column(column)
    start = min(o for o in (chunk.dictionary_page_offset, chunk.data_page_offset) if o)
    end = start + chunk.total_compressed_size
    data = bytearray(path.read_bytes())
    data[end - 20 : end - 10] = bytes(b ^ 0xFF for b in data[end - 20 : end - 10])
    path.write_bytes(bytes(data))


def test_parquet_broken_in_the_middle_loads_the_row_groups_it_does_not_hit(
    tmp_path: Path,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "c.parquet"
    texts = [f"Story number {i} from Astana. " * 40 for i in range(6)]
    table = pa.table({"doc_id": [f"d{i}" for i in range(6)], "text": texts})
    pq.write_table(table, path, row_group_size=2, write_page_checksum=True)
    damage_row_group(path, group=1, column=1)  # rows 2 and 3
    with pytest.raises(CorpusError, match=r"c\.parquet#rows 2-3: row group 2 of 3 cannot be read"):
        load_corpus(path, clean=False)
    docs, messages = _load_warn(path)
    assert docs["doc_id"].tolist() == ["d0", "d1", "d4", "d5"]
    assert docs["raw_text"].tolist() == [texts[i] for i in (0, 1, 4, 5)]
    (skipped,) = docs.attrs["skipped"]
    assert skipped["file"] == f"{path}#rows 2-3"
    assert "its 2 rows are left out" in skipped["problem"]
    assert any("c.parquet#rows 2-3" in m for m in messages)


def test_a_saved_corpus_damaged_in_one_row_group_loses_that_group_only(tmp_path: Path) -> None:
    n = 2_500  # three row groups of save_corpus's 1,000 articles
    docs = pd.DataFrame({
        "doc_id": [f"{i:04d}" for i in range(n)], "file": [f"{i:04d}.txt" for i in range(n)],
        "agency": "EFE", "raw_text": [f"Story {i}." for i in range(n)], "encoding": "utf-8",
    })
    path = save_corpus(docs, tmp_path / "c.parquet")
    damage_row_group(path, group=1, column=3)  # raw_text of articles 1000-1999
    back, _ = _load_warn(path)
    assert back["doc_id"].tolist() == [f"{i:04d}" for i in (*range(1_000), *range(2_000, n))]
    assert back["raw_text"].tolist() == [f"Story {i}." for i in (*range(1_000), *range(2_000, n))]
    assert back.attrs["skipped"][-1]["file"] == f"{path}#rows 1000-1999"


def test_saved_clean_corpus_with_a_row_that_is_not_json(
    tmp_path: Path, seed_docs: pd.DataFrame
) -> None:
    path = save_corpus(seed_docs, tmp_path / "c.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "fixes"] = "not json at all"
    frame.to_csv(path, index=False)
    docs, _ = _load_warn(path)
    assert docs["doc_id"].tolist() == ["000", "002", "003", "004"]
    (skipped,) = docs.attrs["skipped"]
    assert "c.csv#line" in skipped["file"] and skipped["file"].endswith(" (doc_id 001)")
    assert "'fixes' is not the JSON list" in skipped["problem"]


def test_doc_ids_with_slashes_dots_and_html_are_kept(tmp_path: Path) -> None:
    ids = ["a/b", "..", "../../etc", "<script>alert(1)</script>"]
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ids, "text": [f"Story {i}." for i in range(4)]}).to_csv(
        path, index=False
    )
    docs = load_corpus(path)
    assert docs["doc_id"].tolist() == ids
    back = load_corpus(save_corpus(docs, tmp_path / "c.parquet"))
    assert back["doc_id"].tolist() == ids
