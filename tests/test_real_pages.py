"""The cleaning audit on real scraped pages (issue 15): openly licensed op-eds kept as captured, in
``tests/data/real-pages/pages``, checked against the hand-checked list ``expected.yaml`` beside them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from opedlens.corpus.load import load_corpus

HERE = Path(__file__).parent / "data" / "real-pages"
EXPECTED = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded():
    return load_corpus(HERE / "pages")


def test_every_page_is_loaded_and_nothing_skipped(loaded):
    assert sorted(loaded.articles["doc_id"]) == sorted(EXPECTED)
    assert loaded.skipped.empty


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_what_must_go_is_removed_by_its_rule(loaded, doc_id):
    removed = loaded.removed[loaded.removed["doc_id"] == doc_id]
    for rule, texts in EXPECTED[doc_id]["removed"].items():
        by_rule = set(removed.loc[removed["rule"] == rule, "text"].str.strip())
        missing = [t for t in texts if t not in by_rule]
        assert not missing, f"{doc_id}: not removed by {rule}: {missing}"


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_what_must_stay_is_kept_in_order_with_its_kind(loaded, doc_id):
    paragraphs = loaded.paragraphs[loaded.paragraphs["doc_id"] == doc_id]
    kept = list(zip(paragraphs["kind"], paragraphs["text"]))
    positions = []
    for kind, opening in EXPECTED[doc_id]["kept"]:
        found = [i for i, (k, text) in enumerate(kept) if text.startswith(opening)]
        assert found, f"{doc_id}: not kept: {opening!r}"
        assert kept[found[0]][0] == kind, f"{doc_id}: {opening!r} is {kept[found[0]][0]}, not {kind}"
        positions.append(found[0])
    assert positions == sorted(positions)
    assert len(kept) == EXPECTED[doc_id]["paragraphs"]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_no_page_chrome_reaches_a_sentence(loaded, doc_id):
    text = " ".join(loaded.sentences.loc[loaded.sentences["doc_id"] == doc_id, "text"])
    leaked = [words for words in EXPECTED[doc_id]["absent"] if words in text]
    assert not leaked


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_the_metadata_is_found(loaded, doc_id):
    row = loaded.articles.set_index("doc_id").loc[doc_id]
    assert {k: row[k] for k in EXPECTED[doc_id]["metadata"]} == EXPECTED[doc_id]["metadata"]
