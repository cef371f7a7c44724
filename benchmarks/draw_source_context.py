"""Draw the sentences of `lib/opedlens/data/source-context.csv`, the in-context gold set of `opedlens validate
sources`: sentences of the Webis-Editorials-16 DEV editorials (read from ../shared/data, research-only) whose speaker,
if any, a reader finds only in the sentences before: a "he", "she" or "they" beside a reporting verb ("he said",
"she argues", "said he"), or a sentence that opens with a quotation mark. The cue is a regular expression, not the
rules, so the draw does not lean on what the rules find.

Prints item, doc_id, sent_id, drawn (`pronoun` / `opens-quote`), the sentence's text digest and, for labelling by
hand, the title, the five sentences before and the sentence itself. Write it outside the project: the texts are
research-only; the shipped file keeps only ids, digests and labels.

    .venv/bin/python benchmarks/draw_source_context.py > /tmp/context-drawn.csv
"""

from __future__ import annotations

import csv
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.validate import gold  # noqa: E402

SEED = 20261212
VERBS = (r"said|says|say|told|tells|tell|added|adds|wrote|writes|argued|argues|noted|notes|explained|explains|warned|"
         r"warns|insisted|insists|claimed|claims|asked|asks|declared|declares|stated|states|continued|suggested|"
         r"suggests|pointed out|points out|acknowledged|acknowledges|admitted|admits|concluded|replied|recalled|"
         r"remarked|announced|observed|believes|believed|maintained|maintains|contended|contends|conceded|concedes|"
         r"urged|urges|complained|complains|predicted|predicts|promised|promises|vowed|vows|described|describes|"
         r"called|calls|went on|goes on|stressed|stresses|emphasised|emphasized|boasted|boasts|denied|denies|"
         r"accused|accuses|tweeted|tweets|revealed|reveals|confirmed|confirms|recounted|recounts|put it|puts it")
#: "he said", "she has argued", "they also warned", "said he"
PRONOUN_REPORT = re.compile(rf"\b(?:he|she|they)\s+(?:\w+ly\s+|has\s+|had\s+|have\s+|would\s+|also\s+|then\s+|"
                            rf"later\s+)?(?:{VERBS})\b|\b(?:{VERBS})\s+(?:he|she)\b", re.I)
OPENS_QUOTE = re.compile(r'^\s*[“"‘]')
#: every sentence with a pronoun cue, and this many of those opening with a quotation mark
OPENS_QUOTE_DRAWN = 30


def main() -> int:
    source = gold.WEBIS_DEV
    if not source.is_dir():
        print(f"{source} not found: drawing needs ../shared/data", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        sentences = gold.webis_sentences(source, Path(folder))
    pronoun = sentences[sentences["text"].str.contains(PRONOUN_REPORT)]
    opens = sentences[sentences["text"].str.contains(OPENS_QUOTE) & ~sentences.index.isin(pronoun.index)]
    rng = random.Random(SEED)
    drawn = [(i, "pronoun") for i in pronoun.index] + [(i, "opens-quote")
                                                        for i in sorted(rng.sample(list(opens.index), OPENS_QUOTE_DRAWN))]
    rng.shuffle(drawn)
    out = csv.writer(sys.stdout)
    out.writerow(["item", "doc_id", "sent_id", "drawn", "digest", "title", "before", "text"])
    for n, (i, pool) in enumerate(drawn, 1):
        row = sentences.loc[i]
        same = sentences[(sentences["doc_id"] == row["doc_id"]) & (sentences.index < i)]
        out.writerow([f"C{n:03d}", row["doc_id"], row["sent_id"], pool, gold.digest(row["text"]), row["title"],
                      " | ".join(same["text"].tail(5)), row["text"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
