#!/usr/bin/env bash
# Runs dev.bourse.bench.DurableSequencerBench (durable orders through the engine server's Shard and
# PostgreSQL) from the shaded benchmarks jar. Build first:  ./mvnw -B install -DskipTests
# Example:  engine/bench/durable.sh --phases 5000,20000,saturation --duration 20 --warmup 5
# It creates a fresh database on the server given by --jdbc (default jdbc:postgresql://127.0.0.1:5432,
# user postgres) and drops it at the end. Extra JVM options (JFR, GC logging) go in BENCH_JVM_OPTS;
# BENCH_CLASSPATH_PREPEND puts classes before the jar (experiments with patched engine-server classes).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR=engine/bench/target/benchmarks.jar
if [ ! -f "$JAR" ]; then
  echo "durable.sh: $JAR not found; build it with: ./mvnw -B install -DskipTests" >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" -Xms3g -Xmx3g -XX:+AlwaysPreTouch -XX:+UseG1GC ${BENCH_JVM_OPTS:-} \
  -cp "${BENCH_CLASSPATH_PREPEND:+$BENCH_CLASSPATH_PREPEND:}$JAR" dev.bourse.bench.DurableSequencerBench "$@"
