"""The reasons a side gives for what it wants done ("why", :func:`opedlens.compare.contrast.reasons`) scored against
sentences of the Webis-Editorials-16 DEV editorials that the developers labelled in their articles
(``data/reason-editorials.csv``, ``data/README-reasons.md``).

The labelled sentences are those within :data:`~opedlens.compare.contrast.REASON_REACH` sentences of one of the
author's own recommendations (as the rules find them), the only place the rules look: every one of them is labelled,
so precision and recall are both measured there. A reason further away is outside what this scores. The editorials
are measured here as ``opedlens measure`` measures any corpus (in a scratch folder outside the project: their text
is research-only), and the rules run on each editorial as its own side.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from opedlens.compare import contrast
from opedlens.errors import InputError
from opedlens.paths import DATA_DIR
from opedlens.validate import agreement, gold
from opedlens.validate.results import gold_record, new_result
from opedlens.validate.sentence_measures import flag_metrics

REASON_GOLD = DATA_DIR / "reason-editorials.csv"
#: Round 1 read again, blind, in a later session (data/README-reasons.md): how consistently the labels are given.
SECOND_READING = DATA_DIR / "reason-editorials-second-reading.csv"
#: What each labelling round has been used for; a round whose text says "never used" is a fair measure.
ROUNDS = {1: "labelled before any rule saw it; never used to change a rule"}
FAIR_ROUND = "never used to change a rule"
RULES, QUOTED_RULES, EVERY = "rules", contrast.REASONS_QUOTED, contrast.REASONS_EVERY  # the report reads the last two
AFTER = "every sentence just after a recommendation"  # a baseline, as EVERY is


def measured_editorials(editorials: str | Path, doc_ids: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The sentences, argument units and recommendations of these Webis editorials (None: all of them), measured now
    in a scratch folder (the shipped gazetteer, the default scorers)."""
    from opedlens.measure import dataset
    from opedlens.measure.measured import open_measured, settings_for

    with tempfile.TemporaryDirectory(prefix="opedlens-editorials-") as scratch:
        corpus = Path(scratch) / "corpus"
        gold.write_webis_corpus(editorials, corpus)
        folder = Path(scratch) / "measured"
        wanted = list(doc_ids) if doc_ids else None
        dataset.measure_corpus(corpus, folder, settings_for(), corpus_options={"doc_ids": wanted})
        measured = open_measured(folder, wanted)
        return {"sentences": measured.sentences, "units": measured.table("argument-units"),
                "recommendations": measured.table("recommendations")}


def within_reach(units: pd.DataFrame, recs: pd.DataFrame) -> pd.DataFrame:
    """The sentences the rules may take as reasons: within ``REASON_REACH`` of an own recommendation of their
    article, not one themselves: doc_id, sent_id, text, near (the recommendations' sent_ids, "; ")."""
    own = set(contrast.own_recommendations(recs)["sent_id"])
    frame = units.reset_index(drop=True)
    near: dict[int, list[str]] = {}
    for k in frame.index[frame["sent_id"].isin(own)]:
        for j in range(k - contrast.REASON_REACH, k + contrast.REASON_REACH + 1):
            if (0 <= j < len(frame) and frame.loc[j, "doc_id"] == frame.loc[k, "doc_id"]
                    and frame.loc[j, "sent_id"] not in own):
                near.setdefault(j, []).append(frame.loc[k, "sent_id"])
    rows = sorted(near)
    return frame.loc[rows, ["doc_id", "sent_id", "text"]].assign(
        near=["; ".join(near[j]) for j in rows]).reset_index(drop=True)


def found_reasons(units: pd.DataFrame, recs: pd.DataFrame, top: int | None = None) -> set[str]:
    """The sentences the rules give as reasons, each article its own side (``top``: only the ones a report quotes)."""
    sides = {doc_id: doc_id for doc_id in units["doc_id"].unique()}
    table = contrast.reasons(units, recs, sides, top=top if top is not None else len(units) + 1)
    return set(table["sent_id"])


def reason_metrics(frame: pd.DataFrame) -> dict:
    """:func:`~opedlens.validate.sentence_measures.flag_metrics` of ``found`` against ``reason``, and in how many
    articles."""
    return {**flag_metrics(frame, "reason", "reasons"), "articles": int(frame["doc_id"].nunique())}


def validate_reasons(editorials: str | Path, gold_path: str | Path | None = None) -> dict:
    """The rules against the labelled sentences of the editorials (``editorials``: the Webis DEV folder): every
    sentence within reach, the three a report quotes per article, each round, and two plain baselines: every sentence
    within reach, and every sentence just after a recommendation. An error if a sentence within reach is unlabelled."""
    started = time.perf_counter()
    path = Path(gold_path or REASON_GOLD)
    labelled = gold.read_reason_editorials(path)
    measured = measured_editorials(editorials, sorted(labelled["doc_id"].unique()))
    labelled = gold.in_context(labelled, measured["sentences"], editorials)
    units, recs = measured["units"], measured["recommendations"]
    reach = within_reach(units, recs)
    unlabelled = reach[~reach["sent_id"].isin(set(labelled["sent_id"]))]
    if len(unlabelled):
        raise InputError(f"{len(unlabelled)} sentence(s) near a recommendation are not labelled (the rules or the "
                         f"segmentation changed since labelling), e.g. {unlabelled['sent_id'].iloc[0]}", path)
    frame = labelled.merge(reach[["sent_id", "near"]], on="sent_id", how="left")
    frame["in_reach"] = frame["near"].notna()
    scored = frame[frame["in_reach"]]
    every, quoted = found_reasons(units, recs), found_reasons(units, recs, top=contrast.REASONS_SHOWN)
    after = _following(units, recs)
    result = new_result("reasons", path, len(scored), editorials=str(editorials),
                        out_of_reach=int((~frame["in_reach"]).sum()))
    fair = [n for n, protocol in ROUNDS.items() if FAIR_ROUND in protocol]
    protocols = {RULES: f"the sentences within {contrast.REASON_REACH} of an own recommendation, every one labelled",
                 QUOTED_RULES: "only the sentences the report quotes (at most three per article): precision",
                 EVERY: "baseline: every sentence within reach taken as a reason (precision = the share that are)",
                 AFTER: "baseline: every sentence just after an own recommendation"}
    for name, found, part in ((RULES, every, scored), (QUOTED_RULES, quoted, scored[scored["sent_id"].isin(quoted)]),
                              (EVERY, set(scored["sent_id"]), scored), (AFTER, after, scored)):
        part = part.assign(found=part["sent_id"].isin(found))
        protocol = protocols[name]
        result["scorers"][name] = {**reason_metrics(part), "protocol": protocol,
                                   "unseen_by_rules": bool(part["round"].isin(fair).all())}
        if name == QUOTED_RULES:  # recall is not what this row measures
            result["scorers"][name].update(recall=None, f1=None)
    for number, part in scored.groupby("round"):
        part = part.assign(found=part["sent_id"].isin(every))
        protocol = ROUNDS.get(int(number), "labelled by the developers")
        result["scorers"][f"{RULES}, round {number}"] = {**reason_metrics(part), "protocol": protocol,
                                                         "unseen_by_rules": FAIR_ROUND in protocol}
    if path.resolve() == REASON_GOLD.resolve():  # the shipped labels: the second reading is of them
        _second_reading(result, labelled, scored, quoted, measured["sentences"], editorials)
    result["scorers"][RULES]["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _second_reading(result: dict, labelled: pd.DataFrame, scored: pd.DataFrame, quoted: set[str],
                    sentences: pd.DataFrame, editorials: str | Path) -> None:
    """The second reading's agreement with the first (``result["agreement"]``, resampling whole editorials: they were
    drawn), and on it the precision of what the report quotes against the share of reasons within reach."""
    second = gold.in_context(gold.read_reason_editorials(SECOND_READING), sentences, editorials)
    result["more_gold"] = [gold_record(SECOND_READING)]
    again = result["agreement"] = agreement.second_reading(labelled, second, "reason", SECOND_READING,
                                                           cluster="doc_id", unit="editorials")
    second = second[second["sent_id"].isin(set(scored["sent_id"]))]
    for name, part in ((QUOTED_RULES, second[second["sent_id"].isin(quoted)]), (EVERY, second)):
        result["scorers"][f"{name}, {again['labels']} second reading"] = {
            **reason_metrics(part.assign(found=True)), "recall": None, "f1": None, "unseen_by_rules": True,
            "protocol": f"as {name!r}, on {again['labels']} labelled again: {again['protocol']}"}


def _following(units: pd.DataFrame, recs: pd.DataFrame) -> set[str]:
    """The sentence just after each own recommendation, in its article."""
    own = set(contrast.own_recommendations(recs)["sent_id"])
    frame = units.reset_index(drop=True)
    after = frame["sent_id"].shift(-1)
    same = frame["doc_id"] == frame["doc_id"].shift(-1)
    return set(after[frame["sent_id"].isin(own) & same]) - own
