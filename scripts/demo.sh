#!/usr/bin/env bash
# Builds the dialer and runs the self-contained demo: embedded H2 in ./data, a single-node cluster and
# simulated carriers on loopback. Open the address it prints; stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
# Some Maven 3.8 builds print colour resets (ESC[0m) even with -B -q: they are stripped, the exit code is kept.
mvn -B -q -DskipTests -pl dialer -am package 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g'
exec java -jar dialer/target/dialer.jar demo "$@"
