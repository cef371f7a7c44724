"""Figures of notebook 03: choosing k, topic words, topic shares, topic flow, fightin' words."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .plots import article_colors


def k_selection(curves: pd.DataFrame):
    """Coherence and stability against k for each model, the chosen model and k circled."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharex=True)
    panels = [("npmi", "npmi_sd", "mean NPMI coherence (higher: top words co-occur)"),
              ("stability", "stability_sd", "stability across seeds (matched top-word overlap)")]
    for ax, (column, spread, title) in zip(axes, panels):
        for model, data in curves.groupby("model", sort=False):
            ax.plot(data["k"], data[column], marker="o", label=model)
            if spread:
                ax.fill_between(data["k"], data[column] - data[spread], data[column] + data[spread], alpha=0.15)
        pick = curves[curves["chosen"]]
        ax.scatter(pick["k"], pick[column], s=220, facecolors="none", edgecolors="black", linewidths=1.8, zorder=5)
        ax.set(title=title, xlabel="number of topics k")
    axes[1].axhline(curves.attrs.get("min_stability", 0.6), color="0.4", linestyle="--", linewidth=1)
    axes[1].text(curves["k"].min(), curves.attrs.get("min_stability", 0.6) + 0.01, "stable enough", fontsize=8,
                 color="0.3", va="bottom")
    axes[0].legend(title="model", frameon=False)
    fig.suptitle("Choosing k (circle: the chosen model and k; bands: +-1 SD over seeds or seed pairs)")
    fig.tight_layout()
    return fig


def topic_words(weights: pd.DataFrame, labels: pd.DataFrame):
    """Top terms of each topic with their weight."""
    topics = labels["topic"].tolist()
    cols = min(3, len(topics))
    rows = int(np.ceil(len(topics) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    palette = sns.color_palette("colorblind", len(topics))
    for ax, topic, color in zip(axes.flat, topics, palette):
        data = weights[weights["topic"] == topic]
        ax.barh(data["term"][::-1], data["weight"][::-1], color=color)
        ax.set(title=f"{topic}: {labels.set_index('topic').loc[topic, 'label']}", xlabel="weight in topic")
        ax.tick_params(axis="y", labelsize=9)
    for ax in list(axes.flat)[len(topics):]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def topic_shares(share_table: pd.DataFrame, doc_ids: list[str]):
    """Mean share of each topic per article, with 95% bootstrap intervals."""
    colors = article_colors(doc_ids)
    fig, ax = plt.subplots(figsize=(9, 0.45 * share_table["topic"].nunique() * max(1, len(doc_ids)) + 1.5))
    topics = sorted(share_table["topic"].unique(), key=lambda t: int(t[1:]))
    height = 0.8 / max(1, len(doc_ids))
    for i, doc_id in enumerate(doc_ids):
        data = share_table[share_table["doc_id"] == doc_id].set_index("topic").reindex(topics)
        y = np.arange(len(topics)) + i * height
        err = np.vstack([data["mean"] - data["ci_low"], data["ci_high"] - data["mean"]]).clip(min=0)
        ax.barh(y, data["mean"], height=height, color=colors.get(doc_id), label=doc_id, xerr=np.nan_to_num(err),
                error_kw={"elinewidth": 1, "capsize": 2})
    ax.set_yticks(np.arange(len(topics)) + 0.4 - height / 2, topics)
    ax.invert_yaxis()
    ax.set(xlabel="mean share of the article's units", title="What each article is about (95% bootstrap intervals)")
    ax.legend(frameon=False, loc="lower right")
    fig.tight_layout()
    return fig


def topic_flow(flow_table: pd.DataFrame, doc_ids: list[str], labels: pd.DataFrame | None = None):
    """Per article: which units carry which topic (named by its label), in reading order."""
    fig, axes = plt.subplots(len(doc_ids), 1, figsize=(11, 1.2 + 1.6 * len(doc_ids)), squeeze=False)
    for ax, doc_id in zip(axes[:, 0], doc_ids):
        data = flow_table[flow_table["doc_id"] == doc_id]
        grid = data.pivot(index="topic", columns="unit_id", values="share")
        grid = grid.reindex(index=sorted(grid.index, key=lambda t: int(t[1:])),
                            columns=data.drop_duplicates("unit_id").sort_values("position")["unit_id"])
        if labels is not None:
            names = labels.set_index("topic")["label"]
            grid.index = [f"{t} {names.get(t, '')}" for t in grid.index]
        sns.heatmap(grid, cmap="Blues", vmin=0, vmax=1, ax=ax, cbar_kws={"label": "share"})
        ax.set(title=doc_id, xlabel="", ylabel="")
        ax.set_xticks(np.arange(grid.shape[1]) + 0.5, [u.rsplit(".", 1)[-1] for u in grid.columns], rotation=90,
                      fontsize=7)
    axes[-1, 0].set_xlabel("units in reading order")
    fig.tight_layout()
    return fig


def fightin_words(table: pd.DataFrame, label_a: str, label_b: str, n_labels: int = 12):
    """Monroe et al.'s plot: z-score against frequency, the most distinctive terms of each side labelled."""
    if table.empty:
        fig, ax = plt.subplots(figsize=(8, 1.4))
        ax.axis("off")
        ax.text(0.5, 0.5, "Only one article (or group): there is no second side to compare.", ha="center", va="center")
        return fig
    data = table.assign(frequency=table["count_a"] + table["count_b"])
    fig, ax = plt.subplots(figsize=(10, 6))
    strong = data["z"].abs() >= 1.96
    ax.scatter(data.loc[~strong, "frequency"], data.loc[~strong, "z"], s=10, color="0.7", label="|z| < 1.96")
    ax.scatter(data.loc[strong & (data["z"] > 0), "frequency"], data.loc[strong & (data["z"] > 0), "z"], s=18,
               color=sns.color_palette("colorblind")[0], label=f"leans to {label_a}")
    ax.scatter(data.loc[strong & (data["z"] < 0), "frequency"], data.loc[strong & (data["z"] < 0), "z"], s=18,
               color=sns.color_palette("colorblind")[1], label=f"leans to {label_b}")
    labelled = pd.concat([data.head(n_labels), data.tail(n_labels)]).drop_duplicates("term")
    for (frequency, z), terms in labelled.groupby(["frequency", "z"], sort=False)["term"]:
        ax.annotate(", ".join(terms), (frequency, z), fontsize=8, xytext=(3, 0), textcoords="offset points",
                    va="center")  # terms at the same point share one label
    ax.set_xscale("log")
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.set(xlabel="frequency in both (log scale)", ylabel=f"z: log-odds ratio, {label_a} vs {label_b}",
           title="Fightin' words (informative Dirichlet prior)")
    ax.legend(frameon=False, loc="best", fontsize=8)
    fig.tight_layout()
    return fig
