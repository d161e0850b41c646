# Sourced by the other scripts: makes .venv with the project installed, then puts it on PATH.
# Usage: source scripts/env.sh GROUP   (GROUP: site, or an optional-dependency group: test, bench,
# zensical)
# GROUP is required: a script sourced without arguments sees its caller's, and `build.sh
# --strict` once asked pip for the extra "--strict".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

case "${1:-}" in
    site) extra= ;;
    test | bench | zensical) extra=$1 ;;
    *) echo "error: scripts/env.sh needs site, test, bench or zensical, not '${1:-}'" >&2; exit 2 ;;
esac

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11, 4))' 2>/dev/null; then
    echo "error: Python 3.11.4 or newer is needed; set PYTHON=/path/to/python3" >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv

# Reinstall only when the dependencies or the requested extra changed.
stamp=".venv/.installed-${extra:-site}-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -e "$stamp" ]; then
    echo "Installing into .venv ..." >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra:+[$extra]}"
    rm -f .venv/.installed-"${extra:-site}"-*
    touch "$stamp"
fi

export PATH="$PWD/.venv/bin:$PATH"
# Material 9.8 prints a notice about MkDocs 2 on every run; it is about MkDocs 2, which we do not use.
export NO_MKDOCS_2_WARNING=1
