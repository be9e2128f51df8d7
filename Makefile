# conflictlens — `make run` builds the example corpus, `make test` runs the test suite.
# Both work from a fresh clone: they create .venv and install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= afghanistan.db
GOLD   ?= ../shared/gold-dev

.PHONY: install run test lint bench score fuzz load clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

# The web app's browser libraries (Cytoscape.js, vis-timeline, Leaflet, Natural Earth outlines)
# from npm, pinned by package-lock.json, into node_modules (served by `conflictlens serve`).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	else echo "npm not found: the web app's network, timeline and map views need it (apt-get install npm), then make install"; fi

install: $(STAMP) $(NODE_STAMP)

run: install
	$(BIN)/conflictlens build examples/afghanistan --db $(DB)
	$(BIN)/conflictlens summary --db $(DB)
	@echo "Explore it in the browser: $(BIN)/conflictlens serve --db $(DB)  → http://127.0.0.1:8765/"

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests bench

bench: install
	$(BIN)/python bench/bench_build.py

# Fuzz ingest, time normalisation, extraction, ask and the API with N generated inputs
# (0 crashes, a time limit per input, every quote equal to its span); atheris: ENGINE=atheris.
N      ?= 10000
SEED   ?= 0
ENGINE ?= hypothesis
fuzz: install
	$(BIN)/python bench/fuzz.py --cases $(N) --seed $(SEED) --engine $(ENGINE)

# Load and slow clients against a local server on 127.0.0.1 (figures in docs/load.md).
load: install
	$(BIN)/python bench/load.py --db $(DB)

# Score the example KB against gold annotations (needs a gold folder, see README).
score: install
	$(BIN)/conflictlens build examples/afghanistan --db $(DB)
	$(BIN)/conflictlens export --db $(DB) --format json -o kb.json
	$(BIN)/python $(GOLD)/../eval/score.py --kb kb.json --gold $(GOLD)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info node_modules
