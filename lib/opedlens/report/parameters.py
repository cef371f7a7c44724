"""The notebooks' parameters: their declared types, read from the command line, checked before any notebook runs.

Each notebook declares its parameters in its ``parameters`` cell with a type (``corpus_dir: str = "seeds"``).
:func:`check` holds every value given (params file, ``--corpus``, ``-p``) against those types and against the
few value rules of :func:`check`, so a wrong value is one line naming the parameter, the value and what it
should be, before a kernel has started, never a traceback minutes later inside a notebook.

On the command line, ``-p key=value`` is read by the parameter's declared type (:func:`parse_assignment`): text
parameters take the value exactly as typed (``-p corpus_dir=123`` is the folder ``123``), list parameters take a
YAML list or one or more comma-separated items (``-p doc_ids=ha-2019-hill``), the others YAML scalars.
"""

from __future__ import annotations

from typing import Callable

import yaml

from opedlens.errors import InputError

#: The types a parameters cell may declare, and how a message names them.
TYPES = {"str": "text", "int": "a whole number", "float": "a number", "bool": "true or false",
         "list": "a list"}
#: Text parameters that name something and may not be empty ("" would mean the project folder itself).
REQUIRED_TEXT = {"corpus_dir", "validation_dir"}


Rule = Callable[[object], "str | None"]  # what is wrong with a value, or None


def _one_of(*choices: str) -> Rule:
    return lambda v: None if v in choices else f"should be one of {', '.join(choices)}"


def _subset_of(*choices: str) -> Rule:
    def rule(values) -> str | None:
        unknown = [v for v in values if v not in choices]
        if not values or unknown:
            named = f"{', '.join(map(repr, unknown))} {'is' if len(unknown) == 1 else 'are'} not one of" if unknown \
                else "should name at least one of"
            return f"{named} {', '.join(choices)}"
        return None
    return rule


def _at_least(low: int) -> Rule:
    return lambda v: None if v >= low else f"should be at least {low}"


def _between(low: float, high: float) -> Rule:
    return lambda v: None if low <= v <= high else f"should be between {low:g} and {high:g}"


def _rules() -> dict[str, Rule]:
    """The value rules: parameter -> what is wrong with a value (None when nothing is)."""
    from opedlens.compare.align import METHODS
    from opedlens.compare.topics import MODELS
    from opedlens.measure.scorers import SCORERS

    return {
        "bootstrap_draws": _at_least(1), "permutations": _at_least(1), "smoothing_window": _at_least(1),
        "window": _at_least(1), "min_df": _at_least(1), "n_keywords": _at_least(1), "k_min": _at_least(1),
        "k_max": _at_least(1), "n_seeds": _at_least(2), "ngram_max": _between(1, 3), "selection_units": _at_least(0),
        "seed": lambda v: None if 0 <= v < 2**32 else "should be between 0 and 4294967295",
        "jobs": lambda v: None if v != 0 else "should be a number of processes: 1 or more, or -1 for one per CPU core",
        "min_stability": _between(0, 1), "match_threshold": _between(0, 1),
        "prior_strength": lambda v: None if v > 0 else "should be a positive number",
        "unit": _one_of("paragraph", "window"), "alignment_method": _one_of(*METHODS),
        "models": _subset_of(*MODELS), "scorers": _subset_of(*SCORERS),
    }


def declared_types(specs) -> dict[str, str]:
    """Every parameter's declared type across the notebooks (``{"corpus_dir": "str", ...}``)."""
    types: dict[str, str] = {}
    for spec in specs:
        for name, kind in spec.types.items():
            if types.setdefault(name, kind) != kind:
                raise InputError(f"parameter {name} is declared {types[name]} in one notebook and {kind} in "
                                 f"{spec.path.name}", spec.path)
    return types


def parse_assignment(text: str, types: dict[str, str] | None = None) -> tuple[str, object]:
    """``key=value`` from ``-p``, read by the parameter's declared type (see the module's docstring); an
    undeclared key gets YAML's reading (and is refused later, by name)."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise InputError(f"-p expects key=value, got {text!r}")
    kind = (types or {}).get(key)
    if kind == "str":
        return key, value
    try:
        parsed = yaml.safe_load(value) if value.strip() else ""
    except yaml.YAMLError:
        parsed = value
    if kind == "list" and not isinstance(parsed, list):
        return key, [item.strip() for item in value.split(",") if item.strip()]
    return key, parsed


def _describe(value: object) -> str:
    """A value as a message shows it, on one line and short."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (int, float, list, dict, type(None))):
        text = repr(value)
    else:
        text = yaml.safe_dump(value, default_flow_style=True).removesuffix("...\n")
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _coerce(name: str, value: object, kind: str) -> object:
    """``value`` as the declared ``kind``, or an InputError saying what it should be."""
    wrong = InputError(f"parameter {name} = {_describe(value)}: should be {TYPES[kind]} ({kind}), "
                       f"not {type(value).__name__}")
    if kind == "str":
        if value is None:
            return None
        if not isinstance(value, str):
            raise wrong
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise wrong
        return float(value)
    if kind == "list":
        if value is None or value == "":
            return []
        if not isinstance(value, list):
            raise wrong
        items = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise InputError(f"parameter {name} = {_describe(value)}: should be a list of text items; "
                                 f"{_describe(item)} is not")
            items.append(str(item))
        return items
    return value


def check(params: dict[str, object], types: dict[str, str], defaults: dict[str, object] | None = None
          ) -> dict[str, object]:
    """``params`` checked against the declared ``types`` and the value rules, with numbers made the declared kind
    (``-p min_stability=1`` is 1.0); the first problem is one-line :class:`InputError`. Unknown names are refused;
    rules between parameters (k_min <= k_max) also see the notebooks' ``defaults``."""
    unknown = sorted(set(params) - set(types))
    if unknown:
        raise InputError(f"unknown parameter(s) {', '.join(unknown)}; the notebooks declare: "
                         f"{', '.join(sorted(types))}")
    checked = {name: _coerce(name, value, types[name]) for name, value in params.items()}
    for name in sorted(REQUIRED_TEXT & set(checked)):
        if not (checked[name] or "").strip():
            raise InputError(f"parameter {name} is empty: it must name a folder")
    rules = _rules()
    for name, value in checked.items():
        problem = rules[name](value) if name in rules and value is not None else None
        if problem:
            raise InputError(f"parameter {name} = {_describe(value)}: {problem}")
    merged = (defaults or {}) | checked
    if "k_min" in merged and "k_max" in merged and merged["k_min"] > merged["k_max"]:
        raise InputError(f"parameters k_min = {merged['k_min']} and k_max = {merged['k_max']}: k_min may not be "
                         "larger than k_max")
    return checked
