"""Loading: folders with and without a manifest, tables, decoding, and every kind of bad input."""

from __future__ import annotations

import codecs
import hashlib
import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from corpusutils.load import (
    CorpusError,
    CorpusWarning,
    decode_bytes,
    load_corpus,
    recognise_agency,
    save_corpus,
)

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def test_seed_files_are_byte_identical_to_shared(seeds_dir: Path) -> None:
    sums = (seeds_dir / "SHA256SUMS").read_text().split("\n")
    checked = 0
    for line in filter(None, sums):
        digest, name = line.split()
        assert hashlib.sha256((seeds_dir / name).read_bytes()).hexdigest() == digest, name
        checked += 1
    assert checked == 5


def test_seeds_load_with_manifest(raw_seed_docs: pd.DataFrame) -> None:
    docs = raw_seed_docs
    assert len(docs) == 5
    assert docs["agency"].value_counts().to_dict() == {"EFE": 2, "AFP": 1, "AP": 1, "Reuters": 1}
    assert list(docs["doc_id"]) == ["000", "001", "002", "003", "004"]
    assert set(docs["published"]) == {"2023-02-28"}
    assert {"service", "headline", "attribution_basis", "raw_text", "encoding"} <= set(docs)
    assert docs.attrs["skipped"] == []


def test_raw_text_is_exactly_the_decoded_file(raw_seed_docs: pd.DataFrame, seeds_dir: Path) -> None:
    for file, raw in zip(raw_seed_docs["file"], raw_seed_docs["raw_text"], strict=True):
        assert raw == (seeds_dir / file).read_bytes().decode("utf-8")
    # The mojibake is still there: loading never changes text.
    assert "Tok\u0e23\u0e01yev" in raw_seed_docs.loc[0, "raw_text"]


def test_folder_without_manifest_recognises_agencies(tmp_path: Path, seeds_dir: Path) -> None:
    for path in seeds_dir.glob("*.txt"):
        shutil.copy(path, tmp_path)
    docs = load_corpus(tmp_path, clean=False)
    by_prefix = dict(zip(docs["doc_id"].str[:3], docs["agency"], strict=True))
    # 001 carries no attribution in its text (the curator recorded AFP in the manifest).
    expected = {"000": "EFE", "001": "unknown", "002": "AP", "003": "EFE", "004": "Reuters"}
    assert by_prefix == expected
    assert docs["doc_id"].iat[0] == "000_763dcd8e344b3634"


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("MADRID, 3 mar (EFE).- El secretario de Estado...", "EFE"),
        ("By The Associated Press\n\nASTANA, Kazakhstan (AP) — Blinken...", "AP"),
        ("ASTANA (Reuters) - Blinken met...", "Reuters"),
        ("ASTANA (AFP) - Blinken met...", "AFP"),
        ("Nothing here names an agency.", "unknown"),
    ],
)
def test_recognise_agency(text: str, agency: str) -> None:
    assert recognise_agency(text) == agency


@pytest.mark.parametrize(
    ("data", "expected", "encoding"),
    [
        ("Tokáyev".encode(), "Tokáyev", "utf-8"),
        (codecs.BOM_UTF8 + "Tokáyev".encode(), "Tokáyev", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Tokáyev".encode("utf-16-le"), "Tokáyev", "utf-16"),
        (codecs.BOM_UTF16_BE + "Tokáyev".encode("utf-16-be"), "Tokáyev", "utf-16"),
        (codecs.BOM_UTF32_LE + "Tokáyev".encode("utf-32-le"), "Tokáyev", "utf-32"),
        (b"line one\r\nline two\rline three\n", "line one\nline two\nline three\n", "utf-8"),
    ],
)
def test_decode_bytes_bom_and_newlines(data: bytes, expected: str, encoding: str) -> None:
    assert decode_bytes(data) == (expected, encoding)


def test_decode_bytes_detects_a_legacy_code_page() -> None:
    text = (
        "Президент Казахстана Касым-Жомарт Токаев встретился с госсекретарём США "
        "Энтони Блинкеном в Астане. Стороны обсудили вопросы безопасности и торговли."
    )
    decoded, encoding = decode_bytes(text.encode("cp1251"))
    assert decoded == text
    assert encoding == "cp1251"


def _corpus(tmp_path: Path, files: dict[str, bytes], manifest: str | None = None) -> Path:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    if manifest is not None:
        (tmp_path / "manifest.csv").write_text(manifest, encoding="utf-8")
    return tmp_path


GOOD = b"Astana, Feb 28 (EFE).- Blinken arrived in Kazakhstan."

BAD_CASES = {
    "missing file": (
        {"a.txt": GOOD},
        "doc_id,file,agency\na,a.txt,EFE\nb,b.txt,AP\n",
        "b.txt",
        "missing",
    ),
    "empty file": ({"a.txt": GOOD, "b.txt": b""}, None, "b.txt", "empty file"),
    "whitespace only": ({"a.txt": GOOD, "b.txt": b" \n\n\t"}, None, "b.txt", "empty file"),
    "png renamed .txt": ({"a.txt": GOOD, "b.txt": PNG_HEADER}, None, "b.txt", "PNG image"),
    "pdf renamed .txt": ({"a.txt": GOOD, "b.txt": b"%PDF-1.7\n%\xe2\xe3"}, None, "b.txt", "PDF"),
    "nul bytes": ({"a.txt": GOOD, "b.txt": b"ab\x00\x00cd\x00ef"}, None, "b.txt", "NUL bytes"),
    "undecodable": (
        {"a.txt": GOOD, "b.txt": bytes(range(1, 256)) * 2},
        None,
        "b.txt",
        "undecodable bytes",
    ),
    "duplicate doc_id": (
        {"a.txt": GOOD, "b.txt": GOOD},
        "doc_id,file,agency\nx,a.txt,EFE\nx,b.txt,EFE\n",
        "b.txt",
        "duplicate doc_id 'x'",
    ),
    "path outside the corpus": (
        {"a.txt": GOOD},
        "doc_id,file,agency\na,a.txt,EFE\nevil,../../etc/passwd,EFE\n",
        "passwd",
        "outside the corpus folder",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_raises_naming_file_and_problem(tmp_path: Path, case: str) -> None:
    files, manifest, culprit, problem = BAD_CASES[case]
    folder = _corpus(tmp_path, files, manifest)
    with pytest.raises(CorpusError) as caught:
        load_corpus(folder, clean=False)
    message = str(caught.value)
    assert culprit in message
    assert problem in message
    assert culprit in caught.value.file


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_skipped_with_warn_and_listed(tmp_path: Path, case: str) -> None:
    files, manifest, culprit, problem = BAD_CASES[case]
    folder = _corpus(tmp_path, files, manifest)
    with pytest.warns(CorpusWarning, match=problem.split("'")[0]):
        docs = load_corpus(folder, errors="warn", clean=False)
    assert len(docs) == 1
    assert docs["raw_text"].iat[0] == GOOD.decode()
    (skipped,) = docs.attrs["skipped"]
    assert culprit in skipped["file"] and problem in skipped["problem"]


def test_skip_is_quiet_but_still_lists(tmp_path: Path) -> None:
    folder = _corpus(tmp_path, {"a.txt": GOOD, "b.txt": b"", "c.txt": PNG_HEADER})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        docs = load_corpus(folder, errors="skip", clean=False)
    assert list(docs["doc_id"]) == ["a"]
    assert [Path(s["file"]).name for s in docs.attrs["skipped"]] == ["b.txt", "c.txt"]


def test_manifest_without_required_columns(tmp_path: Path) -> None:
    folder = _corpus(tmp_path, {"a.txt": GOOD}, "id,path\na,a.txt\n")
    with pytest.raises(CorpusError, match=r"manifest\.csv: manifest lacks the required column"):
        load_corpus(folder, errors="skip", clean=False)


def test_nothing_loadable_is_an_error_even_when_skipping(tmp_path: Path) -> None:
    folder = _corpus(tmp_path, {"b.txt": b""})
    with pytest.raises(CorpusError, match="no article could be loaded"):
        load_corpus(folder, errors="skip", clean=False)


def test_missing_source_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such folder or file"):
        load_corpus(tmp_path / "nowhere", clean=False)
    odd = tmp_path / "corpus.pdf"
    odd.write_bytes(b"%PDF-1.4")
    with pytest.raises(CorpusError, match="not a corpus"):
        load_corpus(odd, clean=False)
    broken = tmp_path / "corpus.docx"
    broken.write_bytes(b"PK\x03\x04")
    with pytest.raises(CorpusError, match="corpus.docx: not a readable DOCX file"):
        load_corpus(broken, clean=False)


def test_bad_error_policy_is_rejected(seeds_dir: Path) -> None:
    with pytest.raises(ValueError, match="errors must be"):
        load_corpus(seeds_dir, errors="ignore", clean=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_table_sources(tmp_path: Path, raw_seed_docs: pd.DataFrame, suffix: str) -> None:
    table = raw_seed_docs[["doc_id", "agency", "published", "raw_text"]].rename(
        columns={"raw_text": "body"}
    )
    path = tmp_path / f"corpus{suffix}"
    if suffix == ".csv":
        table.to_csv(path, index=False)
    elif suffix == ".jsonl":
        path.write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in table.to_dict("records")),
            encoding="utf-8",
        )
    else:
        table.to_parquet(path, index=False)
    docs = load_corpus(path, text_column="body", clean=False)
    assert list(docs["doc_id"]) == list(raw_seed_docs["doc_id"])
    assert list(docs["raw_text"]) == list(raw_seed_docs["raw_text"])
    assert docs["agency"].value_counts().to_dict() == {"EFE": 2, "AFP": 1, "AP": 1, "Reuters": 1}


def test_table_without_text_column_and_with_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["a", "b"], "content": ["Some text.", ""]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match="c.csv: table has no 'text' column"):
        load_corpus(path, clean=False)
    docs = load_corpus(path, text_column="content", errors="skip", clean=False)
    assert list(docs["doc_id"]) == ["a"]
    assert "doc_id b" in docs.attrs["skipped"][0]["file"]
    assert docs["agency"].iat[0] == "unknown"


def test_large_folder_shows_progress_and_loads_everything(tmp_path: Path, capsys) -> None:
    for i in range(600):
        (tmp_path / f"{i:05d}.txt").write_text(f"Story {i} (Reuters) - text.", encoding="utf-8")
    docs = load_corpus(tmp_path, clean=False)
    assert len(docs) == 600
    assert docs["raw_text"].iat[599] == "Story 599 (Reuters) - text."
    assert "loading" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_save_corpus_round_trips(tmp_path: Path, raw_seed_docs: pd.DataFrame, suffix: str) -> None:
    frame = raw_seed_docs.assign(notes=[["a"], [], [], ["b", "c"], []])
    out = save_corpus(frame, tmp_path / f"out{suffix}")
    back = load_corpus(out, clean=False)
    assert list(back["raw_text"]) == list(raw_seed_docs["raw_text"])
    assert list(back["notes"]) == [["a"], [], [], ["b", "c"], []]
    assert list(back["file"]) == list(raw_seed_docs["file"])


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_saved_clean_corpus_loads_back_without_cleaning_again(
    tmp_path: Path, seed_docs: pd.DataFrame, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = save_corpus(seed_docs, tmp_path / f"cleaned{suffix}")

    def refuse(docs):
        raise AssertionError("a saved cleaned corpus was cleaned again")

    monkeypatch.setattr("corpusutils.clean.clean_corpus", refuse)
    back = load_corpus(out)
    for column in ("doc_id", "agency", "raw_text", "text", "fixes", "removed", "notes"):
        assert back[column].tolist() == seed_docs[column].tolist(), column
    # Read in seed 000: the two cp874 repairs of "á".
    assert [f["after"] for f in back.loc[0, "fixes"]] == ["á", "á"]
    if suffix == ".parquet":
        assert back.attrs["source"] == seed_docs.attrs["source"]


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        # a mention of an agency in the body is not its signature
        ("WASHINGTON — He spoke to The Associated Press on Monday.\n\nHe left.", "unknown"),
        ("The governor spoke.\n\nThe Associated Press contributed to this report.", "unknown"),
        ("He cited a Reuters report and an AFP photo.", "unknown"),
        # the same agencies where they sign
        ("He spoke.\n\nCopyright 2013 Agence France Presse / All Rights Reserved", "AFP"),
        ("SALVADOR, Feb 26 - Rain fell.\n Reuter", "Reuters"),
        ("MOSCOW, March 14. /TASS/. He spoke.", "TASS"),
    ],
)
def test_agency_only_from_where_a_signature_stands(text: str, agency: str) -> None:
    assert recognise_agency(text) == agency


def test_agency_from_an_export_outlet() -> None:
    assert recognise_agency("He spoke.", outlet="Agence France Presse -- English") == "AFP"
    assert recognise_agency("He spoke.", outlet="The Florida Times-Union") == "unknown"
    # the signature in the text comes first
    assert recognise_agency("ASTANA (Reuters) - He spoke.", outlet="AFP") == "Reuters"
