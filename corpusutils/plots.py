"""Figures for the reports: one function per figure, one colour per group in every figure.

Each figure function takes the tidy frame an analysis function returns, draws on ``ax`` (a new
figure when ``ax=None``) and returns the axes. :func:`save_figure` writes the PNG together with
the CSV of the numbers it shows.

Colours: EFE, AP, AFP, Reuters and "unknown" always have the same colour (Okabe-Ito, readable
with colour-blindness); other group names take the remaining colours in sorted order of the
names, so a figure showing the same groups always colours them alike. Groups are ordered the
same way everywhere: the agencies as listed in :data:`AGENCY_COLORS`, then other names sorted,
then "unknown", then "other".

Many groups: a figure shows at most :data:`MAX_GROUPS` groups (``max_groups=``), the largest
by ``sizes`` (a Series group -> size, such as articles; by default the figure's own counts).
Where the figure draws one mark per article or sentence, the smaller groups are drawn together
as "other"; where it draws a value computed per group, they are left out (their numbers stay
in the CSV). A note under the figure says which. No figure is larger than
:data:`MAX_INCHES` on a side, and :func:`save_figure` keeps every PNG within
:data:`MAX_PIXELS`.
"""

from __future__ import annotations

import functools
import html
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corpusutils.readability import GRADE_LEVELS

__all__ = [
    "AGENCY_COLORS",
    "GRADE_LEVELS",
    "actor_sentiment",
    "article_lengths",
    "distinctive_terms",
    "frames",
    "group_colors",
    "keyness_within_stories",
    "largest_groups",
    "group_order",
    "readability",
    "reuse",
    "reuse_matrix",
    "save_figure",
    "save_table",
    "sentence_lengths",
    "sentence_sentiment",
    "sentiment_drivers",
    "spreadsheet_safe",
    "story_timeline",
    "term_choice",
    "within_stories",
    "within_stories_largest",
]

#: Fixed colours of the agencies (Okabe-Ito palette), in the order figures list them.
AGENCY_COLORS = {
    "AFP": "#009E73",
    "AP": "#0072B2",
    "EFE": "#D55E00",
    "Reuters": "#E69F00",
}
UNKNOWN = "unknown"
UNKNOWN_COLOR = "#999999"
#: The smaller groups drawn together, when a figure has more than :data:`MAX_GROUPS`.
OTHER = "other"
OTHER_COLOR = "#C8C8C8"
#: The most groups a figure shows one by one (the fallback colours then never repeat).
MAX_GROUPS = 10
#: The largest side of a figure, in inches, and of its PNG, in pixels.
MAX_INCHES = 18.0
MAX_PIXELS = 3000
#: Colours for any other group names, in turn.
FALLBACK_COLORS = (
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#8C564B",
    "#BCBD22",
    "#7F3C8D",
    "#11A579",
    "#3969AC",
    "#F2B701",
    "#E73F74",
)

_FIGURE_NAME = re.compile(r"^[\w.-]+$")

# Labels come from the corpus in any script; where the installed fonts lack a glyph, matplotlib
# draws an empty box and warns once per glyph, which would print into every report page. The
# text itself is always in the figure's CSV.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)


def _plain_text(draw: Callable[..., Any]) -> Callable[..., Any]:
    """Draw with mathtext off: "$" in a name or a word is text, never a formula."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)

    return wrapper


def group_order(groups: Iterable[object]) -> list[str]:
    """Distinct group names in the order every figure uses.

    >>> group_order(["Reuters", "unknown", "Wire B", "AP", "EFE", "AP", "Wire A"])
    ['AP', 'EFE', 'Reuters', 'Wire A', 'Wire B', 'unknown']
    """
    names = {str(g) for g in groups}
    known = [a for a in AGENCY_COLORS if a in names]
    others = sorted(names - set(AGENCY_COLORS) - {UNKNOWN, OTHER})
    last = [g for g in (UNKNOWN, OTHER) if g in names]
    return known + others + last


def group_colors(groups: Iterable[object]) -> dict[str, str]:
    """The colour of each group: fixed for the agencies, in turn for other names.

    >>> group_colors(["EFE", "Wire A", "unknown"])
    {'EFE': '#D55E00', 'Wire A': '#CC79A7', 'unknown': '#999999'}
    """
    colors = {}
    others = 0
    for name in group_order(groups):
        if name in AGENCY_COLORS:
            colors[name] = AGENCY_COLORS[name]
        elif name == UNKNOWN:
            colors[name] = UNKNOWN_COLOR
        elif name == OTHER:
            colors[name] = OTHER_COLOR
        else:
            colors[name] = FALLBACK_COLORS[others % len(FALLBACK_COLORS)]
            others += 1
    return colors


def _axes(ax, *, width: float = 7.0, height: float = 4.0):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    size = (min(width, MAX_INCHES), min(height, MAX_INCHES))
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def largest_groups(
    data: pd.DataFrame,
    by: str,
    *,
    sizes: pd.Series | None = None,
    size_column: str | None = None,
    max_groups: int = MAX_GROUPS,
    merge: bool = True,
) -> tuple[pd.DataFrame, str]:
    """``data`` with at most ``max_groups`` groups, and the note that says so ("" if all).

    The largest groups by ``sizes`` (group -> size), else by the largest ``size_column``
    value of each group, else by their number of rows, are kept; with ``merge`` the rows of
    the others are relabelled :data:`OTHER`, else dropped.

    >>> rows = pd.DataFrame({"agency": ["AP", "AP", "AP", "EFE", "AFP"], "x": [1, 2, 3, 4, 5]})
    >>> shown, note = largest_groups(rows, "agency", max_groups=1)
    >>> shown["agency"].tolist(), note
    (['AP', 'AP', 'AP', 'other', 'other'], "The largest agency group of 3 is shown (by rows); \
the other 2 are drawn together as 'other'.")
    """
    names = data[by].astype(str)
    groups = names.unique()
    if len(groups) <= max_groups:
        return data, ""
    if sizes is not None:
        ranking = pd.Series(sizes.to_numpy(), index=sizes.index.astype(str))
        basis = sizes.name or "size"
    elif size_column is not None and size_column in data.columns:
        ranking = data.groupby(names)[size_column].max()
        basis = {"n": "words", "n_sentences": "sentences", "n_words": "words"}.get(
            size_column, size_column.replace("_", " "))
    else:
        ranking = names.value_counts()
        basis = "rows"
    ranking = ranking.reindex(groups).fillna(0)
    kept = sorted(groups, key=lambda g: (-ranking[g], g))[:max_groups]
    rest = len(groups) - len(kept)
    largest = "largest" if max_groups == 1 else f"{max_groups} largest"
    plural = "group" if max_groups == 1 else "groups"
    note = f"The {largest} {by} {plural} of {len(groups)} {'is' if max_groups == 1 else 'are'} "
    note += f"shown (by {basis}); "
    keep = names.isin(kept).to_numpy()
    if merge:
        out = data.copy()
        out.loc[~keep, by] = OTHER
        return out, note + f"the other {rest} are drawn together as '{OTHER}'."
    return data[keep], note + f"the other {rest} are left out (every group is in the CSV)."


def _note(ax, note: str) -> None:
    """A line under the figure saying which groups it shows."""
    if note:
        # a figure-level label: the layout makes room for it, and the saved image keeps it
        ax.figure.supxlabel(note, x=0.01, ha="left", fontsize="small")


def _legend(ax, colors: dict[str, str], *, title: str) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(color=c, label=g) for g, c in colors.items()]
    ax.legend(handles=handles, title=title, frameon=False, loc="best", fontsize="small")


#: Above this many articles, :func:`article_lengths` shows each group's distribution instead.
MAX_BARS = 60


@_plain_text
def article_lengths(data: pd.DataFrame, *, by: str = "agency", value: str = "words", ax=None,
                    sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS):
    """Bar per article of ``value`` (words), coloured and ordered by group; for more than
    :data:`MAX_BARS` articles, each group's distribution (as :func:`sentence_lengths`).

    ``data`` has ``doc_id``, the ``by`` column and ``value``.

    >>> frame = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["AP", "EFE"], "words": [3, 5]})
    >>> [round(p.get_width()) for p in article_lengths(frame).patches]
    [3, 5]
    """
    if len(data) > MAX_BARS:
        return _distribution(data, by=by, value=value, unit="articles", ax=ax, sizes=sizes,
                             max_groups=max_groups)
    data, note = largest_groups(data, by, sizes=sizes, max_groups=max_groups)
    order = group_order(data[by])
    colors = group_colors(order)
    rank = {g: i for i, g in enumerate(order)}
    rows = data.assign(_rank=data[by].astype(str).map(rank)).sort_values(["_rank", "doc_id"])
    ax = _axes(ax, height=1.2 + 0.3 * len(rows))
    labels = rows["doc_id"].astype(str)
    ax.barh(labels, rows[value], color=[colors[str(g)] for g in rows[by]])
    ax.invert_yaxis()
    ax.set_xlabel(value)
    ax.set_ylabel("article")
    _legend(ax, {g: colors[g] for g in order}, title=by)
    _note(ax, note)
    return ax




def _spread(count: int, width: float = 0.5) -> list[float]:
    """Offsets within ``width`` around 0 for ``count`` points, scattered like jitter but
    deterministic (golden-ratio sequence), so a figure is the same on every run."""
    if count <= 1:
        return [0.0] * count
    return [width * (((k * 0.6180339887) % 1.0) - 0.5) for k in range(count)]


def _group_labels(data: pd.DataFrame, by: str, order: list[str], unit: str) -> list[str]:
    sizes = data[by].astype(str).value_counts()
    return [f"{g}\n(n={sizes.get(g, 0)} {unit})" for g in order]


@_plain_text
def readability(
    data: pd.DataFrame, *, by: str = "agency", measures: Iterable[str] = GRADE_LEVELS, ax=None,
    sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS,
):
    """Grade-level readability per group: a bar at the group mean, a dot per article.

    ``data`` is :func:`corpusutils.readability` output (one row per article).

    >>> frame = pd.DataFrame({"doc_id": ["a", "b", "c"], "agency": ["AP", "AP", "EFE"],
    ...                       "gunning_fog": [10.0, 12.0, 15.0]})
    >>> [float(p.get_height()) for p in readability(frame, measures=["gunning_fog"]).patches]
    [11.0, 15.0]
    """
    measures = list(measures)
    data, note = largest_groups(data, by, sizes=sizes, max_groups=max_groups)
    order = group_order(data[by])
    colors = group_colors(order)
    ax = _axes(ax, width=max(7.0, 1.6 * len(measures)))
    width = 0.8 / len(order)
    sizes = data[by].astype(str).value_counts()
    for j, group in enumerate(order):
        rows = data[data[by].astype(str) == group]
        for i, measure in enumerate(measures):
            x = i - 0.4 + width * (j + 0.5)
            values = rows[measure].dropna().to_list()
            ax.bar(x, sum(values) / len(values) if values else 0.0, width * 0.9,
                   color=colors[group], alpha=0.55,
                   label=f"{group} (n={sizes[group]})" if i == 0 else None)
            offsets = _spread(len(values), width * 0.6)
            ax.scatter([x + o for o in offsets], values, s=14, color=colors[group],
                       edgecolor="black", linewidth=0.4, zorder=3)
    ax.set_xticks(range(len(measures)), [m.replace("_", " ") for m in measures],
                  rotation=20, ha="right")
    ax.set_ylabel("US school grade")
    ax.legend(title=f"{by} (bar: mean; dot: article)", frameon=False, fontsize="small",
              loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _note(ax, note)
    return ax


@_plain_text
def sentence_lengths(data: pd.DataFrame, *, by: str = "agency", value: str = "words", ax=None,
                     sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS):
    """Distribution of sentence length per group: a box and a dot per sentence.

    ``data`` has one row per sentence, with the ``by`` column and ``value`` (words).

    >>> frame = pd.DataFrame({"agency": ["AP", "AP", "EFE"], "words": [10, 20, 30]})
    >>> [t.get_text() for t in sentence_lengths(frame).get_yticklabels()]
    ['AP\\n(n=2 sentences)', 'EFE\\n(n=1 sentences)']
    """
    ax = _distribution(data, by=by, value=value, unit="sentences", ax=ax, sizes=sizes,
                       max_groups=max_groups)
    ax.set_xlabel(f"{value} per sentence")
    return ax


def _distribution(data: pd.DataFrame, *, by: str, value: str, unit: str, ax=None,
                  sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS):
    """A box per group with a dot per row, groups in the usual order and colours."""
    data, note = largest_groups(data, by, sizes=sizes, max_groups=max_groups)
    order = group_order(data[by])
    colors = group_colors(order)
    ax = _axes(ax, height=1.5 + 0.8 * len(order))
    series = [data.loc[data[by].astype(str) == g, value].dropna().to_list() for g in order]
    boxes = ax.boxplot(series, orientation="horizontal", widths=0.6, patch_artist=True,
                       showfliers=False, medianprops={"color": "black"})
    for box, group in zip(boxes["boxes"], order, strict=True):
        box.set(facecolor=colors[group], alpha=0.35)
    for i, (group, values) in enumerate(zip(order, series, strict=True), start=1):
        offsets = _spread(len(values), 0.4)
        ax.scatter(values, [i + o for o in offsets], s=10, color=colors[group],
                   edgecolor="black", linewidth=0.3, zorder=3)
    ax.set_yticks(range(1, len(order) + 1), _group_labels(data, by, order, unit))
    ax.invert_yaxis()
    ax.set_xlabel(value)
    _note(ax, note)
    return ax


@_plain_text
def sentence_sentiment(data: pd.DataFrame, *, by: str = "agency", ax=None,
                       sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS):
    """VADER compound score per group: a dot per sentence, the mean (diamond) with its n.

    ``data`` is :func:`corpusutils.sentence_sentiment` output (one row per
    sentence). The grey band is VADER's neutral zone (-0.05 to +0.05).

    >>> frame = pd.DataFrame({"agency": ["AP", "AP", "EFE"], "compound": [0.5, -0.1, 0.3]})
    >>> [t.get_text() for t in sentence_sentiment(frame).texts]
    ['mean +0.20\\nn=2', 'mean +0.30\\nn=1']
    """
    data, note = largest_groups(data, by, sizes=sizes, max_groups=max_groups)
    order = group_order(data[by])
    colors = group_colors(order)
    ax = _axes(ax, width=max(6.0, 1.6 * len(order)))
    ax.axhspan(-0.05, 0.05, color="#dddddd", zorder=0)
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=1)
    for i, group in enumerate(order):
        values = data.loc[data[by].astype(str) == group, "compound"].dropna()
        offsets = _spread(len(values), 0.5)
        ax.scatter([i + o for o in offsets], values, s=12, color=colors[group],
                   edgecolor="black", linewidth=0.3, alpha=0.8, zorder=2)
        mean = values.mean()
        ax.scatter([i], [mean], marker="D", s=60, color="white", edgecolor="black", zorder=4)
        ax.annotate(f"mean {mean:+.2f}\nn={len(values)}", (i, mean), xytext=(14, 0),
                    textcoords="offset points", va="center", fontsize="small", zorder=5)
    ax.set_xticks(range(len(order)), order)
    ax.set_xlim(-0.6, len(order) - 0.2)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel(by)
    ax.set_ylabel("VADER compound (per sentence)")
    _note(ax, note)
    return ax


@_plain_text
def actor_sentiment(
    data: pd.DataFrame, *, by: str = "agency", value: str = "compound_mean", ax=None,
    sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS, max_actors: int = 30,
):
    """Heatmap of the sentiment of sentences naming each actor (rows) per group (columns).

    ``data`` is :func:`corpusutils.actor_sentiment` output; each cell shows the
    ``value`` and its n (sentences). Blank cells: the group never names the actor. At most
    ``max_actors`` rows: the actors named in most sentences.

    >>> frame = pd.DataFrame({"agency": ["AP", "EFE"], "actor": ["Russia", "Russia"],
    ...                       "n": [3, 1], "compound_mean": [-0.4, 0.2]})
    >>> [t.get_text() for t in actor_sentiment(frame).texts]
    ['-0.40\\nn=3', '+0.20\\nn=1']
    """
    data, note = largest_groups(data, by, sizes=sizes, max_groups=max_groups, merge=False)
    named = data.groupby("actor")["n"].sum().sort_values(ascending=False, kind="stable")
    if len(named) > max_actors:
        data = data[data["actor"].isin(named.index[:max_actors])]
        note = (note + " " if note else "") + (
            f"The {max_actors} actors named in most sentences of {len(named)} are shown.")
    order = group_order(data[by])
    table = data.assign(_group=data[by].astype(str))
    values = table.pivot(index="actor", columns="_group", values=value).reindex(columns=order)
    counts = table.pivot(index="actor", columns="_group", values="n").reindex(columns=order)
    ax = _axes(ax, width=2.5 + 1.1 * len(order), height=1.2 + 0.42 * len(values))
    limit = max(0.25, min(1.0, float(values.abs().max().max())))
    image = ax.imshow(values.to_numpy(dtype=float), cmap="RdBu", vmin=-limit, vmax=limit,
                      aspect="auto")
    for (i, j), v in np.ndenumerate(values.to_numpy(dtype=float)):
        if np.isnan(v):
            continue
        dark = abs(v) > 0.6 * limit
        ax.text(j, i, f"{v:+.2f}\nn={int(counts.iat[i, j])}", ha="center", va="center",
                fontsize="x-small", color="white" if dark else "black")
    ax.set_xticks(range(len(order)), order)
    ax.set_yticks(range(len(values)), values.index)
    ax.set_xlabel(by)
    ax.figure.colorbar(image, ax=ax, label=value.replace("_", " "), shrink=0.8)
    _note(ax, note)
    return ax


@_plain_text
def sentiment_drivers(data: pd.DataFrame, *, by: str = "agency", top: int = 6, ax=None,
                      sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS):
    """The lexicon words that move each group's sentiment most, per sentence of the group.

    ``data`` is :func:`corpusutils.sentiment_drivers` output; bars show
    ``contribution_per_sentence`` of the ``top`` words of each group, groups one under another.

    >>> frame = pd.DataFrame({"agency": ["AP", "AP"], "word": ["war", "united"],
    ...                       "contribution_per_sentence": [-0.4, 0.3]})
    >>> [t.get_text() for t in sentiment_drivers(frame).get_yticklabels()]
    ['AP: war', 'AP: united']
    """
    data, note = largest_groups(data, by, sizes=sizes, max_groups=max_groups, merge=False)
    order = group_order(data[by])
    colors = group_colors(order)
    rows = _top_per_group(data, by, order, "contribution_per_sentence", top, absolute=True)
    ax = _axes(ax, height=1.0 + 0.25 * len(rows))
    values = rows["contribution_per_sentence"]
    ax.barh(range(len(rows)), values, color=[colors[g] for g in rows["_group"]])
    ax.set_yticks(range(len(rows)), [f"{g}: {w}" for g, w in zip(rows["_group"], rows["word"],
                                                                  strict=True)])
    ax.invert_yaxis()
    ax.axvline(0, color="#888888", linewidth=0.8)
    ax.set_xlabel("contribution to VADER's sum of valences, per sentence of the group")
    _note(ax, note)
    return ax


@_plain_text
def frames(data: pd.DataFrame, *, by: str = "agency", ax=None, sizes: pd.Series | None = None,
           max_groups: int = MAX_GROUPS):
    """Share of sentences carrying each frame per group: a dot for ``share``, a ring for
    ``lead_weighted_share`` (headline and lead counted more), joined by a line.

    ``data`` is :func:`corpusutils.frames` output. Frames are ordered by their mean share.

    >>> frame = pd.DataFrame({"agency": ["AP", "AP"], "frame": ["conflict", "economy"],
    ...                       "share": [0.5, 0.1], "lead_weighted_share": [0.6, 0.05]})
    >>> [t.get_text() for t in frames(frame).get_yticklabels()]
    ['conflict', 'economy']
    """
    data, note = largest_groups(data, by, sizes=sizes, size_column="n_sentences",
                                max_groups=max_groups, merge=False)
    order = group_order(data[by])
    colors = group_colors(order)
    table = data.assign(_group=data[by].astype(str))
    ranking = table.groupby("frame", sort=False)["share"].mean().sort_values(ascending=False)
    rows = {f: i for i, f in enumerate(ranking.index)}
    # tall enough for the legend beside it, one line per group
    ax = _axes(ax, height=max(1.2 + 0.45 * len(rows), 1.0 + 0.3 * len(order)))
    offsets = dict(zip(order, _even(len(order), 0.6), strict=True))
    for group in order:
        part = table[table["_group"] == group]
        y = [rows[f] + offsets[group] for f in part["frame"]]
        for yy, a, b in zip(y, part["share"], part["lead_weighted_share"], strict=True):
            ax.plot([a, b], [yy, yy], color=colors[group], linewidth=1, alpha=0.7)
        ax.scatter(part["share"], y, s=28, color=colors[group], zorder=3, label=group)
        ax.scatter(part["lead_weighted_share"], y, s=34, facecolor="white",
                   edgecolor=colors[group], linewidth=1.4, zorder=3)
    for boundary in range(len(rows) - 1):
        ax.axhline(boundary + 0.5, color="#e3e3e3", linewidth=0.8, zorder=0)
    ax.set_yticks(range(len(rows)), list(rows))
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(_percent())
    ax.set_xlabel("sentences carrying the frame (dot: all alike; ring: headline and lead weighted)")
    ax.legend(title=by, frameon=False, fontsize="small", loc="upper left",
              bbox_to_anchor=(1.0, 1.0))
    _note(ax, note)
    return ax


@_plain_text
def term_choice(data: pd.DataFrame, *, by: str = "agency", value: str = "per_1000_words",
                ax=None, sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS):
    """Which word each group uses for one thing: bars of ``value`` per term and group.

    ``data`` is :func:`corpusutils.term_choice` output; the legend gives each group's words.

    >>> frame = pd.DataFrame({"agency": ["AP", "AP"], "term": ["invasion", "war"],
    ...                       "count": [2, 5], "n_words": [500, 500],
    ...                       "per_1000_words": [4.0, 10.0]})
    >>> [float(p.get_width()) for p in term_choice(frame).patches]
    [4.0, 10.0]
    """
    data, note = largest_groups(data, by, sizes=sizes, size_column="n_words",
                                max_groups=max_groups, merge=False)
    order = group_order(data[by])
    colors = group_colors(order)
    table = data.assign(_group=data[by].astype(str))
    terms = list(dict.fromkeys(table["term"]))
    rows = {t: i for i, t in enumerate(terms)}
    ax = _axes(ax, height=1.2 + 0.22 * len(terms) * max(2, len(order)))
    height = 0.8 / len(order)
    for j, group in enumerate(order):
        part = table[table["_group"] == group]
        words = int(part["n_words"].iloc[0]) if "n_words" in part and len(part) else 0
        y = [rows[t] - 0.4 + height * (j + 0.5) for t in part["term"]]
        ax.barh(y, part[value], height * 0.9, color=colors[group],
                label=f"{group} ({words:,} words)")
    ax.set_yticks(range(len(terms)), terms)
    ax.invert_yaxis()
    ax.set_xlabel(value.replace("_", " "))
    ax.legend(title=by, frameon=False, fontsize="small", loc="upper left",
              bbox_to_anchor=(1.0, 1.0))
    _note(ax, note)
    return ax


@_plain_text
def distinctive_terms(data: pd.DataFrame, *, by: str = "agency", top: int = 8, ax=None,
                      sizes: pd.Series | None = None, max_groups: int = MAX_GROUPS):
    """The words that most set each group apart: bars of z (weighted log-odds), groups stacked.

    ``data`` is :func:`corpusutils.distinctive_terms` output; the ``top`` words of each group
    with the largest positive z are shown. The dashed lines mark z = 1.96.

    >>> frame = pd.DataFrame({"agency": ["AP", "AP", "EFE"], "term": ["war", "talks", "kk"],
    ...                       "z": [2.5, -1.0, 3.0]})
    >>> [t.get_text() for t in distinctive_terms(frame).get_yticklabels()]
    ['AP: war', 'EFE: kk']
    """
    data, note = largest_groups(data, by, sizes=sizes, size_column="n",  # the group's words
                                max_groups=max_groups, merge=False)
    order = group_order(data[by])
    colors = group_colors(order)
    top = min(top, max(3, MAX_BARS // max(1, len(order))))  # a legible number of bars
    rows = _top_per_group(data[data["z"] > 0], by, order, "z", top, absolute=False)
    ax = _axes(ax, height=1.0 + 0.25 * len(rows))
    ax.barh(range(len(rows)), rows["z"], color=[colors[g] for g in rows["_group"]])
    ax.set_yticks(range(len(rows)),
                  [f"{g}: {t}" for g, t in zip(rows["_group"], rows["term"], strict=True)])
    ax.invert_yaxis()
    ax.axvline(1.96, color="#888888", linewidth=0.8, linestyle="--")
    ax.set_xlabel("z of the weighted log-odds (group against all others)")
    _note(ax, note)
    return ax


@_plain_text
def story_timeline(data: pd.DataFrame, *, top: int = 8, ax=None):
    """Stories over time: each story a dot at its first day, as high as its articles.

    ``data`` is :func:`corpusutils.story_overview` output; without a ``first`` date the
    stories are drawn by rank instead. The ``top`` largest stories are labelled.

    >>> frame = pd.DataFrame({"story": ["S1", "S2"], "story_label": ["talks", "floods"],
    ...     "articles": [5, 2], "groups": [3, 1],
    ...     "first": pd.to_datetime(["2023-02-28", "2023-03-09"])})
    >>> [t.get_text() for t in story_timeline(frame).texts]
    ['S1 talks', 'S2 floods']
    """
    ax = _axes(ax, width=8.0, height=4.0)
    dated = "first" in data.columns and data["first"].notna().any()
    x = data["first"] if dated else pd.Series(range(1, len(data) + 1), index=data.index)
    sizes = 20 + 25 * data["groups"].to_numpy()
    ax.scatter(x, data["articles"], s=sizes, color="#3969AC", alpha=0.6, edgecolor="white")
    for _, row in data.nlargest(top, "articles").iterrows():
        label = f"{row['story']} {str(row['story_label'])[:40]}"
        ax.annotate(label, (x[row.name], row["articles"]), fontsize="x-small",
                    xytext=(4, 4), textcoords="offset points")
    if dated:
        _day_axis(ax, data["first"])
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, data["articles"].max() * 1.15 + 0.5)
    ax.set_xlabel("first day of the story" if dated else "stories, largest first")
    ax.set_ylabel("articles")
    ax.set_title("Stories (dot size: how many groups cover each)")
    return ax


def _day_axis(ax, days: pd.Series) -> None:
    """An axis of dates at least a week wide around ``days``, labelled by day when it spans
    under two months (matplotlib would otherwise stretch one day over years)."""
    import matplotlib.dates as mdates

    first, last = days.min().normalize(), days.max().normalize()
    if last - first < pd.Timedelta(days=7):
        middle = first + (last - first) / 2
        first, last = middle - pd.Timedelta(days=3.5), middle + pd.Timedelta(days=3.5)
        ax.set_xlim(first, last)
    if last - first < pd.Timedelta(days=60):
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))


@_plain_text
def within_stories(data: pd.DataFrame, *, by: str = "agency", measure: str | None = None,
                   ax=None):
    """Each group's difference from the others on the same stories, with its interval.

    ``data`` is :func:`corpusutils.compare_within_stories` output: one row per group and
    measure (``measure`` keeps one). Dots are the mean within-story differences, lines the
    intervals, and each label says how many stories the number rests on; hollow diamonds show
    the pooled difference that ignores stories. Several measures are drawn one under another.

    >>> frame = pd.DataFrame({"agency": ["AP", "EFE"], "measure": "grade",
    ...     "difference": [1.0, -1.0], "low": [0.2, -2.0], "high": [1.8, 0.1],
    ...     "stories": [12, 9], "pooled_difference": [2.0, -0.5]})
    >>> [t.get_text() for t in within_stories(frame).get_yticklabels()]
    ['AP (12 stories)', 'EFE (9 stories)']
    """
    if measure is not None:
        data = data[data["measure"] == measure]
    order = group_order(data[by])
    rank = {g: k for k, g in enumerate(order)}
    measures = list(dict.fromkeys(data["measure"]))
    rows = data.assign(_group=data[by].astype(str),
                       _measure=data["measure"].map(measures.index))
    rows = rows.assign(_rank=rows["_group"].map(rank)).sort_values(["_measure", "_rank"])
    colors = group_colors(order)
    ax = _axes(ax, height=1.0 + 0.35 * len(rows))
    y = list(range(len(rows)))
    for k, group, low, high in zip(y, rows["_group"], rows["low"], rows["high"], strict=True):
        ax.plot([low, high], [k, k], color=colors[group], linewidth=2)
    ax.scatter(rows["difference"], y, color=[colors[g] for g in rows["_group"]], zorder=3)
    if "pooled_difference" in rows.columns:
        ax.scatter(rows["pooled_difference"], y, marker="D", facecolor="none",
                   edgecolor="#555555", zorder=3, label="pooled over all stories")
        ax.legend(frameon=False, fontsize="small", loc="best")
    several = len(measures) > 1
    labels = [
        (f"{m}: " if several else "") + f"{g} ({n:,} {'story' if n == 1 else 'stories'})"
        for m, g, n in zip(rows["measure"], rows["_group"], rows["stories"], strict=True)
    ]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.axvline(0, color="#888888", linewidth=0.8)
    name = "value" if several else str(measures[0]) if measures else "value"
    ax.set_xlabel(f"{name}: group minus the other groups on the same stories (95% interval)")
    return ax


@_plain_text
def within_stories_largest(data: pd.DataFrame, *, by: str = "agency", measure: str | None = None,
                           max_groups: int = MAX_GROUPS, ax=None):
    """:func:`within_stories` for the ``max_groups`` groups compared on the most stories (the
    note under the figure says how many are left out; every row is in the CSV).

    >>> frame = pd.DataFrame({"agency": ["AP", "EFE", "AFP"], "measure": "grade",
    ...     "difference": [1.0, -1.0, 0.5], "low": [0.2, -2.0, -0.5], "high": [1.8, 0.1, 1.5],
    ...     "stories": [12, 9, 3], "pooled_difference": [2.0, -0.5, 0.0]})
    >>> [t.get_text() for t in within_stories_largest(frame, max_groups=2).get_yticklabels()]
    ['AP (12 stories)', 'EFE (9 stories)']
    """
    if measure is not None:
        data = data[data["measure"] == measure]
    data, note = largest_groups(data, by, size_column="stories", max_groups=max_groups,
                                merge=False)
    ax = within_stories(data, by=by, ax=ax)
    _note(ax, note)
    return ax


@_plain_text
def keyness_within_stories(data: pd.DataFrame, *, by: str = "agency", top: int = 5,
                           max_groups: int = MAX_GROUPS, ax=None):
    """The words each group uses more than the others on the same stories: each word's log odds
    ratio (dot) and 95% interval (line), labelled with the stories it rests on.

    ``data`` is :func:`corpusutils.keyness_within_stories` output; the ``top`` words of each
    group whose interval lies above 0, by z, are drawn.

    >>> frame = pd.DataFrame({"agency": ["AP", "AP", "EFE"], "term": ["war", "talks", "kk"],
    ...     "stories": [4, 4, 4], "log_odds_ratio": [1.0, 0.2, 0.8], "low": [0.4, -0.3, 0.1],
    ...     "high": [1.6, 0.7, 1.5], "z": [3.2, 0.8, 2.2]})
    >>> [t.get_text() for t in keyness_within_stories(frame).get_yticklabels()]
    ['AP: war (4 stories)', 'EFE: kk (4 stories)']
    """
    data, note = largest_groups(data, by, size_column="stories", max_groups=max_groups,
                                merge=False)
    order = group_order(data[by])
    colors = group_colors(order)
    top = min(top, max(3, MAX_BARS // max(1, len(order))))  # a legible number of rows
    rows = _top_per_group(data[data["low"] > 0], by, order, "z", top, absolute=False)
    ax = _axes(ax, height=1.0 + 0.3 * len(rows))
    y = list(range(len(rows)))
    row_colors = [colors[g] for g in rows["_group"]]
    ax.hlines(y, rows["low"], rows["high"], colors=row_colors, linewidth=2)
    ax.scatter(rows["log_odds_ratio"], y, color=row_colors, zorder=3)
    ax.set_yticks(y, [f"{g}: {t} ({n:,} {'story' if n == 1 else 'stories'})" for g, t, n
                      in zip(rows["_group"], rows["term"], rows["stories"], strict=True)])
    ax.invert_yaxis()
    ax.axvline(0, color="#888888", linewidth=0.8)
    ax.set_xlabel("log odds ratio, group against the others on the same stories (95% interval)")
    _note(ax, note)
    return ax


def reuse_matrix(
    data: pd.DataFrame, *, docs: pd.DataFrame | None = None, by: str = "agency",
    max_docs: int = 30,
) -> pd.DataFrame:
    """The numbers :func:`reuse` draws: containment of each row article in each column article.

    Rows are indexed by (doc_id, ``by``), columns are doc_ids; NaN where two articles share
    nothing, or on the diagonal. ``docs`` (doc_id and ``by``) lists every article, also those
    sharing nothing; with more than ``max_docs`` articles, those of the most-reusing pairs.

    >>> pairs = pd.DataFrame({"doc_a": ["1"], "doc_b": ["2"], "agency_a": ["EFE"],
    ...                       "agency_b": ["AP"], "containment_a": [0.5],
    ...                       "containment_b": [0.25]})
    >>> reuse_matrix(pairs).to_dict("index")
    {('1', 'EFE'): {'1': nan, '2': 0.5}, ('2', 'AP'): {'1': 0.25, '2': nan}}
    """
    pairs_a = data[["doc_a", f"{by}_a"]].set_axis(["doc_id", by], axis=1)
    pairs_b = data[["doc_b", f"{by}_b"]].set_axis(["doc_id", by], axis=1)
    listed = docs[["doc_id", by]] if docs is not None else pd.concat([pairs_a, pairs_b])
    listed = listed.astype(str).drop_duplicates("doc_id")
    if len(listed) > max_docs:
        ranked = pd.concat([pairs_a, pairs_b])["doc_id"].astype(str).drop_duplicates()
        listed = listed.set_index("doc_id").loc[ranked[:max_docs]].reset_index()
    ids = listed["doc_id"].tolist()
    where = {d: i for i, d in enumerate(ids)}
    matrix = np.full((len(ids), len(ids)), np.nan)
    doc_a, doc_b = data["doc_a"].astype(str), data["doc_b"].astype(str)
    # Only the pairs of listed articles, picked out at once (a corpus has millions of pairs).
    shown = data[doc_a.isin(where).to_numpy() & doc_b.isin(where).to_numpy()]
    for a, b, ca, cb in zip(doc_a[shown.index], doc_b[shown.index],
                            shown["containment_a"], shown["containment_b"], strict=True):
        matrix[where[a], where[b]] = ca
        matrix[where[b], where[a]] = cb
    index = pd.MultiIndex.from_frame(listed[["doc_id", by]])
    return pd.DataFrame(matrix, index=index, columns=pd.Index(ids, name=None))


@_plain_text
def reuse(
    data: pd.DataFrame,
    *,
    docs: pd.DataFrame | None = None,
    by: str = "agency",
    max_docs: int = 30,
    ax=None,
):
    """Text reuse between articles: each cell is the share of the row article's n-grams that
    the column article also has (``containment``); the numbers are :func:`reuse_matrix`.

    ``data`` is :func:`corpusutils.reuse` output; ``docs`` lists every article (see
    :func:`reuse_matrix`). Labels carry the group colour.

    >>> pairs = pd.DataFrame({"doc_a": ["1"], "doc_b": ["2"], "agency_a": ["EFE"],
    ...                       "agency_b": ["AP"], "containment_a": [0.5],
    ...                       "containment_b": [0.25]})
    >>> [t.get_text() for t in reuse(pairs).texts]
    ['50%', '25%']
    """
    table = reuse_matrix(data, docs=docs, by=by, max_docs=max_docs)
    matrix = table.to_numpy()
    ids = table.columns.tolist()
    groups = table.index.get_level_values(by).tolist()
    ax = _axes(ax, width=2.5 + 0.55 * len(ids), height=1.5 + 0.5 * len(ids))
    shown = np.isfinite(matrix)
    image = ax.imshow(matrix, cmap="Purples", vmin=0,
                      vmax=max(0.1, float(matrix[shown].max())) if shown.any() else 0.1)
    for (i, j), v in np.ndenumerate(matrix):
        if not np.isnan(v):
            ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize="x-small",
                    color="white" if v > 0.6 * image.norm.vmax else "black")
    colors = group_colors(groups)
    labels = [f"{d} ({g})" for d, g in zip(ids, groups, strict=True)]
    ax.set_xticks(range(len(ids)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(ids)), labels)
    for tick, group in zip(ax.get_xticklabels(), groups, strict=True):
        tick.set_color(colors[group])
    for tick, group in zip(ax.get_yticklabels(), groups, strict=True):
        tick.set_color(colors[group])
    ax.set_xlabel("... also found in this article")
    ax.set_ylabel("share of this article's n-grams ...")
    ax.figure.colorbar(image, ax=ax, label="containment", shrink=0.8, format=_percent())
    return ax


def _even(count: int, width: float) -> list[float]:
    """Evenly spaced offsets within ``width`` around 0 (one per group)."""
    if count <= 1:
        return [0.0] * count
    return [width * (i / (count - 1) - 0.5) for i in range(count)]


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)


def _top_per_group(
    data: pd.DataFrame, by: str, order: list[str], value: str, top: int, *, absolute: bool
) -> pd.DataFrame:
    """The ``top`` rows of each group by ``value`` (by its size when ``absolute``), in order."""
    table = data.assign(_group=data[by].astype(str), _size=data[value].abs() if absolute
                        else data[value])
    rank = {g: i for i, g in enumerate(order)}
    table = table.assign(_rank=table["_group"].map(rank))
    table = table.sort_values(["_rank", "_size"], ascending=[True, False], kind="stable")
    return table.groupby("_group", sort=False).head(top).reset_index(drop=True)


#: A text cell starting with one of these is a formula to a spreadsheet program (OWASP, "CSV
#: Injection"); tab and carriage return are there because some programs skip them first.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def _inert(value: object) -> object:
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def spreadsheet_safe(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` with every text cell that a spreadsheet would run as a formula made inert.

    A text cell (or column name) that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading apostrophe, which spreadsheet programs read as "this is
    text". Numbers stay numbers (``-0.5`` in a numeric column, or as text, is left alone).
    A meaningful index becomes columns first, so group labels are covered too.

    >>> frame = pd.DataFrame({"agency": ["=HYPERLINK(\\"http://x\\")", "@AP", "-AFP", "EFE"],
    ...                       "score": [-0.5, 0.2, -1.0, 0.0], "label": ["-0.5", "+2", "x", ""]})
    >>> spreadsheet_safe(frame).values.tolist()[:3]
    [['\\'=HYPERLINK("http://x")', -0.5, '-0.5'], ["'@AP", 0.2, '+2'], ["'-AFP", -1.0, 'x']]
    """
    plain_index = isinstance(data.index, pd.RangeIndex) and data.index.name is None
    out = data.copy() if plain_index else data.reset_index()
    names = [tuple(map(_inert, c)) if isinstance(c, tuple) else _inert(c) for c in out.columns]
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(names, names=out.columns.names)
    else:
        out.columns = names
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if column.dtype == object or isinstance(column.dtype, pd.CategoricalDtype | pd.StringDtype):
            out.isetitem(i, column.astype(object).map(_inert))
    return out


def save_figure(fig_or_ax, data: pd.DataFrame, name: str, out_dir: str | Path) -> list[Path]:
    """Write ``name.png`` and ``name.csv`` (the numbers the figure shows) into ``out_dir``.

    Returns the two paths. A frame with a meaningful index (a ``groupby`` result) keeps it as
    columns in the CSV. Text that a spreadsheet would run as a formula is made inert first
    (see :func:`spreadsheet_safe`). The figure is drawn once: in a notebook with the inline
    backend, the PNG just written is shown in its place (at the size the backend would show
    the figure) and the figure is closed, so that it is not drawn a second time at the end of
    the cell.

    >>> import tempfile
    >>> frame = pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "words": [3]})
    >>> [p.name for p in save_figure(article_lengths(frame), frame, "lengths", tempfile.mkdtemp())]
    ['lengths.png', 'lengths.csv']
    """
    if not _FIGURE_NAME.match(name):
        raise ValueError(f"figure name {name!r}: use letters, digits, '-', '_' and '.' only")
    figure = fig_or_ax.figure if hasattr(fig_or_ax, "figure") else fig_or_ax
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    png, csv = folder / f"{name}.png", folder / f"{name}.csv"
    # within MAX_PIXELS on each side, however large the figure came out
    dpi = min(150.0, (MAX_PIXELS - 20) / max(*figure.get_size_inches(), 1e-9))
    image = _png(figure, dpi)
    if max(_png_size(image)) > MAX_PIXELS:  # labels reach far beyond the figure's own size
        dpi *= (MAX_PIXELS - 20) / max(_png_size(image))
        image = _png(figure, dpi)
    png.write_bytes(image)
    spreadsheet_safe(data).to_csv(csv, index=False, encoding="utf-8")
    _show_inline(figure, image, dpi)
    return [png, csv]


def _png(figure, dpi: float) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def _png_size(image: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header."""
    return int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")


def _show_inline(figure, image: bytes, dpi: float) -> None:
    """Show the saved PNG in place of a figure the inline backend would draw again."""
    import matplotlib

    if "inline" not in matplotlib.get_backend():
        return  # a script, or an interactive backend whose figure the user keeps
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    if getattr(figure, "number", None) not in plt.get_fignums():
        return  # not a pyplot figure: the backend would not show it
    plt.close(figure)
    width, _ = _png_size(image)
    display(Image(data=image, width=round(width * figure.get_dpi() / dpi)))


def save_table(
    table: pd.DataFrame,
    name: str,
    out_dir: str | Path,
    *,
    rows: int = 20,
    columns: Iterable[object] | None = None,
):
    """Write the whole ``table`` to ``name.csv`` in ``out_dir`` and return its first ``rows``
    rows (and only ``columns``, when given: the largest groups of a table with one column per
    group), captioned with what is left out and where the rest is, for a notebook to show.

    >>> import tempfile
    >>> table = pd.DataFrame({"n": range(30)})
    >>> shown = save_table(table, "counts", tempfile.mkdtemp(), rows=5)
    >>> shown.data.shape, shown.caption
    ((5, 1), 'The first 5 of 30 rows; every row in counts.csv.')
    """
    if not _FIGURE_NAME.match(name):
        raise ValueError(f"table name {name!r}: use letters, digits, '-', '_' and '.' only")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    spreadsheet_safe(table).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
    shown = table.head(rows)
    parts = []
    if len(table) > rows:
        parts.append(f"the first {rows} of {len(table)} rows")
    if columns is not None:
        keep = [c for c in table.columns if c in set(columns)]
        if len(keep) < table.shape[1]:
            parts.append(f"{len(keep)} of {table.shape[1]} columns")
            shown = shown[keep]
    caption = (
        "; ".join(parts).capitalize() + f"; every row in {name}.csv."
        if parts
        else f"Also in {name}.csv."
    )
    # article text and group names are shown as text, never read as markup
    styled = shown.style.set_caption(html.escape(caption))
    styled = styled.format(precision=3, na_rep="", escape="html")
    return styled.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
