"""Database exports (Nexis, Factiva) read as ordinary corpus sources.

The files in ``tests/exports/`` are written for these tests, with our own text, in the layout
of real exports (each file's header or the builder below says which one it follows). Expected
values are read from those files by eye.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

import corpusutils as cu
from corpusutils.exports import load_exports, parse_export_date
from corpusutils.load import CorpusError, CorpusWarning

HERE = Path(__file__).parent / "exports"
CLASSIC = HERE / "nexis_classic.TXT"


def test_classic_export_gives_one_row_per_article_with_its_metadata() -> None:
    # nexis_classic.TXT follows the Academic Lexis-Nexis plain-text export of 2015 (161
    # newspaper stories; UTF-8 with a byte-order mark, CRLF, lines wrapped at 80 columns).
    assert CLASSIC.read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in CLASSIC.read_bytes()
    docs = cu.load_corpus(CLASSIC, clean=False)
    assert docs["doc_id"].tolist() == [f"nexis_classic-00{i}" for i in range(1, 5)]
    assert docs["outlet"].tolist() == [
        "The Example Daily",
        "Example Times-Herald (Riverton)",
        "Agence France Presse -- English",
        "The Example Courier",
    ]
    assert docs["agency"].tolist() == [
        "The Example Daily", "Example Times-Herald (Riverton)", "AFP", "The Example Courier",
    ]
    assert docs["published"].tolist() == ["2023-03-20", "2023-03-17", "2023-03-20", "2023-03-19"]
    assert docs["headline"].tolist() == [
        "Ebro at a 30-year March low as heat wave arrives early",
        "Reservoir at half its level after 11 dry days",
        "Europe heat wave to ease at weekend, forecasters say",
        "Water gardens after sunset, city asks; Pool fines from April",
    ]
    assert docs["section"].tolist() == [
        "A-SECTION; Pg. A01", "Local; Pg. B-3", "INTERNATIONAL NEWS", "NEWS; Pg. 4",
    ]
    assert docs["length"].tolist() == [96, 88, 60, 33]
    assert docs["byline"].iat[0] == "Ana Torres;Peter Holm"
    assert docs["byline"].iat[3] == "By Lee Park, The Example Courier"
    assert docs["dateline"].iat[2] == "Madrid, March 20 2023"
    assert docs["edition"].tolist()[0] == "Final Edition"
    assert docs["edition"].tolist()[3] == "FINAL EDITION"
    assert docs["language"].tolist() == ["ENGLISH"] * 4
    assert docs["document_number"].tolist() == [1, 2, 3, 4]
    assert docs["copyright"].iat[0] == (
        "Copyright 2023 Example Daily Newspaper Company, LLC d/b/a Example Daily Digital "
        "All Rights Reserved"
    )
    assert docs["copyright"].iat[1] == "Copyright 2023 The Example Times-Herald"
    assert docs["load_date"].iat[1] == "March 18, 2023"
    assert docs["graphic"].iat[1] == "Photo Map: North arm of the reservoir"
    assert docs["subject"].iat[0].startswith("DROUGHT (92%); WEATHER (90%)")


def test_classic_export_bodies_are_the_story_only_with_wrapped_lines_joined() -> None:
    docs = cu.load_corpus(CLASSIC, clean=False)
    first = docs["raw_text"].iat[0].split("\n\n")
    assert first[0] == (
        "The water level of the Ebro fell to its lowest March mark in three decades on Monday, "
        "as a heat wave that began a week early pushed temperatures above 30 degrees in "
        "Zaragoza."
    )
    assert len(first) == 3
    # Story text that looks like a label stays in the body.
    assert "POLICE: BOATING BANNED ON NORTH ARM" in docs["raw_text"].iat[1].split("\n\n")
    for text in docs["raw_text"]:
        for furniture in ("DOCUMENTS", "LOAD-DATE", "LANGUAGE:", "Copyright", "BODY:",
                          "SECTION:", "Download Request", "Terms:"):
            assert furniture not in text
    # The document as exported is kept beside the body.
    assert docs["export_text"].iat[0].lstrip().startswith("Copyright 2023 Example Daily")
    assert "LOAD-DATE: March 20, 2023" in docs["export_text"].iat[0]


def test_cover_page_and_query_are_kept_in_attrs() -> None:
    docs = cu.load_corpus(CLASSIC, clean=False)
    (cover,) = docs.attrs["exports"]
    assert cover["file"] == "nexis_classic.TXT"
    assert cover["layout"] == "nexis"
    assert cover["query"] == (
        "((heat AND wave) AND (river OR reservoir)) and Date(geq(03/01/2023) and "
        "leq(03/20/2023))"
    )
    assert "Download Request: All Documents: 1-4" in cover["cover"]


def _documents(text: str) -> list[str]:
    """The document blocks of the classic fixture (after its cover)."""
    marker = "                                1 of 4 DOCUMENTS"
    body = text[text.index(marker):]
    parts = body.split(" of 4 DOCUMENTS")
    blocks = []
    for part in parts[1:]:
        blocks.append(part.rsplit("\n", 1)[0] if part is not parts[-1] else part)
    return blocks


def _build_161(tmp_path: Path, line_end: str = "\r\n") -> Path:
    """The layout of the 161-story Academic Lexis-Nexis export: 161 documents numbered
    "N of 161 DOCUMENTS", BOM, CRLF, built from the four documents of the fixture."""
    text = CLASSIC.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    cover, _, _ = text.partition("                                1 of 4 DOCUMENTS")
    blocks = _documents(text)
    out = [cover]
    for n in range(1, 162):
        out.append(f"{f'{n} of 161 DOCUMENTS':^80}".rstrip())
        out.append(blocks[(n - 1) % 4].rstrip("\n ") + "\n\n")
    path = tmp_path / "Newspaper_Stories.TXT"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(out).replace("\n", line_end).encode("utf-8"))
    return path


def test_161_document_layout_loads_one_row_per_document(tmp_path: Path) -> None:
    path = _build_161(tmp_path)
    docs = cu.load_corpus(path, clean=False)
    assert len(docs) == 161
    assert docs["document_number"].tolist() == list(range(1, 162))
    assert docs["doc_id"].iat[160] == "Newspaper_Stories-161"
    assert docs["published"].notna().all() and docs["headline"].notna().all()
    assert docs.groupby("agency").size()["AFP"] == 40


def test_lines_doubled_by_a_second_crlf_conversion_are_read_as_lines(tmp_path: Path) -> None:
    crlf = cu.load_corpus(_build_161(tmp_path), clean=False)
    doubled_path = tmp_path / "doubled"
    doubled_path.mkdir()
    doubled = cu.load_corpus(_build_161(doubled_path, "\r\r\n"), clean=False)
    assert doubled["raw_text"].tolist() == crlf["raw_text"].tolist()


def test_truncated_export_is_reported_with_the_document_number(tmp_path: Path) -> None:
    data = CLASSIC.read_bytes()
    cut = tmp_path / "cut.txt"
    cut.write_bytes(data[: data.index(b"City officials asked") + 40])
    with pytest.raises(CorpusError, match=r"cut.txt: document 4 of 4: .*truncated"):
        cu.load_corpus(cut, clean=False)
    with pytest.warns(CorpusWarning, match=r"cut.txt: document 4 of 4"):
        docs = cu.load_corpus(cut, errors="warn", clean=False)
    assert docs["document_number"].tolist() == [1, 2, 3]
    assert docs.attrs["skipped"][0]["file"] == "cut.txt"


def test_missing_documents_and_a_document_without_body_are_reported(tmp_path: Path) -> None:
    text = CLASSIC.read_bytes().decode("utf-8-sig")
    # Drop document 2 and empty the body of document 3.
    start2 = text.index("2 of 4 DOCUMENTS")
    start3 = text.index("3 of 4 DOCUMENTS")
    text = text[: text.rindex("\n", 0, start2)] + "\n" + text[text.rindex("\n", 0, start3):]
    closing = "LANGUAGE: ENGLISH\r\n\r\nPUBLICATION-TYPE: Newswire"
    body = text[text.index("The heat wave that has dried") : text.index(closing)]
    text = text.replace(body, "")
    edited = tmp_path / "edited.TXT"
    edited.write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = cu.load_corpus(edited, errors="warn", clean=False)
    messages = [str(w.message) for w in caught]
    assert any("holds 3 of 4 documents: missing 2" in m for m in messages)
    assert any("document 3 of 4: no body" in m for m in messages)
    assert docs["document_number"].tolist() == [1, 4]


def test_folder_mixing_exports_and_articles_with_any_case_extension(tmp_path: Path) -> None:
    shutil.copy(CLASSIC, tmp_path / "export.TXT")
    seed = next(Path("seeds").glob("003_*.txt"))
    shutil.copy(seed, tmp_path / "STORY.TXT")
    (tmp_path / "notes.md").write_text("not part of the corpus", encoding="utf-8")
    docs = cu.load_corpus(tmp_path, clean=False)
    assert sorted(docs["doc_id"]) == ["STORY", *[f"export-00{i}" for i in range(1, 5)]]
    assert docs.set_index("doc_id").loc["STORY", "agency"] == "EFE"


def test_cleaning_keeps_the_export_metadata() -> None:
    docs = cu.load_corpus(CLASSIC)
    assert docs["headline"].iat[2] == "Europe heat wave to ease at weekend, forecasters say"
    assert docs["text"].iat[3].startswith("City officials asked residents on Sunday")


def test_export_dates() -> None:
    assert parse_export_date("March 20, 2023 Monday 3:41 PM GMT") == "2023-03-20"
    assert parse_export_date("4 oktober 2017 woensdag") == "2017-10-04"
    assert parse_export_date("4 de marzo de 2023") == "2023-03-04"
    assert parse_export_date("Met 2 Edition") is None


def test_load_exports_raises_by_default_on_an_unknown_layout(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Just a page.</p></body></html>", encoding="utf-8")
    with pytest.raises(CorpusError, match="page.html: unknown layout"):
        load_exports([page], root=tmp_path)
