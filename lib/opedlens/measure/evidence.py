"""What kind of evidence a sentence offers, in the Webis-Editorials-16 scheme (Al-Khatib et al., COLING 2016).

Six labels: ``anecdote`` (a concrete event), ``assumption`` (the author's own claim or opinion),
``common-ground`` (what everyone accepts), ``statistics`` (numbers, quantitative results), ``testimony``
(a quote or attributed statement) and ``other`` (editorial notes, author bios, asides).

The four types that open data covers come from MiniLM fine-tuned to tell them apart (``evidence-tuned.npz``,
:func:`shipped_tuned`; Webis DEV macro-F1 0.510), trained on IBM Debater's claims and typed evidence (CC BY-SA
3.0) and the op-ed sentences labelled by the developers (see
:func:`opedlens.validate.training.evidence_training_set` and models/README.md). Its adapters are in the top two
layers only, so `opedlens measure` runs just those on the states the sentence encoder hands over
(:func:`shared_head`, ``classify(tuned_logits=...)``). Without it, or with a ``model``
passed in, a multinomial logistic regression over the MiniLM sentence embedding plus a few dozen transparent
surface features (numbers, quotation marks, reporting verbs, names, dates, tense, person, modality, hedges),
fitted on the same sentences, gives them (``evidence.npz``: 0.483); its surface features flag quotations either
way. The probabilities are re-weighted from the training mix to an op-ed mix (mostly the author's claims), and
testimony is made :data:`QUOTE_BOOST` times as likely when the text holds a direct quotation.
``common-ground`` and ``other`` have no open training data; hand-written rules (:data:`COMMON_GROUND`,
:data:`OTHER`) give them probability when their cue phrases occur.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from opedlens.errors import InputError
from opedlens.measure import models
from opedlens.paths import MODELS_DIR

LABELS = ("anecdote", "assumption", "common-ground", "statistics", "testimony", "other")
MODEL_FILE = MODELS_DIR / "evidence.npz"
TUNED = "evidence-tuned"  # models/evidence-tuned.npz: MiniLM fine-tuned on the same sentences (see shipped_tuned)
LEXICONS = MODELS_DIR.parent / "data" / "lexicons"
#: Probability a rule gives its label when its cue fires (the model's labels share the rest).
RULE_P = {"common-ground": 0.6, "other": 0.8}
#: Probability left to each rule label when no cue fires.
FLOOR_P = 0.01
#: How much more likely testimony is when the text holds a direct quotation (one that opens it or crosses its
#: edge, or runs to four words or more): the definition of the label, which IBM's reported speech under-teaches.
QUOTE_BOOST = 4.0

# Cue phrases written for this module (not taken from any corpus): appeals to shared knowledge ...
COMMON_GROUND = re.compile(
    r"\b(?:of course|everyone knows|everybody knows|we all (?:know|agree|understand|want)|as we all know"
    r"|it is (?:well|widely|generally|commonly|universally) (?:known|accepted|agreed|understood|recognised|recognized)"
    r"|it goes without saying|needless to say|no one (?:can )?(?:doubts?|denies|deny|disputes?)"
    r"|nobody (?:can )?(?:doubts?|denies|deny|disputes?)|there is no (?:doubt|denying)|undeniabl[ey]|self-evident"
    r"|it is (?:obvious|clear|a fact|true) that|obviously|naturally|by definition|common sense"
    r"|human nature|as everyone|all of us)\b", re.I)
# ... and what is not argument at all: editorial notes, author bios and contact details, greetings, thanks and
# wishes, sign-offs, and appeals to the reader to do something (call, donate, subscribe). Case matters only for
# the two cues that read a name: a bio opening with a person's name, and a signature line in capitals.
_ROLES = (r"author|professor|lecturer|fellow|editor|writer|journalist|columnist|contributor|analyst|host"
          r"|correspondent|commentator|researcher|scholar|blogger|novelist|broadcaster|presenter")
OTHER = re.compile(
    r"(?i:^\W*(?:this (?:article|piece|column|story|post) (?:was|has been|is) (?:amended|updated|corrected|adapted"
    r"|first)|correction\b|editor'?s note|update\b|follow (?:him|her|them|me|us) on|read more\b|related\b|watch\b"
    r"|listen\b|(?:he|she) is (?:the|a|an) (?:author|professor|lecturer|fellow|director|founder|editor|writer"
    r"|journalist|columnist|contributor|economist|former|senior|co-?founder|president)\b"
    r"|(?:he|she) (?:is|was) formerly|(?:he|she) (?:writes|teaches|lives) (?:on|about|at|in)\b"
    r"|thank you|thanks\b(?! to)|merry christmas|happy (?:new year|holidays|birthday|thanksgiving|easter|hanukkah"
    r"|christmas)|season'?s greetings|congratulations|welcome\b|good luck|(?:may )?god bless|rest in peace"
    r"|dear (?:sir|madam|friends?|readers?|mr|mrs|ms|dr)\b|sincerely|yours (?:truly|sincerely|faithfully)"
    r"|best wishes|with (?:best|kind|warm) regards|goodbye|farewell|hello\b"
    r"|please (?:call|donate|give|send|return|help|join|visit|mail|write|contact|consider|renew|take|make|enter"
    r"|click|sign|share|subscribe|follow|read|see|note)\b)"
    r"|the views expressed in this|do not necessarily reflect|@\w{2,}|\bhttps?://|\bwww\.|\bclick here\b"
    r"|[\w.+-]+@[\w-]+\.[a-z]{2,}|\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b|\bcan be (?:reached|contacted|emailed)\b"
    r"|\bcall (?:us|me)\b|\bfor more information\b|\bto order (?:a|your) copy\b|\bis published by\b"
    r"|\bsign up\b|\bsubscribe\b|\bappears? regularly on\b)"
    r"|^[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][a-z'-]+){1,2} (?:is|was|has been) (?:also )?(?:a|an|the) (?:[\w'-]+ ){0,5}"
    r"(?:" + _ROLES + r")s?\b"
    r"|^[A-Z][A-Z .,'\u2019-]{8,}$")

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
QUOTE = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]|(?:^|\s)['\u2018]|['\u2019](?:\s|$)")
CURRENCY = re.compile(r"[$\u00a3\u20ac\u00a5]|\b(?:dollars?|pounds?|euros?|yen|rupees?|usd)\b", re.I)
PERCENT = re.compile(r"%|\bper ?cent(?:age)?\b|\bpercentage points?\b", re.I)
QUOTE_MARK = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]")
NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+(?: [A-Z][a-z]+)*")
TERMS = {
    "number_words": "million millions billion billions trillion thousand thousands hundred hundreds dozen dozens "
                    "half third quarter twice double doubled tripled percent per-cent fold majority minority "
                    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty",
    "quantity": "rate rates average median mean poll polls survey surveys statistics statistic data figures figure "
                "census estimate estimated estimates number numbers total proportion increase decrease rose fell "
                "risen fallen grew declined growth record ratio",
    "study": "study studies research researchers report reports found finds analysis evidence experiment "
             "trial trials sample participants respondents significant significantly correlated meta-analysis",
    "attribution": "said says told according stated wrote argued argues explained added insisted noted "
                   "claimed claims warned declared announced testified admitted replied asked suggested "
                   "believes believed described called interview statement spokesman spokeswoman spokesperson",
    "expert": "professor dr expert experts scientist scientists economist economists analyst analysts official "
              "officials minister president secretary director chairman spokesman leader author judge court",
    "past": "was were had did went came took made got gave saw became began left met knew thought felt found "
            "told said wrote ago yesterday last",
    "present": "is are am be being been has have do does can",
    "time": "january february march april may june july august september october november december monday "
            "tuesday wednesday thursday friday saturday sunday yesterday today week weeks month months year years "
            "ago recently earlier later morning evening night day days",
    "first_singular": "i me my mine myself i'm i've i'd i'll",
    "first_plural": "we us our ours ourselves we're we've we'd we'll",
    "second": "you your yours yourself yourselves you're you've",
    "third": "he she him her his hers they them their theirs it its",
    "necessity": "must should ought need needs needed have-to",
    "possibility": "can could may might cannot can't couldn't",
    "prediction": "will would shall won't wouldn't",
    "negation": "not no never nothing nobody none neither nor n't don't doesn't didn't isn't aren't wasn't "
                "weren't won't can't",
    "evaluation": "good bad wrong right important better worse best worst great terrible clear clearly "
                  "should necessary unacceptable absurd shameful fair unfair",
    "generic": "everyone everybody all always never people nobody anyone everywhere every nothing",
}
FEATURES = ("n_words", "digit", "n_numbers", "year", "percent", "currency", "quote", "n_quotes",
            "quote_edge", "long_quote", "public_verb", "according_to", "names", "hedge", "question", "exclamation", "starts_lower",
            "common_ground_cue", "other_cue", *TERMS)


@functools.lru_cache(maxsize=1)
def _wordsets() -> dict[str, frozenset]:
    """The word lists: the TERMS above, and the MIT lexicons shipped in data/lexicons (see its README)."""
    sets = {name: frozenset(words.split()) for name, words in TERMS.items()}
    sets["public_verb"] = frozenset(_lexicon("biberplus/public_verbs.txt"))
    sets["hedge"] = frozenset(w for w in _lexicon("hedges_wooorm_v2.0.1.txt") if " " not in w)
    return sets


def _lexicon(name: str) -> list[str]:
    path = LEXICONS / name
    try:
        return [w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()]
    except FileNotFoundError:
        raise InputError("word list missing from the installed package", path) from None


def clean(text: str) -> str:
    """Whitespace collapsed; Wikipedia reference marks (``[REF]``) removed."""
    return " ".join(re.sub(r"\[REF\]|\[REF|\[\d+\]", " ", str(text)).split())


def surface(text: str) -> list[float]:
    """The :data:`FEATURES` of one text."""
    sets = _wordsets()
    words = [w.lower().replace("\u2019", "'") for w in WORD.findall(text)]

    def share(name: str) -> float:
        return np.log1p(sum(w in sets[name] for w in words))

    numbers = NUMBER.findall(text)
    edge, longest = _quotes(text)
    row = [np.log1p(len(words)), float(bool(numbers)), np.log1p(len(numbers)), float(bool(YEAR.search(text))),
           float(bool(PERCENT.search(text))), float(bool(CURRENCY.search(text))),
           float(bool(QUOTE.search(text))), np.log1p(len(QUOTE.findall(text))),
           float(edge), float(longest >= 4),
           share("public_verb"), float("according to" in text.lower()), np.log1p(len(NAME.findall(text))),
           share("hedge"), float("?" in text), float("!" in text), float(text[:1].islower()),
           float(bool(COMMON_GROUND.search(text))), float(bool(OTHER.search(text)))]
    row += [share(name) for name in TERMS]
    return row


def _quotes(text: str) -> tuple[bool, int]:
    """Whether a quotation opens the text or crosses its edge (an odd number of quote marks), and the words in
    its longest quoted stretch."""
    pieces = QUOTE_MARK.split(text)
    if len(pieces) == 1:
        return False, 0
    odd = len(pieces) % 2 == 0
    opens_before = odd and not pieces[-1].strip(" .,;:!?)") and pieces[0].strip()  # closes a quote begun earlier
    quoted = pieces[0::2] if opens_before else pieces[1::2]
    return bool(odd or not pieces[0].strip(" (-—")), max(len(q.split()) for q in quoted)


def embed_texts(texts) -> np.ndarray:
    """MiniLM sentence embeddings of the cleaned texts (what :func:`features` expects)."""
    from opedlens.measure import embed

    texts = [clean(t) for t in texts]
    return embed.sentence_vectors(texts) if texts else np.zeros((0, 384), np.float32)


def features(texts, sentence_vectors: np.ndarray | None = None) -> np.ndarray:
    """MiniLM sentence embedding (384) + the surface :data:`FEATURES`, one row per text."""
    texts = [clean(t) for t in texts]
    if sentence_vectors is None:
        sentence_vectors = embed_texts(texts)
    hand = np.array([surface(t) for t in texts], dtype=np.float64).reshape(len(texts), len(FEATURES))
    return np.hstack([np.asarray(sentence_vectors, dtype=np.float64), hand])


@functools.lru_cache(maxsize=1)
def shipped_model() -> models.Model:
    """The trained model (lib/opedlens/models/evidence.npz), or an InputError naming the missing file."""
    return models.load_model(MODEL_FILE)


@functools.lru_cache(maxsize=1)
def shipped_tuned():
    """The fine-tuned classifier (``models/evidence-tuned.npz``,
    :class:`opedlens.measure.crossencoder.SentenceClassifier`) when it ships, else None."""
    from opedlens.measure import crossencoder

    return crossencoder.load_classifier(TUNED) if crossencoder.available(TUNED) else None


def probabilities(model: models.Model, X: np.ndarray, texts, tuned=None) -> np.ndarray:
    """(n, 6) probabilities in :data:`LABELS` order: the model's four re-weighted to the op-ed prior, then the
    common-ground / other rules. With ``tuned`` (:func:`shipped_tuned`, trained on the same sentences and labels,
    classes balanced too) its probabilities stand in for the logistic regression's; ``X`` still gives the
    quotation features."""
    if tuned is None:
        p_model = models.predict(model, X)
    elif list(tuned.meta["classes"]) == [int(c) for c in model.arrays["classes"]]:
        p_model = tuned.probabilities([clean(t) for t in texts])
    else:
        raise ValueError(f"{TUNED} and {MODEL_FILE} have different classes")
    p_model = p_model * (model.arrays["target_prior"] / model.arrays["train_prior"])
    quoted = (X[:, -len(FEATURES) + FEATURES.index("quote_edge")] > 0) | \
        (X[:, -len(FEATURES) + FEATURES.index("long_quote")] > 0)
    testimony = list(model.arrays["classes"]).index(LABELS.index("testimony"))
    p_model[quoted, testimony] *= QUOTE_BOOST
    p_model /= p_model.sum(1, keepdims=True)
    out = np.zeros((len(X), len(LABELS)))
    rules = {label: np.array([bool(pattern.search(clean(t))) for t in texts], dtype=bool)
             for label, pattern in (("common-ground", COMMON_GROUND), ("other", OTHER))}
    rule_p = {label: np.where(fired, RULE_P[label], FLOOR_P) for label, fired in rules.items()}
    both = rules["other"] & rules["common-ground"]
    rule_p["common-ground"] = np.where(both, FLOOR_P, rule_p["common-ground"])  # an editorial note wins
    rest = 1.0 - rule_p["common-ground"] - rule_p["other"]
    for k, index in enumerate(model.arrays["classes"]):
        out[:, index] = p_model[:, k] * rest
    out[:, LABELS.index("common-ground")] = rule_p["common-ground"]
    out[:, LABELS.index("other")] = rule_p["other"]
    return out


def frame(p: np.ndarray, index=None) -> pd.DataFrame:
    """The classify() table from (n, 6) probabilities."""
    best = p.argmax(1)
    result = pd.DataFrame({"evidence": np.array(LABELS, dtype=object)[best] if len(p) else [],
                           "evidence_p": p[np.arange(len(p)), best] if len(p) else []}, index=index)
    for k, label in enumerate(LABELS):
        result[f"p_{label.replace('-', '_')}"] = p[:, k]
    return result


def classify(texts, sentence_vectors: np.ndarray | None = None, model: models.Model | None = None,
             tuned_logits: np.ndarray | None = None) -> pd.DataFrame:
    """Evidence type of each text: ``evidence`` (label), ``evidence_p`` (its probability) and ``p_<label>`` for
    every label. Pass ``sentence_vectors`` (MiniLM ``embed.encode(texts).sentences``) to reuse embeddings, and
    ``tuned_logits`` (``Encoded.above`` of :func:`shared_head`) to reuse the fine-tuned model's scores of texts the
    encoder read as they are (NaN rows: computed here)."""
    texts = [str(t) for t in texts]
    tuned = shipped_tuned() if model is None else None
    model = model or shipped_model()
    if not texts:
        return frame(np.zeros((0, len(LABELS))))
    if tuned is not None and tuned_logits is not None:
        tuned = _Reused(tuned, texts, tuned_logits)
    return frame(probabilities(model, features(texts, sentence_vectors), texts, tuned))


def shared_head():
    """The fine-tuned model when it can run on the states the sentence encoder hands over
    (:class:`opedlens.measure.embed.SharedEncoding`'s ``above``: its first layers are the encoder's), else None."""
    tuned = shipped_tuned()
    return tuned if tuned is not None and tuned.shares_base else None


class _Reused:
    """The fine-tuned model with the scores the shared encoding gave for some texts: a text whose cleaning only
    collapsed white space (the tokenizer reads both alike) takes those; the rest are computed."""

    def __init__(self, tuned, texts: list[str], logits: np.ndarray):
        self.meta = tuned.meta
        self._tuned = tuned
        self._given = {clean(text): row for text, row in zip(texts, np.asarray(logits, dtype=np.float32))
                       if clean(text) == " ".join(text.split()) and not np.isnan(row).any()}

    def probabilities(self, cleaned: list[str]) -> np.ndarray:
        from opedlens.measure.crossencoder import softmax

        missing = list(dict.fromkeys(t for t in cleaned if t not in self._given))
        known = dict(zip(missing, self._tuned.logits(missing))) if missing else {}
        return softmax(np.stack([self._given[t] if t in self._given else known[t] for t in cleaned]))


def warm_up() -> None:
    """Load the encoder, the word lists and the shipped evidence model now (see opedlens.report.kernels)."""
    from opedlens.measure import embed

    embed.warm_up()
    _wordsets()
    shipped_model()
