"""A second, blind reading of the developers' labels set against the first (``opedlens.validate.agreement``): the
figure ``validate outlook`` and ``validate reasons`` print under their tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opedlens.errors import InputError
from opedlens.validate import agreement


def _labels(values, digests=None, docs=None) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame({"item": [f"E{k}" for k in range(n)], "digest": digests or [f"{k:012x}" for k in range(n)],
                         "doc_id": docs or [f"doc{k // 4}" for k in range(n)], "round": 6, "looks_ahead": values})


def test_kappa_is_cohens():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    assert agreement.kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert agreement.kappa([1, 0, 1], [1, 0, 1]) == 1.0
    assert np.isnan(agreement.kappa([0, 0], [0, 0]))  # one label only: chance agreement is 1


def test_two_readings_are_joined_by_item_and_counted(tmp_path):
    first = _labels([1, 0, 0, 1, 0, 0, 1, 0])
    second = _labels([1, 0, 0, 1, 0, 1, 1, 0]).iloc[::-1]  # order does not matter
    result = agreement.second_reading(first, second, "looks_ahead", tmp_path / "second.csv")
    assert (result["n"], result["first_positive"], result["second_positive"], result["agreed"]) == (8, 3, 4, 7)
    assert result["kappa"] == pytest.approx(agreement.kappa(first["looks_ahead"], _labels([1, 0, 0, 1, 0, 1, 1, 0])
                                                            ["looks_ahead"]), abs=1e-4)
    assert result["kappa_low"] <= result["kappa"] <= result["kappa_high"] <= 1
    assert result == agreement.second_reading(first, second, "looks_ahead", tmp_path / "second.csv")  # seeded
    by_doc = agreement.second_reading(first, second, "looks_ahead", tmp_path / "x.csv", cluster="doc_id",
                                      unit="editorials")
    assert by_doc["resampled"] == "editorials" and by_doc["kappa"] == result["kappa"]


def test_identical_readings_agree_fully(tmp_path):
    first = _labels([1, 0, 1, 0, 0])
    result = agreement.second_reading(first, first, "looks_ahead", tmp_path / "x.csv")
    assert (result["agreed"], result["kappa"], result["kappa_low"], result["kappa_high"]) == (5, 1.0, 1.0, 1.0)
    line = agreement.describe(result)
    assert line.startswith("second reading of round 6: 5 of 5 agree") and "kappa 1.00 (95% CI 1.00 to 1.00" in line
    assert line.endswith(agreement.PROTOCOL)


@pytest.mark.parametrize("change", ["item", "digest"])
def test_a_second_reading_of_another_sentence_names_its_item_and_file(tmp_path, change):
    first = _labels([1, 0, 1])
    second = first.copy()
    second.loc[2, change] = "E9" if change == "item" else "ffffffffffff"
    with pytest.raises(InputError, match=r"E[29] of the second reading is not labelled with the same sentence") as err:
        agreement.second_reading(first, second, "looks_ahead", tmp_path / "second.csv")
    assert "second.csv" in str(err.value)


@pytest.mark.parametrize("first_name, second_name, label", [
    ("outlook-editorials.csv", "outlook-editorials-second-reading.csv", "looks_ahead"),
    ("reason-editorials.csv", "reason-editorials-second-reading.csv", "reason")])
def test_the_shipped_second_readings_are_of_sentences_the_first_labelled(first_name, second_name, label):
    """Every item read again is the same sentence (id and digest) in the same round, and the whole round was read."""
    from opedlens.paths import DATA_DIR
    from opedlens.validate import gold

    read = gold.read_outlook_editorials if label == "looks_ahead" else gold.read_reason_editorials
    first, second = read(DATA_DIR / first_name), read(DATA_DIR / second_name)
    columns = ["item", "round", "doc_id", "sent_id", "digest"]
    joined = second[columns].merge(first[columns], on=columns, how="left", indicator=True)
    assert joined["_merge"].eq("both").all()
    for number in second["round"].unique():
        assert (second["round"] == number).sum() == (first["round"] == number).sum()


def test_rounds_are_named_as_the_protocols_say_them():
    from opedlens.validate.gold import rounds_named

    assert rounds_named([6]) == "round 6" and rounds_named([6, 7]) == "rounds 6, 7"
