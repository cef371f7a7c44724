"""The same matches as spaCy's attribute ruler finds, found about six times faster.

``en_core_web_sm``'s attribute ruler maps each token's fine tag (and, for some words, its lower-case form or
dependency) to its coarse part of speech, morphology and a few lemmas, through 179 token patterns run by spaCy's
general ``Matcher``. The matcher evaluates every pattern's set and regular-expression conditions on every token in
Python-level code, and took more time than the dependency parser (``benchmarks/parse_speed.py``: 4.0 of 13.8 s
per 4,000 EmoBank sentences; 0.6 s with this module). The patterns only test a token's tag, lower-case form,
dependency and whether it is a space, so what each value of those allows is worked out once and remembered.
:class:`AttributeMatch` returns exactly the list ``AttributeRuler.match`` returns (the ruler then sets the
attributes itself, as before); a ruler with any other kind of pattern keeps spaCy's matcher.
"""

from __future__ import annotations

import re

#: The token attributes the patterns may test, in the order ``Doc.to_array`` reads them.
ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE")
#: How many attribute values are remembered (then the memo starts again).
MEMO_LIMIT = 200_000


def install(ruler) -> bool:
    """Make ``ruler`` (a spaCy ``AttributeRuler``) find its matches with :class:`AttributeMatch`; False, and
    nothing changed, when one of its patterns tests something else or uses an operator."""
    try:
        match = AttributeMatch(ruler)
    except _Unsupported:
        return False
    ruler.match = match
    return True


class _Unsupported(Exception):
    """A pattern this matcher does not read."""


class AttributeMatch:
    """``AttributeRuler.match`` for rulers whose patterns test only :data:`ATTRIBUTES` with a value, ``IN``,
    ``NOT_IN`` or ``REGEX``: (attribute id, match id, start, end) for every match, sorted.

    Each token of a pattern is a condition, bit k of an integer. For each attribute and each value it takes, the
    bits of the conditions that value does not rule out are computed once; a token's conditions are then the AND of
    its four values' bits, and its one-token matches are looked up from that."""

    def __init__(self, ruler) -> None:
        from spacy.attrs import IDS

        self.strings = ruler.vocab.strings
        self.attribute_ids = [IDS[name] for name in ATTRIBUTES]
        # Per attribute: the conditions a value or a list of values decides (value -> bits of the conditions it
        # meets, and the bits of all those conditions), and the other tests (NOT_IN, REGEX) as (bit, test).
        self.members: list[dict] = [{} for _ in ATTRIBUTES]
        self.decided = [0 for _ in ATTRIBUTES]
        self.tests: list[list[tuple[int, object]]] = [[] for _ in ATTRIBUTES]
        self.single: list[tuple[int, int, int]] = []  # (condition bit, attribute id, match id) of one-token patterns
        self.longer: list[tuple[int, int, list[int]]] = []  # (attribute id, match id, condition bits) of the rest
        self.n_conditions = 0
        for attr_id, entry in enumerate(ruler.patterns):
            match_id = self.strings[str(attr_id)]
            for pattern in entry["patterns"]:
                bits = [self._condition(token) for token in pattern]
                if not bits:
                    raise _Unsupported
                if len(bits) == 1:
                    self.single.append((bits[0], attr_id, match_id))
                else:
                    self.longer.append((attr_id, match_id, bits))
        self.opening = 0
        for _, _, bits in self.longer:
            self.opening |= bits[0]
        self.allowed: list[dict] = [{} for _ in ATTRIBUTES]  # per attribute: value hash -> condition bits it allows
        self.matches_of: dict[int, tuple] = {}  # condition bits met -> one-token matches (attribute id, match id)

    def _condition(self, token: dict) -> int:
        bit = 1 << self.n_conditions
        self.n_conditions += 1
        for key, value in token.items():
            if key not in ATTRIBUTES:
                raise _Unsupported
            attribute = ATTRIBUTES.index(key)
            accepted = [value] if not isinstance(value, dict) else value["IN"] if list(value) == ["IN"] else None
            if accepted is None:
                self.tests[attribute].append((bit, _test(value)))
                continue
            for one in accepted:
                self.members[attribute][one] = self.members[attribute].get(one, 0) | bit
            self.decided[attribute] |= bit
        return bit

    def _allowed(self, attribute: int, value: int) -> int:
        """The conditions that this value of the attribute does not rule out (all bits, less the failed tests)."""
        found = bool(value) if ATTRIBUTES[attribute] == "IS_SPACE" else self.strings[value]
        bits = ((1 << self.n_conditions) - 1) & ~self.decided[attribute] | self.members[attribute].get(found, 0)
        for bit, test in self.tests[attribute]:
            if not test(found):
                bits &= ~bit
        return bits

    def _matches(self, met: int) -> tuple:
        return tuple((attr_id, match_id) for bit, attr_id, match_id in self.single if met & bit)

    def __call__(self, doc) -> list[tuple[int, int, int, int]]:
        if sum(map(len, self.allowed)) > MEMO_LIMIT:
            for memo in self.allowed:
                memo.clear()
        rows = doc.to_array(self.attribute_ids).tolist() if len(doc) else []
        found, met_by = [], []
        allowed = self.allowed
        for start, row in enumerate(rows):
            met = -1
            for attribute, value in enumerate(row):
                bits = allowed[attribute].get(value)
                if bits is None:
                    bits = allowed[attribute][value] = self._allowed(attribute, value)
                met &= bits
            met_by.append(met)
            matches = self.matches_of.get(met)
            if matches is None:
                matches = self.matches_of[met] = self._matches(met)
            found += [(attr_id, match_id, start, start + 1) for attr_id, match_id in matches]
        if self.longer:
            for start, met in enumerate(met_by):
                if not met & self.opening:
                    continue
                for attr_id, match_id, bits in self.longer:
                    end = start + len(bits)
                    if end <= len(rows) and all(met_by[start + k] & bit for k, bit in enumerate(bits)):
                        found.append((attr_id, match_id, start, end))
        found.sort()
        return found


def _test(value: dict):
    """A function of one attribute value for a ``NOT_IN`` or ``REGEX`` condition (values and ``IN`` lists are looked
    up in :attr:`AttributeMatch.members` instead)."""
    if len(value) != 1:
        raise _Unsupported
    (operator, argument), = value.items()
    if operator == "NOT_IN":
        members = frozenset(argument)
        return lambda found: found not in members
    if operator == "REGEX":
        pattern = re.compile(argument)
        return lambda found: bool(pattern.search(found))
    raise _Unsupported
