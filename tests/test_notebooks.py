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

#: Every notebook's parameters and their defaults (one line each in the parameters cell).
PARAMETERS = {
    "corpus": "../seeds",
    "output_dir": "../reports",
    "by": "agency",
    "actor_file": None,
    "frame_files": ["generic"],
    "term_file": None,
    "min_articles": 1,
    "min_sentences": 10,
    "story": "auto",
}

NOTEBOOKS = sorted(
    p for p in default_notebooks_dir().glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name)
)

#: Figures each notebook must write to figures/ (a PNG and its CSV each).
EXPECTED_FIGURES = {
    "01-corpus-and-cleaning": ["01-words-per-article"],
    "02-readability": ["02-readability-by-group", "02-sentence-lengths",
                       "02-within-stories-grade"],
    "03-sentiment": ["03-sentiment-by-group", "03-actor-sentiment", "03-sentiment-drivers",
                     "03-within-stories-tone", "03-within-stories-actors"],
    "04-framing": ["04-frame-shares", "04-term-choice-war", "04-term-choice-region",
                   "04-within-stories-frames", "04-within-stories-terms-war"],
    "05-wording": ["05-distinctive-terms", "05-text-reuse", "05-keyness-within-stories"],
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
def test_one_parameters_cell_sets_every_parameter(path):
    cells = code_cells(path)
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = {
        target.id: ast.literal_eval(node.value)
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
    }
    assert assigned == PARAMETERS
    # one parameter a line, so that parameters added by several changes merge line by line
    assert len(tagged[0].source.strip().splitlines()) == len(PARAMETERS)
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
def seed_reports(seeds_dir, seed_lexicons, tmp_path_factory) -> Path:
    # tests/test_browser.py opens the same folder, so one session builds the seeds' reports once.
    out = tmp_path_factory.getbasetemp() / "seed-reports" / "reports"
    if not (out / "index.html").is_file():
        build_reports(seeds_dir, out, **seed_lexicons)
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
def other_reports(other_corpus, seed_lexicons, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("other-reports") / "reports"
    build_reports(other_corpus, out, by="outlet", terms=seed_lexicons["terms"])
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
    for page in reports.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Warning" not in text, f"{page.name} shows a Python warning"
        for path in (str(reports.parent), str(Path.home()), "site-packages", "/tmp/"):
            assert path not in text, f"{page.name} shows a path of this machine: {path}"


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


# --- a corpus of another event, with the researcher's own lexicons, in many groups ------------

#: Words of a made-up event (a port strike), none of them the seed event's.
PEOPLE = ["Marta Kowal", "Ilya Brandt", "Sofia Lindqvist"]
LINES = [
    "{p} said the strike at the port of Valmera would go on until wages rose.",
    "Dockworkers began a walkout on Monday, and pickets stood at every gate.",
    "Container ships waited offshore as cargo piled up on the quays.",
    "The Valmera Port Authority said shipping delays were growing by the hour.",
    "{p} told reporters the union had offered talks twice.",
    "Grain and fuel cargo were diverted to other harbours along the coast.",
    "Pickets sang songs through the night at the main container terminal.",
    "Transport Minister Ilya Brandt urged both sides to return to talks.",
    "The harbour workers' union said its members had voted for the walkout.",
]
OWN_ACTORS = "actor,term,kind,comment\n" + "\n".join(
    [f"{p},{p},person," for p in PEOPLE]
    + [f"{p},{p.split()[-1]},person," for p in PEOPLE]
    + ["Port Authority,Valmera Port Authority,organisation,",
       "Port Authority,Port Authority,organisation,"]
) + "\n"
OWN_FRAMES = (
    "frame,term\nlabour_dispute,strike*\nlabour_dispute,walkout\nlabour_dispute,picket*\n"
    "supply_chain,container*\nsupply_chain,shipping\nsupply_chain,cargo\n"
)
#: Frames and actors of the shipped lexicons, which must not show in these reports.
NOT_MINE = ["economic_consequences", "human_interest", "russian_influence", "sovereignty",
            "china_role", "Kazakhstan", "Blinken"]


@pytest.fixture(scope="session")
def event_corpus(tmp_path_factory) -> dict:
    """68 outlets of 1 to 3 articles (4 to 9 sentences each) on a port strike, and the
    researcher's actor and frame files for it."""
    import random

    rng = random.Random(14)
    rows = []
    for k in range(68):
        for i in range(1 + k % 3):
            lines = rng.sample(LINES, rng.randint(4, 9))
            text = " ".join(line.format(p=rng.choice(PEOPLE)) for line in lines)
            rows.append({"doc_id": f"{k:02d}-{i}", "outlet": f"Outlet {k:02d}", "text": text})
    folder = tmp_path_factory.mktemp("event-corpus")
    pd.DataFrame(rows).to_csv(folder / "strike.csv", index=False)
    (folder / "my-actors.csv").write_text(OWN_ACTORS, encoding="utf-8")
    (folder / "my-frames.csv").write_text(OWN_FRAMES, encoding="utf-8")
    return {"corpus": folder / "strike.csv", "actors": folder / "my-actors.csv",
            "frames": folder / "my-frames.csv"}


@pytest.fixture(scope="session")
def event_reports(event_corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("event-reports") / "reports"
    build_reports(event_corpus["corpus"], out, by="outlet", actors=event_corpus["actors"],
                  frames=[event_corpus["frames"]])
    return out


def test_reports_on_another_event_show_only_the_researchers_actors_and_frames(event_reports):
    assert_ran_cleanly(event_reports)
    actors = pd.read_csv(event_reports / "figures" / "03-actor-sentiment.csv")
    assert set(actors["actor"]) == {*PEOPLE, "Port Authority"}
    shares = pd.read_csv(event_reports / "figures" / "04-frame-shares.csv")
    assert set(shares["frame"]) == {"labour_dispute", "supply_chain"}
    pages = {p.name: p.read_text(encoding="utf-8") for p in event_reports.glob("*.html")}
    for name, page in pages.items():
        for word in NOT_MINE:
            assert word not in page, f"{name} shows {word!r}, not in the researcher's lexicons"
    assert "Frames from my-frames.csv: labour_dispute, supply_chain." in pages["04-framing.html"]
    assert "those of my-actors.csv" in pages["03-sentiment.html"]
    assert sorted(p.name for p in (event_reports / "lexicons").iterdir()) == [
        "my-actors.csv", "my-frames.csv"]


def test_no_figure_exceeds_3000_pixels_with_68_groups(event_reports):
    from PIL import Image

    for png in (event_reports / "figures").glob("*.png"):
        with Image.open(png) as image:
            assert max(image.size) <= 3000, f"{png.name}: {image.size}"


def test_findings_name_only_groups_large_enough(event_reports):
    # The outlets of one article have 4 to 9 sentences: under the default 10, never named.
    from corpusutils import load_corpus, sentences

    docs = load_corpus(event_reports / "cleaned-corpus.parquet")
    counted = sentences(docs, by="outlet").groupby("outlet").size()
    small = set(counted[counted < 10].index)
    assert small, "the corpus should have outlets below the minimum"
    page = (event_reports / "03-sentiment.html").read_text(encoding="utf-8")
    named = re.findall(r"The (?:lowest|highest) mean is <strong>([^<]+)</strong>", page)
    named += re.findall(r"the highest is <strong>([^<]+)</strong>", page)
    assert named and not set(named) & small
    grade = pd.read_csv(event_reports / "figures" / "02-readability-per-group.csv", index_col=0)
    assert grade.loc["grade"].notna().all()


def test_within_story_sections_say_the_seeds_hold_one_story(seed_reports):
    # The five seed articles report one visit: every report's within-story section says so.
    for name in ["02-readability", "03-sentiment", "04-framing"]:
        text = (seed_reports / f"{name}.html").read_text(encoding="utf-8")
        assert "The corpus holds <strong>one story</strong>" in text, name
    text = (seed_reports / "05-wording.html").read_text(encoding="utf-8")
    assert "these are the words of the groups" in text
