"""Boilerplate removal with an audit (opedlens.corpus.clean), on the two seeds and on crafted variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from opedlens.corpus.clean import RULES, Block, Cleaned, Removal, clean
from opedlens.paths import SEEDS_DIR

HILL = "000_421a8de7e923a454.txt"
JAPAN_TIMES = "004_82dceb41ffbd2d64.txt"

BODY_1 = "The alliance has weathered storms before, and it will weather this one too."
BODY_2 = "Both governments know that the costs of a rupture would be far higher than the costs of a deal."
BODY_3 = "Washington should therefore press both capitals to separate history from security cooperation."


def read_seed(name: str) -> str:
    return (SEEDS_DIR / name).read_text(encoding="utf-8")


def article(*paragraphs: str) -> str:
    """Paragraphs separated by blank lines."""
    return "\n\n".join(paragraphs) + "\n"


def body(cleaned: Cleaned) -> list[str]:
    return [b.text for b in cleaned.blocks if b.kind == "body"]


def removed(cleaned: Cleaned, rule: str) -> list[str]:
    return [r.text for r in cleaned.removed if r.rule == rule]


def assert_covered(raw: str, cleaned: Cleaned) -> None:
    """Every non-whitespace character (a leading BOM aside) is in exactly one Block or Removal."""
    counts = [0] * len(raw)
    spans: list[Block | Removal] = [*cleaned.blocks, *cleaned.removed]
    for span in spans:
        assert raw[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
        for i in range(span.start, span.end):
            counts[i] += 1
    for i, char in enumerate(raw):
        if char.isspace() or (i == 0 and char == "\ufeff"):
            assert counts[i] <= 1, (i, char)
        else:
            assert counts[i] == 1, (i, raw[max(0, i - 20) : i + 20])
    assert all(r.rule in RULES for r in cleaned.removed)
    assert [r.start for r in cleaned.removed] == sorted(r.start for r in cleaned.removed)
    assert [b.start for b in cleaned.blocks] == sorted(b.start for b in cleaned.blocks)


@pytest.fixture(scope="module")
def hill() -> tuple[str, Cleaned]:
    raw = read_seed(HILL)
    return raw, clean(raw)


@pytest.fixture(scope="module")
def japan_times() -> tuple[str, Cleaned]:
    raw = read_seed(JAPAN_TIMES)
    return raw, clean(raw)


# --- the seeds ---------------------------------------------------------------------------------------------


FORBIDDEN_IN_BLOCKS = [
    "Print PRINT", "print PRINT", "Getty Images", "September 12, 2019", "The Japan Times", "English Press",
    "Tags ", "Ambassador", "G7 Summit", "More International News", "See All", "See all Hill.TV", "Follow",
    "@MatJunsuk", "Mathew Ha is a research associate", "Satohiro Akimoto is president", "FDD is a Washington",
]


@pytest.mark.parametrize("name", [HILL, JAPAN_TIMES])
def test_seed_coverage_and_no_boilerplate_in_blocks(name: str) -> None:
    raw = read_seed(name)
    cleaned = clean(raw)
    assert_covered(raw, cleaned)
    for block in cleaned.blocks:
        for needle in FORBIDDEN_IN_BLOCKS:
            assert needle not in block.text
        assert block.text != "• Ukraine"


def test_hill_seed(hill: tuple[str, Cleaned]) -> None:
    raw, cleaned = hill
    paragraphs = body(cleaned)
    assert len(paragraphs) == 13
    assert [b.kind for b in cleaned.blocks] == ["body"] * 13
    assert paragraphs[0].startswith("Donald Trump and Kim Jong Un surprised")
    assert paragraphs[-1].endswith("come away with a good deal.")
    meta = cleaned.metadata
    assert meta.title == "Strife between Seoul and Tokyo makes Kim Jong Un’s DMZ victory even more valuable"
    assert meta.author == "Mathew Ha"
    assert meta.affiliation == "Foundation for the Defense of Democracies"
    assert meta.bio.startswith("Mathew Ha is a research associate focused on North Korea")
    assert "FDD is a Washington-based, nonpartisan research institute" in meta.bio
    assert "Follow" not in meta.bio and "@" not in meta.bio
    assert meta.date is None and meta.outlet is None
    assert [(r.rule, r.destination) for r in cleaned.removed] == [
        ("title", "title"),
        ("photo-credit", "dropped"),
        ("author-bio", "bio"),
        ("social-follow", "dropped"),
        ("author-bio", "bio"),
        ("social-follow", "dropped"),
        ("tag-list", "dropped"),
        ("related-links", "dropped"),
        ("related-links", "dropped"),
        ("related-links", "dropped"),
    ]


def test_hill_follow_sentences_have_exact_offsets(hill: tuple[str, Cleaned]) -> None:
    raw, cleaned = hill
    follows = [r for r in cleaned.removed if r.rule == "social-follow"]
    assert [r.text for r in follows] == [
        "Follow\xa0him on Twitter @MatJunsuk.", "Follow FDD on Twitter @FDD and @FDD_CMPP.",
    ]
    assert follows[0].start == raw.index("Follow\xa0him")
    assert follows[1].end == raw.index("@FDD_CMPP.") + len("@FDD_CMPP.")
    bio_line = raw[: raw.index("Mathew Ha is")].count("\n") + 1
    assert {r.line for r in cleaned.removed if r.rule in ("social-follow", "author-bio")} == {bio_line}


def test_japan_times_seed(japan_times: tuple[str, Cleaned]) -> None:
    raw, cleaned = japan_times
    paragraphs = body(cleaned)
    assert len(paragraphs) == 37
    assert paragraphs[0].startswith("For years, tension between Japan and South Korea has waxed and waned")
    assert paragraphs[-1].endswith("further destabilize Northeast Asia.")
    assert [b.text for b in cleaned.blocks if b.kind == "heading"] == [
        "Times have changed", "Generational gap", "What Washington could do",
    ]
    meta = cleaned.metadata
    assert meta.title == "This time it’s for real: U.S. must help Tokyo and Seoul end crisis"
    assert meta.author == "Satohiro Akimoto"
    assert meta.affiliation == "Sasakawa Peace Foundation USA"
    assert meta.bio.startswith("Satohiro Akimoto is president of the Sasakawa Peace Foundation USA")
    assert meta.date == "2019-09-12"
    assert meta.outlet == "The Japan Times"
    by_text = {r.text: (r.line, r.rule, r.destination) for r in cleaned.removed}
    assert by_text["print PRINT"] == (1, "print-button", "dropped")
    assert by_text["• September 12, 2019"] == (6, "bullet-metadata", "date")
    assert by_text["• , The Japan Times"] == (7, "bullet-metadata", "outlet")
    assert by_text["• English Press"] == (8, "bullet-metadata", "dropped")
    assert [by_text[f"• {tag}"] for tag in ("Ambassador", "G7 Summit", "Ukraine")] == [
        (132, "tag-list", "dropped"), (133, "tag-list", "dropped"), (134, "tag-list", "dropped"),
    ]


@pytest.mark.parametrize("name", [HILL, JAPAN_TIMES])
def test_seed_reencoded_with_crlf_and_bom(name: str, tmp_path: Path) -> None:
    original = read_seed(name)
    path = tmp_path / name
    path.write_bytes(original.replace("\n", "\r\n").encode("utf-8-sig"))
    raw = path.read_bytes().decode("utf-8")
    assert raw.startswith("\ufeff") and "\r\n" in raw
    cleaned, reference = clean(raw), clean(original)
    assert_covered(raw, cleaned)
    assert [(b.kind, b.text.replace("\r\n", "\n")) for b in cleaned.blocks] == [
        (b.kind, b.text) for b in reference.blocks
    ]
    assert [(r.line, r.rule, r.destination) for r in cleaned.removed] == [
        (r.line, r.rule, r.destination) for r in reference.removed
    ]
    assert cleaned.metadata == reference.metadata


# --- each rule on crafted variants --------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["Print PRINT", "print", "Share Tweet Email", "SHARE | TWEET | E-MAIL", "12 Comments"])
def test_print_button(line: str) -> None:
    cleaned = clean(article("A headline about trade", line, BODY_1, BODY_2))
    assert removed(cleaned, "print-button") == [line]
    assert body(cleaned) == [BODY_1, BODY_2]


@pytest.mark.parametrize(
    "line",
    [
        "Getty Images", "Getty Images/iStockphoto", "AP Photo/Ahn Young-joon", "Photo: Reuters", "(AFP)",
        "Image credit: Shutterstock", "REUTERS/Kim Kyung-Hoon", "Bloomberg via Getty Images", "(AP Photo/Lee Jin-man)",
    ],
)
def test_photo_credit_in_header_and_body(line: str) -> None:
    cleaned = clean(article("A headline about trade", line, BODY_1, line, BODY_2))
    assert removed(cleaned, "photo-credit") == [line, line]
    assert body(cleaned) == [BODY_1, BODY_2]


@pytest.mark.parametrize(
    ("line", "destination", "field", "value"),
    [
        ("• September 12, 2019", "date", "date", "2019-09-12"),
        ("· Sept. 3, 2021", "date", "date", "2021-09-03"),
        ("- 4 March 2020", "date", "date", "2020-03-04"),
        ("• , The Japan Times", "outlet", "outlet", "The Japan Times"),
        ("▪ , Korea JoongAng Daily", "outlet", "outlet", "Korea JoongAng Daily"),
        ("• Jane Doe, The Guardian", "byline", "author", "Jane Doe"),
        ("* By Jane Doe", "byline", "author", "Jane Doe"),
        ("• English Press", "dropped", None, None),
        ("• Opinion", "dropped", None, None),
    ],
)
def test_bullet_metadata(line: str, destination: str, field: str | None, value: str | None) -> None:
    cleaned = clean(article("A headline about trade", f"  {line}", BODY_1, BODY_2))
    assert [(r.text, r.destination) for r in cleaned.removed if r.rule == "bullet-metadata"] == [(line, destination)]
    if field:
        assert getattr(cleaned.metadata, field) == value
    assert body(cleaned) == [BODY_1, BODY_2]


def test_bullet_metadata_keeps_first_value_and_drops_repeats() -> None:
    bullets = "• May 1, 2020\n• June 2, 2021\n• , The Outlet\n• , Other Outlet"
    cleaned = clean(article("A headline", bullets, BODY_1))
    destinations = [r.destination for r in cleaned.removed if r.rule == "bullet-metadata"]
    assert destinations == ["date", "dropped", "outlet", "dropped"]
    assert (cleaned.metadata.date, cleaned.metadata.outlet) == ("2020-05-01", "The Outlet")


@pytest.mark.parametrize(
    "line", ["Published: Sept. 3, 2021 5:00 AM ET", "Thursday 12 September 2019", "November 22, 2019"]
)
def test_dateline(line: str) -> None:
    cleaned = clean(article("A headline about trade", line, BODY_1))
    assert [(r.rule, r.destination) for r in cleaned.removed] == [("title", "title"), ("dateline", "date")]
    assert cleaned.metadata.date is not None


@pytest.mark.parametrize(
    ("tail", "tags"),
    [
        ("Tags Shinzo Abe Moon Jae-in Trade war", ["Tags Shinzo Abe Moon Jae-in Trade war"]),
        ("Topics: Japan, South Korea, trade", ["Topics: Japan, South Korea, trade"]),
        ("Filed under Asia", ["Filed under Asia"]),
        ("  • Ambassador\n  • G7 Summit\n  • Ukraine", ["• Ambassador", "• G7 Summit", "• Ukraine"]),
        ("- Trade war\n- East Asia", ["- Trade war", "- East Asia"]),
        ("TAGGED: diplomacy\n\n* Seoul\n* Tokyo", ["TAGGED: diplomacy", "* Seoul", "* Tokyo"]),
    ],
)
def test_tag_list_after_the_article(tail: str, tags: list[str]) -> None:
    cleaned = clean(article("A headline about trade", BODY_1, BODY_2, tail))
    assert removed(cleaned, "tag-list") == tags
    assert body(cleaned) == [BODY_1, BODY_2]


@pytest.mark.parametrize(
    "line",
    [
        "More International News", "More from The Guardian", "See All", "See all Hill.TV See all Video", "Read more",
        "Read more: Why Japan matters", "Related:", "Related Stories", "Recommended", "Most Popular", "ADVERTISEMENT",
        "Sponsored content",
    ],
)
def test_related_links(line: str) -> None:
    cleaned = clean(article("A headline about trade", BODY_1, line, BODY_2, line))
    assert removed(cleaned, "related-links") == [line, line]
    assert body(cleaned) == [BODY_1, BODY_2]


@pytest.mark.parametrize(
    "sentence",
    [
        "Follow her on X @janedoe.", "Follow them on Bluesky at @org_bsky!",
        "Follow Jane Doe on Twitter and Facebook: @jd.", "Follow @jdoe on Twitter.", "Follow us on LinkedIn.",
        "Follow The Brookings Institution on Threads @brookings.",
    ],
)
def test_social_follow_sentence_inside_bio_and_as_a_line(sentence: str) -> None:
    bio = f"Jane Doe is a senior fellow at the Council on Foreign Relations. {sentence} She lives in Seoul."
    raw = article("A headline", BODY_1, BODY_2, bio, sentence)
    cleaned = clean(raw)
    assert_covered(raw, cleaned)
    assert removed(cleaned, "social-follow") == [sentence, sentence]
    assert removed(cleaned, "author-bio") == [
        "Jane Doe is a senior fellow at the Council on Foreign Relations.", "She lives in Seoul.",
    ]
    assert cleaned.metadata.bio == f"{bio[: bio.index(sentence)]}She lives in Seoul."
    assert cleaned.metadata.affiliation == "Council on Foreign Relations"


@pytest.mark.parametrize(
    "line", ["Follow us on Facebook", "follow @TheOutlet on Instagram", "Follow him on Twitter @Kim_J"]
)
def test_social_follow_line_without_punctuation(line: str) -> None:
    cleaned = clean(article("A headline", line, BODY_1, line, BODY_2, line))
    assert removed(cleaned, "social-follow") == [line, line, line]
    assert body(cleaned) == [BODY_1, BODY_2]


def test_social_follow_at_the_end_of_a_body_paragraph_is_carved_out() -> None:
    raw = article("A headline", BODY_1, f"{BODY_2} Follow me on Instagram @me.", BODY_3)
    cleaned = clean(raw)
    assert body(cleaned) == [BODY_1, BODY_2, BODY_3]
    assert removed(cleaned, "social-follow") == ["Follow me on Instagram @me."]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Is the alliance over?", "Is the alliance over?"),
        ("Japan and Korea:\xa0time to talk", "Japan and Korea: time to talk"),
    ],
)
def test_title(title: str, expected: str) -> None:
    cleaned = clean(article("share", title, "Getty Images", BODY_1))
    assert removed(cleaned, "title") == [title]
    assert cleaned.metadata.title == expected


def test_no_title_when_the_article_starts_with_prose() -> None:
    cleaned = clean(article(BODY_1, BODY_2))
    assert cleaned.metadata.title is None
    assert body(cleaned) == [BODY_1, BODY_2]


@pytest.mark.parametrize(
    ("line", "author", "outlet"),
    [
        ("By Jane Doe", "Jane Doe", None),
        ("By Jane Doe and John Roe, The Outlet", "Jane Doe and John Roe", "The Outlet"),
        ("BY MATHEW HA, OPINION CONTRIBUTOR — 07/08/19", "MATHEW HA", None),
        ("By Kim Tong-hyung | Associated Press", "Kim Tong-hyung", "Associated Press"),
    ],
)
def test_byline(line: str, author: str, outlet: str | None) -> None:
    cleaned = clean(article("A headline about trade", line, BODY_1))
    assert [(r.text, r.destination) for r in cleaned.removed if r.rule == "byline"] == [(line, "byline")]
    assert (cleaned.metadata.author, cleaned.metadata.outlet) == (author, outlet)


def test_byline_author_wins_over_bio_name() -> None:
    cleaned = clean(article("Headline", "By J. Doe", BODY_1, "Jane Doe is a professor of law at Yale University."))
    assert cleaned.metadata.author == "J. Doe"
    assert cleaned.metadata.affiliation == "Yale University"


@pytest.mark.parametrize(
    ("bio", "author", "affiliation"),
    [
        ("Jane Doe is a professor of political science at Korea University in Seoul.", "Jane Doe", "Korea University"),
        ("Kim Min-ji was the ambassador to Japan.", "Kim Min-ji", None),
        ("John Q. Public serves as director of the Asia Program at the Wilson Center.", "John Q. Public",
         "Asia Program"),
        ("The author is a former diplomat with the Ministry of Foreign Affairs.", None, "Ministry of Foreign Affairs"),
    ],
)
def test_author_bio(bio: str, author: str | None, affiliation: str | None) -> None:
    cleaned = clean(article("A headline about trade", BODY_1, BODY_2, bio, "More from The Outlet"))
    assert [(r.text, r.destination) for r in cleaned.removed if r.rule == "author-bio"] == [(bio, "bio")]
    assert (cleaned.metadata.author, cleaned.metadata.affiliation, cleaned.metadata.bio) == (author, affiliation, bio)
    assert body(cleaned) == [BODY_1, BODY_2]


def test_headings_inside_the_body() -> None:
    cleaned = clean(article("Headline", BODY_1, "A new beginning", BODY_2, "What Seoul could do", BODY_3))
    assert [(b.kind, b.text) for b in cleaned.blocks] == [
        ("body", BODY_1), ("heading", "A new beginning"), ("body", BODY_2), ("heading", "What Seoul could do"),
        ("body", BODY_3),
    ]


def test_crlf_bom_and_no_final_newline() -> None:
    raw = "\r\n\r\n".join(["\ufeffprint Print", "A headline", "• , The Outlet", BODY_1, BODY_2, "• Trade"])
    cleaned = clean(raw)
    assert_covered(raw, cleaned)
    assert [r.line for r in cleaned.removed] == [1, 3, 5, 11]
    assert [r.rule for r in cleaned.removed] == ["print-button", "title", "bullet-metadata", "tag-list"]
    assert body(cleaned) == [BODY_1, BODY_2]


def test_removed_line_splits_a_paragraph() -> None:
    raw = f"Headline\n\n{BODY_1}\nAP Photo/Jane Doe\n{BODY_2}\n"
    cleaned = clean(raw)
    assert_covered(raw, cleaned)
    assert body(cleaned) == [BODY_1, BODY_2]
    assert [(r.line, r.rule) for r in cleaned.removed] == [(1, "title"), (4, "photo-credit")]


def test_multi_line_paragraph_is_one_block() -> None:
    raw = f"Headline\n\n{BODY_1}\n{BODY_2}\r\n\n{BODY_3}"
    cleaned = clean(raw)
    assert body(cleaned) == [f"{BODY_1}\n{BODY_2}", BODY_3]


def test_empty_and_whitespace_only_text() -> None:
    for raw in ("", "\ufeff", " \n\xa0\r\n\t"):
        cleaned = clean(raw)
        assert (cleaned.blocks, cleaned.removed) == ([], [])
        assert cleaned.metadata.title is None


def test_only_boilerplate() -> None:
    raw = article("Print", "Getty Images", "See All")
    cleaned = clean(raw)
    assert_covered(raw, cleaned)
    assert cleaned.blocks == []


# --- what must NOT be removed -------------------------------------------------------------------------------


def test_negative_cases_stay_in_the_body() -> None:
    keep = [
        "Tags are the labels editors attach to stories, and they matter.",
        "Print media is dying.",
        "Moon Jae-in is a former human-rights lawyer.",
        "One sentence ends here.",
        "Three things must happen:\n• Seoul must drop the case.\n• Tokyo must lift its export curbs.",
        "- Seoul must drop the case.\n- Tokyo must lift its export curbs.",
        "See all of them, he said, before the talks collapse.",
        "Follow the money on this one.",
        "Reuters reported the meeting first.",
    ]
    raw = article("A headline about trade", BODY_1, *keep, BODY_2)
    cleaned = clean(raw)
    assert_covered(raw, cleaned)
    assert body(cleaned) == [BODY_1, *keep, BODY_2]
    assert [r.rule for r in cleaned.removed] == ["title"]
    assert cleaned.metadata.bio is None


def test_bio_like_sentence_mid_article_is_body() -> None:
    raw = article("Headline", BODY_1, "Moon Jae-in is a president who prefers dialogue.", BODY_2)
    cleaned = clean(raw)
    assert body(cleaned) == [BODY_1, "Moon Jae-in is a president who prefers dialogue.", BODY_2]
    assert cleaned.metadata.author is None


def test_a_lone_bio_like_paragraph_is_body() -> None:
    cleaned = clean(article("Headline", "Moon Jae-in is a former human-rights lawyer."))
    assert body(cleaned) == ["Moon Jae-in is a former human-rights lawyer."]
    assert cleaned.metadata.bio is None


def test_short_bullets_inside_the_body_are_kept() -> None:
    bullets = "• Trade\n• Security"
    cleaned = clean(article("Headline", BODY_1, bullets, BODY_2))
    assert body(cleaned) == [BODY_1, bullets, BODY_2]


def test_rules_are_described() -> None:
    expected = {
        "print-button", "photo-credit", "bullet-metadata", "dateline", "byline", "title", "tag-list",
        "related-links", "social-follow", "author-bio", "kicker", "call-to-action", "photo-caption", "bare-url",
        "markup", "author-credit", "disclosure", "end-matter",
    }
    assert set(RULES) == expected
    assert all(isinstance(text, str) and text and "\n" not in text for text in RULES.values())


# --- real pages (issue 15): each rule on crafted variants ----------------------------------------------------------

PAGE_BODY = ("The first paragraph of the body says something long enough to be a paragraph.\n\n"
             "The second paragraph goes on with its argument and ends with a period.\n\n"
             "The third paragraph closes the argument with a conclusion of its own.\n")


def _kept_and_removed(raw: str, title: str | None = None):
    found = clean(raw, title=title)
    return [b.text for b in found.blocks], [(r.rule, r.text) for r in found.removed], found


@pytest.mark.parametrize("line", ["CLICK HERE TO JOIN TODD'S AMERICAN DISPATCH", "CLICK HERE TO FOLLOW TODD ON FACEBOOK",
                                  "Click here.", "Click here to get the newsletter", "Sign up for our newsletter",
                                  "Subscribe now!", "Download our app"])
def test_calls_to_action_are_page_chrome_wherever_they_are(line):
    kept, removed, _ = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{line}\n\nA closing paragraph of the body "
                                         "that is long and ends properly.\n")
    assert ("call-to-action", line) in removed and line not in kept


@pytest.mark.parametrize("line", ["@toddstarnes", "@jdoe."])
def test_a_bare_handle_line_is_dropped(line):
    kept, removed, _ = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{line}\n")
    assert ("social-follow", line) in removed


def test_a_bio_after_a_follow_line_is_still_the_bio():
    raw = (f"A Headline\n\n{PAGE_BODY}\nFollow him on Twitter @jdoe. Jane Doe is a columnist for The Daily Planet "
           "and the author of a book on alliances.\n")
    kept, removed, found = _kept_and_removed(raw)
    assert found.metadata.bio.startswith("Jane Doe is a columnist") and not any("Jane Doe" in k for k in kept)


def test_a_bio_behind_a_scraped_o_bullet_is_the_bio():
    raw = f"A Headline\n\n{PAGE_BODY}\no Sarah Boseley is the author of a book on health and a former editor.\n"
    _, _, found = _kept_and_removed(raw)
    assert found.metadata.bio.startswith("Sarah Boseley is the author")
    assert found.metadata.author == "Sarah Boseley"


def test_a_concluding_paragraph_about_someone_else_is_not_a_bio():
    conclusion = ("Barack Obama is a man who will be judged by history for what he did not do in Syria, and the "
                  "judgement will not be kind to him or to those who stood by.")
    kept, removed, found = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{conclusion}\n")
    assert conclusion in kept and found.metadata.bio is None


def test_a_one_line_paragraph_without_its_period_is_body_not_a_subhead():
    line = "And so we must act now and stop waiting for others"
    kept, _, found = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{line}\n\nA last paragraph ends here.\n")
    assert [b.kind for b in found.blocks if b.text == line] == ["body"]
    short = clean(f"A Headline\n\n{PAGE_BODY}\nWhy It Matters\n\nA last paragraph ends here.\n")
    assert [b.kind for b in short.blocks if b.text == "Why It Matters"] == ["heading"]


def test_a_dateline_removes_only_the_date():
    raw = ("A Headline\n\nSeptember 12, 2019 — Tokyo and Seoul have drifted further apart this week, officials say.\n\n"
           + PAGE_BODY)
    kept, removed, found = _kept_and_removed(raw)
    assert ("dateline", "September 12, 2019") in removed
    assert "Tokyo and Seoul have drifted further apart this week, officials say." in kept
    assert found.metadata.date == "2019-09-12"
    assert all(raw[r.start:r.end] == r.text for r in found.removed)


# --- real pages, second audit (tests/data/real-pages): each new rule on crafted variants ----------------------------


@pytest.mark.parametrize("line", ["Link copied", "Share article", "Print article", "Bluesky", "Messenger",
                                  "X (Twitter)", "Skip to content", "Skip to main content", "Share this story"])
def test_share_and_navigation_labels_are_page_chrome(line):
    kept, removed, _ = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{line}\n\nA closing paragraph of the body "
                                         "that is long and ends properly.\n")
    assert ("print-button", line) in removed and line not in kept


def test_a_sentence_that_names_a_network_is_body():
    sentence = "Share prices fell on Facebook after the news, and Messenger lost users."
    kept, _, _ = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{sentence}\n")
    assert sentence in kept


@pytest.mark.parametrize("line", ["https://example.org/opinion/2019/09/a-long-slug-of-words-123",
                                  "www.example.com/story", "https://doi.org/10.64628/AAI.pxevmf9r5"])
def test_a_line_that_is_only_an_address_is_dropped(line):
    kept, removed, _ = _kept_and_removed(f"A Headline\n\n{line}\n\n{PAGE_BODY}")
    assert ("bare-url", line) in removed


def test_a_sentence_with_an_address_is_body():
    sentence = "The full report is at https://example.org/report and it makes grim reading."
    kept, _, _ = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{sentence}\n")
    assert sentence in kept


def test_scraped_heading_marks_go_and_the_heading_stays():
    raw = f"A Headline\n\n{PAGE_BODY}\n## Why this time is different?\n\nA paragraph after the heading ends here.\n"
    kept, removed, found = _kept_and_removed(raw)
    assert ("markup", "##") in removed
    assert [b.kind for b in found.blocks if b.text == "Why this time is different?"] == ["heading"]
    assert all(raw[r.start:r.end] == r.text for r in found.removed)


@pytest.mark.parametrize("marks", ["#", "#####", "-", "* * *", ">"])
def test_a_line_of_only_marks_is_dropped(marks):
    kept, removed, _ = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{marks}\n\nA last paragraph ends here.\n")
    assert ("markup", marks) in removed and marks not in kept


def test_a_level_one_heading_is_the_headline_and_what_stands_above_it_is_chrome():
    raw = ("Skip to content\n\nThe Site's Tagline Here\n\n#\n\nA Headline Broken Onto Its Own Line\n\n"
           "Published: July 30, 2025 2.30pm CEST\n\n" + PAGE_BODY)
    kept, removed, found = _kept_and_removed(raw)
    assert found.metadata.title == "A Headline Broken Onto Its Own Line"
    assert found.metadata.date == "2025-07-30"
    assert kept == [p.strip() for p in PAGE_BODY.split("\n\n") if p.strip()]
    assert "The Site's Tagline Here" not in kept
    one_line = clean("# The Headline on the Marked Line\n\n" + PAGE_BODY)
    assert one_line.metadata.title == "The Headline on the Marked Line"


@pytest.mark.parametrize("credit", ["Aitor Diago/Moment via Getty Images", "Encyclopedia Virginia", "AP Photo/Ahn Young-joon"])
def test_an_image_caption_goes_with_its_credit(credit):
    caption = "Language experts fare no better than everyday people."
    raw = f"A Headline\n\n{PAGE_BODY}\n{caption}\n{credit}\n\nA last paragraph of the body ends here.\n"
    kept, removed, _ = _kept_and_removed(raw)
    assert ("photo-caption", caption) in removed and caption not in kept
    assert "A last paragraph of the body ends here." in kept


def test_a_sentence_followed_by_a_short_subhead_in_a_long_paragraph_is_kept():
    raw = (f"A Headline\n\n{PAGE_BODY}\nThe alliance matters.\nIt always has.\nWhy It Matters\n\n"
           "A last paragraph ends here.\n")
    kept, removed, _ = _kept_and_removed(raw)
    assert not [r for r in removed if r[0] == "photo-caption"]


@pytest.mark.parametrize("statement", [
    "Jane Doe does not work for, consult, own shares in or receive funding from any company or organisation that "
    "would benefit from this article, and has disclosed no relevant affiliations beyond their academic appointment.",
    "John Roe receives funding from the National Science Foundation.",
    "Disclosure: the author advises the ministry on trade policy.",
])
def test_a_closing_disclosure_is_dropped(statement):
    kept, removed, _ = _kept_and_removed(f"A Headline\n\n{PAGE_BODY}\n{statement}\n")
    assert ("disclosure", statement) in removed and statement not in kept


def test_a_disclosure_like_sentence_inside_the_body_is_kept():
    sentence = "The minister receives funding from donors abroad, critics say, and that should worry us."
    kept, _, _ = _kept_and_removed(f"A Headline\n\n{sentence}\n\n{PAGE_BODY}")
    assert sentence in kept


def test_end_matter_after_the_article_goes_and_its_author_credit_is_metadata():
    raw = (f"A Headline\n\n{PAGE_BODY}\n-\nResearch\n\n-\nLanguage\n\nRoger J. Kreuz, University of Memphis\n\n"
           "### Author\n\nRoger J. Kreuz is a Friend of The Site.\n\n### Disclosure statement\n\n"
           "Roger J. Kreuz does not work for anyone.\n\n### Partners\n\nView all partners\n")
    kept, removed, found = _kept_and_removed(raw)
    assert kept == [p.strip() for p in PAGE_BODY.split("\n\n") if p.strip()]
    assert ("tag-list", "Research") in removed and ("end-matter", "Author") in removed
    assert found.metadata.author == "Roger J. Kreuz" and found.metadata.affiliation == "University of Memphis"


def test_a_heading_named_like_end_matter_early_in_the_article_is_kept():
    raw = (f"A Headline\n\nA first paragraph that is long enough to stand as the opening of the piece.\n\nPartners\n\n"
           f"{PAGE_BODY}\nA fourth paragraph.\n\nA fifth paragraph.\n\nA sixth paragraph ends it.\n")
    kept, _, _ = _kept_and_removed(raw)
    assert "Partners" in kept
