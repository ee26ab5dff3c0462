# carework — two commands on a fresh machine with Python 3.11+ and make:
#   make dashboards   set up, then serve the dashboards on http://127.0.0.1:8866
#                     (HOST=0.0.0.0 shares them with the network, behind a printed token)
#   make test         set up with the test tools, then run the whole suite (CI runs this)

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8866
HOST   ?= 127.0.0.1
BIN    := $(VENV)/bin
SAMPLE := data/sample/transactions.csv
export TQDM_DISABLE := 1

.PHONY: dashboards test lab sample lint chromium java clean help
.DEFAULT_GOAL := help

help:
	@echo "make dashboards   serve the dashboards on $(HOST):$(PORT) (CAREWORK_DATA=folder for your data;"
	@echo "                  HOST=0.0.0.0 to share them with your network, behind a token)"
	@echo "make test         run the whole test suite, notebooks and browser test included"
	@echo "make lab          JupyterLab for analysts, on 127.0.0.1"
	@echo "make sample       regenerate data/sample/"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "carework needs Python 3.11 or newer; '$(PYTHON)' is older. Run: make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# one stamp per install kind, redone when pyproject.toml changes
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-run

$(SAMPLE): | $(VENV)/.installed-run
	$(BIN)/carework sample --out data/sample

sample: $(VENV)/.installed-run
	$(BIN)/carework sample --out data/sample

dashboards: $(VENV)/.installed-run $(SAMPLE)
	$(BIN)/carework dashboards --notebooks notebooks --host $(HOST) --port $(PORT)

lab: $(VENV)/.installed-run $(SAMPLE)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks

# The browser test drives Debian's Chromium (never a downloaded browser): install it if missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests ..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || \
	  { echo "Could not install chromium: run 'apt-get install chromium' as root."; exit 1; }; \
	fi

# The Spark tests need a Java runtime: Debian's headless OpenJDK if none is there.
java:
	@if ! command -v java >/dev/null 2>&1; then \
	  echo "Installing Debian's headless Java for the Spark tests ..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null || \
	  { echo "Could not install Java: run 'apt-get install openjdk-17-jre-headless' as root."; exit 1; }; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check carework tests benchmarks

test: $(VENV)/.installed-test $(SAMPLE) chromium java lint
	exports=$$(mktemp -d) && CAREWORK_EXPORTS=$$exports CAREWORK_CACHE=$$exports/cache \
	    $(BIN)/pytest tests carework \
	    --doctest-modules --nbmake notebooks --nbmake-timeout=300; status=$$?; \
	    rm -rf $$exports; exit $$status

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache .hypothesis *.egg-info
