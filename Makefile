# The front door: `make report` builds the HTML reports, `make test` runs every test.
# Both create the virtual environment in .venv and install what they need on first use.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CORPUS ?= seeds
REPORTS ?= reports
BY ?= agency
TEXT ?= text
DUPLICATES ?= flag
# The researcher's lexicons (CSV files; FRAMES may list several, "generic" names the five
# generic news frames). The seeds come with the example lexicons of their event.
# (Simply expanded, and CORPUS read unexpanded, so that a "$" in a name is never expanded.)
EXAMPLE := corpusutils/data/examples/kazakhstan-2023
SEEDS_GIVEN := $(filter seeds seeds/,$(value CORPUS))
ifeq ($(origin ACTORS),undefined)
ACTORS := $(if $(SEEDS_GIVEN),$(EXAMPLE)/actors.csv)
endif
ifeq ($(origin FRAMES),undefined)
FRAMES := $(if $(SEEDS_GIVEN),generic $(EXAMPLE)/frames.csv,generic)
endif
ifeq ($(origin TERMS),undefined)
TERMS := $(if $(SEEDS_GIVEN),$(EXAMPLE)/term_choice.csv)
endif
MIN_ARTICLES ?= 1
MIN_SENTENCES ?= 10
STORY ?= auto
CONSTRAINTS := requirements/constraints.txt
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: help venv dev report test lint lab lock clean fit-target-sentiment

help:
	@echo "make report [CORPUS=path] [REPORTS=folder] [BY=column] [TEXT=column] [DUPLICATES=keep-one]  build the HTML reports (default: the seeds)"
	@echo "            [ACTORS=csv] [FRAMES='generic my.csv'] [TERMS=csv] [MIN_ARTICLES=n] [MIN_SENTENCES=n] [STORY=column|auto]"
	@echo "make test                                    run the whole test suite (offline)"
	@echo "make lab                                     JupyterLab on notebooks/ with this environment"
	@echo "make venv | make dev                         create .venv (runtime | with test tools)"
	@echo "make lock                                    refresh $(CONSTRAINTS) from a fresh install"
	@echo "make clean [REPORTS=folder]                  remove what a build wrote, nothing else"
	@echo "make fit-target-sentiment                    refit target_sentiment on NewsMTSC's training split"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade "pip>=24"

$(VENV)/.installed-run: $(PY) pyproject.toml $(CONSTRAINTS)
	$(PIP_INSTALL) -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run
	$(PIP_INSTALL) -c $(CONSTRAINTS) -e ".[dev]"
	touch $@

venv: $(VENV)/.installed-run

dev: $(VENV)/.installed-dev

# A path reaches the command exactly as typed: $(value ...) keeps make from expanding a "$" in
# it, and single quotes (each ' inside written '\'') keep the shell from reading anything in it.
quote = '$(subst ','\'',$(value $(1)))'

report: $(VENV)/.installed-run
	$(PY) -m corpusutils.cli report --out=$(call quote,REPORTS) --by=$(call quote,BY) \
		--text-column=$(call quote,TEXT) --duplicates=$(call quote,DUPLICATES) \
		$(if $(value ACTORS),--actors=$(call quote,ACTORS)) \
		$(foreach f,$(value FRAMES),--frames='$(subst ','\'',$(f))') \
		$(if $(value TERMS),--terms=$(call quote,TERMS)) \
		--min-articles=$(call quote,MIN_ARTICLES) --min-sentences=$(call quote,MIN_SENTENCES) \
		--story=$(call quote,STORY) -- $(call quote,CORPUS)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check corpusutils tests $(wildcard benchmarks)

test: $(VENV)/.installed-dev lint
	$(PY) -m pytest

# Refit the weights of target_sentiment (corpusutils/data/target_sentiment_model.json) on
# ../shared/peer/newsmtsc/rw-train.jsonl only; scikit-learn is needed for this and nothing else.
fit-target-sentiment: $(VENV)/.installed-run
	$(PIP_INSTALL) -c $(CONSTRAINTS) -e ".[fit]"
	$(PY) benchmarks/fit_target_sentiment.py

lab: $(VENV)/.installed-run
	$(PY) -m ipykernel install --sys-prefix --name corpusutils --display-name "corpusutils (.venv)" >/dev/null
	cd notebooks && ../$(PY) -m jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

# Resolve the newest versions the project allows in a scratch environment and pin them all.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet ".[dev,fit]"
	.lock-venv/bin/python -m pip freeze --exclude corpusutils > $(CONSTRAINTS)
	rm -rf .lock-venv
	@echo "wrote $(CONSTRAINTS); run make test before committing it"

# Removes only the files a build wrote (listed in its marker), never anything else there.
clean:
	$(PYTHON) corpusutils/publish.py remove $(call quote,REPORTS)
