"""Figures for the reports: one function per figure, one colour per group in every figure.

Each figure function takes the tidy frame an analysis function returns, draws on ``ax`` (a new
figure when ``ax=None``) and returns the axes. :func:`save_figure` writes the PNG together with
the CSV of the numbers it shows.

Colours: EFE, AP, AFP, Reuters and "unknown" always have the same colour (Okabe-Ito, readable
with colour-blindness); other group names take the remaining colours in sorted order of the
names, so a figure showing the same groups always colours them alike. Groups are ordered the
same way everywhere: the agencies as listed in :data:`AGENCY_COLORS`, then other names sorted,
then "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = [
    "AGENCY_COLORS",
    "article_lengths",
    "group_colors",
    "group_order",
    "save_figure",
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


def group_order(groups: Iterable[object]) -> list[str]:
    """Distinct group names in the order every figure uses.

    >>> group_order(["Reuters", "unknown", "Wire B", "AP", "EFE", "AP", "Wire A"])
    ['AP', 'EFE', 'Reuters', 'Wire A', 'Wire B', 'unknown']
    """
    names = {str(g) for g in groups}
    known = [a for a in AGENCY_COLORS if a in names]
    others = sorted(names - set(AGENCY_COLORS) - {UNKNOWN})
    return known + others + ([UNKNOWN] if UNKNOWN in names else [])


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
        else:
            colors[name] = FALLBACK_COLORS[others % len(FALLBACK_COLORS)]
            others += 1
    return colors


def _axes(ax, *, width: float = 7.0, height: float = 4.0):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return ax


def _legend(ax, colors: dict[str, str], *, title: str) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(color=c, label=g) for g, c in colors.items()]
    ax.legend(handles=handles, title=title, frameon=False, loc="best", fontsize="small")


def article_lengths(data: pd.DataFrame, *, by: str = "agency", value: str = "words", ax=None):
    """Bar per article of ``value`` (words), coloured and ordered by group.

    ``data`` has ``doc_id``, the ``by`` column and ``value``.

    >>> frame = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["AP", "EFE"], "words": [3, 5]})
    >>> [round(p.get_width()) for p in article_lengths(frame).patches]
    [3, 5]
    """
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
    return ax


def save_figure(fig_or_ax, data: pd.DataFrame, name: str, out_dir: str | Path) -> list[Path]:
    """Write ``name.png`` and ``name.csv`` (the numbers the figure shows) into ``out_dir``.

    Returns the two paths. A frame with a meaningful index (a ``groupby`` result) keeps it as
    columns in the CSV.

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
    figure.savefig(png, dpi=150, bbox_inches="tight")
    plain_index = isinstance(data.index, pd.RangeIndex) and data.index.name is None
    data.to_csv(csv, index=not plain_index, encoding="utf-8")
    return [png, csv]
