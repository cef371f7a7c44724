"""Sentence tone compared: means per article, paragraph and group with intervals, tests between groups, arcs,
extremes, agreement between scorers, and plain-words notes on how far to trust them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from opedlens.compare import stats
from opedlens.measure import scorers
from opedlens.measure.sentiment import ID_COLUMNS
from opedlens.safe_text import markdown_code, markdown_text


def long_scores(scores: pd.DataFrame, names) -> pd.DataFrame:
    """Measured sentence scores in long form (doc_id, para_id, sent_id, position, scorer, score), unscored rows
    dropped: what the comparisons below take."""
    melted = scores.melt(id_vars=[*ID_COLUMNS, "position"], value_vars=list(names), var_name="scorer",
                         value_name="score")
    melted["scorer"] = pd.Categorical(melted["scorer"], categories=list(names), ordered=True)
    return melted.dropna(subset=["score"]).reset_index(drop=True)


def aggregate(long: pd.DataFrame, level: str, draws: int, seed: int) -> pd.DataFrame:
    """Mean score per article (level="doc_id") or paragraph ("para_id") and scorer, with 95% bootstrap intervals."""
    by = ["doc_id", "scorer"] if level == "doc_id" else ["doc_id", "para_id", "scorer"]
    return stats.summarize(long, by, "score", draws, seed)


def group_tone(long: pd.DataFrame, plan, draws: int, seed: int) -> pd.DataFrame:
    """Per scorer and compared group: its articles, sentences and mean tone with a 95% interval. For a group of
    articles the mean is of its articles' means and the interval resamples articles; for a single article, its
    sentences."""
    from opedlens.compare.groups import cluster_bootstrap

    rows = []
    for name, frame in long.groupby("scorer", sort=True, observed=True):
        for group, ids in plan.groups.items():
            part = frame[frame["doc_id"].isin(ids)]
            if plan.single_articles:
                mean, low, high = stats.bootstrap_mean(part["score"], draws, seed)
            else:
                mean, low, high = cluster_bootstrap(part, "score", draws, seed)
            rows.append({"scorer": name, "group": group, "articles": int(part["doc_id"].nunique()),
                         "sentences": int(len(part)), "mean": mean, "ci_low": low, "ci_high": high,
                         "unit": "sentence" if plan.single_articles else "article"})
    return pd.DataFrame(rows, columns=["scorer", "group", "articles", "sentences", "mean", "ci_low", "ci_high", "unit"])


def compare_groups(long: pd.DataFrame, plan, permutations: int, draws: int, seed: int
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(omnibus test per scorer, every pair of groups per scorer) of mean tone: see :func:`opedlens.compare.groups.compare`."""
    from opedlens.compare.groups import compare as compare_plan

    tests, pairs = [], []
    for name, frame in long.groupby("scorer", sort=True, observed=True):
        omnibus, table = compare_plan(frame, "score", plan, permutations, draws, seed)
        if omnibus:
            tests.append({"scorer": name, **omnibus})
        pairs.append(table.assign(scorer=name))
    omnibus_columns = ["scorer", "groups", "articles", "statistic", "eta_squared", "p_value", "permutations"]
    pairs_table = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame()
    if not pairs_table.empty:
        pairs_table = pairs_table[["scorer"] + [c for c in pairs_table.columns if c != "scorer"]]
    return pd.DataFrame(tests, columns=omnibus_columns), pairs_table


def compare(long: pd.DataFrame, group_a: list[str], group_b: list[str], permutations: int, seed: int) -> pd.DataFrame:
    """Permutation test, per scorer, of the difference in mean sentence score between two groups of articles."""
    rows = []
    if not group_a or not group_b:
        return pd.DataFrame(columns=["scorer", "group_a", "group_b", "n_a", "n_b", "difference", "p_value", "permutations"])
    for name, frame in long.groupby("scorer", sort=True, observed=True):
        a = frame.loc[frame["doc_id"].isin(group_a), "score"]
        b = frame.loc[frame["doc_id"].isin(group_b), "score"]
        rows.append({"scorer": name, "group_a": " + ".join(group_a), "group_b": " + ".join(group_b),
                     **stats.permutation_test(a, b, permutations, seed)})
    return pd.DataFrame(rows)


def arcs(long: pd.DataFrame, window: int) -> pd.DataFrame:
    """Raw score and its centred moving average through each article, per scorer."""
    frame = long.sort_values(["scorer", "doc_id", "position"]).copy()
    frame["smoothed"] = frame.groupby(["scorer", "doc_id"], observed=True)["score"].transform(
        lambda s: stats.rolling_arc(s, window))
    return frame.reset_index(drop=True)


def extremes(scores: pd.DataFrame, sentences: pd.DataFrame, scorer: str, n: int) -> pd.DataFrame:
    """The n most negative and n most positive sentences by ``scorer``, with ids and text."""
    frame = scores[[*ID_COLUMNS, scorer]].dropna().merge(sentences[["sent_id", "text"]], on="sent_id")
    low = frame.nsmallest(n, scorer, keep="first").assign(end="most negative")
    high = frame.nlargest(n, scorer, keep="first").assign(end="most positive")
    return pd.concat([high, low], ignore_index=True)[["end", *ID_COLUMNS, scorer, "text"]]


def agreement(scores: pd.DataFrame, names) -> pd.DataFrame:
    """Pearson correlation between every pair of scorers over the sentences all of them scored."""
    return scores[list(names)].dropna().corr(method="pearson").round(3)


PROTOCOL_SHORT = {
    "shipped model, gold data unseen in training": "as shipped (unseen data)",
    "refitted in 5 folds grouped by document (the gold data overlaps the training data)":
        "5-fold CV, articles held out",
}


def rank_scorers(names, results: pd.DataFrame) -> list[str]:
    """Scorers ordered by their mean Pearson r on the saved sentiment validations (unvalidated last)."""
    names = scorers.check_names(names)
    if results.empty:
        return names
    valence = results[results["task"] == "sentiment"].groupby("scorer")["pearson_r"].mean()
    return sorted(names, key=lambda n: (-valence.get(n, -np.inf), names.index(n)))


def validation_panel(results: pd.DataFrame, names) -> pd.DataFrame:
    """The saved sentence-level validation results of the chosen scorers, best first."""
    if results.empty:
        return results
    frame = results[(results["task"] == "sentiment") & results["scorer"].isin(list(names))]
    order = {n: i for i, n in enumerate(rank_scorers(names, results))}
    frame = frame.assign(rank=frame["scorer"].map(order), gold_set=frame["gold"].str.split("/").str[-2],
                         n=frame["n"].astype(int),  # a count (the saved results of other tasks leave it float)
                         scored_as=frame["protocol"].map(PROTOCOL_SHORT).fillna(frame["protocol"]))
    frame = frame.sort_values(["rank", "gold"])
    return frame[["scorer", "gold_set", "n", "pearson_r", "spearman_rho", "macro_f1", "scored_as", "gold"]].reset_index(drop=True)


def trust_note(results: pd.DataFrame, names) -> str:
    """One paragraph (Markdown) saying which scorer leads the report and how well each agrees with people."""
    panel = validation_panel(results, names)
    if panel.empty:
        return ("**No validation results found**, so the scorers are shown in the order given. "
                "Run `make validate` to score them against human ratings.")
    best = rank_scorers(names, results)[0]
    parts = []
    for gold_set, rows in panel.groupby("gold_set", sort=False):
        scores = ", ".join(f"{markdown_code(row.scorer)} {row.pearson_r:.2f}" for row in rows.itertuples())
        parts.append(f"{scores} ({markdown_code(gold_set)}, {rows['n'].iloc[0]:,} sentences)")
    return (f"The report leads with **{markdown_code(best)}**, the scorer whose scores agree best with human ratings. "
            "Pearson r with the mean human rating: " + "; ".join(parts) + ".")


#: How many flagged sentences :func:`flag_note` lists one by one; the rest are counted (all are in the table).
FLAGGED_LISTED = 20


def flag_note(scores: pd.DataFrame, listed: int = FLAGGED_LISTED) -> str:
    """Markdown: how many sentences were left unscored or scored with a caveat, for each reason, and the first
    ``listed`` of them (a corpus of thousands of articles flags hundreds: every one is in the table's ``flag``)."""
    flagged = scores[scores["flag"] != ""]
    if flagged.empty:
        return f"All {len(scores):,} sentences were scored; none was flagged."
    reasons = "; ".join(f"{count:,} {markdown_text(reason)}" for reason, count in flagged["flag"].value_counts().items())
    items = "\n".join(f"- {markdown_code(row.sent_id)} ({row.n_chars:,} character{'s' * (row.n_chars != 1)}, language "
                      f"{markdown_code(row.language or '?')}): {markdown_text(row.flag)}"
                      for row in flagged.head(listed).itertuples())
    rest = (f"\n\n... and {len(flagged) - listed:,} more: every flagged sentence is in the sentence scores table "
            "(column `flag`)" if len(flagged) > listed else "")
    return f"{len(flagged):,} of {len(scores):,} sentences are flagged ({reasons}):\n\n{items}{rest}"


def groups_note(omnibus: pd.DataFrame, pairs: pd.DataFrame, scorer: str, plan, alpha: float = 0.05) -> str:
    """Plain words for the comparison of the groups' tone by one scorer: the omnibus test, then the pairs that
    differ after Holm's correction, with the unit of the test."""
    from opedlens.compare.groups import format_p

    if pairs.empty:
        return "Only one article (or group): there is no difference to test."
    mine = pairs[pairs["scorer"] == scorer]
    unit = ("sentences of these two texts (a test of these texts, not of the outlets or authors behind them)"
            if plan.single_articles else "whole articles between groups (the article is the unit)")
    parts = []
    test = omnibus[omnibus["scorer"] == scorer]
    if not test.empty:
        t = test.iloc[0]
        parts.append(f"Across all {int(t['groups'])} groups ({int(t['articles'])} units), mean tone by "
                     f"{markdown_code(scorer)} {'differs' if t['p_value'] < alpha else 'does **not** differ beyond chance'} "
                     f"(permutation test of the between-group variance, {format_p(t['p_value'])}; eta squared "
                     f"{t['eta_squared']:.2f}).")
    differ = mine[mine["p_holm"] < alpha].assign(size=lambda t: t["difference"].abs()).sort_values("size",
                                                                                                   ascending=False)
    shown = differ.head(5)
    if len(mine) == 1:
        row = mine.iloc[0]
        parts.append(f"By {markdown_code(scorer)}, {markdown_text(row['group_a'])} minus {markdown_text(row['group_b'])} "
                     f"is {row['difference']:+.3f} (95% CI {row['ci_low']:+.3f} to {row['ci_high']:+.3f}; "
                     f"{format_p(row['p_value'])}, shuffling {unit}), "
                     f"{'distinguishable from noise' if row['p_value'] < alpha else '**not distinguishable from noise** at this sample size'}.")
    elif shown.empty:
        parts.append(f"No pair of groups differs after Holm's correction for {len(mine)} pairs (shuffling {unit}).")
    else:
        listed = "; ".join(f"{markdown_text(r.group_a)} − {markdown_text(r.group_b)} = {r.difference:+.3f} "
                           f"(95% CI {r.ci_low:+.3f} to {r.ci_high:+.3f}, Holm-adjusted {format_p(r.p_holm)})"
                           for r in shown.itertuples())
        parts.append(f"{len(differ)} of {len(mine)} pairs differ after Holm's correction (shuffling {unit}): {listed}.")
    return " ".join(parts)


def difference_note(comparison: pd.DataFrame, scorer: str, alpha: float = 0.05) -> str:
    """Plain words for the permutation test of one scorer."""
    if comparison.empty:
        return "Only one article (or group): there is no difference to test."
    row = comparison[comparison["scorer"] == scorer].iloc[0]
    verdict = ("distinguishable from noise" if row["p_value"] < alpha
               else "**not distinguishable from noise** at this sample size")
    return (f"By {markdown_code(scorer)}, the mean sentence score of {markdown_text(row['group_a'])} minus that of "
            f"{markdown_text(row['group_b'])} is "
            f"{row['difference']:+.3f} (permutation test, {row['permutations']:,} shuffles: p = {row['p_value']:.3f}), "
            f"{verdict}.")
