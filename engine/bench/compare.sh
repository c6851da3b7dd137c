#!/usr/bin/env bash
# Runs the side-by-side harness (dev.bourse.bench.CompareHarness) from the shaded benchmarks jar with the
# JVM flags docs/performance.md reports. Build first:  ./mvnw -B package -DskipTests
# Example:  engine/bench/compare.sh --symbols 1 --users 10000 --commands 3000000 --rate 1000000 --seed 1 --runs 5
# Extra JVM options (a profiler, GC logging) go in BENCH_JVM_OPTS.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR=engine/bench/target/benchmarks.jar
if [ ! -f "$JAR" ]; then
  echo "compare.sh: $JAR not found; build it with: ./mvnw -B package -DskipTests" >&2
  exit 1
fi
# Heap pre-sized and pre-touched so that no run pays for growing it.
JVM_FLAGS=(-Xms4g -Xmx4g -XX:+AlwaysPreTouch -XX:+UseG1GC)
major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
if [ "${major%%.*}" -ge 24 ]; then
  # only silence JDK 24+ warnings about exchange-core's dependencies (LMAX Disruptor's sun.misc.Unsafe, lz4's JNI)
  JVM_FLAGS+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi
exec "$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" ${BENCH_JVM_OPTS:-} -cp "$JAR" dev.bourse.bench.CompareHarness "$@"
