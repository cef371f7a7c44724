"""Recommendations: who should act, what they should do, and how strongly the author says so.

Rules over spaCy's dependency parse (:mod:`opedlens.nlp`), in the author's own words only (modals
inside quotation marks belong to the quoted speaker):

- a deontic modal on a verb: "the U.S. **should** help ...", "Washington **needs to** ...", "the
  Trump administration **must** address ..."; a weak modal ("could", "may", "might") counts only
  when its verb says the measure helps ("people-to-people exchanges **may facilitate**
  reconciliation"), so "Washington could aggravate the situation" is not a recommendation;
- "it is **up to** Tokyo and Seoul **to** get ...", "the greatest **need is to** address ...";
- a list of proposals: "the possible **solutions** ... **included** securing a freeze ...,
  publishing a joint statement ..." gives one row per gerund.

Modals in a concessive clause ("Although full reconciliation should remain the goal"), or under a
verb of thinking or saying ("it no longer feels it has to ..."), are not the author's advice. When
the sentence names no actor, the actor comes from the article's last recommendation or the
previous sentence (``actor_source = "context"``); a subject that can act but is not in the gazetteer ("the
international community", "Ofcom") is kept as written (``"sentence (not in the gazetteer)"``). This is a transparent rule set, not a trained
model: read the sentence beside each row.
"""

from __future__ import annotations

import re

import pandas as pd

from . import nlp
from .actors import Gazetteer

STRENGTH_RANK = {"must": 3, "needs to": 3, "should": 2, "could": 1}
MODAL_STRENGTH = {"must": "must", "should": "should", "ought": "should", "could": "could", "may": "could",
                  "might": "could", "shall": "must"}
HELPING_VERBS = {"help", "facilitate", "promote", "ease", "improve", "reduce", "resolve", "contribute", "support",
                 "strengthen", "bridge", "encourage", "enable", "foster", "build", "restore", "relieve", "mend",
                 "repair", "calm", "defuse", "stabilize", "stabilise", "advance", "benefit", "solve", "end"}
THINK_OR_SAY = {"feel", "think", "believe", "say", "know", "consider", "argue", "claim", "fear", "hope", "insist",
                "tell", "note", "add", "worry", "suspect", "assume", "expect", "see", "warn", "rule", "order",
                "demand", "announce", "decide", "agree", "state", "declare", "report", "suggest", "find", "conclude"}
CONCESSIVE = {"although", "though", "while", "whereas", "even", "despite"}
PROPOSAL_NOUNS = {"solution", "proposal", "step", "measure", "option", "recommendation", "idea", "remedy",
                  "suggestion", "policy"}
GENERIC_SUBJECTS = {"one", "it", "this", "that", "there", "they", "we", "you", "he", "she"}
COLUMNS = ["doc_id", "sent_id", "rec_id", "actor", "actor_text", "actor_source", "action", "strength",
           "strength_rank", "cue", "addressees", "text"]


def _quoted_tokens(doc) -> set[int]:
    """Indices of tokens inside quotation marks."""
    inside, quoted = False, set()
    for token in doc:
        if token.text in {"“", "”", '"'}:
            inside = not inside if token.text == '"' else token.text == "“"
            continue
        if inside:
            quoted.add(token.i)
    return quoted


def _span_text(tokens) -> str:
    """The tokens' text without a trailing list conjunction ("promoting goodwill, and" -> "promoting goodwill")."""
    return re.sub(r",?\s+(?:and|or)$", "", nlp.span_text(tokens))


def _subject(verb):
    """The verb's subject token, following conjunctions and auxiliaries up to the clause head."""
    for candidate in (verb, verb.head if verb.dep_ in ("conj", "xcomp") else None):
        if candidate is None:
            continue
        for child in candidate.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
    return None


def _action(verb, subject) -> str:
    """The verb phrase: the verb and everything it governs, minus its subject, modal and leading adverbs."""
    skip = set()
    if subject is not None:
        skip |= {t.i for t in subject.subtree}
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass", "punct", "mark", "advmod", "neg") and child.i < verb.i:
            skip |= {t.i for t in child.subtree}
        if child.dep_ == "advcl" and child.i < verb.i:
            skip |= {t.i for t in child.subtree}
        if child.dep_ in ("punct", "cc") and child.i > verb.i and child.i == verb.right_edge.i:
            skip.add(child.i)
    tokens = [t for t in verb.subtree if t.i not in skip and t.i >= verb.i]
    return _span_text(tokens)


def _embedded(verb) -> bool:
    """True when the verb sits in a concessive clause or under a verb of thinking or saying."""
    node = verb
    while node.head.i != node.i:
        if node.dep_ in ("advcl", "ccomp", "relcl", "acl"):
            marks = {c.lower_ for c in node.children if c.dep_ == "mark"}
            if marks & CONCESSIVE or node.dep_ in ("relcl", "acl"):
                return True
            if node.dep_ == "ccomp" and node.head.lemma_ in THINK_OR_SAY:
                return True
        node = node.head
    return False


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _modal_rows(doc, quoted: set[int]):
    """(verb, subject, strength, cue) for each deontic modal the author uses."""
    for token in doc:
        if token.i in quoted:
            continue
        lower = token.lower_
        verb, cue, strength = None, "", ""
        if lower == "ought":  # spaCy often makes "ought" the main verb: "Seoul ought to wait"
            xcomp = [c for c in token.children if c.dep_ == "xcomp"]
            verb = xcomp[0] if xcomp and token.dep_ == "ROOT" else token.head if token.head.i != token.i else None
            cue, strength = "ought to", "should"
        elif token.tag_ == "MD" and lower in MODAL_STRENGTH and token.head.pos_ in ("VERB", "AUX"):
            verb, cue, strength = token.head, lower, MODAL_STRENGTH[lower]
        elif lower in ("need", "needs", "have", "has") and token.dep_ in ("ROOT", "conj", "ccomp", "advcl", "xcomp"):
            xcomp = [c for c in token.children if c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children)]
            if xcomp:
                verb, cue = xcomp[0], f"{lower} to"
                strength = "needs to" if lower.startswith("need") else "must"
        if verb is None or verb.i in quoted or _negated(verb) or _embedded(verb):
            continue
        subject = _subject(token if cue.endswith(" to") and token.lower_ != "ought" else verb)
        if subject is None and token.lower_ == "ought":
            subject = _subject(token)
        if strength == "could" and verb.lemma_ not in HELPING_VERBS:
            continue
        if subject is not None and subject.lower_ in GENERIC_SUBJECTS and strength != "must":
            continue
        if cue.endswith(" to") and subject is not None and subject.lower_ in GENERIC_SUBJECTS:
            continue
        yield verb, subject, strength, cue


def _up_to_rows(doc, quoted: set[int]):
    """'it is up to X to V' and 'the need is to V'."""
    for token in doc:
        if token.i in quoted:
            continue
        if token.lower_ == "up" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            actor_tokens = [t for t in doc[token.i + 2:] if t.dep_ in ("pobj", "conj") and t.pos_ == "PROPN"]
            verbs = [t for t in token.head.children if t.dep_ == "xcomp"]
            if verbs and actor_tokens:
                actor_span = doc[token.i + 2: verbs[0].i - 1]
                yield verbs[0], actor_span, "must", "it is up to"
        if token.lemma_ == "need" and token.pos_ == "NOUN" and token.dep_ == "nsubj":
            verbs = [t for t in token.head.children if t.dep_ in ("xcomp", "attr", "ccomp") and t.pos_ == "VERB"]
            if verbs:
                yield verbs[0], None, "needs to", "the need is to"


def _proposal_rows(doc, quoted: set[int]):
    """One row per gerund in 'the solutions ... included V-ing ..., V-ing ...'."""
    for token in doc:
        if token.lemma_ not in ("include", "be") or token.i in quoted:
            continue
        subject = _subject(token)
        if subject is None or not ({t.lemma_ for t in subject.subtree} & PROPOSAL_NOUNS):
            continue
        strength = "could" if {t.lower_ for t in subject.subtree} & {"possible", "potential", "some"} else "should"
        gerunds = [t for t in token.subtree if t.tag_ == "VBG" and t.i > token.i and t.dep_ in ("xcomp", "conj", "advcl", "dobj", "attr", "pcomp")]
        for gerund in gerunds:
            inside = {t.i for t in gerund.subtree}
            nested = {t.i for g in gerunds if g.i != gerund.i and g.i in inside for t in g.subtree}
            tokens = [t for t in gerund.subtree if t.i not in nested and t.i >= gerund.i]
            yield gerund, tokens, strength, token.lemma_ if token.lemma_ != "be" else "is"


AGENT_NOUNS = {"people", "community", "government", "leader", "leadership", "official", "minister", "country",
               "nation", "state", "administration", "parliament", "congress", "politician", "party", "public",
               "citizen", "voter", "authority", "president", "ally", "member", "union", "council", "court",
               "company", "business", "employer", "police", "we", "you", "everyone", "nobody", "world"}


def _is_agent(subject) -> bool:
    """True when the subject names someone who can act (a name, an organisation, "the international
    community", "we") rather than a measure ("people-to-people exchanges", "a new TCOG")."""
    return (subject.pos_ == "PROPN" or subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
            or subject.lemma_.lower() in AGENT_NOUNS or subject.lower_ in ("we", "you"))


def actors_named(text: str, gazetteer: Gazetteer) -> str:
    """Labels of the actors named in ``text``, in order of first mention, joined by ' & ' ('' when none)."""
    labels = []
    for actor, _, _, _ in gazetteer.find(text):
        if gazetteer.labels[actor] not in labels:
            labels.append(gazetteer.labels[actor])
    return " & ".join(labels)


def extract(sentences: pd.DataFrame, gazetteer: Gazetteer, docs: list | None = None) -> pd.DataFrame:
    """One row per recommendation, in reading order, with its sentence id (see the module docstring).
    ``docs``: the sentences already parsed by :func:`opedlens.nlp.parse` (parsed here when not given)."""
    rows = []
    docs = nlp.parse(sentences["text"].tolist()) if docs is None else docs
    last_actor: dict[str, tuple[str, str]] = {}
    previous_actor: dict[str, tuple[str, str]] = {}
    for (_, sentence), doc in zip(sentences.iterrows(), docs):
        doc_id, quoted = sentence["doc_id"], _quoted_tokens(doc)
        found = []
        for verb, subject, strength, cue in _modal_rows(doc, quoted):
            subject_text = _span_text(subject.subtree) if subject is not None else ""
            action = _action(verb, subject)
            agent = subject is not None and _is_agent(subject)
            if subject_text and subject.pos_ != "PRON" and not agent and not actors_named(subject_text, gazetteer):
                # A measure, not an actor, is the subject: "people-to-people exchanges may facilitate ..."
                action = f"{subject_text} {cue} {action}"
            found.append((subject_text, action, strength, cue, agent))
        for verb, actor_span, strength, cue in _up_to_rows(doc, quoted):
            found.append((actor_span.text if actor_span is not None else "", _action(verb, None), strength, cue,
                          actor_span is not None))
        for gerund, tokens, strength, cue in _proposal_rows(doc, quoted):
            found.append(("", _span_text(tokens), strength, cue, False))
        for subject_text, action, strength, cue, agent in found:
            actor = actors_named(subject_text, gazetteer)
            source = "sentence"
            if not actor and agent:
                actor, source = subject_text, "sentence (not in the gazetteer)"
            elif not actor:
                actor_text_context, actor = last_actor.get(doc_id) or previous_actor.get(doc_id) or ("", "")
                source = "context" if actor else "none"
            rows.append({"doc_id": doc_id, "sent_id": sentence["sent_id"], "actor": actor,
                         "actor_text": subject_text, "actor_source": source, "action": action,
                         "strength": strength, "strength_rank": STRENGTH_RANK[strength], "cue": cue,
                         "addressees": actors_named(action, gazetteer), "text": sentence["text"]})
            if actor:
                last_actor[doc_id] = (subject_text, actor)
        named = actors_named(sentence["text"], gazetteer)
        if named:
            previous_actor[doc_id] = ("", named.split(" & ")[0])
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rec_id"])
    table.insert(2, "rec_id", [f"{sid}.r{n}" for sid, n in
                               zip(table["sent_id"], table.groupby("sent_id", sort=False).cumcount() + 1)])
    return table[COLUMNS]


def side_by_side(table: pd.DataFrame, side_a: list[str], side_b: list[str], label_a: str, label_b: str) -> pd.DataFrame:
    """The two sides' recommendations for reading: side, then reading order; who, how strongly, what."""
    side = {**{d: label_a for d in side_a}, **{d: label_b for d in side_b}}
    view = table[table["doc_id"].isin(side)].assign(side=lambda t: t["doc_id"].map(side))
    return view.set_index(["side", "rec_id"])[["actor", "actor_source", "strength", "action"]]
