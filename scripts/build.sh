#!/usr/bin/env bash
# Build the site from content/ into site/: strictly (a warning fails the build like an error),
# into a fresh folder that replaces site/ only when everything passed.
source "$(dirname "$0")/env.sh"
python -m generator build "$@"
