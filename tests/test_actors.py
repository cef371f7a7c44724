"""The actor gazetteer: longest-match mentions with offsets, and clear errors for bad files."""

from __future__ import annotations

import pytest

from opedlens.actors import DEFAULT_ACTORS, find_mentions, load_gazetteer
from opedlens.errors import InputError


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def found(gazetteer, text):
    return [(actor, text[start:end]) for actor, _, start, end in gazetteer.find(text)]


def test_longest_alias_wins(gazetteer):
    text = "South Korea and North Korean envoys met Japanese Prime Minister Abe and President Moon."
    assert found(gazetteer, text) == [
        ("south_korea", "South Korea"), ("north_korea", "North Korean"), ("japan", "Japanese"),
        ("japan", "Prime Minister Abe"), ("south_korea", "President Moon"),
    ]


def test_korea_alone_is_no_actor(gazetteer):
    assert found(gazetteer, "The Korean Peninsula and Korea's history.") == []


def test_possessives_compounds_and_abbreviations(gazetteer):
    text = "Seoul's move, the Seoul-Tokyo feud and U.S.-North Korea talks worry Washington."
    assert found(gazetteer, text) == [
        ("south_korea", "Seoul"), ("south_korea", "Seoul"), ("japan", "Tokyo"), ("united_states", "U.S."),
        ("north_korea", "North Korea"), ("united_states", "Washington"),
    ]


def test_whole_words_and_case(gazetteer):
    assert found(gazetteer, "Abed honeymoon under the moon; usurp Kimchi.") == []


def test_mentions_trace_back_to_the_raw_file(seed_corpus, gazetteer):
    mentions = find_mentions(seed_corpus.sentences, gazetteer)
    assert set(mentions["actor"]) == {"united_states", "japan", "south_korea", "north_korea", "china", "russia"}
    for row in mentions.itertuples():
        assert seed_corpus.raw[row.doc_id][row.start:row.end] == row.mention
    by_doc = mentions.groupby("doc_id")["actor"].nunique()
    assert (by_doc >= 4).all()


def test_csv_gazetteer(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("actor,label,alias\nus,United States,Washington\nus,United States,U.S.\njp,Japan,Tokyo\n")
    g = load_gazetteer(path)
    assert g.labels == {"us": "United States", "jp": "Japan"}
    assert [a for a, *_ in g.find("Tokyo asked the U.S. and Washington.")] == ["jp", "us", "us"]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("actors:\n  japan:\n    label: Japan\n    aliases: [Tokyo, \n", 5, "not valid YAML"),
        ("people:\n  - Tokyo\n", 1, "expected a mapping `actors:`"),
        ("actors:\n  japan:\n    label: Japan\n    aliases: Tokyo\n", 2, "needs `label:` and a list"),
        ("actors:\n  japan:\n    label: Japan\n    aliases: [Tokyo]\n  korea:\n    label: Korea\n"
         "    aliases: [Seoul,\n      Tokyo]\n", 8, "given to both 'japan' and 'korea'"),
        ("actors:\n  japan:\n    label: Japan\n    aliases: [Tokyo, '']\n", 4, "empty or non-text alias"),
    ],
)
def test_malformed_yaml_names_the_line(tmp_path, text, line, words):
    path = tmp_path / "actors.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_gazetteer(path)
    assert str(err.value).startswith(f"{path}: line {line}: ")
    assert words in str(err.value)


def test_malformed_csv_names_the_line(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("actor,label,alias\nus,United States,Washington\njp,Japan\n")
    with pytest.raises(InputError, match=r"line 3: expected 3 fields"):
        load_gazetteer(path)


def test_missing_actors_file(tmp_path):
    with pytest.raises(InputError, match="actors file not found"):
        load_gazetteer(tmp_path / "nope.yaml")


def test_shipped_gazetteer_lists_the_issue_actors():
    g = load_gazetteer(DEFAULT_ACTORS)
    for alias, actor in {"Washington": "united_states", "Esper": "united_states", "Bolton": "united_states",
                         "Schriver": "united_states", "Abe": "japan", "Moon": "south_korea",
                         "Lee Nak-yon": "south_korea", "Pyongyang": "north_korea", "Kim Jong Un": "north_korea",
                         "Beijing": "china", "Russia": "russia"}.items():
        assert g.aliases[alias] == actor
