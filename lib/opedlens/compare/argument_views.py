"""The argument units compared and shown: claims side by side or by group, argument maps, evidence profiles,
and how far to trust the evidence and matching measures."""

from __future__ import annotations

import pandas as pd

from opedlens.compare import stats
from opedlens.measure.arguments import CLAIM_ROLES, EVIDENCE_TYPES
from opedlens.safe_text import markdown_text


def claims_by_side(units: pd.DataFrame, side_a: list[str], side_b: list[str], label_a: str,
                   label_b: str) -> pd.DataFrame:
    """The claims and recommendations of the two sides' articles, with a ``side`` column, for alignment."""
    side = {**{d: label_a for d in side_a}, **{d: label_b for d in side_b}}
    claims = units[units["role"].isin(CLAIM_ROLES) & units["doc_id"].isin(side)].copy()
    claims["side"] = claims["doc_id"].map(side)
    return claims.reset_index(drop=True)


def claims_by_group(units: pd.DataFrame, plan) -> pd.DataFrame:
    """The claims and recommendations of every compared group's articles, with a ``side`` column (the group)."""
    claims = units[units["role"].isin(CLAIM_ROLES) & units["doc_id"].isin(plan.group_of)].copy()
    claims["side"] = claims["doc_id"].map(plan.group_of)
    return claims.reset_index(drop=True)


ROLE_MARK = {"main claim": "■ MAIN CLAIM", "claim": "● claim", "recommendation": "➜ recommendation",
             "premise": "   ↳ premise", "counter-argument": "   ✗ counter-argument",
             "concession": "   ~ concession", "background": "   · background"}


def units_view(units: pd.DataFrame) -> pd.DataFrame:
    """The argument-units table without its text (the outline below shows it): why each role, which markers."""
    columns = ["role", "role_reason", "evidence", "evidence_p", "speaker", "indicator", "hedges", "boosters", "modal"]
    return units.set_index("sent_id")[columns]


def argument_map(units: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    """One article's units as an outline: the main claim first, then paragraph by paragraph."""
    article = units[units["doc_id"] == doc_id]
    main = article[article["role"] == "main claim"]
    rest = article[article["role"] != "main claim"]
    ordered = pd.concat([main, rest])
    return pd.DataFrame({
        "sent_id": ordered["sent_id"].str.removeprefix(f"{doc_id}."),
        "role": ordered["role"].map(ROLE_MARK),
        "evidence": ordered["evidence"],
        "source": ordered["speaker"],
        "text": ordered["text"],
    }).reset_index(drop=True)


def profile(units: pd.DataFrame, column: str = "evidence", order=EVIDENCE_TYPES) -> pd.DataFrame:
    """Per article: how many of its sentences fall in each evidence type (or role), and the share."""
    counts = pd.crosstab(units["doc_id"], units[column]).reindex(columns=list(order), fill_value=0)
    counts = counts.reindex(list(dict.fromkeys(units["doc_id"])))
    long = counts.stack().rename("sentences").reset_index()
    long["share"] = (long["sentences"] / long.groupby("doc_id")["sentences"].transform("sum")).round(3)
    return long


def _evidence_results(results: pd.DataFrame) -> pd.DataFrame:
    if results.empty or "task" not in results.columns:
        return pd.DataFrame()
    return results[results["task"] == "evidence"]


def evidence_panel(results: pd.DataFrame) -> pd.DataFrame:
    """Evidence-type macro-F1 and per-type F1 of each classifier on Webis-Editorials-16 (saved by
    ``opedlens validate evidence --save``); empty when it has not been run here."""
    rows = []
    for row in _evidence_results(results).itertuples(index=False):
        per_type = getattr(row, "f1", {}) or {}
        rows.append({"classifier": row.scorer, "macro_f1": row.macro_f1,
                     **{label: per_type.get(label) for label in EVIDENCE_TYPES}, "protocol": row.protocol})
    return pd.DataFrame(rows, columns=["classifier", "macro_f1", *EVIDENCE_TYPES, "protocol"]).set_index("classifier")


SOURCE_COLUMNS = ["scorer", "n", "sources", "found", "precision", "recall", "f1", "unseen_by_rules", "protocol"]


def sources_panel(results: pd.DataFrame) -> pd.DataFrame:
    """Whom the source rules find, scored against developer-labelled sentences (saved by ``opedlens validate sources
    --save``): precision and recall over (sentence, speaker), per labelling round and for the rounds no rule was
    changed for; empty when it has not been run here."""
    if results.empty or "task" not in results.columns:
        return pd.DataFrame(columns=SOURCE_COLUMNS).set_index("scorer")
    found = results[results["task"] == "sources"].reindex(columns=SOURCE_COLUMNS)
    return found.astype({"n": "Int64", "sources": "Int64", "found": "Int64"}).set_index("scorer")


def sources_trust(panel: pd.DataFrame) -> str:
    """How far the cited sources can be trusted, in words: the rules' precision and recall on the labelled sentences
    they were never revised for (:func:`sources_panel`), on the op-ed snippets among them too, and on sentences of
    whole articles read in them (where "he said" must be resolved), when that was scored."""
    fresh = panel[panel["unseen_by_rules"].eq(True)] if len(panel) else panel
    if fresh.empty:
        return "sources by stated rules, not validated here (run `make validate`)"
    in_context = fresh[fresh.index.str.contains("in context", na=False)]
    fresh = fresh.drop(in_context.index)
    if fresh.empty:
        return "sources by stated rules, not validated here (run `make validate`)"
    pooled = fresh.sort_values("n", ascending=False, kind="stable").iloc[0]
    op_eds = fresh[fresh.index.str.contains("op-ed", na=False)]
    which = " of news and op-eds" if len(op_eds) else ""
    text = (f"sources by stated rules: on {int(pooled['n'])} labelled sentences{which} they never saw "
            f"({int(pooled['sources'])} sources), {_with_counts(pooled)}")
    if len(op_eds) and op_eds["n"].iloc[0] < pooled["n"]:
        text += f"; op-ed snippets alone ({int(op_eds['n'].iloc[0])}): {_with_counts(op_eds.iloc[0])}"
    articles = in_context[in_context.index.str.endswith("fresh rounds")]
    if len(articles):
        row = articles.iloc[0]
        text += (f"; sentences read in their articles ({int(row['n'])}, {int(row['sources'])} sources): "
                 f"{_with_counts(row)}")
        only = in_context[in_context.index.str.endswith("named only before")]
        if len(only) and int(only["sources"].iloc[0]):
            text += (f", and where only an earlier sentence names the speaker (\"he said\"; "
                     f"{int(only['sources'].iloc[0])} sources): {_with_counts(only.iloc[0])}")
    return text + " (`opedlens validate sources`)"


def _with_counts(row: pd.Series) -> str:
    """ "precision 0.93 (37 of 40), recall 0.86 (37 of 43; 95% CI 0.73 to 0.93)": the counts behind the two ratios
    and the recall's Wilson interval (the figure a small labelled sample leaves most uncertain)."""
    matched = round(row["recall"] * row["sources"])
    low, high = stats.proportion_interval(matched, int(row["sources"]))
    return (f"precision {row['precision']:.2f} ({matched} of {int(row['found'])}), recall {row['recall']:.2f} "
            f"({matched} of {int(row['sources'])}; 95% CI {low:.2f} to {high:.2f})")


def matching_panel(method: str = "minilm") -> pd.DataFrame:
    """Each claim-matching method as `opedlens validate matching --save` scored it: on IBM ArgKP-2021 pairs with
    whole topics held out (ROC AUC, average precision; precision, recall and F1 at its threshold) and on the
    developer-labelled op-ed pairs and editorial candidate pairs (ROC AUC); ``used here`` marks what decides a
    match in this report. Before that
    command has run: each cosine method's threshold and figures on IBM CE-EMNLP-2015, where they were chosen."""
    from opedlens.compare import align

    used = align.report_method(method)
    validation = align.saved_matching()
    saved, op_ed = validation.get("methods", {}), validation.get("seed_pairs", {})
    editorials = align.saved_editorial_check().get("scorers", {})
    if not saved:
        rows = [{"method": name, "used here": "yes" if name == used else "",
                 **{k: figures[k] for k in ("threshold", "precision", "recall", "f1", "protocol")}}
                for name, figures in align.thresholds()["methods"].items()]
        return pd.DataFrame(rows).set_index("method")
    rows = [{"method": name, "used here": "yes" if name == used else "", "ROC AUC": figures["roc_auc"],
             "average precision": figures["average_precision"],
             # the rule's threshold chosen on the other folds, where it was (as the trust note quotes it)
             **{k: figures.get(f"cv_{k}", figures[k]) for k in ("precision", "recall", "f1")},
             "threshold": figures["threshold"], "op-ed pairs ROC AUC": op_ed.get(name, {}).get("roc_auc"),
             "editorial candidates ROC AUC": editorials.get(name.removesuffix("_best"), {}).get("roc_auc"),
             "protocol": figures["protocol"]}
            for name, figures in saved.items()]
    return pd.DataFrame(rows).set_index("method").round(3)


def trust_note(results: pd.DataFrame, method: str = "minilm") -> str:
    """Plain words on how far the evidence types and the claim matches can be trusted, with their scores."""
    from opedlens.compare import align

    shipped = _evidence_results(results)
    shipped = shipped[shipped["scorer"] == "shipped"]
    if shipped.empty:
        evidence_part = ("The evidence classifier has not been scored on this machine: run `make validate` "
                         "(it needs the Webis-Editorials-16 editorials in `../shared/data`).")
    else:
        row = shipped.iloc[0]
        per_type = row["f1"] if isinstance(row["f1"], dict) else {}
        best = sorted(per_type.items(), key=lambda kv: -kv[1])
        evidence_part = (f"**Evidence types** agree with the Webis-Editorials-16 annotators at macro-F1 "
                         f"**{row['macro_f1']:.2f}** over {int(row['n']):,} units (chance-level majority guess 0.14; "
                         f"annotators among themselves: Fleiss κ 0.56). It does best on "
                         f"{', '.join(f'{k} ({v:.2f})' for k, v in best[:2])} and worst on "
                         f"{', '.join(f'{k} ({v:.2f})' for k, v in best[-2:])}; read the type beside the sentence.")
    figures = align.trust_figures(method)
    op_ed = align.op_ed_check_text(method)
    if not figures:
        matching_part = "**Claim matching** has not been validated here: read each matched pair as a candidate."
    else:
        matching_part = (f"**Claim matching** ({markdown_text(align.report_method(method))}): precision "
                         f"**{figures['precision']:.2f}**, recall **{figures['recall']:.2f}**, ROC AUC "
                         f"{figures['roc_auc']:.2f} on {figures['where']}; "
                         + (f"{op_ed}. " if op_ed else "it has not been checked on op-ed prose. ")
                         + ("Matched pairs are shown as shared points." if align.matching_validated(method) else
                            "It is validated on debate arguments, not on op-ed sentences, so the matched pairs below "
                            "are candidates to read, not shared points the report asserts."))
    return evidence_part + "\n\n" + matching_part + ("\n\nRoles come from stated rules with no human gold "
                                                      "standard; recommendations and sources come from stated rules "
                                                      "scored against sentences the developers labelled (their "
                                                      "figures stand beside them below). Each row shows its sentence "
                                                      "and the rule that fired.")
