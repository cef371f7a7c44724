"""The comparison a reader wants first: what each side wants done and by whom, why, how hopeful it is, and where the
two meet, each answer with the sentences that show it and how far it can be trusted.

* **Who should act, and how** (:func:`who_acts`, :func:`recommendations_compared`): each side's own recommendations
  (reported proposals left out), by actor and strength, and matched across sides where they propose the same thing,
  by the validated matcher of :mod:`opedlens.compare.align`.
* **Why** (:func:`reasons`): the reasons each side gives for its recommendations: the author's claims and premises
  that a recommendation draws on ("..., the levers of pressure against North Korea diminish. The U.S. **therefore**
  needs to ..."), that follow it, or that give a cause ("because", "as a result", "so that") next to it, ranked by
  how close they are in meaning to the recommendations. Found by stated rules, scored against sentences of real
  editorials labelled by the developers (``opedlens validate reasons``; the trust note quotes the figure).
* **How hopeful** (:func:`outlook`): the author's sentences about what lies ahead (``looks_ahead`` of the measured
  stance markers, :mod:`opedlens.measure.outlook`), their mean sentiment by the best-validated scorer with a
  bootstrap interval, the share that hedge, and the most hopeful and most pessimistic of them;
  :func:`outlook_difference` tests whether the sides differ (articles as the unit when they are groups). The
  sentiment is validated against human ratings of op-ed sentences, which sentences look ahead against sentences
  labelled by the developers (``opedlens validate outlook``).

:func:`contrast_table` puts the answers side by side, one row per question and side, with evidence ids and a trust
note; the findings page leads with it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from opedlens.corpus.describe import plain_text
from opedlens.measure import recommendations as recs_module
from opedlens.measure.scorers import NEUTRAL_BAND
from opedlens.measure.stance import unquoted

# A reason given in so many words, or a recommendation drawn from what came before.
CAUSE = re.compile(r"\b(?:because|since|as a result|so that|in order to|due to|given that|lest|otherwise|"
                   r"consequently|which means|undercuts?|weakens?|diminish(?:es)?|exploit|threat(?:ens)?)\b", re.I)
DRAWN = re.compile(r"^\W*(?:\w+\W+){0,6}?(?:therefore|thus|hence|consequently|so)\b", re.I)
REASON_ROLES = ("claim", "premise", "main claim")
REASON_REACH = 2  # how many sentences before and after a recommendation a reason may be
REASONS_SHOWN = 3  # reasons quoted per side
# The rules that find a reason, strongest first.
REASON_RULES = ("a recommendation is drawn from it ('therefore')", "gives a cause next to a recommendation",
                "follows a recommendation")
EXAMPLES = 3  # pairs cited as evidence of the points both make, or of possible disagreements
ACTORS_SHOWN = 4  # actors named per side in "who should act"; the rest are counted (all are in the who-acts table)
TRUST_RULES = "found by stated rules (roles, connectives and nearness to a recommendation); not validated"
REASONS_QUOTED, REASONS_EVERY = "rules, the three quoted per article", "every sentence within reach"  # validate reasons


def own_recommendations(recs: pd.DataFrame) -> pd.DataFrame:
    """The recommendations that are the author's own (reported proposals left out)."""
    return recs_module.own(recs) if "proposer" in recs else recs


PRONOUNS = {"we": "“we” (the writer and readers)", "you": "“you” (the reader)", "they": "“they”", "us": "“us”",
            "he": "“he”", "she": "“she”", "it": "“it”", "i": "“I”", "one": "“one”", "everyone": "“everyone”"}


NO_ACTOR = "(no actor named)"
COMPARED = "compared"  # the side of the contrast row that says whether the sides differ


def actor_shown(actor) -> str:
    """An actor as the comparison names it: a pronoun in quotes, saying whom it usually means."""
    text = _text(actor)
    return PRONOUNS.get(text.lower(), text) or NO_ACTOR


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def as_written(rec) -> tuple[str, str]:
    """(who, what) of one recommendation row as the report quotes it, its strength to go between: the sentence's
    own words for whom it names ("Europeans", which the actors table counts as Europe), a pronoun as
    :func:`actor_shown` says it, what a norm is about before its action ("a line" [must] "never be crossed") and an
    actor taken from the context after it ("(asked of Congress, named earlier)"), so that no one reads as the
    subject of an action that is not theirs."""
    actor, source, action = rec.get("actor"), _text(rec.get("actor_source")), _text(rec.get("action"))
    about = _text(rec.get("about"))
    if about and action.endswith(f" ({about})"):
        action = action[:-len(about) - 3]
        if source == "context":
            action += f" (asked of {actor_shown(actor)}, named earlier)"
        return recs_module.determiner_lowered(about), action
    if source == "context":
        return f"{actor_shown(actor)} (named earlier)", action
    named = _text(rec.get("actor_text"))
    if source == "sentence" and named and _text(actor).lower() not in PRONOUNS:
        return recs_module.determiner_lowered(named), action
    return actor_shown(actor), action


#: Cues whose own verb agrees with a subject that is not one third person ("Democracies need to", "we need"), and
#: the subjects that never take "needs".
_PLURAL_CUES, _PLURAL_SUBJECTS = {"need to", "we need"}, {"we", "you", "they", "i"}


def strength_as_written(rec) -> str:
    """A recommendation's strength as its quotation puts it between who and what: "need to" where the sentence's own
    verb or subject says so ("Democracies [need to] step in", not "[needs to]"), else the strength's name."""
    strength = _text(rec.get("strength"))
    if strength == "needs to" and (_text(rec.get("cue")).lower() in _PLURAL_CUES
                                   or _text(rec.get("actor_text")).lower() in _PLURAL_SUBJECTS):
        return "need to"
    return strength


def who_acts(recs: pd.DataFrame, side_of: dict[str, str]) -> pd.DataFrame:
    """Per side and actor: how many of the side's own recommendations ask that actor to act, the strongest
    strength, and the sentence of the strongest one."""
    own = own_recommendations(recs)
    own = own[own["doc_id"].isin(side_of)].assign(side=lambda t: t["doc_id"].map(side_of),
                                                   actor=lambda t: t["actor"].map(actor_shown))
    rows = []
    for (side, actor), group in own.groupby(["side", "actor"], sort=False):
        strongest = group.sort_values("strength_rank", ascending=False, kind="stable").iloc[0]
        who, what = as_written(strongest.to_dict())
        rows.append({"side": side, "actor": actor, "recommendations": len(group),
                     "share": round(len(group) / (own["side"] == side).sum(), 3),
                     "strongest": strongest["strength"], "example": strongest["sent_id"],
                     "action": strongest["action"], "as_written": " ".join(
                         part for part in (who if who != NO_ACTOR else "", strength_as_written(strongest), what)
                         if part)})
    columns = ["side", "actor", "recommendations", "share", "strongest", "example", "action", "as_written"]
    table = pd.DataFrame(rows, columns=columns).assign(unnamed=lambda t: t["actor"] == NO_ACTOR)
    table = table.sort_values(["side", "recommendations", "unnamed"], ascending=[True, False, True], kind="stable")
    return table[columns].reset_index(drop=True)  # most asked first; at a tie, a named actor before none


def recommendations_compared(recs: pd.DataFrame, plan, method: str = "minilm", scheduler: str = "") -> pd.DataFrame:
    """The compared groups' own recommendations as points: matched where they propose the same thing (the report's
    matcher on their sentences, :func:`opedlens.compare.align.compare_groups`, on the Dask cluster at ``scheduler``
    if given), else one group's only."""
    from opedlens.compare import align

    own = own_recommendations(recs)
    own = own[own["doc_id"].isin(plan.group_of)].drop_duplicates("sent_id")
    units = own[["doc_id", "sent_id", "text"]].assign(side=own["doc_id"].map(plan.group_of))
    if units["side"].nunique() < 2:
        return pd.DataFrame(columns=align.POINT_COLUMNS + ["comparison"])
    return align.compare_groups(units, plan, method, scheduler=scheduler)[1]


def reasons(units: pd.DataFrame, recs: pd.DataFrame, side_of: dict[str, str], top: int = REASONS_SHOWN
            ) -> pd.DataFrame:
    """Per side, the ``top`` reasons it gives for its recommendations (see the module docstring): side, sent_id, text,
    why (the rule), closeness (cosine to the side's recommendations), and of all the side's reasons: how many
    (``side_reasons``) in how many articles (``side_articles``)."""
    from opedlens.compare.align import vectors

    own = own_recommendations(recs)
    own = own[own["doc_id"].isin(side_of)]
    frame = units[units["doc_id"].isin(side_of)].reset_index(drop=True)
    position = {sid: k for k, sid in enumerate(frame["sent_id"])}
    rec_ids = set(own["sent_id"])
    found: dict[str, str] = {}
    for sid in rec_ids & set(position):
        k, doc = position[sid], frame.loc[position[sid], "doc_id"]
        text = frame.loc[k, "text"]
        reach = range(1, REASON_REACH + 1)
        before = [(k - d, REASON_RULES[0]) for d in reach] if DRAWN.match(text) else []
        for j, why in before + [(k + d, REASON_RULES[2]) for d in reach]:
            if 0 <= j < len(frame) and frame.loc[j, "doc_id"] == doc:
                _keep_strongest(found, frame.loc[j, "sent_id"], why)
        for j in range(max(0, k - REASON_REACH), min(len(frame), k + REASON_REACH + 1)):
            if frame.loc[j, "doc_id"] == doc and CAUSE.search(unquoted(frame.loc[j, "text"])):
                _keep_strongest(found, frame.loc[j, "sent_id"], REASON_RULES[1])
    candidates = frame[frame["sent_id"].isin(found) & ~frame["sent_id"].isin(rec_ids)
                       & frame["role"].isin(REASON_ROLES)]
    candidates = candidates[candidates["text"].map(lambda t: unquoted(t).strip() == t.strip())]
    columns = ["side", "sent_id", "text", "why", "closeness", "side_reasons", "side_articles"]
    if candidates.empty or own.empty:
        return pd.DataFrame(columns=columns)
    texts = candidates["text"].tolist() + own["text"].drop_duplicates().tolist()
    matrix = vectors(texts, "minilm")
    reason_vectors, rec_vectors = matrix[:len(candidates)], matrix[len(candidates):]
    rec_side = own.drop_duplicates("text")["doc_id"].map(side_of).to_numpy()
    rows = []
    for k, (_, row) in enumerate(candidates.iterrows()):
        side = side_of[row["doc_id"]]
        same = rec_vectors[rec_side == side]
        closeness = float((same @ reason_vectors[k]).max()) if len(same) else 0.0
        rows.append({"side": side, "sent_id": row["sent_id"], "text": row["text"], "why": found[row["sent_id"]],
                     "closeness": round(closeness, 3)})
    table = pd.DataFrame(rows, columns=columns)
    rank = table["why"].map({why: k for k, why in enumerate(REASON_RULES)})
    sides = candidates["doc_id"].map(side_of).to_numpy()
    table["side_reasons"] = table["side"].map(pd.Series(sides).value_counts())
    table["side_articles"] = table["side"].map(candidates.groupby(sides)["doc_id"].nunique())
    table = table.assign(_rank=rank).sort_values(["side", "_rank", "closeness"], ascending=[True, True, False],
                                                 kind="stable").drop(columns="_rank")
    return table.groupby("side", sort=False).head(top).reset_index(drop=True)


def _why_answer(mine: pd.DataFrame, asserted: bool) -> str:
    """ "argues “...”" for one article; for a group, how many reasons its articles give, and the closest few. Not
    ``asserted`` (the rules pick reasons no better than chance): the same sentences, as what the side writes next to
    its recommendations."""
    if mine.empty:
        return "gives no reason next to a recommendation that the rules find"
    quoted = "; ".join(f"“{text}”" for text in mine["text"])
    found, articles = int(mine["side_reasons"].iloc[0]), int(mine["side_articles"].iloc[0])
    if articles == 1:
        return f"argues {quoted}" if asserted else f"writes next to its recommendations {quoted}"
    closest = "the closest" if len(mine) == 1 else f"the {len(mine)} closest"
    what = "reasons" if asserted else "sentences the rules take for reasons"
    return f"gives {found:,} {what} next to its recommendations, in {articles:,} articles; {closest} to them: {quoted}"


def _keep_strongest(found: dict[str, str], sent_id: str, why: str) -> None:
    if sent_id not in found or REASON_RULES.index(why) < REASON_RULES.index(found[sent_id]):
        found[sent_id] = why


def future_sentences(sentences: pd.DataFrame, markers: pd.DataFrame) -> pd.Series:
    """Whether each sentence looks ahead in its author's own words, as measured with its stance markers
    (:func:`opedlens.measure.outlook.looks_ahead`)."""
    ahead = markers.set_index("sent_id")["looks_ahead"]
    return sentences["sent_id"].map(ahead).fillna(False).astype(bool)


def outlook(sentences: pd.DataFrame, markers: pd.DataFrame, side_of: dict[str, str], scorer: str = "accurate",
            draws: int = 2000, seed: int = 0, recs: pd.DataFrame | None = None,
            scores: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per side: looking-ahead sentences, their share, mean sentiment with a 95% bootstrap interval, the share that
    hedge; the sentences themselves with their score, hedges and whether each is the side's most hopeful or most
    pessimistic). When a side holds several articles (groups), the mean is of its articles' means and the interval
    resamples whole articles, the unit that was sampled; for single articles it resamples their sentences. Sentences
    that report others' proposals (``recs`` rows whose proposer is not the author) are not the author's outlook and
    are left out. ``scores``: the measured sentence scores (sent_id and a ``scorer`` column), read instead of scoring
    the sentences again."""
    from opedlens.compare import stats
    from opedlens.compare.groups import cluster_bootstrap
    from opedlens.measure import scorers

    frame = sentences[sentences["doc_id"].isin(side_of)].reset_index(drop=True)
    if recs is not None and "proposer" in recs:
        reported = set(recs.loc[recs["proposer"] != recs_module.AUTHOR, "sent_id"])
        frame = frame[~frame["sent_id"].isin(reported)].reset_index(drop=True)
    ahead = frame[future_sentences(frame, markers).to_numpy()].reset_index(drop=True)
    if not ahead.empty and scores is not None and scorer in scores:  # unscored (not English) sentences drop out
        ahead["score"] = ahead["sent_id"].map(scores.set_index("sent_id")[scorer]).to_numpy()
        ahead = ahead.dropna(subset=["score"]).reset_index(drop=True)
    elif not ahead.empty:
        ahead["score"] = np.round(scorers.score(scorer, ahead["text"].tolist()), 4)
    columns = ["side", "doc_id", "sent_id", "text", "score", "hedged", "end"]
    if ahead.empty:
        return (pd.DataFrame(columns=["side", "sentences", "looking_ahead", "share", "mean", "ci_low", "ci_high",
                                      "hedged_share"]), pd.DataFrame(columns=columns))
    hedges = markers.set_index("sent_id")["n_hedges"]
    ahead["hedged"] = ahead["sent_id"].map(hedges).fillna(0).gt(0)
    ahead["side"] = ahead["doc_id"].map(side_of)
    ahead["end"] = ""
    for side, group in ahead.groupby("side", sort=False):
        ahead.loc[group["score"].idxmax(), "end"] = "most hopeful"
        ahead.loc[group["score"].idxmin(), "end"] = "most pessimistic"
    if pd.Series(side_of).value_counts().max() > 1:
        summary = pd.DataFrame([(side, len(group), *cluster_bootstrap(group, "score", draws, seed))
                                for side, group in ahead.groupby("side", sort=True)],
                               columns=["side", "n", "mean", "ci_low", "ci_high"])
    else:
        summary = stats.summarize(ahead, ["side"], "score", draws, seed)
    totals = frame.assign(side=frame["doc_id"].map(side_of)).groupby("side").size()
    summary = summary.assign(
        sentences=summary["side"].map(totals), looking_ahead=summary["n"],
        share=(summary["n"] / summary["side"].map(totals)).round(3),
        hedged_share=summary["side"].map(ahead.groupby("side")["hedged"].mean()).round(3))
    order = {side: k for k, side in enumerate(dict.fromkeys(side_of.values()))}
    summary = summary.sort_values("side", key=lambda s: s.map(order)).reset_index(drop=True)
    keep = ["side", "sentences", "looking_ahead", "share", "mean", "ci_low", "ci_high", "hedged_share"]
    return summary[keep], ahead[columns]


DIFFERENCE_COLUMNS = ["group_a", "group_b", "unit", "n_a", "n_b", "difference", "ci_low", "ci_high", "hedges_g",
                      "p_value", "permutations", "p_holm", "omnibus_p", "eta_squared"]


def outlook_difference(outlook_sentences: pd.DataFrame, the_plan, permutations: int = 5000, draws: int = 2000,
                       seed: int = 0) -> pd.DataFrame:
    """Do the sides differ in the tone of their looking-ahead sentences? One row per pair of sides: the difference
    of means (a - b) with its 95% bootstrap interval, Hedges' g, a permutation p-value and its Holm adjustment, as
    :func:`opedlens.compare.groups.compare` gives them (groups of articles: article means, articles shuffled and
    resampled; two articles: their sentences, a test of these texts), and with more than two sides the omnibus
    test over all of them (``omnibus_p``, ``eta_squared``)."""
    from opedlens.compare.groups import compare

    if outlook_sentences.empty:
        return pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    test, table = compare(outlook_sentences, "score", the_plan, permutations, draws, seed)
    return table.assign(omnibus_p=test.get("p_value", np.nan), eta_squared=test.get("eta_squared", np.nan))[
        DIFFERENCE_COLUMNS]


def _hopeful_in_words(mean: float, low: float, high: float) -> str:
    """ "hopeful" or "pessimistic" when the interval of the mean tone excludes 0 ("slightly ..." when the mean lies in
    the neutral band, :data:`opedlens.measure.scorers.NEUTRAL_BAND`), else "neither clearly hopeful nor clearly
    pessimistic"."""
    if not (low > 0 or high < 0):  # the interval reaches 0 (or there is none)
        return "neither clearly hopeful nor clearly pessimistic"
    word = "hopeful" if low > 0 else "pessimistic"
    return f"slightly {word}" if abs(mean) < NEUTRAL_BAND else word


def _outlook_compared(difference: pd.DataFrame) -> str:
    """ "ha-2019-hill looks ahead more hopefully by 0.11 (95% CI ...), a difference unlikely to be chance (p = ...,
    shuffling the sentences of these two texts)", or across groups the omnibus test and the largest difference."""
    from opedlens.compare.groups import beyond_chance, format_p, largest_difference, shuffled, verdict

    unit = shuffled(difference["unit"].iloc[0])
    if len(difference) == 1:
        row = difference.iloc[0]
        lean = row["group_a"] if row["difference"] > 0 else row["group_b"]
        return (f"{lean} looks ahead more hopefully by {abs(row['difference']):.2f} (95% CI of the difference "
                f"{row['ci_low']:+.2f} to {row['ci_high']:+.2f}), {verdict(row['p_value'])} "
                f"({format_p(row['p_value'])}, {unit})")
    omnibus = beyond_chance(difference["omnibus_p"].iloc[0], difference["eta_squared"].iloc[0],
                            difference["unit"].iloc[0])
    return f"across the sides, the tone of what lies ahead {omnibus}; {largest_difference(difference)}"


def contrast_table(who: pd.DataFrame, reasons_table: pd.DataFrame, outlook_summary: pd.DataFrame,
                   outlook_sentences: pd.DataFrame, points: pd.DataFrame, sides: list[str],
                   trust: dict[str, str], shared_asserted: bool = False,
                   outlook_compared: pd.DataFrame | None = None, reasons_asserted: bool = True) -> pd.DataFrame:
    """One row per question and side: question, side, answer, evidence (sentence ids), trust (plain text; ``trust``
    as :func:`trust_notes` writes it, in Markdown). Matched pairs are stated as points both make only with
    ``shared_asserted`` (see :func:`opedlens.compare.align.matching_validated`); otherwise they are candidates for the
    reader. With ``outlook_compared`` (:func:`outlook_difference`) "how hopeful" ends with a row (side "compared")
    saying whether the sides differ. Without ``reasons_asserted`` (:func:`reasons_validated`) "why" quotes what each
    side writes next to its recommendations, not as its reasons."""
    trust = {question: plain_text(note) for question, note in trust.items()}
    rows = []
    for side in sides:
        mine = who[who["side"] == side]
        if mine.empty:
            answer, evidence = "makes no recommendation of its own", ""
        else:
            total = int(mine["recommendations"].sum())
            named, unnamed = mine[mine["actor"] != NO_ACTOR], mine[mine["actor"] == NO_ACTOR]
            shown, rest = named.head(ACTORS_SHOWN), named.iloc[ACTORS_SHOWN:]
            parts = [f"{r.actor} ({r.recommendations} of {total}, strongest: {r.strongest})"
                     for r in shown.itertuples()]
            if not rest.empty:
                parts.append(f"{len(rest)} other actors ({int(rest['recommendations'].sum())} of {total}; "
                             "all in notebook 04)")
            nobody = int(unnamed["recommendations"].sum())
            if nobody:  # "the fight must be waged": counted, but not as an actor asked
                parts.append(f"{nobody} of {total} name no actor")
            if named.empty:
                lead = mine.iloc[0]
                answer = (f"makes {total:,} recommendation(s) and names no actor in them; "
                          f"e.g. “{lead['as_written']}”")
                evidence = lead["example"]
            else:
                lead = named.iloc[0]  # the example names whom it asks
                answer = f"asks {'; '.join(parts)}; e.g. {lead['as_written']}"
                evidence = "; ".join(dict.fromkeys(shown["example"]))
        rows.append({"question": "who should act, and how", "side": side, "answer": answer, "evidence": evidence,
                     "trust": trust.get("recommendations", "")})
    for side in sides:
        mine = reasons_table[reasons_table["side"] == side]
        rows.append({"question": "why", "side": side, "answer": _why_answer(mine, reasons_asserted),
                     "evidence": "; ".join(mine["sent_id"]), "trust": trust.get("reasons", TRUST_RULES)})
    for side in sides:
        mine = outlook_summary[outlook_summary["side"] == side]
        ends = outlook_sentences[(outlook_sentences["side"] == side) & outlook_sentences["end"].ne("")]
        if mine.empty:
            answer = "says nothing about what lies ahead that the word list finds"
        else:
            m = mine.iloc[0]
            tone = _hopeful_in_words(m["mean"], m["ci_low"], m["ci_high"])
            answer = (f"is {tone}: {int(m['looking_ahead']):,} of {int(m['sentences']):,} sentences look ahead, "
                      "mean tone "
                      f"{m['mean']:+.2f} (95% CI {m['ci_low']:+.2f} to {m['ci_high']:+.2f}), {m['hedged_share']:.0%} "
                      "of them hedged")
        rows.append({"question": "how hopeful", "side": side, "answer": answer,
                     "evidence": "; ".join(ends.sort_values("end")["sent_id"]), "trust": trust.get("outlook", "")})
    if outlook_compared is not None and outlook_compared["p_value"].notna().any():
        rows.append({"question": "how hopeful", "side": COMPARED, "answer": _outlook_compared(outlook_compared),
                     "evidence": "", "trust": trust.get("outlook", "")})
    shared = _most_probable_first(points[points["status"] == "shared"] if not points.empty else points)
    pairs = " / ".join(f"“{a}” ~ “{b}”" for a, b in zip(shared["text_a"].head(EXAMPLES), shared["text_b"].head(EXAMPLES)))
    rows.append({"question": "points both make", "side": "both",
                 # unvalidated candidates are never quoted as a finding, as possible disagreements are not
                 "answer": (f"{len(shared)} matched pair(s)" + (f": {pairs}" if len(shared) else "")
                            if shared_asserted else "not asserted: the matcher is not validated on op-ed prose; "
                            f"{len(shared):,} candidate pair(s) are listed for the reader to judge"),
                 "evidence": "; ".join(f"{a}; {b}" for a, b in zip(shared["sent_a"].head(EXAMPLES),
                                                                 shared["sent_b"].head(EXAMPLES))),
                 "trust": trust.get("matching", "")})
    possible = _most_probable_first(points[points["status"].astype(str).str.startswith("possible")]
                                    if not points.empty else points)
    asserted = _most_probable_first(points[points["status"] == "disagree"] if not points.empty else points)
    rows.append({"question": "where they take opposite sides", "side": "both",
                 "answer": (f"{len(asserted)} disagreement(s)" if len(asserted) else
                            f"not asserted: no detector of opposite sides is validated; {len(possible)} possible "
                            "disagreement(s) are listed for the reader to judge"),
                 "evidence": "; ".join(f"{a}; {b}" for a, b in zip(
                     (asserted if len(asserted) else possible)["sent_a"].head(EXAMPLES),
                     (asserted if len(asserted) else possible)["sent_b"].head(EXAMPLES))),
                 "trust": trust.get("disagreement", "")})
    return pd.DataFrame(rows, columns=["question", "side", "answer", "evidence", "trust"])


def _most_probable_first(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs by the matcher's score, highest first (reading order at a tie): the examples a finding quotes are the
    pairs the matcher is surest of, not the first in the text."""
    if pairs.empty or "match_score" not in pairs:
        return pairs
    return pairs.sort_values("match_score", ascending=False, kind="stable", na_position="last")


def _recommendation_note(fair: pd.Series) -> str:
    """ "on 100 sentences of real editorials they never saw (34 of them recommendations), precision 0.72 (23 of 32
    flagged) ...", the counts beside each figure so that a reader sees how many sentences stand behind it."""
    n, recs = int(fair["n"]), int(fair["recommendations"])
    flagged = int(fair["flagged"]) if pd.notna(fair.get("flagged")) else None

    def share(value, of, what: str = "") -> str:
        if value is None or pd.isna(value) or not of:
            return "n/a"
        return f"{value:.2f} ({round(value * of)} of {of}{what})"

    what = "recommendations" if recs != 1 else "a recommendation"
    editorials = fair.get("editorials") in (True,)  # NaN where a result has no such field
    where = "sentences of real editorials" if editorials else "labelled sentences"
    command = "benchmarks/recommendations_on_editorials.py" if editorials else "opedlens validate recommendations"
    return (f"recommendations by stated rules: on {n} {where} they never saw ({recs} of them {what}), "
            f"precision {share(fair['precision'], flagged, ' flagged')}, recall {share(fair['recall'], recs)} "
            f"({command})")


#: The saved `opedlens validate outlook` scorer of the rounds no rule was written from (validate.sentence_measures).
OUTLOOK_FRESH = "rules, fresh rounds"


def _reasons_rows(results: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """The saved validation of the reasons the report quotes, and of any sentence near a recommendation (None if not
    saved)."""
    rows = results[results["task"] == "reasons"].set_index("scorer") if not results.empty else results
    if rows.empty or REASONS_QUOTED not in rows.index or REASONS_EVERY not in rows.index:
        return None
    return rows.loc[REASONS_QUOTED], rows.loc[REASONS_EVERY]


def _precision_interval(row: pd.Series) -> tuple[float, float]:
    from opedlens.compare.stats import proportion_interval

    return proportion_interval(int(row["hits"]), int(row["flagged"]))


def reasons_validated(results: pd.DataFrame) -> bool:
    """Whether the report may call the sentences it quotes a side's reasons: saved validation shows them reasons more
    often than any sentence near a recommendation (the lower end of their precision's 95% interval above that
    share)."""
    rows = _reasons_rows(results)
    return rows is not None and _precision_interval(rows[0])[0] > float(rows[1]["precision"])


def _reasons_note(results: pd.DataFrame) -> str:
    """How often a sentence the rules quote as a reason is one, against any sentence near a recommendation, from the
    saved validation (``opedlens validate reasons``); :data:`TRUST_RULES` without it."""
    rows = _reasons_rows(results)
    if rows is None:
        return TRUST_RULES + " here (run `make validate`)"
    quoted, every = rows
    hits, flagged = int(quoted["hits"]), int(quoted["flagged"])
    low, high = _precision_interval(quoted)
    base = float(every["precision"])
    against = (f"against {base:.0%} of any sentence near a recommendation" if reasons_validated(results) else
               f"no better than taking any sentence near a recommendation ({base:.0%} of those are reasons), so they "
               "are quoted as what the author writes there, not as its reasons")
    return (f"reasons by stated rules (roles, connectives and nearness to a recommendation): in "
            f"{int(quoted['articles'])} hand-labelled real editorials, {hits} of the {flagged} sentences they quote "
            f"give a reason for the author's recommendation (precision {hits / flagged:.2f}, 95% CI {low:.2f} to "
            f"{high:.2f}), {against} (`opedlens validate reasons`)")


def _outlook_note(results: pd.DataFrame) -> str:
    """ "stated rules: on 300 hand-labelled sentences of real editorials they never saw (37 look ahead), precision
    0.54 (20 of 37), recall 0.54 (20 of 37; 95% CI ...)", from the saved validation."""
    from opedlens.compare.stats import proportion_interval

    fresh = (results[(results["task"] == "outlook") & (results["scorer"] == OUTLOOK_FRESH)]
             if not results.empty else results)
    if fresh.empty:
        return "stated rules, not validated here (run `make validate`)"
    row = fresh.iloc[0]
    hits, flagged, ahead = int(row["hits"]), int(row["flagged"]), int(row["looking_ahead"])
    low, high = proportion_interval(hits, ahead)
    what = "sentences of real editorials" if row.get("editorials") is True else "sentences"
    return (f"stated rules: on {int(row['n'])} hand-labelled {what} they never saw ({ahead} look ahead), precision "
            f"{row['precision']:.2f} ({hits} of {flagged}), recall {row['recall']:.2f} ({hits} of {ahead}; 95% CI "
            f"{low:.2f} to {high:.2f}) (`opedlens validate outlook`)")


def trust_notes(results: pd.DataFrame, lead_scorer: str = "accurate", matching_method: str = "minilm") -> dict:
    """The validated figure behind each answer, in words, from the saved validation results."""
    from opedlens.compare import align

    notes = {}
    found = results[(results["task"] == "recommendations")] if not results.empty else results
    fair = found[found["unseen_by_rules"].eq(True)] if "unseen_by_rules" in found else found.iloc[:0]
    if "editorials" in fair:  # the rules on real editorials (benchmarks/recommendations_on_editorials.py) first
        fair = fair.sort_values("editorials", key=lambda s: s.ne(True), kind="stable")
    notes["recommendations"] = (_recommendation_note(fair.iloc[0]) if not fair.empty else
                                "recommendations by stated rules, not validated here")
    nyt = results[(results["task"] == "sentiment") & results["gold"].str.contains("nyt", na=False)
                  & (results["scorer"] == lead_scorer)] if not results.empty else results
    tone = (f"tone by `{lead_scorer}` (Pearson r = {nyt['pearson_r'].iloc[0]:.2f} with human ratings of NYT op-ed "
            "sentences)" if not nyt.empty else "tone not validated here")
    notes["outlook"] = f"{tone}; which sentences look ahead: {_outlook_note(results)}"
    notes["reasons"] = _reasons_note(results)
    figures = align.trust_figures(matching_method)
    op_ed = align.op_ed_check_text(matching_method)
    notes["matching"] = (f"matching: F1 {figures['f1']:.2f}, precision {figures['precision']:.2f}, recall "
                         f"{figures['recall']:.2f}, ROC AUC {figures['roc_auc']:.2f} on {figures['where']}"
                         + (f"; {op_ed}" if op_ed else "; not checked on op-ed prose")
                         if figures else "matching not validated here")
    precision = align.disagreement_precision()
    notes["disagreement"] = (f"unvalidated: the cue is right {precision:.0%} of the time on IBM Claim Stance pairs, where "
                             "46% are opposite" if precision is not None else "unvalidated")
    return notes
