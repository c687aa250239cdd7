"""The text column of a table corpus, named on the command line and in `make report`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corpusutils import cli, report


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "articles.csv"
    pd.DataFrame({
        "doc_id": ["a", "b"],
        "agency": ["AP", "AFP"],
        "body": ["Talks went on in Astana on Tuesday.", "The ministers met again."],
    }).to_csv(path, index=False)
    return path


def test_clean_reads_the_named_text_column(tmp_path: Path, capsys) -> None:
    out = tmp_path / "clean.csv"
    assert cli.main(["clean", str(_table(tmp_path)), "--out", str(out),
                     "--text-column", "body"]) == 0
    cleaned = pd.read_csv(out)
    assert cleaned["text"].tolist() == [
        "Talks went on in Astana on Tuesday.", "The ministers met again.",
    ]


def test_clean_without_it_names_the_missing_column(tmp_path: Path, capsys) -> None:
    assert cli.main(["clean", str(_table(tmp_path)), "--out", str(tmp_path / "x.csv")]) == 2
    assert "no 'text' column" in capsys.readouterr().err


def test_report_passes_the_text_column_on(tmp_path: Path) -> None:
    table = _table(tmp_path)
    with pytest.raises(report.ReportError, match="table has no 'headline_text' column"):
        report.build_reports(table, tmp_path / "reports", text_column="headline_text")
    args = cli.build_parser().parse_args(["report", str(table), "--text-column", "body"])
    assert args.text_column == "body"
    assert report.main(["--corpus", str(table), "--out", str(tmp_path / "r"),
                        "--text-column", "nope"]) == 1
