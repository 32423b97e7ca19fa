# Two set-up commands (see README): `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# every version pinned by the lock: two installs of one commit are the same install
LOCK   := constraints.txt
EXTRAS ?= dev,web,images,spark,train
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: demo serve test lint bench clean install lock install-size extension

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml $(LOCK)
	$(PIP) install --quiet -c $(LOCK) -e ".[$(EXTRAS)]"
	touch $(STAMP)

# bench/bench_web.py drives locust; the cold-start baseline needs scikit-learn
$(BENCH_STAMP): $(STAMP)
	$(PIP) install --quiet -c $(LOCK) -e ".[$(EXTRAS),bench]"
	touch $(BENCH_STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m netral.demo
ifdef SERVE
	$(MAKE) serve
endif

# The web app on the demo database that `make demo` seeded (Ctrl+C to stop).
serve: $(STAMP)
	$(PY) -m netral.cli serve --db sqlite:///$(CURDIR)/demo-output/netral-demo.db

# The browser extension as a zip, set to a server (the web app also offers it, set to itself,
# at /extension.zip): make extension SERVER=https://netral.example.go.id
SERVER ?= http://127.0.0.1:8000
extension: $(STAMP)
	$(PY) -m netral.cli extension build --server $(SERVER) -o dist/netral-extension.zip

test: $(STAMP)
	$(PY) -m ruff check src tests bench tools/corpus
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Every benchmark in a quick mode (< 10 min on 2 cores), one table: figure, baseline measured
# in the same run, target, met or gap (bench/run_all.py; BENCH_ARGS=--full for the issue's sizes)
bench: $(BENCH_STAMP)
	$(PY) bench/run_all.py $(BENCH_ARGS)

# Rebuild the lock within pyproject's ranges (newest releases; review the diff).
lock: $(STAMP)
	$(PY) tools/lock.py

# Disk taken by a core install and by a full one, each in a fresh virtualenv (needs the
# package index or pip's cache).
install-size: $(STAMP)
	$(PY) bench/bench_install_size.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
