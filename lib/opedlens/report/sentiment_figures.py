"""Figures of notebook 02: score distributions, arcs, actor heatmap, scorer agreement, validation."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from opedlens.measure.scorers import NEUTRAL_BAND
from opedlens.report.plots import article_colors


MAX_ROWS = 12  # groups or articles drawn in a figure; the rest stay in the tables
MAX_ARCS = 6
MAX_DOTS = 150  # sentences drawn as dots per row (a fixed sample when there are more)


def _kept(names: list[str], sizes: dict[str, int], limit: int) -> tuple[list[str], int]:
    """The ``limit`` largest of ``names`` (in their order) and how many were left out."""
    if len(names) <= limit:
        return list(names), 0
    keep = set(sorted(names, key=lambda n: (-sizes.get(n, 0), names.index(n)))[:limit])
    return [n for n in names if n in keep], len(names) - limit


def distributions(long: pd.DataFrame, plan, names: list[str]):
    """Each sentence's score per compared group (or article), one panel per scorer: boxes, and sentences as dots."""
    rows = long.assign(row=long["doc_id"].map(plan.group_of)).dropna(subset=["row"])
    sizes = rows[rows["scorer"] == names[0]].groupby("row").size().to_dict()
    order, left_out = _kept(plan.names, sizes, MAX_ROWS)
    colors = article_colors(order)
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names) + 1.6, 1.4 + 0.55 * len(order) + 0.35),
                             sharey=True, squeeze=False)
    jitter = np.random.default_rng(0)
    for ax, name in zip(axes[0], names):
        data = rows[(rows["scorer"] == name) & rows["row"].isin(order)]
        sns.boxplot(data=data, x="score", y="row", order=order, hue="row", palette=colors,
                    showfliers=False, width=0.5, ax=ax, legend=False)
        for position, row in enumerate(order):
            values = data.loc[data["row"] == row, "score"].to_numpy()
            if len(values) > MAX_DOTS:
                values = values[np.sort(jitter.choice(len(values), MAX_DOTS, replace=False))]
            ax.scatter(values, position + jitter.uniform(-0.12, 0.12, len(values)), color="0.2", s=6, alpha=0.5,
                       zorder=3)
        ax.axvspan(-NEUTRAL_BAND, NEUTRAL_BAND, color="0.85", zorder=0)
        ax.set(xlim=(-1.05, 1.05), xlabel="score (-1 negative .. +1 positive)", ylabel="", title=name)
    what = "group" if plan.kind == "groups" else "article"
    more = f"; {left_out} more {what}s in the tables" if left_out else ""
    fig.suptitle(f"Sentence sentiment per {what} (grey band: neutral{more})")
    fig.tight_layout()
    return fig


def arcs(arc_table: pd.DataFrame, doc_ids: list[str], scorer: str, window: int):
    """Sentiment through each article (the first :data:`MAX_ARCS`): every sentence as a dot, the moving average as
    a line."""
    shown = list(doc_ids)[:MAX_ARCS]
    colors = article_colors(shown)
    fig, ax = plt.subplots(figsize=(9, 4))
    data = arc_table[arc_table["scorer"] == scorer]
    for doc_id in shown:
        doc = data[data["doc_id"] == doc_id]
        ax.scatter(doc["position"], doc["score"], color=colors[doc_id], s=14, alpha=0.45)
        ax.plot(doc["position"], doc["smoothed"], color=colors[doc_id], linewidth=2.2, label=doc_id)
    ax.axhline(0, color="0.4", linewidth=0.8)
    more = f"; the first {len(shown)} of {len(doc_ids)} articles" if len(doc_ids) > len(shown) else ""
    ax.set(xlim=(0, 1), xlabel="position in the article (0 = first sentence, 1 = last)", ylabel=f"{scorer} score",
           title=f"Sentiment arc ({scorer}; line: moving average over {window} sentences{more})")
    ax.legend(loc="best", frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def actor_heatmap(summary: pd.DataFrame, columns: list[str], column: str = "doc_id"):
    """Actor x compared group (or article): mean sentiment toward the actor, annotated with its 95% interval and n.

    The :data:`MAX_ROWS` most mentioned actors and the :data:`MAX_ROWS` largest columns are drawn (the table has
    them all); grey cells: not mentioned there.
    """
    if summary.empty:
        fig, ax = plt.subplots(figsize=(8, 1.4))
        ax.axis("off")
        ax.text(0.5, 0.5, "No actor of the gazetteer is mentioned in these articles.", ha="center", va="center")
        return fig
    totals = summary.groupby("actor_label")["n"].sum().sort_values(ascending=False, kind="stable")
    order = list(totals.index[:MAX_ROWS])
    columns, left_out = _kept(list(columns), summary.groupby(column)["n"].sum().to_dict(), MAX_ROWS)
    data = summary[summary["actor_label"].isin(order) & summary[column].isin(columns)]
    means = data.pivot(index="actor_label", columns=column, values="mean").reindex(index=order, columns=columns)
    notes = data.assign(note=[
        f"{m:+.2f}\n[{lo:+.2f}, {hi:+.2f}]\nn={n}" if not np.isnan(lo) else f"{m:+.2f}\n(n={n})"
        for m, lo, hi, n in zip(data["mean"], data["ci_low"], data["ci_high"], data["n"])
    ]).pivot(index="actor_label", columns=column, values="note").reindex(index=order, columns=columns)
    fig, ax = plt.subplots(figsize=(1.7 * len(columns) + 2.6, 0.75 * len(means) + 1.8))
    sns.heatmap(means, annot=notes.fillna("").to_numpy(), fmt="", cmap="RdBu", vmin=-1, vmax=1,
                center=0, cbar_kws={"label": "mean targeted score"}, linewidths=0.5, ax=ax,
                annot_kws={"fontsize": 7})
    ax.set_facecolor("0.92")
    ax.grid(False)
    for (row, col) in zip(*np.where(means.isna().to_numpy())):
        ax.text(col + 0.5, row + 0.5, "not mentioned", ha="center", va="center", fontsize=7, color="0.4")
    more = []
    if len(totals) > len(order):
        more.append(f"{len(totals) - len(order)} less mentioned actors")
    if left_out:
        more.append(f"{left_out} more columns")
    extra = f"; {' and '.join(more)} in the table" if more else ""
    ax.set(xlabel="", ylabel="", title=f"Sentiment toward each actor (95% interval; n = sentences{extra})")
    ax.set_xticklabels([_wrap(str(c)) for c in columns], rotation=0, fontsize=8)
    fig.tight_layout()
    return fig


def _wrap(label: str, width: int = 18) -> str:
    """A tick label broken over lines of at most ``width`` characters."""
    import textwrap

    return "\n".join(textwrap.wrap(label, width)[:3]) or label


def agreement(correlations: pd.DataFrame):
    """Pearson correlation between scorers on this corpus's sentences."""
    fig, ax = plt.subplots(figsize=(1.1 * len(correlations) + 2.2, 0.9 * len(correlations) + 1.2))
    sns.heatmap(correlations, annot=True, fmt=".2f", cmap="viridis", vmin=-1, vmax=1, square=True, ax=ax,
                cbar_kws={"label": "Pearson r"})
    ax.set(title="Agreement between scorers on this corpus")
    fig.tight_layout()
    return fig


# Published: one NYT rater vs the other raters' mean (Hutto & Gilbert 2014; ../shared/data/README.md).
HUMAN_RATER_R = 0.745


def validation(results: pd.DataFrame, order: list[str], human_r: float | None = HUMAN_RATER_R):
    """Each scorer's Pearson r with human ratings, per gold set (the numbers the validation command saved)."""
    data = results[(results["task"] == "sentiment") & results["scorer"].isin(order)]
    data = data.assign(gold_set=data["gold"].str.split("/").str[-2])
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(order) + 1.9))
    sns.barplot(data=data, y="scorer", x="pearson_r", hue="gold_set", order=order, ax=ax, orient="h")
    for container in ax.containers:
        ax.bar_label(container, fmt="%.2f", padding=3, fontsize=9)
    if human_r is not None:
        ax.axvline(human_r, color="0.3", linestyle="--", linewidth=1)
        ax.text(human_r + 0.01, len(order) - 0.6, "one NYT rater", fontsize=8, color="0.3", va="bottom")
    ax.set(xlim=(0, 1), xlabel="Pearson r with the mean human rating", ylabel="", title="How far to trust each scorer")
    ax.legend(title="gold set", loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=3, fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
