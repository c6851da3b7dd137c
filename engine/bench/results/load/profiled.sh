#!/usr/bin/env bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=/work/main/engine/server/target/exchange-engine-server.jar
BENCH=/work/main/engine/bench/target/benchmarks.jar
cd /tmp/load-profile
db=bourse_prof_$(date +%s)
psql -q -h 127.0.0.1 -U postgres -c "create database $db"
rm -rf eng; mkdir eng; cd eng
PORT=18084 INTERNAL_TOKEN=internal-token-load-perf-01 ADMIN_TOKEN=admin-token-load-perf-0123 \
 DB_URL=jdbc:postgresql://127.0.0.1:5432/$db DB_USER=postgres REDIS_ADDR=127.0.0.1:6379 REDIS_KEY_PREFIX=bourse-$db: \
 AUTH_TOKEN_SECRET=auth-token-secret-load-perf-0123456789abcdef \
 $J -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints ${ENGINE_OPTS:-} -jar $JAR > engine.log 2>&1 &
E=$!
cd /tmp/load-profile
for i in $(seq 1 90); do grep -q 'ready on' eng/engine.log && break; sleep 1; done
gen() { $J -Xms512m -Xmx1g -XX:+UseG1GC ${GEN_OPTS:-} -cp $BENCH dev.bourse.bench.load.LoadGenerator \
      --url http://127.0.0.1:18084 --internal-token internal-token-load-perf-01 --admin-token admin-token-load-perf-0123 \
      --traders 200 --rate $2 --duration $3 --warmup 5s --entry $1 --mid BTC-USDT=60000,ETH-USDT=3000 --out /tmp/load-profile/$4 2>/tmp/load-profile/$4.err; }
gen ws 1000 20s warm >> prof.log
jcmd $E JFR.start name=p settings=profile filename=/tmp/load-profile/engine.jfr > /dev/null
cpu0=$(awk '{print ($14+$15)}' /proc/$E/stat)
gen ${ENTRY:-ws} ${RATE:-5000} 25s measured >> prof.log
cpu1=$(awk '{print ($14+$15)}' /proc/$E/stat)
jcmd $E JFR.stop name=p > /dev/null
echo "engine cpu ticks during measured run: $((cpu1-cpu0))" >> prof.log
kill $E; wait $E 2>/dev/null
psql -q -h 127.0.0.1 -U postgres -c "drop database $db"
echo DONE >> prof.log
