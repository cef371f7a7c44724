"""Gold-file readers: the three formats, and wrong formats named by line."""

from __future__ import annotations

import json

import pytest

from opedlens.errors import InputError
from opedlens.measure.scorers import three_class
from opedlens.validate.gold import read_targets, read_valence


def test_vader_format(tmp_path):
    path = tmp_path / "gold.tsv"
    path.write_text("12_1\t2.0\tA fine idea.\n12_2\t-4\tA disaster.\n\n")
    frame = read_valence(path)
    assert frame.to_dict("list") == {"id": ["12_1", "12_2"], "text": ["A fine idea.", "A disaster."],
                                     "gold": [0.5, -1.0], "group": ["12", "12"]}


def test_emobank_format(tmp_path):
    path = tmp_path / "emobank.csv"
    path.write_text('id,split,V,A,D,text\ndocA_0_5,train,4.0,3,3,"Good, really."\ndocB_1_2,test,2.0,3,3,Bad.\n')
    frame = read_valence(path)
    assert frame["gold"].tolist() == [0.5, -0.5]
    assert frame["group"].tolist() == ["docA", "docB"]
    assert frame["text"].tolist() == ["Good, really.", "Bad."]


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("gold.tsv", "1_1\t0.5\tfine\n1_2 0.5 no tabs here\n", r"line 2: expected id<TAB>rating<TAB>text"),
        ("gold.tsv", "1_1\t0.5\tfine\n1_2\tgood\ttext\n", r"line 2: rating 'good' is not a number"),
        ("gold.tsv", "1_1\t9\tfine\n", r"line 1: rating 9.0 is outside -4..4"),
        ("gold.csv", "id,valence,text\na_1,3,x\n", r"line 1: expected EmoBank columns id,V,text"),
        ("gold.csv", "id,V,text\na_1,3,x\na_2,high,y\n", r"line 3: V 'high' is not a number"),
        ("gold.tsv", "", r"no rated sentences found"),
    ],
)
def test_wrong_valence_files_name_the_line(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError, match=message) as err:
        read_valence(path)
    assert str(err.value).startswith(str(path))


def newsmtsc_line(sentence="Tokyo praised Seoul.", polarity=6.0, start=14, end=19):
    return json.dumps({"primary_gid": "allsides_1_2_3_x", "sentence_normalized": sentence,
                       "targets": [{"Input.gid": "t1", "from": start, "to": end, "mention": "Seoul",
                                    "polarity": polarity}]})


def test_newsmtsc_format(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(newsmtsc_line() + "\n")
    frame = read_targets(path)
    assert frame.iloc[0][["mention", "gold", "group", "start", "end"]].tolist() == ["Seoul", 1, "allsides_1", 14, 19]


@pytest.mark.parametrize(
    "second, message",
    [
        ("{not json", r"line 2: not JSON"),
        (json.dumps({"sentence": "x"}), r"line 2: expected NewsMTSC fields"),
        (newsmtsc_line(polarity=5.0), r"line 2: polarity 5.0 is not 2.0, 4.0 or 6.0"),
        (newsmtsc_line(start=10, end=99), r"line 2: target span 10..99 lies outside the sentence"),
        ("1_1\t0.5\tA VADER-format line", r"line 2: not JSON"),
    ],
)
def test_wrong_target_files_name_the_line(tmp_path, second, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(newsmtsc_line() + "\n" + second + "\n")
    with pytest.raises(InputError, match=message):
        read_targets(path)


def test_missing_gold_file(tmp_path):
    with pytest.raises(InputError, match="gold file not found"):
        read_valence(tmp_path / "none.tsv")


def test_three_class_cut():
    assert three_class([-0.5, -0.05, -0.049, 0.0, 0.049, 0.05, 0.7]).tolist() == [-1, -1, 0, 0, 0, 1, 1]
