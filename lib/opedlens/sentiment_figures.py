"""Figures of notebook 02: score distributions, arcs, actor heatmap, scorer agreement, validation."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .plots import article_colors

NEUTRAL_BAND = 0.05


def distributions(long: pd.DataFrame, doc_ids: list[str], names: list[str]):
    """Each sentence's score per article, one panel per scorer (boxes plus every sentence as a dot)."""
    colors = article_colors(doc_ids)
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names) + 1, 1.4 + 0.9 * len(doc_ids)),
                             sharey=True, squeeze=False)
    jitter = np.random.default_rng(0)
    for ax, name in zip(axes[0], names):
        data = long[(long["scorer"] == name) & long["doc_id"].isin(doc_ids)]
        sns.boxplot(data=data, x="score", y="doc_id", order=doc_ids, hue="doc_id", palette=colors,
                    showfliers=False, width=0.5, ax=ax, legend=False)
        for row, doc_id in enumerate(doc_ids):
            values = data.loc[data["doc_id"] == doc_id, "score"]
            ax.scatter(values, row + jitter.uniform(-0.12, 0.12, len(values)), color="0.2", s=8, alpha=0.6, zorder=3)
        ax.axvspan(-NEUTRAL_BAND, NEUTRAL_BAND, color="0.85", zorder=0)
        ax.set(xlim=(-1.05, 1.05), xlabel="score (-1 negative .. +1 positive)", ylabel="", title=name)
    fig.suptitle("Sentence sentiment per article (grey band: neutral)")
    fig.tight_layout()
    return fig


def arcs(arc_table: pd.DataFrame, doc_ids: list[str], scorer: str, window: int):
    """Sentiment through each article: every sentence as a dot, the moving average as a line."""
    colors = article_colors(doc_ids)
    fig, ax = plt.subplots(figsize=(9, 4))
    data = arc_table[arc_table["scorer"] == scorer]
    for doc_id in doc_ids:
        doc = data[data["doc_id"] == doc_id]
        ax.scatter(doc["position"], doc["score"], color=colors[doc_id], s=14, alpha=0.45)
        ax.plot(doc["position"], doc["smoothed"], color=colors[doc_id], linewidth=2.2, label=doc_id)
    ax.axhline(0, color="0.4", linewidth=0.8)
    ax.set(xlim=(0, 1), xlabel="position in the article (0 = first sentence, 1 = last)", ylabel=f"{scorer} score",
           title=f"Sentiment arc ({scorer}; line: moving average over {window} sentences)")
    ax.legend(loc="best", frameon=False)
    fig.tight_layout()
    return fig


def actor_heatmap(summary: pd.DataFrame, doc_ids: list[str]):
    """Actor x article: mean sentiment toward the actor, annotated with its 95% interval and n.

    Actors are ordered by how often they are mentioned; grey cells: not mentioned in that article.
    """
    if summary.empty:
        fig, ax = plt.subplots(figsize=(8, 1.4))
        ax.axis("off")
        ax.text(0.5, 0.5, "No actor of the gazetteer is mentioned in these articles.", ha="center", va="center")
        return fig
    order = summary.groupby("actor_label")["n"].sum().sort_values(ascending=False, kind="stable").index
    means = summary.pivot(index="actor_label", columns="doc_id", values="mean").reindex(index=order, columns=doc_ids)
    notes = summary.assign(note=[
        f"{m:+.2f}\n[{lo:+.2f}, {hi:+.2f}]\nn={n}" if not np.isnan(lo) else f"{m:+.2f}\n(n={n})"
        for m, lo, hi, n in zip(summary["mean"], summary["ci_low"], summary["ci_high"], summary["n"])
    ]).pivot(index="actor_label", columns="doc_id", values="note").reindex(index=order, columns=doc_ids)
    fig, ax = plt.subplots(figsize=(2.6 * len(doc_ids) + 2.4, 0.85 * len(means) + 1.6))
    sns.heatmap(means, annot=notes.fillna("").to_numpy(), fmt="", cmap="RdBu", vmin=-1, vmax=1,
                center=0, cbar_kws={"label": "mean targeted score"}, linewidths=0.5, ax=ax,
                annot_kws={"fontsize": 8})
    ax.set_facecolor("0.92")
    ax.grid(False)
    for (row, col) in zip(*np.where(means.isna().to_numpy())):
        ax.text(col + 0.5, row + 0.5, "not mentioned", ha="center", va="center", fontsize=8, color="0.4")
    ax.set(xlabel="", ylabel="", title="Sentiment toward each actor (95% bootstrap interval; n = sentences)")
    ax.tick_params(axis="x", rotation=0)
    fig.tight_layout()
    return fig


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
