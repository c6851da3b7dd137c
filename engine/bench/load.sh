#!/usr/bin/env bash
# load.sh — the load generator (dev.bourse.bench.load.LoadGenerator) from the shaded bench jar.
# Build first:  ./mvnw -B -pl engine/bench -am package -DskipTests
# Example:      engine/bench/load.sh --secrets data/dev-secrets.properties --mid BTC-USDT=60000,ETH-USDT=3000 \
#                   --traders 40 --rate 1000 --duration 30s --out /tmp/load-1k
# Options: engine/bench/load.sh --help, and docs/load-generator.md. Extra JVM options go in LOAD_JVM_OPTS.
# Exit status: 0 the run finished (its figures are in the report), 1 it could not run, 2 bad options.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="${BOURSE_BENCH_JAR:-$root/engine/bench/target/benchmarks.jar}"
if [[ ! -f "$jar" ]]; then
    echo "load.sh: $jar not found; build it with: ./mvnw -B -pl engine/bench -am package -DskipTests" >&2
    exit 1
fi
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
    JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck disable=SC2086
exec "$java" -Xms512m -Xmx1g -XX:+UseG1GC ${LOAD_JVM_OPTS:-} -cp "$jar" dev.bourse.bench.load.LoadGenerator "$@"
