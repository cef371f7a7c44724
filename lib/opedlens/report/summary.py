"""The findings summary: plain-language findings built from the tables notebooks 01–04 wrote.

Nothing here recomputes a measure: every number comes from a CSV in ``<output_dir>/tables`` (and the
saved validation results), so the summary always agrees with the detailed notebooks. Each finding is
a row of :func:`findings` with the sentence ids it rests on, how far to trust it, and the notebook page
that shows the details, all in plain text; :func:`findings_markdown` escapes them for the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from opedlens.compare import argument_views
from opedlens.compare.contrast import COMPARED, NO_ACTOR, actor_shown, as_written, strength_as_written
from opedlens.corpus.describe import plain_markdown, plain_text
from opedlens.errors import InputError
from opedlens.measure.arguments import EVIDENCE_TYPES
from opedlens.paths import resolve_output
from opedlens.report.products import read_table

NEEDED = {
    "01": ["articles", "sentences", "paragraphs"],
    "02": ["article-sentiment", "group-sentiment", "difference", "omnibus", "groups", "group-actor-sentiment",
           "actor-mentions", "validation", "actor-validation", "extremes"],
    "03": ["topics", "topic-shares", "group-topic-shares", "k-selection", "keyness", "topic-flow"],
    "04": ["argument-units", "recommendations", "sources", "sources-validation", "alignment", "evidence-profile",
           "evidence-validation", "contrast"],
}
PAGES = {"01": "01-load-corpus.html", "02": "02-score-sentiment.html", "03": "03-model-topics.html",
         "04": "04-compare-arguments.html"}
SECTIONS = ("comparison", "tone", "actors", "topics", "arguments", "recommendations", "meeting points", "sources")
COMPARISON = {"who should act, and how": "Who should act, and how", "why": "Why",
              "how hopeful": "How hopeful", "points both make": "Points both make",
              "where they take opposite sides": "Opposite sides"}
EVIDENCE_ANCHOR = "Evidence-sentences"  # nbconvert's id for the notebook's "## Evidence sentences" heading
COLUMNS = ["finding_id", "section", "finding", "evidence", "trust", "details"]
LINE = "\n"  # between the lines of a finding that answers for each side in turn (the page lists them)
_ENDED = re.compile(r"[.!?…][\"”’)]*$")  # a sentence already ended, perhaps inside a closing quotation mark


def _closed(text: str) -> str:
    """``text`` ended with a full stop, unless it ends one already: “... cooperation.”, not “... cooperation.”.;
    a quotation cut short, "... ideas that …", not "that …."."""
    return text if _ENDED.search(text.rstrip()) else f"{text}."


def read_tables(output_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The earlier notebooks' tables, by name (``"02-article-sentiment"`` ...); a clear error names what is missing."""
    folder = resolve_output(output_dir) / "tables"
    tables, missing = {}, []
    for notebook, names in NEEDED.items():
        for name in names:
            path = folder / f"{notebook}-{name}.csv"
            if path.is_file():
                tables[f"{notebook}-{name}"] = read_table(path)
            else:
                missing.append(path.name)
    if missing:
        raise InputError(f"missing {', '.join(missing)}: run notebooks 01-04 into this output folder first "
                         f"(`opedlens run` does)", folder)
    return tables


def _ids(values) -> str:
    """Sentence or paragraph ids, deduplicated, joined by '; '."""
    return "; ".join(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def _comparison(tables) -> list[dict]:
    """The two sides set against each other, question by question (from notebook 04's contrast table)."""
    table = tables["04-contrast"]
    rows = []
    for question, title in COMPARISON.items():
        answers = table[table["question"] == question]
        if answers.empty:
            continue
        if (answers["side"] == "both").all():
            finding = f"{title}: {_closed(plain_markdown(answers['answer'].iloc[0]))}"
        else:
            compared = answers[answers["side"] == COMPARED]  # whether the sides differ, after each side's answer
            answers = answers[answers["side"] != COMPARED]
            more = [f"{len(answers) - CAP} more groups in notebook 04."] if len(answers) > CAP else []
            answers = answers.head(CAP)
            # a line for each side's answer, then whether they differ: the page lists them (:func:`findings_markdown`);
            # three groups' answers in one sentence ran past 200 words
            lines = [_closed(f"`{row.side}` {plain_markdown(row.answer)}") for row in answers.itertuples()] + more + [
                _closed(plain_markdown(answer)) for answer in compared["answer"]]
            finding = f"{title}:" + "".join(LINE + line for line in lines)
        evidence = _ids(part for ids in answers["evidence"].fillna("") for part in str(ids).split("; "))
        rows.append({"section": "comparison", "details": "04", "finding": finding, "evidence": evidence,
                     "trust": plain_markdown(str(answers["trust"].iloc[0]))})  # plain text in the table
    return rows


def _lead_scorer(tables) -> tuple[str, float | None]:
    """The best-validated sentence scorer (highest Pearson r on the NYT editorials) and that r."""
    validation = tables["02-validation"]
    nyt = validation[validation["gold_set"] == "nyt_editorials"].sort_values("pearson_r", ascending=False)
    if nyt.empty:
        return tables["02-group-sentiment"]["scorer"].iloc[0], None
    return nyt["scorer"].iloc[0], float(nyt["pearson_r"].iloc[0])


def _plan(tables):
    from opedlens.compare.groups import plan_from_table

    return plan_from_table(tables["02-groups"])


def _interval(row) -> str:
    if pd.isna(row["ci_low"]):
        return f"{row['mean']:+.3f}"
    return f"{row['mean']:+.3f}, 95% CI {row['ci_low']:+.3f} to {row['ci_high']:+.3f}"


def _tone(tables) -> list[dict]:
    from opedlens.compare.groups import beyond_chance, format_p, largest_difference, shuffled, verdict

    scorer, r = _lead_scorer(tables)
    plan = _plan(tables)
    tone = tables["02-group-sentiment"]
    tone = tone[tone["scorer"] == scorer].set_index("group")
    pairs = tables["02-difference"]
    pairs = pairs[pairs["scorer"] == scorer]
    if pairs.empty or tone.empty:
        return []
    shuffled_unit = "sentence" if plan.single_articles else "article"  # what the permutation tests shuffled
    unit = shuffled(shuffled_unit)
    trust = f"`{scorer}` correlates r = {r:.2f} with human raters of NYT op-ed sentences" if r else "not validated here"
    if len(pairs) == 1:
        row = pairs.iloc[0]
        lean = row["group_a"] if row["difference"] > 0 else row["group_b"]
        finding = (f"Overall tone: by the `{scorer}` scorer, mean sentence sentiment is `{row['group_a']}` "
                   f"({_interval(tone.loc[row['group_a']])}) and `{row['group_b']}` ({_interval(tone.loc[row['group_b']])});"
                   f" `{lean}` reads more positive by {abs(row['difference']):.3f} (95% CI of the difference "
                   f"{row['ci_low']:+.3f} to {row['ci_high']:+.3f}), {verdict(row['p_value'])} "
                   f"({format_p(row['p_value'])}, {unit}, {int(row['permutations']):,} permutations).")
    else:
        omnibus = tables["02-omnibus"]
        test = omnibus[omnibus["scorer"] == scorer]
        ranked = tone.sort_values("mean")
        high, low = ranked.index[-1], ranked.index[0]
        head = ""
        if not test.empty:
            t = test.iloc[0]
            tested = beyond_chance(t["p_value"], t["eta_squared"], shuffled_unit)
            head = f"across the {int(t['groups'])} groups tone {tested}; "
        # every group below 0 (editorials mostly are): the top one is the least negative, not the "most positive"
        top = "least negative" if ranked["mean"].max() < 0 else "most positive"
        bottom = "least positive" if ranked["mean"].min() > 0 else "most negative"
        finding = (f"Overall tone by the `{scorer}` scorer: {head}{top} `{high}` ({_interval(ranked.loc[high])}), "
                   f"{bottom} `{low}` ({_interval(ranked.loc[low])}); "
                   f"{largest_difference(pairs, 3, lambda group: f'`{group}`')}.")
    extremes = tables["02-extremes"]
    negative = extremes[extremes["end"] == "most negative"].groupby("doc_id", sort=False).head(1).head(2)
    return [{"section": "tone", "finding": finding + " The most negative sentences are cited.",
             "evidence": _ids(negative["sent_id"]), "trust": trust, "details": "02"}]


def _targeted_trust(validation: pd.DataFrame) -> str:
    """ "targeted sentiment: macro-F1 0.67 with human labels ..." from the saved NewsMTSC validation."""
    scores = validation.set_index("scorer") if not validation.empty else validation
    if "targeted" not in scores.index:
        return "targeted sentiment: no validation results found (run `make validate`)"
    row = scores.loc["targeted"]
    baseline = (f"; the sentence's own VADER score: {scores.loc['sentence-vader', 'macro_f1']:.2f}"
                if "sentence-vader" in scores.index else "")
    return (f"targeted sentiment: macro-F1 {row['macro_f1']:.2f} with human labels of sentiment toward named targets "
            f"in political news (NewsMTSC, {int(row['n']):,} targets, three classes{baseline})")


def _toward(row, side: str, counts: str) -> str:
    """ "most negative toward China (-0.400, 95% CI ...)", or, when the interval reaches 0 (or the mean is on the
    other side), "coolest toward ... not clearly negative": the end of a ranking need not be negative or positive."""
    sign = -1 if side == "negative" else 1
    edge = row["ci_high"] if side == "negative" else row["ci_low"]
    clear = sign * (row["mean"] if pd.isna(edge) else edge) > 0
    label, figures = plain_markdown(row["actor_label"]), f"{_interval(row)}, {counts}"
    if clear:
        return f"most {side} toward {label} ({figures})"
    why = "its mean is" if pd.isna(edge) or sign * row["mean"] <= 0 else "the interval reaches"
    return f"{'coolest' if side == 'negative' else 'warmest'} toward {label} ({figures}; not clearly {side}: {why} 0)"


def _actors(tables, limit: int = 6) -> list[dict]:
    """Per compared group (at most ``limit``), the actor it is most negative and most positive toward, when those
    are two different actors each named at least 3 times (in a group of articles: in at least 3 of its articles, the
    unit its interval resamples)."""
    plan = _plan(tables)
    actor_table = tables["02-group-actor-sentiment"]
    mentions = tables["02-actor-mentions"].assign(group=lambda t: t["doc_id"].map(plan.group_of))
    by_articles = plan.kind == "groups"
    left_out = "named in fewer than 3 of a group's articles" if by_articles else "named fewer than 3 times"
    trust = (f"{_targeted_trust(tables['02-actor-validation'])}; actors {left_out} are left out; "
             "mentions that only receive advice are not counted as tone")
    rows = []
    frequent = actor_table[actor_table["articles" if by_articles else "n"] >= 3]

    def counted(row) -> str:
        return f"{int(row['n'])} mentions" + (f" in {int(row['articles'])} articles" if by_articles else "")

    for group in plan.names:
        if len(rows) >= limit:
            break
        mine = frequent[frequent["group"] == group].sort_values("mean")
        if len(mine) < 2:
            continue
        low, high = mine.iloc[0], mine.iloc[-1]
        if low["actor"] == high["actor"] or low["mean"] == high["mean"]:
            continue
        worst = mentions[(mentions["group"] == group) & (mentions["actor"] == low["actor"])].nsmallest(2, "score")
        rows.append({"section": "actors", "details": "02", "trust": trust,
                     "finding": (f"`{group}` is {_toward(low, 'negative', counted(low))} and "
                                 f"{_toward(high, 'positive', counted(high))}."),
                     "evidence": _ids(worst["sent_id"])})
    named, often = set(frequent["group"]), "in three of its articles" if by_articles else "three times"
    rows += [{"section": "actors", "details": "02", "evidence": "", "trust": trust,
              "finding": f"`{group}` names no actor of the gazetteer {often} or more, so its tone toward actors is "
                         "not summarized."} for group in plan.names[:limit] if group not in named]
    return rows


def _topics(tables, limit: int = 6) -> list[dict]:
    """Per compared group (at most ``limit``): the topic that takes most of its text, among topics whose words
    cohere (NPMI above 0), and, when another group is mostly about that topic too, the topic it is about more than
    the others; and the words that set each group apart."""
    shares, topics, curves = tables["03-group-topic-shares"], tables["03-topics"], tables["03-k-selection"]
    chosen = curves[curves["chosen"].astype(str) == "True"]
    by_topic = topics.set_index("topic")
    coherent = set(by_topic.index[by_topic["npmi"] > 0]) if "npmi" in by_topic else set(by_topic.index)
    trust = (f"{chosen['model'].iloc[0].upper()} with k = {int(chosen['k'].iloc[0])}: stability across seeds "
             f"{chosen['stability'].iloc[0]:.2f}, coherence (NPMI) {chosen['npmi'].iloc[0]:.3f}; topics whose own "
             "words do not cohere (NPMI <= 0) are not cited" if not chosen.empty else "topic model not chosen")
    unit = "articles" if (shares["unit"] == "article").any() else "units"
    cited = shares[shares["topic"].isin(coherent)]
    tops = {group: part.sort_values("mean", ascending=False).iloc[0]
            for group, part in cited.groupby("group", sort=False)}
    rows = []
    for group, top in list(tops.items())[:limit]:
        interval = (f" (95% CI {top['ci_low']:.0%} to {top['ci_high']:.0%}, resampling {unit})"
                    if pd.notna(top["ci_low"]) else "")
        # topics not cited that take more of the text: said, so that "mostly" does not hide them
        larger = shares[(shares["group"] == group) & (shares["mean"] > top["mean"])].sort_values("mean",
                                                                                                   ascending=False)
        finding = (f"{'Of the topics whose words cohere, ' if len(larger) else ''}`{group}` is mostly about topic "
                   f"{top['topic']} ({plain_markdown(by_topic['label'].get(top['topic'], ''))}): {top['mean']:.0%} "
                   f"of its text{interval}.")
        if len(larger):
            several = len(larger) > 1
            names = " and ".join(f"{row['topic']} ({row['mean']:.0%})" for _, row in larger.iterrows())
            finding += (f" {'Topics' if several else 'Topic'} {names} take{'' if several else 's'} more, but "
                        f"{'their' if several else 'its'} own words do not cohere.")
        evidence = _typical_unit(tables, group, top["topic"])
        sharing = [other for other, theirs in tops.items() if other != group and theirs["topic"] == top["topic"]]
        # another group's commonest topic is the same one: "mostly about" does not tell them apart, so say what this
        # group is about more than the rest
        more = _more_than_the_others(cited, group) if sharing else None
        if more is not None:
            also = ("Every group is mostly about it" if len(sharing) == len(tops) - 1 else
                    f"{' and '.join(f'`{other}`' for other in sharing)} {'is' if len(sharing) == 1 else 'are'} "
                    "mostly about it too")
            if more["topic"] == top["topic"]:
                finding += f" {also}, `{group}` most of all: against {more['others']}."
            else:
                interval = (f" (95% CI {more['ci_low']:.0%} to {more['ci_high']:.0%})" if pd.notna(more["ci_low"])
                            else "")
                finding += (f" {also}; `{group}` gives more of its text than the others to "
                            f"topic {more['topic']} ({plain_markdown(by_topic['label'].get(more['topic'], ''))}): "
                            f"{more['mean']:.0%}{interval} against {more['others']}.")
                evidence = _ids([evidence, _typical_unit(tables, group, more["topic"])])
        rows.append({"section": "topics", "details": "03", "trust": trust, "finding": finding, "evidence": evidence})
    keyness = tables["03-keyness"]
    strong = keyness[(keyness["z"].abs() >= 1.96)]
    if "group" in strong and strong["group"].nunique() > 1:
        strong = strong[strong["z"] > 0]
    for side, group in list(strong.groupby("leans_to", sort=False))[:limit]:
        if side == "the rest":
            continue
        ordered = group.reindex(group["z"].abs().sort_values(ascending=False).index)
        terms = ", ".join(f"*{plain_markdown(t)}* (|z| = {abs(z):.1f})"
                          for t, z in zip(ordered["term"][:4], ordered["z"][:4]))
        rows.append({"section": "topics", "details": "03", "evidence": "",
                     "trust": "log-odds ratio with an informative Dirichlet prior; |z| >= 1.96",
                     "finding": f"Words that set `{side}` apart: {terms}."})
    return rows


def _more_than_the_others(shares: pd.DataFrame, group: str) -> dict | None:
    """The topic whose share of ``group``'s text most exceeds the largest share any other group gives it (None when
    no topic does): topic, mean, ci_low, ci_high, and ``others``, the other groups' shares in words."""
    rest = shares[shares["group"] != group]
    others = rest.groupby("topic")["mean"].agg(["min", "max"])
    mine = shares[shares["group"] == group].set_index("topic")
    lead = (mine["mean"] - others["max"].reindex(mine.index)).dropna()
    if lead.empty or lead.max() <= 0:
        return None
    topic = lead.idxmax()
    row = mine.loc[topic]
    low, high = others.loc[topic, "min"], others.loc[topic, "max"]
    words = (f"{low:.0%} in the other group" if rest["group"].nunique() == 1
             else f"{low:.0%} to {high:.0%} in the other groups")
    return {"topic": topic, "mean": row["mean"], "ci_low": row["ci_low"], "ci_high": row["ci_high"], "others": words}


def _typical_unit(tables, group: str, topic: str) -> str:
    """The unit of ``group``'s articles where ``topic`` is strongest (the corpus's typical unit without groups)."""
    flow, members = tables["03-topic-flow"], tables["02-groups"]
    docs = set(members.loc[members["group"].astype(str) == str(group), "doc_id"])
    mine = flow[(flow["topic"] == topic) & flow["doc_id"].isin(docs)]
    if mine.empty:
        return str(tables["03-topics"].set_index("topic")["typical_unit"].get(topic, ""))
    return str(mine.sort_values("share", ascending=False, kind="stable")["unit_id"].iloc[0])


CAP = 6  # findings per section about single groups or articles; the rest stay in the notebooks' tables


def _per_group(table: pd.DataFrame, plan, section: str, trust: str, absent: str, finding_for) -> list[dict]:
    """One finding per compared group (at most :data:`CAP`): ``absent`` (with ``{g}`` for the group) for a group
    with no row in ``table`` (its ``group`` column), else ``finding_for(group, rows)``, which returns
    ``(finding, evidence)``."""
    rows = [{"section": section, "details": "04", "evidence": "", "trust": trust, "finding": absent.format(g=g)}
            for g in plan.names if g not in set(table["group"].dropna())]
    for group in plan.names:
        if len(rows) >= CAP:
            break
        part = table[table["group"] == group]
        if not part.empty:
            finding, evidence = finding_for(group, part)
            rows.append({"section": section, "details": "04", "finding": finding, "evidence": evidence,
                         "trust": trust})
    return rows


def _evidence_trust(validation: pd.DataFrame) -> str:
    """ "evidence types: macro-F1 0.51 against the Webis-Editorials-16 annotators (per type: ...)" for the shipped
    classifier, from notebook 04's table of the saved validation."""
    shipped = validation[validation["classifier"] == "shipped"] if not validation.empty else validation
    if shipped.empty:
        return "evidence types: no validation results found (run `make validate`)"
    row = shipped.iloc[0]
    per_type = ", ".join(f"{label} {row[label]:.2f}" for label in EVIDENCE_TYPES
                         if label in row and label != "assumption" and pd.notna(row[label]))
    return (f"evidence types: macro-F1 {row['macro_f1']:.2f} against the Webis-Editorials-16 annotators"
            + (f" (per type: {per_type})" if per_type else ""))


def _arguments(tables) -> list[dict]:
    """Per compared group (at most :data:`CAP`): its main claims' count and, for a single article, the main claim;
    how many claims, recommendations and premises; the commonest kind of evidence besides assumption."""
    plan = _plan(tables)
    units, profile = tables["04-argument-units"], tables["04-evidence-profile"]
    units = units.assign(group=units["doc_id"].map(plan.group_of))
    profile = profile.assign(group=profile["doc_id"].map(plan.group_of))
    trust = f"roles by stated rules (not validated); {_evidence_trust(tables['04-evidence-validation'])}"

    def finding_for(group, part):
        main = part[part["role"] == "main claim"]
        articles = part["doc_id"].nunique()
        roles = part["role"].value_counts()
        evidence = (profile[(profile["group"] == group) & (profile["evidence"] != "assumption")]
                    .groupby("evidence")["sentences"].sum().sort_values(ascending=False))
        if articles == 1:
            opening = (f"`{group}`'s main claim: “{plain_markdown(main['text'].iloc[0])}” It makes" if not main.empty
                       else f"`{group}` states no main claim the rules recognise (a news report rather than an "
                            "argument, perhaps); it makes")
        else:
            opening = (f"`{group}` ({articles} articles, {len(main)} with a main claim the rules recognise) makes")

        def count(n, what: str, between: str = " (", end: str = ")") -> str:
            """ "1,068 other claims (22.2 per article)": groups differ in size, so a group's count has its mean."""
            return f"{int(n):,} {what}" + (f"{between}{n / articles:.1f} per article{end}" if articles > 1 else "")

        text = (f"{opening} {count(roles.get('claim', 0), 'other claims')} and "
                f"{count(roles.get('recommendation', 0), 'recommendation sentences')}, backs them with "
                f"{count(roles.get('premise', 0), 'premises')}")
        if len(evidence) and evidence.iloc[0]:
            text += (f", and its commonest kind of evidence is {evidence.index[0]} "
                     f"({count(evidence.iloc[0], 'sentences', between=', ', end='')})")
        return text + ".", _ids(main["sent_id"].head(2))

    return _per_group(units, plan, "arguments", trust, "`{g}` has no sentence the argument rules read.", finding_for)


def _contrast_trust(tables, question: str, otherwise: str) -> str:
    """The validated figures notebook 04's comparison gives beside ``question`` (the same words, as Markdown), or
    ``otherwise``."""
    contrast_rows = tables["04-contrast"]
    stated = contrast_rows.loc[contrast_rows["question"] == question, "trust"].dropna()
    return plain_markdown(str(stated.iloc[0])) if len(stated) and stated.iloc[0] else otherwise


def _recommendations(tables) -> list[dict]:
    """Per compared group (at most :data:`CAP`): how many recommendations of its own, and the strongest ones."""
    plan = _plan(tables)
    recs = tables["04-recommendations"]
    if "proposer" in recs:
        recs = recs[recs["proposer"] == "author"]
    recs = recs.assign(group=recs["doc_id"].map(plan.group_of))
    trust = _contrast_trust(tables, "who should act, and how",
                            "recommendations by stated rules (no validation results found)") + "; read each sentence"

    def finding_for(group, part):
        named = part["actor"].map(actor_shown) != NO_ACTOR  # at equal strength, those that say whom they ask first
        strongest = part.assign(named=named).sort_values(["strength_rank", "named"], ascending=False,
                                                         kind="stable").head(3)
        listed = "; ".join(_as_written(row) for row in strongest.to_dict("records"))
        where = f" across {part['doc_id'].nunique()} articles" if plan.kind == "groups" else ""
        return (_closed(f"`{group}` makes {len(part):,} recommendations{where}; the strongest: {listed}"),
                _ids(strongest["sent_id"]))

    return _per_group(recs, plan, "recommendations", trust,
                      "`{g}` makes no recommendation the rules recognise.", finding_for)


def _as_written(rec: dict) -> str:
    """A recommendation as the findings quote it: who [strength] what (:func:`opedlens.compare.contrast.as_written`)."""
    who, what = as_written(rec)
    return f"{plain_markdown(who)} [{strength_as_written(rec)}] {plain_markdown(_short(what))}"


def _short(text: str, limit: int = 110) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _meeting_points(tables) -> list[dict]:
    """How many claims meet and the closest shared point; shared points and disagreements are findings only where a
    validated matcher or detector stands behind them, never the unvalidated candidates."""
    from opedlens.compare import align

    points = tables["04-alignment"]
    key = points["match_score"].fillna(points["similarity"]) if "match_score" in points else points["similarity"]
    shared = points[points["status"] == "shared"].assign(_key=key).sort_values("_key", ascending=False)
    disagree = points[points["status"] == "disagree"]
    possible = points[points["status"].astype(str).str.startswith("possible")]
    unmatched = _unmatched(points)
    matcher = align.matcher_of(points)
    asserted = align.matching_validated(matcher)
    sides = "two sides" if points.get("comparison", points["status"]).nunique() <= 1 else "compared groups"
    elsewhere = "on the other side" if sides == "two sides" else "in any other group"
    meet = (f"The {sides}' claims meet in {len(shared)} matched pairs" if asserted else
            f"{len(shared):,} pairs of the {sides}' claims may make the same point: candidates listed in notebook 04 "
            "for the reader to judge, not counted as shared points, because the matcher is not validated on op-ed "
            "prose")
    op_ed = align.op_ed_check_text(matcher)
    rows = [{"section": "meeting points", "details": "04",
             "finding": (meet + (f"; claims with no candidate {elsewhere}: "
                                 + ", ".join(f"{n:,} of {side}" for side, n in unmatched.items()) if len(unmatched)
                                 else "")
                         + (f"; {len(possible)} possible disagreements are listed in notebook 04 for the reader to "
                            "judge, not counted here, because no detector of opposite sides is validated"
                            if len(possible) else "") + "."),
             "evidence": "", "trust": _contrast_trust(tables, "points both make", (
                 f"claim matching ({align.report_method(matcher)}): no validation results found"
                 + (f"; {op_ed}" if op_ed else "")))}]
    if not shared.empty and asserted:
        best = shared.iloc[0]
        rows.append({"section": "meeting points", "details": "04", "evidence": _ids([best["sent_a"], best["sent_b"]]),
                     "trust": f"match score {best['_key']:.2f}",
                     "finding": (f"Closest shared point: “{plain_markdown(best['text_a'])}” and "
                                 f"“{plain_markdown(best['text_b'])}”")})
    for row in disagree.head(3).itertuples():
        rows.append({"section": "meeting points", "details": "04", "evidence": _ids([row.sent_a, row.sent_b]),
                     "trust": f"a validated detector of opposite sides; {plain_markdown(row.reason)}",
                     "finding": (f"Disagreement: “{plain_markdown(row.text_a)}” against “{plain_markdown(row.text_b)}”")})
    return rows


def _unmatched(points: pd.DataFrame) -> pd.Series:
    """Per side, how many of its claims no comparison paired with a candidate, most first. Each claim counts once:
    with groups, a claim is in one comparison per other group (``Al Jazeera vs Fox News``, ``... vs The Guardian``),
    and counting its rows counted it once for each."""
    ends = [points[[f"side_{end}", f"sent_{end}", "status"]].set_axis(["side", "sent_id", "status"], axis=1)
            for end in "ab"]
    claims = pd.concat(ends)
    claims = claims[claims["sent_id"].fillna("").astype(str) != ""]
    paired = (~claims["status"].astype(str).str.startswith("only ")).groupby([claims["side"], claims["sent_id"]]).any()
    return paired[~paired].reset_index()["side"].value_counts()


def _in_full(named: pd.DataFrame) -> pd.Series:
    """Each speaker, a person cited by surname alone in one article ("Obama") named as in the others when exactly
    one person cited in the group has that surname ("Barack Obama"), so one person counts once across articles."""
    people = set(named.loc[named["speaker_type"] == "person", "speaker"])
    full = {}
    for name in people:
        if len(name.split()) > 1:
            full.setdefault(name.split()[-1], set()).add(name)
    return named["speaker"].map(lambda name: next(iter(full[name])) if name in people and len(full.get(name, ())) == 1
                                else name)


def _sources(tables) -> list[dict]:
    """Per compared group (at most :data:`CAP`): how often it quotes or cites, and whom by name."""
    plan = _plan(tables)
    cited = tables["04-sources"]
    cited = cited.assign(group=cited["doc_id"].map(plan.group_of))
    trust = argument_views.sources_trust(tables["04-sources-validation"].set_index("scorer"))

    def finding_for(group, part):
        named = part[part["speaker_type"].isin(["person", "organization", "study or poll"])]
        named = named.assign(speaker=_in_full(named))
        counts = named.groupby("speaker", sort=False).agg(times=("sent_id", "size"), articles=("doc_id", "nunique"))
        if plan.kind == "groups":  # a source many of a group's articles cite says more about it than one cited often
            most, order = counts.sort_values(["articles", "times"], ascending=False, kind="stable").head(6), \
                "cited by the most articles first"
            shown = [f"{plain_markdown(s)} ({_times(r.articles, 'article')}, {_times(r.times, 'time')})"
                     for s, r in most.iterrows()]
        else:
            most, order = counts.sort_values("times", ascending=False, kind="stable").head(6), "most cited first"
            shown = [f"{plain_markdown(s)} ({_times(r.times, 'time')})" for s, r in most.iterrows()]
        first = named.drop_duplicates("speaker").set_index("speaker")["sent_id"]  # where each is first cited
        listed = f"named sources, {order}: {'; '.join(shown)}" if shown else "named sources: none"  # names hold commas
        return _closed(f"`{group}` quotes or cites {len(part):,} times; {listed}"), _ids(first.reindex(most.index[:3]))

    return _per_group(cited, plan, "sources", trust, "`{g}` quotes or cites no source the rules recognise.",
                      finding_for)


def _times(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def findings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per finding: section, text, evidence sentence ids, trust, page; plain text (the builders write
    Markdown, which is reduced to what a reader sees)."""
    rows = []
    for build in (_comparison, _tone, _actors, _topics, _arguments, _recommendations, _meeting_points, _sources):
        rows.extend(build(tables)[:2 * CAP])
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "finding_id"])
    table["finding"] = table["finding"].map(lambda text: LINE.join(plain_text(line) for line in text.split(LINE)))
    table["trust"] = table["trust"].map(plain_text)
    table.insert(0, "finding_id", [f"F{k + 1:02d}" for k in range(len(table))])
    table["details"] = table["details"].map(PAGES)
    return table


def findings_markdown(table: pd.DataFrame, section: str) -> str:
    """The findings of one section as a Markdown list, each with its evidence ids, trust note and page link."""
    lines = []
    for row in table[table["section"] == section].itertuples():
        evidence = (f" Evidence: {', '.join(f'`{i}`' for i in row.evidence.split('; '))} "
                    f"([quoted below](#{EVIDENCE_ANCHOR}))." if row.evidence else "")
        first, *more = row.finding.split(LINE)
        trust = f"*Trust:* {plain_markdown(row.trust)}. [Details]({row.details})"
        if more:  # one side per line, listed under the finding's title, then its evidence and trust
            listed = "".join(f"\n  - {plain_markdown(line)}" for line in more)
            lines.append(f"- **{row.finding_id}.** {plain_markdown(first)}{listed}\n\n  {evidence.strip()} {trust}")
        else:
            lines.append(f"- **{row.finding_id}.** {plain_markdown(first)}{evidence} {trust}")
    return "\n".join(lines) or "_No finding in this section for this corpus._"


def evidence_sentences(table: pd.DataFrame, sentences: pd.DataFrame, paragraphs: pd.DataFrame | None = None
                       ) -> pd.DataFrame:
    """Every sentence (or paragraph) a finding cites, with the findings that cite it."""
    cited = (table.assign(id=table["evidence"].str.split("; ")).explode("id").query("id != ''")
             .groupby("id", sort=False)["finding_id"].agg(", ".join))
    texts = sentences.set_index("sent_id")["text"]
    if paragraphs is not None:
        texts = pd.concat([texts, paragraphs.set_index("para_id")["text"]])
    return pd.DataFrame({"id": cited.index, "findings": cited.to_numpy(),
                         "text": [texts.get(i, "") for i in cited.index]}).set_index("id")
