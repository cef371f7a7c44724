"""Quoted and cited sources: who is quoted or cited, in what role, saying what, in which sentence.

Rules over spaCy's dependency parse and named entities (:mod:`opedlens.measure.nlp`):

- a reporting verb ("said", "told", "noted", "added", "indicated", "found", "heralded", "according
  to" ...) with its subject is the speaker: ``“...,” said Adm. Katsutoshi Kawano, former chief of
  the SDF's Joint Staff`` gives the speaker *Katsutoshi Kawano*, the role *Adm.; former chief of
  the SDF's Joint Staff*; a reporting verb inside a quotation is the quoted person's, not the author's, and
  "add" or "write" with an object ("added a fifth string", "wrote a book") reports nothing; a passive's subject
  was addressed, not speaking ("he was told"), and a headline's name before its colon owns its words; "as X
  said" cites X for the sentence around it; "announce" needs what was announced to be said ("announced that ...",
  not "announced the closing of a school") and "call" what something was called or what was asked ("called it a
  disgrace", "called on them to ...", not "called Pelosi"), "deny" a denial and not a refusal ("denied a
  chance"), "according to" an attribution and not a manner ("operate according to the rules"); a statement's
  participle speaks for whoever issued it ("issued a statement calling ..."), a person's relative "who" for the
  person ("Meese, who called ..."), and a name right after "'...,' said" for the quotation when the parse hung the
  name elsewhere, as after "Nothing doing, said"; what someone might, could, should or must say is not cited;
- a person's name is the run of proper nouns that ends at the subject's head, without titles
  ("U.S. Assistant Secretary of Defense Randall Schriver" -> *Randall Schriver*, role *U.S.
  Assistant Secretary of Defense*), also when the name stands beside the title ("The city's School Chancellor,
  Nathan Quinones, said"); an organisation, poll or study is named by its whole phrase;
- "he" or "she" refers to a person named earlier in its sentence, else, going back up to four sentences, to the
  person a sentence cited or names as its subject (passing over sentences about "he"; not one cited in passing:
  "as the Mail's Martin Samuel pointed out"), else to the article's last speaker; "they" to a plural subject or a
  group just before ("the senators were angry. They called for a probe"); a bare title ("The assistant defense
  secretary added ...") to the last person named with it; a sentence that is only a quotation continues the
  previous sentence's speaker; a surname alone ("Schriver indicated ...") takes the full name seen before (a
  speaker's, else the one name in the article that ends in it: "Fire Chief Kelvin Cochran was fired" makes "Cochran
  said" Kelvin Cochran). A quotation mark glued to the words around it is split off by the tokenizer
  (:data:`opedlens.measure.nlp.GLUED_QUOTE_INFIXES`).

Each row says whether it is a direct quotation or a paraphrase. A rule set, not a trained model, scored against
developer-labelled sentences, alone and in their articles, by ``opedlens validate sources``
(``data/README-sources.md``).
"""

from __future__ import annotations

import functools
import re

import pandas as pd

from opedlens.measure import nlp
from opedlens.measure.actors import TITLE_WORDS
from opedlens.measure.stance import QUOTED

REPORTING_VERBS = {
    "say", "tell", "note", "add", "argue", "claim", "state", "write", "warn", "indicate", "explain", "insist",
    "acknowledge", "announce", "declare", "summarize", "summarise", "respond", "cite", "report", "herald",
    "urge", "predict", "conclude", "find", "show", "estimate", "observe", "remark", "contend",
    "assert", "stress", "emphasize", "emphasise", "admit", "concede", "describe", "call", "testify", "recall",
    "reveal", "confirm", "deny", "reply", "suggest", "tweet", "ask", "accuse", "hint", "allege", "rule",
    "boast", "complain", "lament", "maintain", "recommend", "propose", "counter", "retort", "quip", "joke", "caution",
    "advise", "demand", "vow", "promise", "discover", "refer", "laugh", "opine", "plead", "inform", "continue",
    "offer",
}
# Verbs that also mean "infer" or "discover": they report a source only with a that-clause ("found that").
NEEDS_CLAUSE = {"find", "show", "indicate", "conclude", "predict", "estimate", "observe", "reveal", "confirm",
                "suggest", "hint", "rule", "discover"}
STUDY_NOUNS = {"poll", "survey", "study", "report", "analysis", "research", "data", "figures", "statistics",
               "census", "index", "review", "paper", "experiment", "investigation"}
# Verbs that report speech only with what was said, a clause or a quotation, and not with an object: "added that
# ...", not "added a fifth pair of strings to the 'oud'"; "wrote that ...", not "wrote a book called '...'";
# "announced that ...", "announced their readiness to accept ...", not "announced the closing of a school";
# "claimed that ...", not "claimed millions of victims"; "complained that ...", not "complained about the noise".
NEEDS_WORDS = {"add", "write", "announce", "claim", "boast", "complain", "lament", "maintain", "recommend", "propose",
               "counter", "retort", "quip", "joke", "caution", "advise", "demand", "vow", "promise", "laugh", "opine",
               "plead", "inform"}
# Verbs that report only a quotation right beside them ('"...," Crystal continued', '"...," offered a bearded man'),
# and never with these objects: not what someone went on doing or offered ("continued to fight", "offered help"), nor
# "Demonstrations continue in Germany against the 'Islamisation of the west'".
QUOTATION_ONLY = {"continue": {"xcomp", "dobj"}, "offer": {"dobj", "dative", "xcomp"}, "laugh": set()}
# "call" reports words only with what something was called ("called it a disgrace", "calling Porter '...'") or
# what was asked ("called on the activists ... to honor"); "will call on Mr. Bush" is a visit, "called Pelosi" a
# telephone call.
NEEDS_PREDICATE = {"call"}
# Who may find something without being named (a verb of NEEDS_CLAUSE with its clause): "The commission found
# that ...", not "the team found that" or "many have found that".
FINDING_BODIES = {"commission", "committee", "court", "judge", "jury", "panel", "investigator",
                  "investigators", "researcher", "researchers", "scientist", "scientists", "auditor", "auditors",
                  "inspector", "inspectors", "economist", "economists", "analyst", "analysts"}
# Nouns of a written or spoken statement: "X issued a statement calling ...", "released a letter saying ..." make X
# the speaker of the participle.
STATEMENT_NOUNS = {"statement", "letter", "message", "tweet", "memo", "email", "e-mail", "note", "release"}
# "deny" reports a denial ("denied the allegation", "denied any sexual incident"), not a refusal ("Republicans
# denied a chance to testify", "the Government, denied more time", "denied them entry").
REFUSED = {"chance", "time", "access", "entry", "bail", "permission", "request", "application", "visa", "opportunity",
           "right", "rights", "service", "services", "benefit", "benefits", "credit", "parole", "asylum", "admission"}
NOBODY = {"neither", "no", "none", "nobody", "nor", "not"}
REPORTED_AS = REPORTING_VERBS | {"quote", "force"}  # "is reported to have said", "was forced to concede"
WH_TAGS = {"WDT", "WP", "WRB"}  # "where urged a mob": a misparse names no speaker
PRONOUNS = {"he", "she"}  # singular third-person: resolvable to the person last named or cited
GROUP_PRONOUNS = {"they"}  # resolvable to the group, organisation or plural subject just before
#: Titles that stand before a person's name ("President Johnson", "Interior Minister Rajnath Singh"); not the words
#: of TITLE_WORDS that also stand before an organisation's ("Defense Department", "State Department").
PERSON_TITLES = TITLE_WORDS - {"department", "desk", "japan", "state", "security", "national", "foreign", "defense",
                               "defence", "former", "then", "u.s.", "vice", "assistant", "deputy", "official", "lord",
                               "lady", "sir", "dame", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prime"}
RECENT_SENTENCES = 4  # how many sentences back "he", "she" or "they" look for whom they mean
SOMEONE = {"someone", "somebody"}  # a speaker the sentence gives as unknown: cited, but nobody to resolve
# "regardless of what Pelosi might say", "President Obama should demand that": nobody has said it
SUPPOSED = {"might", "could", "may", "should", "must"}
MODALS = SUPPOSED | {"would"}  # "Someone would tell you": an unknown speaker with any modal is nobody
OPEN_QUOTES, CLOSE_QUOTES = "“\"", "”\""
COLUMNS = ["doc_id", "sent_id", "source_id", "speaker", "speaker_type", "role", "kind", "verb", "quote",
           "resolved_from", "text"]


def quotes(text: str) -> list[str]:
    """The quoted passages of a sentence, in order (in double quotation marks, or in doubled single ones)."""
    found = ((m.group("said") if m.group("said") is not None else m.group("doubled")).strip(" ,.")
             for m in QUOTED.finditer(text))
    return [q for q in found if q]


def only_quote(text: str) -> bool:
    """True when the sentence is one quotation and nothing else."""
    stripped = text.strip()
    return stripped[:1] in OPEN_QUOTES and stripped.rstrip(".")[-1:] in CLOSE_QUOTES and len(quotes(text)) == 1


def _speaker_token(verb, own: bool = True):
    """The subject of a reporting verb (or the object of 'according to'): of two, the proper noun (the parse can split
    a title from its name, "Leading Russian political expert | Andrey Fursov says"). A passive verb's subject was
    addressed, not speaking ("he was told", "is said to have"): its speaker is the "by" agent, if any. A verb with no
    subject of its own takes the one of the verb it joins ("was deployed ... and claimed", "..., adding that"), or,
    after a passive, the one reported ("are reported to have said", "was forced to concede"); a bare participle
    ("when asked") has none."""
    quoted = nlp.quoted_tokens(verb.doc)
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.lower_ != "there"]
    if subjects and all(c.i in quoted for c in subjects):  # '"Chris Kyle boasted of ...," wrote ... Max Blumenthal'
        return _named_after(verb)
    subjects = [c for c in subjects if c.i not in quoted] or subjects  # the parse gave it the quoted "Kyle" too
    if subjects:
        subject = next((c for c in subjects if c.pos_ == "PROPN"), subjects[0])
        inverted = [c for c in verb.children if c.dep_ == "dobj" and c.left_edge.i == verb.i + 1]
        if inverted and subject.i < verb.i and verb.doc[verb.i - 1].text == "," and verb.lemma_.lower() == "say":
            return inverted[0]  # "Veinticinco, said the proprietor": the parse took the words for the subject
        if subject.lower_ == "who" and verb.dep_ == "relcl" and (
                nlp.entity_type(verb.head) == "PERSON" or verb.head.tag_ == "NNS" and verb.head.lower_ != "people"):
            # "Meese, who called the Senate's action ''anti-intellectual''", "employers, who often say that" (not
            # "people who say")
            return verb.head
        return subject
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if passive:
        if not own:
            return passive[0]
        return next((o for a in verb.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"), None)
    after = _named_after(verb)
    if after is not None:
        return after
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in STATEMENT_NOUNS and verb.head.dep_ == "dobj":
        return _speaker_token(verb.head.head, own=False)  # "Kelly issued a statement calling Porter '...'"
    if verb.dep_ == "acl" and nlp.entity_type(verb.head) == "PERSON" and any(c.dep_ == "ccomp" for c in verb.children):
        return verb.head  # "Mr. Stein, who is running for re-election, announced in January that ..." (misparsed)
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
        went_on = verb.head.lemma_.lower() == "go" and any(c.dep_ == "prt" and c.lower_ == "on"
                                                            for c in verb.head.children)
        if verb.dep_ == "xcomp" and not went_on and not (verb.head.lemma_.lower() in REPORTED_AS
                                                         and any(c.dep_ == "nsubjpass" for c in verb.head.children)):
            return None  # "wants to say", "has been used to describe": nobody said it yet ("went on to say" has)
        if verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
            return None
        return _speaker_token(verb.head, own=False)
    return None


def _named_after(verb):
    """ "'...,' said Iowa evangelical leader Bob Vander Plaats, CEO of ...": the person named right after a
    reporting verb that follows a quotation, when the parse hung the name elsewhere (here on a later verb)."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text not in (*CLOSE_QUOTES, "''"):
        return None
    for token in doc[verb.i + 1:verb.i + 7]:
        if token.is_punct or token.pos_ == "PRON":
            return None
        entity = _entity_of(token)
        if entity is not None and entity.label_ == "PERSON":
            return doc[entity.end - 1]
    return None


def _entity_of(token):
    for ent in nlp.entities(token.doc):
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _joined(head) -> set[int]:
    """The tokens "and ..." joins to a subject ("the United States [and the Soviet Union]")."""
    return {t.i for c in head.children if c.dep_ in ("conj", "cc", "preconj") for t in c.subtree}


def _speakers(head) -> list:
    """The heads of the speakers a subject names: each name of "the White House and Cohen", one for a joint poll
    ("Genron NPO and the East Asia Institute's latest opinion poll") or for nouns ("the father and grandfather"),
    none for "neither Japan nor South Korea"."""
    if any(c.dep_ in ("preconj", "det", "cc") and c.lower_ in NOBODY for c in head.children):
        return []
    joined = [c for c in head.conjuncts if c.i > head.i and c.pos_ == "PROPN"]
    if head.pos_ != "PROPN" or not joined or any(t.lower_ in STUDY_NOUNS for t in head.subtree):
        return [head]
    entity = _entity_of(head)
    if entity is not None and any(entity.start <= c.i < entity.end for c in joined):
        return [head]  # one name with "and" or "&" in it ("Skadden, Arps, Slate, Meagher & Flom")
    return [head, *joined]


def _name_and_role(head, alone: bool = False, without=None) -> tuple[str, str, str]:
    """(speaker, speaker_type, role) from the subject head token; ``alone``: without what "and" joins to it;
    ``without``: a clause of the head's to leave out (the relative clause that reports: "employers, who often say
    that ..." is "employers")."""
    dropped = _joined(head) if alone else set()
    dropped |= {t.i for t in without.subtree} if without is not None else set()
    subtree = [t for t in head.subtree if t.i not in dropped]
    appositions = [c for c in head.children if c.dep_ == "appos"]
    apposed = {t.i for a in appositions for t in a.subtree}
    entity = _entity_of(head)
    words = {t.lower_ for t in subtree}
    if words & STUDY_NOUNS:
        return _text([t for t in subtree if t.i not in apposed]), "study or poll", ""
    person = next((list(_entity_of(a)) for a in appositions if nlp.entity_type(a) == "PERSON"), None)
    unlabelled = next((_name_run(a) for a in appositions if _unlabelled_name(a)), None) if head.pos_ == "NOUN" else None
    name = person or unlabelled
    if name is not None and (entity is None or entity.label_ != "PERSON") and head.lower_ not in NOT_PEOPLE \
            and (head.pos_ != "PROPN" or head.lower_ in TITLE_WORDS):
        # a name beside a title or a description ("The city's School Chancellor, Nathan Quinones, said", "The
        # supermodel Janice Dickinson", whom the entity recognizer took for an organisation)
        return _text(name), "person", _role([_title_before(subtree, name[0].i, apposed)])
    if head.pos_ == "PROPN" and head.lower_ in TITLE_WORDS and entity is None and not any(
            c.dep_ == "compound" and c.pos_ == "PROPN" and c.lower_ not in TITLE_WORDS for c in head.children):
        # a title and no name ("the President says"): who holds it is not said here, as with "the minister"
        return _text([t for t in subtree if t.i not in apposed]), "unnamed", \
            _role(_text(list(a.subtree)) for a in appositions)
    named = entity.label_ if entity is not None else ""
    person = _person_after_title(head) if head.pos_ == "PROPN" and named != "PERSON" else None
    if person is not None:  # "FBI Assistant Special Agent in Charge Ron Hopper said": the name the title ends in
        return _text(person), "person", _role((_title_before(subtree, person.start, apposed),
                                               *(_text(list(a.subtree)) for a in appositions)))
    if head.pos_ == "PROPN" and (not named and not _name_words(head) & ORGANIZATION_WORDS
                                 or named in ("PERSON", "ORG") and _looks_personal(head)):
        name = _name_run(head)
        if named in ("", "PERSON") or len(name) >= 2:
            name, nationality = _nationality_apart(name)
            title = _title_before([*_split_title(head), *subtree], name[0].i, apposed)  # with a nationality
            role = _role((title, *(_text(list(a.subtree)) for a in appositions)))
            return _text(name), "person", role
    kind = {"ORG": "organization", "GPE": "country or place", "NORP": "group", "PERSON": "person"}.get(
        entity.label_ if entity is not None else "", "unnamed")
    if kind == "person":  # the name alone, what the parse hangs on it as its role ("Hamid who survived ...", "Carmen
        # Cordaro a lawyer who ..."); "over the phone" and "and others" are neither
        inside = range(entity.start, entity.end)
        described = [c for c in head.children if c.i not in inside and c.dep_ in ("relcl", "acl", "appos", "dobj")]
        return _text(entity), kind, _role(_text(list(c.subtree)) for c in described)
    if kind == "unnamed" and head.pos_ == "PROPN":
        kind = "organization"
    return _text([t for t in subtree if t.i not in apposed]), kind, _role(_text(list(a.subtree)) for a in appositions)


def _unlabelled_name(token) -> bool:
    """A first and last name the entity recognizer did not call a person, place or nationality ("Janice Dickinson",
    once an organisation): two proper nouns or more, no word of an organisation's name."""
    return token.pos_ == "PROPN" and len(_name_run(token)) >= 2 and not _name_words(token) & ORGANIZATION_WORDS \
        and nlp.entity_type(token) not in ("PERSON", "GPE", "LOC", "NORP", "FAC")


def _title_before(tokens, start: int, apposed: set[int]) -> str:
    """The title before a name: the tokens before index ``start``, outside the appositions, without the determiner
    that opens it ("The philosopher David Velleman" -> "philosopher"; "India's chair of the National Commission of
    Women" keeps its "the")."""
    title = [t for t in tokens if t.i < start and t.i not in apposed]
    return _text(title[1:] if title and title[0].dep_ == "det" else title)


def _person_after_title(head):
    """The person's name a title ends in when the parse made the title the subject and the name its prepositional
    object ("Special Agent [in Charge Ron Hopper]"); None otherwise ("the President of the United States")."""
    for prep in (c for c in head.children if c.dep_ == "prep" and c.i > head.i):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            entity = _entity_of(obj)
            if entity is not None and entity.label_ == "PERSON" and entity.end - 1 == obj.i == head.right_edge.i:
                return entity
    return None


#: What the parse hangs on a name that says nothing of the role: an honorific ("Ms Dowd"), "himself", "the same".
NOT_ROLES = re.compile(r"(?:mr|mrs|ms|miss|mx|dr|himself|herself|themselves|itself|myself|same)\.?", re.I)


def _role(parts) -> str:
    """The parts of a role joined with "; ", each without stray quotation marks at its ends (a quotation's closing
    mark the parse hung on the name), and none that is only an honorific or a reflexive pronoun."""
    cleaned = (p.strip(" ;,\"“”'‘’") for p in parts)
    return "; ".join(p for p in cleaned if p and not NOT_ROLES.fullmatch(p))


def _split_title(head) -> list:
    """The words of a title the parse made a subject of its own just before the name ("Leading Russian political
    expert" before "Andrey Fursov says")."""
    return [t for s in head.head.children if s.dep_ == head.dep_ and s.i < head.i
            and s.right_edge.i + 1 == head.left_edge.i for t in s.subtree]


def _name_run(head) -> list:
    """The proper noun with those compounded just before it ("New York Sun"), not a title ("Chancellor")."""
    name = [head]
    while name[0].i > head.left_edge.i and (token := head.doc[name[0].i - 1]).pos_ == "PROPN" \
            and token.dep_ == "compound" and token.head in name and token.lower_ not in TITLE_WORDS:
        name.insert(0, token)
    return name


def _nationality_apart(name: list) -> tuple[list, list]:
    """A name's tokens without the nationality the parse compounds into it ("Norwegian Anders Breivik": the entity
    recognizer's NORP), and that nationality; a name keeps two words at least."""
    cut = 0
    while len(name) - cut > 2 and nlp.entity_type(name[cut]) == "NORP":
        cut += 1
    return name[cut:], name[:cut]


ORGANIZATION_WORDS = {
    "bank", "council", "ministry", "institute", "department", "foundation", "university", "agency", "association",
    "center", "centre", "committee", "commission", "court", "party", "office", "group", "organization",
    "organisation", "times", "post", "news", "union", "fund", "corporation", "company", "inc", "ltd", "board",
    "service", "police", "army", "navy", "government", "parliament", "congress", "senate", "school", "society",
    "house", "nations", "programme", "program", "journal", "tribune", "herald", "telegraph", "magazine", "review",
    "press", "network", "alliance", "federation", "league", "authority", "bureau", "forum", "museum", "hospital",
    "sun", "voice", "globe", "star", "chronicle", "gazette", "examiner", "mail", "observer", "daily", "monitor",
}


#: Heads that name no person, whatever the entity recognizer calls the name beside them ("The newspaper, Al-Ahram").
NOT_PEOPLE = ORGANIZATION_WORDS | {"newspaper", "paper", "website", "site", "channel", "broadcaster", "outlet",
                                   "station", "blog", "show", "programme", "program", "book", "film"}


def _looks_personal(head) -> bool:
    """A proper-noun head preceded by a first name or a title reads as a person ("Randall Schriver"),
    unless the name holds an organisation word ("the World Bank", "the Atlantic Council")."""
    compounds = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    return bool(compounds) and nlp.entity_type(head) != "GPE" and not _name_words(head) & ORGANIZATION_WORDS


def _name_words(head) -> set[str]:
    """The lower-cased words of a proper-noun head and the proper nouns compounded into it ("the Juncker
    Commission" -> {"juncker", "commission"})."""
    return {t.lower_ for t in (head, *(c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"))}


def _text(tokens) -> str:
    """The tokens' text, a leading "The" lower-cased so a speaker reads the same mid-sentence, without a bracket
    whose pair was left out ("the Office of Legal Counsel )" once its "(OLC" went to the role)."""
    text = re.sub(r"^(?:the|The)\s+", "the ", nlp.span_text(tokens))
    if text.count("(") != text.count(")"):
        text = text.strip("()").strip()
    return text


def _reporting_verbs(doc):
    """(verb, speaker head) of each attribution the author makes: not one inside a quotation, where the quoted person
    reports someone else ("'Year on year the government declares ...,' said Manuela Scebba": her, not "Year")."""
    quoted = nlp.quoted_tokens(doc)
    for token in doc:
        if token.i in quoted:
            continue
        if token.pos_ == "VERB" and (token.lemma_.lower() in REPORTING_VERBS or token.lemma_.lower() == "point" and any(
                c.dep_ == "prt" and c.lower_ == "out" for c in token.children)):  # "points out that ..."
            yield token, _speaker_token(token)
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                yield token, objects[0]


def _reports(verb, head, quoted: bool) -> bool:
    """Whether a reporting verb with this speaker head reports what someone said (``quoted``: the sentence holds a
    quotation): the verb's own conditions (see the constants above), and what was said given as a clause, an
    object, a quotation or the sentence around the attribution."""
    lemma = verb.lemma_.lower()
    if head is None or head.pos_ == "PRON" and head.lower_ not in PRONOUNS | GROUP_PRONOUNS | SOMEONE \
            or head.tag_ in WH_TAGS:
        return False
    if head.lower_ in GROUP_PRONOUNS and _opened_by_as(verb):
        return False  # "as they say": a saying, nobody's
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if auxiliaries & SUPPOSED or head.lower_ in SOMEONE | GROUP_PRONOUNS and auxiliaries & MODALS:
        return False  # "They would at least have acknowledged ...": what a group would have said, nobody said
    if head.lower_ in GROUP_PRONOUNS and _reported_within(verb):
        return False  # "The designer ... says they told her ...": her words, not a citation of the author's
    if head.lower_ in GROUP_PRONOUNS and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
        return False  # "if they had announced that ...": a condition, not what was said
    objects = {c.dep_ for c in verb.children}
    if lemma in NEEDS_CLAUSE and "ccomp" not in objects:
        return False
    if lemma in QUOTATION_ONLY and (not _beside_quotation(verb) or objects & QUOTATION_ONLY[lemma]):
        return False
    if head.lower_ in PRONOUNS | GROUP_PRONOUNS | {"people"} and auxiliaries & {"will", "'ll", "'d", "wo"}:
        return False  # "She will tell us there is still hope", "he'd say this": not said yet
    if head.lower_ == "people" and not any(c.dep_ in ("det", "amod", "compound", "relcl", "acl", "prep", "nummod")
                                           for c in head.children):
        return False  # "what people say and what they do": people in general
    # "claimed himself a baptised Christian": the parse's dative and object are what was said of him (not "promised
    # them a deal"); "the book he wrote", "the 'deal' he promised" name what was written or promised, not its words
    said = {"ccomp", "xcomp", "oprd"} | ({"dative"} if lemma == "claim" else set())
    if lemma in NEEDS_WORDS and not objects & said and not _object_clause(verb) \
            and ("dobj" in objects or not quoted or verb.dep_ == "relcl") and not _as_said(verb):
        return False
    if lemma in NEEDS_PREDICATE and not objects & {"oprd", "ccomp", "xcomp"} and not _own_quotation(verb) \
            and not _asked_to(verb) and not _called_for(verb):
        return False
    if lemma == "refer" and not any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
        return False  # "referred to the attack as 'terrorism'", not "referred to the report"
    if lemma == "deny" and "ccomp" not in objects and ("dative" in objects or any(
            c.dep_ == "dobj" and c.lemma_.lower() in REFUSED for c in verb.children)):
        return False
    if verb.lower_ == "according":
        return _attribution(verb)
    said_no = any(c.dep_ == "intj" and c.lower_ in ("no", "yes") for c in verb.children)  # "the selectmen said no"
    inverted = head.i > verb.i and verb.i > 0 and verb.doc[verb.i - 1].text == ","  # "Nothing doing, said Mr. Dinkins"
    denied = lemma == "deny" and verb.dep_ == "relcl"  # "a charge Cochran denies"
    return quoted or bool(objects & {"ccomp", "dobj", "xcomp", "pobj"}) or said_no or inverted or denied \
        or _set_into(verb, head) or _as_said(verb) or _asked_to(verb) or lemma == "refer" \
        or lemma in NEEDS_PREDICATE and _called_for(verb)


def _beside_quotation(verb) -> bool:
    """A quotation mark within two tokens before the verb's clause ('"...," Crystal continued') or after the verb
    ('he laughs, "but ...')."""
    doc, marks = verb.doc, {*OPEN_QUOTES, *CLOSE_QUOTES, "''", "``", "“", "”"}
    start = min([verb.i, *(c.left_edge.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))])
    return any(t.text in marks for t in doc[max(0, start - 2):start]) or any(
        t.text in marks for t in doc[verb.i + 1:verb.i + 3])


def _reported_within(verb) -> bool:
    """Whether the verb stands in what another reporting verb reports ("says they told her")."""
    token = verb
    while token.head.i != token.i:
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in REPORTING_VERBS:
            return True
        token = token.head
    return False


def _opened_by_as(verb) -> bool:
    """ "as" opens the verb's clause, before its subject ("as the Mail's Martin Samuel pointed out"; not "who
    introduced themselves as Muslims announced")."""
    subjects = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(c.dep_ == "mark" and c.lower_ == "as" and all(c.i < i for i in subjects) for c in verb.children)


def _as_said(verb) -> bool:
    """ "As Lincoln said, ...", "(as Ben Jonson said of the First Folio)": the sentence around it is what was said
    (not "as the country boasts the first constitution", where "as" means because: the verb has no object of its
    own)."""
    return _opened_by_as(verb) and not any(c.dep_ in ("dobj", "ccomp") for c in verb.children)


def _attribution(according) -> bool:
    """ "According to Kaku, ...", "..., according to Newsday", "when according to fellow captives" cite; "operate
    according to streamlined procedures" (right after a verb) does not, unless it names a source, a study or a poll
    ("rose according to the survey")."""
    objects = [c for c in according.doc[according.i + 1].children if c.dep_ == "pobj"]
    named = any(o.pos_ == "PROPN" or o.lower_ in STUDY_NOUNS for o in objects)
    return according.i == 0 or according.doc[according.i - 1].pos_ not in ("VERB", "AUX") or named


def _infinitive(token) -> bool:
    return token.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _object_clause(verb) -> bool:
    """An object that holds what was said: "announced their readiness to accept ...", "plans to ...", "the decision
    that ..." (not "announced the closing of a school")."""
    return any(c.dep_ in ("acl", "ccomp") and (_infinitive(c) or c.dep_ == "ccomp")
               for o in verb.children if o.dep_ == "dobj" for c in o.children)


def _asked_to(verb) -> bool:
    """ "called on the 5,000 activists that turned out ... to honor": an infinitive after "on" says what was asked
    ("will call on Mr. Bush together" has none)."""
    return any(_infinitive(t) for p in verb.children if p.dep_ == "prep" and p.lower_ == "on" for t in p.subtree)


def _called_for(verb) -> bool:
    """ "called for a probe", "calls for restraint": a demand (not "called for him at eight", a visit)."""
    return any(p.dep_ == "prep" and p.lower_ == "for" and any(o.dep_ == "pobj" and o.pos_ == "NOUN" for o in p.children)
               for p in verb.children)


def _in_passing(verb) -> bool:
    """A citation made in passing: in a relative clause ("John Kerry who recently claimed") or opened by "as" ("as
    the Mail's Martin Samuel pointed out")."""
    return verb.dep_ == "relcl" or _opened_by_as(verb)


def _own_quotation(verb) -> bool:
    """Whether a quoted word hangs on the verb through no other verb ("calling the indictment ... 'bogus'"), not
    only somewhere in its sentence ("will call on Mr. Bush ... but don't want to be called 'two-headed'")."""
    quoted = nlp.quoted_tokens(verb.doc)
    for token in verb.subtree:
        if token.i not in quoted or token.is_punct:
            continue
        up = token  # up to the verb; a verb of the quotation's own ("calls this 'drinking on it'") is no other verb
        while up.i != verb.i and (up.i in quoted or up.pos_ not in ("VERB", "AUX")) and up.head.i != up.i:
            up = up.head
        if up.i == verb.i:
            return True
    return False


def _paraphrase(verb) -> str:
    if verb.lower_ == "according" or _as_said(verb):  # "According to X, <what X says>", "As X said, <what X said>":
        attribution = {t.i for t in verb.subtree}  # the sentence minus the attribution
        return _text([t for t in verb.doc if t.i not in attribution and not t.is_punct or t.text in "%$"])
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "dobj", "xcomp")] or \
        [c for c in verb.children if c.dep_ in ("prep", "pcomp") and c.i > verb.i]
    return _text([t for c in clauses for t in c.subtree]) if clauses else ""


class _Sentence:
    """A sentence already read: its doc and the last speaker it cited (speaker, type, role)."""

    def __init__(self, doc, speaker: tuple[str, str, str] | None = None):
        self.doc, self.speaker = doc, speaker

    @functools.cached_property
    def quoted(self) -> set[int]:
        return nlp.quoted_tokens(self.doc)

    @functools.cached_property
    def subjects(self) -> list:
        """The subjects outside quotations, shallowest clause first."""
        found = [t for t in self.doc if t.dep_ in ("nsubj", "nsubjpass") and t.i not in self.quoted]
        return sorted(found, key=lambda t: (_depth(t), t.i))

    def people(self) -> list:
        """Proper nouns that may be the person a later "he" or "she" means: the subjects' (a subject's apposition
        too: "the director, DuVernay", and a name the parse joined to a title: "My friend and comrade Maajid
        Nawaz"), shallowest clause first; objects only when no "he" or "she" is a subject; a bare title alone when
        it is the main subject ("The mayor went on to ...")."""
        subjects = self.subjects
        if subjects and subjects[0].pos_ == "NOUN" and subjects[0].lower_ in PERSON_TITLES and not any(
                c.dep_ in ("appos", "poss", "prep") for c in subjects[0].children):
            return [subjects[0]]  # "The mayor went on to inform the public that Cochran ...": the mayor
        names = [t for s in subjects for t in (s, *(c for c in s.children if c.dep_ in ("appos", "conj")))
                 if t.pos_ == "PROPN"]
        if names or any(s.lower_ in PRONOUNS for s in subjects):
            return names
        return [t for t in self.doc if t.pos_ == "PROPN" and t.dep_ in ("dobj", "pobj", "dative", "appos")
                and t.i not in self.quoted]

    def groups(self) -> list:
        """Plural subjects (outside quotations, not pronouns), shallowest clause first."""
        return [t for t in self.subjects if t.pos_ != "PRON" and (t.tag_ in ("NNS", "NNPS") or any(
            c.dep_ == "conj" for c in t.children))]


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


def _is_person(token, memory) -> bool:
    """Whether a proper noun names a person: the entity recognizer says so, or it is the surname of a person cited or
    named in full before, or, when the recognizer does not call it a place, nationality or building and it holds no
    word of an organisation's name, a subject that a description stands beside ("the director, DuVernay", "Analyst
    Volker Wagener") or that, unlabelled, has a first name ("Os Guinness"); not an object ("flying aboard Marine
    One, the presidential helicopter"). The small model often calls a person an organisation ("DuVernay")."""
    if any(full.split()[-1] == token.text for full, _ in memory.people):
        return True  # known without running the entity recognizer on the sentence
    kind = nlp.entity_type(token)
    if kind == "PERSON":
        return True
    if kind in ("GPE", "LOC", "NORP", "FAC") or _name_words(token) & ORGANIZATION_WORDS:
        return False
    if len(memory.names.get(token.text, {})) == 1 and len(_name_run(token)) == 1:
        return True  # "Eric Garner" earlier, "Garner" now
    if token.dep_ in ("dobj", "pobj", "dative") or token.dep_ == "appos" and token.head.dep_ in ("dobj", "pobj"):
        return False  # an object needs more ("flying aboard Marine One, the presidential helicopter")
    described = any(c.dep_ in ("appos", "compound") and c.pos_ == "NOUN" and c.lower_ not in NOT_PEOPLE
                    for c in token.children) or token.dep_ == "appos" and token.head.pos_ == "NOUN" \
        and token.head.lower_ not in NOT_PEOPLE
    return described or not kind and len(_name_run(token)) >= 2


def _is_group(speaker: str, kind: str) -> bool:
    """A cited speaker a "they" may mean: an organisation, a group, a study, or several people."""
    return kind in ("organization", "group", "study or poll") or kind == "unnamed" and (
        " and " in speaker or speaker.split()[-1].lower().endswith("s"))


class _Memory:
    """The speakers named so far in one article, to resolve 'he' and surnames."""

    def __init__(self):
        self.people: list[tuple[str, str]] = []  # (name, role)
        self.last: tuple[str, str, str] | None = None  # (speaker, type, role)
        self.last_not_a_person = False  # "People who were in the room", "the magazine": not who "she" or "he" is
        self.names: dict[str, dict[str, list]] = {}  # last word -> full names seen so far (their tokens)
        self.in_passing: set[str] = set()  # people cited only in passing (see remember)
        self.recent: list[_Sentence] = []  # the last RECENT_SENTENCES sentences, the latest last
        self.titled: dict[str, tuple[str, str]] = {}  # title word -> the last (name, title) named with it

    def close_sentence(self, doc, rows: list[dict]) -> None:
        """Remember who a finished sentence cited and named, for a "he", "she" or "they" in the sentences after."""
        speaker = next(((r["speaker"], r["speaker_type"], r["role"]) for r in reversed(rows)
                        if r.get("verb") != "" or r.get("resolved_from") == "previous sentence"), None)
        self.recent = [*self.recent[1 - RECENT_SENTENCES:], _Sentence(doc, speaker)]

    def person_meant(self) -> tuple[str, str, str] | None:
        """Whom a "he" or "she" means when its own sentence names nobody before it: going back sentence by sentence,
        the person a sentence cited, else the proper name it has as a subject (of any clause, the main clause's
        first), else, when no "he" or "she" is its subject, as an object ("I met Adeel, a 26-year-old ... | '...,' he
        said"), or the person named with the bare title that is its main subject ("The mayor went on to ..."); a
        sentence whose subject is "he" or "she" goes on about the one meant before it."""
        for sentence in reversed(self.recent):
            if sentence.speaker is not None and sentence.speaker[1] == "person" \
                    and sentence.speaker[0] not in self.in_passing:
                return sentence.speaker
            for token in sentence.people():  # also one a group's statement names ("a court ... announced that
                if token.pos_ != "PROPN":  # Frank Van Den Bleeken would ..."), or the title of its main subject
                    holder = self.holder_of(token.lower_) or self.titled.get(token.lower_)
                    return (holder[0], "person", holder[1]) if holder else None
                if _is_person(token, self):
                    return self.named(token)
            if sentence.speaker is not None:
                return None  # a group or a study spoke last: not who "he" is, nor anyone before it
        return None

    def group_meant(self) -> tuple[str, str, str] | None:
        """Whom a "they" means: the group, organisation or study the sentence before cited, else its plural subject
        ("St Louis police and politicians say ... | They say ...", "the senators were angry. | They called for a
        probe"); nobody when it cited a person."""
        if not self.recent:
            return None
        sentence = self.recent[-1]
        if sentence.speaker is not None:
            return sentence.speaker if _is_group(*sentence.speaker[:2]) else None
        groups = sentence.groups()
        return _name_and_role(groups[0]) if groups else None

    def named(self, token) -> tuple[str, str, str]:
        """(name, "person", role) of a proper-noun token: its name run, a surname alone as the full name seen."""
        name, nationality = _nationality_apart(_name_run(token))
        text = _text(name)
        known = self.full_name(text) if len(name) == 1 else None
        return (known[0], "person", known[1]) if known else (text, "person", _text(nationality))

    def learn_names(self, doc) -> None:
        """The names of two or more proper nouns in a sentence ("Fire Chief Kelvin Cochran" -> Kelvin Cochran), and
        the names a person's title stands before ("Interior Minister Rajnath Singh", "President Johnson"), for a
        later bare "the interior minister" or "the president"."""
        for token in doc:
            if token.pos_ == "PROPN" and token.is_title and token.dep_ != "compound":
                name = _name_run(token)
                if len(name) >= 2:
                    self.names.setdefault(token.text, {}).setdefault(_text(name), name)
                titles = [t for t in doc[token.left_edge.i:name[0].i] if t.head.i == token.i and t.dep_ == "compound"
                          and t.lower_ in PERSON_TITLES]
                if titles:
                    text = _text(name)
                    full = self.full_name(text) if len(name) == 1 else None
                    title = _text(list(doc[titles[0].i:name[0].i]))
                    for word in titles:
                        self.titled[word.lower_] = (full[0] if full else text, title)

    def full_name(self, name: str) -> tuple[str, str] | None:
        """A surname's full name: the last speaker who had it, else the one name seen with it (none if two were)."""
        for full, role in reversed(self.people):
            if full != name and full.split()[-1] == name.split()[-1]:
                return full, role
        seen = self.names.get(name, {})
        if len(seen) != 1:
            return None
        kept, nationality = _nationality_apart(next(iter(seen.values())))
        return _text(kept), _text(nationality)

    def holder_of(self, title: str) -> tuple[str, str] | None:
        """The last person named whose role holds ``title`` (a word: "secretary")."""
        for full, role in reversed(self.people):
            if title in role.lower().split():
                return full, role
        return None

    def remember(self, speaker: str, kind: str, role: str, not_a_person: bool = False, aside: bool = False) -> None:
        """A speaker just cited; ``aside``: cited in passing ("as the Mail's Martin Samuel pointed out", "John Kerry
        who recently claimed"), known by name from then on but not who a later "he" or "she" is."""
        if kind == "person":
            self.people.append((speaker, role))
            if aside:
                self.in_passing.add(speaker)
        if not aside or self.last is None:
            self.last, self.last_not_a_person = (speaker, kind, role), not_a_person


def _resolve(head, speaker, kind, role, memory: _Memory) -> tuple[str, str, str, str]:
    """Pronouns, bare titles and surnames resolved against the article's earlier speakers (a title that says whose
    it is, "the President of France", "Japan's minister", is not bare)."""
    bare_title = kind == "unnamed" and head.lower_ in TITLE_WORDS and not any(
        c.dep_ in ("prep", "poss") for c in head.children)
    if bare_title:  # "the secretary": the last person cited, else named, with that title, else nobody named
        holder = memory.holder_of(head.lower_) or memory.titled.get(head.lower_)
        return (holder[0], "person", holder[1], speaker) if holder else (speaker, "unnamed", role, "")
    if head.lower_ in PRONOUNS:  # "he", "she": a name earlier in the sentence ("Smith ..., who she says is"), else
        named = nlp.person_before(head, people_only=True) or _named_before(head, memory)
        if named:
            known = memory.full_name(named) if len(named.split()) == 1 else None
            return (known[0], "person", known[1], head.lower_) if known else (named, "person", "", head.lower_)
        meant = memory.person_meant()
        if meant is not None:
            return (*meant, head.lower_)
        if memory.last and (memory.last[1] == "person" or memory.last[1] == "unnamed" and not memory.last_not_a_person):
            return (*memory.last, head.lower_)
        people = [p for p in memory.people if p[0] not in memory.in_passing] or memory.people
        if people:
            name, known_role = people[-1]
            return name, "person", known_role, head.lower_
        return speaker, "unnamed", role, ""
    if head.lower_ in GROUP_PRONOUNS:  # "they": a plural subject earlier in the sentence, else the group just before
        before = [t for t in _Sentence(head.doc).groups() if t.i < head.i and not _said_by(t, head.head)]
        meant = _name_and_role(before[0]) if before else memory.group_meant()
        return (*meant, head.lower_) if meant is not None else (speaker, "unnamed", role, "")
    if head.pos_ == "PROPN" and len(speaker.split()) == 1:
        known = memory.full_name(speaker)
        if known:
            return known[0], "person", role or known[1], speaker
    return speaker, kind, role, ""


def _said_by(token, verb) -> bool:
    """Whether a token stands in what the verb reports: its own clause ("Lotteries are a boom industry, they
    report") or the clause it is set into ("Pools, they say, tempt ...")."""
    if any(a.i == verb.i for a in token.ancestors):
        return True
    return verb.dep_ == "parataxis" and any(a.i == verb.head.i for a in (token, *token.ancestors))


def _named_before(pronoun, memory) -> str:
    """A person named earlier in the pronoun's sentence beside its subject ("when the director, DuVernay, was called
    on the distortion, she said"), or ""."""
    before = [t for t in _Sentence(pronoun.doc).people() if t.i < pronoun.i and t.dep_ != "pobj" and t.pos_ == "PROPN"
              and not nlp.subject_of_words_reported(t, pronoun)]
    return next((memory.named(t)[0] for t in before if _is_person(t, memory)), "")


def _set_into(verb, head) -> bool:
    """A reporting clause set between commas into what is said ("The purpose, Mr. Dole says, is ...")."""
    return verb.dep_ == "parataxis" and head is not None and head.left_edge.i > 0 \
        and verb.doc[head.left_edge.i - 1].text == ","


def _speaker_row(verb, head, text: str, memory: _Memory, alone: bool = False) -> dict | None:
    """The row of one speaker of a reporting verb (remembered for the sentences after it), or None when it names
    nobody; ``alone``: one of several joined by "and"."""
    speaker, kind, role = _name_and_role(head, alone, without=verb if verb.head.i == head.i else None)
    if speaker.split()[0].lower() in NOBODY or kind == "unnamed" and verb.lemma_.lower() in NEEDS_CLAUSE \
            and head.lower_ not in FINDING_BODIES:
        return None
    speaker, kind, role, resolved_from = _resolve(head, speaker, kind, role, memory)
    if not speaker or speaker.lower() in PRONOUNS | GROUP_PRONOUNS:
        return None
    said = quotes(text)
    not_a_person = head.tag_ in ("NNS", "NNPS") or head.lower_ in ORGANIZATION_WORDS | STUDY_NOUNS
    memory.remember(speaker, kind, role, not_a_person=not_a_person and not resolved_from, aside=_in_passing(verb))
    return {"speaker": speaker, "speaker_type": kind, "role": role, "kind": "direct quote" if said else "paraphrase",
            "verb": verb.lemma_.lower(), "quote": " … ".join(said) if said else _paraphrase(verb),
            "resolved_from": resolved_from}


def extract(sentences: pd.DataFrame, docs: list | None = None) -> pd.DataFrame:
    """One row per quoted or cited source, in reading order, with its sentence id.
    ``docs``: the sentences already parsed by :func:`opedlens.measure.nlp.parse` (parsed here when not given)."""
    rows = []
    memory_of: dict[str, _Memory] = {}
    docs = nlp.parse(sentences["text"].tolist(), entities=False) if docs is None else docs
    previous: dict[str, dict | None] = {}
    for (_, sentence), doc in zip(sentences.iterrows(), docs):
        doc_id, text = sentence["doc_id"], sentence["text"]
        memory = memory_of.setdefault(doc_id, _Memory())
        memory.learn_names(doc)
        found = []
        quoted = bool(quotes(text) or nlp.quoted_tokens(doc))  # a quotation, closed or running to the end
        for verb, head in _reporting_verbs(doc):
            if not _reports(verb, head, quoted):
                continue
            heads = _speakers(head)
            for one in heads:
                row = _speaker_row(verb, one, text, memory, alone=len(heads) > 1)
                if row:
                    found.append(row)
        if not found:
            found = _headline_row(doc)
        if not found and only_quote(text) and previous.get(doc_id):
            last = previous[doc_id]
            found.append({**last, "kind": "direct quote (continued)", "verb": "", "quote": quotes(text)[0],
                          "resolved_from": "previous sentence"})
        for row in _dedupe(found):
            rows.append({"doc_id": doc_id, "sent_id": sentence["sent_id"], **row, "text": text})
        previous[doc_id] = found[-1] if found else None
        memory.close_sentence(doc, found)
    for row in rows:
        _named_in_full(row, memory_of[row["doc_id"]])
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "source_id"])
    table.insert(2, "source_id", [f"{sid}.q{n}" for sid, n in
                                  zip(table["sent_id"], table.groupby("sent_id", sort=False).cumcount() + 1)])
    return table[COLUMNS]


#: What a name before a headline's colon must not be to own the words after it ("WASHINGTON: The Senate voted").
PLACES_AND_TIMES = {"GPE", "LOC", "NORP", "FAC", "DATE", "TIME"}


def _headline_row(doc) -> list[dict]:
    """ "Jim Jordan: DOJ & FBI Dressed Up ...": a headline's words quoted from the name before its colon (not a
    place's: a dateline)."""
    name = nlp.headline_speaker(doc)
    if not name or nlp.entity_type(doc[0]) in PLACES_AND_TIMES:
        return []
    said = _text([t for t in doc if t.i > next(t.i for t in doc if t.text == ":")])
    kind = "organization" if nlp.entity_type(doc[0]) == "ORG" else "person"
    return [{"speaker": name, "speaker_type": kind, "role": "", "kind": "direct quote", "verb": "", "quote": said,
             "resolved_from": ""}]


def _named_in_full(row: dict, memory: _Memory) -> None:
    """A person cited by surname before the article gives the full name ("said Ms Cordaro", then "says Carmen
    Cordaro"): the full name, when the article cites one person by that surname and full name (so one speaker is not
    counted as two). Only cited people count: a name the text merely mentions misled (a newspaper read as the
    surname of "Israel-Cumhuriyet")."""
    name = row["speaker"]
    if row["speaker_type"] != "person" or len(name.split()) != 1:
        return
    named = {full: role for full, role in memory.people if len(full.split()) > 1 and full.split()[-1] == name}
    if len(named) == 1:
        full, role = next(iter(named.items()))
        # a surname's role was at most an honorific ("Ms", left out by _role): the full name's "a lawyer ..." says more
        row.update(speaker=full, role=row["role"] or role, resolved_from=row["resolved_from"] or name)


def _dedupe(found: list[dict]) -> list[dict]:
    """One row per speaker per sentence (the first reporting verb wins)."""
    seen, out = set(), []
    for row in found:
        if row["speaker"] not in seen:
            seen.add(row["speaker"])
            out.append(row)
    return out


def speakers(table: pd.DataFrame) -> pd.DataFrame:
    """Per article and speaker: role, how often cited, and the first sentence id."""
    if table.empty:
        return pd.DataFrame(columns=["doc_id", "speaker", "speaker_type", "role", "citations", "first_sent_id"])
    grouped = table.groupby(["doc_id", "speaker"], sort=False)
    return grouped.agg(speaker_type=("speaker_type", "first"), role=("role", lambda r: next((x for x in r if x), "")),
                       citations=("sent_id", "size"), first_sent_id=("sent_id", "first")).reset_index()
