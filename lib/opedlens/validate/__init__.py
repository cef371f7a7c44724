"""Validation: every measure that stands in for human judgment scored against human-annotated gold data.

``gold`` reads the gold formats; ``sentence_measures`` scores sentiment, targeted sentiment, evidence types and
recommendations; ``alignment`` and ``pair_measures`` score "same point" and "opposite sides"; ``reasons`` scores the
reasons the report gives for each side's recommendations ("why"), read in real editorials; ``agreement`` sets a
second, blind reading of the developers' labels against the first; ``results`` keeps what ``opedlens validate
--save`` wrote, for the report. ``training``, ``pair_models``, ``crossencoder_train``,
``evidence_tuned`` and ``matching_cosine`` train the shipped models (``make models``) and refit them for honest
cross-validation.
"""
