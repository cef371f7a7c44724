"""Notebook style for readers: the figure theme and how tables show (full text, sensible row limits)."""

from __future__ import annotations

import pandas as pd

from opedlens.report import plots


def setup() -> None:
    """Call once at the top of a notebook."""
    plots.set_theme()
    pd.set_option("display.max_colwidth", None)  # sentences and quotes are evidence: show them whole
    pd.set_option("display.max_rows", 80)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 160)
    pd.set_option("display.precision", 3)
