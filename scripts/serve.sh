#!/usr/bin/env bash
# Preview the site while writing: MkDocs' server at http://127.0.0.1:8000/, rebuilt and reloaded
# at every save of an entry, the license registry or a template; drafts are shown. Arguments go
# to `mkdocs serve` (e.g. -a 127.0.0.1:8001).
source "$(dirname "$0")/env.sh" site
# --livereload is spelled out: some versions of click switch live reload off without it.
# --dirty: a save rebuilds only the pages it changes (the evidence plugin judges each page).
exec mkdocs serve --livereload --dirty "$@"
