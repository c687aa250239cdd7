"""Building the reports: notebooks run with their parameters, pages, index, failure handling.

These tests run small notebooks written here (a kernel start each, no analysis), so the
machinery is checked quickly; tests/test_notebooks.py runs the real notebooks.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from corpusutils.report import ReportError, build_reports, finding, main

PARAMETERS = 'corpus = "../seeds"\noutput_dir = "../reports"\nby = "agency"'


def write_notebook(path: Path, heading: str, *code: str) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    params = new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell(f"# {heading}\n\nWhat this one asks."), params]
    nb.cells += [new_code_cell(source) for source in code]
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    write_notebook(
        folder / "01-first.ipynb",
        "First look",
        "from corpusutils.load import load_corpus\n"
        "docs = load_corpus(corpus, clean=False)\n"
        "print(f'{len(docs)} articles from {docs.attrs[\"source\"]} grouped by {by}')\n"
        "print(f'read from {corpus}')",
        "import pandas as pd\nfrom pathlib import Path\n"
        "counts = docs.groupby(by).size().rename('n').reset_index()\n"
        "counts.to_csv(Path(output_dir) / 'figures' / '01-counts.csv', index=False)\n"
        "ax = counts.plot.bar(x=by, y='n')\n"
        "ax.figure.savefig(Path(output_dir) / 'figures' / '01-counts.png')",
    )
    write_notebook(folder / "02-second.ipynb", "Second look", "print('second ran')")
    (folder / "scratch.ipynb").write_text("not a notebook the reports run", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(notebooks, seeds_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built") / "reports"
    index = build_reports(seeds_dir, out, notebooks_dir=notebooks)
    assert index == out / "index.html"
    return out


def test_each_numbered_notebook_becomes_a_page_and_an_executed_notebook(built):
    assert sorted(p.name for p in built.glob("*.html")) == [
        "01-first.html",
        "02-second.html",
        "index.html",
    ]
    assert sorted(p.name for p in (built / "notebooks").iterdir()) == [
        "01-first.ipynb",
        "02-second.ipynb",
    ]
    assert "second ran" in (built / "02-second.html").read_text(encoding="utf-8")


def test_parameters_reach_the_notebook_as_absolute_paths(built, seeds_dir):
    page = html.unescape((built / "01-first.html").read_text(encoding="utf-8"))
    # Five seeds listed in seeds/manifest.csv.
    assert f"5 articles from {seeds_dir.resolve()} grouped by agency" in page
    # The notebooks read the corpus cleaned once for the whole build, by absolute path.
    (read_from,) = re.findall(r"read from (\S+)", page)
    assert Path(read_from).is_absolute() and read_from.endswith("cleaned-corpus.parquet")


def test_the_cleaned_corpus_is_published_beside_the_reports(built, seed_docs):
    from corpusutils.load import load_corpus

    cleaned = load_corpus(built / "cleaned-corpus.parquet")
    assert cleaned["doc_id"].tolist() == seed_docs["doc_id"].tolist()
    assert cleaned["text"].tolist() == seed_docs["text"].tolist()


def test_pages_hide_code_and_fetch_nothing(built):
    page = (built / "01-first.html").read_text(encoding="utf-8")
    assert "load_corpus(corpus" not in page
    assert not re.search(r"""(src|href)=["']https?://""", page)


def test_index_links_every_page_under_its_title_and_every_figure_with_its_data(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="01-first.html">First look</a>', index)
    assert re.search(r'href="02-second.html">Second look</a>', index)
    assert "What this one asks." in index
    assert 'src="figures/01-counts.png"' in index
    assert 'href="figures/01-counts.csv"' in index
    assert (built / "figures" / "01-counts.png").stat().st_size > 0
    # The corpus table: seeds/manifest.csv has two EFE articles.
    assert re.search(r"<td>EFE</td><td[^>]*>2</td>", index)


def test_a_failing_cell_names_the_notebook_and_cell_and_leaves_no_report(
    notebooks, seeds_dir, tmp_path
):
    broken = tmp_path / "notebooks"
    broken.mkdir()
    (broken / "01-first.ipynb").write_bytes((notebooks / "01-first.ipynb").read_bytes())
    write_notebook(
        broken / "02-broken.ipynb",
        "Broken",
        "x = 1",
        "raise ValueError('deliberate failure')",
    )
    out = tmp_path / "reports"
    with pytest.raises(ReportError) as caught:
        build_reports(seeds_dir, out, notebooks_dir=broken)
    message = str(caught.value)
    # Heading, parameters, "x = 1", then the failing cell: the fourth cell as written.
    assert "02-broken.ipynb: cell 4 failed" in message
    assert "ValueError: deliberate failure" in message
    assert "raise ValueError('deliberate failure')" in message
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks"]


def test_a_failed_run_keeps_the_previous_build_untouched(notebooks, seeds_dir, tmp_path):
    out = tmp_path / "reports"
    build_reports(seeds_dir, out, notebooks_dir=notebooks)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "broken"
    broken.mkdir()
    write_notebook(broken / "01-broken.ipynb", "Broken", "1 / 0")
    with pytest.raises(ReportError, match=r"01-broken.ipynb: cell 3 failed \(ZeroDivisionError"):
        build_reports(seeds_dir, out, notebooks_dir=broken)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "reports"]


def test_command_line_resolves_relative_paths_and_reports_failures(
    notebooks, seeds_dir, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(seeds_dir.parent)
    out = tmp_path / "reports"
    assert main(["--corpus", "seeds", "--out", str(out), "--notebooks", str(notebooks)]) == 0
    page = html.unescape((out / "01-first.html").read_text(encoding="utf-8"))
    assert f"from {seeds_dir.resolve()} grouped" in page

    assert main(["--corpus", "no-such-corpus", "--out", str(out)]) == 1
    assert "no-such-corpus: no such folder or file" in capsys.readouterr().err


def test_unknown_grouping_column_fails_before_any_notebook_runs(notebooks, seeds_dir, tmp_path):
    with pytest.raises(ReportError, match="no column 'desk' to group by"):
        build_reports(seeds_dir, tmp_path / "reports", notebooks_dir=notebooks, by="desk")
    assert list(tmp_path.iterdir()) == []


def test_unknown_story_column_fails_before_any_notebook_runs(notebooks, seeds_dir, tmp_path):
    with pytest.raises(ReportError, match="no story column 'event'; its columns are"):
        build_reports(seeds_dir, tmp_path / "reports", notebooks_dir=notebooks, story="event")
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_replace_a_folder_that_is_not_a_report(notebooks, seeds_dir, tmp_path):
    keep = tmp_path / "thesis"
    keep.mkdir()
    (keep / "chapter1.docx").write_bytes(b"precious")
    with pytest.raises(ReportError, match="holds files no report build wrote"):
        build_reports(seeds_dir, keep, notebooks_dir=notebooks)
    assert (keep / "chapter1.docx").read_bytes() == b"precious"


def test_finding_escapes_article_text_but_formats_numbers():
    shown = finding(
        "Most negative: {group} ({mean:+.2f}); quote: {quote}",
        group="AP",
        mean=-0.456,
        quote="<script>alert(1)</script> *not bold*",
    ).data
    assert shown == (
        "Most negative: AP (-0.46); quote: &lt;script&gt;alert(1)&lt;/script&gt; "
        "\\*not bold\\*"
    )


def test_a_notebook_that_cannot_be_read_is_named(notebooks, seeds_dir, tmp_path):
    broken = tmp_path / "notebooks"
    broken.mkdir()
    (broken / "01-truncated.ipynb").write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(ReportError, match=r"01-truncated.ipynb: could not be run"):
        build_reports(seeds_dir, tmp_path / "reports", notebooks_dir=broken)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks"]


def test_a_bad_lexicon_stops_the_build_before_any_notebook_runs(seeds_dir, notebooks, tmp_path):
    wrong = tmp_path / "actors.csv"
    wrong.write_text("name,word\nx,y\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"a lexicon cannot be used: .*actors.csv"):
        build_reports(seeds_dir, tmp_path / "reports", notebooks_dir=notebooks, actors=wrong)
    with pytest.raises(ReportError, match=r"a lexicon cannot be used: .*missing.csv"):
        build_reports(seeds_dir, tmp_path / "reports", notebooks_dir=notebooks,
                      frames=[tmp_path / "missing.csv"])
    assert not (tmp_path / "reports").exists()
