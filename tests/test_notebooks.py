"""The notebooks: committed clean, parameterised, and running on the seeds and on other corpora.

Running notebooks is slow, so each corpus is built once per session (one ``build_reports``
call) and the tests assert on what that build wrote.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from corpusutils.report import NOTEBOOK_PATTERN, build_reports, default_notebooks_dir

NOTEBOOKS = sorted(
    p for p in default_notebooks_dir().glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name)
)

#: Figures each notebook must write to figures/ (a PNG and its CSV each).
EXPECTED_FIGURES = {
    "01-corpus-and-cleaning": ["01-words-per-article"],
    "02-readability": ["02-readability-by-group", "02-sentence-lengths"],
    "03-sentiment": ["03-sentiment-by-group", "03-actor-sentiment", "03-sentiment-drivers"],
    "04-framing": ["04-frame-shares", "04-term-choice-war", "04-term-choice-region"],
    "05-wording": ["05-distinctive-terms", "05-text-reuse"],
    "06-stories": ["06-stories", "06-within-stories-grade", "06-within-stories-tone",
                   "06-within-stories-frames", "06-within-stories-terms"],
}

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"


def code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_the_notebooks_are_numbered_in_reading_order():
    assert [p.stem for p in NOTEBOOKS] == ["00-overview", *EXPECTED_FIGURES]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_or_execution_counts(path):
    for cell in code_cells(path):
        assert cell.outputs == [], f"{path.name}: a cell has outputs (strip them before committing)"
        assert cell.execution_count is None, f"{path.name}: a cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_parameters_cell_sets_corpus_output_dir_and_by(path):
    cells = code_cells(path)
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = {
        target.id: node.value.value
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
    }
    expected = {"corpus": "../seeds", "output_dir": "../reports", "by": "agency"}
    if "story" in assigned:  # the notebooks that compare within stories
        expected["story"] = "auto"
    assert assigned == expected
    # The seeds are reached only through the parameters cell.
    for cell in cells:
        if cell is not tagged[0]:
            assert "seeds" not in cell.source, f"{path.name}: names the seeds outside parameters"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_opens_with_its_question(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# ")
    assert "**Question.**" in first.source


@pytest.fixture(scope="session")
def seed_reports(seeds_dir, tmp_path_factory) -> Path:
    # tests/test_browser.py opens the same folder, so one session builds the seeds' reports once.
    out = tmp_path_factory.getbasetemp() / "seed-reports" / "reports"
    if not (out / "index.html").is_file():
        build_reports(seeds_dir, out)
    return out


@pytest.fixture(scope="session")
def other_corpus(seeds_dir, tmp_path_factory) -> Path:
    """Four articles in a CSV table under two made-up outlets, with markup in the text."""
    def seed(prefix: str) -> str:
        (path,) = seeds_dir.glob(f"{prefix}_*.txt")
        return path.read_text(encoding="utf-8")

    trap = (
        f'\n\nA protester shouted "{SCRIPT}" outside the embassy and held a sign reading '
        f"{IMAGE} for the cameras.\n"
    )
    table = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "outlet": ["Wire A", "Wire A", f"Wire B {IMAGE}", f"Wire B {IMAGE}"],
            "headline": [f"Blinken in Astana {SCRIPT}", "", "", ""],
            "text": [seed("000"), seed("002"), seed("004"), seed("003") + trap],
        }
    )
    path = tmp_path_factory.mktemp("other-corpus") / "articles.csv"
    table.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def other_reports(other_corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("other-reports") / "reports"
    build_reports(other_corpus, out, by="outlet")
    return out


def assert_ran_cleanly(reports: Path) -> None:
    for path in NOTEBOOKS:
        executed = nbformat.read(reports / "notebooks" / path.name, as_version=4)
        for cell in executed.cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error", f"{path.name}: {output.get('evalue')}"
                if output.output_type == "stream":
                    assert output.name == "stdout", f"{path.name} wrote to stderr: {output.text}"
        assert (reports / f"{path.stem}.html").stat().st_size > 0


def assert_figures_written(reports: Path) -> None:
    for notebook, names in EXPECTED_FIGURES.items():
        for name in names:
            png = reports / "figures" / f"{name}.png"
            assert png.read_bytes().startswith(b"\x89PNG"), f"{notebook}: {name}.png missing"
            data = pd.read_csv(png.with_suffix(".csv"))
            assert len(data) > 0, f"{notebook}: {name}.csv is empty"


def test_every_notebook_runs_on_the_seeds_without_errors_or_warnings(seed_reports):
    assert_ran_cleanly(seed_reports)


def test_every_notebook_writes_its_figures_with_their_data_on_the_seeds(seed_reports):
    assert_figures_written(seed_reports)


def test_every_notebook_runs_on_another_corpus_and_grouping(other_reports):
    assert_ran_cleanly(other_reports)
    assert_figures_written(other_reports)


def test_the_parameters_choose_corpus_and_grouping(other_reports):
    words = pd.read_csv(other_reports / "figures" / "01-words-per-article.csv")
    assert set(words["outlet"]) == {"Wire A", f"Wire B {IMAGE}"}
    assert sorted(words["doc_id"]) == ["a", "b", "c", "d"]


def test_article_text_and_names_reach_the_pages_as_text_never_as_markup(other_reports):
    pages = {p.name: p.read_text(encoding="utf-8") for p in other_reports.glob("*.html")}
    for name, page in pages.items():
        assert SCRIPT not in page, f"{name} carries the script element as markup"
        assert not re.search(r"<img[^>]*onerror", page), f"{name} carries the img as markup"
    shown = "".join(pages.values())
    assert html.escape(SCRIPT, quote=False) in shown
    assert html.escape(IMAGE, quote=False) in shown
