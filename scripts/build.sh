#!/usr/bin/env bash
# Build the site from content/ into site/, all or nothing: into a fresh folder that replaces
# site/ only when the build passed. Errors fail it; warnings are printed and published.
# Pass --strict to fail on warnings too (for reviewing changes).
source "$(dirname "$0")/env.sh" site
python -m generator build "$@"
