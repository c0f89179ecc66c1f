# The README's two commands: `make demo` and `make test`. Both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
REPLAY_VENV := .venv-replay
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REPLAY_STAMP := $(REPLAY_VENV)/.installed

.PHONY: demo test install replay-env system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,browser]"
	touch $(STAMP)

install: $(STAMP)

# pywb pins redis 2.x and other old packages: it lives in its own venv.
$(REPLAY_STAMP):
	$(PYTHON) -m venv $(REPLAY_VENV)
	$(REPLAY_VENV)/bin/pip install --quiet --upgrade pip
	$(REPLAY_VENV)/bin/pip install --quiet "pywb>=2.10" "cdxj-indexer>=1.5" "wacz>=0.6"
	touch $(REPLAY_STAMP)

replay-env: $(REPLAY_STAMP)

# System packages the tests use, installed only when missing.
system-deps:
	@missing=""; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: $(STAMP) $(REPLAY_STAMP)
	$(BIN)/newsarchive demo --archive data/demo

test: $(STAMP) $(REPLAY_STAMP) system-deps
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/realcrawl.py

clean:
	rm -rf $(VENV) $(REPLAY_VENV) data
