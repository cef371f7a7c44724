"""The findings summary: plain-language findings built from the tables notebooks 01–04 wrote.

Nothing here recomputes a measure: every number comes from a CSV in ``<output_dir>/tables`` (and the
saved validation results), so the summary always agrees with the detailed notebooks. Each finding is
a row of :func:`findings` with the sentence ids it rests on, how far to trust it, and the notebook page
that shows the details; :func:`findings_markdown` writes them for readers with article text escaped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .describe import plain_markdown
from .errors import InputError
from .paths import resolve
from .products import read_table

NEEDED = {
    "01": ["articles", "sentences", "paragraphs"],
    "02": ["article-sentiment", "article-difference", "actor-sentiment", "actor-mentions", "validation", "extremes"],
    "03": ["topics", "topic-shares", "k-selection", "keyness"],
    "04": ["argument-units", "recommendations", "sources", "alignment", "evidence-profile"],
}
PAGES = {"01": "01-load-corpus.html", "02": "02-score-sentiment.html", "03": "03-model-topics.html",
         "04": "04-compare-arguments.html"}
SECTIONS = ("tone", "actors", "topics", "arguments", "recommendations", "meeting points", "sources")
EVIDENCE_ANCHOR = "Evidence-sentences"  # nbconvert's id for the notebook's "## Evidence sentences" heading
COLUMNS = ["finding_id", "section", "finding", "evidence", "trust", "details"]


def read_tables(output_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The earlier notebooks' tables, by name (``"02-article-sentiment"`` ...); a clear error names what is missing."""
    folder = resolve(output_dir) / "tables"
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


def _lead_scorer(tables) -> tuple[str, float | None]:
    """The best-validated sentence scorer (highest Pearson r on the NYT editorials) and that r."""
    validation = tables["02-validation"]
    nyt = validation[validation["gold_set"] == "nyt_editorials"].sort_values("pearson_r", ascending=False)
    if nyt.empty:
        return tables["02-article-difference"]["scorer"].iloc[0], None
    return nyt["scorer"].iloc[0], float(nyt["pearson_r"].iloc[0])


def _tone(tables) -> list[dict]:
    scorer, r = _lead_scorer(tables)
    difference = tables["02-article-difference"]
    row = difference[difference["scorer"] == scorer]
    if row.empty:
        return []
    row = row.iloc[0]
    means = tables["02-article-sentiment"]
    means = means[means["scorer"] == scorer].set_index("doc_id")
    sides = f"`{row.group_a}` ({_mean(means, row.group_a)}) and `{row.group_b}` ({_mean(means, row.group_b)})"
    verdict = ("a difference unlikely to be chance" if row.p_value < 0.05 else
               "a difference the permutation test cannot tell from chance")
    lean = row.group_a if row.difference > 0 else row.group_b
    finding = (f"Overall tone: by the `{scorer}` scorer, mean sentence sentiment is {sides}; `{lean}` reads more "
               f"positive by {abs(row.difference):.3f}, {verdict} (p = {row.p_value:.3f}, "
               f"{int(row.permutations):,} permutations).")
    trust = f"`{scorer}` correlates r = {r:.2f} with human raters of NYT op-ed sentences" if r else "not validated here"
    extremes = tables["02-extremes"]
    negative = extremes[extremes["end"] == "most negative"].groupby("doc_id", sort=False).head(1)
    return [{"section": "tone", "finding": finding + " The most negative sentence of each is cited.",
             "evidence": _ids(negative["sent_id"]), "trust": trust, "details": "02"}]


def _mean(means: pd.DataFrame, doc_id: str) -> str:
    if doc_id not in means.index:
        return "n/a"
    m = means.loc[doc_id]
    return f"{m['mean']:+.3f}, 95% CI {m['ci_low']:+.3f} to {m['ci_high']:+.3f}"


def _doc_ids(tables) -> list[str]:
    return tables["01-articles"]["doc_id"].astype(str).tolist()


def _none_found(tables, present, section: str, details: str, says: str, trust: str) -> list[dict]:
    """A finding for each article that has nothing in a section (no main claim, recommendation, ...), saying so."""
    present = set(map(str, present))
    return [{"section": section, "details": details, "evidence": "", "trust": trust,
             "finding": f"`{doc_id}` {says}."} for doc_id in _doc_ids(tables) if doc_id not in present]


def _actors(tables) -> list[dict]:
    actor_table = tables["02-actor-sentiment"]
    mentions = tables["02-actor-mentions"]
    rows = []
    frequent = actor_table[actor_table["n"] >= 3]
    rows += _none_found(tables, frequent["doc_id"], "actors", "02",
                        "names no actor of the gazetteer three times or more, so its tone toward actors is not summarized",
                        "actors from the gazetteer; see notebook 02")
    for doc_id, group in actor_table.groupby("doc_id", sort=False):
        group = group[group["n"] >= 3].sort_values("mean")
        if group.empty:
            continue
        low, high = group.iloc[0], group.iloc[-1]
        worst = mentions[(mentions["doc_id"] == doc_id) & (mentions["actor"] == low["actor"])].nsmallest(2, "score")
        rows.append({"section": "actors", "details": "02",
                     "finding": (f"`{doc_id}` is most negative toward {plain_markdown(low['actor_label'])} "
                                 f"({low['mean']:+.2f} over {int(low['n'])} mentions, 95% CI {low['ci_low']:+.2f} "
                                 f"to {low['ci_high']:+.2f}) and most positive toward "
                                 f"{plain_markdown(high['actor_label'])} ({high['mean']:+.2f}, {int(high['n'])} "
                                 f"mentions)."),
                     "evidence": _ids(worst["sent_id"]),
                     "trust": "targeted sentiment: see its NewsMTSC macro-F1 in notebook 02; actors with fewer "
                              "than 3 mentions are left out"})
    return rows


def _topics(tables) -> list[dict]:
    shares, topics, curves = tables["03-topic-shares"], tables["03-topics"], tables["03-k-selection"]
    chosen = curves[curves["chosen"].astype(str) == "True"]
    labels = topics.set_index("topic")["label"]
    typical = topics.set_index("topic")["typical_unit"]
    trust = (f"{chosen['model'].iloc[0].upper()} with k = {int(chosen['k'].iloc[0])}: stability across seeds "
             f"{chosen['stability'].iloc[0]:.2f}, coherence (NPMI) {chosen['npmi'].iloc[0]:.3f}"
             if not chosen.empty else "topic model not chosen")
    rows = []
    for doc_id, group in shares.groupby("doc_id", sort=False):
        top = group.sort_values("mean", ascending=False).iloc[0]
        rows.append({"section": "topics", "details": "03", "trust": trust,
                     "finding": (f"`{doc_id}` is mostly about topic {top['topic']} "
                                 f"({plain_markdown(labels.get(top['topic'], ''))}): {top['mean']:.0%} of its text "
                                 f"(95% CI {top['ci_low']:.0%} to {top['ci_high']:.0%})."),
                     "evidence": str(typical.get(top["topic"], ""))})
    keyness = tables["03-keyness"]
    for side, group in keyness[keyness["z"].abs() >= 1.96].groupby("leans_to", sort=False):
        terms = ", ".join(f"*{plain_markdown(t)}* (z = {z:.1f})" for t, z in
                          zip(group.reindex(group["z"].abs().sort_values(ascending=False).index)["term"][:4],
                              group.reindex(group["z"].abs().sort_values(ascending=False).index)["z"][:4]))
        rows.append({"section": "topics", "details": "03", "evidence": "",
                     "trust": "log-odds ratio with an informative Dirichlet prior; |z| >= 1.96",
                     "finding": f"Words that set `{side}` apart: {terms}."})
    return rows


def _arguments(tables) -> list[dict]:
    units, profile = tables["04-argument-units"], tables["04-evidence-profile"]
    rows = []
    rows += _none_found(tables, units["doc_id"], "arguments", "04", "has no sentence the argument rules read",
                        "roles by stated rules (not validated)")
    for doc_id, group in units.groupby("doc_id", sort=False):
        main = group[group["role"] == "main claim"]
        evidence = profile[(profile["doc_id"] == doc_id) & (profile["evidence"] != "assumption")]
        top = evidence.sort_values("sentences", ascending=False).iloc[0] if not evidence.empty else None
        roles = group["role"].value_counts()
        opening = (f"`{doc_id}`'s main claim: “{plain_markdown(main['text'].iloc[0])}” It makes" if not main.empty else
                   f"`{doc_id}` states no main claim the rules recognise (a news report rather than an argument, "
                   "perhaps); it makes")
        text = (f"{opening} {int(roles.get('claim', 0))} other claims and {int(roles.get('recommendation', 0))} "
                f"recommendation sentences, backs them with {int(roles.get('premise', 0))} premises")
        if top is not None and top["sentences"]:
            text += f", and its commonest kind of evidence is {top['evidence']} ({int(top['sentences'])} sentences)"
        rows.append({"section": "arguments", "details": "04", "finding": text + ".",
                     "evidence": _ids(main["sent_id"]),
                     "trust": "roles by stated rules (not validated); evidence types: see macro-F1 in notebook 04"})
    return rows


def _recommendations(tables) -> list[dict]:
    recs = tables["04-recommendations"]
    rows = _none_found(tables, recs["doc_id"], "recommendations", "04", "makes no recommendation the rules recognise",
                       "rule-based extraction; read the article")
    for doc_id, group in recs.groupby("doc_id", sort=False):
        strongest = group.sort_values("strength_rank", ascending=False, kind="stable").head(3)
        listed = "; ".join(f"{plain_markdown(r.actor or 'someone')} [{r.strength}] "
                           f"{plain_markdown(_short(r.action))}" for r in strongest.itertuples())
        rows.append({"section": "recommendations", "details": "04", "evidence": _ids(strongest["sent_id"]),
                     "trust": "rule-based extraction; read each sentence",
                     "finding": f"`{doc_id}` makes {len(group)} recommendations; the strongest: {listed}."})
    return rows


def _short(text: str, limit: int = 110) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _meeting_points(tables) -> list[dict]:
    points = tables["04-alignment"]
    shared = points[points["status"] == "shared"].sort_values("similarity", ascending=False)
    disagree = points[points["status"] == "disagree"]
    only = points[points["status"].str.startswith("only ")]["status"].value_counts()
    method = points["method"].iloc[0] if len(points) else ""
    rows = [{"section": "meeting points", "details": "04",
             "finding": (f"The two sides' claims meet in {len(shared)} matched pairs and {len(disagree)} possible "
                         f"disagreements; " + ", ".join(f"{n} claims are {status}" for status, n in only.items())
                         + "."),
             "evidence": "", "trust": f"claim matching ({method}): precision and recall on held-out pairs in notebook 04"}]
    if not shared.empty:
        best = shared.iloc[0]
        rows.append({"section": "meeting points", "details": "04", "evidence": _ids([best["sent_a"], best["sent_b"]]),
                     "trust": f"similarity {best['similarity']:.2f}",
                     "finding": (f"Closest shared point: “{plain_markdown(_short(best['text_a']))}” and "
                                 f"“{plain_markdown(_short(best['text_b']))}”")})
    for row in disagree.head(3).itertuples():
        rows.append({"section": "meeting points", "details": "04", "evidence": _ids([row.sent_a, row.sent_b]),
                     "trust": f"heuristic: {plain_markdown(row.reason)}",
                     "finding": (f"Possible disagreement: “{plain_markdown(_short(row.text_a))}” against "
                                 f"“{plain_markdown(_short(row.text_b))}”")})
    return rows


def _sources(tables) -> list[dict]:
    cited = tables["04-sources"]
    rows = _none_found(tables, cited["doc_id"], "sources", "04", "quotes or cites no source the rules recognise",
                       "rule-based extraction over spaCy's parse")
    for doc_id, group in cited.groupby("doc_id", sort=False):
        named = group[group["speaker_type"].isin(["person", "organization", "study or poll"])]
        names = ", ".join(plain_markdown(s) for s in dict.fromkeys(named["speaker"]))
        rows.append({"section": "sources", "details": "04", "evidence": _ids(named["sent_id"]),
                     "trust": "rule-based extraction over spaCy's parse",
                     "finding": f"`{doc_id}` quotes or cites {len(group)} times; named sources: {names or 'none'}."})
    return rows


def findings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per finding: section, text (Markdown, article text escaped), evidence sentence ids, trust, page."""
    rows = []
    for build in (_tone, _actors, _topics, _arguments, _recommendations, _meeting_points, _sources):
        rows.extend(build(tables))
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "finding_id"])
    table.insert(0, "finding_id", [f"F{k + 1:02d}" for k in range(len(table))])
    table["details"] = table["details"].map(PAGES)
    return table


def findings_markdown(table: pd.DataFrame, section: str) -> str:
    """The findings of one section as a Markdown list, each with its evidence ids, trust note and page link."""
    lines = []
    for row in table[table["section"] == section].itertuples():
        evidence = (f" Evidence: {', '.join(f'`{i}`' for i in row.evidence.split('; '))} "
                    f"([quoted below](#{EVIDENCE_ANCHOR}))." if row.evidence else "")
        lines.append(f"- **{row.finding_id}.** {row.finding}{evidence} *Trust:* {row.trust}. "
                     f"[Details]({row.details})")
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
