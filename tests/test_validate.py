"""Validation: metrics, the command line, honest protocols, and saved results that match the models."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from opedlens.measure import embed, scorers
from opedlens.measure.models import load_model, text_hashes
from opedlens.paths import GOLD_DIR, MODELS_DIR, PROJECT_ROOT, VALIDATION_DIR
from opedlens.validate import results, sentence_measures

NYT_DEV = GOLD_DIR / "sentiment" / "nyt_editorials" / "ground_truth_dev.tsv"
needs_model = pytest.mark.skipif(not embed.available(), reason=embed.INSTALL_HINT)

GOLD_TSV = "\n".join([
    "1_1\t3.1\tThis is a wonderful, generous and wise decision.",
    "1_2\t-3.0\tThe plan is a terrible, shameful failure.",
    "2_1\t0.1\tThe committee meets on Tuesday.",
    "2_2\t2.2\tWe are grateful for their help.",
    "3_1\t-2.4\tThe attack killed dozens and wounded hundreds.",
    "3_2\t-0.2\tThe report has four chapters.",
]) + "\n"


def run_cli(*args, cwd=PROJECT_ROOT):
    return subprocess.run([sys.executable, "-m", "opedlens.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_validate_sentiment_json_one_scorer(tmp_path):
    gold = tmp_path / "tiny.tsv"
    gold.write_text(GOLD_TSV)
    done = run_cli("validate", "sentiment", "--gold", str(gold), "--scorer", "vader", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result["scorers"]) == ["vader"]
    metrics = result["scorers"]["vader"]
    assert metrics["n"] == 6 and metrics["pearson_r"] > 0.8
    assert set(metrics) >= {"pearson_r", "spearman_rho", "macro_f1", "protocol"}


@needs_model
def test_validate_sentiment_table_all_scorers(tmp_path):
    gold = tmp_path / "tiny.tsv"
    gold.write_text(GOLD_TSV)
    result = sentence_measures.validate_sentiment(gold)
    assert list(result["scorers"]) == list(scorers.SCORERS)
    assert all(m["protocol"] == sentence_measures.SHIPPED for m in result["scorers"].values())
    assert result["scorers"]["accurate"]["pearson_r"] > 0.8
    text = sentence_measures.format_table(result)
    assert "pearson_r" in text and "textblob" in text


def test_validate_targeted_baselines(tmp_path):
    gold = tmp_path / "tiny.jsonl"
    lines = [
        {"primary_gid": "a_1_1", "sentence_normalized": "Critics slammed Smith for the disastrous plan.",
         "targets": [{"from": 16, "to": 21, "polarity": 2.0}]},
        {"primary_gid": "b_1_1", "sentence_normalized": "Jones won wide praise for her brilliant work.",
         "targets": [{"from": 0, "to": 5, "polarity": 6.0}]},
        {"primary_gid": "c_1_1", "sentence_normalized": "Brown will speak on Monday.",
         "targets": [{"from": 0, "to": 5, "polarity": 4.0}]},
    ]
    gold.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    done = run_cli("validate", "targeted", "--gold", str(gold), "--scorer", "sentence-vader",
                   "--scorer", "clause-vader", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["scorers"]["sentence-vader"]["accuracy"] == 1.0
    assert set(result["scorers"]) == {"sentence-vader", "clause-vader"}


@pytest.mark.parametrize("task, name, text, message", [
    ("sentiment", "bad.tsv", "1_1\t0.5\tok\n1_2\tnot-a-number\tx\n", "line 2: rating 'not-a-number' is not a number"),
    ("targeted", "bad.jsonl", "1_1\t0.5\tA VADER line\n", "line 1: not JSON"),
])
def test_wrong_gold_format_is_one_line_naming_file_and_line(tmp_path, task, name, text, message):
    gold = tmp_path / name
    gold.write_text(text)
    done = run_cli("validate", task, "--gold", str(gold), "--scorer", "vader" if task == "sentiment" else "sentence-vader")
    assert done.returncode == 1
    assert done.stderr.strip() == f"opedlens: error: {gold}: {message}" or message in done.stderr
    assert str(gold) in done.stderr and "Traceback" not in done.stderr


def test_unknown_scorer_and_method(tmp_path):
    gold = tmp_path / "tiny.tsv"
    gold.write_text(GOLD_TSV)
    done = run_cli("validate", "sentiment", "--gold", str(gold), "--scorer", "bert")
    assert done.returncode == 1 and "unknown scorer 'bert'" in done.stderr
    done = run_cli("validate", "targeted", "--gold", str(gold), "--scorer", "vader")
    assert done.returncode == 1 and "unknown method 'vader'" in done.stderr


def test_models_are_plain_arrays_and_know_their_training_data():
    for name in ("sentiment-fast.npz", "sentiment-accurate.npz", "targeted.npz"):
        with np.load(MODELS_DIR / name, allow_pickle=False) as data:  # would raise on a pickle
            assert "__meta__" in data.files and "train_hashes" in data.files
    model = load_model(MODELS_DIR / "sentiment-accurate.npz")
    assert model.meta["training_sets"] == ["sentiment/emobank/emobank.csv",
                                           "sentiment/nyt_editorials/ground_truth_dev.tsv"]
    assert model.trained_on(["Government budget time means budget language time."]).all()
    assert not model.trained_on(["Tokyo and Seoul should talk."]).any()
    assert text_hashes(["A  b"])[0] == text_hashes(["a b"])[0]


def test_saved_results_match_the_shipped_models_and_gold():
    saved = sorted(VALIDATION_DIR.glob("*.json"))
    assert {p.name for p in saved} >= {"sentiment-nyt_editorials-ground_truth_dev.json", "targeted-newsmtsc-train.json"}
    for path in saved:
        result = json.loads(path.read_text())
        own = {name: digest for name, digest in result["models"].items()
               if name in results.TASK_MODELS[result["task"]]}
        assert own == results.model_fingerprints(result["task"]), \
            f"{path.name} is stale: run `make validate` after `make models`"
        for record in [result, *result.get("more_gold", [])]:
            gold = (PROJECT_ROOT / record["gold"]).resolve()
            if gold.exists():
                assert results._sha256(gold) == record["gold_sha256"], f"{path.name} is stale for {record['gold']}"


def test_saved_results_meet_the_targets():
    """The figures the report shows: trained scorers beat the lexicons, targeted beats its baseline."""
    nyt = json.loads((VALIDATION_DIR / "sentiment-nyt_editorials-ground_truth_dev.json").read_text())["scorers"]
    assert nyt["accurate"]["pearson_r"] >= 0.62 and nyt["fast"]["pearson_r"] >= 0.55
    assert nyt["accurate"]["protocol"] == sentence_measures.CROSS_VALIDATED
    news = json.loads((VALIDATION_DIR / "targeted-newsmtsc-train.json").read_text())["scorers"]
    assert news["targeted"]["macro_f1"] >= news["sentence-vader"]["macro_f1"] + 0.05


@needs_model
@pytest.mark.skipif(not NYT_DEV.exists(), reason="needs ../shared/data (the NYT editorial gold set)")
def test_training_overlap_triggers_grouped_cross_validation(tmp_path):
    lines = NYT_DEV.read_text(encoding="utf-8").splitlines()[:40]
    gold = tmp_path / "nyt-part.tsv"
    gold.write_text("\n".join(lines) + "\n")
    frame = sentence_measures.gold.read_valence(gold)
    assert scorers.trained_model("fast").trained_on(frame["text"]).all()
    result = sentence_measures.validate_sentiment(gold, ["fast"])["scorers"]["fast"]
    assert result["protocol"] == sentence_measures.CROSS_VALIDATED
    assert 0.2 < result["pearson_r"] < 0.95  # out-of-fold: not the in-sample fit


def test_validate_sources_needs_no_gold_argument():
    done = run_cli("validate", "sources", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["task"] == "sources" and result["gold"].endswith("source-sentences.csv")
    assert {"rules", sentence_measures.FRESH_SOURCES} <= set(result["scorers"])


def test_validate_outlook_needs_no_gold_argument_and_says_where_the_fresh_round_is():
    done = run_cli("validate", "outlook", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["task"] == "outlook" and result["gold"].endswith("outlook-sentences.csv")
    assert "--editorials" in done.stderr  # the round no rule was written from is of the Webis editorials
    refused = run_cli("validate", "outlook", "--emobank", "x.csv")
    assert refused.returncode != 0 and "--emobank is only for the sources task" in refused.stderr
