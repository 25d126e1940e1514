# The two commands of the README: `make run` and `make test`. Both set up .venv from scratch if needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: setup run test chat clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# CPU torch first (a local wheel here), so nothing can pull a CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -c requirements.lock -e ".[test]"
	touch $@

# Builds the index if missing, then serves the web UI on http://$(HOST):$(PORT) (terminal chat: `make chat`).
run: setup
	$(VENV)/bin/assistant index
	$(VENV)/bin/assistant serve --host $(HOST) --port $(PORT)

chat: setup
	$(VENV)/bin/assistant index
	$(VENV)/bin/assistant chat

test: setup
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info
