"""Topics and keyness against independent implementations, and the topic notebook on 133 editorials.

1. Keyness: opedlens' log-odds z-scores vs scattertext's LogOddsRatioInformativeDirichletPrior on the
   seed corpus (same counts, same prior): Spearman over terms.
2. Coherence: the chosen topic model's NPMI vs gensim's LdaModel with the same k on the same units
   (both scored by opedlens' NPMI, and by gensim's own c_npmi), over 10 seeds.
3. The notebook 03 pipeline on the Webis-Editorials-16 DEV editorials grouped by outlet (if
   ../shared/data is there): chosen model, coherence, stability and run time.

scattertext and gensim live in .venv-bench (`make bench-topics` creates it), never in the project's
environment. Run from the project root:

    make bench-topics
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from opedlens.compare import keyness, topics, vocabulary
from opedlens.corpus.load import load_corpus
from opedlens.paths import GOLD_DIR, PROJECT_ROOT, SEEDS_DIR

BENCH_PYTHON = PROJECT_ROOT / ".venv-bench" / "bin" / "python"
SEED = 20190912
SEEDS = list(range(SEED, SEED + 10))


def seed_corpus_checks(tmp: Path) -> None:
    corpus = load_corpus(SEEDS_DIR)
    units = vocabulary.units(corpus)
    key_terms = vocabulary.document_terms(units, min_df=1)
    side_a, side_b = corpus.doc_ids[:1], corpus.doc_ids[1:2]
    a, b = keyness.side_counts(key_terms, units, side_a, side_b)
    _, ours_z = keyness.log_odds_dirichlet(a, b, keyness.PRIOR_STRENGTH)

    terms = vocabulary.document_terms(units)
    started = time.perf_counter()
    curves = topics.k_curves(terms, range(2, 9), topics.MODELS, SEEDS)
    selection_seconds = time.perf_counter() - started
    model, k = topics.chosen(curves)
    ours = [topics.top_terms(topics.fit(terms, model, k, s), terms.terms) for s in SEEDS]
    job = {"a": a.tolist(), "b": b.tolist(), "terms": key_terms.terms.tolist(), "prior_strength": keyness.PRIOR_STRENGTH,
           "texts": terms.lemmas, "k": k, "seeds": SEEDS, "our_topics": ours[0]}
    # gensim's LDA reads the topic model's vocabulary; keyness terms go with their own counts
    job_path, result_path = tmp / "job.json", tmp / "result.json"
    job["texts"] = [[w for w in unit if w in set(terms.terms)] for unit in terms.lemmas]
    job_path.write_text(json.dumps(job))
    subprocess.run([str(BENCH_PYTHON), str(Path(__file__).with_name("_reference_impls.py")), str(job_path),
                    str(result_path)], check=True)
    result = json.loads(result_path.read_text())

    rho = spearmanr(ours_z, result["z"])[0]
    print(f"keyness z vs scattertext LogOddsRatioInformativeDirichletPrior: Spearman {rho:.6f} over {len(ours_z)} terms, "
          f"max |difference| {np.max(np.abs(ours_z - np.array(result['z']))):.2e}")
    ours_npmi = [float(np.mean(topics.npmi(r, terms))) for r in ours]
    gensim_npmi = [float(np.mean(topics.npmi(r, terms))) for r in result["gensim_topics"]]
    print(f"topic model chosen on the seeds: {model.upper()} k={k} (selection over k=2..8, 2 models x 10 seeds: "
          f"{selection_seconds:.1f} s)")
    print(f"NPMI (opedlens measure, {len(units)} paragraph units), mean over 10 seeds: opedlens {model.upper()} "
          f"{np.mean(ours_npmi):.4f} (seed {SEED}: {ours_npmi[0]:.4f}) vs gensim LdaModel k={k} {np.mean(gensim_npmi):.4f} "
          f"(seed {SEED}: {gensim_npmi[0]:.4f})")
    print(f"gensim c_npmi (sliding window), seed {SEED}: opedlens {result['c_npmi']['opedlens']:.4f} vs "
          f"gensim {result['c_npmi']['gensim']:.4f}")


def webis_run(tmp: Path) -> None:
    source = GOLD_DIR / "arguments" / "webis_editorials16" / "dev"
    if not source.is_dir():
        print(f"Webis run skipped: {source} not found")
        return
    folder = tmp / "webis-corpus"
    subprocess.run([sys.executable, str(Path(__file__).with_name("webis_corpus.py")), "--out", str(folder)], check=True,
                   capture_output=True)
    output = tmp / "webis-out"
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("papermill")), "-k", "opedlens", "--log-level", "ERROR",
                    str(PROJECT_ROOT / "notebooks" / "03-model-topics.ipynb"), str(tmp / "03-webis.ipynb"),
                    "-p", "corpus_dir", str(folder), "-p", "group_by", "outlet", "-p", "output_dir", str(output),
                    "-p", "jobs", "2"],
                   check=True)
    seconds = time.perf_counter() - started
    import pandas as pd

    curves = pd.read_csv(output / "tables" / "03-k-selection.csv")
    pick = curves[curves["chosen"]].iloc[0]
    n_units = len(pd.read_csv(output / "tables" / "03-units.csv"))
    print(f"Webis DEV, 133 editorials, {n_units} paragraph units, grouped by outlet: notebook 03 ran in {seconds:.0f} s (2 processes); "
          f"chosen {pick['model'].upper()} k={int(pick['k'])}, mean NPMI {pick['npmi']:.4f}, stability {pick['stability']:.3f}")
    print(curves[["model", "k", "npmi", "stability", "stable_enough", "chosen"]].to_string(index=False))


def main() -> int:
    if not BENCH_PYTHON.exists():
        print("needs .venv-bench with scattertext and gensim: run `make bench-topics`")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        seed_corpus_checks(Path(tmp))
        webis_run(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
