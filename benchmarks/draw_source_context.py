"""Draw a round of `lib/opedlens/data/source-context.csv`, the in-context gold set of `opedlens validate sources
--editorials ... --emobank ...`: sentences of whole articles (the Webis-Editorials-16 DEV editorials, research-only;
EmoBank's newspaper, essay, letter and blog documents, CC BY-SA 4.0; both read from ../shared/data) whose speaker,
if any, a reader may find only in the sentences before. The cues are regular expressions, not the rules, so a draw
does not lean on what the rules find; no sentence of an earlier round is drawn again:

* round 1 (seed 20261212): every sentence with "he", "she" or "they" right beside a reporting verb ("he said", "she
  has argued", "said he"), and 30 of those opening with a quotation mark;
* round 2 (seed 20261213): every sentence with "he", "she" or "they" a few words from a reporting verb ("he told the
  officers", "they would later claim") or a bare title or report as the subject of one ("the mayor said"), and 39
  more of those opening with a quotation mark;
* round 3 (seed 20261214), EmoBank: 80 of the sentences with round 2's cues and 20 of those opening with a quotation
  mark (the Webis editorials had too few left).

Prints item, round, corpus, doc_id, sent_id, drawn (the cue), the sentence's text digest and, for labelling by
hand, the title, the five sentences before and the sentence itself. Write it outside the project: the shipped file
keeps only ids, digests and labels.

    .venv/bin/python benchmarks/draw_source_context.py --round 2 > /tmp/context-drawn.csv
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.paths import DATA_DIR  # noqa: E402
from opedlens.validate import gold  # noqa: E402

import _draw_cli  # noqa: E402  (benchmarks/, beside this script)

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
#: "he told the officers", "they would later claim", "said, pointing at the pictures, he"
PRONOUN_NEAR_REPORT = re.compile(rf"\b(?:he|she|they)\b(?:\W+\w+){{0,4}}?\W+(?:{VERBS})\b|"
                                 rf"\b(?:{VERBS})\b(?:\W+\w+){{0,2}}?\W+(?:he|she|they)\b", re.I)
#: "the mayor said", "the former minister told", "the report says"
TITLE_REPORT = re.compile(rf"\b[Tt]he (?:[a-z]+ ){{0,2}}(?:mayor|president|minister|secretary|chief|director|governor|"
                          rf"senator|spokesman|spokeswoman|official|officials|chairman|leader|author|judge|professor|"
                          rf"ambassador|prime minister|chancellor|commissioner|analyst|report|study|paper|survey)\s+"
                          rf"(?:{VERBS})\b")
OPENS_QUOTE = re.compile(r'^\s*[“"‘]')
#: per round: its corpus, seed, the cues, how many cued sentences (None: every one) and how many opening with a
#: quotation mark
ROUNDS = {1: (gold.WEBIS_CORPUS, 20261212, [PRONOUN_REPORT], None, 30),
          2: (gold.WEBIS_CORPUS, 20261213, [PRONOUN_NEAR_REPORT, TITLE_REPORT], None, 39),
          3: (gold.EMOBANK_CORPUS, 20261214, [PRONOUN_NEAR_REPORT, TITLE_REPORT], 80, 20)}


def draw(sentences, number: int, earlier: set[str]) -> list[tuple[int, str]]:
    """(row index, cue) of round ``number``'s sentences, shuffled."""
    _, seed, cues, cued_wanted, opening = ROUNDS[number]
    fresh = sentences[~sentences["sent_id"].isin(earlier)]
    cued = fresh["text"].map(lambda text: any(cue.search(text) for cue in cues))
    pool = "pronoun" if number == 1 else "pronoun or title"
    opens = fresh[fresh["text"].str.contains(OPENS_QUOTE) & ~cued]
    rng = random.Random(seed)
    with_cue = list(fresh.index[cued])
    with_cue = with_cue if cued_wanted is None else sorted(rng.sample(with_cue, cued_wanted))
    drawn = [(i, pool) for i in with_cue] + [(i, "opens-quote") for i in sorted(rng.sample(list(opens.index), opening))]
    rng.shuffle(drawn)
    return drawn


def main() -> int:
    number = _draw_cli.round_to_draw(__doc__.split("\n\n")[0], ROUNDS)
    corpus = ROUNDS[number][0]
    source = gold.EMOBANK if corpus == gold.EMOBANK_CORPUS else gold.WEBIS_DEV
    if not source.exists():
        print(f"{source} not found: drawing needs ../shared/data", file=sys.stderr)
        return 0
    sentences = gold.context_articles(corpus, source)
    before = _draw_cli.rows_before(DATA_DIR / "source-context.csv", number)
    earlier, first = {r["sent_id"] for r in before}, 1 + len(before)
    out = csv.writer(sys.stdout)
    out.writerow(["item", "round", "corpus", "doc_id", "sent_id", "drawn", "digest", "title", "before", "text"])
    for n, (i, pool) in enumerate(draw(sentences, number, earlier), first):
        row = sentences.loc[i]
        same = sentences[(sentences["doc_id"] == row["doc_id"]) & (sentences.index < i)]
        out.writerow([f"C{n:03d}", number, corpus, row["doc_id"], row["sent_id"], pool, gold.digest(row["text"]),
                      row["title"], " | ".join(same["text"].tail(5)), row["text"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
