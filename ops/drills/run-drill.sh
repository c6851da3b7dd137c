#!/usr/bin/env bash
# run-drill.sh — runs one drill's Java main from the shaded bench jar; the per-drill scripts call it.
#
# Usage: ops/drills/run-drill.sh CLASS [drill options]
#
# Environment:
#   JAVA_HOME         JDK 21+ (default /usr/lib/jvm/temurin-25-jdk-amd64 when it exists, else java on PATH)
#   BOURSE_BENCH_JAR  the jar (default engine/bench/target/benchmarks.jar; build: ./mvnw -B -pl engine/bench -am package -DskipTests)
#   BOURSE_URL, BOURSE_KEYS, INTERNAL_TOKEN, ADMIN_TOKEN   defaults of --url, --key, --internal-token, --admin-token
# Exit status: 0 PASS, 1 FAIL, 2 bad usage or nothing to run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ $# -lt 1 ]]; then
    echo "usage: $0 CLASS [options]" >&2
    exit 2
fi
cls="$1"
shift
jar="${BOURSE_BENCH_JAR:-$root/engine/bench/target/benchmarks.jar}"
if [[ ! -f "$jar" ]]; then
    echo "$(basename "$0"): $jar not found; build it with: ./mvnw -B -pl engine/bench -am package -DskipTests" >&2
    exit 2
fi
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
    JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -Xmx512m -cp "$jar" "$cls" "$@"
