"""The measured tables a notebook compares: a folder ``opedlens measure`` wrote, opened for the articles it names.

Notebooks 02-04 never compute a per-sentence measure themselves. ``opedlens run`` measures the corpus first (or is
given a measured folder with ``--measured DIR``) and passes that folder to every notebook as ``measured_dir``;
a notebook run by hand with ``measured_dir=""`` measures its corpus here, into a folder of the disk cache
(:mod:`opedlens.cache`) named by the corpus, the settings and the code, so a rerun on unchanged articles
measures nothing again. :func:`open_measured` then reads the tables for the articles asked for, in their order.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from opedlens.errors import InputError
from opedlens.measure import dataset
from opedlens.paths import portable, resolve

SCORE_EXTRAS = {"vader": ["vader_pos", "vader_neu", "vader_neg"], "textblob": ["textblob_subjectivity"]}


@dataclass
class MeasuredCorpus:
    """The measured tables of some articles (``doc_ids``, in that order), read from ``folder`` on first use."""

    folder: Path
    doc_ids: list[str]
    state: dict  # what measure.json says: settings, versions, counts

    @functools.cached_property
    def articles(self) -> pd.DataFrame:
        return self.table(dataset.ARTICLES)

    @functools.cached_property
    def paragraphs(self) -> pd.DataFrame:
        return self.table("paragraphs")

    @functools.cached_property
    def sentences(self) -> pd.DataFrame:
        return self.table("sentences")

    @functools.cached_property
    def gazetteer(self):
        """The gazetteer the actors were found with (the corpus's own actors too, if measured so)."""
        from opedlens.measure import actors

        return actors.read_json(self.folder / dataset.GAZETTEER_FILE)

    def table(self, name: str) -> pd.DataFrame:
        """One measured table, only the rows of ``doc_ids``, in their order (rows of one article as measured)."""
        frame = dataset.read_table(self.folder, name)
        if frame.empty:
            return frame
        order = {doc_id: n for n, doc_id in enumerate(self.doc_ids)}
        rank = frame["doc_id"].map(order)
        frame = frame[rank.notna().to_numpy()]
        return frame.iloc[np.argsort(rank.dropna().to_numpy(), kind="stable")].reset_index(drop=True)

    def scores(self, names: list[str]) -> pd.DataFrame:
        """The sentence scores of the scorers ``names``, in that order (as :func:`sentiment.score_sentences`)."""
        frame = self.table("sentence-scores")
        measured = self.state["settings"]["scorers"]
        missing = [name for name in names if name not in measured]
        if missing:
            raise InputError(f"scorer(s) {', '.join(missing)} were not measured here (measured: {', '.join(measured)}); "
                             "measure again with them", self.folder)
        every = set(measured) | {c for extra in SCORE_EXTRAS.values() for c in extra}
        base = [c for c in frame.columns if c not in every]
        extras = [c for name in names for c in SCORE_EXTRAS.get(name, [])]
        return frame[[*base, *names, *extras]]

    def remember_vectors(self, units: pd.DataFrame) -> None:
        """Hand the measured sentence embeddings of ``units`` (sent_id, text) to the encoder's memory, so comparing
        them (:mod:`opedlens.compare.align`) reads them instead of encoding them again."""
        from opedlens.measure import embed

        if units.empty or not self.state["settings"].get("embeddings"):
            return
        vectors = self.table("embeddings").set_index("sent_id")["vector"]
        known = units[units["sent_id"].isin(vectors.index)]
        embed.remember(known["text"].tolist(), np.stack(vectors.loc[known["sent_id"]].to_numpy()))


def open_measured(folder: str | Path, doc_ids: list[str] | None = None) -> MeasuredCorpus:
    """A measured folder, for ``doc_ids`` (default: every article measured). An article not measured there is an
    error naming it."""
    folder = resolve(folder)
    index = dataset.read_index(folder)
    doc_ids = list(doc_ids) if doc_ids else index["doc_id"].tolist()
    known = set(index["doc_id"])
    missing = [doc_id for doc_id in doc_ids if doc_id not in known]
    if missing:
        raise InputError(f"article(s) {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''} were not measured "
                         "here; measure the corpus that holds them", folder)
    return MeasuredCorpus(folder, doc_ids, dataset.settings_of(folder))


def check_settings(folder: str | Path, settings: dataset.Settings, scorers: bool = True, actors: bool = True) -> None:
    """Refuse a measured folder whose measures differ from what a notebook asks for (its scorers may be more;
    ``scorers=False``: a notebook that reads no sentence score; ``actors=False``: one that reads nothing the
    gazetteer decides, so the actors it was measured with do not matter)."""
    found = dataset.settings_of(folder)["settings"]
    wanted = settings.key()
    differ = [name for name in ("gazetteer_sha256", "actors_from_corpus") if actors and found.get(name) != wanted[name]]
    differ += ["scorers"] if scorers and not set(wanted["scorers"]) <= set(found["scorers"]) else []
    if differ:
        raise InputError(f"this folder was measured with other {', '.join(differ)} than the notebook asks for "
                         f"(measured: {json.dumps({k: found.get(k) for k in differ})}; asked: "
                         f"{json.dumps({k: wanted[k] for k in differ})}); measure again or change the parameters",
                         resolve(folder))


def default_folder(corpus_dir: str | Path, settings: dataset.Settings, options: dict) -> Path:
    """Where a corpus is measured when no folder is given: in the disk cache, named by the corpus's path and
    options, the settings and the code and models; a temporary folder (removed at exit) when the cache is off."""
    from opedlens import cache

    if not cache.enabled():
        return Path(_temporary_root()) / "measured"
    found = dataset.versions()
    named = {"corpus": portable(resolve(corpus_dir)), "options": {k: str(v) for k, v in sorted(options.items())},
             "settings": settings.key(), "code": found["code"], "models": found["models"]}
    key = hashlib.sha256(json.dumps(named, sort_keys=True).encode()).hexdigest()[:20]
    return cache.folder() / "measured" / key


_temporary: tempfile.TemporaryDirectory | None = None
_owner = None  # the open, locked OWNER_FILE of this process's temporary folder: the lock lasts as long as the process
TEMPORARY_PREFIX = "opedlens-measured-"
OWNER_FILE = ".owner"  # in a temporary folder: locked (flock) by the process that uses it, for as long as it lives


def _temporary_root() -> str:
    """A folder of this process, removed when it ends. A process that was killed (a kernel stopped at once, a
    SIGKILL) cannot remove its own, so the folders of processes that are gone are removed first (see
    :func:`_remove_abandoned`): measuring with the cache off then does not fill the temporary folder over time."""
    global _temporary, _owner
    if _temporary is None:
        import fcntl
        import os

        _remove_abandoned()
        _temporary = tempfile.TemporaryDirectory(prefix=TEMPORARY_PREFIX)
        claiming = Path(_temporary.name) / f"{OWNER_FILE}.claiming"
        _owner = claiming.open("w")
        fcntl.flock(_owner, fcntl.LOCK_EX)
        os.replace(claiming, claiming.with_name(OWNER_FILE))  # visible only once locked, so never taken for abandoned
    return _temporary.name


def _remove_abandoned() -> None:
    """Remove the temporary folders of opedlens processes that are gone: those whose owner file no process holds
    locked (the kernel frees a dead process's locks, whatever killed it, and across containers on one machine). A
    folder without an owner file is left alone; so is anything that is not such a folder."""
    import fcntl
    import shutil

    for folder in Path(tempfile.gettempdir()).glob(f"{TEMPORARY_PREFIX}*"):
        owner = folder / OWNER_FILE
        if folder.is_symlink() or not folder.is_dir() or owner.is_symlink():
            continue
        try:
            with owner.open("r") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder)  # while holding the lock: no process can take the folder over meanwhile
        except OSError:  # no owner file, held by a live process, or not ours to remove
            continue


def settings_for(scorers: list[str] | None = None, actors_file: str | None = "", actors_from_corpus: bool | None = False
                 ) -> dataset.Settings:
    """The measure settings a notebook's parameters ask for (no scorers named: the default ones)."""
    return dataset.Settings(actors_file=actors_file or "", actors_from_corpus=bool(actors_from_corpus),
                            **({"scorers": tuple(scorers)} if scorers else {}))


def measured_corpus(corpus_dir: str | Path, measured_dir: str | Path = "", *, manifest: str | Path | None = None,
                    doc_ids: list[str] | None = None, text_column: str = "text", id_column: str = "doc_id",
                    scorers: list[str] | None = None, actors_file: str | None = None,
                    actors_from_corpus: bool | None = None, log=None) -> MeasuredCorpus:
    """What a notebook compares: the measured tables of ``corpus_dir``'s articles (``doc_ids``: these, in this
    order), from ``measured_dir``, or measured now (:func:`ensure`). ``scorers``: the sentence scorers the notebook
    reads (None: it reads no sentence score, and any measured folder will do). ``actors_file`` and
    ``actors_from_corpus``: the actors it reads (both None: it reads no actor, recommendation or role, and a folder
    measured with any actors will do; measured now, with the shipped gazetteer)."""
    settings = settings_for(scorers, actors_file, actors_from_corpus)
    reads_actors = actors_file is not None or actors_from_corpus is not None
    folder = ensure(corpus_dir, measured_dir, settings, manifest=manifest, doc_ids=doc_ids, text_column=text_column,
                    id_column=id_column, check_scorers=scorers is not None, check_actors=reads_actors, log=log)
    return open_measured(folder, doc_ids)


def ensure(corpus_dir: str | Path, measured_dir: str | Path = "", settings: dataset.Settings = dataset.Settings(),
           *, manifest: str | Path | None = None, doc_ids: list[str] | None = None, text_column: str = "text",
           id_column: str = "doc_id", check_scorers: bool = True, check_actors: bool = True,
           check_articles: bool = False, log=None) -> Path:
    """The measured folder of ``corpus_dir``: ``measured_dir`` when given (checked against ``settings``, the scorers
    and actors only with ``check_scorers`` / ``check_actors``; with ``check_articles``, also that it holds every
    article of the corpus as it is now), else the corpus measured now (only the articles not measured before) into
    :func:`default_folder`."""
    options = {"manifest": resolve(manifest) if manifest else None, "doc_ids": list(doc_ids) if doc_ids else None,
               "text_column": text_column, "id_column": id_column}
    if measured_dir:
        dataset.read_index(measured_dir)  # a finished measurement, or a clear error
        check_settings(measured_dir, settings, check_scorers, check_actors)
        missing = dataset.unmeasured(resolve(corpus_dir), measured_dir, options) if check_articles else []
        if missing:
            raise InputError(f"{len(missing):,} article(s) of {corpus_dir} are not measured here as they are now (new "
                             f"or changed since: {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}); run "
                             f"`opedlens measure --corpus {corpus_dir} --output {measured_dir}` again to add them",
                             resolve(measured_dir))
        return resolve(measured_dir)
    folder = default_folder(corpus_dir, settings, {k: v for k, v in options.items() if k != "doc_ids"})
    dataset.measure_corpus(resolve(corpus_dir), folder, settings, log=log, corpus_options=options)
    return folder
