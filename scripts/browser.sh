# Sourced by scripts/test.sh: makes sure the browser tests have what they need, without ever
# downloading a browser from anywhere but the system's package manager.
#   - Chromium: Debian's `chromium` package (or CHROMIUM_PATH, or a chromium already on PATH);
#   - axe-core: from the npm registry, at the version pinned in tests/browser/package-lock.json.
# When something cannot be installed it says so; the tests then fail in CI and skip elsewhere.

have_browser() {
    [ -n "${CHROMIUM_PATH:-}" ] && return 0
    command -v chromium || command -v chromium-browser || command -v google-chrome \
        || command -v google-chrome-stable
} >/dev/null 2>&1

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"; else return 1; fi
}

apt_install() {
    command -v apt-get >/dev/null || return 1
    echo "Installing $* with apt-get ..." >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
        && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

if ! have_browser; then
    apt_install chromium || echo "warning: Chromium is missing and could not be installed" >&2
fi

if ! command -v npm >/dev/null; then
    apt_install npm || echo "warning: npm is missing and could not be installed" >&2
fi

browser_deps=tests/browser
stamp="$browser_deps/node_modules/.installed-$(sha256sum "$browser_deps/package-lock.json" | cut -c1-16)"
if command -v npm >/dev/null && [ ! -e "$stamp" ]; then
    echo "Installing axe-core into $browser_deps/node_modules ..." >&2
    npm ci --prefix "$browser_deps" --no-audit --no-fund --loglevel=error >&2 \
        && touch "$stamp" \
        || echo "warning: npm ci failed; the accessibility tests cannot run" >&2
fi
