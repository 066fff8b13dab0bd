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

if ! have_postgres; then
    echo "install-test-deps: PostgreSQL server binaries missing, installing the postgresql package"
    apt_install postgresql
fi
