"""Cross-article alignment: similarity methods, the points table, disagreement rules, the IBM pair builder and
the shipped thresholds."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from opedlens.compare import align
from opedlens.errors import InputError
from opedlens.measure import embed
from opedlens.validate import alignment

needs_minilm = pytest.mark.skipif(not embed.available(), reason=embed.INSTALL_HINT)
needs_ibm = pytest.mark.skipif(not (alignment.IBM_DIR / "evidence.txt").is_file(), reason="IBM CE-EMNLP-2015 not present")

SIDE_A = ["The United States must help Japan and South Korea repair their relationship.",
          "Cherry blossoms in Kyoto bloomed early this spring.",
          "Sanctions on North Korea are working."]
SIDE_B = ["Washington has to help Tokyo and Seoul mend their ties.",
          "Sanctions on North Korea are not working.",
          "The Olympic games will be held in Paris next summer."]


def units(a=SIDE_A, b=SIDE_B) -> pd.DataFrame:
    rows = [{"doc_id": "hill", "sent_id": f"hill.s{k}", "text": t, "role": "claim"} for k, t in enumerate(a)]
    rows += [{"doc_id": "times", "sent_id": f"times.s{k}", "text": t, "role": "premise"} for k, t in enumerate(b)]
    return pd.DataFrame(rows)


@needs_minilm
def test_paraphrases_score_above_unrelated_pairs_with_minilm():
    scores = align.similarity(["The war in Ukraine drags on.", "Prices rose sharply last year."],
                              ["The conflict in Ukraine continues.", "Inflation was high in the past year.",
                               "I baked a chocolate cake."], "minilm")
    assert scores[0, 0] > scores[0, 1] + 0.3 and scores[0, 0] > scores[0, 2] + 0.3
    assert scores[1, 1] > scores[1, 0] + 0.2 and scores[1, 1] > scores[1, 2] + 0.2


@needs_minilm
def test_minilm_matches_by_meaning_where_tfidf_sees_no_shared_words():
    a, b = ["Washington must help Tokyo and Seoul mend ties."], ["America should assist Japan and Korea to reconcile."]
    assert align.similarity(a, b, "tfidf")[0, 0] == 0
    assert align.similarity(a, b, "minilm")[0, 0] > align.threshold_for("minilm")


@needs_minilm
def test_align_finds_shared_and_single_side_points():
    table = align.align(units(), "doc_id")
    assert list(table.columns) == align.POINT_COLUMNS + ["role_a", "role_b"]
    shared = {(r.sent_a, r.sent_b) for r in table.itertuples() if r.status == align.SHARED}
    assert ("hill.s0", "times.s0") in shared  # "The United States must help ..." ~ "Washington has to help ..."
    assert table.loc[table["status"] == "only hill", "sent_a"].tolist() == ["hill.s1"]
    assert table.loc[table["status"] == "only times", "sent_b"].tolist() == ["times.s2"]
    assert table["point_id"].tolist() == [f"P{k:03d}" for k in range(1, len(table) + 1)]
    assert set(table["method"]) == {align.report_method()} and table.loc[0, "role_a"] == "claim"
    assert not (table["status"] == "disagree").any() or align.disagreement_asserted()


def test_an_unmatched_related_pair_with_a_cue_is_only_a_possible_disagreement():
    table = align.align(units(), "doc_id", method="tfidf", threshold=1.01, related_threshold=0.5)
    clash = table[table["status"] == align.POSSIBLE]
    assert clash[["sent_a", "sent_b"]].values.tolist() == [["hill.s2", "times.s1"]]
    assert "negation in B only" in clash["reason"].iloc[0] and "'are not'" in clash["reason"].iloc[0]
    assert clash["pairing"].iloc[0] == "related"


def test_a_unit_is_in_one_pair_at_most():
    table = align.align(units(SIDE_A, [SIDE_A[2], "Sanctions on North Korea are not working."] + SIDE_B[:1]),
                        "doc_id", method="tfidf", threshold=0.9, related_threshold=0.3)
    paired = table[table["sent_a"].ne("") & table["sent_b"].ne("")]
    assert paired["sent_a"].is_unique and paired["sent_b"].is_unique


def test_units_too_short_to_say_anything_are_not_matched():
    table = align.align(units(["No.", "Yes."] + SIDE_A[:1], ["No.", "Indeed."] + SIDE_B[:1]), "doc_id",
                        method="tfidf", threshold=0.1, related_threshold=0.1)
    short = table[table["text_a"].isin(["No.", "Yes."]) | table["text_b"].isin(["No.", "Indeed."])]
    assert short["status"].str.startswith("only ").all()
    assert short["reason"].str.contains("fewer than 4 words").all()


def test_align_with_tfidf_and_a_side_series_is_deterministic():
    side = pd.Series(["left"] * 3 + ["right"] * 3)
    first = align.align(units(), side, method="tfidf", threshold=0.5, related_threshold=0.5)
    second = align.align(units(), side, method="tfidf", threshold=0.5, related_threshold=0.5)
    pd.testing.assert_frame_equal(first, second)
    assert first["status"].tolist() == ["shared", "only left", "only left", "only right", "only right"]
    assert (first.loc[0, "sent_a"], first.loc[0, "sent_b"], first.loc[0, "similarity"]) == ("hill.s2", "times.s1", 1.0)


def test_candidates_are_each_units_nearest_on_the_other_side():
    from opedlens.compare import neighbours

    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    b = np.array([[0.9, 0.0], [0.1, 0.8], [0.2, 0.7], [0.0, 0.6]])
    assert list(neighbours.nearest(a, b, k=1).pairs) == [(0, 0), (1, 1), (1, 2), (1, 3)]


def dense_candidates(scores: np.ndarray, k: int, positive_only: bool) -> dict:
    """The reference: each row's and column's k best of the whole matrix (a stable sort: ties to the lower index)."""
    keys = scores if positive_only else np.where(scores > 0, scores, 1e-9)
    found = {}
    for matrix, flip in ((keys, False), (keys.T, True)):
        for i, row in enumerate(np.argsort(-matrix, axis=1, kind="stable")[:, :k]):
            for j in row:
                if matrix[i, j] > 0:
                    found[(j, i) if flip else (i, j)] = scores[(j, i) if flip else (i, j)]
    return dict(sorted(found.items()))


@pytest.mark.parametrize("positive_only", [True, False])
def test_nearest_neighbours_in_blocks_are_those_of_the_whole_matrix(monkeypatch, positive_only):
    """Blocks of a few rows never change which pairs are nearest, their cosines, or the best cosine of a unit."""
    from opedlens.compare import neighbours

    rng = np.random.default_rng(7)
    a, b = rng.normal(size=(40, 6)), rng.normal(size=(25, 6))
    a, b = a / np.linalg.norm(a, axis=1, keepdims=True), b / np.linalg.norm(b, axis=1, keepdims=True)
    a[5] = a[4]  # ties go to the lower index
    monkeypatch.setattr(neighbours, "BLOCK_CELLS", 3 * len(b))  # three rows a block
    near = neighbours.nearest(a, b, 3, positive_only=positive_only)
    scores = np.clip(a @ b.T, -1, 1)
    expected = dense_candidates(scores, 3, positive_only)
    assert list(near.pairs) == list(expected)
    assert np.allclose([near.pairs[p] for p in expected], list(expected.values()))
    assert np.allclose(near.row_best, scores.max(1)) and np.allclose(near.column_best, scores.max(0))


def test_lsa_is_deterministic_and_symmetric_in_scale():
    texts_a, texts_b = SIDE_A * 2, SIDE_B * 2
    first, second = align.similarity(texts_a, texts_b, "lsa"), align.similarity(texts_a, texts_b, "lsa")
    assert np.array_equal(first, second) and first.shape == (6, 6)
    assert np.all(first <= 1.0) and np.all(first >= -1.0)


def test_one_to_one_greedy_matching_takes_the_best_pair_first():
    scored = {(0, 0): 0.9, (0, 1): 0.8, (1, 0): 0.85, (1, 1): 0.1}
    assert align.greedy_pairs(scored, 0.5) == [(0, 0)]  # (1, 0) loses to (0, 0); (1, 1) is below threshold
    assert align.greedy_pairs({(0, 1): 0.7, (0, 0): 0.7}, 0.5) == [(0, 0)]  # ties: lower column first


@pytest.mark.parametrize("sides", [["a"] * 6, ["a", "a", "b", "b", "c", "c"]])
def test_align_needs_exactly_two_sides(sides):
    with pytest.raises(InputError, match="exactly two sides"):
        align.align(units(), pd.Series(sides), method="tfidf", threshold=0.5, related_threshold=0.5)


def test_degenerate_inputs_give_clear_errors():
    with pytest.raises(InputError, match="exactly two sides"):
        align.align(units().iloc[:0], "doc_id", method="tfidf", threshold=0.5, related_threshold=0.5)
    with pytest.raises(InputError, match="lacks column"):
        align.align(units().drop(columns="text"), "doc_id", method="tfidf", threshold=0.5)
    with pytest.raises(InputError, match="TF-IDF found no words"):
        align.similarity(["the and of"], ["is a it"], "tfidf")
    with pytest.raises(InputError, match="unknown alignment method"):
        align.similarity(["a b"], ["c d"], "bert")
    with pytest.raises(InputError, match="3 labels for 6 units"):
        align.align(units(), ["a", "b", "a"], method="tfidf", threshold=0.5)
    assert align.similarity([], ["text"], "tfidf").shape == (0, 1)


def test_similarity_table_is_long_and_tidy():
    table = align.similarity_table(units(), "doc_id", "tfidf")
    assert len(table) == 9 and list(table.columns) == ["side_a", "sent_a", "side_b", "sent_b", "similarity", "method"]
    assert table.loc[(table["sent_a"] == "hill.s2") & (table["sent_b"] == "times.s1"), "similarity"].item() == 1.0


def test_polarity_rules():
    assert align.polarity_conflict("Sanctions work.", "Sanctions do not work.", 0.0, 0.0).startswith("negation in B")
    assert align.polarity_conflict("It is not only costly but also slow.", "It is slow.", 0.0, 0.0) == ""
    assert "limitation" in align.polarity_conflict("Mediation helps.", "Mediation helps, but only for a while.",
                                                   0.0, 0.0)
    assert "opposite sentiment" in align.polarity_conflict("Talks went well.", "Talks went badly.", 0.6, -0.5)
    assert align.polarity_conflict("Talks went well.", "Talks went badly.", 0.6, -0.1) == ""
    assert align.polarity_conflict("They are not friends.", "They are friends.", strict=True) == ""
    assert "modal negation" in align.polarity_conflict("The U.S. can fix it.", "The U.S. may not fix it.", strict=True)


def test_choose_threshold_maximises_f1_between_scores():
    scores = [0.9, 0.8, 0.7, 0.4, 0.3, 0.2]
    labels = [1, 1, 1, 0, 0, 0]
    assert alignment.choose_threshold(scores, labels) == 0.55
    assert alignment.prf(scores, labels, 0.55) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert alignment.threshold_at_recall(scores, labels, 0.6) == 0.8
    with pytest.raises(InputError):
        alignment.choose_threshold([0.1, 0.2], [1, 1])


def write_ibm(folder):
    """A tiny folder in the IBM CE-EMNLP-2015 layout: 4 motions (2 per split), 2 claims each, 2 evidence each."""
    folder.mkdir()
    motions = ["Topic id\tTopic\tData-set"]
    claims = ["Topic\tClaim original text\tClaim corrected version"]
    evidence = ["Topic\tClaim corrected version\tEvidence Text  Type"]
    for m, dataset in enumerate(["train and test", "train and test", "held-out", "held-out"]):
        topic = f"This house would ban thing {m}"
        motions.append(f"{m + 1}\t{topic}\t{dataset}")
        for c in range(2):
            claim = f"thing {m} causes harm number {c}"
            claims.append(f"{topic}\t{claim}\t{claim.capitalize()}")
            for e in range(2):
                evidence.append(f"{topic}\t{claim}\tStudy {e} of motion {m} found effect {c}[REF]\t[STUDY]")
    for name, lines in (("motions", motions), ("claims", claims), ("evidence", evidence)):
        (folder / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_ibm_pair_builder_on_a_synthetic_folder(tmp_path):
    folder = write_ibm(tmp_path / "ibm")
    pairs = alignment.ibm_pairs(folder, seed=3)
    pd.testing.assert_frame_equal(pairs, alignment.ibm_pairs(folder, seed=3))
    assert set(pairs["split"]) == {"train", "test"}
    assert not pairs["text_a"].str.contains(r"\[REF").any() and not pairs["text_b"].str.contains(r"\[REF").any()
    motion = lambda t: int(t.split("motion ")[1][0]) if "motion" in t else int(t.split()[1])  # noqa: E731
    point = lambda t: int(t.rstrip(".")[-1])  # noqa: E731  claim c / effect c
    for row in pairs.itertuples():
        same_motion = motion(row.text_a) == motion(row.text_b)
        assert (motion(row.text_a) <= 1) == (row.split == "train")
        if row.label == 1:
            assert same_motion and point(row.text_a) == point(row.text_b)
        elif row.kind == "same motion, other claim":
            assert same_motion and point(row.text_a) != point(row.text_b)
        else:
            assert row.kind == "other motion" and not same_motion
    counts = pairs.groupby(["split", "label"]).size()
    assert counts[("train", 1)] > 0 and counts[("train", 0)] > counts[("train", 1)]
    assert counts[("test", 1)] > 0


def test_ibm_pair_builder_reports_a_missing_file(tmp_path):
    folder = write_ibm(tmp_path / "ibm")
    (folder / "claims.txt").unlink()
    with pytest.raises(InputError, match="claims.txt"):
        alignment.ibm_pairs(folder)


def test_evaluate_chooses_on_train_and_scores_on_test(tmp_path):
    pairs = alignment.ibm_pairs(write_ibm(tmp_path / "ibm"))
    result = alignment.evaluate(pairs, "tfidf")
    assert result["n_train_pairs"] == (pairs["split"] == "train").sum()
    assert 0 <= result["precision"] <= 1 and 0 <= result["recall"] <= 1 and "held-out" in result["protocol"]


def test_seed_pairs_point_at_the_seed_sentences():
    pairs = alignment.read_seed_pairs()
    assert list(pairs.columns[:4]) == ["sent_a", "sent_b", "label", "note"]
    assert 30 <= len(pairs) <= 40 and set(pairs["label"]) == {0, 1}
    result = alignment.evaluate_seed_pairs("tfidf", 0.1)  # raises if a sentence id or text no longer matches
    assert result["n"] == len(pairs)


def test_shipped_thresholds_cover_every_method():
    shipped = align.thresholds()
    assert set(shipped["methods"]) == set(align.METHODS)
    for figures in shipped["methods"].values():
        assert {"threshold", "related_threshold", "precision", "recall", "f1"} <= set(figures)
        assert figures["related_threshold"] <= figures["threshold"]


@pytest.mark.slow
@needs_minilm
@needs_ibm
def test_thresholds_file_is_what_the_function_writes(tmp_path):
    written = alignment.write_thresholds(alignment.IBM_DIR, tmp_path / "thresholds.json")
    assert json.loads(written.read_text()) == align.thresholds()


def test_compare_with_one_side_lists_its_units_and_matches_nothing():
    one = units()
    one = one[one["doc_id"] == one["doc_id"].iloc[0]]
    similarity, points = align.compare(one, "doc_id", method="tfidf", threshold=0.5)
    assert similarity.empty
    assert (points["status"] == f"only {one['doc_id'].iloc[0]}").all()
    assert points["sent_a"].tolist() == one["sent_id"].tolist()
    assert "nothing to match" in align.summary_note(points)


def test_compare_with_two_sides_is_align_plus_the_similarity_table():
    similarity, points = align.compare(units(), "doc_id", method="tfidf", threshold=0.5)
    expected = align.align(units(), "doc_id", method="tfidf", threshold=0.5)
    pd.testing.assert_frame_equal(points, expected)
    assert len(similarity) == units()["doc_id"].value_counts().prod()


def test_the_similarity_table_keeps_candidate_pairs_not_every_pair():
    many = units(SIDE_A * 3, SIDE_B * 3)
    many["sent_id"] = [f"{d}.s{k}" for d, k in zip(many["doc_id"], range(len(many)))]
    table = align.similarity_table(many, "doc_id", "tfidf")
    assert len(table) < 9 * 9 and len(table) >= 9  # each unit's 3 nearest, both ways
    assert len(align.similarity_table(many, "doc_id", "tfidf", limit=4)) == 16


def test_the_scheduler_given_to_a_comparison_is_where_its_candidate_pairs_are_scored(monkeypatch):
    """Notebook 04's ``scheduler`` reaches the cross-encoder from both of its comparisons (claims, recommendations)."""
    from opedlens.compare import contrast, groups

    if not align.reranked("minilm"):
        pytest.skip("the matching cross-encoder is not installed")
    asked = []
    monkeypatch.setattr(align, "pair_probabilities", lambda a, b, scheduler="": asked.append(scheduler) or np.full(
        len(a), 0.5, dtype=np.float32))
    plan = groups.plan(pd.DataFrame({"doc_id": ["hill", "times"]}))
    align.compare_groups(units().assign(side=lambda t: t["doc_id"]), plan, scheduler="tcp://10.0.0.5:8786")
    recs = units().assign(proposer="author", actor="", rec_id=lambda t: t["sent_id"] + ".r1")
    contrast.recommendations_compared(recs, plan, scheduler="tcp://10.0.0.5:8786")
    assert asked == ["tcp://10.0.0.5:8786"] * 2


def test_a_scheduler_that_does_not_answer_is_a_clear_error(monkeypatch):
    pytest.importorskip("distributed")
    import socket

    import dask

    if not align.reranked("minilm"):
        pytest.skip("the matching cross-encoder is not installed")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{unused.getsockname()[1]}"  # nothing listens there once it is closed
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
            pytest.raises(InputError, match=f"could not reach the Dask scheduler at {address}.*`scheduler`"):
        align.pair_probabilities(SIDE_A, SIDE_B, scheduler=address)


def test_every_pair_of_three_groups_is_compared_with_unique_point_ids():
    from opedlens.compare import groups

    three = pd.concat([units().assign(side=lambda t: t["doc_id"]),
                       units(["Sanctions on North Korea are not working at all."], ["Paris hosts the games."])
                       .assign(side="third", doc_id=lambda t: "third-" + t["doc_id"],
                               sent_id=lambda t: "third." + t["sent_id"])], ignore_index=True)
    plan = groups.plan(pd.DataFrame({"doc_id": three["doc_id"].unique(),
                                     "outlet": [d.split("-")[0] if "-" in d else d for d in three["doc_id"].unique()]}),
                       "outlet")
    three["side"] = three["doc_id"].map(plan.group_of)
    _, points = align.compare_groups(three, plan, "tfidf", threshold=0.5)
    assert set(points["comparison"]) == {f"{a} vs {b}" for a, b in plan.pairs}
    assert points["point_id"].is_unique


def test_matched_pairs_are_points_both_make_only_when_the_matcher_is_validated_on_op_eds():
    from opedlens.compare import contrast

    empty = pd.DataFrame(columns=["side", "actor", "recommendations", "strongest", "action", "example", "text",
                                  "sent_id", "end"])
    points = pd.DataFrame({"status": ["shared", "only a"], "text_a": ["Tokyo must act.", "x"],
                           "text_b": ["Japan has to move.", ""], "sent_a": ["a.s1", "a.s2"], "sent_b": ["b.s1", ""]})
    for asserted, answer in ((False, "not asserted: the matcher is not validated on op-ed prose; 1 candidate pair(s)"),
                             (True, "1 matched pair(s): “Tokyo must act.” ~ “Japan has to move.”")):
        table = contrast.contrast_table(empty, empty, empty, empty, points, ["a", "b"], {"matching": "m"},
                                        shared_asserted=asserted)
        row = table[table["question"] == "points both make"].iloc[0]
        assert row["answer"].startswith(answer) and row["evidence"] == "a.s1; b.s1" and row["trust"] == "m"
        assert ("Tokyo must act" in row["answer"]) == asserted  # a candidate is not quoted as a finding


def test_the_comparison_table_gives_its_trust_notes_as_a_reader_sees_them_not_as_markdown():
    from opedlens.compare import contrast

    empty = pd.DataFrame(columns=["side", "actor", "recommendations", "strongest", "action", "example", "text",
                                  "sent_id", "end"])
    points = pd.DataFrame({"status": ["shared"], "text_a": ["x"], "text_b": ["y"], "sent_a": ["a.s1"],
                           "sent_b": ["b.s1"]})
    table = contrast.contrast_table(empty, empty, empty, empty, points, ["a", "b"],
                                    {"matching": "scored by `opedlens validate matching` on *held-out* topics"})
    row = table[table["question"] == "points both make"].iloc[0]
    assert row["trust"] == "scored by opedlens validate matching on held-out topics"  # the notebook shows it raw


def test_the_pairs_a_finding_quotes_are_those_the_matcher_is_surest_of():
    from opedlens.compare import contrast

    empty = pd.DataFrame(columns=["side", "actor", "recommendations", "strongest", "action", "example", "text",
                                  "sent_id", "end"])
    points = pd.DataFrame({"status": ["shared"] * 5, "text_a": [f"a{k}" for k in range(5)],
                           "text_b": [f"b{k}" for k in range(5)], "sent_a": [f"a.s{k}" for k in range(5)],
                           "sent_b": [f"b.s{k}" for k in range(5)], "match_score": [0.6, 0.9, 0.7, 0.95, 0.65]})
    row = contrast.contrast_table(empty, empty, empty, empty, points, ["a", "b"], {}).iloc[-2]
    assert row["question"] == "points both make"
    assert row["evidence"] == "a.s3; b.s3; a.s1; b.s1; a.s2; b.s2"


def test_who_should_act_names_a_few_actors_per_side_and_counts_the_rest():
    """A group of many articles asks many actors: the finding names the most asked and counts the others."""
    from opedlens.compare import contrast

    empty = pd.DataFrame(columns=["side", "text", "sent_id", "end"])
    who = pd.DataFrame({"side": "a", "actor": [f"actor {k}" for k in range(6)], "recommendations": [5, 4, 3, 2, 1, 1],
                        "strongest": "must", "example": [f"a.s{k}" for k in range(6)], "action": "act",
                        "as_written": [f"actor {k} must act" for k in range(6)]})
    points = pd.DataFrame(columns=["status", "text_a", "text_b", "sent_a", "sent_b"])
    table = contrast.contrast_table(who, empty, empty, empty, points, ["a"], {})
    row = table[table["question"] == "who should act, and how"].iloc[0]
    assert row["answer"].startswith("asks actor 0 (5 of 16, strongest: must); actor 1 (4 of 16")
    assert "actor 3 (2 of 16, strongest: must); 2 other actors (2 of 16; all in notebook 04); e.g. actor 0 must act" \
        in row["answer"]
    assert "actor 4" not in row["answer"] and row["evidence"] == "a.s0; a.s1; a.s2; a.s3"


@pytest.mark.parametrize("row, written", [
    # the sentence's own words, not the actors table's label ("Europe [must] look at themselves" read wrong)
    ({"actor": "Europe", "actor_text": "Europeans", "actor_source": "sentence", "action": "look at themselves"},
     ("Europeans", "look at themselves")),
    ({"actor": "United States", "actor_text": "The U.S.", "actor_source": "sentence", "action": "help"},
     ("the U.S.", "help")),
    # a passive asked of the actor named earlier: the thing first, the actor after ("Congress [must] be done ...")
    ({"actor": "Congress", "actor_text": "", "actor_source": "context", "action": "be done lawfully (that reform)",
      "about": "that reform"}, ("that reform", "be done lawfully (asked of Congress, named earlier)")),
    ({"actor": "United States", "actor_text": "", "actor_source": "context", "action": "close this loophole",
      "about": ""}, ("United States (named earlier)", "close this loophole")),
    ({"actor": "", "actor_text": "", "actor_source": "none", "action": "never be crossed (A line)", "about": "A line"},
     ("a line", "never be crossed")),
    ({"actor": "we", "actor_text": "we", "actor_source": "sentence (not in the gazetteer)", "action": "act"},
     ("“we” (the writer and readers)", "act")),
    ({"actor": "", "actor_text": "", "actor_source": "none", "action": "act", "about": float("nan")},
     ("(no actor named)", "act")),
])
def test_a_recommendation_is_quoted_with_whom_the_sentence_asks(row, written):
    from opedlens.compare import contrast

    assert contrast.as_written(row) == written


@pytest.mark.parametrize("row, strength", [
    ({"strength": "needs to", "cue": "need to", "actor_text": "Democracies"}, "need to"),  # the sentence's own verb
    ({"strength": "needs to", "cue": "we need", "actor_text": "we"}, "need to"),
    ({"strength": "needs to", "cue": "it is imperative", "actor_text": "They"}, "need to"),
    ({"strength": "needs to", "cue": "needs to", "actor_text": "Europe"}, "needs to"),
    ({"strength": "needs to", "cue": "is necessary", "actor_text": float("nan")}, "needs to"),
    ({"strength": "must", "cue": "need to", "actor_text": "we"}, "must"),
])
def test_a_quoted_recommendations_strength_agrees_with_its_subject(row, strength):
    from opedlens.compare import contrast

    assert contrast.strength_as_written(row) == strength


def test_who_should_act_puts_a_named_actor_before_none_and_gives_it_as_the_example():
    """A recommendation that names nobody is counted apart from the actors asked; a named actor is the example."""
    from opedlens.compare import contrast

    recs = pd.DataFrame({"doc_id": "d", "sent_id": ["d.s1", "d.s2"], "actor": ["", "United States"],
                         "strength": ["must", "needs to"], "strength_rank": [3, 3], "action": ["wait", "help"],
                         "proposer": "author"})
    who = contrast.who_acts(recs, {"d": "a"})
    assert who["actor"].tolist() == ["United States", "(no actor named)"]
    empty = pd.DataFrame(columns=["side", "text", "sent_id", "end"])
    points = pd.DataFrame(columns=["status", "text_a", "text_b", "sent_a", "sent_b"])
    answer = contrast.contrast_table(who, empty, empty, empty, points, ["a"], {})["answer"].iloc[0]
    assert answer == ("asks United States (1 of 2, strongest: needs to); 1 of 2 name no actor; "
                      "e.g. United States needs to help")
    nobody = contrast.who_acts(recs.assign(actor=""), {"d": "a"})
    row = contrast.contrast_table(nobody, empty, empty, empty, points, ["a"], {}).iloc[0]
    assert row["answer"].startswith("makes 2 recommendation(s) and names no actor in them; e.g. “must wait”")
    assert row["evidence"] == "d.s1"


def test_how_hopeful_a_group_is_resamples_its_articles_not_its_sentences():
    """Two articles of one group, one hopeful and one gloomy, twenty sentences each: the group's interval spans both
    articles (the articles are what was sampled); two single articles keep an interval over their sentences."""
    from opedlens.compare import contrast

    sentences = pd.DataFrame({"doc_id": ["up"] * 20 + ["down"] * 20,
                              "sent_id": [f"up.s{k}" for k in range(20)] + [f"down.s{k}" for k in range(20)],
                              "text": "It will happen next year."})
    scores = pd.DataFrame({"sent_id": sentences["sent_id"], "accurate": [0.5] * 20 + [-0.5] * 20})
    markers = pd.DataFrame({"sent_id": sentences["sent_id"], "n_hedges": 0, "looks_ahead": True})
    group, _ = contrast.outlook(sentences, markers, {"up": "g", "down": "g"}, draws=500, seed=1, scores=scores)
    assert group.iloc[0]["mean"] == 0 and group.iloc[0]["ci_low"] == -0.5 and group.iloc[0]["ci_high"] == 0.5
    single, _ = contrast.outlook(sentences, markers, {"up": "a", "down": "b"}, draws=500, seed=1, scores=scores)
    assert single.set_index("side")[["mean", "ci_low", "ci_high"]].to_dict("index") == {
        "a": {"mean": 0.5, "ci_low": 0.5, "ci_high": 0.5}, "b": {"mean": -0.5, "ci_low": -0.5, "ci_high": -0.5}}


def test_whether_the_sides_differ_in_hope_is_tested_on_the_unit_that_was_sampled():
    """Three outlets of four articles, one hopeful, one gloomy, one between: across the outlets the tone differs
    (articles shuffled between them), and the answer names the largest difference; two articles compare their
    sentences."""
    from opedlens.compare import contrast, groups

    tones = {"up": [0.5, 0.4, 0.6, 0.5], "down": [-0.5, -0.4, -0.6, -0.5], "mid": [0.0, 0.1, -0.1, 0.0]}
    ahead = pd.DataFrame([{"doc_id": f"{outlet}{k}", "sent_id": f"{outlet}{k}.s{j}", "score": tone + 0.01 * j}
                          for outlet, values in tones.items() for k, tone in enumerate(values) for j in range(5)])
    articles = ahead.drop_duplicates("doc_id").assign(outlet=lambda t: t["doc_id"].str[:-1])
    table = contrast.outlook_difference(ahead, groups.plan(articles, "outlet"), permutations=999, draws=500)
    assert len(table) == 3 and (table["unit"] == "article").all() and (table["n_a"] == 4).all()
    assert table["omnibus_p"].iloc[0] < 0.01 and table["eta_squared"].iloc[0] > 0.9
    empty = pd.DataFrame(columns=["side", "text", "sent_id", "end"])
    points = pd.DataFrame(columns=["status", "text_a", "text_b", "sent_a", "sent_b"])
    who = pd.DataFrame(columns=["side", "actor", "recommendations", "strongest", "example", "action"])
    rows = contrast.contrast_table(who, empty, empty, empty, points, ["up", "down", "mid"], {},
                                   outlook_compared=table)
    answer = rows.set_index(["question", "side"]).loc[("how hopeful", "compared"), "answer"]
    assert answer.startswith("across the sides, the tone of what lies ahead differs beyond chance (p = 0.001, ")
    assert "the largest difference is up − down = +1.00" in answer
    two = ahead[ahead["doc_id"].isin(["up0", "down0"])]
    pair = contrast.outlook_difference(two, groups.plan(two.drop_duplicates("doc_id")), permutations=999, draws=500)
    assert pair[["unit", "n_a", "n_b"]].values.tolist() == [["sentence", 5, 5]]
    text = contrast.contrast_table(who, empty, empty, empty, points, ["up0", "down0"], {}, outlook_compared=pair
                                   ).set_index(["question", "side"]).loc[("how hopeful", "compared"), "answer"]
    assert text.startswith("up0 looks ahead more hopefully by 1.00 (95% CI of the difference +0.98 to +1.02), a "
                           "difference unlikely to be chance (p = ")


def test_the_matching_panel_shows_the_figures_of_the_method_the_report_uses(monkeypatch):
    from opedlens.compare import argument_views

    saved = align.saved_matching()["methods"]
    panel = argument_views.matching_panel("minilm")
    assert panel.index[panel["used here"] == "yes"].tolist() == [align.report_method("minilm")]
    assert set(panel.index) == set(saved)
    row, figures = panel.loc[align.report_method("minilm")], saved[align.report_method("minilm")]
    assert row["ROC AUC"] == round(figures["roc_auc"], 3)
    assert row["f1"] == round(figures.get("cv_f1", figures["f1"]), 3)
    monkeypatch.setattr(align, "saved_matching", lambda: {})  # before `opedlens validate matching --save` has run
    fallback = argument_views.matching_panel("tfidf")
    assert fallback.index[fallback["used here"] == "yes"].tolist() == ["tfidf"]
    assert fallback.loc["tfidf", "threshold"] == align.threshold_for("tfidf")


@pytest.mark.parametrize("validated, status", [(False, align.CANDIDATE), (True, align.SHARED)])
def test_a_match_reads_shared_only_when_the_matcher_is_validated_on_op_eds(monkeypatch, validated, status):
    monkeypatch.setattr(align, "matching_validated", lambda method="minilm": validated)
    _, points = align.compare(units(), "doc_id", method="tfidf", threshold=0.05)
    assert (points["status"] == align.SHARED).any()  # the table keeps what the matcher did
    view = align.points_view(points)
    assert view["status"].iloc[0] == status and align.SHARED not in set(view["status"]) - {status}
    note = align.summary_note(points)
    assert (f"** {status}," in note) and (validated or "candidates for you to judge" in note)


def test_the_op_ed_check_quotes_the_editorial_candidates_only_for_the_matcher_they_scored(monkeypatch):
    """What the report matches between two editorials on one event, judged by a reader: quoted beside the trust
    figures, but only when the saved check scored the method that decides a match now."""
    saved = {"n": 302, "article_pairs": 8, "same_point": 3, "report_method": align.report_method(),
             "scorers": {"report": {"matched": 3, "matched_same_point": 0}}}
    monkeypatch.setattr(align, "saved_editorial_check", lambda: saved)
    monkeypatch.setattr(align, "trust_figures", lambda method: {"op_ed": {"n": 38, "n_same_point": 19,
                                                                          "roc_auc": 0.58}})
    assert align.op_ed_check_text().endswith("of 302 candidate pairs drawn between 8 pairs of editorials on one "
                                             "event, 3 make the same point, and 0 of the 3 it matched do")
    monkeypatch.setattr(align, "saved_editorial_check", lambda: {**saved, "report_method": "an older matcher"})
    assert align.op_ed_check_text().endswith("ROC AUC 0.58 (chance: 0.50)")


def test_large_counts_in_the_comparison_read_with_thousands_separators():
    from opedlens.compare import contrast

    empty = pd.DataFrame(columns=["side", "actor", "recommendations", "strongest", "action", "example", "text",
                                  "sent_id", "end"])
    outlook = pd.DataFrame({"side": ["a"], "looking_ahead": [406], "sentences": [1957], "mean": [-0.09],
                            "ci_low": [-0.11], "ci_high": [-0.07], "hedged_share": [0.37]})
    points = pd.DataFrame(columns=["status", "text_a", "text_b", "sent_a", "sent_b"])
    table = contrast.contrast_table(empty, empty, outlook, empty, points, ["a"], {})
    answer = table[table["question"] == "how hopeful"]["answer"].iloc[0]
    assert answer.startswith("is pessimistic: 406 of 1,957 sentences look ahead")


def test_how_hopeful_says_slightly_when_the_mean_tone_is_inside_the_neutral_band():
    """Fox News looked ahead at -0.04 (95% CI -0.07 to -0.01): unlikely to be 0, but hardly pessimistic in size."""
    from opedlens.compare import contrast

    empty = pd.DataFrame(columns=["side", "actor", "recommendations", "strongest", "action", "example", "text",
                                  "sent_id", "end"])
    outlook = pd.DataFrame({"side": ["dark", "grey", "light", "level", "alone"], "looking_ahead": 10, "sentences": 40,
                            "mean": [-0.14, -0.04, 0.03, 0.02, 0.3], "ci_low": [-0.18, -0.07, 0.01, -0.03, np.nan],
                            "ci_high": [-0.09, -0.01, 0.05, 0.07, np.nan], "hedged_share": 0.3})
    points = pd.DataFrame(columns=["status", "text_a", "text_b", "sent_a", "sent_b"])
    table = contrast.contrast_table(empty, empty, outlook, empty, points, list(outlook["side"]), {})
    said = table[table["question"] == "how hopeful"].set_index("side")["answer"].str.split(":").str[0]
    assert said.to_dict() == {"dark": "is pessimistic", "grey": "is slightly pessimistic",
                              "light": "is slightly hopeful", "level": "is neither clearly hopeful nor clearly "
                              "pessimistic", "alone": "is neither clearly hopeful nor clearly pessimistic"}


def test_a_group_gives_reasons_it_does_not_argue_as_one():
    """For one article the reasons read "argues ..."; for a group of articles, how many reasons its articles give and
    the closest few (the grouped report read "Fox News argues “President Obama holds the key.”")."""
    from opedlens.compare import contrast

    empty = pd.DataFrame(columns=["side", "actor", "recommendations", "strongest", "action", "example", "text",
                                  "sent_id", "end"])
    reasons = pd.DataFrame({"side": ["one", "many"], "sent_id": ["a.s2", "b.s4"], "text": ["Because X.", "Since Y."],
                            "why": "", "closeness": 0.5, "side_reasons": [4, 85], "side_articles": [1, 30]})
    points = pd.DataFrame(columns=["status", "text_a", "text_b", "sent_a", "sent_b"])
    table = contrast.contrast_table(empty, reasons, empty, empty, points, ["one", "many"], {})
    why = table[table["question"] == "why"].set_index("side")["answer"]
    assert why["one"] == "argues “Because X.”"
    assert why["many"] == "gives 85 reasons next to its recommendations, in 30 articles; the closest to them: “Since Y.”"
    # where the validation finds the rules' reasons no likelier reasons than any sentence near a recommendation
    table = contrast.contrast_table(empty, reasons, empty, empty, points, ["one", "many"], {}, reasons_asserted=False)
    why = table[table["question"] == "why"].set_index("side")["answer"]
    assert why["one"] == "writes next to its recommendations “Because X.”"
    assert why["many"] == ("gives 85 sentences the rules take for reasons next to its recommendations, in 30 "
                           "articles; the closest to them: “Since Y.”")
