"""Recommendations: who should act, what they should do, how strongly, and whose proposal it is.

Rules over spaCy's dependency parse (:mod:`opedlens.measure.nlp`). A row is a recommendation when the sentence says that
someone should do something (or not do it) from now on:

- a deontic modal on an action: "the U.S. **should** help ...", "Washington **needs to** ...", "the
  administration **must** address ...", "**ought to**", "**has to**", "it **need not** destroy ..." (not
  "could", "may" or "might": "exchanges may facilitate reconciliation" says what is possible, not what to do);
- an imperative that urges an action ("**Support** the effort ...", "**Join** us ..."), an appeal ("we need
  **your** support"), "I **urge** you to ...";
- "it is **up to** Tokyo and Seoul **to** ...", "it is **time** (for X) to ...", "it is **important/necessary**
  that/to ...", "there is a **need to** ...", "standing on the sidelines ... is **no longer acceptable**";
- a list of proposals: "the possible **solutions** ... **included** securing a freeze ..., publishing ..."
  (one row per gerund).

Not recommendations: questions (rhetorical ones too), predictions ("will have to", "may have to"), epistemic
modals ("must have known", "should be enough", "must be driving them batty": a thing, not an actor, that
"should" do something is an expectation), "should have" + participle (a judgement of the past), "should
know/remember that", rhetorical or first-person imperatives ("Imagine ...", "Let me tell you"), and modals in
a concessive or relative clause. Modals inside quotation marks, or under a verb of saying whose subject is not
the author ("both groups recommend that ..."), and proposals "raised" or "proposed" by others are kept as
**reported** proposals: ``proposer`` names who proposes (``author`` for the author's own).

The actor is the subject when it can act (a name, an organisation, "the international community", a pronoun),
the agent of a passive ("by Congress"), "you" for an imperative, or none ("(implicit)"); when the sentence names
no actor, an own recommendation takes the actor of the author's last own recommendation in the article that named
one (the headline's included; ``actor_source = "context"``) unless the action's subject is a thing the sentence
names ("those functions must remain separate", "abortion should be legal": the thing is shown with the action;
"legislative reform is necessary"), else none: an actor merely
mentioned nearby is not assumed to be the one meant (on 66 such rows of 133 editorials, 8 of 56 were right that way,
against 7 of 10 for the author's last addressee: ``benchmarks/recommendation_context.py``). The action keeps its
auxiliaries ("be discussed", "not destroy"); what a norm is about when no one who can act is its subject (that thing,
or the subject of a passive) follows it in brackets ("never be crossed (a line)") and is also given as ``about``.
``opedlens validate recommendations`` scores these rules on the labelled sentences (``data/README-recommendations.md``).
"""

from __future__ import annotations

import itertools
import re

import pandas as pd

from opedlens.measure import nlp
from opedlens.measure.actors import Gazetteer

STRENGTH_RANK = {"must": 3, "needs to": 3, "should": 2, "could": 1}
MODAL_STRENGTH = {"must": "must", "should": "should", "ought": "should"}
SAY_OR_PROPOSE = {"say", "tell", "argue", "claim", "insist", "contend", "recommend", "urge", "propose", "suggest",
                  "demand", "call", "warn", "write", "add", "note", "state", "declare", "announce", "believe",
                  "think", "feel", "fear", "hope", "want", "agree", "conclude", "report", "explain", "ask", "order",
                  "rule", "decide", "know", "consider", "see", "find", "expect", "assume", "suspect", "worry",
                  "reason", "realize", "realise", "admit", "acknowledge", "insist", "maintain", "understand",
                  "figure", "reckon", "sense", "judge", "dispute", "deny", "reject", "challenge", "stress",
                  "emphasize", "emphasise", "assert", "reiterate", "repeat", "tweet", "testify", "concede", "remark",
                  "observe", "advise", "plead", "reply", "respond", "counter", "complain", "caution", "specify",
                  "stipulate", "hold", "mean"}
#: The author's verbs of expecting: "I fear we must look forward to ..." says what the author expects, not advice.
EXPECTING = {"fear", "expect", "suspect", "predict", "guess", "bet", "worry", "doubt"}
CONCESSIVE = {"although", "though", "while", "whereas", "even", "despite", "if", "unless", "whether", "because",
              "since", "when", "once", "until"}
PREDICTIVE_AUX = {"will", "would", "'ll", "may", "might", "could", "can", "wo"}
COGNITION = {"know", "remember", "realize", "realise", "understand", "recognize", "recognise", "note", "bear",
             "keep", "admit", "confess", "say", "wonder", "imagine", "ask", "forget",
             "accept", "acknowledge", "question"}
ASIDE_IMPERATIVES = {"imagine", "consider", "suppose", "remember", "ask", "look", "note", "see", "say", "think",
                     "recall", "picture", "envy", "guess", "watch", "listen", "wait", "forget", "notice", "compare",
                     "let", "thank", "excuse", "pardon", "mind", "behold", "read", "expect", "specify"}
EFFECT_VERBS = {"make", "cause", "allow", "help", "put", "disabuse", "attract", "boggle", "give", "provide", "lead",
                "result", "enable", "produce", "bring", "mean", "suffice", "inspire", "ensure", "reduce", "increase",
                "raise", "lower", "improve", "deter", "prevent", "persuade", "convince", "cost", "save", "pay", "serve",
                "work", "last", "take", "come", "arrive", "happen", "occur", "appear", "follow", "play", "sink", "doom",
                "hurt", "boost", "damage", "fall", "rise", "grow", "decline", "bear"}
EXPECTED = {"enough", "plenty", "sufficient", "possible", "easy", "clear", "obvious", "fine", "interesting", "able",
            "likely", "sure", "true", "fun", "simple", "available", "ready", "over", "here", "back", "soon"}
#: Feelings: "X should be ashamed of himself" judges X, it asks for no action.
FEELINGS = {"ashamed", "embarrassed", "proud", "pleased", "glad", "grateful", "thankful", "happy", "delighted",
            "appalled", "horrified", "outraged", "worried", "concerned", "alarmed", "afraid", "scared", "angry",
            "furious", "disappointed", "upset", "sorry", "surprised", "shocked"}
CAUSING = {"cause", "trigger", "determine", "drive", "explain", "produce", "create", "induce", "influence",
           "shape", "prompt", "fuel", "bring"}
CONTACT = {"write", "call", "contact", "email", "e-mail", "phone", "tell", "let", "send", "mail", "ring", "visit"}
APPEALS = {"help", "support", "donation", "gift", "contribution", "backing", "vote", "membership", "assistance"}
#: What a person must do to win a contest ("she must win 218 votes", "he must still beat Cruz"): a condition of the
#: race the sentence describes, not advice.
CONTEST_VERBS = {"win", "beat", "defeat", "clinch", "carry", "outpoll", "overcome"}
CALLED_FOR = {"explanation", "investigation", "inquiry", "action", "resignation", "apology", "review", "reform",
              "response", "change", "answer", "accounting", "hearing"}
#: Imperatives that are exclamations, not calls to act ("Come on, Hollywood.", "Give me a break.").
_EXCLAMATIONS = re.compile(r"\W*(?:come on(?=\s*(?:[,.!?]|$))|give me a break|get real|give it a rest|spare me"
                           r"|go figure|mark my words|make no mistake|believe (?:it or not|me)|don'?t get me wrong"
                           r"|you name it)\b", re.I)
# Contact details: an imperative next to them is a procedure ("call us at ...", "e-mail ..."), not a cause.
_PROCEDURE = re.compile(r"\d{3}[-.)\s]\d{3,4}|\S+@\S+\.\w+|\bext\.\s*\d|www\.|https?://", re.I)
PROPOSAL_NOUNS = {"solution", "proposal", "step", "measure", "option", "recommendation", "idea", "remedy",
                  "suggestion", "policy"}
OTHERS_PROPOSED = {"raise", "propose", "suggest", "float", "offer", "discuss", "put", "recommend", "table",
                   "advance", "moot", "consider"}
PRESSING = {"urgent", "pressing", "clear", "real", "great", "immediate", "crucial", "desperate", "vital"}
NORMATIVE_ADJECTIVES = {"important", "necessary", "essential", "vital", "imperative", "crucial", "urgent",
                        "critical", "desirable", "incumbent"}
UNACCEPTABLE = {"acceptable", "tolerable", "sustainable", "defensible", "excusable", "option"}
AGENT_NOUNS = {"people", "community", "government", "leader", "leadership", "official", "minister", "country",
               "nation", "state", "administration", "parliament", "congress", "politician", "party", "public",
               "citizen", "voter", "authority", "president", "ally", "member", "union", "council", "court",
               "company", "business", "employer", "police", "everyone", "nobody", "world", "legislature",
               "lawmaker", "policymaker", "regulator", "agency", "commission", "committee", "board", "department",
               "ministry", "city", "hall", "church", "school", "university", "parent", "teacher", "user", "owner",
               "reader", "lawyer", "judge", "mayor", "governor", "senator", "navy", "army", "military", "force",
               "group", "organization", "organisation", "institution", "body", "staff", "team", "society",
               "man", "woman", "child", "family", "worker", "player", "manager", "individual", "person", "resident",
               "consumer", "partner", "neighbor", "neighbour", "one", "stroller", "washington", "tokyo", "seoul",
               "majority", "minority", "electorate", "youth"}
#: Plural bare nouns for those who govern: "governments must agree to ..." urges them, unlike a rule described
#: ("dish owners must now buy decoders").
GOVERNING = {"government", "nation", "country", "leader", "policymaker", "lawmaker", "politician", "legislator"}
#: Words between a modal and its verb that do not say how to act: adverbs linking the sentence to the argument
#: ("should therefore take") and quantifiers of the subject ("we should all take"); left out of the action.
NOT_HOW = {"all", "both", "each", "therefore", "thus", "hence", "so", "then", "also", "too", "however", "consequently",
           "accordingly", "nonetheless", "nevertheless", "indeed", "certainly", "surely", "perhaps", "probably",
           "clearly", "obviously", "really", "now", "still", "first", "finally", "ultimately", "eventually"}
#: Adverbs that make an obligation a routine described ("dish owners must now buy decoders").
ROUTINE = {"now", "always", "often", "usually", "still", "already", "typically", "routinely", "normally", "sometimes"}
#: Nouns whose content a following clause gives ("no expectation they should ...", "Another argument ...: we
#: should ..."): someone's view set out, not the author's advice.
CONTENT_NOUNS = {"expectation", "belief", "view", "argument", "claim", "idea", "notion", "assumption", "theory",
                 "reasoning", "logic", "thinking", "rationale", "premise", "mantra", "slogan", "refrain", "conviction",
                 "insistence", "demand", "sentiment", "perception", "myth", "fantasy", "orthodoxy", "wisdom",
                 "requirement", "rule", "tradition", "custom", "convention", "position", "stance", "outline",
                 "platform"}
#: "X should be a red flag", "that must be a lesson": how to read something, not an action.
JUDGED_AS = {"flag", "sign", "warning", "signal", "reminder", "lesson", "indication", "indicator", "measure"}
#: "It is not surprising that we should be seeing ...": the "should" of a that-clause after an adjective of
#: judgement or surprise reports how a fact strikes the author, not what anyone ought to do.
PUTATIVE = {"surprising", "unsurprising", "strange", "odd", "natural", "ironic", "remarkable", "fitting",
            "curious", "astonishing", "extraordinary", "shocking", "sad", "typical", "understandable", "funny"}
#: Verbs of inference: "we must infer", "one must conclude that": what follows from something, not advice.
INFERENCE = {"infer", "presume", "surmise", "deduce", "conclude", "assume", "suppose"}
#: "we need to be honest with ourselves:", "we must be clear": the author announcing a point, not advising.
CANDOUR = {"honest", "frank", "candid", "clear", "blunt", "fair", "precise"}
#: "We need a new plan", "we need a real debate": what a need for something new or better urges (not "we need color
#: to distinguish black and white").
CALLED_FOR_QUALITIES = {"new", "better", "different", "real", "serious", "fresh", "bold", "comprehensive", "proper",
                        "genuine", "coherent", "honest", "urgent"}
#: "All manner of people appeared convinced that the game should ...": a belief held by the adjective's subject.
BELIEVING = {"convinced", "sure", "certain", "adamant", "persuaded", "confident"}
AGENT_PRONOUNS = {"we", "you", "he", "she", "they", "i", "one", "everyone", "everybody", "nobody", "us", "them"}
WH_WORDS = {"who", "what", "which", "whom", "whose", "whoever", "whatever"}
ORDINAL_TIMES = {"first", "last", "only", "second", "third", "next", "same", "one"}
AUTHOR = "author"
#: Cues whose action is a thing wanted, not a deed ("legislative reform is necessary", "what is needed is a plan"):
#: the action is that clause, with no missing subject an actor from context could fill.
THING_WANTED = ("is needed", "what is needed", "is necessary", "is imperative")
COLUMNS = ["doc_id", "sent_id", "rec_id", "actor", "actor_text", "actor_source", "proposer", "action", "about",
           "strength", "strength_rank", "cue", "addressees", "text"]


def _span_text(tokens) -> str:
    """The tokens' text without a trailing list conjunction ("promoting goodwill, and" -> "promoting goodwill")."""
    return re.sub(r",?\s+(?:and|or)$", "", nlp.span_text(tokens))


def _is_question(doc) -> bool:
    return nlp.doc_text(doc).rstrip(" \"'”’)").endswith("?")


def _subject(*candidates):
    """The first nsubj/nsubjpass/expl child of the given tokens (following a conj/xcomp verb up to its head)."""
    for token in candidates:
        for node in (token, token.head if token is not None and token.dep_ in ("conj", "xcomp") else None):
            if node is None:
                continue
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass", "expl", "csubj"):
                    return child
    return None


def _is_agent(subject) -> bool:
    """True when the subject names someone who can act (a name, an organisation, "the international
    community", a personal pronoun) rather than a thing or measure ("such convenience", "higher fines")."""
    if subject is None:
        return False
    lemma = subject.lemma_.lower()
    return (subject.pos_ == "PROPN" or nlp.entity_type(subject) in ("PERSON", "ORG", "NORP", "GPE")
            or lemma in AGENT_NOUNS or subject.lower_ in AGENT_PRONOUNS
            or (subject.is_upper and len(subject) > 1 and subject.is_alpha)  # an acronym: "TCOG", "NATO"
            or any(c.dep_ == "conj" and _is_agent(c) for c in subject.children)  # "a new TCOG or a similar body"
            or _people_who(subject))  # "those conducting raids"


def _is_passive(verb, subject) -> bool:
    return (subject is not None and subject.dep_ == "nsubjpass") or any(c.dep_ == "auxpass" for c in verb.children)


def _action(verb, subject, cue_tokens=()) -> str:
    """The verb phrase from its first auxiliary after the modal: the verb with its passive "be", negation, a
    one-word adverb saying how (not one in :data:`NOT_HOW`) and all it governs, minus the subject, the modal itself
    and clauses before the verb ("be discussed", "not destroy", "quickly restore the talks")."""
    skip = {t.i for t in cue_tokens}
    if subject is not None:
        skip |= {t.i for t in subject.subtree}
    after_cue = max((t.i for t in cue_tokens), default=verb.i)
    keep_before = set()
    for child in verb.children:
        if child.i < verb.i:
            if child.dep_ in ("auxpass", "neg") or (child.dep_ == "aux" and child.lower_ in ("be", "been", "not")):
                keep_before.add(child.i)
            elif child.dep_ == "advmod" and child.i > after_cue and child.n_lefts + child.n_rights == 0 \
                    and child.lower_ not in NOT_HOW:
                keep_before.add(child.i)  # "should quickly restore", "not simply ignore": how, kept with the verb
            elif child.dep_ in ("advcl", "mark", "punct", "aux", "advmod", "prep", "npadvmod"):
                skip |= {t.i for t in child.subtree}
        elif child.dep_ in ("punct", "cc") and child.i == verb.right_edge.i:
            skip.add(child.i)
    tokens = [t for t in verb.subtree if t.i not in skip and (t.i >= verb.i or t.i in keep_before)]
    clause = _relative_clause_of(verb)
    if clause is not None and _object_relative_of_a_predicate(clause):
        # "That is a risk Washington should take" -> "take (a risk)": the relative clause's object is its antecedent
        return f"{_not_spelt_out(_span_text(tokens))} ({_antecedent_text(clause)})"
    return _not_spelt_out(_span_text(tokens))


def _not_spelt_out(action: str) -> str:
    """ "shouldn't be allowed" leaves "n't be allowed" after the modal: "not be allowed"."""
    return re.sub(r"^n[\u2019']t\b", "not", action)


def _relative_clause_of(verb):
    """The relative clause a verb heads, or whose verb it completes ("one we need to win"); None when neither."""
    return verb if verb.dep_ == "relcl" else verb.head if verb.dep_ == "xcomp" and verb.head.dep_ == "relcl" else None


def _antecedent_text(clause) -> str:
    """The noun phrase a relative clause hangs on, without the clause ("a line" of "a line that must ...")."""
    return _span_text([t for t in clause.head.subtree if t.i < clause.left_edge.i])


def _embedding(verb, quoted: set[int]):
    """Why a verb's modal is not the author's own: ``("skip", why)`` in a concessive, conditional or relative
    clause (but one whose relative pronoun is its subject, "the problems that must be addressed", is read from the
    clause that holds the antecedent); ``("reported", who)`` under a verb of saying, proposing or believing with
    another subject; None otherwise."""
    node = verb
    clause = _relative_clause_of(verb)
    if clause is not None and clause.head.dep_ in ("attr", "dobj", "pobj", "appos", "ROOT") and any(
            c.dep_ in ("nsubjpass", "nsubj") and c.lower_ in ("that", "which", "who") for c in clause.children):
        # "acts of inhumanity that should be universally condemned", "the conversation that needs to happen", "There
        # are people ... who should now come to politics": a call on the antecedent, read from its clause
        node = clause.head.head
    elif clause is not None and _object_relative_of_a_predicate(clause):
        node = clause.head.head  # "That is a risk Washington should take": the author's call on Washington
    speaker = _speaker_before(verb)
    if speaker is not None:
        return "reported", _named(speaker)
    if _relative_misparsed(verb):
        return "skip", "relcl clause"
    while True:
        speaker = _inserted_speaker(node)
        if speaker is not None:
            return "reported", _named(speaker)
        if node.head.i == node.i:
            return None
        if node.dep_ == "acl" and node.head.lemma_ in ("question", "doubt") and any(
                c.lower_ == "no" for c in node.head.children):
            node = node.head  # "there is no question that Congress should ...": the author, emphatic
            continue
        if node.dep_ in ("advcl", "relcl", "acl", "csubj"):
            marks = {c.lower_ for c in node.children if c.dep_ == "mark"
                     or (c.dep_ == "advmod" and c.lower_ in ("when", "whenever"))}  # "when" is parsed both ways
            if marks & CONCESSIVE or node.dep_ in ("relcl", "acl", "csubj"):
                return "skip", f"{node.dep_} clause"
        second_that = node.dep_ == "conj" and node.left_edge.lower_ == "that" and node.left_edge.i > node.head.i
        if (node.dep_ in ("ccomp", "xcomp", "dobj") or second_that) and node.head.lemma_ in SAY_OR_PROPOSE:
            # second_that: "X argued that A should ..., and that B should ...", the second clause parsed as the
            # verb's conjunct
            if node.i < node.head.i and any(t.text == ":" for t in node.doc[node.i:node.head.i]):
                return None  # "X ought not to be the issue: All New Yorkers feel ...": two sentences, misparsed
            if any(c.dep_ == "neg" or c.lower_ == "longer" for c in node.head.children):
                return "skip", "denied"  # "it no longer feels it has to ...": no obligation, even reported
            speaker = _subject(node.head)
            if speaker is None and node.head.dep_ in ("xcomp", "advcl"):
                speaker = _subject(node.head.head)  # "the speech goes on to say ..."
            if speaker is None and node.head.tag_ in ("VBG", "VBN"):
                speaker = _clause_subject(node.head)  # "Sanders joined ... after saying it should be up to ...": his
            if speaker is not None and speaker.lower_ in ("i", "we") and node.head.lemma_ in EXPECTING:
                return "skip", "expected"  # "I fear we must look forward to a lying future"
            if speaker is None and _aux_children(node.head) & PREDICTIVE_AUX:
                # "Still more would claim that it is an illness that should be cured": someone's view, the subject
                # misparsed
                return "reported", nlp.span_text([t for t in node.head.doc[:node.head.i] if t.dep_ != "aux"]) \
                    or "someone"
            if speaker is None:
                return None
            if speaker.lower_ in ("i", "we"):  # the author's own ("we think it must ..."), unless a condition holds
                node = node.head  # it higher up ("If we ... think it must never be altered, we will ...")
                continue
            return "reported", _named(speaker)
        if node.dep_ == "ccomp" and node.head.lower_ in BELIEVING and node.head.head.i != node.head.i:
            believer = _subject(node.head.head)  # "people appeared convinced that the game should ..."
            if believer is not None and believer.lower_ not in ("i", "we"):
                return "reported", _named(believer)
        node = node.head


def reported_spans(doc) -> list[tuple[int, int]]:
    """Character spans of the clauses a sentence reports from someone other than the author ("South Korea's Supreme
    Court ruled that Japanese companies must provide ...", "Seoul thinks it is time to ..."), by the rule that makes
    a modal there a reported proposal: their modals and hedges are not the author's (:mod:`opedlens.measure.stance`
    leaves them out). Clauses the author reports of themselves ("we think it must ...") are not among them."""
    quoted, spans = None, []
    for token in doc:
        if token.dep_ == "ccomp" and token.head.lemma_ in SAY_OR_PROPOSE:
            quoted = nlp.quoted_tokens(doc) if quoted is None else quoted
            embedded = _embedding(token, quoted)
            if embedded and embedded[0] == "reported":
                spans.append((token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)))
    return spans


def _object_relative_of_a_predicate(clause) -> bool:
    """True for a relative clause with its own subject and a true modal, on a noun that the sentence predicates or
    sets beside another ("That is a risk Washington should take", "today's battle is one we must win"): the
    author asks the clause's subject to act. Not an adverbial relative ("a moment when we must ...") nor
    "need to" ("the push you need to get outdoors": what is needed, not advice)."""
    noun = clause.head
    if not (noun.dep_ == "attr" and noun.head.lemma_ == "be") and noun.dep_ != "appos":
        return False
    subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    modal = clause.lower_ == "ought" or any(c.dep_ == "aux" and c.lower_ in ("should", "must")
                                            for c in clause.children)
    adverbial = any(c.lower_ in ("when", "where", "why", "how", "whereby") for c in clause.children)
    return modal and not adverbial and bool(subjects) and subjects[0].lower_ not in ("that", "which", "who")


def _clause_subject(token):
    """The subject of the nearest clause above ``token`` that has one (None at the root without one)."""
    while True:
        subject = _subject(token)
        if subject is not None or token.head.i == token.i:
            return subject
        token = token.head


def _inserted_speaker(verb):
    """The speaker of a reporting clause set into the verb's clause ("But, he said, lawmakers should ..."), unless
    it is the author ("we should, I think, ..."); None when there is none."""
    for child in verb.children:
        if child.dep_ == "parataxis" and child.lemma_ in SAY_OR_PROPOSE:
            speaker = _subject(child)
            if speaker is not None and speaker.lower_ not in ("i", "we"):
                return speaker
    return None


def _speaker_before(verb):
    """The speaker of a reporting verb that opens the modal verb's own clause and is parsed as its complement ("He
    argued to cure these problems, the government should provide ...", "they claimed that ...; therefore they
    should ..."), unless it is the author; None when there is none."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i < verb.i and child.lemma_ in SAY_OR_PROPOSE:
            speaker = _subject(child)
            if speaker is not None and speaker.lower_ not in ("i", "we"):
                return speaker
    return None


def _relative_misparsed(verb) -> bool:
    """A relative clause opened by "whence", "wherein" or "whereby", which the parse reads otherwise ("..., from
    whence they should be returned to Chang")."""
    subject = _subject(verb)
    opening = verb.doc[verb.left_edge.i: subject.i if subject is not None else verb.i]
    return any(t.lower_ in ("whence", "wherein", "whereby") for t in opening)


def _named(token) -> str:
    """A speaker as the sentence names it; for a pronoun, the country, organisation or person named before it in the
    sentence ("For South Korea, ... it no longer feels it has to ..." -> "South Korea")."""
    if token.pos_ == "PRON":
        named = [e for e in nlp.entities(token.doc) if e.end <= token.i and e.label_ in ("GPE", "ORG", "NORP", "PERSON")]
        if named:
            return named[0].text  # the sentence's topic: "For South Korea, since ... with Japan ..., it feels ..."
    return _span_text(token.subtree)


def _aux_children(token) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}


def _modal_rows(doc, quoted: set[int]):
    """(verb, subject, strength, cue tokens, cue, proposer) for each deontic modal, own or reported."""
    for token in doc:
        lower, verb, cue, strength, cue_tokens = token.lower_, None, "", "", [token]
        if lower == "ought":
            xcomp = [c for c in token.children if c.dep_ == "xcomp"]
            verb = xcomp[0] if xcomp else (token.head if token.head.i != token.i else None)
            cue, strength = "ought to", "should"
        elif token.tag_ == "MD" and lower in MODAL_STRENGTH and token.head.pos_ in ("VERB", "AUX") \
                and (token.head.i > token.i or doc[token.i - 1].lower_ in ("so", "nor", "neither")):
            # a modal before its verb ("..., stating that X should not" misparsed), but "So should strollers ..."
            verb, cue, strength = token.head, lower, MODAL_STRENGTH[lower]
        elif lower == "need" and (token.tag_ == "MD" or token.dep_ == "aux") and token.head.pos_ in ("VERB", "AUX") \
                and any(c.dep_ == "neg" for c in token.head.children):
            verb, cue, strength = token.head, "need not", "needs to"
        elif lower in ("need", "needs", "have", "has") and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            xcomp = [c for c in token.children if c.dep_ == "xcomp"]
            if xcomp and token.pos_ in ("VERB", "AUX"):
                verb, cue = xcomp[0], f"{lower} to"
                strength = "needs to" if lower.startswith("need") else "must"
                cue_tokens = [token, doc[token.i + 1]]
        elif lower == "better" and token.i > 0 and doc[token.i - 1].lower_ in ("had", "'d"):
            heads = [c for c in token.head.children if c.pos_ == "VERB"] if token.head.pos_ != "VERB" else [token.head]
            verb, cue, strength = (heads[0] if heads else None), "had better", "must"
        if verb is None:
            continue
        governor = token if cue.endswith(" to") and cue != "ought to" else verb
        if governor is token and _aux_children(governor) & PREDICTIVE_AUX:
            continue  # "will have to", "may need to": a prediction
        if governor is token and (_aux_children(governor) & {"did", "do", "does"}) and (
                any(c.dep_ == "neg" for c in governor.children) or doc[0].lower_ in ("nor", "neither")):
            continue  # "you don't have to", "nor do they have to": no obligation
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i > token.i]
        if any(a.lower_ == "have" for a in auxes) and verb.tag_ == "VBN":
            continue  # "should have been convicted", "must have known": the past, or an inference
        if lower == "must" and verb.tag_ == "VBG" and any(a.lower_ == "be" for a in auxes):
            continue  # "must be driving them batty": an inference ("should be doing more" is advice)
        if token.i + 1 < len(doc) and doc[token.i + 1].tag_ == "MD":
            continue  # "where we should would be": a slip in the text, no modal meaning to read
        if verb.lemma_ in INFERENCE and not any(c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")
                                                for c in verb.children):
            continue  # "we must infer", "one must conclude that ...": an inference ("assume responsibility" acts)
        if verb.lemma_ in ("mean", "seem", "appear", "cause", "result") or (verb.lemma_ == "exist" and lower == "must"):
            continue  # "god must exist", "that must mean ...": an inference ("barriers should exist" is advice)
        if any(c.lower_ in ("hardly", "scarcely", "surely", "certainly") for c in [*verb.children, *governor.children]):
            continue  # "that should hardly be blamed on ...": a judgement, not advice
        if verb.lemma_ == "have" and any(c.dep_ == "dobj" and any(d.lower_ == "no" for d in c.children)
                                         for c in verb.children):
            continue  # "they should have no trouble ...": an expectation
        if verb.lemma_ in ("see", "regard", "view", "understand") and (
                any(c.dep_ == "auxpass" for c in verb.children)
                or any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)):
            continue  # "must be seen as ...", "we should not view it as a panacea": how to judge, not an action
        if verb.lemma_ == "offer" and lower in ("has", "have") and verb.i == token.i + 2:
            continue  # "all the city has to offer": what it offers
        if verb.lemma_ == "be" and any(c.dep_ == "attr" and c.lemma_ in JUDGED_AS for c in verb.children):
            continue  # "should be a red flag": how to judge something
        if any(c.lower_ in WH_WORDS and c.i < verb.i and c.dep_ in ("dobj", "pobj", "attr") for c in verb.children):
            continue  # "most of what veterans have to show for it": a free relative, not advice
        if token.i >= 2 and doc[token.i - 1].lower_ != "in" and any(
                doc[i].lower_ == "in" and doc[i + 1].lower_ == "case" for i in range(max(0, token.i - 6), token.i - 1)):
            continue  # "in case panic should spread": a condition
        if token.i == 0 or all(t.is_punct for t in doc[:token.i]):
            continue  # "should be treated equally": a claim's predicate without its subject
        if lower == "must" and verb.lemma_ == "have" and not auxes:
            continue  # "she must have a terrible time": an inference
        subject = _subject(governor, verb) if governor is not verb else (_subject(verb) or _subject(token))
        if subject is not None and (subject.lower_ in WH_WORDS | {"nothing", "none", "nobody", "no one"} or any(
                c.dep_ == "det" and c.lower_ in WH_WORDS for c in subject.children)):
            continue  # "nothing should ...", "what veterans have to show for it"
        if any(c.dep_ == "mark" and c.lower_ in ("than", "as") for c in [*verb.children, *governor.children]) or (
                verb.left_edge.i > 0 and doc[verb.left_edge.i - 1].lower_ == "than"):
            continue  # "more strangers to one another than we need to be": a comparison
        if _embedded_question(verb, subject, token):
            continue  # "controversy as to which two teams should play", "what a dog his size should weigh"
        if subject is not None and token.i < subject.i and subject.dep_ != "expl" and not (
                token.i > 0 and doc[token.i - 1].lower_ in ("so", "nor", "neither")):
            continue  # "Should you have questions, ...": a condition (or a question), not advice
        if subject is not None and subject.lower_ == "it" and _antecedent(doc, subject) is not None:
            subject = _antecedent(doc, subject)  # "The Navy has admitted ..., but it needs to ..."
        if verb.lemma_ in COGNITION and any(c.dep_ == "ccomp" for c in verb.children):
            continue  # "should know that", "must admit that": an aside
        if subject is not None and subject.lower_ == "i":
            continue  # "I must admit"
        if subject is not None and subject.lower_ in ("we", "us") and verb.lemma_ == "be" and any(
                c.dep_ == "acomp" and c.lemma_ in CANDOUR for c in verb.children):
            continue  # "we need to be honest with ourselves: ...": announcing a point
        if verb.dep_ == "ccomp" and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children) and (
                verb.head.lower_ in PUTATIVE or any(c.dep_ == "acomp" and c.lower_ in PUTATIVE
                                                    for c in verb.head.children)):
            continue  # "It is not surprising that we should be seeing ...": a putative "should"
        if _content_of_a_view(doc, verb, (subject if subject is not None else token).left_edge.i):
            continue  # "with no expectation they should give back", "Another argument ...: we should ..."
        if subject is not None and subject.lower_ in ("he", "she") and verb.lemma_ in CONTEST_VERBS:
            continue  # "he must still beat Ted Cruz": what the race requires of him, not advice
        passive = _is_passive(verb, subject)
        if verb.lemma_ == "be" and any(c.dep_ == "acomp" and c.lower_ in FEELINGS for c in verb.children) \
                and not any(c.dep_ == "conj" and c.pos_ == "VERB" for c in verb.children):
            continue  # "Reince Priebus should be ashamed of himself": a judgement of feelings, not an action (but
            # "Americans should be thankful for ... and crush any effort ..." asks for one)
        if strength == "must" and subject is not None and _generic(subject) \
                and subject.lemma_.lower() not in GOVERNING:
            continue  # "a permit must be posted", "dish owners must now buy decoders": a rule described, not advice
        if strength == "must" and subject is not None and subject.lower_ == "you" and _requirement_for(verb):
            continue  # "To see a movie legally, you must buy a ticket": what anyone has to do, not advice
        if subject is not None and subject.dep_ == "expl":
            pass  # "there should be a ban on ..."
        elif subject is not None and subject.lower_ == "it" and verb.lemma_ == "be":
            if not _normative_complement(verb):
                continue
        elif not (passive or _is_agent(subject) or subject is None) and _expectation(verb) and not (
                strength in ("must", "needs to") and verb.lemma_ in ("happen", "occur")):  # "change must happen"
            continue  # a thing that "should" bring something about: an expectation, not advice
        elif passive and _by_thing(verb):
            continue  # "must be triggered by environmental factors": a cause, not an actor
        elif verb.lemma_ == "be" and not passive and subject is not None and not _is_person_or_body(subject) \
                and not _normative_state(verb, subject):
            continue  # "that should be plenty", "existence must be due to ...": an expectation or an inference
        elif strength == "should" and not passive and subject is not None and not _is_agent(subject) and any(
                c.dep_ == "dobj" and c.lower_ in ("him", "her", "them", "us", "me") for c in verb.children):
            continue  # "his gaffes alone should sink him": what a thing is expected to do to someone
        if token.i in quoted or verb.i in quoted or _closes_a_quotation(doc):
            proposer = "quoted"
        elif (attributed := _AS_SOMEONE_SAYS.search(text := nlp.original_text(doc[:])) or _ACCORDING_TO.search(text)) \
                and token.idx > attributed.end() \
                and attributed.group("who").lower() not in ("i", "we"):  # "As I said, ...": the author's own
            proposer = attributed.group("who")
        else:
            embedded = _embedding(verb, quoted)
            if embedded and embedded[0] == "skip":
                continue
            proposer = embedded[1] if embedded else AUTHOR
        yield verb, subject, strength, cue_tokens, cue, proposer


def _content_of_a_view(doc, verb, start: int) -> bool:
    """Whether the modal's clause sets out a view named just before it: a content noun right before the clause
    ("no expectation [that] they should ...") or in the subject of a clause ending in a colon ("Another argument
    turns on autonomy: we should ..."). ``start``: where the clause begins (its subject, or its modal). The author's
    own view ("my view", "our argument") does not count."""
    def named_view(noun) -> bool:
        return noun.lemma_.lower() in CONTENT_NOUNS and noun.pos_ == "NOUN" and not any(
            c.dep_ == "poss" and c.lower_ in ("my", "our") for c in noun.children)

    before = doc[start - 1] if start > 0 else None
    if before is not None and before.lower_ == "that" and start > 1:
        before = doc[start - 2]
    if before is not None and named_view(before):
        return True
    for above in verb.ancestors:  # "The idea that ..., and the U.S. needs to ..., is ludicrous"; "the requirement is
        if named_view(above) or (above.lemma_ == "be" and any(  # that the wish should be voluntary"
                c.dep_ == "nsubj" and named_view(c) for c in above.children)):
            return True
    colons = [t.i for t in doc[:start] if t.text == ":"]
    return bool(colons) and any(t.dep_ in ("nsubj", "nsubjpass") and named_view(t) for t in doc[:colons[-1]])


def _embedded_question(verb, subject, modal) -> bool:
    """Whether the modal's clause is a question inside the sentence: a wh-word of the clause itself comes before the
    modal ("controversy as to which two teams should play", "what a dog his size should weigh", "how the money
    should be spent"); one inside a relative or other clause of its own ("the state, which failed, should ...") does
    not count."""
    if verb.dep_ == "relcl":
        return False  # "a line that must never be crossed": a relative clause, judged elsewhere
    for token in verb.subtree:
        if token.i >= modal.i:
            break
        if (token.tag_ not in ("WDT", "WP", "WP$") and token.lower_ not in ("how", "whether")) or token.lower_ == "that":
            continue
        node, own = token, True
        while node.i != verb.i:
            if node.dep_ in ("relcl", "acl", "advcl", "ccomp", "csubj", "appos"):
                own = False
                break
            node = node.head
        if own:
            return True
    return False


# "As Hanlon's Razor states, one should ...": the sentence opens by giving the words to someone else.
_AS_SOMEONE_SAYS = re.compile(r"\bas\s+(?P<who>[^,]{1,60}?)\s+(?:states?|says?|said|puts? it|argues?|argued|notes?|"
                              r"noted|writes?|wrote|observes?|observed|reminds? us|advises?|advised|understands?|"
                              r"understood|knew|knows|warns?|warned|recogni[sz]ed|saw)\s*,", re.I)


# "According to Stefan Zillich, quotas should ...": the same, the other way round.
_ACCORDING_TO = re.compile(r"\baccording to\s+(?P<who>[^,]{1,60}?)\s*,", re.I)


def _expectation(verb) -> bool:
    """What a thing "should" do that is an expectation, not a norm: a verb of effect ("higher fines should make
    it cost-effective", "that should put Presidents on notice") or a copula with a complement of amount or ease
    ("that should be plenty", "it ought to be easy")."""
    if verb.lemma_ in EFFECT_VERBS or (verb.lemma_ == "continue" and any(
            c.dep_ == "xcomp" and c.lemma_ in EFFECT_VERBS for c in verb.children)):  # "prices should continue to fall"
        return True
    if verb.lemma_ == "be":
        complements = [c for c in verb.children if c.dep_ in ("acomp", "attr")]
        return any(c.lemma_ in EXPECTED for c in complements) or any(c.dep_ == "advmod" and c.lemma_ in (
            "soon", "easily") for c in verb.children)
    return False


def _normative_state(verb, subject) -> bool:
    """A thing that should *be* some way, as a norm ("abortion should be legal", "qualifications should be the only
    determining factor", "this expressway ought to be among the cleanest"), not an expectation ("that should be
    plenty"), an inference ("must be due to an agent cause") or a comparison ("should be as we remember it")."""
    if subject.lower_ in ("that", "this", "these", "those", "which", "what", "something", "anything"):
        return False
    complements = [c for c in verb.children if c.dep_ in ("acomp", "attr", "prep") and c.i > verb.i]
    if not complements or complements[0].lower_ in ("as", "like", "due", "of", "in", "at", "on", "for"):
        return False
    first = complements[0]
    if first.dep_ == "attr" and any(c.tag_ == "MD" and c.lower_ == "must" for c in verb.children) \
            and not any(c.dep_ == "neg" for c in verb.children):
        return False  # "this First Cause must be God": an inference of identity ("must not be a blind eye" is a norm)
    return not (first.lemma_ in EXPECTED or first.lower_.endswith(("able", "ible")) or first.lemma_ == "time")


def _by_thing(verb) -> bool:
    """A passive of causing ("triggered", "driven") whose "by" agent is a thing: a cause, not someone who acts."""
    agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return verb.lemma_ in CAUSING and bool(agents) and not _is_agent(agents[0])


def _generic(noun) -> bool:
    """A generic noun phrase of the kind descriptions of rules and routines are about: a common noun with an
    indefinite determiner ("a permit", "every bid", "any worker"), or with none when its verb says the rule holds
    as a matter of routine ("dish owners must now buy", "immigrants must always lose"). A bare noun alone is no
    sign: in an op-ed "extremist ideology must be tackled" and "society must steer clear" are advice."""
    if noun.pos_ not in ("NOUN",) or nlp.entity_type(noun):
        return False
    determiners = [c.lower_ for c in noun.children if c.dep_ in ("det", "poss")]
    if determiners:
        return determiners[0] in ("a", "an", "every", "each", "any", "no")
    return any(c.lower_ in ROUTINE for c in noun.head.children)


#: What "you" in "if you want to ..., you must ..." wants: the sentence states what it takes, not advice.
WANTING = frozenset({"want", "wish", "hope", "plan", "intend", "need"})


def _requirement_for(verb) -> bool:
    """Whether "you must" states what a goal requires: a purpose opening the sentence ("To see a movie legally, you
    must ...", "In order to vote, you must ...") or "if you want to ..." (generic "you"; a named actor with a
    purpose, "To end the crisis, Washington must ...", is advice and is not asked about)."""
    for clause in (c for c in verb.children if c.dep_ == "advcl" and c.i < verb.i):
        words = [t.lower_ for t in clause.subtree]
        if words[:1] == ["to"] or words[:3] == ["in", "order", "to"]:
            return True
        if words[:1] == ["if"] and clause.lemma_ in WANTING \
                and any(c.dep_ == "nsubj" and c.lower_ == "you" for c in clause.children):
            return True
    return False


def _names_a_thing(subject) -> bool:
    """A subject that is a noun phrase, not a pronoun or an expletive ("those functions", "abortion")."""
    return subject is not None and subject.pos_ in ("NOUN", "PROPN") and subject.dep_ != "expl"


def _is_person_or_body(subject) -> bool:
    """Stricter than :func:`_is_agent`: a person, organisation or group by its entity type, a personal pronoun or
    an agent noun (a capitalised word alone is not enough)."""
    kind = nlp.entity_type(subject)
    return (kind in ("PERSON", "NORP", "GPE") or (kind == "ORG" and subject.pos_ == "PROPN")
            or subject.lower_ in AGENT_PRONOUNS or subject.lemma_.lower() in AGENT_NOUNS or _people_who(subject))


def _people_who(subject) -> bool:
    """ "those conducting military actions", "anyone who strays", "the extremists who ...": people picked out by
    what they do."""
    if subject.lower_ in ("those", "anyone", "anybody", "someone", "somebody"):
        return any(c.dep_ in ("acl", "relcl") for c in subject.children)
    return subject.pos_ == "NOUN" and any(  # "the extremists who are wreaking this havoc"
        c.dep_ == "relcl" and any(g.lower_ in ("who", "whom") for g in c.children) for c in subject.children)


def _antecedent(doc, pronoun):
    """The organisation, country or group named as a subject earlier in the sentence, for "it" ("The Navy has
    admitted it has no proof ..., but it needs to ...")."""
    for token in doc[:pronoun.i]:
        if token.dep_ in ("nsubj", "nsubjpass") and nlp.entity_type(token) in ("ORG", "GPE", "NORP"):
            return token
    return None


def _closes_a_quotation(doc) -> bool:
    """A sentence ending in a closing quotation mark it never opened, or with a speaker after one (`... resign
    immediately," Biden tweeted.`): the end of someone's quoted words."""
    text = nlp.doc_text(doc).rstrip()
    unopened = ("“" not in text and "``" not in text) if "”" in text or "''" in text else text.count('"') % 2 == 1
    return (text.endswith(("”", "''", '"')) and unopened) or (unopened and bool(_THEN_SPEAKER.search(text)))


# `...," Biden tweeted.`: a closing quotation mark after a comma, then a short attribution to the end
_THEN_SPEAKER = re.compile(r"[,?!]\s*(?:”|''|\")\s+[^\"“”]{1,80}?\b(?:said|says|tweeted|wrote|writes|added|told|"
                           r"argued|explained|continued|insisted|declared|asked|warned)\b[^\"“”]*$")


def _normative_complement(verb) -> bool:
    """ "it should be a fundamental right ...", "it must be illegal ...": the copula's complement names a norm."""
    complements = [c for c in verb.children if c.dep_ in ("attr", "acomp")]
    return any(c.lemma_ in {"right", "duty", "priority", "goal", "obligation", "crime", "responsibility", "illegal",
                            "mandatory", "compulsory", "free", "decision", "choice",
                            "law", "policy", "standard"} for c in complements)


def _imperative_rows(doc, quoted: set[int]):
    """An imperative that urges an action: (verb, strength, cue)."""
    yield from _after_colon(doc, quoted)
    kept = (t for t in doc if not (t.is_punct or t.is_space or t.text in "·•▪‣◦●-*"))
    tokens = list(itertools.islice(kept, 4))  # all the rule reads
    if not tokens or tokens[0].i in quoted:
        return
    first = tokens[0]
    for following in tokens[1:3]:  # "So, please send ...", "Likewise, don't pick ...": past the opening adverbs
        if first.lower_ not in ("please", "so", "now", "then", "just", "always", "never", "and") and not (
                first.pos_ == "ADV" and first.i + 1 < len(doc) and doc[first.i + 1].text == ","):
            break
        first = following
    if not tokens[0].text[:1].isupper():
        return  # "cut violent behavior by 33%": a claim's predicate, not an imperative
    words = [t for t in tokens[:4] if t.is_alpha]
    if first.is_upper and len(first) > 1 or (len(words) >= 3 and all(w.text[:1].isupper() for w in words)):
        return  # "SIGN UP FOR OUR NEWSLETTER", "Trump Pushes Back Against ...": a headline or a button
    text = nlp.doc_text(doc)
    if _EXCLAMATIONS.match(text):
        return  # "Come on, Hollywood": an exclamation
    if _PROCEDURE.search(text) or re.match(r"\W*follow\b.*\b(?:on|at)\s+(?:twitter|facebook|instagram|@)", text, re.I):
        return  # "Call Pat Bray at 241-2661", "Follow him on Twitter": a contact, not a cause
    if first.lower_ in ("do", "don't", "dont") and first.i + 1 < len(doc):
        following = [t for t in doc[first.i + 1:first.i + 3] if t.dep_ != "neg" and t.lower_ not in ("n't", "not")]
        if following and following[0].tag_ == "VB" and _subject(following[0]) is None and \
                following[0].lemma_ not in ASIDE_IMPERATIVES:
            yield following[0], "should", "don't"  # "Don't stand too far aside ...": whatever the parse made of it
        return
    if first.tag_ != "VB" or first.dep_ not in ("ROOT", "conj") or _subject(first) is not None:
        return
    if first.i + 1 < len(doc) and doc[first.i + 1].text in (":", ","):
        return  # "Perfect: a description ...": not a verb
    said = [t.lower_ for t in doc[first.i + 1:first.i + 3] if not t.is_quote]
    if first.lemma_.lower() in ASIDE_IMPERATIVES and not (first.lemma_ == "say" and said[:1] in (["no"], ["yes"])) \
            and not (first.lemma_ == "consider" and first.i + 1 < len(doc) and doc[first.i + 1].tag_ == "VBG"):
        return  # "Consider what happened ...": an aside; but "Consider sponsoring a child" urges an action
    if _closes_a_quotation(doc):
        return  # "Make a world worthy of the children ...": the end of someone's quoted words
    if first.lemma_ in ("call", "enter") and any(c.dep_ in ("dobj", "oprd") and c.lower_ in ("it", "me", "us")
                                                 or c.pos_ == "PROPN" for c in first.children):
        return  # "Call it the New York Advantage", "Enter Marty Daniel": not a call to act
    if any(c.lower_ in ("me", "us") and c.head.lemma_ in CONTACT for c in first.subtree if c.i < first.i + 6):
        return  # "Be sure to write me back": a courtesy
    if any(c.dep_ == "conj" and c.i > first.i and _subject(c) is not None for c in first.children):
        return  # "Sit at a typical meeting and it's hard to miss": a condition and its consequence
    yield first, "should", "imperative"


def _after_colon(doc, quoted: set[int]):
    """ "The findings send a message to City Hall: Don't shortchange Family Court.": an imperative that opens, with
    a capital, the clause after a colon."""
    if ":" not in nlp.doc_text(doc):  # most sentences: no need to visit their tokens
        return
    colon = next((t for t in doc if t.text == ":"), None)
    if colon is None or colon.i + 2 >= len(doc) or colon.i in quoted or not doc[colon.i + 1].text[:1].isupper():
        return
    first = doc[colon.i + 1]
    if first.lower_ == "do" and doc[colon.i + 2].lower_ in ("n't", "not") and colon.i + 3 < len(doc):
        first, cue = doc[colon.i + 3], "don't"
    else:
        cue = "imperative"
    if first.tag_ == "VB" and _subject(first) is None and first.lemma_.lower() not in ASIDE_IMPERATIVES:
        yield first, "should", cue


def _appeal_rows(doc, quoted: set[int]):
    """ "we need your support", "I urge you to ...", "let me urge you to ...": (verb or noun, actor token or
    None, strength, cue)."""
    for token in doc:
        if token.i in quoted:
            continue
        if token.lemma_ == "need" and token.pos_ == "VERB":
            subject = _subject(token)
            asked = [c for c in token.children if c.dep_ == "dobj" and c.lemma_ in APPEALS]
            if subject is not None and subject.lower_ == "we" and asked and not _embedding(token, quoted):
                yield asked[0], "you", "needs to", "we need"
                continue
            yours = [c for c in asked if any(p.lower_ == "your" for p in c.children)]
            if subject is not None and yours and not _embedding(token, quoted):
                yield yours[0], "you", "needs to", "needs your"  # "Defenders needs your immediate assistance"
                continue
            if subject is None or subject.lower_ not in ("we", "i") or _embedding(token, quoted):
                continue
            nouns = [c for c in token.children if c.dep_ in ("dobj", "ccomp")]
            nouns += [g for c in token.children if c.dep_ in ("ccomp", "xcomp") for g in c.children
                      if g.dep_ in ("nsubj", "dobj")]
            if any(c.lower_ == "you" and c.dep_ in ("dobj", "ccomp") for c in token.children):
                yield token, "you", "needs to", "we need you"
                continue
            wanted = [c for c in token.children if c.dep_ == "dobj" and c.pos_ == "NOUN" and any(
                a.dep_ == "amod" and a.lower_ in CALLED_FOR_QUALITIES for a in c.children)]
            if subject.lower_ == "we" and token.tag_ == "VBP" and wanted:
                yield wanted[0], "we", "needs to", "we need"  # "we need a new, equally ambitious plan"
                continue
            for noun in nouns:
                if any(p.lower_ == "your" for p in noun.children):
                    yield noun.head if noun.dep_ == "nsubj" and noun.head.i != token.i else noun, "you", "needs to", \
                        "we need your"
                    break
                if noun.dep_ == "nsubj" and noun.head.i != token.i and token.tag_ == "VBP" \
                        and (_is_agent(noun) or noun.pos_ in ("NOUN", "PROPN")) \
                        and any(g.lower_ == "to" for g in noun.head.children):
                    yield noun.head, _span_text(noun.subtree), "needs to", "we need X to"  # "We need our churches
                    break  # to wake up"
        if token.lemma_ == "call" and token.pos_ == "VERB" and not _is_agent(_subject(token)) \
                and token.head.pos_ != "ADP":  # "after days of controversy and calls for his resignation": a noun
            wanted = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children
                      if g.dep_ == "pobj" and g.lemma_ in CALLED_FOR]
            if wanted:
                by = [g for c in wanted[0].children if c.dep_ == "prep" and c.lower_ == "from" for g in c.children
                      if g.dep_ == "pobj"]
                if not _embedding(token, quoted):
                    yield wanted[0], _span_text(by[0].subtree) if by else "", "should", "calls for"
        if token.lemma_ == "owe" and token.pos_ == "VERB":
            owed = [c for c in token.children if c.dep_ == "dobj" and c.lemma_ in ("explanation", "apology", "answer",
                                                                                     "account")]
            subject = _subject(token)
            if owed and subject is not None and _is_agent(subject):
                yield owed[0], _span_text(subject.subtree), "should", "owes"
        if token.lemma_ in ("urge", "implore", "beg", "encourage", "ask") and token.pos_ == "VERB":
            subject = _subject(token)
            lets = token.head.lemma_ == "let"
            if ((subject is not None and subject.lower_ in ("i", "we", "me")) or lets) \
                    and not _embedding(token, quoted):  # "the gift that I am asking you to make will be used ..."
                objects = [c for c in token.children if c.dep_ in ("dobj", "nsubj") and c.i > token.i]
                actions = [c for c in token.children if c.dep_ in ("xcomp", "ccomp")]
                if objects and actions:
                    yield actions[0], objects[0].text, "should", token.lemma_
        if token.lemma_ == "call" and token.pos_ == "VERB" and not _embedding(token, quoted):
            subject = _subject(token) or (_subject(token.head) if token.dep_ in ("conj", "xcomp") else None)
            called = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "on" for g in c.children
                      if g.dep_ == "pobj"]
            actions = [t for t in token.subtree if t.dep_ in ("xcomp", "advcl", "acl") and t.pos_ == "VERB"
                       and any(g.lower_ == "to" for g in t.children)]
            if subject is not None and subject.lower_ in ("i", "we") and called and actions:
                others = {t.i for c in called[0].children if c.dep_ in ("conj", "cc") for t in c.subtree}
                yield actions[0], _span_text([t for t in called[0].subtree if t.i not in others]), "should", \
                    "call on"  # "I call on my colleagues ... and all activists to set aside ...": the first named


def _asked(target) -> str:
    """What an appeal asks for: a thing ("your support"), or an action without whom it asks and its "to" ("We need
    our churches to wake up" -> "wake up", "I urge my colleagues to consider ..." -> "consider ...")."""
    if target.pos_ not in ("VERB", "AUX"):
        return _span_text(target.subtree)
    left_out = {t.i for c in target.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    left_out |= {c.i for c in target.children if c.dep_ == "aux" and c.lower_ == "to"}
    return _span_text([t for t in target.subtree if t.i not in left_out])


def _normative_rows(doc, quoted: set[int]):
    """ "it is up to X to V", "it is time (for X) to V", "it is important that S", "there is a need to V", "X is no
    longer acceptable": (verb, actor text, strength, cue)."""
    for token in doc:
        if token.i in quoted:
            continue
        if token.lower_ == "up" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            actor_tokens = [t for t in doc[token.i + 2:] if t.dep_ in ("pobj", "conj") and t.pos_ == "PROPN"]
            verbs = [t for t in token.head.children if t.dep_ == "xcomp"]
            if verbs and actor_tokens:
                yield verbs[0], nlp.span_text(doc[token.i + 2: verbs[0].i - 1]), "must", "it is up to", token.head
        elif token.lower_ == "time" and token.dep_ in ("attr", "nsubj") and token.head.lemma_ == "be" and \
                any(c.lower_ in ("it", "'s") or (c.dep_ == "expl" and (
                    c.lower_ != "there" or any(m.dep_ == "amod" for m in token.children)))
                    for c in token.head.children) and \
                token.head.lower_ not in ("was", "were") and not any(c.lower_ in ORDINAL_TIMES for c in token.children):
            # not "it was time to leave" (a story), "it was the first time that ..." (a fact) nor "there should be
            # time to debate" (time available; but "there is no better time to act" is an appeal)
            clauses = [c for c in token.children if c.dep_ in ("relcl", "acl", "ccomp", "xcomp")]
            clauses += [c for c in token.head.children if c.dep_ in ("ccomp", "xcomp") and c.i > token.i]
            if token.head.dep_ == "ccomp" and token.head.head.i > token.i:
                clauses.append(token.head.head)  # "It's time Congress rectified that": the clause governs "'s"
            if clauses:
                actor = _subject(clauses[0])
                yield clauses[0], actor.subtree if actor is not None else "", "must", "it is time", token.head
        elif token.lemma_ in NORMATIVE_ADJECTIVES and token.dep_ == "acomp" and token.head.lemma_ == "be" and \
                any(c.lower_ == "it" for c in token.head.children):
            clauses = [c for c in list(token.children) + list(token.head.children)
                       if c.dep_ in ("ccomp", "xcomp") and c.i > token.i]
            if clauses and clauses[0].lemma_ in COGNITION:
                continue  # "it is important to remember all we've been given is a snapshot": an aside
            if clauses:
                actor = _subject(clauses[0])
                strength = "needs to" if token.lemma_ in ("necessary", "essential", "vital", "imperative") else "should"
                yield clauses[0], actor.subtree if actor is not None else "", strength, f"it is {token.lemma_}", token.head
        elif token.lemma_ in ("necessary", "imperative") and token.dep_ == "acomp" and token.head.lemma_ == "be" \
                and not any(c.dep_ in ("prep", "xcomp", "ccomp", "advcl", "conj") or c.lower_ == "as"
                            for c in [*token.children, *token.head.children] if c.i > token.i or c.lower_ == "as") \
                and not any(c.dep_ in ("neg", "aux") or c.lower_ in ("was", "were") for c in token.head.children) \
                and token.head.lower_ not in ("was", "were"):
            subject = _subject(token.head)
            if subject is not None and (subject.pos_ == "NOUN" or subject.lower_ == "more") \
                    and subject.lower_ not in WH_WORDS:
                yield subject, "", "needs to", f"is {token.lemma_}", token.head  # "legislative reform is necessary"
        elif token.lemma_ == "need" and token.pos_ == "NOUN" and token.head.lemma_ not in ("have", "feel", "see") \
                and not any(c.lower_ in ("no", "little", "neither") for c in token.children) and (
                    token.dep_ == "nsubj" or (token.dep_ == "attr" and any(c.dep_ == "expl" for c in token.head.children))
                    or any(c.dep_ == "amod" and c.lemma_ in PRESSING for c in token.children)):
            # "there is a need to V", "the need to V is ...", "an urgent need to V"; not "a drawback is the need to V"
            verbs = [c for c in token.children if c.dep_ in ("acl", "relcl", "xcomp") and c.pos_ in ("VERB", "AUX")
                     and any(g.lower_ == "to" for g in c.children)]
            verbs += [c for c in token.head.children if token.dep_ == "nsubj" and c.dep_ in ("xcomp", "attr", "ccomp")
                      and c.pos_ == "VERB"]
            if verbs:
                yield verbs[0], "", "needs to", "there is a need to", token
        elif token.lemma_ == "need" and token.tag_ == "VBN" and token.dep_ == "ROOT" and any(
                c.dep_ == "auxpass" for c in token.children):
            subject = _subject(token)
            wanting = subject is not None and any(c.lower_ in ("more", "your", "additional", "greater", "new", "further")
                                                  for c in subject.children)
            purposes = [c for c in token.children if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB"]
            if wanting and (purposes or any(c.lower_ == "now" for c in token.children)):
                actor = "you" if any(c.lower_ == "your" for c in subject.children) else ""
                yield token, actor, "needs to", "is needed", token
        elif token.lower_ == "needed" and token.dep_ == "csubj" and any(c.lower_ == "what" for c in token.children):
            wanted = [c for c in token.head.children if c.dep_ == "attr"]
            if wanted:
                by = [g for t in wanted[0].subtree if t.dep_ == "agent" for g in t.children if g.dep_ == "pobj"]
                yield wanted[0], _span_text(by[0].subtree) if by else "", "needs to", "what is needed", token.head
        elif token.lemma_ in UNACCEPTABLE and token.dep_ in ("acomp", "attr") and token.head.lemma_ == "be":
            negative = any(c.dep_ == "neg" or c.lower_ in ("longer", "no", "never") for c in token.head.children) \
                or any(c.dep_ == "neg" or c.lower_ == "longer" for c in token.children)
            subject = _subject(token.head)
            if negative and subject is not None:
                yield *_what_is_unacceptable(token, subject), "must", f"no longer {token.lemma_}" if any(
                    t.lower_ == "longer" for t in doc) else f"not {token.lemma_}", token.head
        elif token.lemma_ == "unacceptable" and token.head.lemma_ == "be":
            subject = _subject(token.head)
            if subject is not None:
                yield *_what_is_unacceptable(token, subject), "must", "unacceptable", token.head


def _what_is_unacceptable(adjective, subject) -> tuple:
    """(what must stop, who is asked) for "X is no longer acceptable": X itself, or for "it is not acceptable (for
    Washington) to V" / "it is unacceptable that S" the clause "it" stands for, with its subject."""
    if subject.lower_ == "it":
        clauses = [c for c in [*adjective.children, *adjective.head.children]
                   if c.dep_ in ("xcomp", "advcl", "ccomp") and c.i > adjective.i and c.pos_ in ("VERB", "AUX")]
        if clauses:
            actor = [c for c in clauses[0].children if c.dep_ == "nsubj"]
            return clauses[0], actor[0].subtree if actor else ""
    return subject, ""


def _normative_action(verb, cue: str) -> str:
    """What a norm of :func:`_normative_rows` asks, as an action: "stop X" for "X is no longer acceptable" ("not V"
    for the clause of "it is not acceptable to V"), "have X" for a thing wanted ("legislative reform is necessary"),
    the clause itself for "X is needed", else the verb phrase ("it is time to V": "V")."""
    if cue.startswith(("no longer", "not ", "unacceptable")):
        if verb.pos_ in ("VERB", "AUX") and verb.dep_ in ("xcomp", "advcl", "ccomp"):
            return _negated(verb)  # "it is not acceptable (for X) to V" / "it is unacceptable that X Vs"
        text = _span_text(verb.subtree)
        if re.match(r"(?:that|whether)\s", text):
            return re.sub(r"^(?:that|whether)\s+", "stop ", text)
        return f"stop {_sentence_case_off(verb, text)}"
    if cue == "is needed":
        return _span_text(verb.subtree)  # "more resources are needed now": the clause
    if cue in THING_WANTED:
        return f"have {_sentence_case_off(verb, _span_text(verb.subtree))}"
    return _action(verb, None)


#: Words that open a noun phrase and are capitalised only at the start of a sentence.
DETERMINERS = frozenset("a an the this that these those such our their its his her my your every each any some no "
                        "all both many most other another".split())


def determiner_lowered(actor_text: str) -> str:
    """An actor the gazetteer does not know, as it reads inside a sentence ("A new TCOG or a similar body" -> "a new
    TCOG or a similar body"); the table's ``actor_text`` keeps the words as written."""
    first, _, rest = actor_text.partition(" ")
    return f"{first.lower()} {rest}" if rest and first.lower() in DETERMINERS else actor_text


def _sentence_case_off(head, text: str) -> str:
    """``text`` (the span of ``head``) without the capital it has only because it opens the sentence."""
    opens = head.left_edge.i == 0 and head.doc[0].pos_ != "PROPN"  # "Such behaviour is ..." -> "stop such ..."
    return text[:1].lower() + text[1:] if opens else text


def _negated(verb) -> str:
    """ "(that the government) ignores the victims" -> "not ignore the victims": the clause's action in its base form,
    negated; a passive's subject is shown after it ("not be detained (children)")."""
    subject = _subject(verb)
    first, _, rest = _action(verb, subject).partition(" ")
    base = next((t.lemma_ for t in verb.subtree if t.text == first), first)
    action = " ".join(w for w in ("not", base, rest) if w)
    passive = subject is not None and subject.dep_ == "nsubjpass"
    return f"{action} ({_span_text(subject.subtree)})" if passive else action


def _proposal_rows(doc, quoted: set[int]):
    """One row per gerund in 'the solutions ... included V-ing ..., V-ing ...', with who proposed them:
    (gerund, tokens, strength, cue, proposer); proposer None when the sentence says someone else raised them."""
    for token in doc:
        if token.lemma_ not in ("include", "be") or token.i in quoted:
            continue
        subject = _subject(token)
        if subject is None or not ({t.lemma_ for t in subject.subtree} & PROPOSAL_NOUNS):
            continue
        strength = "could" if {t.lower_ for t in subject.subtree} & {"possible", "potential", "some"} else "should"
        others = [t for t in subject.subtree if t.lemma_ in OTHERS_PROPOSED and t.tag_ == "VBN"]
        agents = [t for t in subject.subtree if t.dep_ == "pobj" and t.head.lower_ == "by"]
        proposer = (_span_text(agents[0].subtree) if agents else None) if others else AUTHOR
        gerunds = [t for t in token.subtree if t.tag_ == "VBG" and t.i > token.i and t.dep_ in
                   ("xcomp", "conj", "advcl", "dobj", "attr", "pcomp")]
        for gerund in gerunds:
            inside = {t.i for t in gerund.subtree}
            nested = {t.i for g in gerunds if g.i != gerund.i and g.i in inside for t in g.subtree}
            tokens = [t for t in gerund.subtree if t.i not in nested and t.i >= gerund.i]
            yield gerund, tokens, strength, token.lemma_ if token.lemma_ != "be" else "is", proposer


def actors_named(text: str, gazetteer: Gazetteer) -> str:
    """Labels of the actors named in ``text``, in order of first mention, joined by ' & ' ('' when none)."""
    labels = []
    for actor, _, _, _ in gazetteer.find(text):
        if gazetteer.labels[actor] not in labels:
            labels.append(gazetteer.labels[actor])
    return " & ".join(labels)


def _named_before(docs: list, index: int) -> str:
    """The organisation (else person, else group) named last in the two sentences before ``index`` ("the Atlantic
    Council"), for a proposal the sentence says others raised."""
    before = [ent for doc in docs[max(0, index - 2):index] for ent in nlp.entities(doc)]
    for label in ("ORG", "PERSON", "NORP"):
        named = [ent for ent in before if ent.label_ == label]
        if named:
            return named[-1].text
    return ""


def _passive_agent(verb):
    """The noun of a passive's "by" phrase ("be settled by Congress"), or None."""
    agents = [c for c in verb.children if c.dep_ == "agent"]
    objects = [g for a in agents for g in a.children if g.dep_ == "pobj"]
    return objects[0] if objects else None


def _sentence_rows(doc, docs: list, index: int) -> list[tuple]:
    """(actor text, action, strength, cue, agent, proposer, about) of every recommendation in one parsed sentence;
    ``about``: what the action is about when it says so in brackets after it (see ``about`` in :data:`COLUMNS`)."""
    if _is_question(doc):
        return []
    found = _rows_of(doc, docs, index)
    speaker = nlp.headline_speaker(doc)
    return [(*row[:5], speaker, *row[6:]) if speaker and row[5] == AUTHOR else row for row in found]


def _rows_of(doc, docs: list, index: int) -> list[tuple]:
    quoted = nlp.quoted_tokens(doc)
    found = []
    for verb, subject, strength, cue_tokens, cue, proposer in _modal_rows(doc, quoted):
        passive = _is_passive(verb, subject)
        if passive or subject is None or subject.dep_ == "expl" or subject.lower_ == "it" or (
                verb.lemma_ == "be" and not _is_person_or_body(subject)):  # "abortion should be legal": nobody named
            by = _passive_agent(verb) if passive else None
            actor_text = _span_text(by.subtree) if by is not None else ""
            agent = by is not None and _is_agent(by)  # not "be bound by political strictures"
            action_subject = subject
            if _names_a_thing(subject) and not passive and verb.lemma_ == "be":
                # "abortion should be legal": a norm about the thing the sentence names, shown with the action, and
                # not addressed to whom the author addressed last
                actor_text = _span_text(subject.subtree)
        else:
            actor_text, agent, action_subject = _span_text(subject.subtree), _is_agent(subject), subject
            if subject.lower_ in ("he", "she"):
                actor_text = nlp.person_before(subject) or actor_text  # "If Obama wants ..., he needs to" -> Obama
        action, about = _action(verb, action_subject, cue_tokens), ""
        if subject is not None and subject.dep_ == "expl" and verb.lemma_ == "be":
            # "there must be accountability" -> "have accountability", as a thing wanted ("not be any" -> "not have any")
            action = re.sub(r"^((?:not |never )?)be\b", r"\1have", action)
        if passive and subject is not None and subject.dep_ == "nsubjpass":
            relative = subject.lower_ in ("that", "which", "who") and verb.dep_ == "relcl"
            # "a line that must never be crossed" -> "never be crossed (a line)", not "(that)"
            about = _antecedent_text(verb) if relative else _span_text(subject.subtree)
        elif actor_text and not agent and _names_a_thing(subject):
            # "those functions must remain separate" -> "remain separate (those functions)": what the norm is about
            about = actor_text.rstrip(" ,;:")
        found.append((actor_text, f"{action} ({about})" if about else action, strength, cue, agent, proposer, about))
    if not found:
        for verb, strength, cue in _imperative_rows(doc, quoted):
            action = _action(verb, None)
            if cue == "don't":  # "Don't pick the flowers" -> "not pick the flowers" (the parse may keep its "n't")
                action = "not " + re.sub(r"^(?:n't|n\u2019t|not)\s+", "", action)
            if action[:1].isupper() and verb.pos_ != "PROPN":
                action = action[:1].lower() + action[1:]  # "Keep calm and carry on" -> "keep calm ..."
            found.append(("you", action, strength, cue, True, AUTHOR, ""))
    for target, actor, strength, cue in _appeal_rows(doc, quoted):
        action = _asked(target)
        if actor == "we" and target.pos_ not in ("VERB", "AUX"):
            action = f"have {action}"  # "we need a new plan": "we [needs to] have a new plan"
        found.append((actor, action, strength, cue, True, "quoted" if _closes_a_quotation(doc) else AUTHOR, ""))
    for verb, actor, strength, cue, anchor in _normative_rows(doc, quoted):
        embedded = _embedding(anchor, quoted)
        if embedded and embedded[0] == "skip":
            continue
        proposer = "quoted" if verb.i in quoted or _closes_a_quotation(doc) else embedded[1] if embedded else AUTHOR
        actor_text = actor if isinstance(actor, str) else _span_text(actor)
        found.append((actor_text, _normative_action(verb, cue), strength, cue, bool(actor_text), proposer, ""))
    for gerund, tokens, strength, cue, proposer in _proposal_rows(doc, quoted):
        if proposer is None:
            named = _named_before(docs, index)
            proposer = f"{named} (named before)" if named else "others (the sentence says so)"
        found.append(("", _span_text(tokens), strength, cue, False, proposer, ""))
    return found


def headline_actors(headlines: dict[str, str] | None, gazetteer: Gazetteer) -> dict[str, str]:
    """The actor each article's headline asks to act, when it names one ("U.S. must help Tokyo and Seoul end
    crisis" -> United States): by article id, for articles whose headline makes its own recommendation."""
    headlines = {doc_id: str(text) for doc_id, text in (headlines or {}).items() if isinstance(text, str) and text}
    found = {}
    for (doc_id, _), doc in zip(headlines.items(), nlp.parse(list(headlines.values()), entities=False)):
        named = [actors_named(row[0], gazetteer) for row in _sentence_rows(doc, [doc], 0) if row[5] == AUTHOR]
        if named and named[0]:
            found[doc_id] = named[0]
    return found


def extract(sentences: pd.DataFrame, gazetteer: Gazetteer, docs: list | None = None,
            headlines: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per recommendation, in reading order, with its sentence id (see the module docstring): the
    author's own (``proposer`` "author") and those the article reports (``proposer`` names who).
    ``docs``: the sentences already parsed by :func:`opedlens.measure.nlp.parse` (parsed here when not given);
    ``headlines``: each article's headline by id, whose addressee is the context of the article's first sentences."""
    rows = []
    docs = nlp.parse(sentences["text"].tolist(), entities=False) if docs is None else docs
    # per article: the actor its author last addressed by name, the headline's first
    last_actor: dict[str, str] = headline_actors(headlines, gazetteer)
    for index, ((_, sentence), doc) in enumerate(zip(sentences.iterrows(), docs)):
        doc_id = sentence["doc_id"]
        for actor_text, action, strength, cue, agent, proposer, about in _sentence_rows(doc, docs, index):
            # the actors the subject names, if the subject can act: not "Syria" for "The sudden uptick in refugees
            # from Syria should prompt a review", nor "Charlie Hebdo" for "The response to the killings ... should"
            actor = actors_named(actor_text, gazetteer) if agent else ""
            source = "sentence"
            if not actor and agent and actor_text:
                actor, source = determiner_lowered(actor_text), "sentence (not in the gazetteer)"
            elif not actor and proposer not in (AUTHOR, "quoted") and actors_named(proposer, gazetteer):
                # "Seoul thinks it is time to stop being the lesser partner": the speaker means itself
                actor, source = actors_named(proposer, gazetteer), "the speaker"
            elif not actor:  # someone else's proposal is not addressed to whom the author addresses, nor is a norm
                # about a thing the sentence names ("those functions must remain separate", "more is necessary")
                actor = last_actor.get(doc_id, "") if proposer == AUTHOR and not actor_text \
                    and cue not in THING_WANTED else ""
                source = "context" if actor else "none"
            rows.append({"doc_id": doc_id, "sent_id": sentence["sent_id"], "actor": actor,
                         "actor_text": actor_text, "actor_source": source, "proposer": proposer, "action": action,
                         "about": about, "strength": strength, "strength_rank": STRENGTH_RANK[strength], "cue": cue,
                         "addressees": actors_named(action, gazetteer), "text": sentence["text"]})
            if actor and proposer == AUTHOR and source == "sentence":
                last_actor[doc_id] = actor
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rec_id"])
    table.insert(2, "rec_id", [f"{sid}.r{n}" for sid, n in
                               zip(table["sent_id"], table.groupby("sent_id", sort=False).cumcount() + 1)])
    return table[COLUMNS]


def own(table: pd.DataFrame) -> pd.DataFrame:
    """The author's own recommendations (not those the article reports)."""
    return table[table["proposer"] == AUTHOR]


def side_by_side(table: pd.DataFrame, plan) -> pd.DataFrame:
    """Every compared group's recommendations for reading: group, then reading order; who, how strongly, what,
    whose proposal."""
    view = table[table["doc_id"].isin(plan.group_of)].assign(group=lambda t: t["doc_id"].map(plan.group_of))
    return view.set_index(["group", "rec_id"])[["actor", "actor_source", "strength", "action", "proposer"]]
