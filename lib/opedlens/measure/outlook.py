"""Whether a sentence looks ahead: says or weighs, in the author's own words, what will, may or would happen.

Notebook 05's "How hopeful" reads the tone of these sentences. Stated rules on the spaCy parse, scored against
hand-labelled op-ed sentences by ``opedlens validate outlook`` (``data/README-outlook.md``):

* a future auxiliary ("will", "shall", "'ll", "won't"), or "going to", "aims to", "plans to", "wants to",
  "has pledged to", "is expected to", "is set to" ... before a verb, unless in the past ("was about to", "he planned
  to");
* "would", "could" or "might", unless it looks back: a perfect ("would have won", "might have thought"), under a
  verb in the past tense ("he proposed a team that would provide revenue"), or "could" in a sentence told in the past
  ("last weekend New Yorkers could finally leave home"); unless "could" or "would" asks a question ("How could he
  allow himself this addiction?"); and "might" unless it weighs the present ("the subway might be possible", "they
  might be weeping"); none of them before "seem" or "appear" ("it would seem"), in "would-be" or "might as well", nor
  "could" before a verb of the senses ("I could hear him");
* "May" and "can" do not count: in the labelled sentences they weighed the present or said what is allowed about as
  often as, or far more often than, they looked ahead ("knowledge may be power", "dogs can be shrewd", "it may not
  deny illegals a public education"; but "warming may increase", missed);
* a word about time to come or its chances ("soon", "future", "prospects", "hope", "the coming months", "later this
  year", "upcoming", "is likely to", "next year", but not "next to", "more likely" nor "a likely attack"; nor "hope"
  as a plain noun, "the then-upcoming elections", nor "ahead of" in a sentence told in the past).

Words inside quotation marks are someone else's and do not count.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from opedlens.measure import nlp

#: Auxiliaries that put a verb in time to come (spaCy splits "won't" into "wo" and "n't", "we'll" into "we" "'ll").
FUTURE_AUXILIARIES = frozenset({"will", "shall", "'ll", "’ll", "ll", "wo", "sha"})


class ModalReading(NamedTuple):
    """Which modals of condition or possibility count (ahead unless they look back: :func:`_modal_ahead`), which of
    them must also not weigh the present ("it might be true"), and the complements after "be" that still weigh what
    lies ahead ("may be possible", "may not be able to")."""

    counted: frozenset
    epistemic: frozenset
    forward: frozenset = frozenset()


#: What still weighs what lies ahead after "may be", "might be" ("may be possible", "may not be able to").
FORWARD_COMPLEMENTS = frozenset({"possible", "impossible", "able", "unable", "likely", "unlikely", "ready", "willing"})
#: The reading the rules use. Not "may" nor "can" (see the module docstring), nor "'d" (as often "had", or a past
#: habit: "then they'd go to bed").
MODALS = ModalReading(frozenset({"would", "could", "might"}), frozenset({"might"}))
#: The reading set against it on round 4's odd items (``data/README-outlook.md``): "may" counted as "might" is.
MODALS_WITH_MAY = ModalReading(frozenset({"would", "could", "might", "may"}), frozenset({"might", "may"}),
                               FORWARD_COMPLEMENTS)
#: Modals that, in a sentence told in the past, say what could be done then ("I could not even scream").
PAST_ABILITY = frozenset({"could"})
#: Modals that, asking, weigh what is, not what will be ("How could he ...?", "Why would anyone ...?").
NOT_IN_QUESTIONS = frozenset({"could", "would"})
#: Verbs after which a counted modal weighs what is ("it would seem", "some of it might seem obvious").
SEEMING = frozenset({"seem", "appear"})
#: Verbs of the senses after which "could" tells what was perceived ("I could hear him breathe").
PERCEIVING = frozenset({"hear", "smell", "feel", "taste"})
#: Words before "to" + a verb that put the verb ahead ("aims to reduce", "is set to rise", "is due to expire").
INTENT_BEFORE_TO = frozenset({"going", "aim", "aims", "aimed", "plan", "plans", "planned", "planning", "intend",
                              "intends", "intended", "expect", "expects", "expected", "poised", "set", "due",
                              "scheduled", "about", "bound", "want", "wants", "pledge", "pledges", "pledged",
                              "promise", "promises", "promised", "vow", "vows", "vowed", "threaten", "threatens",
                              "threatened"})
#: Words for time to come after "next" ("next year"; not "next to", "the next person").
NEXT_TIMES = ("year|years|week|weeks|month|months|decade|day|days|time|election|elections|session|century|"
              "generation|summer|winter|spring|fall|autumn|season|step|steps|round|president|administration|"
              "government|congress|phase|stage|few")
#: Words about time to come or its chances, and the ways forward or out (matched on the author's words); "likely"
#: only as a forecast ("is likely to", "likely that"), not in a comparison ("more likely") nor before a noun.
FUTURE_WORDS = re.compile(r"\b(?:hope|hopes|hoped|hopeful|hopefully|hopeless|(?<!more )(?<!less )(?<!most )(?<!as )"
                          r"(?:un)?likely(?=\s+(?:to|that)\b|\s*[^\w\s]|\s*$)|future|prospects?|soon|eventually|"
                          r"ultimately|someday|ahead|outlook|(?<!then-)(?<!then- )upcoming|forthcoming|"
                          r"foreseeable|tomorrow|"
                          r"(?:look(?:s|ed|ing)?|going|way|move|moves|moving|step) forward|way out|dead end|no way|"
                          r"intractable|this time|anytime soon|on the verge|remains to be seen|from now|"
                          r"the coming (?:days|weeks|months|years|decades)|later this (?:week|month|year|decade)|"
                          rf"in the (?:long|short|medium) (?:run|term)|next (?:{NEXT_TIMES}))\b", re.I)


def looks_ahead(doc, modals: ModalReading = MODALS) -> bool:
    """Whether the parsed sentence looks ahead in its author's words (see the module docstring)."""
    quoted = nlp.quoted_tokens(doc)
    for token in doc:
        if token.i in quoted:
            continue
        word = token.lower_
        if token.tag_ == "MD" and (word in FUTURE_AUXILIARIES
                                   or (word in modals.counted and _modal_ahead(token, modals))):
            return True
        if word in INTENT_BEFORE_TO and token.pos_ != "NOUN" and _before_to_verb(doc, token) and not _in_past(token):
            return True
    own = "".join(t.text_with_ws if t.i not in quoted else " " * len(t.text_with_ws) for t in doc)
    return any(not _word_not_ahead(doc, found) for found in FUTURE_WORDS.finditer(own))


def _word_not_ahead(doc, found: re.Match) -> bool:
    """A word of :data:`FUTURE_WORDS` that does not look ahead where it stands: "hope" as a plain noun ("the hope
    we have", "a time of hope"), "ahead of" in a sentence told in the past ("it issued passports ahead of the
    annexation")."""
    word, span = found.group(0).lower(), doc.char_span(found.start(), found.end())
    if span is None:
        return False
    if word == "hope":
        return span[0].pos_ == "NOUN"
    return (word == "ahead" and span[-1].i + 1 < len(doc) and doc[span[-1].i + 1].lower_ == "of"
            and any(token.dep_ == "ROOT" and _past(token) for token in doc))


def _modal_ahead(modal, modals: ModalReading) -> bool:
    """A conditional or possibility modal that does not look back (a perfect, a past verb above it, "could" in a
    sentence told in the past), does not ask ("How could he ...?"), and, if epistemic, does not weigh the present (a
    copula with its complement, a verb in -ing)."""
    word, verb = modal.lower_, modal.head
    following = modal.doc[modal.i + 1:modal.i + 3]
    if len(following) and following[0].text in ("-", "‐"):  # "would-be terrorists": an adjective
        return False
    if [token.lower_ for token in following] == ["as", "well"]:  # "you might as well ...": what is best now
        return False
    if verb.lemma_ in SEEMING or (word in PAST_ABILITY and verb.lemma_ in PERCEIVING):
        return False
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ in ("aux", "auxpass")}
    if auxiliaries & {"have", "'ve", "’ve"}:  # a perfect: "would have won", "might have been watching"
        return False
    if any(_past(above) for above in verb.ancestors):
        return False
    if word in PAST_ABILITY and any(token.tag_ == "VBD" for token in modal.doc):
        return False
    if word in NOT_IN_QUESTIONS and _in_question(modal):
        return False
    if word in modals.epistemic:
        if verb.lemma_ == "be" and any(child.dep_ in ("acomp", "attr") and child.lower_ not in modals.forward
                                       for child in verb.children):
            return False
        if verb.tag_ == "VBG" and "be" in auxiliaries:
            return False
    return True


def _in_question(modal) -> bool:
    """The modal asks: its clause ends with a question mark ("How could he ...?", "Could they do it?")."""
    after = [token.text for token in modal.doc[modal.i:] if token.is_punct and token.text in ".?!;"]
    return bool(after) and after[0] == "?"


def _past(verb) -> bool:
    """A verb in the past tense: tagged so, or a participle that heads its clause with no auxiliary (the tagger's
    reading of "B-29s left in intervals" as "left" the participle)."""
    if verb.tag_ == "VBD":
        return True
    return (verb.tag_ == "VBN" and verb.dep_ in ("ROOT", "ccomp", "conj")
            and not any(child.dep_ in ("aux", "auxpass") for child in verb.children))


def _in_past(word) -> bool:
    """A word of intent said in the past: "he planned to", "was about to", "was due to expire"."""
    if word.tag_ == "VBD" or any(child.tag_ == "VBD" for child in word.children if child.dep_ in ("aux", "auxpass")):
        return True
    return word.dep_ in ("acomp", "attr", "advmod", "prep") and word.head.tag_ == "VBD"


def _before_to_verb(doc, token) -> bool:
    """``token`` is followed by "to" and a verb in its base form ("going to rise", not "going to the store")."""
    following = doc[token.i + 1:token.i + 3]
    return len(following) == 2 and following[0].lower_ == "to" and following[1].tag_ == "VB"
