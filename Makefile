# One task runner. `make run` and `make test` do all their own set-up on a fresh machine.
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: setup run index test lint typecheck browser-deps bench eval chroma clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@rm -f .venv/.installed-*; touch $@

index: setup
	$(PY) -m ingest corpus/

run: index
	$(PY) app.py

browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -f .cache/node/node_modules/axe-core/axe.min.js || { mkdir -p .cache/node && npm install --silent --prefix .cache/node axe-core@4 >/dev/null; }

lint: setup
	.venv/bin/ruff check ingest assistant evals tests app.py bench
	.venv/bin/mypy

test: setup browser-deps lint
	$(PY) -m pytest -q -m "slow or browser or server or not slow" tests

eval: setup index
	$(PY) -m evals run

bench: setup
	$(PY) -m bench

chroma: setup
	.venv/bin/chroma run --path $${SOCITM_DATA_DIR:-data}/chroma-server --host 127.0.0.1 --port $${SOCITM_CHROMA_PORT:-8000}

clean:
	rm -rf .venv .cache data test-output
