"""Seconds per spaCy component on the same sentences, with spaCy's own matcher in the attribute ruler and with
opedlens's (``opedlens.measure.attribute_matcher``), and whether the two give the same matches.

Usage::

    .venv/bin/python benchmarks/parse_speed.py [--n 4000] [--repeat 2]

The sentences are the first N of EmoBank (CC BY-SA 4.0, in ../shared/data), each parsed on its own as
``opedlens measure`` parses them (no entity recognizer). Every component runs over all sentences before the next
(in batches of ``nlp.BATCH_SIZE``), so its time is its own; the last repeat is printed (the first warms caches).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from opedlens.measure import nlp
from opedlens.paths import GOLD_DIR


def component_seconds(pipeline, texts: list[str]) -> tuple[dict[str, float], list]:
    """Seconds of the tokenizer and of each component but the entity recognizer, and the parsed docs."""
    seconds = {}
    started = time.perf_counter()
    docs = [pipeline.make_doc(nlp.for_parser(text)) for text in texts]
    seconds["tokenizer"] = time.perf_counter() - started
    for name, component in pipeline.pipeline:
        if name == nlp.NER:
            continue
        started = time.perf_counter()
        docs = list(component.pipe(docs, batch_size=nlp.BATCH_SIZE))
        seconds[name] = time.perf_counter() - started
    return seconds, docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    path = GOLD_DIR / "sentiment" / "emobank" / "emobank.csv"
    if not path.exists():
        print(f"{path} not found: nothing to measure")
        return
    texts = pd.read_csv(path, dtype=str, keep_default_na=False)["text"].head(args.n).tolist()
    pipeline = nlp.load()
    ruler = pipeline.get_pipe("attribute_ruler")
    faster = ruler.match
    results = {}
    for label in ("spaCy's matcher", "attribute_matcher"):
        if label == "spaCy's matcher":
            del ruler.match  # the class's method: spaCy's Matcher
        else:
            ruler.match = faster
        for _ in range(args.repeat):
            results[label] = component_seconds(pipeline, texts)
    tokens = sum(len(doc) for doc in results["attribute_matcher"][1])
    print(f"{len(texts):,} EmoBank sentences, {tokens:,} tokens; seconds per component (last of {args.repeat} runs)")
    table = pd.DataFrame({label: seconds for label, (seconds, _) in results.items()}).round(2)
    table.loc["total"] = table.sum()
    print(table.to_string())
    same = all([(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in a] ==
               [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in b]
               for a, b in zip(results["spaCy's matcher"][1], results["attribute_matcher"][1]))
    print("same parts of speech, morphology, lemmas, tags and dependencies for every token:", same)


if __name__ == "__main__":
    main()
