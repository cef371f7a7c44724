"""Sentiment toward actors compared: per actor and per compared group, with intervals that resample articles,
and a note on how far to trust the measure."""

from __future__ import annotations

import pandas as pd

from opedlens.compare import stats
from opedlens.measure.targeted import METHODS


def toward_actors(mention_scores: pd.DataFrame, draws: int, seed: int) -> pd.DataFrame:
    """Mean targeted score per article and actor with bootstrap intervals; the unit is a
    sentence-actor pair (mentions of one actor in one sentence are averaged first). Mentions addressed by advice
    are left out of the tone and counted in ``addressed``."""
    keys = ["doc_id", "actor", "actor_label"]
    advised = mention_scores["addressed"] if "addressed" in mention_scores else pd.Series(False, mention_scores.index)
    pairs = mention_scores[~advised].rename(columns={"label": "tone"}).groupby(
        keys + ["sent_id"], as_index=False)["score"].mean()
    summary = stats.summarize(pairs, keys, "score", draws, seed)
    counts = mention_scores[advised].groupby(keys)["sent_id"].nunique().rename("addressed").reset_index()
    summary = summary.merge(counts, on=keys, how="left")
    summary["addressed"] = summary["addressed"].fillna(0).astype(int)
    return summary


def toward_groups(mention_scores: pd.DataFrame, plan, draws: int, seed: int) -> pd.DataFrame:
    """Tone toward each actor per compared group. For a group of articles: each article's mean tone toward the
    actor (over its sentences naming it), then the mean over the group's articles with an interval resampling
    articles; for a single article, its sentence-actor pairs. Advice-addressed mentions are left out, as in
    :func:`toward_actors`."""
    from opedlens.compare.groups import cluster_bootstrap

    keys = ["actor", "actor_label"]
    advised = mention_scores["addressed"] if "addressed" in mention_scores else pd.Series(False, mention_scores.index)
    pairs = mention_scores[~advised].groupby(["doc_id", *keys, "sent_id"], as_index=False)["score"].mean()
    pairs["group"] = pairs["doc_id"].map(plan.group_of)
    rows = []
    for (group, actor, label), part in pairs.dropna(subset=["group"]).groupby(["group", *keys], sort=False):
        if plan.single_articles:
            mean, low, high = stats.bootstrap_mean(part["score"], draws, seed)
        else:
            mean, low, high = cluster_bootstrap(part, "score", draws, seed)
        rows.append({"group": group, "actor": actor, "actor_label": label, "articles": int(part["doc_id"].nunique()),
                     "n": int(len(part)), "mean": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=["group", "actor", "actor_label", "articles", "n", "mean", "ci_low", "ci_high"])


VALIDATION_COLUMNS = ["scorer", "gold", "n", "macro_f1", "accuracy", "protocol"]


def validation_table(results: pd.DataFrame) -> pd.DataFrame:
    """The saved validation of sentiment toward a target (NewsMTSC), one row per method, for the summary to quote."""
    saved = results[results["task"] == "targeted"] if not results.empty else results
    if saved.empty:
        return pd.DataFrame(columns=VALIDATION_COLUMNS)
    saved = saved[saved["scorer"].isin(METHODS)].assign(gold=lambda t: t["gold"].astype(str).str.split("/").str[-1])
    return saved.reindex(columns=VALIDATION_COLUMNS).astype({"n": int}).reset_index(drop=True)


def trust_note(results: pd.DataFrame) -> str:
    """Markdown: the targeted method's validated macro-F1 beside the sentence-VADER baseline."""
    saved = validation_table(results)
    if saved.empty:
        return "**No validation results for targeted sentiment found**; run `make validate`."
    scores = saved.set_index("scorer")
    parts = [f"`{name}` macro-F1 {scores.loc[name, 'macro_f1']:.2f} (accuracy {scores.loc[name, 'accuracy']:.2f})"
             for name in METHODS if name in scores.index]
    gold = saved["gold"].iloc[0]
    return (f"Agreement with human labels of sentiment toward a target on `{gold}` ({int(saved['n'].iloc[0]):,} targets, "
            f"three classes; the trained method scored by 5-fold cross-validation grouped by article): "
            + "; ".join(parts) + ". Published state of the art on NewsMTSC's own test set: 0.83.")
