#!/usr/bin/env bash
# Runs every test of the project. On a fresh Debian machine it first installs what the tests need
# (PostgreSQL binaries; the tests start and stop their own server on a loopback port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
exec mvn -B verify "$@"
