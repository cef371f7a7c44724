"""opedlens: compare op-eds with reproducible, validated notebook reports.

The package follows the flow of a report, one subpackage a stage:

- :mod:`opedlens.corpus`: raw files -> cleaned articles -> paragraphs and sentences with ids (notebook 01);
- :mod:`opedlens.measure`: every per-sentence measure (sentiment, actors, arguments, embeddings), and
  ``opedlens measure`` that writes them all as Parquet tables, on one machine or a Dask cluster;
- :mod:`opedlens.compare`: articles and groups set against each other (tone, topics, keyness, alignment, the
  contrast of why / how / outlook; notebooks 02-04);
- :mod:`opedlens.validate`: the measures scored against human gold data, and how the shipped models are trained;
- :mod:`opedlens.report`: the notebooks run with papermill, their figures and tables, the findings, the HTML.

A module imports only from its own stage, earlier stages, and the shared helpers here (``errors``, ``paths``,
``files``, ``inputs``, ``interrupt``, ``safe_text``, ``cache``, ``cluster``); ``tests/test_layout.py`` holds it to that.

For notebook users, the short public API::

    import opedlens

    corpus = opedlens.load_corpus("seeds")               # .articles, .paragraphs, .sentences: ids on every row
    opedlens.measure_corpus("seeds", "measured")         # every per-sentence measure, as Parquet tables
    scores = opedlens.read_table("measured", "sentence-scores")
    plan = opedlens.plan_groups(opedlens.read_table("measured", "articles"), group_by="")  # or a column: "outlet"
    omnibus, pairs = opedlens.compare_groups(scores, "accurate", plan, permutations=9999, draws=2000, seed=0)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: The public API: name -> (module, attribute). Imported on first use, so ``import opedlens`` stays fast.
_PUBLIC = {
    "load_corpus": ("opedlens.corpus.load", "load_corpus"),
    "iter_articles": ("opedlens.corpus.load", "iter_articles"),
    "measure_corpus": ("opedlens.measure.dataset", "measure_corpus"),
    "read_table": ("opedlens.measure.dataset", "read_table"),
    "plan_groups": ("opedlens.compare.groups", "plan"),
    "compare_groups": ("opedlens.compare.groups", "compare"),
    "InputError": ("opedlens.errors", "InputError"),
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    if name in _PUBLIC:
        module, attribute = _PUBLIC[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'opedlens' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
