#!/usr/bin/env bash
# Build the site from content/ into site/. Strict: a warning fails the build like an error.
source "$(dirname "$0")/env.sh"
mkdocs build --strict "$@"
