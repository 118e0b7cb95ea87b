# The two set-up commands of the README:
#   make demo   installs, builds the index of data/articles and answers a demo question
#   make test   installs (with test tools and Chromium) and runs the test suite
.PHONY: demo test test-lite3 lint setup index ui eval bench clean
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
QA := .venv/bin/qa
QUESTION ?= How large was EU-Vietnam trade in the first 11 months of 2025?

demo: setup index
	$(QA) ask "$(QUESTION)"

setup:
	scripts/setup.sh

index:
	$(QA) ingest data/articles

ui: setup index
	.venv/bin/python ui.py

eval: setup index
	.venv/bin/qa eval

# Two pytest workers, one per core (pytest-xdist); each test file stays on one worker, so the servers and browsers
# its module fixtures start are started once. PYTEST_WORKERS=0 runs every test in this one process.
PYTEST_WORKERS ?= 2
test:
	scripts/setup.sh test
	.venv/bin/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# Windows installs the pure-Python Milvus Lite 3.2.2 (pyproject.toml); its tests run here too, beside the pinned engine.
LITE3 = pymilvus==3.0.2 milvus-lite==3.2.2 cachetools==8.0.2 orjson==3.13.0 pyarrow==26.0.1
test-lite3:
	scripts/setup.sh test
	[ -f .lite3/.installed ] || (rm -rf .lite3 && .venv/bin/pip install -q --disable-pip-version-check \
		--no-deps --target .lite3 $(LITE3) && touch .lite3/.installed)
	PYTHONPATH=.lite3 .venv/bin/python -m pytest tests/test_milvus.py $(PYTEST_ARGS)
	PYTHONPATH=.lite3 .venv/bin/python -m pytest tests/test_reliability.py -k "milvus or readyz" $(PYTEST_ARGS)

lint:
	scripts/setup.sh test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

clean:
	rm -rf .qa runs artifacts
