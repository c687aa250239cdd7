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


# --- Nexis Uni DOCX -------------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _paragraph(*runs: str, center: bool = False) -> str:
    props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return f"<w:p>{props}{''.join(runs)}</w:p>"


def _field(label: str, value: str) -> str:
    # Nexis Uni writes the label in bold, then a no-break space and the value.
    return _paragraph(_run(f"{label}:", bold=True), _run(f"\u00a0{value}"))


def _nexis_uni_docx(path: Path, *, truncate: bool = False) -> Path:
    """A DOCX in the layout of a Nexis Uni export, as LexisNexisTools (lnt_read, the sample.DOCX
    of JBGruber/LexisNexisTools) and LeidenUniversityLibrary/nexis-analysis read it: a cover
    page (user, job number, the list of documents, search terms, narrowing), then per document
    headline, outlet, date, copyright, Section/Length/Byline/Dateline, "Body", paragraphs,
    Load-Date and "End of Document"."""
    cover = [
        _paragraph(_run("User Name: =corpusutils tests")),
        _paragraph(_run("Date and Time: Tuesday, March 21, 2023 10:15:00 AM EST")),
        _paragraph(_run("Job Number: 193847561")),
        _paragraph(_run("Documents (3)", bold=True)),
        _paragraph(_run("1. Drought forces water rationing on the Ebro")),
        _paragraph(_run("Client/Matter: -None-")),
        _paragraph(_run("Search Terms: heat wave and (river or reservoir)")),
        _paragraph(_run("Search Type: Terms and Connectors")),
        _paragraph(_run("Narrowed by:", bold=True)),
        _paragraph(_run("Content Type Narrowed by")),
        _paragraph(_run("News Timeline: Mar 01, 2023 to Mar 21, 2023")),
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
    ]
    documents = [
        ("Drought forces water rationing on the Ebro", "EFE News Service - English",
         "March 20, 2023 Monday", "Copyright 2023 Agencia EFE, S.A. All Rights Reserved",
         [("Section", "ENVIRONMENT"), ("Length", "52 words"), ("Dateline", "Zaragoza")],
         ["Zaragoza, Mar 20 (EFE).- The authority that manages the Ebro basin will ration "
          "irrigation water from April after the river's lowest March flow in thirty years.",
          "Reservoirs in the basin are at 41 percent of capacity."],
         [("Load-Date", "March 21, 2023")]),
        ("Lake levels fall as the dry spell goes on", "The Example Courier",
         "March 19, 2023 Sunday", "Copyright 2023 The Example Courier",
         [("Section", "NEWS; Pg. 4"), ("Length", "40 words"), ("Byline", "Lee Park")],
         ["The lake north of the city has dropped by a metre since February, the water board "
          "said on Sunday, and boat ramps on the east shore are closed."],
         [("Load-Date", "March 20, 2023")]),
        ("Portugal asks farmers to save water", "Associated Press International",
         "March 21, 2023 Tuesday 9:05 AM GMT", "Copyright 2023 Associated Press All Rights "
         "Reserved",
         [("Section", "INTERNATIONAL NEWS"), ("Length", "41 words"),
          ("Byline", "RITA SOUSA, Associated Press")],
         ["LISBON, Portugal (AP) \u2014 Portugal asked farmers on Tuesday to delay planting by "
          "two weeks to save water during the early heat wave."],
         [("Load-Date", "March 22, 2023")]),
    ]
    body = list(cover)
    for k, (headline, outlet, when, rights, front, paragraphs, back) in enumerate(documents):
        body.append(_paragraph(_run(headline, bold=True)))
        body += [_paragraph(_run(outlet)), _paragraph(_run(when)), _paragraph(_run(rights))]
        body += [_field(label, value) for label, value in front]
        body.append(_paragraph(_run("Body", bold=True)))
        body += [_paragraph(_run(text)) for text in paragraphs]
        if truncate and k == len(documents) - 1:
            break
        body += [_field(label, value) for label, value in back]
        body.append(_paragraph(_run("End of Document", bold=True), center=True))
        body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'
        + "".join(body) + "</w:body></w:document>"
    )
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", document)
    return path


def test_nexis_uni_docx_gives_one_row_per_article(tmp_path: Path) -> None:
    docs = cu.load_corpus(_nexis_uni_docx(tmp_path / "Nexis_Uni.DOCX"), clean=False)
    assert docs["doc_id"].tolist() == ["Nexis_Uni-001", "Nexis_Uni-002", "Nexis_Uni-003"]
    assert docs["headline"].tolist() == [
        "Drought forces water rationing on the Ebro",
        "Lake levels fall as the dry spell goes on",
        "Portugal asks farmers to save water",
    ]
    assert docs["outlet"].tolist() == [
        "EFE News Service - English", "The Example Courier", "Associated Press International",
    ]
    assert docs["agency"].tolist() == ["EFE", "The Example Courier", "AP"]
    assert docs["published"].tolist() == ["2023-03-20", "2023-03-19", "2023-03-21"]
    assert docs["length"].tolist() == [52, 40, 41]
    assert docs["section"].iat[1] == "NEWS; Pg. 4"
    assert docs["byline"].iat[2] == "RITA SOUSA, Associated Press"
    assert docs["dateline"].iat[0] == "Zaragoza"
    assert docs["copyright"].iat[1] == "Copyright 2023 The Example Courier"
    assert docs["load_date"].tolist() == ["March 21, 2023", "March 20, 2023", "March 22, 2023"]
    assert docs["raw_text"].iat[0].split("\n\n")[1] == (
        "Reservoirs in the basin are at 41 percent of capacity."
    )
    for text in docs["raw_text"]:
        assert "End of Document" not in text and "Load-Date" not in text
    (cover,) = docs.attrs["exports"]
    assert cover["layout"] == "nexis uni"
    assert cover["query"] == "heat wave and (river or reservoir)"
    assert "Job Number: 193847561" in cover["cover"]


def test_truncated_docx_export_is_reported(tmp_path: Path) -> None:
    path = _nexis_uni_docx(tmp_path / "cut.docx", truncate=True)
    with pytest.warns(CorpusWarning, match=r"cut.docx: document 3 of 3: ends without 'End of"):
        docs = cu.load_corpus(path, errors="warn", clean=False)
    assert len(docs) == 2
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(path.read_bytes()[:200])
    with pytest.raises(CorpusError, match="damaged.docx: not a readable DOCX file"):
        cu.load_corpus(damaged, clean=False)


# --- Factiva ---------------------------------------------------------------------------------


def test_factiva_html_gives_one_row_per_article() -> None:
    docs = cu.load_corpus(HERE / "factiva.html", clean=False)
    assert docs["document_id"].tolist() == [
        "AFPR000020230320ej3k000ab", "LBA0000020230320ej3k00xyz", "AFPR000020230320ej3k000cd",
        "AFPR000020230321ej3l000ef",
    ]
    assert docs["agency"].tolist() == ["AFP", "Reuters", "AFP", "AFP"]
    assert docs["outlet"].iat[2] == "AFP International Text Wire in English"
    assert docs["headline"].iat[1] == "Spain rations river water as heat wave hits early"
    assert docs["section"].iat[1] == "Environment"
    assert docs["byline"].iat[0] == "By Ana Torres"
    assert docs["published"].tolist() == ["2023-03-20"] * 3 + ["2023-03-21"]
    assert docs["length"].tolist() == [118, 96, 118, 141]
    assert docs["time"].iat[1] == "16:02"
    assert docs["source_code"].iat[1] == "LBA"
    assert docs["page"].iat[3] == "A12"
    assert docs["language"].tolist() == ["English"] * 4
    assert docs["copyright"].iat[1] == "Copyright 2023 Thomson Reuters. All rights reserved."
    assert docs["url"].iat[1] == (
        "https://www.reuters.com/world/europe/spain-rations-river-water-2023-03-20/"
    )
    assert docs["distributor"].iat[1] == "Thomson Reuters (Markets) LLC"
    reuters = docs["raw_text"].iat[1].split("\n\n")
    assert reuters[0].startswith("MADRID, March 20 (Reuters) - Spanish authorities will ration")
    assert reuters[-1] == "(Reporting by Elena Costa; Editing by Mark Hill)"
    for text in docs["raw_text"]:
        assert "Document " not in text and "words" not in text and "window.PAGE" not in text


def test_factiva_rtf_gives_one_row_per_article_and_keeps_the_search_summary() -> None:
    docs = cu.load_corpus(HERE / "factiva.rtf", clean=False)
    assert docs["headline"].tolist() == [
        "Sequía en el Ebro: racionamiento desde abril",
        "Drought forces water rationing on the Ebro",
    ]
    assert docs["agency"].tolist() == ["EFE", "EFE"]
    assert docs["byline"].iat[0] == "Por Lucía Gómez"
    assert docs["language"].tolist() == ["Español", "English"]
    assert docs["published"].tolist() == ["2023-03-20", "2023-03-20"]
    assert docs["raw_text"].iat[0].endswith("frente a una media del 63 por ciento en la última "
                                            "década.")
    (cover,) = docs.attrs["exports"]
    assert cover["query"] == "heat wave and (river or reservoir)"
    assert "Results Found" in cover["cover"]


def test_nexis_classic_rtf() -> None:
    docs = cu.load_corpus(HERE / "nexis_classic.rtf", clean=False)
    assert docs["agency"].tolist() == ["AFP", "AP"]
    assert docs["headline"].tolist() == [
        "Europe heat wave to ease at weekend, forecasters say",
        "Portugal asks farmers to save water",
    ]
    assert docs["published"].tolist() == ["2023-03-20", "2023-03-21"]
    assert docs["raw_text"].iat[0].split("\n\n")[1] == (
        "Spain’s weather agency said temperatures would fall by up to eight degrees from "
        "Saturday, with storms possible in the north-east."
    )
    assert docs.attrs["exports"][0]["query"] == "((heat AND wave) AND (river OR reservoir))"


def test_folder_mixing_every_format(tmp_path: Path) -> None:
    for name in ("factiva.html", "factiva.rtf", "nexis_classic.rtf"):
        shutil.copy(HERE / name, tmp_path / name.upper())
    shutil.copy(CLASSIC, tmp_path / "Classic.txt")
    _nexis_uni_docx(tmp_path / "uni.docx")
    seed = next(Path("seeds").glob("002_*.txt"))
    shutil.copy(seed, tmp_path / "ap.txt")
    docs = cu.load_corpus(tmp_path, clean=False)
    assert len(docs) == 4 + 2 + 2 + 4 + 3 + 1
    assert docs["doc_id"].is_unique
    assert len(docs.attrs["exports"]) == 5


def test_factiva_html_with_indexing_gives_one_row_per_article() -> None:
    docs = cu.load_corpus(HERE / "factiva_indexing.html", clean=False)
    assert docs["document_id"].tolist() == [
        "APRS000020230321ej3l000aa", "LBA0000020230320ej3k00xyz",
    ]
    assert docs["agency"].tolist() == ["AP", "Reuters"]
    assert docs["outlet"].tolist() == ["Associated Press Newswires", "Reuters News"]
    assert docs["headline"].tolist() == [
        "Portugal asks farmers to save water", "Spain rations river water as heat wave hits early",
    ]
    assert docs["byline"].iat[0] == "By Rita Sousa"
    assert docs["section"].iat[1] == "World"
    assert docs["published"].tolist() == ["2023-03-21", "2023-03-20"]
    assert docs["length"].tolist() == [64, 52]
    assert docs["page"].iat[1] == "7"
    assert docs["edition"].iat[1] == "Final"
    assert docs["subject"].iat[0] == "gwea : Weather | gcat : Political/General News"
    assert docs["region"].iat[0] == "portl : Portugal | eurz : Europe"
    assert docs["publisher"].iat[0] == "Associated Press"
    assert docs["copyright"].iat[0] == "(c) 2023. The Associated Press. All Rights Reserved."
    assert docs["raw_text"].iat[0].split("\n\n") == [
        "LISBON, Portugal (AP) \u2014 Portugal asked farmers on Tuesday to delay planting by two "
        "weeks to save water during the early heat wave.",
        "Reservoirs in the south are at a third of their capacity, the environment ministry said.",
        "The ministry will review the advice in April.",
    ]
