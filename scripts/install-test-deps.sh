#!/usr/bin/env bash
# Installs the system packages the tests need, only when they are missing. Idempotent.
set -euo pipefail

have_postgres() {
    command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

apt_install() {
    local sudo=""
    if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

missing=()
if ! have_postgres; then missing+=(postgresql); fi
# espeak-ng: the TTS engine for Russian, Ukrainian and other languages (its tests need the program).
if ! command -v espeak-ng >/dev/null 2>&1; then missing+=(espeak-ng); fi
# chromium and chromium-driver: the web UI's browser tests (WebUiBrowserIT) drive a headless Chromium.
if ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if ! command -v chromedriver >/dev/null 2>&1; then missing+=(chromium-driver); fi

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-test-deps: installing ${missing[*]}"
    apt_install "${missing[@]}"
fi
