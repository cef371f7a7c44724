"""Sentence spans, whitespace normalization and word tokens (opedlens.corpus.segment)."""

from __future__ import annotations

import pytest

from opedlens.corpus import segment
from opedlens.corpus.clean import clean
from opedlens.corpus.segment import count_words, normalize_space, split_sentences, words
from opedlens.paths import SEEDS_DIR

HILL = "000_421a8de7e923a454.txt"
JAPAN_TIMES = "004_82dceb41ffbd2d64.txt"


def sentences(text: str) -> list[str]:
    """The sentences of a whole string treated as one paragraph."""
    return [text[a:b] for a, b in split_sentences(text, 0, len(text))]


def assert_partition(raw: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Spans are trimmed, ordered, disjoint, inside the paragraph, and cover all its non-whitespace."""
    covered = set()
    previous_end = start
    for a, b in spans:
        assert previous_end <= a < b <= end
        assert not raw[a].isspace() and not raw[b - 1].isspace()
        covered.update(range(a, b))
        previous_end = b
    assert {i for i in range(start, end) if not raw[i].isspace()} <= covered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Japan wants to work with the U.S. The alliance is what matters.",
            ["Japan wants to work with the U.S.", "The alliance is what matters."],
        ),
        (
            "Successful U.S. negotiations depend on the U.S. imposing costs. Kim knows it.",
            ["Successful U.S. negotiations depend on the U.S. imposing costs.", "Kim knows it."],
        ),
        (
            "Vice Adm. Yoji Koda summarized it. He was blunt.",
            ["Vice Adm. Yoji Koda summarized it.", "He was blunt."],
        ),
        (
            "“It is temporary,” said Adm. Katsutoshi Kawano, former chief of staff. “After a while it fades.”",
            ["“It is temporary,” said Adm. Katsutoshi Kawano, former chief of staff.",
             "“After a while it fades.”"],
        ),
        (
            "On Aug. 22, Seoul announced its decision. The deadline is Nov. 22. Talks continue.",
            ["On Aug. 22, Seoul announced its decision.", "The deadline is Nov. 22.", "Talks continue."],
        ),
        (
            "He said: “South Korea has crossed a line that must never be crossed.” Next came the vote.",
            ["He said: “South Korea has crossed a line that must never be crossed.”", "Next came the vote."],
        ),
        (
            "Japan acted, citing “security concerns.” Soon after that, Seoul retaliated.",
            ["Japan acted, citing “security concerns.”", "Soon after that, Seoul retaliated."],
        ),
        (  # NBSP and a space after the quote: pysbd sees one space
            "Japan acted, citing “security concerns.”\xa0 Soon after that, Seoul retaliated.",
            ["Japan acted, citing “security concerns.”", "Soon after that, Seoul retaliated."],
        ),
        (  # a quote opened in an earlier paragraph: pysbd starts the next segment with the ”
            "That was the end of it.” Then the talks resumed.",
            ["That was the end of it.”", "Then the talks resumed."],
        ),
        (  # a quote opening the next sentence stays with it
            'The talks failed. "We tried," he said.',
            ["The talks failed.", '"We tried," he said.'],
        ),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_offsets_are_absolute_and_trimmed_including_nbsp() -> None:
    raw = "HEADER\n\n\xa0 First one. Second\xa0one!\xa0\n\nFOOTER"
    start, end = raw.index("\xa0 First"), raw.index("\n\nFOOTER")
    spans = split_sentences(raw, start, end)
    assert [raw[a:b] for a, b in spans] == ["First one.", "Second\xa0one!"]
    assert spans[0][0] == raw.index("First")
    assert_partition(raw, start, end, spans)


def test_paragraph_with_newlines_splits_on_sentences_not_lines() -> None:
    raw = "The first sentence runs\nonto a second line. The second\r\nsentence ends here."
    assert sentences(raw) == ["The first sentence runs\nonto a second line.", "The second\r\nsentence ends here."]


def test_blank_paragraph_has_no_sentences() -> None:
    assert split_sentences("  \xa0\n\t ", 0, 6) == []
    assert split_sentences("abc", 1, 1) == []


class _Fake:
    """A segmenter returning fixed segments, to exercise the fallback."""

    def __init__(self, segments: list[str]):
        self.segments = segments

    def segment(self, text: str) -> list[str]:
        return self.segments


@pytest.mark.parametrize(
    "segments",
    [
        ["One two.", "THIS IS NOT IN THE TEXT.", "Three four."],  # unknown segment: merged, nothing lost
        ["One   two.", "Three four."],  # different whitespace: found anyway
        [],  # nothing returned: the paragraph is one span
        ["Three four.", "One two."],  # out of order: the second is not found after the cursor
    ],
)
def test_unlocatable_segments_never_lose_text(monkeypatch: pytest.MonkeyPatch, segments: list[str]) -> None:
    monkeypatch.setattr(segment, "_segmenter", lambda: _Fake(segments))
    raw = "  One two. Three four.  "
    spans = split_sentences(raw, 0, len(raw))
    assert_partition(raw, 0, len(raw), spans)
    assert raw[spans[0][0] : spans[-1][1]] == "One two. Three four."


def test_segmenter_is_built_once() -> None:
    assert segment._segmenter() is segment._segmenter()


@pytest.mark.parametrize("text", [
    "Hi. Hi. Hi. Then he left. Then he left.",  # the same sentence again: each found after the one before
    "The U.S. said no. Mr. Abe (the PM) met Dr. Kim at 3 p.m. on Jan. 5, 2019. Then? Nothing!",
    "He said: \u201cGo now.\u201d  Then   he left\u2026 And  Seoul?\u00a0Tokyo.",
    "a", "", "No end here", "1. First. 2. Second. (3) Third.",
])
def test_sentences_are_pysbds_own(text: str) -> None:
    """The segmenter finds each sentence's span with a string search instead of pysbd's per-sentence regular
    expression: pysbd's sentences and spans, unchanged."""
    import pysbd

    for char_span in (False, True):
        ours = segment._Segmenter(language="en", clean=False, char_span=char_span).segment(text)
        theirs = pysbd.Segmenter(language="en", clean=False, char_span=char_span).segment(text)
        if char_span:
            ours, theirs = ([(s.sent, s.start, s.end) for s in found] for found in (ours, theirs))
        assert ours == theirs


@pytest.mark.parametrize(("name", "expected"), [(HILL, 40), (JAPAN_TIMES, 58)])
def test_seed_sentence_counts_and_partition(name: str, expected: int) -> None:
    raw = (SEEDS_DIR / name).read_text(encoding="utf-8")
    body = [b for b in clean(raw).blocks if b.kind == "body"]
    total = 0
    for block in body:
        spans = split_sentences(raw, block.start, block.end)
        assert_partition(raw, block.start, block.end, spans)
        total += len(spans)
    assert total == expected


def test_seed_sentences_around_abbreviations() -> None:
    raw = (SEEDS_DIR / JAPAN_TIMES).read_text(encoding="utf-8")
    found = {raw[a:b] for block in clean(raw).blocks for a, b in split_sentences(raw, block.start, block.end)}
    assert any(s.startswith("Japan downgraded") and s.endswith("citing “security concerns.”") for s in found)
    assert any(s.startswith("Vice Adm. Yoji Koda,") and s.endswith("must never be crossed.”") for s in found)
    assert any(s.startswith("On Aug. 22, South Korea announced") for s in found)
    assert any(s.endswith("by South Korea on Nov. 22.") for s in found)


def test_normalize_space() -> None:
    assert normalize_space("  it\xa0is\xa0\n different.\r\n\t") == "it is different."
    assert normalize_space("\xa0\n ") == ""


def test_words_and_count_words() -> None:
    text = "Kim’s Self-Defense and the U.S.-led bloc—don't count “quotes” (CMPP), 2.5 or 3,000; U.S. ends."
    assert words(text) == [
        "Kim’s", "Self-Defense", "and", "the", "U.S.-led", "bloc", "don't", "count", "quotes",
        "CMPP", "2.5", "or", "3,000", "U.S.", "ends",
    ]
    assert count_words(text) == 15
    assert count_words("") == 0
    assert count_words("— • …") == 0
