"""The ``opedlens`` command: run the report, check a corpus folder, validate the measures, train the models.

Errors in the input are one line on stderr naming the file and the problem, with exit status 1 (``--debug``
shows the traceback). Paths on the command line are relative to the current directory.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import yaml

from opedlens import __version__
from opedlens.errors import InputError
from opedlens.paths import OUTPUTS_DIR, PROJECT_ROOT, portable

DEFAULT_PARAMS = PROJECT_ROOT / "params.yaml"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_params_file(path: Path) -> dict:
    """Parameters from a YAML mapping file."""
    from opedlens.inputs import read_text

    text = read_text(path, "parameters file")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise InputError(f"not valid YAML ({str(err).splitlines()[0]})", path) from None
    if not isinstance(data, dict):
        raise InputError("parameters file must be a YAML mapping of name: value", path)
    return data


def cli_path(text: str) -> Path:
    """A path typed on the command line: relative to the current directory, else to the project root if it is
    there (so ``--corpus seeds`` works from anywhere), else as typed (the error will name it)."""
    path = Path(text).expanduser()
    if path.is_absolute() or path.exists() or not (PROJECT_ROOT / path).exists():
        return path.absolute()
    return PROJECT_ROOT / path


PATH_PARAMETERS = ("corpus_dir", "manifest", "actors_file", "validation_dir", "measured_dir")


def _relative_to(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def gather_params(args: argparse.Namespace, types: dict[str, str] | None = None) -> dict:
    """Parameters by precedence: the YAML file, then ``--corpus``/``--manifest``, then each ``-p key=value`` (read
    by the parameter's declared type in ``types``: see :func:`opedlens.report.parameters.parse_assignment`).

    Paths end up absolute or relative to the project root (where the notebooks run): a params file's paths are
    relative to the file's folder, and those typed on the command line to the current directory."""
    from opedlens.report.parameters import parse_assignment

    source = Path(args.params) if args.params else (DEFAULT_PARAMS if DEFAULT_PARAMS.is_file() else None)
    params = read_params_file(source) if source else {}
    base = source.absolute().parent if source else PROJECT_ROOT
    for key in PATH_PARAMETERS:
        if isinstance(params.get(key), str) and params[key].strip():
            params[key] = portable(_relative_to(base, params[key]))
    if args.corpus:
        params["corpus_dir"] = portable(cli_path(args.corpus))
        params["manifest"] = None  # another corpus brings its own manifest.csv (or none)
    if args.manifest:
        params["manifest"] = portable(cli_path(args.manifest))
    for option in ("text_column", "id_column"):
        if getattr(args, option, None):
            params[option] = getattr(args, option)
    if getattr(args, "measured", None):
        params["measured_dir"] = portable(cli_path(args.measured))
    for assignment in args.param:
        key, value = parse_assignment(assignment, types)
        if key in PATH_PARAMETERS and isinstance(value, str) and value.strip():
            value = portable(cli_path(value))  # -p paths are relative to where you are, as --corpus is
        params[key] = value
    if "output_dir" in params:
        raise InputError("set the output folder with --output, not as a parameter")
    return params


def preflight(params: dict, log=_log) -> int:
    """Check the inputs once before any notebook runs, so bad input fails fast with its one-line error: the corpus
    (every file loaded or listed as skipped), the actors file (made absolute, as --corpus is), the scorer names and
    the group_by column."""
    from opedlens.compare.groups import check_group_by
    from opedlens.corpus.load import load_corpus
    from opedlens.measure.actors import load_gazetteer

    corpus = load_corpus(params.get("corpus_dir", "seeds"), params.get("manifest"), params.get("doc_ids") or None,
                         progress=Progress(log), text_column=params.get("text_column") or "text",
                         id_column=params.get("id_column") or "doc_id")
    for row in corpus.skipped.itertuples():
        log(f"skipped {row.file}: {row.reason}")
    if params.get("actors_file"):
        params["actors_file"] = portable(cli_path(str(params["actors_file"])))
        load_gazetteer(params["actors_file"])
    if params.get("group_by"):
        check_group_by(corpus.articles, params["group_by"])
    return len(corpus.doc_ids)


class Progress:
    """Reports loading progress on a large corpus: a line every few seconds (articles, sentences, rate), and
    nothing for a corpus that loads at once."""

    EVERY_S = 3.0

    def __init__(self, log=_log):
        self.log, self.started, self.last = log, time.monotonic(), time.monotonic()

    def __call__(self, done: int, total: int, sentences: int, current: str) -> None:
        now = time.monotonic()
        if now - self.last < self.EVERY_S:
            return
        self.last = now
        rate = done / (now - self.started) if now > self.started else 0.0
        left = f", about {(total - done) / rate:.0f} s left" if rate and done else ""
        self.log(f"  loading {current}: {done}/{total} articles read, {sentences:,} sentences{left}")


def cmd_run(args: argparse.Namespace) -> int:
    from opedlens import interrupt

    _without_uri_grammars()

    with interrupt.handled():  # Ctrl-C and SIGTERM only set a flag: the run stops where it can stop cleanly
        return _run(args)


def _without_uri_grammars() -> None:
    """Keep jsonschema, which nbformat and papermill import, from building rfc3987-syntax's 39 URI grammars
    (about 1.5 s, before the corpus can start being measured): this process only validates notebooks, and their
    schema checks no URI format. Only the `run` command's own process is affected."""
    sys.modules.setdefault("rfc3987_syntax", None)  # jsonschema then skips the optional "iri" format checks


def _run(args: argparse.Namespace) -> int:
    from opedlens import interrupt
    from opedlens.report import output_folder, parameters, pipeline

    interrupt.check()
    every = pipeline.discover()
    params = pipeline.check_parameters(every, gather_params(args, parameters.declared_types(every)))
    output = Path(args.output).absolute() if args.output else OUTPUTS_DIR
    output_folder.check_output_dir(output_folder.real_output(output), pipeline.input_paths(params))
    specs = pipeline.discover(only=args.only)
    with output_folder.early_lock(output_folder.real_output(output)) as locked, \
            pipeline.kernels_ahead(specs, args.jobs, pipeline.kernels.ensure_kernel()) as ahead:  # boot meanwhile
        n_articles = preflight(params)
        _log(f"opedlens {__version__}: {len(specs)} notebook(s) on {params.get('corpus_dir')} "
             f"({n_articles} article(s)) -> {output}")
        started = time.perf_counter()
        pipeline.run_report(specs, params, output, jobs=args.jobs, log=_log, keep_staging=args.keep_staging,
                            ahead=ahead, locked=locked)
    _log(f"report ready in {time.perf_counter() - started:.1f} s: {output / 'html' / 'index.html'}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from opedlens.corpus.load import load_corpus

    corpus = load_corpus(cli_path(args.corpus), cli_path(args.manifest) if args.manifest else None,
                         progress=Progress(), text_column=args.text_column, id_column=args.id_column)
    columns = ["doc_id", "file", "author", "outlet", "date", "n_paragraphs", "n_sentences", "n_words"]
    print(corpus.articles[columns].to_string(index=False))
    print(f"\n{len(corpus.doc_ids)} article(s); {len(corpus.removed)} piece(s) of boilerplate removed "
          f"({', '.join(sorted(corpus.removed['rule'].unique()))})")
    if len(corpus.skipped):
        print(f"\n{len(corpus.skipped)} file(s) skipped:")
        print(corpus.skipped.to_string(index=False))
    return 0


def cmd_measure(args: argparse.Namespace) -> int:
    from opedlens.measure import dataset

    corpus, output = cli_path(args.corpus), Path(args.output).expanduser().absolute()
    for inner, outer, what in ((output, corpus, "the output folder is inside the corpus"),
                               (corpus, output, "the corpus is inside the output folder")):
        if outer.is_dir() and (inner == outer or outer in inner.resolve().parents or outer.resolve() in
                               inner.resolve().parents):
            raise InputError(f"{what}; measure into a folder outside it", output)
    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    engine = "dask" if args.scheduler or args.workers else args.engine
    settings = dataset.Settings(scorers=tuple(args.scorers), actors_file=str(cli_path(args.actors)) if args.actors
                                else "", embeddings=not args.no_embeddings, batch_sentences=args.batch_sentences,
                                actors_from_corpus=args.actors_from_corpus)
    options = {"manifest": cli_path(args.manifest) if args.manifest else None, "text_column": args.text_column,
               "id_column": args.id_column}
    try:
        stats = dataset.measure_corpus(corpus, output, settings, engine=engine, workers=args.workers,
                                       scheduler=args.scheduler, log=_log, corpus_options=options)
    except KeyboardInterrupt:
        print("opedlens: interrupted; the batches already measured are kept: run the same command again to finish",
              file=sys.stderr)
        return 130
    _log(f"measured {stats.articles:,} article(s) ({stats.sentences:,} sentences) in {stats.wall_seconds:.0f} s; "
         f"{stats.skipped_articles:,} were already measured -> {portable(output)}")
    return 0


SHIPPED_GOLD = ("recommendations", "sources", "outlook", "reasons")  # tasks whose gold ships with opedlens


def cmd_validate(args: argparse.Namespace) -> int:
    import json

    from opedlens.validate import gold, results, sentence_measures

    if args.gold is None and args.task not in SHIPPED_GOLD:
        raise InputError(f"validate {args.task} needs --gold FILE")
    gold_path = cli_path(args.gold) if args.gold else None  # recommendations ... reasons: the shipped files
    if args.train and args.task != "evidence":
        raise InputError(f"--train is only for the evidence task, not {args.task}")
    if args.emobank and args.task != "sources":
        raise InputError(f"--emobank is only for the sources task, not {args.task}")
    if args.editorials and args.task not in ("sources", "outlook", "reasons"):
        raise InputError(f"--editorials is only for the sources, outlook and reasons tasks, not {args.task}")
    if args.task == "reasons" and not args.editorials:
        raise InputError("validate reasons needs --editorials DIR: its labelled sentences are of the Webis-Editorials-16 "
                         "DEV editorials (../shared/data/arguments/webis_editorials16/dev), read in their articles")
    if args.write_thresholds and args.task != "matching":
        raise InputError(f"--write-thresholds is only for the matching task, not {args.task}")
    if args.task == "evidence":
        if args.scorer:
            raise InputError("--scorer is not used by the evidence task (it reports every classifier)")
        result = sentence_measures.validate_evidence(gold_path, cli_path(args.train) if args.train else None)
    elif args.task == "matching" and gold.is_argkp(gold_path):
        from opedlens.validate import pair_measures

        result = pair_measures.validate_matching_pairs(gold_path, args.scorer)
        print(json.dumps(result, sort_keys=True) if args.json else pair_measures.format_table(result))
    elif args.task == "matching":
        from opedlens.compare.align import METHODS
        from opedlens.validate import alignment

        result = alignment.validate_matching(gold_path, args.scorer or METHODS)
        print(json.dumps(result, sort_keys=True) if args.json else alignment.format_table(result))
        if args.write_thresholds:
            _log(f"wrote {portable(alignment.write_thresholds(gold_path, result=result))}")
    elif args.task == "disagreement":
        from opedlens.validate import pair_measures

        result = pair_measures.validate_disagreement(gold_path, args.scorer)
        print(json.dumps(result, sort_keys=True) if args.json else pair_measures.format_table(result))
    elif args.task == "recommendations":
        result = sentence_measures.validate_recommendations(gold_path)
    elif args.task == "sources":
        result = sentence_measures.validate_sources(gold_path, cli_path(args.editorials) if args.editorials else None,
                                                    cli_path(args.emobank) if args.emobank else None)
    elif args.task == "outlook":
        result = sentence_measures.validate_outlook(gold_path, cli_path(args.editorials) if args.editorials else None)
        if sentence_measures.OUTLOOK_FRESH not in result["scorers"]:
            _log("every round scored here was used to write the rules; the one that was not is of the Webis "
                 "editorials: add --editorials ../shared/data/arguments/webis_editorials16/dev")
    elif args.task == "reasons":
        from opedlens.validate import reasons

        result = reasons.validate_reasons(cli_path(args.editorials), gold_path)
    elif args.task == "sentiment":
        result = sentence_measures.validate_sentiment(gold_path, args.scorer or sentence_measures.scorers.SCORERS)
    else:
        result = sentence_measures.validate_targeted(gold_path, args.scorer or sentence_measures.targeted.METHODS)
    if args.task not in ("matching", "disagreement"):
        print(json.dumps(result, sort_keys=True) if args.json else sentence_measures.format_table(result))
    if args.save:
        _log(f"saved {portable(results.save(result))}")
    return 0


PAIR_MODELS = ("matching", "opposition")
EVIDENCE_TUNED = "evidence-tuned"  # MiniLM fine-tuned for the evidence types, like the pair models with PyTorch
MATCHING_COSINE = "matching-cosine"  # weighs the matching cross-encoder with the cosine; no PyTorch needed


def cmd_train(args: argparse.Namespace) -> int:
    from opedlens.validate import training

    wanted = args.only or ["fast", "accurate", "targeted", "evidence"]
    pair_models = [name for name in wanted if name in PAIR_MODELS]
    with_torch = pair_models + [name for name in wanted if name == EVIDENCE_TUNED]
    if with_torch:
        try:
            import torch  # noqa: F401  (the fine-tuned models' adapters are trained with PyTorch)
        except ImportError:
            raise InputError(f"training {', '.join(with_torch)} needs PyTorch, which the report's environment "
                             "does not have: run `make models` (it installs torch==2.13.0, CPU, into "
                             ".venv-train)") from None
    single = [name for name in wanted if name not in PAIR_MODELS and name not in (MATCHING_COSINE, EVIDENCE_TUNED)]
    if single:
        for name, model in training.train_models(log=_log, only=single).items():
            _log(f"{name}: trained on {model.meta['n_train']} items from {', '.join(model.meta['training_sets'])}")
    for name in pair_models:
        from opedlens.validate import pair_models as pairs

        meta = pairs.train(name, log=_log)
        _log(f"{name}: trained on {meta['n_train']:,} pairs; held-out topics: {meta['cross_validation']}")
    if EVIDENCE_TUNED in wanted:
        from opedlens.validate import evidence_tuned

        meta = evidence_tuned.train(log=_log)
        _log(f"{EVIDENCE_TUNED}: trained on {meta['n_train']:,} sentences")
    if MATCHING_COSINE in wanted:
        from opedlens.validate import matching_cosine

        meta = matching_cosine.train(log=_log)
        _log(f"{MATCHING_COSINE}: fitted on {meta['n_train']:,} pairs; threshold {meta['threshold']}")
    return 0


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def megabytes(text: str) -> float:
    """An argparse type: a positive number of megabytes."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of megabytes")
    return value


def build_parser() -> argparse.ArgumentParser:
    from opedlens.inputs import DEFAULT_LIMIT_MB

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("--max-file-mb", type=megabytes, metavar="MB",
                         help=f"refuse an input file larger than this (default: {DEFAULT_LIMIT_MB:g} MB, or "
                              "$OPEDLENS_MAX_FILE_MB)")
    parser = argparse.ArgumentParser(prog="opedlens", description="Compare op-eds with reproducible notebook reports.")
    parser.add_argument("--version", action="version", version=f"opedlens {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", parents=[common, reading], help="execute every notebook and publish the HTML report",
                         description="Execute the numbered notebooks with papermill and publish outputs/ "
                                     "(executed notebooks, html/, tables/, figures/). The previous report is "
                                     "replaced only when the whole run succeeds.")
    run.add_argument("--corpus", metavar="PATH", help="corpus folder of .txt/.md/.html files, or one .csv/.jsonl/.parquet "
                                                     "table (default: from params.yaml: seeds)")
    run.add_argument("--text-column", metavar="NAME", help="a table corpus: the column of article text (default: text)")
    run.add_argument("--id-column", metavar="NAME", help="a table corpus: the column of ids (default: doc_id)")
    run.add_argument("--manifest", metavar="FILE", help="manifest CSV (default: DIR/manifest.csv if present)")
    run.add_argument("--output", metavar="DIR", help=f"report folder (default: {OUTPUTS_DIR})")
    run.add_argument("--measured", metavar="DIR", help="a folder `opedlens measure` wrote for this corpus: the "
                     "notebooks read it instead of measuring (default: measure first, into .cache/measured)")
    run.add_argument("--params", metavar="FILE", help=f"YAML file of parameters (default: {DEFAULT_PARAMS.name})")
    run.add_argument("-p", dest="param", action="append", default=[], metavar="KEY=VALUE",
                     help="set a notebook parameter (repeatable; value read as YAML)")
    run.add_argument("--jobs", "-j", type=positive_int, default=1, metavar="N",
                     help="run up to N independent notebooks at once (default: 1)")
    run.add_argument("--only", nargs="+", metavar="NN", help="run only these notebooks (and what they need)")
    run.add_argument("--keep-staging", action="store_true", help="keep the staging folder of a failed run")
    run.set_defaults(func=cmd_run)

    check = sub.add_parser("check", parents=[common, reading], help="load a corpus folder and summarize it",
                           description="Load, clean and segment a corpus folder and print one line per article.")
    check.add_argument("--corpus", metavar="PATH", default="seeds", help="corpus folder or table (default: seeds)")
    check.add_argument("--text-column", metavar="NAME", default="text", help="a table corpus: the text column")
    check.add_argument("--id-column", metavar="NAME", default="doc_id", help="a table corpus: the id column")
    check.add_argument("--manifest", metavar="FILE", help="manifest CSV (default: DIR/manifest.csv if present)")
    check.set_defaults(func=cmd_check)

    measure = sub.add_parser("measure", parents=[common, reading], help="compute every per-sentence measure once, "
                             "into Parquet tables", description="Read a corpus in batches of whole articles and write "
                             "every per-sentence measure (sentiment, actors, stance, recommendations, sources, "
                             "evidence, roles, embeddings) as Parquet tables under --output. A rerun finishes an "
                             "interrupted run and skips articles already measured; --workers N or --scheduler "
                             "ADDRESS runs the batches on a Dask cluster.")
    measure.add_argument("--corpus", metavar="PATH", required=True, help="corpus folder or table")
    measure.add_argument("--output", metavar="DIR", required=True, help="the measured folder (new, or one to finish)")
    measure.add_argument("--manifest", metavar="FILE", help="manifest CSV (default: DIR/manifest.csv if present)")
    measure.add_argument("--text-column", metavar="NAME", default="text", help="a table corpus: the text column")
    measure.add_argument("--id-column", metavar="NAME", default="doc_id", help="a table corpus: the id column")
    measure.add_argument("--actors", metavar="FILE", help="gazetteer (YAML or CSV; default: the shipped one)")
    measure.add_argument("--actors-from-corpus", action="store_true",
                         help="also look for the people, places and organisations the corpus names (a first pass)")
    measure.add_argument("--scorers", nargs="+", default=["accurate", "fast", "vader", "textblob"], metavar="NAME",
                         help="sentence scorers (default: accurate fast vader textblob)")
    measure.add_argument("--no-embeddings", action="store_true", help="do not keep the sentence embeddings")
    measure.add_argument("--batch-sentences", type=positive_int, default=1000, metavar="N",
                         help="sentences per batch of whole articles (default: 1000)")
    measure.add_argument("--engine", choices=["local", "dask"], default="local",
                         help="local: this process; dask: a Dask cluster (default: local)")
    measure.add_argument("--workers", type=positive_int, metavar="N",
                         help="start a local Dask cluster of N worker processes on 127.0.0.1")
    measure.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    measure.set_defaults(func=cmd_measure)

    validate = sub.add_parser("validate", parents=[common], help="score a measure against human gold data",
                              description="Score the sentence scorers (task sentiment; VADER-format .tsv or EmoBank "
                                          ".csv) or the targeted-sentiment methods (task targeted; NewsMTSC .jsonl) "
                                          "against human annotations, or the evidence-type classifier (task "
                                          "evidence; a Webis-Editorials-16 folder of <outlet>/<editorial>.json), "
                                          "or claim matching (task matching; an IBM ArgKP-2021 CSV of argument / "
                                          "key point pairs, or the IBM Debater CE-EMNLP-2015 folder), or opposite "
                                          "sides (task disagreement; an IBM Claim Stance CSV: every pair of claims "
                                          "within a topic), or recommendations, cited sources, which sentences "
                                          "look ahead (task outlook) or the reasons given for recommendations (task "
                                          "reasons; the shipped labelled sentences). "
                                          "Trained scorers are cross-validated by document when the gold data "
                                          "overlaps their training data.")
    validate.add_argument("task", choices=["sentiment", "targeted", "evidence", "matching", "disagreement",
                                           "recommendations", "sources", "outlook", "reasons"])
    validate.add_argument("--gold", metavar="FILE",
                          help="gold file (a folder for evidence; for recommendations, sources, outlook and reasons "
                               "the shipped labelled sentences by default)")
    validate.add_argument("--train", metavar="DIR",
                          help="evidence only: also fit a comparison model on this Webis folder (grouped "
                               "cross-validation when it is the --gold folder); nothing is saved but the scores")
    validate.add_argument("--editorials", metavar="DIR",
                          help="sources and outlook: also score the shipped labels of sentences of the "
                               "Webis-Editorials-16 DEV editorials (this folder; for sources read in their articles, "
                               "where who \"he\" is counts); reasons: the editorials its labels are of (required)")
    validate.add_argument("--emobank", metavar="FILE",
                          help="sources only: the same for the shipped sentences of EmoBank's articles (its "
                               "emobank.csv, with meta.tsv beside it)")
    validate.add_argument("--scorer", action="append", metavar="NAME",
                          help="only this scorer or method (repeatable; default: all)")
    validate.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    validate.add_argument("--write-thresholds", action="store_true",
                          help="matching only: also rewrite the shipped thresholds (lib/opedlens/data/"
                               "alignment-thresholds.json) from this run")
    validate.add_argument("--save", action="store_true",
                          help="also write the result to validation/<task>-<gold name>.json, where the report reads it")
    validate.set_defaults(func=cmd_validate)

    train = sub.add_parser("train", parents=[common], help="retrain the shipped models from ../shared/data",
                           description="Fit the fast, accurate, targeted and evidence models on the annotated "
                                       "sets in ../shared/data and write them to lib/opedlens/models/; "
                                       "--only matching (or opposition) cross-validates and trains a pair "
                                       "cross-encoder, which needs PyTorch (make models), as does --only "
                                       "evidence-tuned; --only matching-cosine then weighs the matching "
                                       "cross-encoder with the cosine.")
    train.add_argument("--only", nargs="+",
                       choices=["fast", "accurate", "targeted", "evidence", *PAIR_MODELS, EVIDENCE_TUNED,
                                MATCHING_COSINE],
                       metavar="NAME", help="retrain only these models (fast, accurate, targeted, evidence, "
                                            "matching-cosine, after matching; with PyTorch, in .venv-train: "
                                            "matching, opposition, evidence-tuned)")
    train.set_defaults(func=cmd_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "max_file_mb", None):
        from opedlens.inputs import LIMIT_VARIABLE

        os.environ[LIMIT_VARIABLE] = f"{args.max_file_mb:g}"  # kernels inherit it
    try:
        return args.func(args)
    except InputError as err:
        if args.debug:
            raise
        print(f"opedlens: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        if args.debug:
            raise
        where = f"{err.filename}: " if err.filename else ""
        print(f"opedlens: error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("opedlens: interrupted; the previous report is untouched", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
