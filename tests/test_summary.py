"""The findings summary is built from the report's tables, cites real sentences, and shows text as text."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from opedlens.compare import groups
from opedlens.errors import InputError
from opedlens.paths import OUTPUTS_DIR
from opedlens.report import summary


@pytest.fixture(scope="module")
def tables():
    return summary.read_tables(OUTPUTS_DIR)


@pytest.fixture(scope="module")
def findings(tables):
    return summary.findings(tables)


def test_missing_tables_are_named(tmp_path):
    with pytest.raises(InputError, match="02-article-sentiment.csv.*run notebooks 01-04"):
        summary.read_tables(tmp_path)


def test_every_section_has_a_finding_with_a_page(findings):
    assert set(findings["section"]) == set(summary.SECTIONS)
    assert findings["finding_id"].is_unique
    assert set(findings["details"]) <= set(summary.PAGES.values())


def test_evidence_ids_lead_to_real_sentences_or_paragraphs(findings, tables):
    known = set(tables["01-sentences"]["sent_id"]) | set(tables["01-paragraphs"]["para_id"])
    cited = {i for ids in findings["evidence"] if ids for i in ids.split("; ")}
    assert cited and cited <= known
    quoted = summary.evidence_sentences(findings, tables["01-sentences"], tables["01-paragraphs"])
    assert set(quoted.index) == cited
    assert (quoted["text"] != "").all()


def test_numbers_come_from_the_tables(findings, tables):
    tone = findings[findings["section"] == "tone"]["finding"].iloc[0]
    scorer, _ = summary._lead_scorer(tables)
    row = tables["02-difference"].set_index("scorer").loc[scorer]
    assert f"{abs(row['difference']):.3f}" in tone and groups.format_p(row["p_value"]) in tone
    recs = findings[findings["section"] == "recommendations"]
    own = tables["04-recommendations"]
    counts = own[own["proposer"] == "author"]["doc_id"].value_counts()
    for doc_id, n in counts.items():
        assert recs["finding"].str.contains(f"{doc_id} makes {n} recommendations", regex=False).any()


def test_findings_table_holds_plain_text(findings):
    """The CSV holds what a reader sees; Markdown escaping happens only on the page."""
    for column in ("finding", "trust"):
        text = " ".join(findings[column])
        assert "`" not in text and "\\" not in text and "**" not in text
    page = summary.findings_markdown(findings, "recommendations")
    assert findings.loc[findings["section"] == "recommendations", "finding"].iloc[0][:20] in page.replace("\\", "")


def test_a_recommendation_without_an_actor_reads_as_such(tables):
    changed = {name: frame.copy() for name, frame in tables.items()}
    recs = changed["04-recommendations"]
    own = recs.index[recs["proposer"] == "author"]
    recs.loc[own, "actor"] = float("nan")  # as a CSV reads an empty actor back
    recs.loc[own, ["actor_text", "actor_source", "about"]] = [float("nan"), "none", float("nan")]
    text = " ".join(summary.findings(changed).query("section == 'recommendations'")["finding"])
    assert "(no actor named) [" in text and "nan" not in text
    recs.loc[own, "strength_rank"] = 3
    recs.loc[own[-1], ["actor", "actor_text", "actor_source"]] = ["Japan", "Tokyo", "sentence"]  # as strong as the
    # others, and it says whom it asks: quoted first, in the sentence's words
    finding = summary.findings(changed).query("section == 'recommendations'")["finding"]
    assert finding.str.contains("strongest: Tokyo [", regex=False).any()


def test_a_sources_finding_cites_where_the_sources_it_names_speak(findings, tables):
    cited = tables["04-sources"]
    for _, row in findings[findings["section"] == "sources"].iterrows():
        listed = re.search(r"named sources, most cited first: (.*)\.$", row["finding"]).group(1).split("; ")
        names = [re.sub(r" \((\d+) times?\)$", "", name) for name in listed]
        times = [int(re.search(r"\((\d+) times?\)$", name).group(1)) for name in listed]
        speakers = cited[cited["sent_id"].isin(row["evidence"].split("; "))]["speaker"]
        assert set(names[:3]) <= set(speakers), (names, row["evidence"])
        assert times == sorted(times, reverse=True)  # most cited first
        assert times == [int((cited["speaker"] == name).sum()) for name in names]


def test_a_groups_sources_are_those_cited_by_the_most_articles_first(tables):
    plan = pd.DataFrame({"doc_id": ["a", "b"], "group": "outlet", "group_by": "outlet", "kind": "groups"})
    cited = pd.DataFrame({"doc_id": ["a", "a", "a", "a", "b"], "sent_id": ["a.p01.s01", "a.p02.s01", "a.p03.s01",
                                                                       "a.p04.s01", "b.p01.s01"],
                          "speaker": ["Harry Truman"] * 3 + ["the CIA"] * 2, "speaker_type": ["person"] * 3
                          + ["organization"] * 2})
    row = summary._sources({**tables, "02-groups": plan, "04-sources": cited})[0]
    assert row["finding"] == ("`outlet` quotes or cites 5 times; named sources, cited by the most articles first: "
                              "the CIA (2 articles, 2 times); Harry Truman (1 article, 3 times).")
    assert row["evidence"].split("; ") == ["a.p04.s01", "a.p01.s01"]  # where each is first cited


def test_a_groups_argument_counts_come_with_their_mean_per_article(tables):
    """Groups differ in size (48, 41 and 44 Webis editorials): a count alone does not compare."""
    docs = ["ha-2019-hill", "akimoto-2019-japantimes"]
    plan = pd.DataFrame({"doc_id": docs, "group": "both", "group_by": "outlet", "kind": "groups"})
    row = summary._arguments({**tables, "02-groups": plan})[0]
    units = tables["04-argument-units"]
    claims = int((units["role"] == "claim").sum())
    assert row["finding"].startswith("`both` (2 articles, 2 with a main claim the rules recognise) makes "
                                     f"{claims} other claims ({claims / 2:.1f} per article) and ")
    assert re.search(r"commonest kind of evidence is \w+ \(\d+ sentences, \d+\.\d per article\)\.$", row["finding"])
    single = summary._arguments(tables)[0]["finding"]
    assert "per article" not in single


@pytest.mark.parametrize("means, top, bottom", [((-0.067, -0.08, -0.096), "least negative `b`", "most negative `c`"),
                                                ((0.2, 0.15, 0.1), "most positive `b`", "least positive `c`"),
                                                ((0.05, 0.0, -0.04), "most positive `b`", "most negative `c`")])
def test_groups_tone_names_the_ends_for_what_they_are(tables, means, top, bottom):
    """Three Webis outlets all read below 0, and the finding called the highest "most positive". ``means``: b, a, c."""
    plan = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "group": ["a", "b", "c"], "group_by": "outlet",
                         "kind": "groups"})
    tone = pd.DataFrame({"scorer": "accurate", "group": ["b", "a", "c"], "articles": 10, "sentences": 400,
                         "mean": means, "ci_low": -1.0, "ci_high": 1.0, "unit": "article"})
    difference = pd.DataFrame({"scorer": "accurate", "group_a": ["a", "a", "b"], "group_b": ["b", "c", "c"],
                               "unit": "article", "n_a": 10, "n_b": 10, "difference": [-0.01, 0.01, 0.02],
                               "ci_low": -0.1, "ci_high": 0.1, "hedges_g": 0.1, "p_value": 0.5, "permutations": 1000,
                               "p_holm": 0.9})
    finding = summary._tone({**tables, "02-groups": plan, "02-group-sentiment": tone, "02-difference": difference,
                             "02-omnibus": tables["02-omnibus"].iloc[0:0]})[0]["finding"]
    assert f"{top} (" in finding and f"{bottom} (" in finding


def test_claims_that_match_nothing_count_once_however_many_comparisons_they_are_in(tables):
    """With three groups each claim is in two comparisons: the Webis report said "2,152 claims are only The Guardian"
    of its 1,185 claims. A claim paired in one comparison has a candidate, though it is alone in the other."""
    def row(status, comparison, a="", b="", sent_a="", sent_b=""):
        return {"status": status, "comparison": comparison, "side_a": a, "sent_a": sent_a, "side_b": b,
                "sent_b": sent_b, "text_a": "", "text_b": "", "similarity": 0.5, "match_score": 0.5,
                "method": "crossencoder_cosine_best"}

    points = pd.DataFrame([
        row("only A", "A vs B", "A", sent_a="a1"), row("only A", "A vs C", "A", sent_a="a1"),
        row("only A", "A vs B", "A", sent_a="a2"), row("possible same point (unvalidated)", "A vs C", "A", "C",
                                                      "a2", "c1"),
        row("only B", "A vs B", b="B", sent_b="b1"), row("only B", "B vs C", "B", sent_a="b1"),
        row("only C", "B vs C", b="C", sent_b="c1")])
    finding = summary._meeting_points({**tables, "04-alignment": points})[0]["finding"]
    assert "claims with no candidate in any other group: 1 of A, 1 of B;" in finding
    seeds = summary._meeting_points(tables)[0]["finding"]
    assert re.search(r"claims with no candidate on the other side: \d+ of akimoto-2019-japantimes, \d+ of "
                     r"ha-2019-hill;", seeds)


def test_a_group_counts_a_person_cited_by_surname_in_one_article_and_in_full_in_another_once(tables):
    """Webis editorials: "Obama" (1 article) and "Barack Obama" (1 article) were listed as two sources."""
    plan = pd.DataFrame({"doc_id": ["a", "b", "c"], "group": "outlet", "group_by": "outlet", "kind": "groups"})
    cited = pd.DataFrame({"doc_id": ["a", "b", "c", "c"], "sent_id": ["a.p01.s01", "b.p01.s01", "c.p01.s01",
                                                                      "c.p02.s01"],
                          "speaker": ["Obama", "Barack Obama", "Smith", "Smith"], "speaker_type": "person"})
    row = summary._sources({**tables, "02-groups": plan, "04-sources": cited})[0]
    assert row["finding"].endswith("Barack Obama (2 articles, 2 times); Smith (1 article, 2 times).")
    two = cited.assign(speaker=["Obama", "Barack Obama", "Michelle Obama", "Michelle Obama"])
    row = summary._sources({**tables, "02-groups": plan, "04-sources": two})[0]
    assert "Obama (1 article, 1 time)" in row["finding"], "two people named Obama: the surname is left as it is"


def test_a_groups_tone_toward_actors_counts_only_actors_several_of_its_articles_name(tables):
    # the interval resamples articles: an actor named often in two articles says little about the group
    plan = pd.DataFrame({"doc_id": list("abcd"), "group": "outlet", "group_by": "outlet", "kind": "groups"})
    tone = pd.DataFrame({"group": "outlet", "actor": ["isil", "china", "japan", "god"],
                         "actor_label": ["ISIL", "China", "Japan", "God"], "articles": [1, 3, 4, 2],
                         "n": [9, 5, 8, 9], "mean": [-0.9, -0.4, 0.2, 0.6], "ci_low": [None, -0.6, 0.05, 0.1],
                         "ci_high": [None, -0.2, 0.4, 0.9]})
    mentions = pd.DataFrame({"doc_id": ["a", "b"], "sent_id": ["a.p01.s01", "b.p01.s01"], "actor": "china",
                             "score": [-0.5, -0.3]})
    rows = summary._actors({**tables, "02-groups": plan, "02-group-actor-sentiment": tone,
                            "02-actor-mentions": mentions})
    assert rows[0]["finding"] == ("`outlet` is most negative toward China (-0.400, 95% CI -0.600 to -0.200, 5 mentions "
                                  "in 3 articles) and most positive toward Japan (+0.200, 95% CI +0.050 to +0.400, 8 "
                                  "mentions in 4 articles).")
    assert "named in fewer than 3 of a group's articles" in rows[0]["trust"]


def test_the_warmest_actor_is_not_called_positive_when_its_interval_reaches_zero(tables):
    # the top of a ranking is only the least negative: F07 of the seeds called +0.050 (-0.136 to +0.225) positive
    plan = pd.DataFrame({"doc_id": ["a"], "group": "a", "group_by": "", "kind": "articles"})
    tone = pd.DataFrame({"group": "a", "actor": ["china", "usa", "japan"], "actor_label": ["China", "United States",
                                                                                         "Japan"],
                         "articles": 1, "n": [3, 11, 4], "mean": [-0.512, 0.05, -0.2],
                         "ci_low": [-0.831, -0.136, -0.5], "ci_high": [-0.010, 0.225, 0.1]})
    mentions = pd.DataFrame({"doc_id": ["a"], "sent_id": ["a.p01.s01"], "actor": "china", "score": [-0.5]})
    finding = summary._actors({**tables, "02-groups": plan, "02-group-actor-sentiment": tone,
                               "02-actor-mentions": mentions})[0]["finding"]
    assert finding == ("`a` is most negative toward China (-0.512, 95% CI -0.831 to -0.010, 3 mentions) and warmest "
                       "toward United States (+0.050, 95% CI -0.136 to +0.225, 11 mentions; not clearly positive: the "
                       "interval reaches 0).")


def test_how_hopeful_ends_with_whether_the_sides_differ(findings, tables):
    contrast_rows = tables["04-contrast"]
    compared = contrast_rows[(contrast_rows["question"] == "how hopeful") & (contrast_rows["side"] == "compared")]
    assert len(compared) == 1  # the seeds: two articles, their looking-ahead sentences compared
    finding = findings.loc[findings["finding"].str.startswith("How hopeful:"), "finding"].iloc[0]
    assert finding.endswith(f"\n{compared['answer'].iloc[0]}.")  # a line of its own, after each side's
    assert not re.search(r"\bcompared\b", finding)  # the row's side is not printed as if it were an article


def test_a_comparison_answers_for_each_side_on_a_line_of_its_own(tables):
    """Three groups' answers ran into one sentence of 200 words: the table keeps a line per side and the page lists
    them under the finding, its evidence and trust after them, inside the same item."""
    import mistune

    changed = {name: frame.copy() for name, frame in tables.items()}
    contrast_rows = changed["04-contrast"]
    third = contrast_rows[contrast_rows["side"] == "ha-2019-hill"].assign(side="third-group")
    changed["04-contrast"] = pd.concat([contrast_rows, third], ignore_index=True)
    found = summary.findings(changed)
    who = found.loc[found["finding"].str.startswith("Who should act, and how:")].iloc[0]
    lines = who["finding"].split("\n")
    assert lines[0] == "Who should act, and how:"
    assert [line.split(" ")[0] for line in lines[1:]] == ["ha-2019-hill", "akimoto-2019-japantimes", "third-group"]
    assert all(line.endswith(".") and "\n" not in line for line in lines[1:])
    page = mistune.html(summary.findings_markdown(found, "comparison"))
    item = page.split(f"<strong>{who['finding_id']}.</strong>")[1].split("<strong>F")[0]
    assert item.split("</ul>")[0].count("<li>") == 3 and "third-group" in item
    assert item.index("</ul>") < item.index("Evidence:") < item.index("Trust:")  # after the sides, in the item
    one_line = found.loc[found["section"] == "tone"].iloc[0]
    assert "\n" not in one_line["finding"]
    assert summary.findings_markdown(found, "tone").count("\n") == (found["section"] == "tone").sum() - 1


def test_a_comparison_trust_note_reaches_the_findings_in_the_same_words(tables):
    """Notebook 04's table holds the note as plain text; a character Markdown reads (``*``, ``_``, a backtick)
    comes through to the findings as written, not as emphasis or code."""
    changed = {name: frame.copy() for name, frame in tables.items()}
    note = "rules *as stated*, see `validate_outlook` and my_table"
    changed["04-contrast"].loc[changed["04-contrast"]["question"] == "how hopeful", "trust"] = note
    found = summary.findings(changed)
    assert found.loc[found["finding"].str.startswith("How hopeful:"), "trust"].iloc[0] == note


def test_tone_toward_actors_quotes_its_validated_score(findings, tables):
    validation = tables["02-actor-validation"].set_index("scorer")
    trust = findings.loc[findings["section"] == "actors", "trust"]
    assert (trust.str.contains(f"macro-F1 {validation.loc['targeted', 'macro_f1']:.2f}", regex=False)).all()
    missing = {**tables, "02-actor-validation": tables["02-actor-validation"].iloc[:0]}
    text = summary.findings(missing).query("section == 'actors'")["trust"].iloc[0]
    assert "no validation results found" in text


def test_evidence_and_recommendation_findings_quote_their_validated_scores(findings, tables):
    shipped = tables["04-evidence-validation"].set_index("classifier").loc["shipped"]
    arguments = findings.loc[findings["section"] == "arguments", "trust"]
    assert arguments.str.contains(f"macro-F1 {shipped['macro_f1']:.2f}", regex=False).all()
    assert arguments.str.contains(f"anecdote {shipped['anecdote']:.2f}", regex=False).all()
    recommendations = findings.loc[findings["section"] == "recommendations", "trust"]
    assert recommendations.str.contains("precision", regex=False).all()
    assert not recommendations.str.contains("see its validation", regex=False).any()
    meeting = findings.loc[findings["section"] == "meeting points", "trust"].iloc[0]
    assert "ROC AUC" in meeting and "F1" in meeting and "in notebook 04" not in meeting


def test_article_text_in_findings_is_escaped(tables):
    hostile = {name: frame.copy() for name, frame in tables.items()}
    units = hostile["04-argument-units"]
    main = units.index[units["role"] == "main claim"][0]
    units.loc[main, "text"] = "<script>window.__pwned=1</script> [click](javascript:alert(1)) *bold*"
    text = summary.findings_markdown(summary.findings(hostile), "arguments")
    assert "<script>" not in text and "](javascript:" not in text and "\\*bold\\*" in text


def test_when_every_group_is_mostly_about_one_topic_each_says_what_it_is_about_more(tables):
    changed = {name: frame.copy() for name, frame in tables.items()}
    shares, topics = changed["03-group-topic-shares"], changed["03-topics"]
    shares.loc[shares["topic"] == "T1", "mean"] = 0.9
    topics.loc[topics["topic"] == "T1", "npmi"] = 0.5
    found = {row["finding"].split("`")[1]: row["finding"] for row in summary._topics(changed)
             if "mostly" in row["finding"]}
    assert "Every group is mostly about it; `ha-2019-hill` gives more of its text than the others to topic T8 " \
           "(north / kim / u.s.): 30% (95% CI 12% to 51%) against 3% in the other group." in \
           found["ha-2019-hill"].replace("\\", "")
    # T4 and T6 set it apart more, but their own words do not cohere
    assert "than the others to topic T2 (generation" in found["akimoto-2019-japantimes"]
    assert "Every group is mostly about it" not in " ".join(row["finding"] for row in summary._topics(tables))


def test_when_two_of_three_groups_are_mostly_about_one_topic_both_say_what_they_are_about_more(tables):
    # a third group mostly about T2, like akimoto-2019-japantimes; ha-2019-hill stays mostly about T8
    changed = {name: frame.copy() for name, frame in tables.items()}
    shares, topics = changed["03-group-topic-shares"], changed["03-topics"]
    third = shares[shares["group"] == "akimoto-2019-japantimes"].assign(group="third")
    third.loc[third["topic"] == "T2", "mean"] = 0.5
    shares.loc[(shares["topic"] == "T3") & (shares["group"] == "ha-2019-hill"), "mean"] = 0.05  # akimoto leads on T3
    third.loc[third["topic"] == "T3", "mean"] = 0.0
    changed["03-group-topic-shares"] = pd.concat([shares, third], ignore_index=True)
    found = {row["finding"].split("`")[1]: row["finding"].replace("\\", "") for row in summary._topics(changed)
             if "mostly" in row["finding"]}
    assert "too" not in found["ha-2019-hill"] and "Every group" not in found["ha-2019-hill"]
    assert "`third` is mostly about it too; `akimoto-2019-japantimes` gives more of its text than the others " \
           "to topic T3" in found["akimoto-2019-japantimes"]
    assert "`akimoto-2019-japantimes` is mostly about it too, `third` most of all" in found["third"]


def test_findings_markdown_lists_each_finding_once(findings):
    text = summary.findings_markdown(findings, "sources")
    assert text.count("- **F") == (findings["section"] == "sources").sum()
    assert f"(#{summary.EVIDENCE_ANCHOR})" in text
    assert summary.findings_markdown(findings.iloc[:0], "tone").startswith("_No finding")


def test_shared_points_are_findings_only_when_the_matcher_is_validated_on_op_eds(findings, tables):
    from opedlens.compare import align

    meeting = " ".join(findings[findings["section"] == "meeting points"]["finding"])
    if align.matching_validated(align.matcher_of(tables["04-alignment"])):
        assert "matched pairs" in meeting
    else:
        assert "Closest shared point" not in meeting and "candidates listed in notebook 04" in meeting


def test_a_topic_not_cited_that_takes_more_of_the_text_is_named(tables):
    """Not cited because its words do not cohere, a larger topic would otherwise hide behind "mostly about"."""
    found = {row["finding"].split("`")[1]: row["finding"].replace("\\", "") for row in summary._topics(tables)
             if "mostly" in row["finding"]}
    shares = tables["03-group-topic-shares"]
    npmi = tables["03-topics"].set_index("topic")["npmi"]
    for group, finding in found.items():
        mine = shares[shares["group"] == group].set_index("topic")["mean"]
        cited = mine[npmi.reindex(mine.index) > 0].idxmax()
        larger = mine[mine > mine[cited]].sort_values(ascending=False)
        assert finding.startswith("Of the topics whose words cohere, ") == (len(larger) > 0), finding
        for topic, share in larger.items():
            assert npmi[topic] <= 0 and f"{topic} ({share:.0%})" in finding
    assert "Topics T1 (20%) and T6 (17%) take more, but their own words do not cohere." in \
        found["akimoto-2019-japantimes"]
    assert "take" not in found["ha-2019-hill"]


def test_an_answer_that_ends_on_a_quotation_is_not_stopped_twice(tables):
    """ "Why" quotes the sentences it rests on: the line ended “... cooperation.”. before; a full stop is added only
    where the answer does not end a sentence already."""
    found = summary.findings(tables)
    why = found.loc[found["finding"].str.startswith("Why:"), "finding"].iloc[0]
    assert not re.search(r"[.!?][”\"]\.", why)
    assert all(re.search(r"[.!?][”\"]?$", line) for line in why.split("\n")[1:])
    changed = {name: frame.copy() for name, frame in tables.items()}
    rows = changed["04-contrast"]["question"] == "why"
    changed["04-contrast"].loc[rows, "answer"] = "writes next to its recommendations “Talks help”"
    lines = summary.findings(changed).loc[lambda f: f["finding"].str.startswith("Why:"), "finding"].iloc[0]
    assert all(line.endswith("“Talks help”.") for line in lines.split("\n")[1:])


def test_a_finding_that_ends_on_a_shortened_quotation_keeps_its_ellipsis_alone(tables):
    """A recommendation cut short ends "... ideas that …"; the finding after it read "that ….", four dots."""
    changed = {name: frame.copy() for name, frame in tables.items()}
    recs = changed["04-recommendations"]
    recs.loc[recs["doc_id"] == "akimoto-2019-japantimes", "action"] = "keep talking with both allies " * 8
    finding = summary.findings(changed).loc[lambda f: f["section"] == "recommendations", "finding"]
    akimoto = finding[finding.str.contains("akimoto-2019-japantimes makes")].iloc[0]
    assert akimoto.endswith("…") and not akimoto.endswith("….")
    assert summary._closed("asks for talks") == "asks for talks."
    assert summary._closed("“Talks help.”") == "“Talks help.”"
