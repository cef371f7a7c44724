"""Figures of notebook 04: evidence and role profiles, and the cross-article alignment heatmap."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

MAX_HEATMAP_UNITS = 45  # per side; beyond this a heatmap cell is too small to read


def _short_id(sent_id: str) -> str:
    """'ha-2019-hill.p10.s01' -> 'ha-2019-hill p10.s01' (the article first, so a row names where it is from)."""
    parts = str(sent_id).rsplit(".", 2)
    if len(parts) < 3:
        return str(sent_id)
    doc = parts[0] if len(parts[0]) <= 22 else parts[0][:20] + "…"
    return f"{doc} {parts[1]}.{parts[2]}"


MAX_PROFILE_ROWS = 12  # bars per panel; the tables hold every article


def _by_group(profile: pd.DataFrame, column: str, plan) -> pd.DataFrame:
    """A per-article profile pooled into the plan's groups (sentences summed, shares recomputed)."""
    if plan is None or plan.kind != "groups":
        return profile.rename(columns={"doc_id": "row"})
    pooled = (profile.assign(row=profile["doc_id"].map(plan.group_of)).dropna(subset=["row"])
              .groupby(["row", column], sort=False)["sentences"].sum().reset_index())
    pooled["share"] = pooled["sentences"] / pooled.groupby("row")["sentences"].transform("sum")
    return pooled


def profiles(evidence: pd.DataFrame, roles: pd.DataFrame, labels: dict[str, str] | None = None, plan=None):
    """Two panels of stacked bars: each article's (or, with a plan of groups, each group's) sentences by evidence
    type, and by argument role; at most :data:`MAX_PROFILE_ROWS` bars, the title says how many more."""
    labels = labels or {}
    evidence, roles = _by_group(evidence, "evidence", plan), _by_group(roles, "role", plan)
    shown = list(dict.fromkeys(evidence["row"]))
    hidden = max(0, len(shown) - MAX_PROFILE_ROWS)
    shown = shown[:MAX_PROFILE_ROWS]
    unit = "group" if plan is not None and plan.kind == "groups" else "article"
    fig, axes = plt.subplots(1, 2, figsize=(13, 2.2 + 0.55 * len(shown)), sharey=True)
    for ax, (data, column, title) in zip(axes, [(evidence, "evidence", "evidence type"), (roles, "role", "argument role")]):
        wide = data.pivot(index="row", columns=column, values="share").reindex(shown)
        wide = wide[list(dict.fromkeys(data[column]))]
        left = np.zeros(len(wide))
        palette = sns.color_palette("colorblind", wide.shape[1])
        names = [labels.get(d, d) for d in wide.index]
        for color, category in zip(palette, wide.columns):
            values = wide[category].fillna(0).to_numpy()
            ax.barh(names, values, left=left, color=color, label=category)
            for y, (x0, width) in enumerate(zip(left, values)):
                if width >= 0.06:
                    ax.text(x0 + width / 2, y, f"{width:.0%}", ha="center", va="center", fontsize=8, color="white")
            left += values
        more = f"\n(the first {len(shown)}; {hidden} more in the table)" if hidden else ""
        ax.set(xlim=(0, 1), title=f"Share of each {unit}'s sentences by {title}{more}")
        ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, frameon=False, fontsize=8)
    axes[0].invert_yaxis()  # the axes share y: invert once, so the first article is on top
    fig.tight_layout()
    return fig


def _strongest_units(similarity: pd.DataFrame, side: str, limit: int) -> list[str]:
    best = similarity.groupby(side, sort=False)["similarity"].max()
    keep = set(best.sort_values(ascending=False, kind="stable").index[:limit])
    return [u for u in dict.fromkeys(similarity[side]) if u in keep]


def alignment_heatmap(similarity: pd.DataFrame, points: pd.DataFrame, threshold: float):
    """Meaning similarity of every pair of units across the two sides of the first comparison; boxes mark the
    matched pairs.

    ``similarity`` is long (side_a, sent_a, side_b, sent_b, similarity); with more than :data:`MAX_HEATMAP_UNITS`
    units on a side, only the units with the strongest best match are drawn (the tables keep them all).
    """
    if similarity.empty:
        fig, ax = plt.subplots(figsize=(6, 1.2))
        ax.axis("off")
        ax.text(0.5, 0.5, "Only one side has claims: nothing to match.", ha="center", va="center")
        return fig
    label_a, label_b = similarity["side_a"].iloc[0], similarity["side_b"].iloc[0]
    rows = _strongest_units(similarity, "sent_a", MAX_HEATMAP_UNITS)
    cols = _strongest_units(similarity, "sent_b", MAX_HEATMAP_UNITS)
    matrix = similarity.pivot(index="sent_a", columns="sent_b", values="similarity").reindex(index=rows, columns=cols)
    fig, ax = plt.subplots(figsize=(3.5 + 0.24 * len(cols), 3 + 0.24 * len(rows)))
    sns.heatmap(matrix, ax=ax, cmap="rocket_r", vmin=0, vmax=1, square=False,
                cbar_kws={"label": "meaning similarity (cosine)", "shrink": 0.6},
                xticklabels=[_short_id(c) for c in cols], yticklabels=[_short_id(r) for r in rows])
    position_a = {u: n for n, u in enumerate(rows)}
    position_b = {u: n for n, u in enumerate(cols)}
    first = points[points["comparison"] == points["comparison"].iloc[0]] if "comparison" in points else points
    paired = first.dropna(subset=["sent_a", "sent_b"])
    paired = paired[paired["sent_a"].isin(position_a) & paired["sent_b"].isin(position_b)]
    for row in paired.itertuples(index=False):
        edge = "#0072B2" if row.status == "shared" else "#D55E00"
        ax.add_patch(plt.Rectangle((position_b[row.sent_b], position_a[row.sent_a]), 1, 1, fill=False,
                                   edgecolor=edge, linewidth=2))
    ax.set(xlabel=f"{label_b}: argument units", ylabel=f"{label_a}: argument units",
           title="Which points meet (blue box: shared, orange: possible disagreement)")
    ax.tick_params(axis="both", labelsize=7)
    fig.tight_layout()
    return fig
