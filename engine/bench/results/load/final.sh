#!/usr/bin/env bash
# The script that produced final.log and final-*.json (run from /tmp/load-perf on the 2-core build machine;
# paths as they were there) and, as `NAME=run2 BACKENDS=pg REPO=/work/main WORK=/tmp/load-perf2 final.sh`,
# run2.log and run2-pg-*.json. See docs/performance.md, "Trader API under load".
# Per backend, one fresh engine (and database); a discarded warm-up run, then the six measured runs.
# ENGINE_OPTS: JVM options of the engine (e.g. -XX:+UseZGC); ENGINE_JAR: another engine build; RUNS: the runs,
# "name entry rate duration" each, separated by ";".
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NAME=${NAME:-final}
BACKENDS=${BACKENDS:-h2 pg}
REPO=${REPO:-/work/wt-load}
WORK=${WORK:-/tmp/load-perf}
ENGINE_OPTS=${ENGINE_OPTS:-}
RUNS=${RUNS:-"warm ws 1000 20s;rest-1k rest 1000 25s;ws-1k ws 1000 25s;rest-5k rest 5000 25s;ws-5k ws 5000 25s;rest-10k rest 10000 25s;ws-10k ws 10000 25s"}
JAR=${ENGINE_JAR:-$REPO/engine/server/target/exchange-engine-server.jar}
cd $WORK
pgcpu() { ps -C postgres -o cputimes= 2>/dev/null | awk '{s+=$1} END {print s+0}'; }
for backend in $BACKENDS; do
  dir=$WORK/eng-$NAME-$backend; rm -rf $dir; mkdir -p $dir
  env=(PORT=18083 INTERNAL_TOKEN=internal-token-load-perf-01 ADMIN_TOKEN=admin-token-load-perf-0123)
  if [ $backend = pg ]; then
    db=bourse_load_$(date +%s)
    psql -q -h 127.0.0.1 -U postgres -c "create database $db"
    env+=(DB_URL=jdbc:postgresql://127.0.0.1:5432/$db DB_USER=postgres REDIS_ADDR=127.0.0.1:6379 REDIS_KEY_PREFIX=bourse-$db: AUTH_TOKEN_SECRET=auth-token-secret-load-perf-0123456789abcdef)
  fi
  cd $dir
  env "${env[@]}" $J $ENGINE_OPTS -jar $JAR > engine.log 2>&1 &
  E=$!
  cd $WORK
  echo $E > $dir/pid
  for i in $(seq 1 90); do grep -q 'ready on' $dir/engine.log && break; sleep 1; done
  grep -q 'ready on' $dir/engine.log || { echo "engine $backend not ready" >> $NAME.log; kill $E; continue; }
  IFS=';' read -ra runs <<< "$RUNS"
  for run in "${runs[@]}"; do
    set -- $run
    name=$NAME-$backend-$1; entry=$2; rate=$3; dur=$4
    echo "== $name $(uptime)" >> $NAME.log
    p0=$(pgcpu)
    e0=$(awk '{print ($14+$15)/100}' /proc/$E/stat)
    $J -Xms512m -Xmx1g -XX:+UseG1GC -cp $REPO/engine/bench/target/benchmarks.jar dev.bourse.bench.load.LoadGenerator \
      --url http://127.0.0.1:18083 --internal-token internal-token-load-perf-01 --admin-token admin-token-load-perf-0123 \
      --traders 200 --rate $rate --duration $dur --warmup 5s --entry $entry \
      --mid BTC-USDT=60000,ETH-USDT=3000 --out $WORK/$name 2>$WORK/$name.err >> $NAME.log &
    G=$!
    g=0
    while kill -0 $G 2>/dev/null; do g=$(awk '{print ($14+$15)/100}' /proc/$G/stat 2>/dev/null || echo $g); sleep 0.5; done
    e1=$(awk '{print ($14+$15)/100}' /proc/$E/stat)
    p1=$(pgcpu)
    echo "   cpu s: engine $(echo "$e1 - $e0" | bc) generator $g postgres(all) $((p1-p0)); after: $(uptime)" >> $NAME.log
  done
  kill $E; wait $E 2>/dev/null
  if [ $backend = pg ]; then psql -q -h 127.0.0.1 -U postgres -c "drop database $db"; fi
  rm -rf $dir/data
done
echo DONE >> $NAME.log
