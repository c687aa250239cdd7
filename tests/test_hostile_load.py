"""Hostile corpora: special files, links out of the corpus, odd names, tables broken on purpose.

Each case checks that the load names the file (or the row) and the problem, that the rest of the
corpus loads, that nothing outside the corpus is read or quoted, and that nothing blocks.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from corpusutils.load import CorpusError, CorpusWarning, load_corpus, save_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pathological import finishes_within  # noqa: E402

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


def _load_warn(source: Path, **options) -> tuple[pd.DataFrame, list[str]]:
    with pytest.warns(CorpusWarning) as caught, finishes_within(20):
        docs = load_corpus(source, errors="warn", clean=False, **options)
    return docs, [str(w.message) for w in caught]


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
    with pytest.raises(CorpusError) as caught:
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
    folder = os.fsencode(tmp_path)
    for i in range(100_000):
        handle = os.open(b"%s/%06d.txt" % (folder, i), os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(handle, b"Story %d." % i)
        os.close(handle)
    with finishes_within(110):
        docs = load_corpus(tmp_path, clean=False, progress=False)
    assert len(docs) == 100_000
    assert docs["raw_text"].iat[99_999] == "Story 99999."
    shutil.rmtree(tmp_path)  # leave no 100,000 files behind in the temporary folder


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


def test_parquet_broken_in_the_middle_is_refused_naming_the_file(
    tmp_path: Path, raw_seed_docs: pd.DataFrame
) -> None:
    path = save_corpus(raw_seed_docs, tmp_path / "c.parquet")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a download cut in the middle
    with pytest.raises(CorpusError, match=r"c\.parquet: cannot be read as parquet"):
        load_corpus(path, errors="warn", clean=False)


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
