"""Argument units: each sentence's role in the argument, its evidence type and its stance markers.

A role is given by transparent rules, in this order of precedence (``role_reason`` says which fired):

1. **recommendation**: the sentence holds a recommendation (:mod:`opedlens.measure.recommendations`);
2. **counter-argument**: a cited view the author then rejects: a sentence that reports a source and
   is followed by one that opens with a contrast ("The problem is, ...", "But", "However");
   **concession**: a sentence that opens by conceding ("Admittedly", "Of course", "To be sure");
   "Although X, Y" asserts Y and stays a claim;
3. **premise**: a sentence with a premise indicator (Canary's list: "because", "given that", "for
   example", ...), or evidence (testimony, statistics, anecdote) in a paragraph that makes a claim
   or a recommendation, or right before or after such a sentence;
4. **claim**: the author's own assertion (evidence type *assumption* or *common-ground*) or a sentence
   with a claim indicator ("therefore", "in short", "clearly", ...);
5. **background**: evidence with no claim in its paragraph or next to it: the events the argument
   starts from.

Then one claim or recommendation per article becomes its **main claim**: the one closest in meaning
to the headline and to the article as a whole (sum of the two MiniLM cosines). These roles
are rule-based and have no human gold standard to be scored against; the evidence types do
(``opedlens validate evidence``).
"""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pandas as pd

from opedlens.measure.recommendations import AUTHOR
from opedlens.measure.stance import LEXICON_DIR, _longest_first, find

EVIDENCE_TYPES = ("testimony", "statistics", "anecdote", "assumption", "common-ground", "other")
FACTUAL = {"testimony", "statistics", "anecdote"}
ROLES = ("main claim", "claim", "recommendation", "premise", "counter-argument", "concession", "background")
# Sentence-level concessions only: "Although X, Y" makes the claim Y, so it stays a claim.
CONCEDING = re.compile(r"^\s*(?:admittedly|granted|of course|to be sure|it is true that|true,|no doubt)\b",
                       re.IGNORECASE)
CONTRASTING = re.compile(r"^\s*(?:but|however|the problem is|the trouble is|the truth is|in fact|in truth|"
                         r"on the contrary|nevertheless|nonetheless)\b", re.IGNORECASE)
# Conclusion markers missing from Canary's list.
MORE_CLAIM_INDICATORS = {"in a nutshell", "in sum", "all in all", "the bottom line", "in other words"}
# Canary's one-word premise cues "as", "for" and "since" are mostly prepositions in news prose.
NOISY_INDICATORS = {"as", "for", "since", "sx"}
UNIT_COLUMNS = ["doc_id", "para_id", "sent_id", "role", "role_reason", "evidence", "evidence_p", "speaker",
                "indicator", "hedges", "n_hedges", "boosters", "n_boosters", "modality", "modal",
                "recommendations", "text"]


@functools.lru_cache(maxsize=1)
def indicators() -> dict[str, tuple[str, ...]]:
    """Canary's argument indicator phrases: ``claim`` (with its 'major' claims) and ``premise``."""
    raw = json.loads((LEXICON_DIR / "canary_argument_indicators.json").read_text(encoding="utf-8"))
    merged: dict[str, set[str]] = {"claim": set(MORE_CLAIM_INDICATORS), "premise": set()}
    for block in raw["indicators"]:
        for kind, phrases in block.items():
            target = "premise" if kind == "premise" else "claim"
            merged[target] |= {p.lower() for p in phrases} - NOISY_INDICATORS
    return {kind: _longest_first(phrases) for kind, phrases in merged.items()}


def _indicator(text: str) -> tuple[str, str]:
    """(kind, phrase) of the first argument indicator in the text, or ("", "")."""
    hits = []
    for kind, phrases in indicators().items():
        for match in find(text, phrases)[:1]:
            hits.append((text.lower().find(match), kind, match))
    if re.match(r"^\s*since\b", text, re.IGNORECASE):
        hits.append((0, "premise", "since"))
    return (min(hits)[1], min(hits)[2]) if hits else ("", "")


def _roles_in_article(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(role, reason) for each sentence of one article, in order."""
    claiming = ((frame["n_recommendations"] > 0) | frame["evidence"].isin(["assumption", "common-ground"])).tolist()
    claim_paragraphs = set(frame.loc[claiming, "para_id"])
    # Op-eds often set one sentence per paragraph, so a neighbouring claim counts as "beside" too.
    beside = [claiming[i - 1] if i else False for i in range(len(claiming))]
    beside = [b or (i + 1 < len(claiming) and claiming[i + 1]) for i, b in enumerate(beside)]
    texts, cited = frame["text"].tolist(), frame["speaker"].ne("").tolist()
    out = []
    for i, row in enumerate(frame.itertuples(index=False)):
        following = texts[i + 1] if i + 1 < len(texts) else ""
        kind, phrase = _indicator(row.text)
        if row.n_recommendations:
            out.append(("recommendation", f"recommends ({row.recommendations})"))
        elif cited[i] and (CONTRASTING.match(following) or
                           (i + 2 < len(texts) and cited[i + 1] and CONTRASTING.match(texts[i + 2]))):
            out.append(("counter-argument", f"cites {row.speaker}, then the author objects"))
        elif CONCEDING.match(row.text):
            out.append(("concession", f"opens by conceding ({CONCEDING.match(row.text).group(0).strip().lower()})"))
        elif kind == "premise":
            out.append(("premise", f"premise indicator '{phrase}'"))
        elif row.evidence in FACTUAL and (row.para_id in claim_paragraphs or beside[i]):
            out.append(("premise", f"{row.evidence} beside a claim"))
        elif row.evidence in FACTUAL:
            out.append(("background", f"{row.evidence}, no claim in its paragraph or next to it"))
        elif kind == "claim":
            out.append(("claim", f"claim indicator '{phrase}'"))
        else:
            out.append(("claim", f"the author's own {row.evidence}"))
    return out


def _main_claims(units: pd.DataFrame, titles: dict[str, str]) -> pd.Series:
    """The index of each article's main claim: its claim or recommendation closest in meaning to both the
    headline and the article as a whole (sum of the two MiniLM cosines; the centroid alone without a headline)."""
    from opedlens.measure import embed

    candidates = units[units["role"].isin(["claim", "recommendation"])]
    if candidates.empty:
        return pd.Series(dtype=int)
    vectors = embed.sentence_vectors(units["text"])
    doc_of = units["doc_id"].to_numpy()
    docs = list(dict.fromkeys(candidates["doc_id"]))
    headlines = [titles.get(d) or "" for d in docs]
    headline_vectors = dict(zip(docs, embed.sentence_vectors(headlines))) if any(headlines) else {}
    position = pd.Series(np.arange(len(units)), index=units.index)
    chosen = {}
    for doc_id, group in candidates.groupby("doc_id", sort=False):
        centroid = vectors[doc_of == doc_id].mean(axis=0)
        anchor = centroid / np.linalg.norm(centroid)
        if isinstance(titles.get(doc_id), str) and titles[doc_id].strip():
            anchor = anchor + headline_vectors[doc_id]
        scores = vectors[position[group.index].to_numpy()] @ anchor
        chosen[doc_id] = group.index[int(np.argmax(scores))]
    return pd.Series(chosen)


def argument_units(sentences: pd.DataFrame, evidence: pd.DataFrame, markers: pd.DataFrame,
                   recommendations: pd.DataFrame, sources: pd.DataFrame,
                   titles: dict[str, str] | pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per sentence: role (and why), evidence type, cited speaker, indicator, stance markers.

    ``evidence`` is aligned with ``sentences`` row by row (columns ``evidence``, ``evidence_p``);
    ``markers``, ``recommendations`` (only the author's own count) and ``sources`` are keyed by sent_id;
    ``titles`` maps doc_id to headline (a dict, or the articles table with doc_id and title columns).
    """
    if isinstance(titles, pd.DataFrame):
        titles = dict(zip(titles["doc_id"], titles["title"].fillna("")))
    frame = sentences[["doc_id", "para_id", "sent_id", "text"]].reset_index(drop=True).copy()
    frame["evidence"] = evidence["evidence"].to_numpy()
    frame["evidence_p"] = evidence["evidence_p"].round(3).to_numpy()
    if "proposer" in recommendations:  # a proposal the article reports (a court's ruling, a quote) is not the author's
        recommendations = recommendations[recommendations["proposer"] == AUTHOR]
    recs = recommendations.groupby("sent_id", sort=False)["rec_id"].agg(lambda r: "; ".join(r))
    frame["recommendations"] = frame["sent_id"].map(recs).fillna("")
    frame["n_recommendations"] = frame["sent_id"].map(recommendations["sent_id"].value_counts()).fillna(0).astype(int)
    speakers = sources.groupby("sent_id", sort=False)["speaker"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    frame["speaker"] = frame["sent_id"].map(speakers).fillna("")
    frame["indicator"] = [_indicator(t)[1] for t in frame["text"]]
    frame = frame.merge(markers.drop(columns=["doc_id", "quoted_markers", "looks_ahead"], errors="ignore"), on="sent_id",
                        how="left")
    frame["role"], frame["role_reason"] = "", ""
    for _, article in frame.groupby("doc_id", sort=False):
        found = _roles_in_article(article)
        frame.loc[article.index, "role"] = [role for role, _ in found]
        frame.loc[article.index, "role_reason"] = [why for _, why in found]
    for doc_id, index in _main_claims(frame, titles or {}).items():
        frame.loc[index, "role_reason"] = f"closest to headline and article; {frame.loc[index, 'role']}: " \
                                          f"{frame.loc[index, 'role_reason']}"
        frame.loc[index, "role"] = "main claim"
    return frame[UNIT_COLUMNS]


CLAIM_ROLES = ("main claim", "claim", "recommendation")


