"""Argument units: one role per sentence, one main claim per article, and the outline built from them.

The evidence types are given by hand here (``evidence_frame``), so these tests check the role rules,
not the evidence classifier.
"""

from __future__ import annotations

import pandas as pd
import pytest

from opedlens.compare import argument_views
from opedlens.measure import actors, arguments, embed, nlp, recommendations, sources, stance

HA = "ha-2019-hill"
AKI = "akimoto-2019-japantimes"

# Paragraphs whose sentences are told as events (anecdotes); everything else is the author's assumption,
# and a sentence that cites a source is testimony.
ANECDOTE_PARAGRAPHS = {f"{HA}.p01", f"{HA}.p02", f"{HA}.p04", f"{AKI}.p07", f"{AKI}.p09"}
ANECDOTE_SENTENCES = {f"{HA}.p08.s02", f"{HA}.p08.s03"}


def require_models():
    if not nlp.available():
        pytest.skip(nlp.INSTALL_HINT)
    if not embed.available():
        pytest.skip(f"the main-claim step needs MiniLM: {embed.INSTALL_HINT}")


def evidence_frame(sentences: pd.DataFrame, cited: set[str]) -> pd.DataFrame:
    kinds = ["testimony" if row.sent_id in cited
             else "anecdote" if row.para_id in ANECDOTE_PARAGRAPHS or row.sent_id in ANECDOTE_SENTENCES
             else "assumption" for row in sentences.itertuples()]
    return pd.DataFrame({"evidence": kinds, "evidence_p": [0.91234] * len(kinds)})


@pytest.fixture(scope="module")
def seed_inputs(seed_corpus):
    require_models()
    sentences = seed_corpus.sentences
    recs = recommendations.extract(sentences, actors.load_gazetteer())
    cited = sources.extract(sentences)
    return {
        "sentences": sentences,
        "evidence": evidence_frame(sentences, set(cited["sent_id"])),
        "markers": stance.stance_markers(sentences),
        "recs": recs,
        "sources": cited,
        "titles": dict(zip(seed_corpus.articles["doc_id"], seed_corpus.articles["title"])),
    }


@pytest.fixture(scope="module")
def units(seed_inputs):
    i = seed_inputs
    return arguments.argument_units(i["sentences"], i["evidence"], i["markers"], i["recs"], i["sources"], i["titles"])


def role_of(units, sent_id):
    return units.set_index("sent_id").loc[sent_id, "role"]


def reason_of(units, sent_id):
    return units.set_index("sent_id").loc[sent_id, "role_reason"]


# --- the seed articles -------------------------------------------------------------------------------------------

def test_every_sentence_gets_exactly_one_role(units, seed_inputs):
    sentences = seed_inputs["sentences"]
    assert list(units.columns) == arguments.UNIT_COLUMNS
    assert units["sent_id"].tolist() == sentences["sent_id"].tolist()
    assert units["text"].tolist() == sentences["text"].tolist()
    assert units["role"].isin(arguments.ROLES).all()
    assert units["role_reason"].str.strip().astype(bool).all()


def test_exactly_one_main_claim_per_article(units):
    main = units[units["role"] == "main claim"]
    assert sorted(main["doc_id"]) == sorted(units["doc_id"].unique())
    for reason in main["role_reason"]:
        assert reason.startswith("closest to headline and article; ")
        assert "; claim: " in reason or "; recommendation: " in reason


def test_recommendation_sentences_are_recommendations(units, seed_inputs):
    recs = seed_inputs["recs"]
    own = recommendations.own(recs)
    with_recs = set(own["sent_id"])
    roles = units.set_index("sent_id")["role"]
    assert roles[list(with_recs)].isin(["recommendation", "main claim"]).all()
    assert set(units.loc[units["role"] == "recommendation", "sent_id"]) <= with_recs
    # the recommendations column lists the sentence's own rec_ids
    p28 = units.set_index("sent_id").loc[f"{AKI}.p28.s01"]
    assert p28["recommendations"] == "; ".join(own.loc[own["sent_id"] == f"{AKI}.p28.s01", "rec_id"]) != ""
    assert (units.loc[~units["sent_id"].isin(with_recs), "recommendations"] == "").all()


def test_a_proposal_the_article_reports_is_not_the_authors_recommendation(units, seed_inputs):
    """The Atlantic Council experts' list (akimoto p37.s01) and the court's ruling (ha p02.s02) are others' proposals."""
    recs = seed_inputs["recs"]
    reported = set(recs.loc[recs["proposer"] != "author", "sent_id"]) - set(recommendations.own(recs)["sent_id"])
    assert {f"{AKI}.p37.s01", f"{HA}.p02.s02"} <= reported
    by_sent = units.set_index("sent_id")
    assert not by_sent.loc[list(reported), "role"].isin(["recommendation"]).any()
    assert (by_sent.loc[list(reported), "recommendations"] == "").all()


def test_a_cited_view_the_author_then_rejects_is_a_counter_argument(units):
    # p03.s01 Schriver said ..., p03.s02 "This time is no different," he told ..., p04.s01 The problem is, ...
    for sent in ("p03.s01", "p03.s02"):
        assert role_of(units, f"{AKI}.{sent}") == "counter-argument"
        assert "Randall Schriver" in reason_of(units, f"{AKI}.{sent}")
    assert role_of(units, f"{AKI}.p04.s01") in ("claim", "main claim")


def test_factual_sentences_are_background_or_premise_by_paragraph(units):
    # ha p02 is factual and makes no claim, nor do its neighbours (p01 anecdote, p03.s01 testimony): background;
    # p02.s02 cites South Korea's Supreme Court ("ruled that"), so this evidence frame calls it testimony
    for sent, kind in (("p02.s01", "anecdote"), ("p02.s02", "testimony"), ("p02.s03", "anecdote")):
        assert role_of(units, f"{HA}.{sent}") == "background"
        assert reason_of(units, f"{HA}.{sent}") == f"{kind}, no claim in its paragraph or next to it"
    # ha p08.s02 is an anecdote in a paragraph that opens with a recommendation: premise
    assert role_of(units, f"{HA}.p08.s02") == "premise"
    assert reason_of(units, f"{HA}.p08.s02") == "anecdote beside a claim"


def test_columns_carry_evidence_speaker_and_markers(units):
    assert (units["evidence_p"] == 0.912).all()
    by_id = units.set_index("sent_id")
    assert by_id.loc[f"{AKI}.p39.s02", "speaker"] == "Katsutoshi Kawano"
    assert by_id.loc[f"{AKI}.p39.s02", "evidence"] == "testimony"
    assert by_id.loc[f"{HA}.p13.s02", "modality"] == "strong"
    assert by_id.loc[f"{HA}.p13.s02", "modal"] == "must"
    assert by_id.loc[f"{AKI}.p16.s01", "indicator"] == "in short"
    assert by_id.loc[f"{HA}.p05.s01", "speaker"] == ""


def test_argument_map_puts_the_main_claim_first_and_keeps_every_sentence(units):
    for doc_id in units["doc_id"].unique():
        article = units[units["doc_id"] == doc_id]
        outline = argument_views.argument_map(units, doc_id)
        assert len(outline) == len(article)
        assert outline.loc[0, "role"] == argument_views.ROLE_MARK["main claim"]
        assert (outline["role"] == argument_views.ROLE_MARK["main claim"]).sum() == 1
        main = article[article["role"] == "main claim"].iloc[0]
        assert outline.loc[0, "text"] == main["text"]
        assert sorted(f"{doc_id}.{sid}" for sid in outline["sent_id"]) == sorted(article["sent_id"])
        assert not outline["sent_id"].str.startswith(doc_id).any()
        rest = article[article["role"] != "main claim"]["sent_id"].str.removeprefix(f"{doc_id}.")
        assert outline["sent_id"].iloc[1:].tolist() == rest.tolist()  # then in reading order
        assert outline["role"].notna().all()


@pytest.mark.parametrize("column, order", [("evidence", arguments.EVIDENCE_TYPES), ("role", arguments.ROLES)])
def test_profile_shares_sum_to_one_per_article(units, column, order):
    table = argument_views.profile(units, column, order)
    assert list(dict.fromkeys(table["doc_id"])) == list(dict.fromkeys(units["doc_id"]))
    assert len(table) == units["doc_id"].nunique() * len(order)  # zero counts are kept
    for doc_id, group in table.groupby("doc_id", sort=False):
        assert group[column].tolist() == list(order)
        assert group["sentences"].sum() == (units["doc_id"] == doc_id).sum()
        assert group["share"].sum() == pytest.approx(1.0, abs=0.005)
    roles = argument_views.profile(units, "role", arguments.ROLES)
    assert (roles.loc[roles["role"] == "main claim", "sentences"] == 1).all()


def test_indicator_lists():
    lists = arguments.indicators()
    assert "because" in lists["premise"] and "therefore" in lists["claim"]
    assert "in a nutshell" in lists["claim"]
    assert not set(lists["premise"]) & arguments.NOISY_INDICATORS


# --- a synthetic article -----------------------------------------------------------------------------------------

SYNTHETIC = [  # doc_id, para_id, sent_id, text, evidence
    ("a", "a.p01", "a.p01.s01", "Officials said that the talks were going well.", "testimony"),
    ("a", "a.p01", "a.p01.s02", "The problem is, the talks have stalled.", "assumption"),
    ("a", "a.p02", "a.p02.s01", "Of course, the dispute is old.", "assumption"),
    ("a", "a.p03", "a.p03.s01", "Last year, the two leaders met in Osaka.", "anecdote"),
    ("a", "a.p04", "a.p04.s01", "Japan should resume the talks.", "assumption"),
    ("a", "a.p04", "a.p04.s02", "In 2018, a similar summit produced a deal.", "anecdote"),
    ("a", "a.p05", "a.p05.s01", "Although the talks failed, cooperation remains possible.", "assumption"),
    ("b", "b.p01", "b.p01.s01", "Last week, the leaders met in Seoul.", "anecdote"),
    ("b", "b.p02", "b.p02.s01", "Trade between the two countries fell by a third.", "statistics"),
    ("b", "b.p03", "b.p03.s01", "The meeting was a mistake.", "assumption"),
]
EXPECTED_ROLES = {
    "a.p01.s01": "counter-argument",
    "a.p01.s02": "claim",
    "a.p02.s01": "concession",
    "a.p03.s01": "premise",  # an anecdote right before a recommendation
    "a.p04.s01": "main claim",
    "a.p04.s02": "premise",
    "a.p05.s01": "claim",
    "b.p01.s01": "background",
    "b.p02.s01": "premise",  # statistics right before a claim
    "b.p03.s01": "main claim",
}
TITLES = {"a": "Japan should resume the talks with South Korea", "b": ""}


def synthetic_units(order=None):
    table = pd.DataFrame(SYNTHETIC, columns=["doc_id", "para_id", "sent_id", "text", "evidence"])
    if order is not None:
        table = table.iloc[order].reset_index(drop=True)
    sentences = table.drop(columns="evidence")
    evidence = table[["evidence"]].assign(evidence_p=0.8)
    recs = pd.DataFrame({"doc_id": ["a"], "sent_id": ["a.p04.s01"], "rec_id": ["a.p04.s01.r1"]})
    cited = pd.DataFrame({"doc_id": ["a"], "sent_id": ["a.p01.s01"], "speaker": ["Officials"]})
    return arguments.argument_units(sentences, evidence, stance.stance_markers(sentences), recs, cited, TITLES)


@pytest.fixture(scope="module")
def synthetic():
    require_models()
    return synthetic_units()


def test_synthetic_roles(synthetic):
    assert dict(zip(synthetic["sent_id"], synthetic["role"])) == EXPECTED_ROLES


def test_synthetic_reasons(synthetic):
    reasons = dict(zip(synthetic["sent_id"], synthetic["role_reason"]))
    assert reasons["a.p01.s01"] == "cites Officials, then the author objects"
    assert reasons["a.p02.s01"] == "opens by conceding (of course)"
    assert reasons["a.p03.s01"] == "anecdote beside a claim"
    assert reasons["b.p01.s01"] == "anecdote, no claim in its paragraph or next to it"
    assert reasons["a.p04.s02"] == "anecdote beside a claim"
    assert reasons["b.p02.s01"] == "statistics beside a claim"
    assert reasons["a.p04.s01"] == "closest to headline and article; recommendation: recommends (a.p04.s01.r1)"
    # an article without a headline is anchored on its own text; its one claim is the main claim
    assert reasons["b.p03.s01"].startswith("closest to headline and article; claim: ")


def test_although_keeps_the_claim():
    # "Although X, Y" asserts Y: a claim, not a concession
    assert not arguments.CONCEDING.match("Although the talks failed, cooperation remains possible.")
    assert arguments.CONCEDING.match("Of course, the dispute is old.")
    assert arguments.CONTRASTING.match("The problem is, this time it is different.")


def test_contrast_two_sentences_later_still_counts():
    # a cited sentence, a second cited sentence, then "The problem is, ..." (as in akimoto p03-p04)
    require_models()
    rows = [("c", "c.p01", "c.p01.s01", "Officials said that the talks were going well.", "testimony"),
            ("c", "c.p01", "c.p01.s02", "“We are close,” a diplomat said.", "testimony"),
            ("c", "c.p02", "c.p02.s01", "The problem is, the talks have stalled.", "assumption"),
            ("c", "c.p03", "c.p03.s01", "The two governments must keep talking.", "assumption")]
    table = pd.DataFrame(rows, columns=["doc_id", "para_id", "sent_id", "text", "evidence"])
    sentences = table.drop(columns="evidence")
    cited = pd.DataFrame({"doc_id": "c", "sent_id": ["c.p01.s01", "c.p01.s02"], "speaker": ["Officials", "a diplomat"]})
    recs = pd.DataFrame({"doc_id": ["c"], "sent_id": ["c.p03.s01"], "rec_id": ["c.p03.s01.r1"]})
    units = arguments.argument_units(sentences, table[["evidence"]].assign(evidence_p=0.7),
                                     stance.stance_markers(sentences), recs, cited, {"c": "Keep talking"})
    assert units["role"].tolist()[:2] == ["counter-argument", "counter-argument"]
    assert units["role"].tolist()[2] in ("claim", "main claim")


def test_roles_do_not_depend_on_how_articles_are_interleaved():
    require_models()
    interleaved = synthetic_units(order=[0, 7, 1, 8, 2, 9, 3, 4, 5, 6])
    assert dict(zip(interleaved["sent_id"], interleaved["role"])) == EXPECTED_ROLES
