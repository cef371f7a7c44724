"""The actor gazetteer: longest-match mentions with offsets, and clear errors for bad files."""

from __future__ import annotations

import os

import pytest

from opedlens.errors import InputError
from opedlens.measure.actors import DEFAULT_ACTORS, find_mentions, load_gazetteer


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


# --- Actors from the corpus's named entities ----------------------------------------------------------


def _entities(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "name", "type"])


def test_names_of_one_actor_are_merged():
    from opedlens.measure.actors import _merge_names

    known = load_gazetteer().aliases
    merged = _merge_names(_entities([
        ("a", "a.s1", "Angela Merkel", "PERSON"), ("b", "b.s1", "Merkel", "PERSON"),
        ("a", "a.s2", "North Atlantic Treaty Organization", "ORG"), ("b", "b.s2", "NATO", "ORG"),
        ("a", "a.s3", "Syria", "GPE"), ("b", "b.s3", "Syrian", "NORP"), ("b", "b.s4", "Syrians", "NORP"),
        ("a", "a.s4", "Washington", "GPE"), ("b", "b.s5", "U.S", "GPE"), ("a", "a.s5", "Americans", "NORP"),
        ("a", "a.s6", "British", "NORP"), ("b", "b.s6", "Britain", "GPE"),
        ("a", "a.s7", "Austria", "GPE"), ("b", "b.s7", "Australian", "NORP"),
        ("a", "a.s8", "Muslim", "NORP"), ("b", "b.s8", "Muslims", "NORP"), ("a", "a.s9", "Tories", "ORG"),
    ]), known)
    assert merged["Merkel"] == "Angela Merkel"
    assert merged["NATO"] == "North Atlantic Treaty Organization"
    assert merged["Syrian"] == merged["Syrians"] == "Syria"
    assert merged["Washington"] == merged["U.S"] == merged["Americans"] == "known:united_states"
    assert merged["British"] == merged["Britain"] == "United Kingdom"
    assert merged["Australian"] == "Australian"  # Austria is not Australia
    assert merged["Muslim"] == merged["Muslims"] == "Muslims"  # a group reads in the plural: "toward Muslims"


def test_a_surname_shared_by_two_people_stays_apart():
    from opedlens.measure.actors import _merge_names

    merged = _merge_names(_entities([("a", "a.s1", "George Bush", "PERSON"), ("b", "b.s1", "Jeb Bush", "PERSON"),
                                     ("b", "b.s2", "Bush", "PERSON")]), {})
    assert merged["Bush"] == "Bush"


def test_non_and_ex_members_of_a_group_are_not_the_group():
    from pathlib import Path

    from opedlens.measure.actors import Gazetteer

    gazetteer = Gazetteer({"m": "Muslim"}, {"Muslims": "m"}, Path("x"))
    found = gazetteer.find("Sharia is imposed on Muslims and non-Muslims; ex-Muslims fear it; anti-Muslims too.")
    assert [text for _, text, *_ in found] == ["Muslims", "Muslims"]  # the first, and "anti-Muslims" (its target)
    assert found[0][2] == 21


def test_a_one_word_corpus_alias_inside_a_longer_name_is_no_mention():
    # on the editorials "State" was an actor, counted in "the Islamic State" and "his State of the Union address",
    # "House" in "the Opera House", and "United" (of Manchester United) in "The United Nations"
    from pathlib import Path

    from opedlens.measure.actors import Gazetteer

    gazetteer = Gazetteer({"s": "State", "h": "House", "o": "Barack Obama"},
                          {"State": "s", "House": "h", "Obama": "o", "Barack Obama": "o"}, Path("x"),
                          name_parts=frozenset({"State", "House", "Obama"}))
    named = [[alias for _, alias, *_ in gazetteer.find(text)] for text in (
        "They fled the Islamic State and the Opera House.", "He spoke of the State of the Union.",
        "The House voted; the State must pay.", "House members and President Obama agreed.",
        "Mr Obama met Barack Obama.", "The Obama White House said no.")]
    assert named == [[], [], ["House", "State"], ["House", "Obama"], ["Obama", "Barack Obama"], []]


def test_a_surname_that_is_an_ordinary_word_is_no_alias():
    # spaCy took "Sand People" (Star Wars) for a person: every sentence opening "People ..." became a mention of it
    from opedlens.measure.actors import _candidates, common_words

    texts = ["People want change.", "The Sand People live there.", "Most people agree.", "Michael Brown died.",
             "Brown was unarmed.", "They met Brown at noon.", "Jane Roe spoke.", "Roe left."]
    common = common_words(texts)
    assert "People" in common and "Brown" not in common and "Roe" not in common
    found = _candidates(_entities([("a", "a.s2", "Sand People", "PERSON"), ("b", "b.s1", "People", "PERSON"),
                                   ("c", "c.s1", "Michael Brown", "PERSON"), ("d", "d.s1", "Jane Roe", "PERSON")]),
                        {}, common)
    assert "People" not in found and found["Sand People"] == "Sand People"
    assert found["Brown"] == "Michael Brown" and found["Roe"] == "Jane Roe"


def test_a_group_named_by_an_adjective_is_a_mention_only_where_it_names_the_group(monkeypatch, tmp_path):
    # "Fox News is most negative toward Islamic": every "Islamic terrorism" had counted as tone toward a group
    import pandas as pd

    from opedlens.measure import actors

    texts = {d: ["Muslims are angry.", "The Muslim community grieved.", "Islamic terrorism spread in Syria.",
                 "Syrian refugees arrived."] for d in "abc"}
    sentences = pd.DataFrame([{"doc_id": d, "sent_id": f"{d}.s{k}", "text": t}
                              for d, sents in texts.items() for k, t in enumerate(sents)])
    monkeypatch.setattr(actors, "corpus_entities", lambda sentences, parsed=None: _entities(
        [(d, f"{d}.s0", "Muslims", "NORP") for d in "abc"] + [(d, f"{d}.s1", "Muslim", "NORP") for d in "abc"]
        + [(d, f"{d}.s2", "Islamic", "NORP") for d in "abc"] + [(d, f"{d}.s2", "Syria", "GPE") for d in "abc"]
        + [(d, f"{d}.s3", "Syrian", "NORP") for d in "abc"]))
    gazetteer = actors.with_corpus_actors(sentences, actors.Gazetteer({}, {}, actors.DEFAULT_ACTORS), min_articles=2)
    # "Islamic" is only ever "Islamic terrorism" here: counted as the mentions are, it names no actor at all
    assert gazetteer.modifiers == {"Muslim"} and sorted(gazetteer.labels.values()) == ["Muslims", "Syria"]
    found = [[gazetteer.labels[a] for a, *_ in gazetteer.find(t)] for t in texts["a"]]
    assert found == [["Muslims"], [], ["Syria"], ["Syria"]]  # the demonym of a place still names it, as "Japanese" does
    named = [len(gazetteer.find(t)) for t in ("A Muslim and a Jew met.", "A Muslim who prays.",
                                                "A Muslim-majority area.", "The Muslim Brotherhood won.")]
    assert named == [1, 1, 0, 0]  # a function word after it: the word names a person; a name after it: not
    (tmp_path / "gazetteer.json").write_text(actors.to_json(gazetteer), encoding="utf-8")
    assert gazetteer.name_parts == {"Syrian", "Syria"}  # groups aside: "British Muslims" are Muslims
    back = actors.read_json(tmp_path / "gazetteer.json")  # what workers read
    assert (back.modifiers, back.name_parts) == (gazetteer.modifiers, gazetteer.name_parts)


@pytest.mark.slow
def test_corpus_actors_join_the_gazetteer_and_say_so():
    import pandas as pd

    from opedlens.measure import actors

    texts = {"a": ["Angela Merkel warned the North Atlantic Treaty Organization on Tuesday.",
                   "Syrian refugees reached Germany, and Washington said nothing."],
             "b": ["Merkel later spoke to NATO in Brussels.", "Germany has taken in more refugees than France."],
             "c": ["Only this article mentions Portugal."]}
    sentences = pd.DataFrame([{"doc_id": d, "sent_id": f"{d}.s{k}", "text": t}
                              for d, sents in texts.items() for k, t in enumerate(sents)])
    shipped = actors.load_gazetteer()
    gazetteer = actors.gazetteer_for(sentences, None, from_corpus=True)
    added = {gazetteer.labels[a] for a in gazetteer.from_corpus}
    assert {"Angela Merkel", "Germany"} <= added
    assert "Portugal" not in added  # named in one article only
    assert gazetteer.aliases["Merkel"] == gazetteer.aliases["Angela Merkel"]
    assert gazetteer.aliases["Washington"] == "united_states"  # the gazetteer's own actor, not a new one
    assert {a: gazetteer.aliases[a] for a in shipped.aliases} == shipped.aliases
    assert "named entities" in actors.describe_gazetteer(gazetteer)
    assert "actors_from_corpus=true" in actors.describe_gazetteer(shipped)
    named = {d for d, text in zip(sentences["doc_id"], sentences["text"])
             if any(gazetteer.labels[a] == "Angela Merkel" for a, _, _, _ in gazetteer.find(text))}
    assert named == {"a", "b"}


@pytest.mark.parametrize("entity, name", [
    ("the United States", "United States"), ("Seoul's", "Seoul"), ("Bank of England", "Bank of England"),
    ("al-Qaeda", "al-Qaeda"), ("Charlie Hebdo - and", ""), ("the 1990s", ""), ("Trump administration", ""),
])
def test_entity_names_that_read_as_names(entity, name):
    from opedlens.measure.actors import _entity_name

    assert _entity_name(entity) == name


def test_two_spellings_of_one_actor_take_the_one_used_most_in_every_run():
    # "Al Qaeda" and "al-Qaeda" have one id: the label came from the order of a set, which changes with the hash seed
    import subprocess
    import sys

    code = ("import pandas as pd\nfrom opedlens.measure.actors import _labels\n"
            "e = pd.DataFrame({'name': ['al-Qaeda', 'Al Qaeda', 'al-Qaeda', 'Hamas', 'HAMAS']})\n"
            "print(_labels({'Al Qaeda', 'al-Qaeda', 'Hamas', 'HAMAS'}, e))")
    printed = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert printed == {"{'ner_al_qaeda': 'al-Qaeda', 'ner_hamas': 'HAMAS'}\n"}
