"""Who is talked about: a configurable gazetteer of actors and their mentions in sentences.

A gazetteer is a YAML file (``actors: {id: {label, aliases: [...]}}``) or a CSV file with the
columns ``actor,label,alias`` (one row per alias). Matching is case-sensitive, on whole words,
longest alias first, so "South Korea" never also counts as "Korea" and "Prime Minister Abe" is one
mention, not two.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from .errors import InputError
from .inputs import read_bytes
from .paths import resolve

DEFAULT_ACTORS = Path(__file__).parent / "data" / "actors.yaml"
MENTION_COLUMNS = ["doc_id", "para_id", "sent_id", "actor", "label", "alias", "mention",
                   "start", "end", "sent_start", "sent_end"]


@dataclass(frozen=True)
class Gazetteer:
    """Actors (id -> label) and aliases (alias -> actor id), plus the compiled matcher."""

    labels: dict[str, str]
    aliases: dict[str, str]
    source: Path

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        names = sorted(self.aliases, key=lambda a: (-len(a), a))
        alternatives = "|".join(re.escape(name) for name in names)
        return re.compile(rf"(?<![\w&])(?:{alternatives})(?![\w&]|\.\w)")

    def find(self, text: str) -> list[tuple[str, str, int, int]]:
        """(actor, alias, start, end) of every mention in ``text``, left to right."""
        return [(self.aliases[m.group()], m.group(), m.start(), m.end()) for m in self.pattern.finditer(text)]


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


def find_mentions(sentences: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """One row per actor mention: offsets within the sentence and within the raw file."""
    rows = []
    for sent in sentences.itertuples(index=False):
        for actor, alias, start, end in gazetteer.find(sent.text):
            rows.append((sent.doc_id, sent.para_id, sent.sent_id, actor, gazetteer.labels[actor], alias,
                         sent.text[start:end], sent.start + start, sent.start + end, start, end))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)
