"""One look for every figure: the seaborn theme, a stable colour per article, and the figures notebooks share."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from opedlens.safe_text import FIGURE_RC

PALETTE = "colorblind"


def set_theme() -> None:
    """Apply the report's seaborn theme; SVG ids are salted and fonts chosen the same way on every machine, so the
    same figure gives the same file."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    mpl.rcParams.update({"svg.hashsalt": "opedlens", "figure.dpi": 96, "savefig.dpi": 144, "figure.autolayout": False})
    mpl.rcParams.update(FIGURE_RC)  # labels hold article text: draw "$" as a dollar sign, never as mathtext
    _prefer_bundled_fonts()


def _prefer_bundled_fonts() -> None:
    """Put matplotlib's own fonts first in its font list. Of equally good fonts it takes the first listed, and the
    list's order is whatever order the machine's font cache was built in: where the system also has DejaVu Sans
    (Debian's fonts-dejavu), one machine drew the figures with matplotlib's copy and another with the system's, and
    the SVGs differed (the same glyphs under other ids). Fonts of matplotlib's missing from the list are added first:
    the cache is shared by every environment of the user with this matplotlib version, and one built while another
    environment's copy was being removed held none of them."""
    from pathlib import Path

    from matplotlib import font_manager

    bundled = Path(mpl.get_data_path())
    listed = {Path(font.fname) for font in font_manager.fontManager.ttflist}
    for path in sorted((bundled / "fonts" / "ttf").glob("*.ttf")):
        if path not in listed:
            font_manager.fontManager.addfont(str(path))
    font_manager.fontManager.ttflist.sort(key=lambda font: (bundled not in Path(font.fname).parents, font.fname))
    font_manager.FontManager._findfont_cached.cache_clear()  # forget choices made from the old order


def article_colors(doc_ids: list[str]) -> dict[str, tuple]:
    """A fixed colour for each article, in corpus order, used by every figure."""
    return dict(zip(doc_ids, sns.color_palette(PALETTE, n_colors=max(len(doc_ids), 1))))


def sentence_lengths(sentences: pd.DataFrame, doc_ids: list[str]):
    """Distribution of sentence length (words) per article: a box plot with every sentence as a point."""
    colors = article_colors(doc_ids)
    height = 1.2 + 1.0 * len(doc_ids)
    fig, ax = plt.subplots(figsize=(8, height))
    data = sentences[sentences["doc_id"].isin(doc_ids)]
    sns.boxplot(data=data, x="n_words", y="doc_id", order=doc_ids, hue="doc_id", palette=colors,
                showfliers=False, width=0.5, ax=ax, legend=False)
    jitter = np.random.default_rng(0)  # seaborn's stripplot jitters with the global RNG: not reproducible
    for row, doc_id in enumerate(doc_ids):
        lengths = data.loc[data["doc_id"] == doc_id, "n_words"]
        ax.scatter(lengths, row + jitter.uniform(-0.12, 0.12, len(lengths)), color="0.2", s=9, alpha=0.6, zorder=3)
    ax.set(xlabel="words per sentence", ylabel="", title="Sentence length")
    fig.tight_layout()
    return fig


def article_shape(paragraphs: pd.DataFrame, doc_ids: list[str]):
    """Paragraph length (words) through each article, headings marked, so the articles' structure is visible."""
    colors = article_colors(doc_ids)
    fig, axes = plt.subplots(len(doc_ids), 1, figsize=(8, 1.2 + 2.0 * len(doc_ids)), sharex=False, squeeze=False)
    for ax, doc_id in zip(axes[:, 0], doc_ids):
        doc = paragraphs[paragraphs["doc_id"] == doc_id]
        body = doc[doc["kind"] == "body"]
        ax.bar(body["para_index"], body["n_words"], color=colors[doc_id], width=0.8)
        for _, heading in doc[doc["kind"] == "heading"].iterrows():
            ax.axvline(heading["para_index"], color="0.3", linestyle="--", linewidth=1)
            ax.text(heading["para_index"] + 0.3, ax.get_ylim()[1] * 0.97, heading["text"].strip(), fontsize=8,
                    rotation=90, va="top", ha="left", color="0.2")
        ax.set(ylabel="words", title=doc_id)
    axes[-1, 0].set_xlabel("paragraph number (dashed lines: subheads)")
    fig.tight_layout()
    return fig
