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
