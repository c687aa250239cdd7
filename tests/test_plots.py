"""Figures: fixed colours per group, the numbers drawn are the numbers given, PNG and CSV saved."""

from __future__ import annotations

import matplotlib.pyplot as plt  # the tests' conftest selects the Agg backend
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from corpusutils import plots


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_each_agency_keeps_its_colour_whatever_else_is_shown():
    alone = plots.group_colors(["Reuters"])
    crowded = plots.group_colors(["Wire A", "unknown", "Reuters", "EFE", "AP", "AFP"])
    assert alone["Reuters"] == crowded["Reuters"]
    assert len(set(crowded.values())) == 6


def test_other_names_take_distinct_colours_in_sorted_order():
    colors = plots.group_colors([f"outlet {i:02d}" for i in range(10)][::-1])
    assert list(colors) == [f"outlet {i:02d}" for i in range(10)]
    assert len(set(colors.values())) == 10
    assert not set(colors.values()) & set(plots.AGENCY_COLORS.values())


def test_group_order_is_agencies_then_other_names_then_unknown():
    assert plots.group_order(["unknown", "Zeta", "EFE", "Alpha", "AFP", "EFE"]) == [
        "AFP",
        "EFE",
        "Alpha",
        "Zeta",
        "unknown",
    ]


def test_article_lengths_draws_one_bar_per_article_in_group_colour():
    frame = pd.DataFrame(
        {"doc_id": ["x", "y", "z"], "agency": ["Reuters", "AP", "AP"], "words": [10, 20, 30]}
    )
    ax = plots.article_lengths(frame)
    bars = {t.get_text(): p for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)}
    assert [t.get_text() for t in ax.get_yticklabels()] == ["y", "z", "x"]
    assert bars["x"].get_width() == 10
    assert to_hex(bars["x"].get_facecolor()) == plots.AGENCY_COLORS["Reuters"].lower()


def test_readability_bars_are_group_means():
    frame = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "agency": ["EFE", "EFE", "AP"],
            "smog_index": [10.0, 14.0, 9.0],
            "gunning_fog": [11.0, 13.0, 8.0],
        }
    )
    ax = plots.readability(frame, measures=["smog_index", "gunning_fog"])
    # Groups in order AP, EFE; measures in the order given.
    assert [float(p.get_height()) for p in ax.patches] == [9.0, 8.0, 12.0, 12.0]


def test_sentiment_marks_each_group_mean_with_its_n():
    frame = pd.DataFrame(
        {"agency": ["AP", "AP", "AP", "Wire"], "compound": [0.6, -0.3, 0.0, -0.5]}
    )
    texts = [t.get_text() for t in plots.sentence_sentiment(frame, by="agency").texts]
    assert texts == ["mean +0.10\nn=3", "mean -0.50\nn=1"]


def test_actor_heatmap_leaves_unmentioned_actors_blank():
    frame = pd.DataFrame(
        {
            "agency": ["AP", "AP", "EFE"],
            "actor": ["China", "Russia", "Russia"],
            "n": [2, 5, 1],
            "compound_mean": [0.25, -0.5, 0.1],
        }
    )
    ax = plots.actor_sentiment(frame)
    assert [t.get_text() for t in ax.texts] == ["+0.25\nn=2", "-0.50\nn=5", "+0.10\nn=1"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["China", "Russia"]


def test_sentiment_drivers_keeps_the_largest_words_of_each_group():
    frame = pd.DataFrame(
        {
            "agency": ["AP", "AP", "AP", "EFE"],
            "word": ["war", "united", "calm", "support"],
            "contribution_per_sentence": [-0.4, 0.3, 0.01, 0.2],
        }
    )
    ax = plots.sentiment_drivers(frame, top=2)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["AP: war", "AP: united", "EFE: support"]
    assert [p.get_width() for p in ax.patches] == [-0.4, 0.3, 0.2]


def test_sentence_lengths_counts_sentences_per_group():
    frame = pd.DataFrame({"agency": ["EFE"] * 3 + ["AFP"], "words": [5, 10, 40, 7]})
    labels = [t.get_text() for t in plots.sentence_lengths(frame).get_yticklabels()]
    assert labels == ["AFP\n(n=1 sentences)", "EFE\n(n=3 sentences)"]


def test_save_figure_writes_png_and_the_numbers_shown(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["AP", "EFE"], "words": [3, 5]})
    png, csv = plots.save_figure(plots.article_lengths(frame), frame, "01-words", tmp_path / "f")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert pd.read_csv(csv, dtype={"doc_id": str}).equals(frame)


def test_save_figure_keeps_a_grouped_index_as_columns(tmp_path):
    frame = pd.DataFrame({"agency": ["AP", "AP", "EFE"], "words": [3, 5, 4]})
    summary = frame.groupby("agency")["words"].mean()
    _, csv = plots.save_figure(plt.figure(), summary.to_frame(), "means", tmp_path)
    assert csv.read_text(encoding="utf-8").splitlines() == ["agency,words", "AP,4.0", "EFE,4.0"]


def test_save_figure_refuses_names_that_are_paths(tmp_path):
    with pytest.raises(ValueError, match="figure name"):
        plots.save_figure(plt.figure(), pd.DataFrame(), "../escape", tmp_path)


def test_frames_orders_frames_by_mean_share_and_marks_both_shares():
    frame = pd.DataFrame(
        {
            "agency": ["AP", "AP", "EFE", "EFE"],
            "frame": ["economy", "conflict", "economy", "conflict"],
            "share": [0.1, 0.5, 0.2, 0.3],
            "lead_weighted_share": [0.05, 0.6, 0.25, 0.2],
        }
    )
    ax = plots.frames(frame)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["conflict", "economy"]
    # One filled dot set and one ring set per group, in group order.
    shown = [list(c.get_offsets()[:, 0]) for c in ax.collections]
    assert shown == [[0.1, 0.5], [0.05, 0.6], [0.2, 0.3], [0.25, 0.2]]


def test_term_choice_draws_each_groups_rate_per_term():
    frame = pd.DataFrame(
        {
            "agency": ["AP", "AP", "EFE", "EFE"],
            "term": ["invasion", "war", "invasion", "war"],
            "count": [2, 1, 0, 4],
            "n_words": [400, 400, 800, 800],
            "per_1000_words": [5.0, 2.5, 0.0, 5.0],
        }
    )
    ax = plots.term_choice(frame)
    assert [float(p.get_width()) for p in ax.patches] == [5.0, 2.5, 0.0, 5.0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["AP (400 words)", "EFE (800 words)"]


def test_distinctive_terms_shows_only_positive_z_top_first():
    frame = pd.DataFrame(
        {
            "agency": ["AP", "AP", "AP", "EFE"],
            "term": ["war", "talks", "nations", "ties"],
            "z": [1.0, -2.0, 3.0, 0.5],
        }
    )
    ax = plots.distinctive_terms(frame, top=5)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["AP: nations", "AP: war", "EFE: ties"]


def test_reuse_matrix_reads_containment_by_row_and_lists_every_article():
    pairs = pd.DataFrame(
        {
            "doc_a": ["1"],
            "doc_b": ["3"],
            "agency_a": ["EFE"],
            "agency_b": ["Reuters"],
            "containment_a": [0.4],
            "containment_b": [0.1],
        }
    )
    docs = pd.DataFrame({"doc_id": ["1", "2", "3"], "agency": ["EFE", "AP", "Reuters"]})
    ax = plots.reuse(pairs, docs=docs)
    matrix = ax.images[0].get_array()
    assert matrix[0, 2] == 0.4 and matrix[2, 0] == 0.1
    assert matrix.mask[1].all()
    labels = ax.get_yticklabels()
    assert [t.get_text() for t in labels] == ["1 (EFE)", "2 (AP)", "3 (Reuters)"]
    assert to_hex(labels[2].get_color()) == plots.AGENCY_COLORS["Reuters"].lower()


def test_article_lengths_of_a_large_corpus_shows_distributions_not_bars():
    many = plots.MAX_BARS + 1
    frame = pd.DataFrame(
        {"doc_id": [str(i) for i in range(many)], "agency": ["AP"] * many, "words": range(many)}
    )
    ax = plots.article_lengths(frame)
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"AP\n(n={many} articles)"]


def test_dollar_signs_in_names_are_text_not_formulas(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a"], "agency": ["Wire $5 $x_1$ $"], "words": [3]})
    ax = plots.article_lengths(frame)
    png, _ = plots.save_figure(ax, frame, "dollars", tmp_path)
    assert png.stat().st_size > 0
    assert ax.get_legend().get_texts()[0].get_text() == "Wire $5 $x_1$ $"


# --- many groups ------------------------------------------------------------------------------

GROUPS = [f"desk-{k:02d}" for k in range(1, 69)]  # 68 groups, desk-01 the largest


def _png_size(path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def _many_groups_figures() -> dict[str, tuple]:
    """Every figure drawn from tables of 68 groups of falling size (desk-01 has 68 rows)."""
    per_row = pd.DataFrame(
        [(f"{g}-{i}", g, 10.0 + i, 0.1 * ((i % 5) - 2)) for k, g in enumerate(GROUPS)
         for i in range(68 - k)],
        columns=["doc_id", "desk", "words", "compound"],
    )
    for formula in plots.GRADE_LEVELS:
        per_row[formula] = per_row["words"] / 3
    per_group = pd.DataFrame({"desk": GROUPS, "n_sentences": range(68, 0, -1)})
    frames = per_group.merge(pd.DataFrame({"frame": ["a", "b"]}), how="cross").assign(
        share=0.2, lead_weighted_share=0.3)
    terms = per_group.merge(pd.DataFrame({"term": ["war", "invasion", "conflict"]}),
                            how="cross").assign(count=1, n_words=1000, per_1000_words=1.0)
    words = per_group.merge(pd.DataFrame({"term": [f"w{i}" for i in range(8)]}), how="cross")
    words = words.assign(z=3.0, n=words["n_sentences"] * 20)
    actors = per_group.merge(pd.DataFrame({"actor": [f"actor {i}" for i in range(40)]}),
                             how="cross").assign(n=3, compound_mean=0.1)
    drivers = per_group.merge(pd.DataFrame({"word": ["war", "united", "good"]}),
                              how="cross").assign(contribution_per_sentence=0.1)
    return {
        "article_lengths": (plots.article_lengths, per_row),
        "readability": (plots.readability, per_row),
        "sentence_lengths": (plots.sentence_lengths, per_row),
        "sentence_sentiment": (plots.sentence_sentiment, per_row),
        "actor_sentiment": (plots.actor_sentiment, actors),
        "sentiment_drivers": (plots.sentiment_drivers, drivers),
        "frames": (plots.frames, frames),
        "term_choice": (plots.term_choice, terms),
        "distinctive_terms": (plots.distinctive_terms, words),
    }


@pytest.mark.parametrize("name", sorted(_many_groups_figures()))
def test_no_figure_exceeds_3000_pixels_with_68_groups(name, tmp_path):
    import warnings

    draw, data = _many_groups_figures()[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a layout that collapses warns: fail on it
        ax = draw(data, by="desk")
        ax.figure.canvas.draw()
    shown = {t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()}
    shown |= {t.get_text() for legend in [ax.get_legend()] if legend for t in legend.get_texts()}
    listed = {g for g in GROUPS if any(g in label for label in shown)}
    assert len(listed) <= plots.MAX_GROUPS, f"{name} lists {len(listed)} groups"
    if listed:  # the largest groups are the ones shown
        assert "desk-01" in listed and "desk-68" not in listed
    from matplotlib.text import Text

    notes = [t for t in ax.figure.findobj(Text) if "of 68 are shown" in t.get_text()]
    assert notes, f"{name} does not say that it shows 10 groups of 68"
    assert all(t.get_in_layout() and t.get_visible() for t in notes)  # kept in the PNG
    png, _ = plots.save_figure(ax, data, name, tmp_path)
    width, height = _png_size(png)
    assert max(width, height) <= 3000, f"{name}: {width} x {height} px"
    assert min(width, height) >= 400, f"{name}: {width} x {height} px is too small to read"


def test_the_smaller_groups_are_drawn_together_where_each_row_is_a_mark():
    _, per_row = _many_groups_figures()["sentence_sentiment"]
    shown, note = plots.largest_groups(per_row, "desk")
    assert shown["desk"].nunique() == plots.MAX_GROUPS + 1
    assert (shown["desk"] == "other").sum() == sum(range(1, 59))  # desks 11..68: 58 rows down to 1
    assert "the other 58 are drawn together as 'other'" in note
    assert plots.group_order(shown["desk"])[-1] == "other"


def test_a_table_shows_its_first_rows_as_text_and_writes_every_row(tmp_path):
    markup = "<img src=x onerror=alert(1)>"
    table = pd.DataFrame({"outlet": [markup] * 30, "n": range(30)}).set_index("outlet")
    shown = plots.save_table(table, "t", tmp_path, rows=5)
    page = shown.to_html()
    assert markup not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "The first 5 of 30 rows; every row in t.csv." in page
    assert len(pd.read_csv(tmp_path / "t.csv")) == 30
