"""Recommendations: who should act, what they should do, how strongly, and whose proposal it is."""

from __future__ import annotations

import pandas as pd
import pytest

from opedlens.measure import actors, nlp, recommendations

pytestmark = pytest.mark.skipif(not nlp.available(), reason=nlp.INSTALL_HINT)

HA = "ha-2019-hill"
AKI = "akimoto-2019-japantimes"


@pytest.fixture(scope="module")
def gazetteer():
    return actors.load_gazetteer()


@pytest.fixture(scope="module")
def recs(seed_corpus, gazetteer):
    """The seed corpus's recommendations, extracted once for this file."""
    return recommendations.extract(seed_corpus.sentences, gazetteer)


def sentences(*texts, doc="d1"):
    """A small sentence table, one sentence per paragraph."""
    return pd.DataFrame({"doc_id": doc,
                         "para_id": [f"{doc}.p{i:02d}" for i in range(1, len(texts) + 1)],
                         "sent_id": [f"{doc}.p{i:02d}.s01" for i in range(1, len(texts) + 1)],
                         "text": list(texts)})


def extract(gazetteer, *texts):
    return recommendations.extract(sentences(*texts), gazetteer)


def rows_of(recs, doc_id, sent):
    return recs[recs["sent_id"] == f"{doc_id}.{sent}"]


def one_row(recs, doc_id, sent, words):
    """The single row of that sentence whose action mentions ``words``."""
    rows = rows_of(recs, doc_id, sent)
    hits = rows[rows["action"].str.contains(words, regex=False)]
    assert len(hits) == 1, f"expected one row of {doc_id}.{sent} with {words!r}, got\n{rows[['action']]}"
    return hits.iloc[0]


# --- the seed articles -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id, sent, words, strength", [
    (HA, "p10.s01", "trilateral working-level dialogue", "should"),
    (HA, "p10.s05", "TCOG", "should"),
    (HA, "p11.s02", "two-track", "should"),
    (AKI, "p37.s01", "freeze on further actions", "could"),
    (AKI, "p37.s01", "joint statement on trilateral cooperation", "could"),
    (AKI, "p37.s01", "high-level talks", "could"),
    (AKI, "p37.s01", "grassroots exchanges", "could"),
])
def test_seed_recommendations_are_found_in_their_sentence(recs, seed_corpus, doc_id, sent, words, strength):
    row = one_row(recs, doc_id, sent, words)
    assert row["doc_id"] == doc_id
    assert row["sent_id"] in set(seed_corpus.sentences.loc[seed_corpus.sentences["doc_id"] == doc_id, "sent_id"])
    text = seed_corpus.sentences.set_index("sent_id").loc[row["sent_id"], "text"]
    assert row["text"] == text and words in text
    assert row["strength"] == strength


def test_a_list_of_proposals_gives_one_row_per_proposal(recs):
    rows = rows_of(recs, AKI, "p37.s01")
    proposals = ["freeze on further actions", "joint statement", "high-level talks", "grassroots exchanges"]
    matched = [rows.index[rows["action"].str.contains(p, regex=False)].tolist() for p in proposals]
    assert all(len(m) == 1 for m in matched)
    assert len({m[0] for m in matched}) == len(proposals)  # separate rows, not one long action
    assert rows["rec_id"].tolist() == [f"{AKI}.p37.s01.r{n}" for n in range(1, len(rows) + 1)]
    # each action is one proposal, not the whole list
    assert (rows["action"].str.len() < len(rows["text"].iloc[0]) / 2).all()


@pytest.mark.parametrize("doc_id, sent", [
    (HA, "p07.s01"), (HA, "p08.s01"), (HA, "p10.s01"), (HA, "p10.s05"), (HA, "p11.s02"), (HA, "p13.s02"),
    (AKI, "p35.s01"),
])
def test_us_recommendations_name_the_united_states(recs, doc_id, sent):
    rows = rows_of(recs, doc_id, sent)
    assert len(rows) >= 1
    assert (rows["actor"] == "United States").all()
    assert (rows["actor_source"] == "sentence").all()


def test_washington_and_the_trump_administration_are_the_united_states(recs):
    assert one_row(recs, HA, "p10.s05", "TCOG")["actor_text"] == "Washington"
    assert rows_of(recs, HA, "p13.s02")["actor_text"].tolist() == ["the Trump administration"]


def test_strengths_and_ranks_are_consistent(recs):
    assert not recs.empty
    assert set(recs["strength"]) <= set(recommendations.STRENGTH_RANK)
    assert (recs["strength_rank"] == recs["strength"].map(recommendations.STRENGTH_RANK)).all()
    assert {"must", "needs to", "should", "could"} <= set(recs["strength"])  # all four occur in the seeds
    assert rows_of(recs, HA, "p13.s02")["strength"].tolist() == ["must"]
    assert rows_of(recs, HA, "p07.s01")["strength"].tolist() == ["needs to"]
    assert rows_of(recs, AKI, "p38.s01")[["strength", "cue", "actor"]].values.tolist() == \
        [["must", "it is up to", "Japan & South Korea"]]


def test_rec_ids_are_unique_and_start_with_their_sentence(recs, seed_corpus):
    assert list(recs.columns) == recommendations.COLUMNS
    assert recs["rec_id"].is_unique
    assert all(rid.startswith(f"{sid}.r") for rid, sid in zip(recs["rec_id"], recs["sent_id"]))
    assert set(recs["sent_id"]) <= set(seed_corpus.sentences["sent_id"])
    assert all(sid.startswith(f"{doc}.") for doc, sid in zip(recs["doc_id"], recs["sent_id"]))
    # reading order: rows follow the sentences' order
    order = {sid: n for n, sid in enumerate(seed_corpus.sentences["sent_id"])}
    assert recs["sent_id"].map(order).is_monotonic_increasing


@pytest.mark.parametrize("doc_id, sent, why", [
    (AKI, "p10.s01", "a quotation (Koda: 'must never be crossed')"),
    (AKI, "p25.s01", "a negated modal ('may not be able to solve')"),
    (AKI, "p26.s02", "a weak modal with a harmful verb ('could further aggravate')"),
    (HA, "p02.s02", "reported speech ('the Supreme Court ruled that ... must provide')"),
    (AKI, "p14.s01", "a cognition verb ('feels it has to resign itself')"),
    (AKI, "p39.s01", "a quotation (Kawano: 'mediation may make the situation better')"),
    (AKI, "p36.s01", "a relative clause ('the steps the U.S. could take')"),
    (AKI, "p37.s01", "the Atlantic Council experts' list ('the possible solutions raised included ...')"),
    (HA, "p11.s03", "a possibility ('people-to-people exchanges may facilitate reconciliation')"),
])
def test_not_the_authors_recommendation(recs, seed_corpus, doc_id, sent, why):
    assert f"{doc_id}.{sent}" in set(seed_corpus.sentences["sent_id"])
    assert recommendations.own(rows_of(recs, doc_id, sent)).empty, why


def test_the_atlantic_council_list_is_theirs_not_the_authors(recs):
    rows = rows_of(recs, AKI, "p37.s01")
    assert len(rows) == 5 and set(rows["proposer"]) == {"the Atlantic Council (named before)"}


def test_reported_and_quoted_proposals_name_who_proposes(recs):
    assert rows_of(recs, AKI, "p10.s01")["proposer"].tolist() == ["quoted"]
    assert rows_of(recs, AKI, "p14.s01").empty  # "it no longer feels it has to": an obligation denied, no proposal
    p16 = rows_of(recs, AKI, "p16.s01")  # "Seoul thinks it is time to stop being the lesser partner"
    assert (p16["proposer"].tolist(), p16["actor"].tolist()) == (["Seoul"], ["South Korea"])


def test_akimotos_central_call_is_found(recs):
    row = rows_of(recs, AKI, "p28.s01").iloc[0]  # "... standing on the sidelines ... is no longer acceptable"
    assert (row["proposer"], row["strength"]) == ("author", "must")
    assert row["action"] == "stop standing on the sidelines wishing for good results"


def test_a_body_that_can_act_is_the_actor(recs):
    row = rows_of(recs, HA, "p10.s07").iloc[0]  # "A new TCOG or a similar body should focus on ..."
    assert (row["actor"], row["actor_source"]) == ("a new TCOG or a similar body", "sentence (not in the gazetteer)")
    assert row["actor_text"] == "A new TCOG or a similar body"  # as written; the actor reads inside a finding


def test_an_unknown_actor_keeps_the_capitals_of_its_name(gazetteer):
    rows = extract(gazetteer, "Greenpeace Norway should withdraw the complaint.", "The Acme Foundation must apologize.")
    assert rows["actor"].tolist() == ["Greenpeace Norway", "the Acme Foundation"]


def test_a_concessive_clause_is_not_advice(recs):
    # "Although full reconciliation should remain the long-term goal, the U.S. should encourage ..."
    rows = rows_of(recs, HA, "p11.s02")
    assert len(rows) == 1
    assert not rows["action"].str.contains("reconciliation").any()


@pytest.mark.parametrize("text, actor, action", [
    ("It is not acceptable, for example, to use racist terms.", "", "not use racist terms"),
    ("It is no longer acceptable for Washington to stand on the sidelines.", "United States",
     "not stand on the sidelines"),
    ("It is unacceptable that the government ignores the victims.", "the government", "not ignore the victims"),
    ("It is unacceptable that children are detained.", "", "not be detained (children)"),
    ("Such behaviour is unacceptable.", "", "stop such behaviour"),
])
def test_what_is_unacceptable_is_the_clause_it_stands_for(gazetteer, text, actor, action):
    # "It is not acceptable to ..." was "[must] stop It"
    row = extract(gazetteer, text).iloc[0]
    assert (row["actor"], row["action"], row["strength"]) == (actor, action, "must")


def test_an_exclamation_is_not_a_call_to_act(gazetteer):
    for text in ("Come on, Hollywood.", "Give me a break.", "Believe me, this matters."):
        assert extract(gazetteer, text).empty, text
    assert extract(gazetteer, "Come on over and help us.").iloc[0]["action"] == "come on over and help us"


def test_an_imperative_reads_as_an_action_and_a_thing_that_binds_is_not_an_actor(gazetteer):
    assert extract(gazetteer, "Keep up the pressure.").iloc[0]["action"] == "keep up the pressure"
    table = extract(gazetteer, "Washington must act.", "The free press must not be bound by political strictures.")
    row = table.iloc[1]
    assert (row["actor"], row["actor_source"]) == ("", "none")  # neither the strictures nor Washington
    assert row["action"] == "not be bound by political strictures (The free press)"


def test_a_when_clause_describes_circumstances_not_advice(gazetteer):
    # spaCy parses this "when" as an adverb of the clause, not its marker
    text = "Many get angry at cases in the news, but when they have to turn to someone for help, they call the police."
    assert extract(gazetteer, text).empty
    assert len(extract(gazetteer, "When the talks resume, Japan must apologize.")) == 1


# --- synthetic sentences -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, strength, actor, action", [
    ("Washington must act now.", "must", "United States", "act now"),
    ("Japan, which has waited long enough, must act now.", "must", "Japan", "act now"),
    ("The EU should consider sanctions.", "should", None, "consider sanctions"),
    ("Japan needs to apologize.", "needs to", "Japan", "apologize"),
    ("Japan has to apologize.", "must", "Japan", "apologize"),
    ("It is time for Tokyo to act.", "must", "Japan", "act"),
    ("Japan must not apologize.", "must", "Japan", "not apologize"),
    ("Japan should never apologize.", "should", "Japan", "never apologize"),
    ("Japan need not apologize.", "needs to", "Japan", "not apologize"),
    ("These issues must be discussed in Seoul.", "must", None, "be discussed in Seoul (These issues)"),
    ("Governments must agree to cut emissions.", "must", None, "agree to cut emissions"),
    ("The ministry should be doing much more.", "should", None, "be doing much more"),
    ("Extremist ideology must be tackled on every front.", "must", None, "be tackled"),
    ("Society must steer clear of blaming migrants.", "must", None, "steer clear of blaming migrants"),
    ("Those running the talks must be sure that both sides agree.", "must", None, "be sure"),
    ("Legislative reform is necessary.", "needs to", None, "have legislative reform"),
    ("There is no question that Congress should raise the limit.", "should", None, "raise the limit"),
    ("The officers who fired the shots must be accountable to a court.", "must", None, "be accountable"),
    # how to act stays with the verb; words that link the sentence or count its subject do not
    ("The government should not simply ignore the warning.", "should", None, "not simply ignore the warning"),
    ("Such attacks must be universally condemned.", "must", None, "be universally condemned (Such attacks)"),
    ("Main Street should never again be forced to rescue Wall Street.", "should", None, "never again be forced"),
])
def test_one_modal_one_row(gazetteer, text, strength, actor, action):
    table = extract(gazetteer, text)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["strength"] == strength
    assert row["strength_rank"] == recommendations.STRENGTH_RANK[strength]
    assert action in row["action"]
    if actor is not None:
        assert row["actor"] == actor and row["actor_source"] == "sentence"
    assert row["rec_id"] == "d1.p01.s01.r1" and row["text"] == text


@pytest.mark.parametrize("text, action", [
    ("Japan should therefore apologize.", "apologize"),
    ("We should all take a lesson from this.", "take a lesson from this"),
    ("The ministry must now act.", "act"),
])
def test_words_that_do_not_say_how_stay_out_of_the_action(gazetteer, text, action):
    assert extract(gazetteer, text)["action"].tolist() == [action]


@pytest.mark.parametrize("text, why", [
    ("Tokyo could worsen the crisis.", "a possibility"),
    ("China may help resolve the dispute.", "a possibility, not advice"),
    ("Last year the talks collapsed.", "no directive"),
    ("Tokyo must have known the ruling was coming.", "an inference about the past"),
    ("The prime minister must have muttered something.", "an inference about the past"),
    ("I must admit the talks surprised me.", "a first-person aside"),
    ("Seoul will have to accept the ruling.", "a prediction"),
    ("Washington may have to intervene.", "a prediction"),
    ("Should Washington intervene now?", "a question"),
    ("Why should Tokyo apologize again?", "a rhetorical question"),
    ("Japan should have apologized in 2015.", "a judgement of the past"),
    ("Higher tariffs should make the exports cost more.", "an expectation about a thing"),
    ("That should be enough to calm the markets.", "an expectation"),
    ("Everyone should know that the alliance matters.", "'should know that' is an aside"),
    ("Imagine the alliance without Japan.", "a rhetorical imperative"),
    ("His gaffes alone should sink him.", "what a thing is expected to do to someone"),
    ("The debate's focus should play to his strength.", "an expectation about a thing"),
    ("Something caused the universe, and this first cause must be God.", "an inference of identity"),
    ("The summit should be as we remember it from the photographs.", "a comparison, not a norm"),
    ("Expect Tokyo to raise the issue again.", "a prediction in the imperative"),
    ("Seoul no longer feels it has to accept the junior role.", "an obligation denied"),
    ("Make a world worthy of the children.\"", "the end of someone's quoted words"),
    ("There has been controversy as to which two teams should play for the title.", "a question inside a sentence"),
    ("The dog weighed half of what a dog his size should weigh.", "a question inside a sentence"),
    ("In the runoff, she must win the support of 218 members.", "what the race requires of her"),
    ("He must still beat two rivals in the primaries.", "what the race requires of him"),
    ("After days of controversy and calls for his resignation, the anchor was suspended.", "'calls' is a noun"),
    ("The gift that I am asking you to make will be used to train nurses.", "an appeal inside a relative clause"),
    ("From the ruling one must infer that the court saw no harm.", "an inference"),
    ("We need to be honest with ourselves: the talks have failed.", "announcing a point"),
    ("It is not surprising that Seoul should be angry.", "a putative 'should'"),
    ("They served with no expectation they should be thanked.", "the content of a view the sentence names"),
    ("Another argument turns on sovereignty: Tokyo should decide alone.", "an argument set out, not the author's"),
    ("The talks stand where we should would be.", "a slip in the text"),
    ("Tokyo must be planning a new offer.", "an inference about the present"),
    ("Dish owners must now buy decoders.", "a routine described"),
    ("Sleep is necessary for good health.", "a necessity described, not urged"),
    ("Oil prices should continue to fall next year.", "an expectation about a thing"),
    ("We remain more divided than we need to be.", "a comparison"),
    ("I fear we must look forward to a grim decade.", "what the author expects"),
    ("But one surely has to ask how much of that was spin.", "a rhetorical aside"),
    ("It is important to remember that the summit was short.", "'remember that' is an aside"),
    ("By which I don't mean that the talks should be cancelled.", "a proposal denied"),
    ("The idea that Seoul must apologize again is absurd.", "a view the sentence rejects"),
    ("Another requirement is that the request should be voluntary.", "a rule set out"),
    ("But we must not forget that the report names real people.", "'must not forget that' is an aside"),
    ("Such gangs should be a red flag for the police.", "how to read something"),
    ("Most of what veterans have to show for it is a new slogan.", "a free relative"),
    ("The fund stands ready in case panic should spread.", "a condition"),
    ("The outline of her position is that Britain should stay in.", "a position set out"),
    ("But as we count the gains, we must also accept we have unfinished business.", "'must accept (that)' is an aside"),
    ("If we think the coast must never be altered, we will have big problems.", "inside a condition"),
    ("So we should not view more officers as a panacea.", "how to judge something"),
    ("The attacks should be understood as an attempt to silence the press.", "how to judge something"),
    ("The chances to enjoy all the city has to offer are becoming fewer.", "'has to offer' is what it offers"),
    ("One has to question where that leaves the real challenges.", "a rhetorical aside"),
])
def test_not_a_recommendation_at_all(gazetteer, text, why):
    assert extract(gazetteer, text).empty, why


@pytest.mark.parametrize("text, proposer", [
    ("Officials said Japan must apologize.", "Officials"),
    ("“Japan must apologize,” Moon said.", "quoted"),
    ("Both groups recommend that the United States should mediate.", "Both groups"),
    ("As the experts put it, Washington must act now.", "the experts"),
    ("Tokyo has lost all authority and should apologize now,\" Moon tweeted.", "quoted"),
    ("The speech goes on to say the government should apologize.", "The speech"),
    ("But, he said, lawmakers should give diplomacy more time.", "he"),
    ("Japan, the minister argued, must apologize.", "the minister"),
    ("Vladimir Putin: Edward Snowden Must Stop Harming the US", "Vladimir Putin"),
    ("When the teacher saw the lesson plan, she figured she should make it a hands-on class.", "she"),
    ("The letter disputes that growers should be held responsible.", "The letter"),
    ("However, Klobuchar stressed that all candidates should be focused on beating Trump.", "Klobuchar"),
    ("According to Stefan Zillich, quotas should be a possibility.", "Stefan Zillich"),
    ("Sanders joined the lawmakers after previously saying it should be up to the voters to decide.", "Sanders"),
    ('The cable ended:"We need to keep him isolated for life."', "quoted"),
    ("As Truman understood, the agency should be broken up.", "Truman"),
    ("Many voters appeared convinced that the league should fix the courts.", "Many voters"),
])
def test_someone_elses_proposal_is_reported_with_its_source(gazetteer, text, proposer):
    table = extract(gazetteer, text)
    assert table["proposer"].tolist() == [proposer]
    assert recommendations.own(table).empty


@pytest.mark.parametrize("text, actor", [
    ("Defenders needs your immediate assistance to save the wolves.", "you"),
    ("And school schedules ought not to be the governing issue: all New Yorkers feel the heat.", ""),
    ("If Obama wants a legacy, he needs to act on policing.", "Obama"),
    ("Cameron's excuse is shameful and he must accept the invitation.", "Cameron"),
    ("If he intends to go beyond what Mr. Obama is doing, he should say so.", "he"),
    ("I also call on my colleagues in parliament to set aside their differences.", "my colleagues"),
    ("We need a new plan to take the city forward.", "we"),
    ("This time, the price of help must not be a guilty silence about abuses.", ""),
])
def test_the_authors_own_advice_is_found(gazetteer, text, actor):
    """One recommendation, with the actor the sentence names: an organisation's appeal for the reader's help; a norm
    followed by a second clause after a colon (which the parser can take for the object of the verb after it); a name
    rather than "he" when the sentence gave the name first (the README's rule), but not when the pronoun came first;
    "I call on X to ..."; "we need a new ..."; a negated "must be" as a norm."""
    own = recommendations.own(extract(gazetteer, text))
    assert len(own) == 1 and own["actor"].iloc[0] == actor


def test_a_thing_wanted_reads_as_an_action(gazetteer):
    # "we [needs to] comprehensive immigration reform" read as a slip in a featured finding
    rows = extract(gazetteer, "We need comprehensive immigration reform.", "What is needed is a new plan.",
                   "We need your support today.")
    assert rows["action"].tolist() == ["have comprehensive immigration reform", "have a new plan", "your support"]


def test_we_need_someone_to_act_names_who_should(gazetteer):
    own = recommendations.own(extract(gazetteer, "We need our churches to wake up."))
    assert own["actor_text"].tolist() == ["our churches"] and own["strength"].tolist() == ["needs to"]


def test_a_passive_relative_clause_on_its_antecedent_is_the_authors_call(gazetteer):
    """ "appalling acts that should be universally condemned": the clause says what ought to happen to them."""
    own = recommendations.own(extract(gazetteer, "These were appalling acts that should be universally condemned."))
    assert own["action"].str.contains(r"condemned \((?:appalling )?acts\)$").tolist() == [True]  # not "(that)"


@pytest.mark.parametrize("text", ["We should, I think, cut taxes.", "As I said, Barr should recuse himself."])
def test_the_authors_own_aside_keeps_the_advice_theirs(gazetteer, text):
    assert len(recommendations.own(extract(gazetteer, text))) == 1


def test_a_second_that_clause_is_reported_too(gazetteer):
    """The parser makes "and that B should ..." a conjunct of the reporting verb, not of its first clause."""
    table = extract(gazetteer, "Professor Cohen has argued that the term should be defined differently, and that "
                               "while some programmes are permissible, racial preferences should not be permitted.")
    assert len(table) == 2 and recommendations.own(table).empty


@pytest.mark.parametrize("text, proposer", [
    ("He argued to cure these problems, the government should provide adequate income to people.", "He"),
    ("They also claimed that they were the victims of the reform; therefore they should lead the new movement.",
     "They"),
    ("Still others would claim that it is a habit that should be broken.", "others"),
])
def test_a_reporting_verb_the_parse_hangs_off_the_advice_still_reports_it(gazetteer, text, proposer):
    """The verb of saying opens the clause but is parsed as the modal verb's complement, or has no subject the
    parse finds: the advice is still someone else's."""
    table = extract(gazetteer, text)
    assert table["proposer"].str.contains(proposer).tolist() == [True]
    assert recommendations.own(table).empty


@pytest.mark.parametrize("text", [
    "It was the first time that the committee had voted to act against a member since 1995.",
    "It was time to go home, and we all knew it.",
    "The letters went to the national archive, from whence they should be returned to the family.",
    "And the chairman should be ashamed of himself.",
    "Voters should be worried.",
])
def test_stories_relative_clauses_and_feelings_are_no_advice(gazetteer, text):
    assert recommendations.own(extract(gazetteer, text)).empty


@pytest.mark.parametrize("text, actor", [
    ("It is time for Congress to act.", "Congress"),
    ("Americans should be thankful for their rights, and crush any effort to weaken them.", "Americans"),
])
def test_time_and_a_feeling_with_an_action_stay_advice(gazetteer, text, actor):
    own = recommendations.own(extract(gazetteer, text))
    assert len(own) == 1 and own["actor_text"].iloc[0] == actor


@pytest.mark.parametrize("text, actor, action", [
    ("That is a risk Washington should take.", "United States", "take (a risk)"),
    ("These are questions the committee ought to answer.", "the committee", "answer (questions)"),
])
def test_a_relative_clause_on_what_the_sentence_names_asks_its_subject_to_act(gazetteer, text, actor, action):
    own = recommendations.own(extract(gazetteer, text))
    assert own[["actor", "action"]].values.tolist() == [[actor, action]]


@pytest.mark.parametrize("text", [
    "This is a moment when we must act.",  # adverbial: not read as a call (conservatively)
    "I hope it is just the push you need to get outdoors.",  # what is needed, not advice
    "It is a mistake Washington should never have made.",  # the past
])
def test_other_relative_clauses_on_a_predicate_stay_no_advice(gazetteer, text):
    assert recommendations.own(extract(gazetteer, text)).empty


def test_a_need_that_describes_a_cost_is_no_advice(gazetteer):
    assert extract(gazetteer, "Another disadvantage of dams is the need to relocate the people living there.").empty
    assert len(extract(gazetteer, "There is a need to relocate the people living there.")) == 1


@pytest.mark.parametrize("straight, action", [("It's time to protect Japan's alliance.", "protect Japan's alliance"),
                                              ("Likewise, don't pick the flowers.", "not pick the flowers")])
def test_curly_apostrophes_read_like_straight_ones(gazetteer, straight, action):
    """Text typeset with curly quotes (the seeds are) gives the same rows, its action quoted as written."""
    a, b = extract(gazetteer, straight), extract(gazetteer, straight.replace("'", "\u2019"))
    assert a["action"].tolist() == [action]
    assert b["action"].tolist() == [action.replace("'", "\u2019")] and b["proposer"].tolist() == ["author"]


def test_a_parse_remembers_the_text_the_parser_read():
    """The rules read ``nlp.doc_text`` (spaCy rebuilds ``doc.text`` from the tokens on every call): the same text,
    curly apostrophes made straight as the parser read them."""
    texts = ["It\u2019s time: act now.", "Plain text, \u201cquoted\u201d.", ""]
    docs = nlp.parse(texts, False)
    assert [nlp.doc_text(d) for d in docs] == [d.text for d in docs] == [nlp.for_parser(t) for t in texts]


@pytest.mark.parametrize("text, actor, action", [
    ("Support the effort to save the wolves.", "you", "support the effort to save the wolves"),
    ("We need your support today.", "you", "your support"),
    ("Don't shortchange the family court.", "you", "shortchange the family court"),
    ("Washington owes the public an explanation.", "Washington", "an explanation"),
    ("The findings send a message to City Hall: Don't shortchange the family court.", "you",
     "shortchange the family court"),
    ("Consider sponsoring a child in Seoul.", "you", "sponsoring a child"),
    ("Say \u201cNO\u201d to the barbaric practice of whaling.", "you", "to the barbaric practice"),
    ("Your gift is needed now to support these projects.", "you", "Your gift is needed now"),
])
def test_imperatives_and_appeals_are_the_authors_calls(gazetteer, text, actor, action):
    row = extract(gazetteer, text).iloc[0]
    assert (row["actor_text"], row["proposer"]) == (actor, "author")
    assert action in row["action"]


@pytest.mark.parametrize("text, action", [
    ("Abortion should be legal in all circumstances.", "be legal"),
    ("Qualifications should be the only determining factor.", "be the only determining factor"),
    ("This expressway ought to be among the cleanest.", "be among the cleanest"),
    ("More foreign aid is needed to improve conditions in Africa.", "More foreign aid is needed"),
    ("What is needed is a message delivered by the president himself.", "a message delivered"),
])
def test_a_norm_with_nobody_named_is_the_authors_with_an_implicit_actor(gazetteer, text, action):
    table = extract(gazetteer, text)
    assert len(table) == 1, table
    row = table.iloc[0]
    assert row["proposer"] == "author" and action in row["action"]
    assert row["actor_source"].startswith(("none", "sentence")) and row["actor"] in ("", "the president himself")

def test_a_speaker_who_says_it_is_time_means_itself(gazetteer):
    row = extract(gazetteer, "Seoul thinks it is time to stop being the lesser partner.").iloc[0]
    assert (row["actor"], row["actor_source"], row["proposer"]) == ("South Korea", "the speaker", "Seoul")


def test_actor_is_inherited_from_context(gazetteer):
    table = extract(gazetteer, "The U.S. should mediate between the allies.", "The talks must be resumed soon.")
    assert table["sent_id"].tolist() == ["d1.p01.s01", "d1.p02.s01"]
    first, second = table.iloc[0], table.iloc[1]
    assert (first["actor"], first["actor_source"]) == ("United States", "sentence")
    assert (second["actor"], second["actor_source"]) == ("United States", "context")
    assert second["strength"] == "must"
    # what the passive is about is given apart, so the report can quote "the talks [must] be resumed soon" and not
    # "United States [must] be resumed soon" (on the editorials: "Congress [must] be done lawfully ...")
    assert (first["about"], second["about"], second["action"]) == ("", "The talks", "be resumed soon (The talks)")


def test_a_norm_about_a_thing_the_sentence_names_takes_no_actor_from_context(gazetteer):
    # the context actor stands in for a subject the action lacks ("be resumed"); where the action has a subject of its
    # own, a thing, it would read "United States must resume soon" (on the editorials: "Congress must remain separate")
    table = extract(gazetteer, "The U.S. should mediate between the allies.", "The talks must resume soon.",
                    "For our government to work, those functions must remain separate.",
                    "No one doubts that legislative reform is necessary.")
    for row in table.iloc[1:].itertuples():
        assert (row.actor, row.actor_source) == ("", "none"), row
    assert table["action"].tolist()[1:] == ["resume soon (The talks)", "remain separate (those functions)",
                                            "have legislative reform"]
    assert table["about"].tolist()[1:] == ["The talks", "those functions", ""]


def test_a_norm_that_a_thing_be_so_shows_the_thing_and_takes_no_actor_from_context(gazetteer):
    # on the editorials: "the price of mutual assistance must not be a blind eye" read "Europe [must] not be a blind
    # eye", as if Europe were asked to be one
    table = extract(gazetteer, "The U.S. should mediate between the allies.", "Abortion should be legal.",
                    "The price of mutual assistance must not be a blind eye.")
    for row in table.iloc[1:].itertuples():
        assert (row.actor, row.actor_source) == ("", "none"), row
    assert table["action"].tolist()[1:] == ["be legal (Abortion)",
                                            "not be a blind eye (The price of mutual assistance)"]


def test_a_contracted_not_reads_in_full(gazetteer):
    table = extract(gazetteer, "The U.S. shouldn't take sides.", "Japan mustn\u2019t give up.")
    assert table["action"].tolist() == ["not take sides", "not give up"]


def test_time_there_is_is_no_appeal_but_there_is_no_better_time_is(gazetteer):
    # the first asks that there be time ("should"), not, as "it is time to" would, that the debate be held now
    table = extract(gazetteer, "There should be time to hold a debate.", "There is no better time to act.")
    assert table[["sent_id", "action", "strength"]].values.tolist() == [
        ["d1.p01.s01", "have time to hold a debate", "should"], ["d1.p02.s01", "act", "must"]]


def test_an_actor_merely_named_nearby_is_not_taken_as_the_one_meant(gazetteer):
    # the last actor named is not who should act (on 133 editorials such guesses were right 8 times in 56); only the
    # author's last named addressee carries over
    table = extract(gazetteer, "China has built ports in the region.", "The fight must be waged on two levels.")
    row = table.iloc[0]
    assert (row["actor"], row["actor_source"]) == ("", "none")


def test_the_headlines_addressee_is_the_context_of_an_article(gazetteer):
    frame = sentences("Standing on the sidelines is no longer acceptable.", doc="a")
    headlines = {"a": "This time it's for real: U.S. must help Tokyo and Seoul end crisis"}
    row = recommendations.extract(frame, gazetteer, headlines=headlines).iloc[0]
    assert (row["actor"], row["actor_source"], row["proposer"]) == ("United States", "context", "author")
    unnamed = recommendations.extract(frame, gazetteer, headlines={"a": "Why the crisis matters"}).iloc[0]
    assert (unnamed["actor"], unnamed["actor_source"]) == ("", "none")
    quoted = recommendations.extract(frame, gazetteer, headlines={"a": "Vladimir Putin: Japan Must Pay"}).iloc[0]
    assert quoted["actor"] == ""  # a headline that gives its words to a speaker is not the author's call


def test_an_actor_named_inside_a_subject_that_cannot_act_is_not_the_actor(gazetteer):
    table = extract(gazetteer, "The response to the Chinese threat should include a stronger navy.")
    row = table.iloc[0]
    assert row["actor"] != "China" and row["actor_source"] == "none"
    youth = extract(gazetteer, "Today's Chinese youth need to find new role models.").iloc[0]
    assert youth["actor"] == "China"  # a group of people can act: the actor the subject names stays


@pytest.mark.parametrize("text, actor, action", [
    ("At Lima, we need governments to make sure that the direction is right.", "governments",
     "make sure that the direction is right"),
    ("I urge my colleagues to consider a permanent extension of the tools.", "colleagues",
     "consider a permanent extension of the tools"),
    ("We need your support today.", "you", "your support"),
])
def test_an_appeal_asks_for_the_action_without_whom_it_asks(gazetteer, text, action, actor):
    row = extract(gazetteer, text).iloc[0]
    assert (row["actor_text"] or row["actor"], row["action"]) == (actor, action)


def test_context_does_not_cross_articles(gazetteer):
    frame = pd.concat([sentences("The U.S. should mediate between the allies.", doc="a"),
                       sentences("The talks must resume soon.", doc="b")], ignore_index=True)
    table = recommendations.extract(frame, gazetteer)
    later = table[table["doc_id"] == "b"].iloc[0]
    assert later["actor"] == "" and later["actor_source"] == "none"


def test_addressees_are_the_actors_in_the_action(gazetteer):
    row = extract(gazetteer, "The U.S. should encourage Seoul and Tokyo to talk.").iloc[0]
    assert row["actor"] == "United States"
    assert row["addressees"] == "South Korea & Japan"


def test_empty_input_gives_an_empty_table_with_the_columns(gazetteer):
    table = recommendations.extract(sentences("x").iloc[:0], gazetteer)
    assert table.empty
    assert list(table.columns) == recommendations.COLUMNS


def test_ought_to_action_drops_the_modal(gazetteer):
    row = extract(gazetteer, "Seoul ought to wait.").iloc[0]
    assert (row["actor"], row["strength"]) == ("South Korea", "should")
    assert row["action"] == "wait"


def test_an_actor_missing_from_the_gazetteer_is_kept(gazetteer):
    table = extract(gazetteer, "The U.S. should act.", "The international community must rise to the moment.")
    row = table.iloc[1]
    assert (row["actor"], row["actor_text"]) == ("the international community", "The international community")
    assert row["actor_source"] == "sentence (not in the gazetteer)"
    assert row["action"] == "rise to the moment"


# --- the labelled sentences --------------------------------------------------------------------------------------

def test_validate_recommendations_scores_every_labelling_round():
    from opedlens.validate import sentence_measures

    result = sentence_measures.validate_recommendations()
    rounds = {k: v for k, v in result["scorers"].items() if k.startswith("rules, round")}
    last = len(rounds)
    assert sorted(rounds, key=lambda k: int(k.rsplit(" ", 1)[1])) == [f"rules, round {n}" for n in range(1, last + 1)]
    assert sum(r["n"] for r in rounds.values()) == result["n"] == result["scorers"]["rules"]["n"] >= 300
    for figures in result["scorers"].values():
        # a round where nothing was flagged has no precision (undefined), not precision 0
        assert (figures["precision"] is None) == (figures["flagged"] == 0)
        assert (figures["recall"] is None) == (figures["recommendations"] == 0)
        assert all(figures[k] is None or 0 <= figures[k] <= 1 for k in ("precision", "recall"))
    fair = [int(k.rsplit(" ", 1)[1]) for k, v in rounds.items() if sentence_measures.FAIR_ROUND in v["protocol"]]
    assert fair and fair == list(range(last - len(fair) + 1, last + 1)), "only the newest rounds are untouched"
    pooled = result["scorers"][sentence_measures.UNSEEN_SCORER]
    assert pooled["unseen_by_rules"] and pooled["n"] == sum(rounds[f"rules, round {n}"]["n"] for n in fair)
    assert pooled["recommendations"] == sum(rounds[f"rules, round {n}"]["recommendations"] for n in fair)


def test_validation_scores_the_actor_the_report_shows():
    """A subject that cannot act is shown with the action, not as its actor: the actor scored is the report's."""
    from opedlens.validate import sentence_measures

    found = sentence_measures.rule_findings(["Abortion should be legal.", "The talks must resume soon.",
                                              "Congress must act."])
    assert found["actor"].tolist() == ["", "", "Congress"]
    assert found["found"].all()


def test_the_gold_set_never_holds_the_seeds(seed_corpus):
    from opedlens.validate import sentence_measures

    labelled = set(sentence_measures.labelled_recommendations()["text"])
    assert not labelled & set(seed_corpus.sentences["text"])


def test_the_report_quotes_the_rounds_the_rules_never_saw():
    """The trust note quotes the rules on sentences no rule was written for: the real editorials when their figures
    are saved, else the fresh labelling rounds; with the counts behind each figure."""
    from opedlens.compare import contrast
    from opedlens.validate.results import load_results
    from opedlens.validate.sentence_measures import EDITORIAL_SCORER, UNSEEN_SCORER

    results = load_results()
    found = results[results["task"] == "recommendations"]
    unseen = found[found["unseen_by_rules"].eq(True)]
    assert set(unseen["scorer"]) <= {UNSEEN_SCORER, EDITORIAL_SCORER} and UNSEEN_SCORER in set(unseen["scorer"])
    quoted = unseen[unseen["scorer"] == EDITORIAL_SCORER] if EDITORIAL_SCORER in set(unseen["scorer"]) else unseen
    note = contrast.trust_notes(results)["recommendations"]
    row = quoted.iloc[0]
    assert f"precision {row['precision']:.2f} (" in note and f"recall {row['recall']:.2f} (" in note
    assert f"of {row['flagged']:.0f} flagged)" in note  # the counts behind the figures
    assert f"on {row['n']:.0f} " in note
    without = contrast.trust_notes(results[results["scorer"] != EDITORIAL_SCORER])["recommendations"]
    fresh = unseen[unseen["scorer"] == UNSEEN_SCORER].iloc[0]
    assert f"on {fresh['n']:.0f} labelled sentences" in without


def test_the_editorial_labels_hold_ids_and_labels_but_no_research_only_text():
    """benchmarks/data/recommendation-editorial-labels.csv labels Webis-Editorials-16 sentences, which may not be
    copied into the project: it keeps their ids and a hash of each text, never the text."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "recommendation-editorial-labels.csv"
    labels = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(labels.columns) == ["item", "doc_id", "sent_id", "text_sha1", "drawn", "batch", "recommendation", "actor",
                                    "strength", "kind"]
    assert labels["text_sha1"].str.fullmatch(r"[0-9a-f]{40}").all() and labels["item"].is_unique
    assert set(labels["recommendation"]) == {"0", "1"}
    assert all(sent.startswith(f"{doc}.") for doc, sent in zip(labels["doc_id"], labels["sent_id"]))
    own = labels[labels["recommendation"] == "1"]
    assert (own["actor"] != "").all() and set(own["strength"]) <= {"must", "should", "needs to"}
    assert not labels.apply(lambda column: column.str.split().str.len().gt(12)).any().any()  # no sentence anywhere


@pytest.mark.parametrize("text, action", [
    ("There must be accountability too.", "have accountability too"),
    ("There should not be any exceptions.", "not have any exceptions"),
])
def test_a_thing_that_should_exist_reads_as_a_thing_wanted(gazetteer, text, action):
    # "[must] be accountability too" read as if someone should become accountability
    row = extract(gazetteer, text).iloc[0]
    assert (row["action"], row["strength"]) == (action, text.split()[1])


def test_what_a_goal_requires_of_anyone_is_not_advice_to_the_reader(gazetteer):
    # "To see a movie legally you must leave your house ..." (a Guardian editorial) described, it did not advise
    rows = extract(gazetteer, "To see a movie legally you must buy a ticket.", "If you want to vote, you must register.",
                   "You must read this book.", "To end the crisis, Washington must talk to Seoul.")
    assert rows["action"].tolist() == ["read this book", "talk to Seoul"]
