"""Runs inside .venv-bench (scattertext + gensim), never imports opedlens: reads a JSON job, writes results.

    .venv-bench/bin/python benchmarks/_reference_impls.py job.json result.json
"""

import json
import sys

import numpy as np
import pandas as pd


def main(job_path: str, result_path: str) -> None:
    job = json.load(open(job_path))
    from scattertext.termsignificance.LogOddsRatioInformativeDirichletPiror import LogOddsRatioInformativeDirichletPrior

    a, b = np.array(job["a"], dtype=float), np.array(job["b"], dtype=float)
    scorer = LogOddsRatioInformativeDirichletPrior(priors=pd.Series(a + b, index=job["terms"]),
                                                   sigma=job["prior_strength"], scale_type="word")
    z = scorer.get_zeta_i_j_given_separate_counts(a, b)

    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel, LdaModel

    vocab = set(job["terms"])
    texts = [[w for w in unit if w in vocab] for unit in job["texts"]]
    dictionary = Dictionary(texts)
    bow = [dictionary.doc2bow(t) for t in texts]
    runs = []
    for seed in job["seeds"]:
        lda = LdaModel(bow, id2word=dictionary, num_topics=job["k"], random_state=seed, passes=50, iterations=400)
        runs.append([[w for w, _ in lda.show_topic(t, topn=10)] for t in range(job["k"])])
    c_npmi = {name: CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence="c_npmi").get_coherence()
              for name, topics in (("gensim", runs[0]), ("opedlens", job["our_topics"]))}
    json.dump({"z": [float(x) for x in np.asarray(z)], "gensim_topics": runs, "c_npmi": c_npmi}, open(result_path, "w"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
