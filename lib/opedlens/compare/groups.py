"""What a report compares, and how: every group, with the article as the unit.

:func:`plan` decides what is compared. With ``group_by`` (a manifest column such as ``outlet``) every group is
compared: an omnibus test across all groups, then every pair of groups with Holm's correction for the number of
pairs. Without it, two articles are compared with each other and more than two article by article (each article its
own group). The pages say which (:func:`plan_note`).

The unit of analysis is the article. Groups of articles are compared through their articles' means: a permutation
test shuffles whole articles between groups (never sentences, which are not independent within an article), and
intervals come from a cluster bootstrap that resamples articles. When the comparison is of two single articles,
there is no sample of articles: the test shuffles their sentences and says that it tests these two texts, not the
outlets or authors behind them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opedlens.compare.stats import CONFIDENCE, bootstrap_mean, permutation_test
from opedlens.errors import InputError

ALPHA = 0.05


@dataclass(frozen=True)
class Plan:
    """What a report compares: named groups of articles, in corpus order, and how (``by``)."""

    groups: dict[str, list[str]]
    by: str = ""  # the manifest column, or "" when articles are compared
    kind: str = "articles"  # "groups", "articles" (2 or more single articles), "one"
    group_of: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.groups)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return list(itertools.combinations(self.names, 2))

    @property
    def single_articles(self) -> bool:
        """Every group is one article: tests are of these texts, sentence by sentence."""
        return all(len(ids) == 1 for ids in self.groups.values())


def check_group_by(articles: pd.DataFrame, group_by: str) -> None:
    """A ``group_by`` column must exist and hold at least two values; the error says what it has."""
    if not group_by:
        return
    if group_by not in articles.columns:
        raise InputError(f"group_by: no column {group_by!r} in the articles table; choose from "
                         f"{', '.join(c for c in articles.columns if articles[c].nunique() > 1)}")
    values = articles[group_by].fillna("(none)").astype(str)
    if values.nunique() < 2:
        raise InputError(f"group_by: column {group_by!r} has one value ({values.iloc[0]!r}) for every article, so "
                         "there are no groups to compare")


def plan(articles: pd.DataFrame, group_by: str = "") -> Plan:
    """Every group of ``group_by`` (in corpus order; a missing value is the group "(none)"), or every article."""
    ids = articles["doc_id"].astype(str).tolist()
    if group_by:
        check_group_by(articles, group_by)
        values = articles[group_by].fillna("(none)").astype(str).tolist()
        groups: dict[str, list[str]] = {}
        for doc_id, value in zip(ids, values):
            groups.setdefault(value, []).append(doc_id)
        return Plan(groups, group_by, "groups", dict(zip(ids, values)))
    return Plan({doc_id: [doc_id] for doc_id in ids}, "", "one" if len(ids) < 2 else "articles",
                {doc_id: doc_id for doc_id in ids})


def plan_note(the_plan: Plan, limit: int = 8) -> str:
    """One sentence saying exactly what the page compares."""
    from opedlens.safe_text import markdown_code

    if the_plan.kind == "one":
        return (f"This corpus has one article ({markdown_code(the_plan.names[0])}), so there is nothing to compare: "
                "the sections below describe it alone.")
    if the_plan.kind == "groups":
        sizes = ", ".join(f"{markdown_code(name)} ({len(ids)} article{'s' if len(ids) > 1 else ''})"
                          for name, ids in list(the_plan.groups.items())[:limit])
        more = f" and {len(the_plan.groups) - limit} more" if len(the_plan.groups) > limit else ""
        return (f"Comparing the {len(the_plan.groups)} groups of {markdown_code(the_plan.by)}: {sizes}{more}. Every "
                "group is compared with every other; the article is the unit of every test and interval.")
    if len(the_plan.groups) == 2:
        a, b = the_plan.names
        return f"Comparing the two articles {markdown_code(a)} and {markdown_code(b)}."
    return (f"Comparing the corpus's {len(the_plan.groups)} articles with each other, article by article "
            "(set `group_by` to compare groups of them, such as outlets).")


def plan_table(the_plan: Plan) -> pd.DataFrame:
    """doc_id -> group, and the column the groups come from: what later notebooks read to know the groups."""
    return pd.DataFrame({"doc_id": list(the_plan.group_of), "group": list(the_plan.group_of.values()),
                         "group_by": the_plan.by, "kind": the_plan.kind})


def plan_from_table(table: pd.DataFrame) -> Plan:
    """The :class:`Plan` that :func:`plan_table` wrote."""
    groups: dict[str, list[str]] = {}
    for doc_id, group in zip(table["doc_id"].astype(str), table["group"].astype(str)):
        groups.setdefault(group, []).append(doc_id)
    by = "" if not len(table) or pd.isna(table["group_by"].iloc[0]) else str(table["group_by"].iloc[0])
    kind = table["kind"].iloc[0] if len(table) else "one"
    return Plan(groups, by, kind, dict(zip(table["doc_id"].astype(str), table["group"].astype(str))))


def shuffled(unit: str) -> str:
    """What a permutation test shuffled, in words, for its ``unit`` ("sentence" or "article")."""
    return ("shuffling the sentences of these two texts" if unit == "sentence" else
            "shuffling whole articles between groups")


def verdict(p: float) -> str:
    """A two-group difference's p-value in words (at the 5% level)."""
    return ("a difference unlikely to be chance" if p < 0.05 else
            "a difference the permutation test cannot tell from chance")


def beyond_chance(p: float, eta_squared: float, unit: str) -> str:
    """An omnibus test in words: "differs beyond chance (p = 0.024, eta squared 0.06, shuffling ...)"."""
    return (f"{'differs' if p < 0.05 else 'does not differ'} beyond chance ({format_p(p)}, eta squared "
            f"{eta_squared:.2f}, {shuffled(unit)})")


def largest_difference(table: pd.DataFrame, digits: int = 2, name=str) -> str:
    """The pair of groups of ``table`` (:func:`compare`'s) that differ most, in words: "the largest difference is A −
    B = -0.03 (95% CI -0.06 to -0.00, Holm-adjusted p = 0.121)"; ``name`` writes a group's name."""
    row = table.assign(size=table["difference"].abs()).sort_values("size", ascending=False).iloc[0]
    return (f"the largest difference is {name(row['group_a'])} − {name(row['group_b'])} = "
            f"{row['difference']:+.{digits}f} (95% CI {row['ci_low']:+.{digits}f} to {row['ci_high']:+.{digits}f}, "
            f"Holm-adjusted {format_p(row['p_holm'])})")


def format_p(p: float) -> str:
    """"p = 0.042", "p < 0.001" (a permutation p-value is never exactly 0), "p = n/a"."""
    if p is None or not np.isfinite(p):
        return "p = n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


# --- statistics with the article as the unit ------------------------------------------------------------------------


def article_means(frame: pd.DataFrame, value: str) -> pd.Series:
    """The mean ``value`` of each article (doc_id -> mean), its unit of comparison."""
    return frame.groupby("doc_id", sort=False)[value].mean()


def cluster_bootstrap(frame: pd.DataFrame, value: str, draws: int, seed: int,
                      confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Mean of the article means and its percentile interval, resampling whole articles."""
    return bootstrap_mean(article_means(frame, value).to_numpy(), draws, seed, confidence)


def _between_groups(values: np.ndarray, labels: np.ndarray) -> float:
    """The F statistic's numerator: variance of the group means around the grand mean, weighted by group size."""
    grand = values.mean()
    return float(sum((labels == g).sum() * (values[labels == g].mean() - grand) ** 2 for g in np.unique(labels)))


def omnibus(means_by_group: dict[str, np.ndarray], permutations: int, seed: int) -> dict:
    """Do the groups' article means differ at all? A permutation test of the between-group sum of squares,
    shuffling articles between groups (a one-way ANOVA without its normality assumption); eta squared as effect."""
    groups = {name: np.asarray(v, dtype=float)[~np.isnan(np.asarray(v, dtype=float))] for name, v in
              means_by_group.items()}
    groups = {name: v for name, v in groups.items() if v.size}
    values = np.concatenate(list(groups.values())) if groups else np.array([])
    labels = np.concatenate([[k] * v.size for k, v in enumerate(groups.values())]) if groups else np.array([])
    if len(groups) < 2 or values.size < 3:
        return {"groups": len(groups), "articles": int(values.size), "statistic": np.nan, "eta_squared": np.nan,
                "p_value": np.nan, "permutations": 0}
    observed = _between_groups(values, labels)
    total = float(((values - values.mean()) ** 2).sum())
    rng = np.random.default_rng(seed)
    extreme = sum(_between_groups(values, rng.permutation(labels)) >= observed - 1e-12 for _ in range(permutations))
    return {"groups": len(groups), "articles": int(values.size), "statistic": observed,
            "eta_squared": observed / total if total else np.nan,
            "p_value": (extreme + 1) / (permutations + 1), "permutations": permutations}


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values (controls the family-wise error rate)."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    adjusted = np.empty_like(p)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[index]))
        adjusted[index] = running
    return adjusted


def hedges_g(a: np.ndarray, b: np.ndarray) -> float:
    """Standardised difference of two samples' means (pooled SD, small-sample corrected)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.size < 2 or b.size < 2:
        return np.nan
    pooled = np.sqrt(((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / (a.size + b.size - 2))
    if pooled == 0:
        return np.nan
    return float((a.mean() - b.mean()) / pooled * (1 - 3 / (4 * (a.size + b.size) - 9)))


def difference_interval(a: np.ndarray, b: np.ndarray, draws: int, seed: int,
                        confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Percentile interval of mean(a) - mean(b), resampling each sample's units (articles) with replacement."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.size < 2 or b.size < 2 or draws < 1:
        return (np.nan, np.nan)
    rng = np.random.default_rng(seed)
    diffs = (a[rng.integers(0, a.size, (draws, a.size))].mean(1) - b[rng.integers(0, b.size, (draws, b.size))].mean(1))
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return float(low), float(high)


def compare(frame: pd.DataFrame, value: str, the_plan: Plan, permutations: int, draws: int, seed: int
            ) -> tuple[dict, pd.DataFrame]:
    """(omnibus test, one row per pair of groups) for ``value`` in a tidy table with doc_id.

    Groups of articles: article means, permutation of article labels, Holm-adjusted p, Hedges' g and a bootstrap
    interval over articles (``unit`` = "article"). Single articles: their sentences are the samples (``unit`` =
    "sentence", a test of these texts)."""
    frame = frame.dropna(subset=[value])
    single = the_plan.single_articles
    samples = {}
    for name, ids in the_plan.groups.items():
        part = frame[frame["doc_id"].isin(ids)]
        samples[name] = part[value].to_numpy(float) if single else article_means(part, value).to_numpy(float)
    test = omnibus(samples, permutations, seed) if len(samples) > 2 else {}
    rows = []
    for a, b in the_plan.pairs:
        result = permutation_test(samples[a], samples[b], permutations, seed)
        low, high = difference_interval(samples[a], samples[b], draws, seed)
        rows.append({"group_a": a, "group_b": b, "unit": "sentence" if single else "article", **result,
                     "ci_low": low, "ci_high": high, "hedges_g": hedges_g(samples[a], samples[b])})
    table = pd.DataFrame(rows, columns=["group_a", "group_b", "unit", "n_a", "n_b", "difference", "ci_low", "ci_high",
                                        "hedges_g", "p_value", "permutations"])
    table["p_holm"] = holm(table["p_value"]) if len(table) else []
    return test, table
