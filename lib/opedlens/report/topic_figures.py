"""Figures of notebook 03: choosing k, topic words, topic shares, topic flow, fightin' words."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from opedlens.report.plots import article_colors


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


MAX_GROUP_BARS = 3  # beyond this many groups, shares are drawn as a heatmap
MAX_COLUMNS = 12


def topic_shares(share_table: pd.DataFrame, names: list[str], column: str = "doc_id"):
    """Mean share of each topic per article or group, with 95% intervals: bars for a few, a heatmap for many."""
    topics = sorted(share_table["topic"].unique(), key=lambda t: int(t[1:]))
    if len(names) > MAX_GROUP_BARS:
        shown = list(names)[:MAX_COLUMNS]
        grid = share_table.pivot(index="topic", columns=column, values="mean").reindex(index=topics, columns=shown)
        fig, ax = plt.subplots(figsize=(1.3 * len(shown) + 3, 0.5 * len(topics) + 2))
        sns.heatmap(grid, annot=True, fmt=".0%", cmap="Blues", vmin=0, cbar_kws={"label": "mean share"}, ax=ax,
                    annot_kws={"fontsize": 8})
        more = f" (the first {len(shown)} of {len(names)}; all in the table)" if len(names) > len(shown) else ""
        ax.set(xlabel="", ylabel="", title=f"What each group is about{more}")
        ax.set_xticklabels([_wrap(str(c)) for c in shown], rotation=0, fontsize=8)
        fig.tight_layout()
        return fig
    colors = article_colors(names)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(topics) * max(1, len(names)) + 1.5))
    height = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        data = share_table[share_table[column] == name].set_index("topic").reindex(topics)
        y = np.arange(len(topics)) + i * height
        err = np.vstack([data["mean"] - data["ci_low"], data["ci_high"] - data["mean"]]).clip(min=0)
        ax.barh(y, data["mean"], height=height, color=colors.get(name), label=name, xerr=np.nan_to_num(err),
                error_kw={"elinewidth": 1, "capsize": 2})
    ax.set_yticks(np.arange(len(topics)) + 0.4 - height / 2, topics)
    ax.invert_yaxis()
    what = "group" if column == "group" else "article"
    ax.set(xlabel=f"mean share of the {what}'s units", title=f"What each {what} is about (95% bootstrap intervals)")
    ax.legend(frameon=False, loc="lower right")
    fig.tight_layout()
    return fig


def _wrap(label: str, width: int = 16) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(label, width)[:3]) or label


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


def fightin_words(table: pd.DataFrame, label_a: str = "", label_b: str = "", n_labels: int = 12):
    """Monroe et al.'s plot: z-score against frequency, the most distinctive terms labelled. With a ``group`` column
    holding several groups, one panel per group (each against the rest, at most six, three to a row)."""
    if table.empty:
        fig, ax = plt.subplots(figsize=(8, 1.4))
        ax.axis("off")
        ax.text(0.5, 0.5, "Only one article (or group): there is no second side to compare.", ha="center", va="center")
        return fig
    groups = list(dict.fromkeys(table["group"])) if "group" in table else [label_a]
    if len(groups) > 1:
        shown = groups[:6]
        rows = (len(shown) + 2) // 3
        fig, axes = plt.subplots(rows, 3, figsize=(14, 4.2 * rows), squeeze=False)
        for ax, group in zip(axes.ravel(), shown):
            _fightin_panel(ax, table[table["group"] == group], group, "the rest", n_labels // 2)
        for ax in axes.ravel()[len(shown):]:
            ax.axis("off")
        more = f" (the first {len(shown)} of {len(groups)} groups; all in the table)" if len(groups) > 6 else ""
        fig.suptitle(f"Fightin' words: each group against the rest{more}")
    else:
        fig, ax = plt.subplots(figsize=(10, 6))
        _fightin_panel(ax, table, label_a or groups[0], label_b, n_labels)
        ax.set_title("Fightin' words (informative Dirichlet prior)")
    fig.tight_layout()
    return fig


def _fightin_panel(ax, table: pd.DataFrame, label_a: str, label_b: str, n_labels: int) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator

    data = table.assign(frequency=table["count_a"] + table["count_b"])
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
    ax.xaxis.set_major_locator(LogLocator(base=10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))  # 1, 10, 100: not mathtext
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.set(xlabel="frequency in both (log scale)", ylabel=f"z: log-odds ratio, {label_a} vs {label_b}", title=label_a)
    ax.legend(frameon=False, loc="best", fontsize=8)
