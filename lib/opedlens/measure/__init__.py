"""The measure stage: every per-sentence measure, each with the sentence ids it belongs to.

Text processing: ``nlp`` (spaCy parses; ``attribute_matcher`` finds its attribute rules' matches faster),
``embed`` (MiniLM sentence and token embeddings; ``encoder_graph`` writes the encoder as an ONNX graph that
ONNX Runtime runs), ``lexicon`` (TextBlob, VADER), ``features`` and ``models`` (the small trained models, as plain
arrays), ``crossencoder`` (MiniLM fine-tuned: pairs of texts, and the evidence classifier). Measures:
``sentiment`` and ``scorers`` (sentence tone), ``actors`` and ``targeted`` (who is named, and the tone toward
them), ``stance`` (hedges, boosters, modality), ``outlook`` (which sentences look ahead), ``evidence``
(evidence types), ``arguments`` (roles in the argument), ``recommendations`` (who should do what), ``sources``
(who is quoted).
``dataset`` runs them all over a corpus in batches and writes typed Parquet tables (``opedlens measure``),
locally or on a Dask cluster; ``measured`` opens those tables for the notebooks that compare them (measuring the
corpus first when no measured folder is given).
"""
