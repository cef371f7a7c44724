"""The compare stage: articles and groups of articles set against each other, with the article as the unit.

``stats`` and ``groups`` (bootstrap intervals, permutation tests, effect sizes; what is compared with what),
``tone`` and ``actor_tone`` (sentiment compared), ``vocabulary``, ``lda``, ``topics`` and ``keyness`` (what the
articles talk about, and the words that set them apart), ``align`` (the points both sides make) with
``neighbours`` (each unit's nearest units on the other side, never the all-pairs matrix) and ``match_score``
(what decides that two of them make the same point), ``argument_views``
(claims, argument maps, evidence profiles) and ``contrast`` (why, how and how hopeful each side is).
"""
