# The two set-up commands of the README:
#   make demo   installs, builds the index of data/articles and answers a demo question
#   make test   installs (with test tools and Chromium) and runs the test suite
.PHONY: demo test lint setup index ui eval bench clean
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

test:
	scripts/setup.sh test
	.venv/bin/python -m pytest $(PYTEST_ARGS)

lint:
	scripts/setup.sh test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

clean:
	rm -rf .qa runs artifacts
