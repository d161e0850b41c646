#!/usr/bin/env bash
# Run the whole test suite: linters, type checks and tests (which build real sites).
source "$(dirname "$0")/env.sh" test
source scripts/browser.sh
ruff check .
ruff format --check .
mypy
zizmor --offline --min-severity=low .github/workflows
python -m pytest "$@"
