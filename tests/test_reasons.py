"""The reasons a side gives for its recommendations ("why"): which sentences the validation labels and scores, its
gold reader, and the trust note the report prints beside the finding."""

from __future__ import annotations

import pandas as pd
import pytest

from opedlens.measure import nlp
from opedlens.validate.gold import WEBIS_DEV

needs_spacy = pytest.mark.skipif(not nlp.available(), reason=nlp.INSTALL_HINT)


def _article(doc_id: str, texts: list[str], roles: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": doc_id, "sent_id": [f"{doc_id}.p01.s{k + 1:02d}" for k in range(len(texts))],
                         "text": texts, "role": roles})


def _recs(units: pd.DataFrame, numbers: list[int], proposer: str = "author") -> pd.DataFrame:
    rows = units.iloc[numbers]
    return pd.DataFrame({"doc_id": rows["doc_id"], "sent_id": rows["sent_id"], "text": rows["text"],
                         "proposer": proposer})


def test_within_reach_is_every_sentence_two_either_side_of_an_own_recommendation_in_its_article():
    from opedlens.validate import reasons

    first = _article("a", [f"Sentence {k}." for k in range(8)], ["claim"] * 8)
    second = _article("b", ["Next article opens.", "And goes on."], ["claim"] * 2)
    units = pd.concat([first, second], ignore_index=True)
    recs = _recs(units, [1, 3, 7])  # a.s02, a.s04, a.s08: the last article's end stops the reach
    reach = reasons.within_reach(units, recs)
    assert reach["sent_id"].tolist() == ["a.p01.s01", "a.p01.s03", "a.p01.s05", "a.p01.s06", "a.p01.s07"]
    assert reach.set_index("sent_id").loc["a.p01.s03", "near"] == "a.p01.s02; a.p01.s04"
    assert not reach["doc_id"].eq("b").any()  # never across articles
    reported = _recs(units, [1], proposer="the experts")
    assert reasons.within_reach(units, reported).empty  # a reported proposal is not the author's: nothing is near it


def test_found_reasons_are_what_the_report_quotes_each_article_on_its_own():
    from opedlens.validate import reasons

    units = _article("a", ["The levers of pressure diminish.", "The U.S. therefore needs to act.",
                           "That would restore the alliance.", "A long aside follows.", "Another aside."],
                     ["premise", "recommendation", "claim", "background", "claim"])
    recs = _recs(units, [1])
    found = reasons.found_reasons(units, recs)
    assert found == {"a.p01.s01", "a.p01.s03"}  # drawn from ("therefore"), and what follows; background is not
    assert reasons.found_reasons(units, recs, top=1) <= found and len(reasons.found_reasons(units, recs, top=1)) == 1


def test_a_malformed_reason_label_names_its_line(tmp_path):
    from opedlens.errors import InputError
    from opedlens.validate import gold

    path = tmp_path / "reason-editorials.csv"
    path.write_text("item,round,doc_id,sent_id,digest,reason\nR1,1,a,a.p01.s01,0123456789ab,1\n"
                    "R2,1,a,a.p01.s02,0123456789ab,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3.*reason must be 0 or 1"):
        gold.read_reason_editorials(path)


def _results(hits: int, flagged: int, base: float) -> pd.DataFrame:
    from opedlens.compare import contrast

    return pd.DataFrame({"task": "reasons", "gold": "x", "scorer": [contrast.REASONS_QUOTED, contrast.REASONS_EVERY],
                         "n": [flagged, 223], "hits": [hits, 101], "flagged": [flagged, 223],
                         "precision": [hits / flagged, base], "articles": [27, 30]})


def test_the_trust_note_says_whether_the_quoted_reasons_beat_any_sentence_near_a_recommendation():
    from opedlens.compare import contrast

    near_chance = _results(32, 68, 0.4529)
    assert ("in 27 hand-labelled real editorials, 32 of the 68 sentences they quote give a reason for the author's "
            "recommendation (precision 0.47, 95% CI 0.36 to 0.59), no better than taking any sentence near a "
            "recommendation (45% of those are reasons), so they are quoted as what the author writes there, not as "
            "its reasons") in contrast.trust_notes(near_chance)["reasons"]
    assert not contrast.reasons_validated(near_chance)
    better = _results(60, 68, 0.4529)
    assert "precision 0.88" in contrast.trust_notes(better)["reasons"]
    assert "against 45% of any sentence near a recommendation" in contrast.trust_notes(better)["reasons"]
    assert contrast.reasons_validated(better)
    assert contrast.trust_notes(pd.DataFrame())["reasons"].startswith(contrast.TRUST_RULES)
    assert not contrast.reasons_validated(pd.DataFrame())


def test_validate_reasons_needs_the_editorials_its_labels_are_of(tmp_path, capsys):
    from opedlens import cli

    assert cli.main(["validate", "reasons"]) != 0
    assert "needs --editorials DIR" in capsys.readouterr().err
    assert cli.main(["validate", "sentiment", "--gold", str(tmp_path / "x.tsv"), "--editorials", str(tmp_path)]) != 0
    assert "sources, outlook and reasons tasks" in capsys.readouterr().err


@needs_spacy
@pytest.mark.skipif(not WEBIS_DEV.is_dir(), reason="Webis-Editorials-16 DEV not in ../shared/data")
def test_every_sentence_within_reach_of_the_labelled_editorials_is_labelled_and_scored():
    """The labels still point at the sentences the rules could take as reasons (none missing, none stale), so
    precision and recall are measured on all of them."""
    from opedlens.validate import gold, reasons

    result = reasons.validate_reasons(WEBIS_DEV)
    labelled = gold.read_reason_editorials(reasons.REASON_GOLD)
    scorers = result["scorers"]
    assert result["out_of_reach"] == 0 and scorers[reasons.RULES]["n"] == len(labelled)
    assert scorers[reasons.EVERY]["recall"] == 1.0
    assert scorers[reasons.EVERY]["precision"] == round(labelled["reason"].mean(), 4)
    assert scorers[reasons.QUOTED_RULES]["flagged"] <= scorers[reasons.RULES]["flagged"]
    # round 1 read again, blind (whole editorials resampled): consistent labels, and the same finding as the docs
    # state it: what the report quotes is no likelier a reason than any sentence near a recommendation
    again = result["agreement"]
    assert again["resampled"] == "editorials" and again["n"] == len(labelled) and again["kappa_low"] > 0.75
    quoted, base = (scorers[f"{name}, round 1 second reading"] for name in (reasons.QUOTED_RULES, reasons.EVERY))
    assert quoted["flagged"] == scorers[reasons.QUOTED_RULES]["flagged"]
    assert abs(quoted["precision"] - base["precision"]) < 0.05
