"""Which words set two articles (or two groups of articles) apart, and where they occur.

The main measure is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn
2008, "Fightin' words"): the prior is the pooled frequency of each term in both sides, scaled to
``prior_strength`` pseudo-counts, and each term gets a z-score (estimate / its standard error, with
all four terms of the variance of the log-odds difference, as scattertext computes it; the paper's
eq. 20 keeps the two dominant ones, which gives slightly larger |z|). Beside
it: Pearson's chi-squared (2 x 2, no continuity correction) and pointwise mutual information of the term
with side A. Keyword-in-context lines carry sentence ids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opedlens.compare import vocabulary
from opedlens.errors import InputError

PRIOR_STRENGTH = 500.0


def side_counts(dt: vocabulary.DocumentTerms, units: pd.DataFrame, side_a: list[str], side_b: list[str]):
    """Term counts (vectors over dt.terms) of the units of side A and of side B."""
    if not side_a or not side_b:
        raise InputError("keyness needs two sides with at least one article each")
    docs = units.set_index("unit_id").loc[dt.unit_ids, "doc_id"].to_numpy()
    a = np.asarray(dt.counts[np.isin(docs, side_a)].sum(0)).ravel().astype(float)
    b = np.asarray(dt.counts[np.isin(docs, side_b)].sum(0)).ravel().astype(float)
    return a, b


def log_odds_dirichlet(a: np.ndarray, b: np.ndarray, prior_strength: float = PRIOR_STRENGTH):
    """Monroe et al.'s delta (A vs B) and its z-score, with the pooled counts as the informative prior."""
    pooled = a + b
    alpha = pooled / pooled.sum() * prior_strength
    alpha0 = alpha.sum()
    n_a, n_b = a.sum(), b.sum()
    delta = (np.log((a + alpha) / (n_a + alpha0 - a - alpha))
             - np.log((b + alpha) / (n_b + alpha0 - b - alpha)))
    variance = 1 / (a + alpha) + 1 / (n_a + alpha0 - a - alpha) + 1 / (b + alpha) + 1 / (n_b + alpha0 - b - alpha)
    return delta, delta / np.sqrt(variance)


def chi_squared(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson chi-squared of each term's 2 x 2 table (term vs other terms, side A vs side B)."""
    n_a, n_b = a.sum(), b.sum()
    n = n_a + n_b
    observed = np.stack([a, b, n_a - a, n_b - b])
    row = np.stack([a + b, a + b, n - a - b, n - a - b])
    col = np.stack([np.full_like(a, n_a), np.full_like(a, n_b), np.full_like(a, n_a), np.full_like(a, n_b)])
    expected = row * col / n
    return ((observed - expected) ** 2 / expected).sum(0)


def pmi(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log2 P(term | side A) / P(term): above 0 when the term leans to A (-inf when A never uses it)."""
    with np.errstate(divide="ignore"):
        return np.log2((a / a.sum()) / ((a + b) / (a.sum() + b.sum())))


COLUMNS = ["term", "count_a", "count_b", "per_1000_a", "per_1000_b", "log_odds", "z", "chi2", "pmi_a", "leans_to"]


def keyness(dt: vocabulary.DocumentTerms, units: pd.DataFrame, side_a: list[str], side_b: list[str],
            prior_strength: float = PRIOR_STRENGTH, one_side_ok: bool = False) -> pd.DataFrame:
    """One row per term: counts and rates on each side, log-odds delta and z, chi-squared, PMI; by z.

    With ``one_side_ok`` a corpus with only one side (one article) gives an empty table instead of an error.
    """
    if one_side_ok and (not side_a or not side_b):
        return pd.DataFrame(columns=COLUMNS)
    a, b = side_counts(dt, units, side_a, side_b)
    delta, z = log_odds_dirichlet(a, b, prior_strength)
    frame = pd.DataFrame({
        "term": dt.terms, "count_a": a.astype(int), "count_b": b.astype(int),
        "per_1000_a": np.round(a / a.sum() * 1000, 3), "per_1000_b": np.round(b / b.sum() * 1000, 3),
        "log_odds": np.round(delta, 4), "z": np.round(z, 4), "chi2": np.round(chi_squared(a, b), 4),
        "pmi_a": np.round(pmi(a, b), 4),
    })
    frame["leans_to"] = np.where(frame["z"] > 0, " + ".join(side_a), " + ".join(side_b))
    return frame.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def by_group(dt: vocabulary.DocumentTerms, units: pd.DataFrame, plan, prior_strength: float = PRIOR_STRENGTH
             ) -> pd.DataFrame:
    """Keyness for every compared group: with two groups, the first against the second; with more, each group
    against all the others ("the rest"). One table with a ``group`` column (the group compared) and ``leans_to``
    naming the group or "the rest"; empty for a single article or group."""
    names = plan.names
    if len(names) < 2:
        return pd.DataFrame(columns=["group", *COLUMNS])
    comparisons = [(names[0], plan.groups[names[0]], names[1], plan.groups[names[1]])] if len(names) == 2 else [
        (name, plan.groups[name], "the rest", [d for other in names if other != name for d in plan.groups[other]])
        for name in names]
    frames = []
    for label_a, side_a, label_b, side_b in comparisons:
        table = keyness(dt, units, side_a, side_b, prior_strength)
        table["leans_to"] = np.where(table["z"] > 0, label_a, label_b)
        frames.append(table.assign(group=label_a))
    frame = pd.concat(frames, ignore_index=True)
    return frame[["group", *COLUMNS]]


def kwic(sentences: pd.DataFrame, term: str, width: int = 60, extra_stop_words=(), limit: int | None = None) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` (a lemma, or an n-gram of lemmas) with its sentence id."""
    target = term.lower().split()
    rows = []
    if not target:
        return pd.DataFrame(rows, columns=["doc_id", "sent_id", "term", "left", "keyword", "right"])
    for sent in sentences.itertuples(index=False):
        words = vocabulary.forms(sent.text)
        forms = [form for form, _, _ in words]
        for i in range(len(words) - len(target) + 1):
            if forms[i:i + len(target)] == target:
                start, end = words[i][1], words[i + len(target) - 1][2]
                rows.append({"doc_id": sent.doc_id, "sent_id": sent.sent_id, "term": term,
                             "left": sent.text[max(0, start - width):start].rjust(width),
                             "keyword": sent.text[start:end], "right": sent.text[end:end + width]})
    frame = pd.DataFrame(rows, columns=["doc_id", "sent_id", "term", "left", "keyword", "right"])
    return frame if limit is None else frame.head(limit)


def distinctive(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """The n terms leaning most to each side (by z), side A first; with a ``group`` column, the n terms that set
    each group apart from the others."""
    if "group" in table and table["group"].nunique() > 1:
        return (table[table["z"] > 0].sort_values(["group", "z"], ascending=[True, False], kind="stable")
                .groupby("group", sort=False).head(n).reset_index(drop=True))
    return pd.concat([table.head(n), table.tail(n).iloc[::-1]], ignore_index=True)


def kwic_for(sentences: pd.DataFrame, terms, per_term: int = 3, width: int = 60) -> pd.DataFrame:
    """Keyword-in-context lines for several terms, at most ``per_term`` each."""
    frames = [kwic(sentences, term, width, limit=per_term) for term in terms]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else kwic(sentences, "", width)
