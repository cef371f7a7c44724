"""Readers for human-annotated gold files; a malformed file is an error naming its line.

- VADER format (``.tsv``/``.txt``): ``id<TAB>mean rating<TAB>text``, ratings on -4..+4;
- EmoBank (``.csv``): columns ``id,...,V,...,text``, valence on 1..5;
- NewsMTSC (``.jsonl``): one sentence per line with ``targets`` (from, to, polarity 2/4/6).

Valence is rescaled to -1..+1. ``group`` is the document a sentence comes from (the id up to its
first ``_``), so cross-validation can hold out whole documents.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pandas as pd

from opedlens.errors import InputError
from opedlens.paths import GOLD_DIR


def training_data(relative: str) -> Path:
    """A file or folder of the gold data (``../shared/data``, or ``OPEDLENS_GOLD_DIR``) that training needs, or an
    error naming it."""
    path = GOLD_DIR / relative
    if not path.exists():
        raise InputError("gold data not found; training needs ../shared/data (or OPEDLENS_GOLD_DIR)", path)
    return path

def rounds_named(numbers) -> str:
    """ "round 6" or "rounds 6, 7": labelling rounds as the validations' protocols name them."""
    numbers = list(numbers)
    return f"round{'s' * (len(numbers) > 1)} {', '.join(map(str, numbers))}"


POLARITY = {2.0: -1, 4.0: 0, 6.0: 1}


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("gold file not found", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path) from None


def _bad(path: Path, line: int, message: str) -> InputError:
    return InputError(f"line {line}: {message}", path)


def _number(path: Path, line: int, value: str, what: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _bad(path, line, f"{what} {value!r} is not a number") from None
    if not low <= number <= high:
        raise _bad(path, line, f"{what} {number} is outside {low}..{high}")
    return number


def _vader_format(path: Path, text: str) -> pd.DataFrame:
    rows = []
    for line, record in enumerate(text.splitlines(), start=1):
        if not record.strip():
            continue
        fields = record.split("\t")
        if len(fields) < 3:
            raise _bad(path, line, f"expected id<TAB>rating<TAB>text, found {len(fields)} tab-separated field(s)")
        ident, rating, sentence = fields[0].strip(), fields[1], "\t".join(fields[2:]).strip()
        rows.append((ident, sentence, _number(path, line, rating, "rating", -4, 4) / 4))
    return pd.DataFrame(rows, columns=["id", "text", "gold"])


def _emobank_format(path: Path, text: str) -> pd.DataFrame:
    reader = csv.DictReader(text.splitlines())
    if not {"id", "V", "text"} <= set(reader.fieldnames or []):
        raise _bad(path, 1, f"expected EmoBank columns id,V,text; found {','.join(reader.fieldnames or []) or 'nothing'}")
    rows = []
    for record in reader:
        line = reader.line_num
        if record["text"] is None or record["V"] is None:
            raise _bad(path, line, "row has fewer fields than the header")
        rows.append((record["id"], record["text"].strip(), (_number(path, line, record["V"], "V", 1, 5) - 3) / 2))
    return pd.DataFrame(rows, columns=["id", "text", "gold"])


def read_valence(path: str | Path) -> pd.DataFrame:
    """Sentence valence gold: id, text, gold (-1..1), group."""
    path = Path(path)
    text = _text(path)
    frame = _emobank_format(path, text) if path.suffix.lower() == ".csv" else _vader_format(path, text)
    if frame.empty:
        raise InputError("no rated sentences found", path)
    frame["group"] = frame["id"].str.split("_").str[0]
    return frame


def read_targets(path: str | Path) -> pd.DataFrame:
    """Targeted sentiment gold (NewsMTSC): id, text, start, end, mention, gold (-1/0/1), group."""
    path = Path(path)
    rows = []
    for line, record in enumerate(_text(path).splitlines(), start=1):
        if not record.strip():
            continue
        try:
            item = json.loads(record)
            sentence = item["sentence_normalized"]
            targets = item["targets"]
            gid = item["primary_gid"]
        except json.JSONDecodeError as exc:
            raise _bad(path, line, f"not JSON ({exc.msg})") from None
        except (KeyError, TypeError) as exc:
            raise _bad(path, line, f"expected NewsMTSC fields primary_gid, sentence_normalized, targets; missing {exc}") from None
        for target in targets:
            try:
                start, end, polarity = int(target["from"]), int(target["to"]), float(target["polarity"])
            except (KeyError, TypeError, ValueError) as exc:
                raise _bad(path, line, f"a target lacks from/to/polarity ({exc})") from None
            if polarity not in POLARITY:
                raise _bad(path, line, f"polarity {polarity} is not 2.0, 4.0 or 6.0")
            if not 0 <= start < end <= len(sentence):
                raise _bad(path, line, f"target span {start}..{end} lies outside the sentence")
            rows.append((target.get("Input.gid", gid), sentence, start, end, sentence[start:end], POLARITY[polarity],
                         "_".join(gid.split("_")[:2])))
    if not rows:
        raise InputError("no targets found", path)
    return pd.DataFrame(rows, columns=["id", "text", "start", "end", "mention", "gold", "group"])


# --- Webis-Editorials-16 (evidence types) -------------------------------------------------------

WEBIS_LABELS = ("anecdote", "assumption", "common-ground", "statistics", "testimony", "other")
WEBIS_UNSCORED = ("no-unit", "title")


def _webis_units(path: Path) -> list[tuple]:
    """(unit number, paragraph index, text, label) of one editorial's scored units."""
    try:
        paragraphs = json.loads(_text(path))["paragraphs"]
    except json.JSONDecodeError as exc:
        raise _bad(path, exc.lineno, f"not JSON ({exc.msg})") from None
    except (KeyError, TypeError):
        raise InputError('expected a JSON object {"paragraphs": [[{"number", "text", "label"}, ...], ...]}',
                         path) from None
    rows = []
    for index, paragraph in enumerate(paragraphs if isinstance(paragraphs, list) else [None]):
        if not isinstance(paragraph, list):
            raise InputError(f"paragraph {index + 1} is not a list of units", path)
        for unit in paragraph:
            try:
                number, text, label = int(unit["number"]), str(unit["text"]), str(unit["label"])
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"paragraph {index + 1}: a unit lacks number/text/label ({exc})", path) from None
            if label not in WEBIS_LABELS + WEBIS_UNSCORED:
                raise InputError(f"unit {number}: unknown label {label!r}; expected one of "
                                 f"{', '.join(WEBIS_LABELS + WEBIS_UNSCORED)}", path)
            if label in WEBIS_LABELS and text.strip():
                rows.append((number, index, " ".join(text.split()), label))
    return rows


def read_webis(folder: str | Path) -> pd.DataFrame:
    """Evidence-type gold (Webis-Editorials-16: ``<outlet>/<editorial>.json``): doc_id (``outlet/file.json``),
    number, paragraph, text, label, group (= doc_id). Units labelled no-unit or title are dropped."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("gold folder not found (expected <outlet>/<editorial>.json files)", folder)
    files = sorted(folder.glob("*/*.json")) or sorted(folder.glob("*.json"))
    rows = []
    for path in files:
        doc_id = path.relative_to(folder).as_posix() if path.parent != folder else f"{folder.name}/{path.name}"
        rows += [(doc_id, *unit) for unit in _webis_units(path)]
    if not rows:
        raise InputError("no labelled units found (expected <outlet>/<editorial>.json files)", folder)
    frame = pd.DataFrame(rows, columns=["doc_id", "number", "paragraph", "text", "label"])
    frame["group"] = frame["doc_id"]
    return frame



WEBIS_DEV = GOLD_DIR / "arguments" / "webis_editorials16" / "dev"
WEBIS_OUTLETS = {"aljazeera": "Al Jazeera", "foxnews": "Fox News", "guardian": "The Guardian"}
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)\]’”])")


def _paragraph_text(units: list[dict]) -> str:
    """The units of one paragraph joined back into text (the corpus splits units at punctuation)."""
    text = " ".join(u["text"].strip() for u in units if u["text"].strip())
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


def write_webis_corpus(source: str | Path, out: str | Path) -> int:
    """The Webis editorials of ``source`` (``<outlet>/<editorial>.json``) written to ``out`` as an opedlens corpus
    folder: one .txt per editorial (title, blank line, one paragraph per block) and a manifest.csv with doc_id
    (``<outlet>-<file stem>``), file, title and outlet. The texts are research-only: ``out`` may not be inside the
    project. Returns the number of editorials."""
    from opedlens.paths import PROJECT_ROOT

    source, out = Path(source), Path(out)
    if out.resolve().is_relative_to(PROJECT_ROOT.resolve()):
        raise InputError("refusing to write research-only texts inside the project", out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for path in sorted(source.glob("*/*.json")):
        outlet = path.parent.name
        paragraphs = json.loads(_text(path))["paragraphs"]
        title = next((_paragraph_text(p) for p in paragraphs if p and p[0].get("label") == "title"), path.stem)
        body = [_paragraph_text(p) for p in paragraphs if p and p[0].get("label") != "title"]
        doc_id = f"{outlet}-{path.stem}"
        (out / f"{doc_id}.txt").write_text(title + "\n\n" + "\n\n".join(b for b in body if b) + "\n",
                                          encoding="utf-8")
        rows.append({"doc_id": doc_id, "file": f"{doc_id}.txt", "title": title,
                     "outlet": WEBIS_OUTLETS.get(outlet, outlet)})
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["doc_id", "file", "title", "outlet"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def webis_sentences(source: str | Path, scratch: str | Path) -> pd.DataFrame:
    """Every sentence of the Webis editorials, as opedlens cleans and segments them (the corpus is written to
    ``scratch``, a folder outside the project): doc_id, sent_id, text, title, in reading order."""
    from opedlens.corpus.load import iter_cleaned, segment_article

    if not Path(source).is_dir():
        raise InputError("Webis-Editorials-16 folder not found (expected <outlet>/<editorial>.json files)", source)
    write_webis_corpus(source, scratch)
    rows = []
    for article in iter_cleaned(scratch):
        record, _, sentences = segment_article(article.record, article.raw, article.blocks)
        rows += [{"doc_id": s["doc_id"], "sent_id": s["sent_id"], "text": s["text"], "title": record.get("title", "")}
                 for s in sentences]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "text", "title"])


EMOBANK = GOLD_DIR / "sentiment" / "emobank" / "emobank.csv"
EMOBANK_PROSE = ("newspaper", "essays", "letters", "blog")  # the genres whose documents are articles
_EMOBANK_SPAN = re.compile(r"_(\d+)_(\d+)$")


def emobank_articles(path: str | Path) -> pd.DataFrame:
    """EmoBank's sentences of newspaper, essay, letter and blog documents (``meta.tsv`` beside ``emobank.csv`` gives
    each one's document and genre), put back in their documents' order by the character span each id ends in; a span
    inside a longer one (a quotation EmoBank also rated alone) is left out. EmoBank holds some sentences of each
    document, not all: a reader of these, like the rules, sees the document with gaps. Columns doc_id (the
    document), sent_id (EmoBank's id), text, title ("")."""
    path = Path(path)
    meta = path.with_name("meta.tsv")
    if not path.is_file() or not meta.is_file():
        raise InputError("EmoBank not found (expected emobank.csv with meta.tsv beside it)", path)
    try:
        sentences = pd.read_csv(path, usecols=["id", "text"], dtype=str, keep_default_na=False)
        documents = pd.read_csv(meta, sep="\t", usecols=["id", "document", "category"], dtype=str)
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"not EmoBank's emobank.csv and meta.tsv ({exc})", path) from None
    frame = sentences.merge(documents, on="id")
    frame = frame[frame["category"].isin(EMOBANK_PROSE)]
    spans = frame["id"].str.extract(_EMOBANK_SPAN).astype(float)
    frame = frame.assign(start=spans[0], end=spans[1]).dropna(subset=["start"])
    frame = frame.sort_values(["document", "start", "end"], kind="stable")
    kept = []
    for _, document in frame.groupby("document", sort=True):
        rows = list(document.itertuples())
        kept += [r for r in rows if not any(o.start <= r.start and r.end <= o.end and o.end - o.start > r.end - r.start
                                            for o in rows)]
    return pd.DataFrame({"doc_id": [r.document for r in kept], "sent_id": [r.id for r in kept],
                         "text": [r.text.strip() for r in kept], "title": ""})


WEBIS_CORPUS, EMOBANK_CORPUS = "webis-editorials16", "emobank"  # the corpora of data/source-context.csv


def context_articles(corpus: str, path: str | Path) -> pd.DataFrame:
    """Every sentence of a context corpus's articles, in order: :func:`webis_sentences` (through a scratch folder
    outside the project) or :func:`emobank_articles`."""
    if corpus == EMOBANK_CORPUS:
        return emobank_articles(path)
    if corpus != WEBIS_CORPUS:
        raise InputError(f"unknown context corpus {corpus!r}; expected {WEBIS_CORPUS} or {EMOBANK_CORPUS}", path)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="opedlens-editorials-") as scratch:
        return webis_sentences(path, scratch)


def digest(text: str) -> str:
    """A short fingerprint of a sentence's text: a gold file names a research-only sentence by its id and this,
    never by its words, and a reader checks that the id still points at the same sentence."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


# --- IBM ArgKP-2021 (same point) and Claim Stance (opposite sides) -----------------------------------------------

ARGKP_COLUMNS = ("topic", "argument", "key_point", "stance", "label")
CLAIM_STANCE_COLUMNS = ("topic_id", "topic", "topic_target", "topic_sentiment", "claim_id", "stance", "claim")


_LINE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")


def _csv_rows(path: Path, columns: tuple[str, ...], what: str,
              line_breaks: bool = True) -> tuple[list[dict], list[int]]:
    """The rows (each value stripped) and the line each ends on. A quoted value may span lines: its line breaks are
    read as spaces, as the corpus loader reads a sentence broken over lines. ``line_breaks=False`` keeps the older
    reading that joins such lines with nothing between them (ArgKP: the shipped matching model's out-of-fold
    scores are keyed by the texts read that way)."""
    text = _text(path)
    reader = csv.DictReader(io.StringIO(text, newline="") if line_breaks else text.splitlines())
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise _bad(path, 1, f"expected {what} columns {','.join(columns)}; missing {','.join(missing)}")
    rows, lines = [], []
    for record in reader:
        if any(record.get(c) is None for c in columns):
            raise _bad(path, reader.line_num, "row has fewer fields than the header")
        rows.append({c: (_LINE_BREAK.sub(" ", record[c]) if line_breaks else record[c]).strip() for c in columns})
        lines.append(reader.line_num)
    if not rows:
        raise InputError(f"no {what} rows found", path)
    return rows, lines


def is_argkp(path: str | Path) -> bool:
    """Whether ``path`` is a CSV file whose header names the ArgKP-2021 columns."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() != ".csv":
        return False
    header = _text(path).split("\n", 1)[0]
    return set(ARGKP_COLUMNS) <= {c.strip() for c in header.split(",")}


def read_argkp(path: str | Path) -> pd.DataFrame:
    """(argument, key point) pairs (IBM ArgKP-2021): topic, text_a (argument), text_b (key point), stance (+1/-1),
    label (1: the argument makes the key point), group (= topic)."""
    path = Path(path)
    rows, lines = _csv_rows(path, ARGKP_COLUMNS, "ArgKP-2021", line_breaks=False)
    out = []
    for row, line in zip(rows, lines):
        if row["label"] not in ("0", "1") or row["stance"] not in ("1", "-1"):
            raise _bad(path, line, f"label must be 0 or 1 and stance 1 or -1 (found {row['label']!r}, {row['stance']!r})")
        out.append((row["topic"], row["argument"], row["key_point"], int(row["stance"]), int(row["label"])))
    frame = pd.DataFrame(out, columns=["topic", "text_a", "text_b", "stance", "label"])
    frame["group"] = frame["topic"]
    return frame


def read_claim_stance(path: str | Path) -> pd.DataFrame:
    """Claims with their stance toward a debate topic (IBM Claim Stance, EACL 2017): topic_id, topic, target,
    claim_id, claim, stance (+1 PRO / -1 CON), group (= topic_id)."""
    path = Path(path)
    rows, lines = _csv_rows(path, CLAIM_STANCE_COLUMNS, "Claim Stance")
    out = []
    for row, line in zip(rows, lines):
        if row["stance"] not in ("PRO", "CON"):
            raise _bad(path, line, f"stance must be PRO or CON, found {row['stance']!r}")
        out.append((row["topic_id"], row["topic"], row["topic_target"], row["claim_id"], row["claim"],
                    1 if row["stance"] == "PRO" else -1))
    frame = pd.DataFrame(out, columns=["topic_id", "topic", "target", "claim_id", "claim", "stance"])
    frame["group"] = frame["topic_id"]
    return frame


def opposite_pairs(claims: pd.DataFrame) -> pd.DataFrame:
    """Every pair of claims on one topic (Claim Stance): topic_id, text_a, text_b, claim_a, claim_b, label (1 when
    they take opposite sides), group (= topic_id)."""
    rows = []
    for topic, group in claims.groupby("topic_id", sort=True):
        texts, ids, stances = group["claim"].tolist(), group["claim_id"].tolist(), group["stance"].tolist()
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                rows.append((topic, texts[i], texts[j], ids[i], ids[j], int(stances[i] != stances[j])))
    frame = pd.DataFrame(rows, columns=["topic_id", "text_a", "text_b", "claim_a", "claim_b", "label"])
    frame["group"] = frame["topic_id"]
    return frame


# --- Source sentences (labelled by the opedlens developers) ---------------------------------------------------

SOURCE_COLUMNS = ("item", "round", "source", "source_id", "drawn", "text", "speakers")
PRONOUN, SKIPPED = "PRON", "SKIP"  # a speaker named only by a pronoun; a sentence left out (not English)


def read_sources(path: str | Path) -> pd.DataFrame:
    """Sentences labelled with whom each cites (``data/source-sentences.csv``): item, round, source_id, drawn,
    text, ``speakers`` (the named ones, a list), ``pronouns`` (speakers named only by a pronoun), group (= the
    source id). A sentence labelled SKIP is left out."""
    path = Path(path)
    rows, lines = _csv_rows(path, SOURCE_COLUMNS, "source")
    kept = []
    for row, line in zip(rows, lines):
        names = [name.strip() for name in row["speakers"].split(";") if name.strip()]
        if SKIPPED in names:
            if len(names) > 1:
                raise _bad(path, line, f"{SKIPPED} leaves a sentence out and stands alone, found {row['speakers']!r}")
            continue
        if not row["round"].isdigit():
            raise _bad(path, line, f"round must be a number, found {row['round']!r}")
        kept.append({**row, "round": int(row["round"]), "speakers": [n for n in names if n != PRONOUN],
                     "pronouns": names.count(PRONOUN), "group": row["source_id"]})
    if not kept:
        raise InputError("every source row is SKIP", path)
    return pd.DataFrame(kept)



CONTEXT_COLUMNS = ("item", "round", "corpus", "doc_id", "sent_id", "drawn", "digest", "speakers")


def read_source_context(path: str | Path) -> pd.DataFrame:
    """Sentences of the Webis editorials labelled, in their article, with whom each cites
    (``data/source-context.csv``): item, doc_id, sent_id, drawn, digest (of the sentence's text: see
    :func:`digest`), ``speakers`` (a list, empty when the sentence cites nobody), group (= the doc_id)."""
    path = Path(path)
    rows, lines = _csv_rows(path, CONTEXT_COLUMNS, "source-context")
    kept = []
    for row, line in zip(rows, lines):
        if not re.fullmatch(r"[0-9a-f]{12}", row["digest"]):
            raise _bad(path, line, f"digest must be 12 hex digits, found {row['digest']!r}")
        names = [name.strip() for name in row["speakers"].split(";") if name.strip()]
        if PRONOUN in names or SKIPPED in names:
            raise _bad(path, line, "a sentence read in its article names its speaker: no PRON or SKIP here")
        kept.append({**row, "speakers": names, "group": row["doc_id"]})
    if not kept:
        raise InputError("no labelled sentences", path)
    return pd.DataFrame(kept)


def in_context(labelled: pd.DataFrame, sentences: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """The labelled rows with their sentence's text, each checked against its digest: an InputError names the first
    item whose sentence is missing or reads differently (the editorials, or how opedlens segments them, changed)."""
    texts = dict(zip(sentences["sent_id"], sentences["text"]))
    for row in labelled.itertuples():
        text = texts.get(row.sent_id)
        if text is None or digest(text) != row.digest:
            what = "is not in the editorials" if text is None else "reads differently from when it was labelled"
            raise InputError(f"{row.item}: sentence {row.sent_id} {what}", path)
    return labelled.assign(text=labelled["sent_id"].map(texts))


# --- Sentences that look ahead, and reasons near recommendations (labelled by the opedlens developers) ---------

OUTLOOK_COLUMNS = ("source", "source_id", "text", "looks_ahead", "round")


def read_outlook(path: str | Path) -> pd.DataFrame:
    """Sentences labelled as looking ahead or not (``data/outlook-sentences.csv``): source, source_id, text,
    looks_ahead (0/1), round."""
    path = Path(path)
    rows, lines = _csv_rows(path, OUTLOOK_COLUMNS, "outlook")
    for row, line in zip(rows, lines):
        if row["looks_ahead"] not in ("0", "1"):
            raise _bad(path, line, f"looks_ahead must be 0 or 1, found {row['looks_ahead']!r}")
        if not row["round"].isdigit():
            raise _bad(path, line, f"round must be a whole number, found {row['round']!r}")
        if not row["text"]:
            raise _bad(path, line, "text is empty")
    frame = pd.DataFrame(rows)
    return frame.astype({"looks_ahead": int, "round": int})


OUTLOOK_EDITORIAL_COLUMNS = ("item", "round", "doc_id", "sent_id", "digest", "looks_ahead")
REASON_EDITORIAL_COLUMNS = ("item", "round", "doc_id", "sent_id", "digest", "reason")


def read_outlook_editorials(path: str | Path) -> pd.DataFrame:
    """Sentences of the Webis editorials labelled as looking ahead or not, by id and text digest
    (``data/outlook-editorials.csv``; the texts are research-only): item, round, doc_id, sent_id, digest,
    looks_ahead (0/1). :func:`in_context` gives them their text."""
    return _editorial_labels(path, OUTLOOK_EDITORIAL_COLUMNS, "outlook-editorials")


def read_reason_editorials(path: str | Path) -> pd.DataFrame:
    """Sentences of the Webis editorials near an author's recommendation, labelled as giving a reason for it or not,
    by id and text digest (``data/reason-editorials.csv``; the texts are research-only): item, round, doc_id,
    sent_id, digest, reason (0/1). :func:`in_context` gives them their text."""
    return _editorial_labels(path, REASON_EDITORIAL_COLUMNS, "reason-editorials")


def _editorial_labels(path: str | Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """Labelled sentences of research-only editorials, by id and digest; the last column is the 0/1 label."""
    path, label = Path(path), columns[-1]
    rows, lines = _csv_rows(path, columns, what)
    for row, line in zip(rows, lines):
        if not re.fullmatch(r"[0-9a-f]{12}", row["digest"]):
            raise _bad(path, line, f"digest must be 12 hex digits, found {row['digest']!r}")
        if row[label] not in ("0", "1"):
            raise _bad(path, line, f"{label} must be 0 or 1, found {row[label]!r}")
        if not row["round"].isdigit():
            raise _bad(path, line, f"round must be a whole number, found {row['round']!r}")
    return pd.DataFrame(rows, columns=list(columns)).astype({label: int, "round": int})


# --- Recommendation sentences (labelled by the opedlens developers) -------------------------------------------

RECOMMENDATION_COLUMNS = ("item", "round", "document", "text", "recommendation", "actor", "strength", "kind")


def read_recommendations(path: str | Path) -> pd.DataFrame:
    """Sentences labelled as the author's own recommendation or not (``data/recommendation-sentences.csv``):
    item, round, document, text, recommendation (0/1), actor, strength, kind, group (= document)."""
    path = Path(path)
    rows, lines = _csv_rows(path, RECOMMENDATION_COLUMNS, "recommendation")
    for row, line in zip(rows, lines):
        if row["recommendation"] not in ("0", "1"):
            raise _bad(path, line, f"recommendation must be 0 or 1, found {row['recommendation']!r}")
        if row["recommendation"] == "1" and row["strength"] not in ("must", "needs to", "should", "could"):
            raise _bad(path, line, f"strength must be must, needs to, should or could, found {row['strength']!r}")
    frame = pd.DataFrame(rows)
    frame["recommendation"] = frame["recommendation"].astype(int)
    frame["round"] = frame["round"].astype(int)
    frame["group"] = frame["document"]
    return frame
