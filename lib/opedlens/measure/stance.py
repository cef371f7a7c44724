"""Stance markers per sentence: hedges, boosters, and the strength of modality.

Hedges come from the MIT word lists shipped in ``data/lexicons`` (npm ``hedges`` 2.0.1 and Biber's
hedges); boosters from Biber's amplifiers plus a short list of epistemic boosters (Hyland 2005);
modality from Biber's necessity / possibility modals plus the semi-modals ("need to", "have to").
Matching is on whole words, case-insensitive, longest phrase first, so "of course" is one booster
and never also "course". Words inside quotation marks belong to the quoted speaker, not the author,
and are counted separately (``quoted``); a quotation still open at the end of the sentence, or closed without
being opened in it, counts too. Words that only look like markers are not counted: "think" in "think tank",
"about" unless it approximates a number ("about 20 experts", not "talks about trade"), a verb of belief that
reports someone else's view ("Seoul thinks", "experts believe": the author hedges with "I think", "we believe"),
and a modal under negation ("may not be able", "should not", "cannot"), which denies rather than states the
author's modality.
"""

from __future__ import annotations

import functools
import re

import pandas as pd

from opedlens.paths import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicons"

# Epistemic boosters from Hyland (2005, Metadiscourse, appendix), the subset that is not already a
# Biber amplifier and is rarely used in another sense in news prose.
EPISTEMIC_BOOSTERS = (
    "certainly", "clearly", "definitely", "undoubtedly", "surely", "indeed", "in fact", "of course",
    "obviously", "without doubt", "no doubt", "beyond doubt", "evidently", "undeniably", "truly",
    "as a matter of fact", "in truth", "it is clear that", "there is no doubt",
)
# Modality strength: what a sentence says must, should, or could happen.
MODALITY = {
    "strong": ("must", "need to", "needs to", "have to", "has to", "had to",
               "it is up to", "it is essential", "it is imperative", "is no longer acceptable"),
    "medium": ("should", "ought to", "shouldn't", "it is time"),
    "weak": ("could", "may", "might", "can", "would"),
}
MODALITY_RANK = {"none": 0, "weak": 1, "medium": 2, "strong": 3}
# Sentence-level hedges that are not single words.
HEDGE_PHRASES = ("it seems", "seem to", "seems to", "appear to", "appears to", "is likely", "are likely",
                 "likely to", "it is possible", "possibly", "perhaps", "probably", "to some extent")
MONTH_MAY = re.compile(r"(?<=\w )May\b|\bMay(?= \d)")  # the month, not the modal
NOT_HEDGES = {"will", "would", "shall", "found"}
#: A quoted passage (what sources.quotes returns): in double quotation marks, or in doubled single ones ('' ... ''),
#: as the NYT snippets print them; the words quoted are its ``said`` or its ``doubled`` group.
QUOTED = re.compile(r"[“\"](?P<said>[^”\"]*)[”\"]|''(?P<doubled>.+?)''")
# Quotations the pattern above misses: doubled single quotes across a line break, a quotation opened and not
# closed in the sentence, one closed that opened in an earlier sentence.
_MORE_QUOTED = re.compile(r"''.*?''|“[^”]*$|^[^“]*”", re.S)
# Look-alikes: "think tank(s)"; "about" that does not approximate an amount.
_NOT_MARKERS = re.compile(r"\bthink[- ]tanks?\b|\babout\b(?!\s+(?:\$|£|€)?\d|\s+(?:one|two|three|four|five|six|"
                          r"seven|eight|nine|ten|twenty|thirty|forty|fifty|half|as\s+many|as\s+much|the\s+same|"
                          r"an?\s+(?:hundred|thousand|million|billion|third|quarter|fifth|tenth|dozen|half|year|month|"
                          r"week|day|decade|century|hour|minute|mile|kilometre|kilometer|percent|per\s+cent))\b)",
                          re.I)  # "about a year", not "about a recent utterance"
# A verb of belief that reports another's view: a third-person form, or a plural or group subject just before it.
_REPORTED_VIEW = re.compile(r"\b(?:thinks|believes|assumes|supposes|guesses|suspects|doubts|feels)\b|(?P<who>\b(?:they|"
                            r"people|experts|analysts|officials|critics|observers|others|many|some)\s+)"
                            r"(?:think|believe|assume|suppose|guess|suspect|doubt|feel)\b", re.I)
# A modal or semi-modal denied by the word after it ("may not", "should never", "cannot", "don't have to").
_NEGATED_MODAL = re.compile(r"\b(?:must|should|shouldn['’]t|could|couldn['’]t|may|might|can|would|need|needs|have|has|"
                            r"had|ought)(?:\s+to)?\s+(?:not|never|n['’]t)\b|\bcan(?:not|['’]t)\b|\b(?:mustn|needn|"
                            r"wouldn|mightn)['’]t\b|\b(?:do|does|did)(?:\s+not|n['’]t)\s+(?:need|have)\s+to\b", re.I)


def _read_list(relative: str) -> list[str]:
    path = LEXICON_DIR / relative
    return [line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@functools.lru_cache(maxsize=1)
def word_lists() -> dict[str, tuple[str, ...]]:
    """The hedge and booster lists, deduplicated and sorted longest first."""
    hedges = set(_read_list("hedges_wooorm_v2.0.1.txt")) | set(_read_list("biberplus/hedges.txt")) | set(HEDGE_PHRASES)
    boosters = set(_read_list("biberplus/amplifiers.txt")) | set(EPISTEMIC_BOOSTERS)
    # Modals are measured as modality, not as hedges ("could", "may", "might" are in the hedge list);
    # Hyland's boosters ("surely") win over the npm list; "will" and "found" state, they do not hedge.
    not_hedges = {w for words in MODALITY.values() for w in words} | set(EPISTEMIC_BOOSTERS) | NOT_HEDGES
    return {"hedges": _longest_first(hedges - not_hedges), "boosters": _longest_first(boosters)}


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@functools.lru_cache(maxsize=None)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w-])", re.IGNORECASE)


def find(text: str, words: tuple[str, ...]) -> list[str]:
    """The phrases of ``words`` in ``text``, in reading order, lower-cased."""
    return [re.sub(r"\s+", " ", m.group(0).lower()) for m in _pattern(words).finditer(text)]


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def unquoted(text: str) -> str:
    """The text with quoted passages blanked out (same length, so offsets still hold)."""
    return _MORE_QUOTED.sub(_blank, QUOTED.sub(_blank, text))


def _blank_view(match: re.Match) -> str:
    """A reported belief blanked, its subject ("experts") kept."""
    who = match.group("who") or ""
    return who + " " * (len(match.group(0)) - len(who))


def without_look_alikes(text: str) -> str:
    """The text with "think tank", non-approximating "about" and reported beliefs blanked out (same length)."""
    return _REPORTED_VIEW.sub(_blank_view, _NOT_MARKERS.sub(_blank, text))


def modality(text: str) -> tuple[str, str]:
    """(strength, cue) of the strongest modal expression in the text that is not negated; ("none", "") when there
    is none."""
    text = _NEGATED_MODAL.sub(_blank, MONTH_MAY.sub("   ", text))
    best = ("none", "")
    for strength, cues in MODALITY.items():
        found = find(text, _longest_first(cues))
        if found and MODALITY_RANK[strength] > MODALITY_RANK[best[0]]:
            best = (strength, found[0])
    return best


@functools.lru_cache(maxsize=1)
def _all_markers() -> tuple[tuple[str, ...], frozenset]:
    lists = word_lists()
    return _longest_first(set(lists["hedges"]) | set(lists["boosters"])), frozenset(lists["boosters"])


def _hedges_and_boosters(text: str) -> tuple[list[str], list[str]]:
    """Hedges and boosters found in one pass, longest phrase first, so "there is no doubt" is a booster
    and its "doubt" is never also a hedge."""
    phrases, boosters = _all_markers()
    found = find(text, phrases)
    return [f for f in found if f not in boosters], [f for f in found if f in boosters]


def markers(text: str, reported: list[tuple[int, int]] = ()) -> dict:
    """Hedges, boosters and modality of one sentence, the author's words apart from quoted words and from the
    ``reported`` character spans (clauses the sentence reports from someone else, found on its parse:
    :func:`opedlens.measure.recommendations.reported_spans`); those count as ``quoted_markers``."""
    text = without_look_alikes(text)
    own = unquoted(text)
    for start, end in reported:
        own = own[:start] + " " * (end - start) + own[end:]
    hedges, boosters = _hedges_and_boosters(own)
    strength, cue = modality(own)
    quoted = sum(map(len, _hedges_and_boosters(text.replace("''", '  ')))) - len(hedges) - len(boosters)
    return {"hedges": "; ".join(hedges), "n_hedges": len(hedges), "boosters": "; ".join(boosters),
            "n_boosters": len(boosters), "modality": strength, "modal": cue, "quoted_markers": quoted}


def stance_markers(sentences: pd.DataFrame, reported: list | None = None, ahead: list | None = None) -> pd.DataFrame:
    """One row per sentence: doc_id, sent_id, its stance markers and whether it looks ahead. ``reported``: per
    sentence, the character spans of clauses it reports from others (see :func:`markers`); none when not given.
    ``ahead``: per sentence, :func:`opedlens.measure.outlook.looks_ahead` of its parse (parsed here when not
    given)."""
    reported = [()] * len(sentences) if reported is None else reported
    if ahead is None:
        from opedlens.measure import nlp, outlook

        ahead = [outlook.looks_ahead(doc) for doc in nlp.parse(sentences["text"].tolist(), entities=False)]
    rows = [markers(text, spans) for text, spans in zip(sentences["text"], reported)]
    out = pd.DataFrame(rows, index=sentences.index,
                       columns=["hedges", "n_hedges", "boosters", "n_boosters", "modality", "modal", "quoted_markers"])
    out["looks_ahead"] = pd.Series(ahead, index=sentences.index, dtype=bool)
    return pd.concat([sentences[["doc_id", "sent_id"]], out], axis=1).reset_index(drop=True)


def profile(markers_table: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per article: hedges and boosters per 100 words, and the share of sentences at each modality strength."""
    words = sentences.groupby("doc_id", sort=False)["n_words"].sum()
    grouped = markers_table.groupby("doc_id", sort=False)
    out = pd.DataFrame({
        "sentences": grouped.size(),
        "hedges_per_100_words": grouped["n_hedges"].sum() / words * 100,
        "boosters_per_100_words": grouped["n_boosters"].sum() / words * 100,
    })
    for strength in ("strong", "medium", "weak"):
        out[f"share_{strength}_modality"] = grouped["modality"].apply(lambda s, v=strength: (s == v).mean())
    return out.round(3).reset_index()
