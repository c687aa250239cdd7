"""Degenerate corpora: every report shows its analysis or says in words why it has none.

Each corpus is built once with the real notebooks (``build_reports``, as ``make report``
does); the tests read what the build wrote. The Arabic, Chinese and Thai texts are short
news sentences written for these tests.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from corpusutils.report import NOTEBOOK_PATTERN, ReportError, build_reports, default_notebooks_dir

pytestmark = pytest.mark.hostile

NOTEBOOKS = sorted(
    p for p in default_notebooks_dir().glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name)
)
SEEDS = Path(__file__).resolve().parents[1] / "seeds"

ARABIC = (
    "أستانا - قال وزير الخارجية الأمريكي يوم الثلاثاء إن الولايات المتحدة تدعم سيادة كازاخستان "
    "واستقلالها.\n\nوأضاف أن المحادثات تناولت التجارة والطاقة والأمن في المنطقة."
)
CHINESE = (
    "美国国务卿周二表示，美国支持哈萨克斯坦的主权和独立。\n\n"
    "他说，双方讨论了贸易、能源和地区安全问题。"
)
THAI = (
    "รัฐมนตรีว่าการกระทรวงการต่างประเทศสหรัฐกล่าวว่าสหรัฐสนับสนุนอธิปไตยของคาซัคสถาน\n\n"
    "ทั้งสองฝ่ายหารือเรื่องการค้า พลังงาน และความมั่นคงในภูมิภาค"
)
FURNITURE = "Related Articles\n\nBack to top\n\n(Photo)\n"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def write_folder(folder: Path, articles: dict[str, tuple[str, str]]) -> Path:
    folder.mkdir(parents=True)
    rows = []
    for doc_id, (agency, text) in articles.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        rows.append({"doc_id": doc_id, "file": f"{doc_id}.txt", "agency": agency})
    pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    return folder


def executed(reports: Path) -> dict[str, nbformat.NotebookNode]:
    return {
        p.stem: nbformat.read(reports / "notebooks" / p.name, as_version=4) for p in NOTEBOOKS
    }


def page(reports: Path, stem: str) -> str:
    return html.unescape((reports / f"{stem}.html").read_text(encoding="utf-8"))


def assert_every_section_shows_something(reports: Path) -> None:
    """No cell failed or warned, and every '##' section shows a result or a sentence."""
    for stem, nb in executed(reports).items():
        section, shown = None, True
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error", f"{stem}: {output.get('evalue')}"
                assert output.get("name") != "stderr", f"{stem} warned: {output.get('text')}"
            if cell.cell_type == "markdown" and cell.source.startswith("## "):
                assert shown, f"{stem}: section {section!r} shows nothing"
                section, shown = cell.source.splitlines()[0], False
            elif cell.cell_type == "markdown" and section is not None:
                shown = True
            elif cell.get("outputs"):
                shown = True
        assert shown, f"{stem}: section {section!r} shows nothing"


def test_a_corpus_of_furniture_only_stops_before_any_notebook_with_one_sentence(tmp_path):
    corpus = write_folder(
        tmp_path / "corpus",
        {"a": ("EFE", FURNITURE), "b": ("AP", "See also: Blinken in Astana\n\nAdvertisement\n")},
    )
    with pytest.raises(ReportError) as caught:
        build_reports(corpus, tmp_path / "reports")
    assert "No article has any text left after cleaning (2 articles: a, b)" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def foreign_corpus(root: Path) -> tuple[Path, str]:
    """Three articles in Arabic, Chinese and Thai: no article the English measures can read."""
    corpus = write_folder(
        root / "corpus", {"ar": ("Reuters", ARABIC), "zh": ("Xinhua", CHINESE), "th": ("AFP", THAI)}
    )
    return corpus, "agency"


def mixed_corpus(root: Path) -> tuple[Path, str]:
    """English articles, one without an outlet, one in Arabic and one that is all furniture."""
    table = pd.DataFrame(
        {
            "doc_id": ["en1", "en2", "en3", "ar", "web"],
            "outlet": ["Wire A", None, "Wire B", "Wire B", "Wire A"],
            "text": [seed("002"), seed("003"), seed("004"), ARABIC, FURNITURE],
        }
    )
    table.to_csv(root / "articles.csv", index=False)
    return root / "articles.csv", "outlet"


@pytest.fixture(scope="module")
def degenerate_reports(tmp_path_factory) -> dict[str, Path]:
    """Each corpus built once, as make report builds it. The two builds run side by side: each
    spends part of its time loading and waiting for kernels, which the other fills."""
    from concurrent.futures import ThreadPoolExecutor

    def build(name: str, corpus: Callable[[Path], tuple[Path, str]]) -> Path:
        root = tmp_path_factory.mktemp(name)
        source, by = corpus(root)
        return build_reports(source, root / "reports", by=by).parent

    with ThreadPoolExecutor(2) as pool:
        futures = {name: pool.submit(build, name, corpus)
                   for name, corpus in [("foreign", foreign_corpus), ("mixed", mixed_corpus)]}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def foreign_reports(degenerate_reports) -> Path:
    return degenerate_reports["foreign"]


def test_languages_the_measures_cannot_read_get_a_reason_not_a_score(foreign_reports):
    assert_every_section_shows_something(foreign_reports)
    found = "no article is in English (1 in Arabic, 1 in Chinese, 1 in Thai)"
    for stem, measures in [
        ("02-readability", "textstat's readability formulas"),
        ("03-sentiment", "VADER sentiment"),
        ("04-framing", "the frame lexicon and term sets"),
        ("00-overview", "the readability formulas, VADER sentiment and the frame lexicon"),
    ]:
        text = page(foreign_reports, stem)
        assert f"Nothing to show here: {found}, the only language {measures} can measure." in text
    # What is not tied to English still runs: the corpus report and the wording report.
    assert (foreign_reports / "figures" / "01-words-per-article.png").is_file()
    assert (foreign_reports / "figures" / "05-distinctive-terms.csv").is_file()
    assert not list((foreign_reports / "figures").glob("02-*"))


@pytest.fixture(scope="module")
def mixed_reports(degenerate_reports) -> Path:
    return degenerate_reports["mixed"]


def test_a_missing_group_label_becomes_an_explicit_group_with_a_note(mixed_reports):
    assert_every_section_shows_something(mixed_reports)
    index = html.unescape((mixed_reports / "index.html").read_text(encoding="utf-8"))
    assert re.search(r"<td>\(missing\)</td><td[^>]*>1</td>", index)
    note = '1 article has no outlet: it is counted as the group "(missing)".'
    for stem in [p.stem for p in NOTEBOOKS]:
        assert note in page(mixed_reports, stem), stem
    lengths = pd.read_csv(mixed_reports / "figures" / "01-words-per-article.csv")
    assert lengths.set_index("doc_id").loc["en2", "outlet"] == "(missing)"


def test_articles_the_measures_cannot_read_are_left_out_with_a_note(mixed_reports):
    for stem, measures in [
        ("02-readability", "textstat's readability formulas"),
        ("03-sentiment", "VADER sentiment"),
    ]:
        assert (
            f"1 article is left out of {measures}, which can measure English only: "
            "1 in Arabic (ar)."
        ) in page(mixed_reports, stem)
    grades = pd.read_csv(mixed_reports / "figures" / "02-readability-by-group.csv")
    grades = grades.set_index("doc_id").drop(columns="outlet")
    assert grades.loc[["ar", "web"]].isna().all(axis=None)  # not scored as English, no text
    assert grades.loc[["en1", "en2", "en3"]].notna().all(axis=None)
