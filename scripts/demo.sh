#!/usr/bin/env bash
# Builds the dialer and runs the self-contained demo: embedded H2 in ./data, a single-node cluster and
# simulated carriers on loopback. Open the address it prints; stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl dialer -am package
exec java -jar dialer/target/dialer.jar demo "$@"
