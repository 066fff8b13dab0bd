#!/usr/bin/env bash
# Runs every test of the project. On a Debian or Ubuntu machine it first installs what the tests need when it is
# missing (through apt-get): the PostgreSQL binaries (the tests start and stop their own server on a loopback port)
# and espeak-ng (the TTS engine some tests drive).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
exec mvn -B verify "$@"
