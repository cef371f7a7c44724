"""Who is talked about: a configurable gazetteer of actors and their mentions in sentences.

A gazetteer is a YAML file (``actors: {id: {label, aliases: [...]}}``) or a CSV file with the
columns ``actor,label,alias`` (one row per alias). Matching is case-sensitive, on whole words,
longest alias first, so "South Korea" never also counts as "Korea" and "Prime Minister Abe" is one
mention, not two.

:func:`with_corpus_actors` adds the people, places, organisations and groups that spaCy's named-entity
recogniser finds in the corpus itself, so a corpus about other countries gets its own actors: a name the
gazetteer knows joins its actor ("Washington" is the United States), a surname joins the full name used
elsewhere ("Trump" is "Donald Trump"), an acronym joins the name it abbreviates ("NATO").
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from opedlens.errors import InputError
from opedlens.inputs import read_bytes
from opedlens.paths import DATA_DIR, resolve

DEFAULT_ACTORS = DATA_DIR / "actors.yaml"
MENTION_COLUMNS = ["doc_id", "para_id", "sent_id", "actor", "label", "alias", "mention",
                   "start", "end", "sent_start", "sent_end"]


@dataclass(frozen=True)
class Gazetteer:
    """Actors (id -> label) and aliases (alias -> actor id), plus the compiled matcher."""

    labels: dict[str, str]
    aliases: dict[str, str]
    source: Path
    #: actors added from the corpus's named entities (ids), beside those of ``source``
    from_corpus: tuple[str, ...] = ()
    #: aliases that name a group only when no word follows them: "Muslims are", not "Muslim community" nor "Islamic
    #: terrorism", where the word describes something else (corpus actors spaCy calls nationalities or groups)
    modifiers: frozenset[str] = frozenset()
    #: one-word aliases of corpus actors (groups aside) that are no mention inside a longer name: "State" of
    #: "Islamic State" or "State of the Union", "House" of "Opera House", "United" of "United Nations" (but
    #: "President Obama" is Obama, and "British Muslims" are Muslims)
    name_parts: frozenset[str] = frozenset()

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        names = sorted(self.aliases, key=lambda a: (-len(a), a))
        alternatives = "|".join(re.escape(name) for name in names)
        # not inside a word, nor after "non-" or "ex-" ("non-Muslims" and "ex-Muslims" are not Muslims)
        return re.compile(rf"(?<![\w&])(?<!non-)(?<!Non-)(?<!ex-)(?<!Ex-)(?:{alternatives})(?![\w&]|\.\w)")

    def find(self, text: str) -> list[tuple[str, str, int, int]]:
        """(actor, alias, start, end) of every mention in ``text``, left to right (a :attr:`modifiers` alias only
        where no lower-case word follows it, a :attr:`name_parts` alias only outside a longer name)."""
        return [(self.aliases[m.group()], m.group(), m.start(), m.end()) for m in self.pattern.finditer(text)
                if (m.group() not in self.modifiers or not _DESCRIBES.match(text, m.end()))
                and (m.group() not in self.name_parts or not _inside_a_name(text, m.start(), m.end()))]


#: "Muslim community", "Muslim-majority", "Islamic State", "Arab Spring": the word describes what follows it (but "a
#: Muslim and ...", "a Muslim who ..." and "a Muslim is ..." name a person: a function word follows)
_DESCRIBES = re.compile(r"-[a-z]|\s+(?!(?:and|or|but|nor|is|was|are|were|be|been|who|whom|whose|that|which|in|on|at|of"
                        r"|to|for|from|by|with|as|has|had|have|will|would|can|could|should|may|might|must|does|did"
                        r"|do|not|himself|herself|themselves|itself)\b)[a-zA-Z]")


#: a capitalised word, or "of (the)" and one, after a word: "United Nations", "State of the Union"
_NAME_GOES_ON = re.compile(r"[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?[A-Z][a-z]")
#: a capitalised word inside the sentence right before a word: "the Islamic State", "the Opera House" (not "In London")
_NAME_BEGAN = re.compile(r"[^\s.!?:;\"\u201c\u2018(\[]\s+([A-Z][a-z]+)\s+$")
#: Words that stand before a person's name without being part of it, lower-cased: titles ("President Obama", "Mr
#: Judt", "Adm. Katsutoshi Kawano") and the words of a role ("Foreign Minister", "U.S. Assistant Secretary of
#: Defense"). A quoted source's name stops at them (:mod:`opedlens.measure.sources`), and a one-word actor's alias
#: after one is still a mention.
TITLE_WORDS = {
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "professor", "adm", "adm.", "admiral",
    "vice", "gen", "gen.", "general", "col", "col.", "lt", "lt.", "capt", "capt.", "sen", "sen.", "senator",
    "rep", "rep.", "gov", "gov.", "governor", "president", "prime", "minister", "secretary", "assistant",
    "deputy", "chief", "chairman", "chairwoman", "ambassador", "director", "foreign", "defense", "defence",
    "state", "official", "spokesman", "spokeswoman", "spokesperson", "sir", "lord", "lady", "judge", "justice",
    "mayor", "king", "queen", "emperor", "envoy", "commander", "ceo", "former", "then", "u.s.", "national",
    "security", "adviser", "advisor", "department", "desk", "japan", "chancellor", "imam", "rabbi", "pope", "bishop",
    "archbishop", "reverend", "rev", "rev.", "sheikh", "prince", "princess", "congressman", "congresswoman",
    "attorney", "ayatollah", "captain", "cardinal", "coach", "colonel", "commissioner", "dame", "detective", "father",
    "leader", "officer", "pastor", "premier", "representative", "sergeant", "sgt", "sheriff", "speaker",
}


def _inside_a_name(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` is part of a longer capitalised name (a title before it aside)."""
    if _NAME_GOES_ON.match(text, end):
        return True
    before = _NAME_BEGAN.search(text, max(0, start - 40), start)
    return before is not None and before.group(1).lower() not in TITLE_WORDS


def _fail(path: Path, line: int | None, message: str) -> InputError:
    where = f"line {line}: " if line is not None else ""
    return InputError(f"{where}{message}", path)


def _add(path: Path, labels: dict, aliases: dict, actor: str, label: str, alias: object, line: int) -> None:
    if not isinstance(alias, str) or not alias.strip():
        raise _fail(path, line, f"actor {actor!r} has an empty or non-text alias {alias!r}")
    alias = alias.strip()
    owner = aliases.get(alias)
    if owner is not None and owner != actor:
        raise _fail(path, line, f"alias {alias!r} is given to both {owner!r} and {actor!r}; an alias may name one actor only")
    if labels.setdefault(actor, label) != label:
        raise _fail(path, line, f"actor {actor!r} has two labels: {labels[actor]!r} and {label!r}")
    aliases[alias] = actor


def _from_yaml(path: Path, text: str) -> Gazetteer:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _fail(path, mark.line + 1 if mark else None, f"not valid YAML: {exc.problem or exc}") from None
    top = {k.value: v for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    node = top.get("actors")
    if not isinstance(node, yaml.MappingNode) or not node.value:
        line = root.start_mark.line + 1 if root is not None else None
        raise _fail(path, line, "expected a mapping `actors:` with one entry per actor (see the shipped actors.yaml)")
    labels: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for key, body in node.value:
        actor = key.value
        line = key.start_mark.line + 1
        fields = {k.value: v for k, v in body.value} if isinstance(body, yaml.MappingNode) else None
        if fields is None or not isinstance(fields.get("aliases"), yaml.SequenceNode):
            raise _fail(path, line, f"actor {actor!r} needs `label:` and a list `aliases: [...]`")
        label_node = fields.get("label")
        label = label_node.value if isinstance(label_node, yaml.ScalarNode) and label_node.value else actor
        if not fields["aliases"].value:
            raise _fail(path, line, f"actor {actor!r} has no aliases")
        for item in fields["aliases"].value:
            value = item.value if isinstance(item, yaml.ScalarNode) else None
            _add(path, labels, aliases, actor, label, value, item.start_mark.line + 1)
    return Gazetteer(labels, aliases, path)


def _from_csv(path: Path, text: str) -> Gazetteer:
    rows = csv.reader(text.splitlines())
    header = [h.strip() for h in next(rows, [])]
    if header[:3] != ["actor", "label", "alias"]:
        raise _fail(path, 1, f"expected the header actor,label,alias, found {','.join(header) or 'nothing'}")
    labels: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3 or not row[0].strip():
            raise _fail(path, line, f"expected 3 fields actor,label,alias, found {len(row)}: {','.join(row)!r}")
        actor, label, alias = (cell.strip() for cell in row[:3])
        _add(path, labels, aliases, actor, label or actor, alias, line)
    if not aliases:
        raise _fail(path, None, "no actors found")
    return Gazetteer(labels, aliases, path)


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Read a gazetteer (YAML or CSV); "" or None is the shipped one. Errors name the file and line."""
    path = resolve(path) if path else DEFAULT_ACTORS
    data = read_bytes(path, "actors file")  # a regular file within the size limit: never a FIFO or /dev/zero
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path) from None
    return _from_csv(path, text) if path.suffix.lower() == ".csv" else _from_yaml(path, text)


def to_json(gazetteer: Gazetteer) -> str:
    """The gazetteer as JSON text (:func:`read_json` reads it back): what a measured folder keeps."""
    import json

    source = "shipped" if gazetteer.source == DEFAULT_ACTORS else str(gazetteer.source)
    optional = {key: sorted(getattr(gazetteer, key)) for key in ("modifiers", "name_parts") if getattr(gazetteer, key)}
    return json.dumps({"source": source, "labels": gazetteer.labels, "aliases": gazetteer.aliases,
                       "from_corpus": list(gazetteer.from_corpus), **optional}, indent=1, sort_keys=True,
                      ensure_ascii=False) + "\n"


def read_json(path: str | Path) -> Gazetteer:
    """A gazetteer :func:`to_json` wrote."""
    import json

    path = Path(path)
    try:
        data = json.loads(read_bytes(path, "gazetteer").decode("utf-8"))
        source = DEFAULT_ACTORS if data["source"] == "shipped" else Path(data["source"])
        return Gazetteer(dict(data["labels"]), dict(data["aliases"]), source, tuple(data["from_corpus"]),
                         frozenset(data.get("modifiers", ())), frozenset(data.get("name_parts", ())))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a gazetteer written by opedlens measure ({exc})", path) from None


def find_mentions(sentences: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """One row per actor mention: offsets within the sentence and within the raw file."""
    rows = []
    for sent in sentences.itertuples(index=False):
        for actor, alias, start, end in gazetteer.find(sent.text):
            rows.append((sent.doc_id, sent.para_id, sent.sent_id, actor, gazetteer.labels[actor], alias,
                         sent.text[start:end], sent.start + start, sent.start + end, start, end))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


# --- Actors from the corpus's named entities ----------------------------------------------------------

ENTITY_TYPES = ("PERSON", "NORP", "ORG", "GPE", "LOC")
MIN_ARTICLES = 2  #: an entity becomes an actor when at least this many articles name it (or 3 mentions in one)
MAX_CORPUS_ACTORS = 30
_SMALL_WORDS = {"of", "the", "and", "for", "on", "in", "to", "&"}
_LEADING = re.compile(r"^(?:the|The)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


_NAME = re.compile(r"(?:al-|el-)?[A-Z0-9][\w.'’&-]*(?: (?:of|the|and|for|on|in|de|al|bin|van|von|la|le|du|&|[A-Z0-9][\w.'’&-]*))*")


def _entity_name(text: str) -> str:
    """An entity's name as a gazetteer alias (no leading "the", no possessive, one space between words), or ""
    when it does not read as a name: capitalised words, a few linking words between them, none at the end."""
    name = " ".join(_POSSESSIVE.sub("", _LEADING.sub("", text.strip())).split())
    last = re.sub(r"^(?:al|el)-", "", name.split()[-1]) if name else ""
    return name if _NAME.fullmatch(name) and last[:1].isupper() else ""


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word.lower() not in _SMALL_WORDS and word[0].isupper())


def _actor_id(name: str) -> str:
    return "ner_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def corpus_entities(sentences: pd.DataFrame, parsed: list | None = None) -> pd.DataFrame:
    """Every named entity spaCy finds in the sentences (or in their ``parsed`` docs): doc_id, sent_id, name,
    type."""
    from opedlens.measure import nlp

    rows = []
    for sent, doc in zip(sentences.itertuples(index=False), parsed or nlp.entities_only(sentences["text"])):
        for entity in nlp.entities(doc):
            name = _entity_name(nlp.original_text(entity))
            if entity.label_ in ENTITY_TYPES and len(name) > 1:
                rows.append((sent.doc_id, sent.sent_id, name, entity.label_))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "name", "type"])


_DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i", "ish")
#: Demonyms and other names no regular ending yields: the name of the actor they join.
SAME_ACTOR = {"British": "United Kingdom", "Britain": "United Kingdom", "Great Britain": "United Kingdom",
              "UK": "United Kingdom", "U.K.": "United Kingdom", "French": "France", "Dutch": "Netherlands",
              "Spanish": "Spain", "Afghan": "Afghanistan", "Afghans": "Afghanistan", "Irish": "Ireland",
              "Welsh": "Wales", "Scottish": "Scotland", "Swiss": "Switzerland", "Filipino": "Philippines",
              "Greek": "Greece", "Thai": "Thailand", "Polish": "Poland", "Danish": "Denmark",
              "Swedish": "Sweden", "Finnish": "Finland", "Norwegian": "Norway", "Israelis": "Israel"}


def _stems(name: str) -> set[str]:
    """``name`` without a final vowel or "y" or "ey": the stem a demonym ending attaches to."""
    return {name, name.rstrip("aeiouy"), name[:-2] if name.endswith("ey") else name}


def _is_demonym(people: str, place: str) -> bool:
    """Whether ``people`` is the demonym of ``place`` by a regular ending (Syrian, Chinese, Iraqi, Turkish)."""
    return any(people == stem + ending for stem in _stems(place) for ending in _DEMONYM_ENDINGS)


def _known(name: str, known: dict[str, str]) -> str | None:
    """The gazetteer actor of ``name``, also when spaCy dropped or added a final period ("U.S" for "U.S.")."""
    for variant in (name, name + ".", name.rstrip(".")):
        if variant in known:
            return known[variant]
    return None


def _merge_names(entities: pd.DataFrame, known: dict[str, str]) -> dict[str, str]:
    """Each entity name -> the name it stands for: "known:<actor>" for a name of a gazetteer actor, a
    surname's full name, an acronym's expansion, a plural's singular (a group's singular its plural: "Muslim" ->
    "Muslims"), a demonym's place, else itself."""
    names = entities.groupby("name")["type"].agg(lambda t: t.mode().iloc[0])
    surnames, expansions = {}, {}
    for name, kind in names.items():
        if kind == "PERSON" and len(name.split()) > 1:
            surnames.setdefault(name.split()[-1], set()).add(name)
        if len(name.split()) > 1 and len(_initials(name)) > 1:
            expansions.setdefault(_initials(name), set()).add(name)
    places = [n for n, kind in names.items() if kind in ("GPE", "LOC")]
    target = {}
    for name, kind in names.items():
        actor = _known(name, known)
        if actor is not None:
            target[name] = "known:" + actor
        elif kind == "PERSON" and len(name.split()) == 1 and len(surnames.get(name, ())) == 1:
            target[name] = next(iter(surnames[name]))
        elif name in SAME_ACTOR:
            target[name] = SAME_ACTOR[name] if _known(SAME_ACTOR[name], known) is None \
                else "known:" + _known(SAME_ACTOR[name], known)
        elif name.isupper() and len(expansions.get(name, ())) == 1:
            target[name] = next(iter(expansions[name]))
        elif name.endswith("s") and name[:-1] in names.index:
            target[name] = name[:-1]
        elif kind == "NORP" and (place := next((p for p in places if _is_demonym(name, p)), None)):
            target[name] = place
        else:
            target[name] = name
    for name in list(target):  # a group is named in the plural: "Muslims", "Republicans" (not "Muslim")
        single = name[:-1]
        if name.endswith("s") and target[name] == single == target.get(single) \
                and "NORP" in (names[name], names[single]):
            target[name] = target[single] = name
    resolved = {}
    for name in target:  # follow short chains (Americans -> American -> known:united_states)
        hop, seen = name, set()
        while target.get(hop, hop) != hop and hop not in seen:
            seen.add(hop)
            hop = target[hop]
        resolved[name] = hop
    return resolved


def common_words(texts) -> frozenset[str]:
    """Capitalised words the texts use more often as ordinary words: each word whose lower-case form occurs at least
    as often as the capitalised form does after a sentence's first word ("People", "Will"; not "Brown" in articles
    about Michael Brown)."""
    lower, capitalised = Counter(), Counter()
    for text in texts:
        for k, word in enumerate(re.findall(r"[A-Za-z][A-Za-z'-]*", str(text))):
            if word.islower():
                lower[word] += 1
            elif k and word[0].isupper() and word[1:].islower():
                capitalised[word] += 1
    words = {word.capitalize() for word in lower}
    return frozenset(w for w in words if lower[w.lower()] >= capitalised.get(w, 0))


def _candidates(entities: pd.DataFrame, known: dict[str, str], common: frozenset[str] = frozenset()) -> dict[str, str]:
    """Alias -> name of each actor the entities propose that the gazetteer lacks; a person's surname is an alias
    too (news names a person in full, then by surname) unless it is another name's or the gazetteer's, or a word
    the corpus uses as an ordinary word (``common``: "Sand People" does not make every "People" a mention)."""
    merged = _merge_names(entities, known)
    aliases = {name: target for name, target in merged.items() if not target.startswith("known:")
               and (name == target or name not in common)}
    people = entities.loc[entities["type"] == "PERSON", "name"].map(aliases).dropna().unique()
    surnames: dict[str, set] = {}
    for person in people:
        if len(person.split()) > 1:
            surnames.setdefault(person.split()[-1], set()).add(person)
    for surname, owners in surnames.items():
        if len(owners) == 1 and surname not in aliases and _known(surname, known) is None and len(surname) > 2 \
                and surname not in common:
            aliases[surname] = next(iter(owners))
    return aliases


def _labels(names: set[str], entities: pd.DataFrame) -> dict[str, str]:
    """Actor id -> label of the named actors: of two spellings with one id ("Al Qaeda", "al-Qaeda") the one the
    entities use most, then the first in alphabetical order (never the order of a set, which changes from run to
    run)."""
    uses = entities["name"].value_counts()
    labels: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (-uses.get(n, 0), n)):
        labels.setdefault(_actor_id(name), name)
    return labels


def with_corpus_actors(sentences: pd.DataFrame, gazetteer: Gazetteer, parsed: list | None = None,
                       min_articles: int = MIN_ARTICLES, max_actors: int = MAX_CORPUS_ACTORS) -> Gazetteer:
    """``gazetteer`` plus the actors named in the corpus: names spaCy's entities propose (aliases merged), counted
    by matching them in every sentence; those in at least ``min_articles`` articles (or three times in a
    one-article corpus), the ``max_actors`` named in most articles."""
    entities = corpus_entities(sentences, parsed)
    candidates = _candidates(entities, gazetteer.aliases, common_words(sentences["text"])) if not entities.empty else {}
    if not candidates:
        return gazetteer
    kinds = entities.groupby("name")["type"].agg(lambda t: t.mode().iloc[0])
    groups = set(kinds[kinds == "NORP"].index)
    # "Muslim" (not "Muslims"): the group only where no word follows it; "State": not inside "Islamic State" (but
    # "British Muslims" are Muslims)
    group_words = {alias for alias, name in candidates.items() if name in groups and not alias.endswith("s")}
    name_words = {alias for alias, name in candidates.items() if name not in groups and " " not in alias}
    proposed = Gazetteer(_labels(set(candidates.values()), entities),
                         {alias: _actor_id(name) for alias, name in candidates.items()}, gazetteer.source,
                         modifiers=frozenset(group_words), name_parts=frozenset(name_words))
    mentions = pd.DataFrame([(doc_id, actor) for doc_id, text in zip(sentences["doc_id"], sentences["text"])
                             for actor, _, _, _ in proposed.find(text)], columns=["doc_id", "actor"])
    reach = mentions.groupby("actor").agg(articles=("doc_id", "nunique"), mentions=("doc_id", "size"))
    n_docs = sentences["doc_id"].nunique()
    enough = reach["articles"] >= min_articles if n_docs >= min_articles else reach["mentions"] >= 3
    chosen = (reach[enough].sort_values(["articles", "mentions"], ascending=False, kind="stable")
              .head(max_actors).index)
    labels, aliases, added = dict(gazetteer.labels), dict(gazetteer.aliases), []
    modifiers, name_parts = set(gazetteer.modifiers), set(gazetteer.name_parts)
    for actor in chosen:
        if actor in labels:
            continue
        labels[actor] = proposed.labels[actor]
        added.append(actor)
        for alias in sorted(a for a, owner in proposed.aliases.items() if owner == actor):
            if aliases.setdefault(alias, actor) == actor:
                modifiers |= {alias} & group_words
                name_parts |= {alias} & name_words
    return Gazetteer(labels, aliases, gazetteer.source, tuple(added), frozenset(modifiers), frozenset(name_parts))


def gazetteer_for(sentences: pd.DataFrame, actors_file: str | Path | None = None, from_corpus: bool = False,
                  parsed: list | None = None) -> Gazetteer:
    """The gazetteer a notebook uses: ``actors_file`` (or the shipped one), plus the corpus's named entities
    when ``from_corpus``."""
    gazetteer = load_gazetteer(actors_file)
    return with_corpus_actors(sentences, gazetteer, parsed) if from_corpus else gazetteer


def describe_gazetteer(gazetteer: Gazetteer) -> str:
    """One sentence for the report: which gazetteer found the actors."""
    from opedlens.paths import portable

    shipped = "the shipped gazetteer (the Japan–Korea seed corpus's actors)" if gazetteer.source == DEFAULT_ACTORS \
        else f"the gazetteer `{portable(gazetteer.source)}`"
    n_listed = len(gazetteer.labels) - len(gazetteer.from_corpus)
    if not gazetteer.from_corpus:
        return (f"Actors come from {shipped}: {n_listed} actors. To add the people, places and organisations "
                "this corpus names, run with `-p actors_from_corpus=true`.")
    return (f"Actors come from {shipped} ({n_listed} actors) and from the named entities spaCy finds in this "
            f"corpus: {len(gazetteer.from_corpus)} more, each named in at least {MIN_ARTICLES} articles, "
            "with names the gazetteer knows, surnames and acronyms merged into one actor.")
