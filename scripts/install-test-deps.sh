#!/usr/bin/env bash
# Installs the system packages the tests need, only when they are missing. Idempotent.
set -euo pipefail

have_postgres() {
    command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

# Another build on the machine may be installing at the same moment: wait for its package lock (up to 15 min).
apt_install() {
    local sudo=""
    if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
    $sudo apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
        --no-install-recommends "$@"
}

missing_packages() {
    missing=()
    if ! have_postgres; then missing+=(postgresql); fi
    # espeak-ng: the TTS engine for Russian, Ukrainian and other languages (its tests need the program).
    if ! command -v espeak-ng >/dev/null 2>&1; then missing+=(espeak-ng); fi
    # chromium and chromium-driver: the web UI's browser tests (WebUiBrowserIT) drive a headless Chromium.
    if ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
    if ! command -v chromedriver >/dev/null 2>&1; then missing+=(chromium-driver); fi
}

# Three tries: a lock held past the timeout, or a mirror hiccup, gets another chance; what another build installed
# meanwhile is not asked for again.
for try in 1 2 3; do
    missing_packages
    if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
    echo "install-test-deps: installing ${missing[*]} (try $try)"
    if apt_install "${missing[@]}"; then exit 0; fi
    sleep 10
done
missing_packages
if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-test-deps: could not install ${missing[*]}" >&2
    exit 1
fi
