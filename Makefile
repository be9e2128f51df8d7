# conflictlens — `make run` builds the example corpus, `make test` runs the test suite.
# Both work from a fresh clone: they create .venv and install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= afghanistan.db
GOLD   ?= ../shared/gold-dev

.PHONY: install run test lint bench score clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

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

# Score the example KB against gold annotations (needs a gold folder, see README).
score: install
	$(BIN)/conflictlens build examples/afghanistan --db $(DB)
	$(BIN)/conflictlens export --db $(DB) --format json -o kb.json
	$(BIN)/python $(GOLD)/../eval/score.py --kb kb.json --gold $(GOLD)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info
