"""Whether a sentence looks ahead: says or weighs, in the author's own words, what will, may or would happen.

Notebook 05's "How hopeful" reads the tone of these sentences. Stated rules on the spaCy parse, scored against
hand-labelled op-ed sentences by ``opedlens validate outlook`` (``data/README-outlook.md``):

* a future auxiliary ("will", "shall", "'ll", "won't"), or "going to", "aims to", "plans to", "wants to", "is
  expected to", "is set to" ... before a verb, unless in the past ("was about to", "he planned to");
* "would", "could" or "might", unless it looks back: a perfect ("would have won", "might have thought"), or under a
  verb in the past tense ("he proposed a team that would provide revenue", "crews left so they could take photos");
  and "might" unless it weighs the present ("the subway might be possible", "they might be weeping"). "May" and
  "can" do not count: in op-ed prose they far more often weigh the present or say what is allowed ("knowledge may
  be power", "dogs can be shrewd", "it may not deny illegals a public education");
* a word about time to come or its chances ("soon", "future", "prospects", "hope", "unlikely", "is likely to",
  "way forward", "next year", but not "next to" or "more likely").

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


#: The reading the rules use. Not "may" nor "can" (see the module docstring), nor "'d" (as often "had", or a past
#: habit: "then they'd go to bed").
MODALS = ModalReading(frozenset({"would", "could", "might"}), frozenset({"might"}))
#: The other candidate set before the editorials of round 4 were scored (``data/README-outlook.md``).
MODALS_WITH_MAY = ModalReading(frozenset({"would", "could", "might", "may"}), frozenset({"might", "may"}),
                               frozenset({"possible", "impossible", "able", "unable", "likely", "unlikely", "ready",
                                          "willing"}))
#: Words before "to" + a verb that put the verb ahead ("aims to reduce", "is set to rise", "is due to expire").
INTENT_BEFORE_TO = frozenset({"going", "aim", "aims", "aimed", "plan", "plans", "planned", "planning", "intend",
                              "intends", "intended", "expect", "expects", "expected", "poised", "set", "due",
                              "scheduled", "about", "bound", "want", "wants"})
#: Words for time to come after "next" ("next year"; not "next to", "the next person").
NEXT_TIMES = ("year|years|week|weeks|month|months|decade|day|days|time|election|elections|session|century|"
              "generation|summer|winter|spring|fall|autumn|season|step|steps|round|president|administration|"
              "government|congress|phase|stage|few")
#: Words about time to come or its chances, and the ways forward or out (matched on the author's words).
FUTURE_WORDS = re.compile(r"\b(?:hope|hopes|hoped|hopeful|hopefully|hopeless|(?<!more )(?<!less )(?<!most )(?<!as )"
                          r"likely|unlikely|future|prospects?|soon|eventually|ultimately|someday|ahead|outlook|"
                          r"(?:look(?:s|ed|ing)?|going|way|move|moves|moving|step) forward|way out|dead end|no way|"
                          rf"intractable|this time|anytime soon|on the verge|next (?:{NEXT_TIMES}))\b", re.I)


def looks_ahead(doc, modals: ModalReading = MODALS) -> bool:
    """Whether the parsed sentence looks ahead in its author's words (see the module docstring)."""
    quoted = nlp.quoted_tokens(doc)
    for token in doc:
        if token.i in quoted:
            continue
        word = token.lower_
        modal_ahead = word in FUTURE_AUXILIARIES or (word in modals.counted and _modal_ahead(token, modals))
        if token.tag_ == "MD" and modal_ahead:
            return True
        if word in INTENT_BEFORE_TO and token.pos_ != "NOUN" and _before_to_verb(doc, token) and not _in_past(token):
            return True
    own = "".join(t.text_with_ws if t.i not in quoted else " " * len(t.text_with_ws) for t in doc)
    return bool(FUTURE_WORDS.search(own))


def _modal_ahead(modal, modals: ModalReading) -> bool:
    """A conditional or possibility modal that does not look back (a perfect, a past verb above it) nor, if
    epistemic, weigh the present (a copula with its complement, a verb in -ing)."""
    verb = modal.head
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ in ("aux", "auxpass")}
    if auxiliaries & {"have", "'ve", "’ve"}:  # a perfect: "would have won", "might have been watching"
        return False
    if any(_past(above) for above in verb.ancestors):
        return False
    if modal.lower_ in modals.epistemic:
        if verb.lemma_ == "be" and any(child.dep_ in ("acomp", "attr") and child.lower_ not in modals.forward
                                       for child in verb.children):
            return False
        if verb.tag_ == "VBG" and "be" in auxiliaries:
            return False
    return True


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
