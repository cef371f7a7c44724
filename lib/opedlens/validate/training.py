"""How the shipped models are trained (``make models``), and refitted for honest validation.

Sentence valence: EmoBank (CC BY-SA 4.0, all 10,062 sentences) + the NYT editorial snippets
(MIT, the 2,447 of the DEV half), both rescaled to -1..+1. Targeted sentiment: NewsMTSC
``train.jsonl``. All read from ``../shared/data``; only the fitted arrays ship.

When a gold file overlaps a model's training data, :func:`cross_validated` refits the model
with whole documents held out (5 folds grouped by document), so no sentence is scored by a
model that saw it.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from opedlens.errors import InputError
from opedlens.files import write_atomic
from opedlens.measure import features, models
from opedlens.paths import MODELS_DIR, SCRATCH_DIR
from opedlens.validate import gold

CACHE_DIR = SCRATCH_DIR / "cache"

SEED = 0
FOLDS = 5
VALENCE_SETS = ("sentiment/emobank/emobank.csv", "sentiment/nyt_editorials/ground_truth_dev.tsv")
TARGET_SET = "sentiment/newsmtsc/train.jsonl"
# Hyper-parameters chosen once by grouped cross-validation on the NYT DEV half (see models/README.md).
SETTINGS = {
    "accurate": {"components": 1000, "gamma_scale": 1.0, "alpha": 1.0},
    "fast": {"components": 1000, "gamma_scale": 0.5, "alpha": 1.0},
}
TARGETED_C = 0.01


def valence_training_set() -> pd.DataFrame:
    """id, text, gold, group, source for every training sentence."""
    frames = []
    for relative in VALENCE_SETS:
        frame = gold.read_valence(gold.training_data(relative))
        frame["source"] = relative
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def fit_valence(name: str, X: np.ndarray, y: np.ndarray, texts, meta: dict | None = None) -> models.Model:
    """Standardise -> Nystroem RBF features -> ridge, captured as a plain-array model."""
    from sklearn.kernel_approximation import Nystroem
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import StandardScaler

    settings = SETTINGS[name]
    scaler = StandardScaler().fit(X)
    Z = scaler.transform(X)
    nystroem = Nystroem(gamma=settings["gamma_scale"] / X.shape[1], n_components=settings["components"],
                        random_state=SEED).fit(Z)
    ridge = Ridge(alpha=settings["alpha"]).fit(nystroem.transform(Z), y)
    return models.from_kernel_ridge(scaler, nystroem, ridge, {"scorer": name, **settings, **(meta or {})}, texts)


def fit_targeted(X: np.ndarray, y: np.ndarray, texts, meta: dict | None = None) -> models.Model:
    """Standardise -> multinomial logistic regression over negative / neutral / positive."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    logistic = LogisticRegression(C=TARGETED_C, max_iter=3000).fit(scaler.transform(X), y)
    return models.from_logistic(scaler, logistic, {"C": TARGETED_C, **(meta or {})}, texts)


def targeted_features(frame: pd.DataFrame) -> np.ndarray:
    """Features for the targets of a NewsMTSC-like frame (text, start, end), cached."""
    key = frame["text"] + frame["start"].astype(str) + frame["end"].astype(str)
    return cached("targeted", key, lambda: features.targeted_for(frame["text"], frame["start"], frame["end"]))


def cached(kind: str, texts, compute) -> np.ndarray:
    """Feature matrices of training and gold sets, kept in scratch/cache so re-validating does not re-embed
    thousands of sentences; keyed by the texts and by the code that computes features (the encoder, the lexicons,
    the feature definitions), so a change to that code computes them anew."""
    import hashlib

    from opedlens import cache

    code = cache.code_version("opedlens.measure.embed", "opedlens.measure.features", "opedlens.measure.lexicon")
    digest = hashlib.sha256((code + "\x1f" + "\x1e".join(map(str, texts))).encode("utf-8")).hexdigest()[:16]
    path = CACHE_DIR / f"{kind}-{digest}.npy"
    if path.exists():
        return np.load(path)
    values = compute()
    buffer = io.BytesIO()
    np.save(buffer, values)
    write_atomic(path, buffer.getvalue())  # an interrupted run never leaves a truncated cache file
    return values


def valence_features(name: str, texts: list[str]) -> np.ndarray:
    """Features of a trained valence scorer, cached."""
    return cached(f"valence-{name}", texts, lambda: features.fast(texts) if name == "fast" else features.accurate(texts))


def folds(groups: np.ndarray, n_folds: int = FOLDS) -> list[np.ndarray]:
    """Deterministic fold number per item, whole groups together."""
    from sklearn.model_selection import GroupKFold

    assignment = np.zeros(len(groups), dtype=int)
    for k, (_, test) in enumerate(GroupKFold(n_splits=min(n_folds, len(set(groups)))).split(groups, groups=groups)):
        assignment[test] = k
    return assignment


def train_models(out_dir=MODELS_DIR, log=print, only=None) -> dict[str, models.Model]:
    """Fit and save the shipped models (or only those named in ``only``: fast, accurate, targeted, evidence);
    returns them."""
    wanted = set(only or ("fast", "accurate", "targeted", "evidence"))
    trained = {}
    if wanted & {"fast", "accurate"}:
        data = valence_training_set()
        texts = data["text"].tolist()
        meta = {"training_sets": list(VALENCE_SETS), "n_train": len(data), "seed": SEED}
        for name in ("fast", "accurate"):
            if name not in wanted:
                continue
            log(f"features for {name} ({len(texts)} sentences)...")
            X = valence_features(name, texts)
            trained[name] = fit_valence(name, X, data["gold"].to_numpy(), texts, meta)
            trained[name].save(out_dir / f"sentiment-{name}.npz")
    if "targeted" in wanted:
        targets = gold.read_targets(gold.training_data(TARGET_SET))
        log(f"features for targeted ({len(targets)} targets)...")
        trained["targeted"] = fit_targeted(targeted_features(targets), targets["gold"].to_numpy(), targets["text"],
                                           {"training_sets": [TARGET_SET], "n_train": len(targets), "seed": SEED})
        trained["targeted"].save(out_dir / "targeted.npz")
    if "evidence" in wanted:
        trained["evidence"] = train_evidence(out_dir, log)
    return trained


# --- Evidence types (opedlens.measure.evidence) ------------------------------------------------------------

EVIDENCE_SET = "arguments/ibm_ce_emnlp2015"
#: IBM Debater evidence types -> Webis-Editorials-16 labels; claims are the author's own claims (assumption).
EVIDENCE_TYPES = {"STUDY": "statistics", "EXPERT": "testimony", "ANECDOTAL": "anecdote"}
EVIDENCE_C = 0.01
#: Label mix the classifier is re-weighted to: op-eds are mostly the author's own claims (in the Webis corpus
#: paper roughly two thirds of the units are assumptions); round numbers over the four model labels, not fitted.
EVIDENCE_PRIOR = {"anecdote": 0.2, "assumption": 0.6, "statistics": 0.07, "testimony": 0.13}
#: Op-ed-like sentences (NYT editorial snippets, EmoBank newspaper/letters) labelled by the developers in the
#: Webis scheme; see data/README-evidence.md. Only rows with the model's four labels are trained on.
EVIDENCE_OPINION_FILE = MODELS_DIR.parent / "data" / "evidence-opinion-sentences.csv"
#: Weight of one labelled op-ed sentence relative to one IBM sentence, chosen once by 5-fold cross-validation
#: grouped by article on the labelled sentences themselves (benchmarks/evidence_opinion_weight.py; models/README.md).
EVIDENCE_OPINION_WEIGHT = 4.0


def _ibm_rows(path, columns: int) -> list[list[str]]:
    rows = []
    for line, record in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line == 1 or not record.strip():
            continue
        fields = record.split("\t")
        if len(fields) != columns:
            raise InputError(f"line {line}: expected {columns} tab-separated fields, found {len(fields)}", path)
        rows.append(fields)
    return rows


def evidence_training_set(opinion_weight: float | None = None) -> pd.DataFrame:
    """text, label, group, source, weight for every evidence training sentence.

    IBM Debater CE-EMNLP-2015: single-typed evidence (STUDY -> statistics, EXPERT -> testimony, ANECDOTAL ->
    anecdote) and the claims (-> assumption), group = the debate topic, weight 1. Evidence with several types is
    left out; duplicates (the same text under two claims) are kept once. Then the hand-labelled op-ed sentences
    (:data:`EVIDENCE_OPINION_FILE`) with one of the model's four labels, group = their article (NYT) or document
    (EmoBank), weight ``opinion_weight`` (default :data:`EVIDENCE_OPINION_WEIGHT`; 0 leaves them out)."""
    from opedlens.measure import evidence

    weight = EVIDENCE_OPINION_WEIGHT if opinion_weight is None else opinion_weight
    folder = gold.training_data(EVIDENCE_SET)
    rows = []
    for topic, _, text, kind in _ibm_rows(folder / "evidence.txt", 4):
        types = [t.strip() for t in kind.strip().strip("[]").split(",")]
        if len(types) == 1 and types[0] in EVIDENCE_TYPES:
            rows.append((evidence.clean(text), EVIDENCE_TYPES[types[0]], topic))
    for topic, original, _ in _ibm_rows(folder / "claims.txt", 3):
        rows.append((evidence.clean(original), "assumption", topic))
    frame = pd.DataFrame(rows, columns=["text", "label", "group"])
    frame = frame[frame["text"].str.len() > 0].drop_duplicates("text", keep="first").reset_index(drop=True)
    frame["source"], frame["weight"] = EVIDENCE_SET, 1.0
    if weight:
        opinion = evidence_opinion_sentences()
        opinion = opinion[opinion["label"].isin(set(EVIDENCE_PRIOR))]
        opinion = opinion[~opinion["text"].isin(set(frame["text"]))]
        frame = pd.concat([frame, opinion.assign(source="opinion", weight=float(weight))[frame.columns]],
                          ignore_index=True)
    frame["gold"] = frame["label"].map(evidence.LABELS.index)
    return frame


def evidence_opinion_sentences() -> pd.DataFrame:
    """The hand-labelled op-ed sentences: source, source_id, text (cleaned), label, group."""
    from opedlens.measure import evidence

    try:
        frame = pd.read_csv(EVIDENCE_OPINION_FILE, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError("labelled sentences missing from the installed package", EVIDENCE_OPINION_FILE) from None
    frame["text"] = frame["text"].map(evidence.clean)
    document = [_document_of(s, i) for s, i in zip(frame["source"], frame["source_id"])]
    frame["group"] = [f"{s}:{d}" for s, d in zip(frame["source"], document)]
    return frame


def _document_of(source: str, sentence_id: str) -> str:
    """The article a labelled sentence comes from. NYT ids are article_sentence; EmoBank ids document_start_end;
    NewsMTSC ids open with the article ("polusa_v1_4618518_...") or the story of several outlets' articles
    ("allsides_1000_401_..."; grouped by story)."""
    parts = sentence_id.split("_")
    if source == "nyt":
        return parts[0]
    if source == "newsmtsc":
        return "_".join(parts[:3] if parts[0] == "polusa" else parts[:2])
    return sentence_id.rsplit("_", 2)[0]


def evidence_features(texts) -> np.ndarray:
    """Features of the evidence classifier (MiniLM + surface); the embeddings are cached."""
    from opedlens.measure import embed, evidence

    texts = [evidence.clean(t) for t in texts]
    return evidence.features(texts, cached("evidence-minilm", texts, lambda: embed.load().encode(texts).sentences))


def fit_evidence(X: np.ndarray, y: np.ndarray, texts, meta: dict | None = None,
                 prior: dict | None = EVIDENCE_PRIOR, sample_weight: np.ndarray | None = None) -> models.Model:
    """Standardise -> multinomial logistic regression (balanced class weights) over the labels in ``y``
    (indices into evidence.LABELS); ``prior`` is the label mix predictions are re-weighted to (None: keep the
    balanced training mix). With ``sample_weight`` the classes are balanced on their summed weights, so every
    class still carries the same total weight."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from opedlens.measure import evidence

    scaler = StandardScaler().fit(X)
    if sample_weight is None:
        logistic = LogisticRegression(C=EVIDENCE_C, max_iter=5000, class_weight="balanced")
        logistic.fit(scaler.transform(X), y)
    else:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        classes, index = np.unique(y, return_inverse=True)
        totals = np.bincount(index, weights=sample_weight)
        balanced = sample_weight * sample_weight.sum() / (len(classes) * totals[index])
        logistic = LogisticRegression(C=EVIDENCE_C, max_iter=5000).fit(scaler.transform(X), y, sample_weight=balanced)
    model = models.from_logistic(scaler, logistic, {"C": EVIDENCE_C, "labels": list(evidence.LABELS),
                                                    "prior": prior, **(meta or {})}, texts)
    k = len(logistic.classes_)
    model.arrays["train_prior"] = np.full(k, 1.0 / k)  # balanced weights: the fit sees every class equally often
    target = np.array([prior[evidence.LABELS[c]] for c in logistic.classes_]) if prior else np.full(k, 1.0 / k)
    model.arrays["target_prior"] = target / target.sum()
    return model


def train_evidence(out_dir=MODELS_DIR, log=print) -> models.Model:
    """Fit and save evidence.npz from IBM Debater's claims and evidence and the labelled op-ed sentences."""
    data = evidence_training_set()
    log(f"features for evidence ({len(data)} sentences)...")
    sources = sorted(set(data["source"]))
    model = fit_evidence(evidence_features(data["text"]), data["gold"].to_numpy(), data["text"],
                         {"training_sets": [EVIDENCE_SET] + (["data/evidence-opinion-sentences.csv"]
                                                             if "opinion" in sources else []),
                          "n_train": len(data), "seed": SEED, "opinion_weight": EVIDENCE_OPINION_WEIGHT,
                          "n_per_label": {k: int(v) for k, v in sorted(data["label"].value_counts().items())},
                          "n_per_source": {k: int(v) for k, v in sorted(data["source"].value_counts().items())}},
                         sample_weight=data["weight"].to_numpy())
    model.save(out_dir / "evidence.npz")
    return model
