#!/usr/bin/env bash
# Run the whole test suite: linters, type checks and tests (which build real sites).
source "$(dirname "$0")/env.sh" test
source scripts/browser.sh
ruff check .
ruff format --check .
mypy
python -m pytest "$@"
