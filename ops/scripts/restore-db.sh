#!/usr/bin/env bash
# restore-db.sh — restores a backup-db.sh dump into DB_URL's database, then runs a full ledger
# reconciliation with the engine jar.
#
# Usage: ops/scripts/restore-db.sh <file.dump>
#
# Stop the engine (every shard) first: the restore replaces every table of the database.
# Runs pg_restore --clean --if-exists --no-owner --single-transaction (all or nothing: on any error
# the database is left as it was), then `java -jar exchange-engine-server.jar reconcile`.
#
# Environment:
#   DB_URL, DB_USER, DB_PASSWORD, DB_SSL_MODE   the target database, as for backup-db.sh (and the engine)
#   BOURSE_JAR   engine jar (default <repo>/engine/server/target/exchange-engine-server.jar)
#   JAVA_HOME    JDK 21 or newer for the reconciliation (default: java on PATH)
#
# Exit status is reconciliation's: 0 restored and clean, 1 restored but anomalies found (P0: keep
# trading paused, runbook §4 C), 2 restored but reconciliation could not run; 3 nothing restored
# (bad usage, unreadable or invalid dump, pg_restore failed).
# Progress goes to stderr; the reconciliation report to stdout.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BOURSE_FAIL_CODE=3

if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
    bourse_usage
    exit 3
fi
dump="$1"
[[ -f "$dump" && -r "$dump" ]] || bourse_die "cannot read dump file '$dump'"
[[ -s "$dump" ]] || bourse_die "dump file '$dump' is empty"

bourse_pg_env
bourse_java
bourse_jar
command -v pg_restore >/dev/null || bourse_die "pg_restore not found (install the PostgreSQL client tools)"
command -v psql >/dev/null || bourse_die "psql not found (install the PostgreSQL client tools)"

# Check the archive before touching the database.
if ! pg_restore --list "$dump" >/dev/null; then
    bourse_die "'$dump' is not a pg_dump custom-format archive; nothing restored"
fi

target="$(bourse_pg_describe)"
if ! others="$(psql --no-psqlrc --no-password --quiet --tuples-only --no-align \
    --command="SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")"; then
    bourse_die "cannot connect to $target; nothing restored"
fi
if [[ "$others" != 0 ]]; then
    bourse_log "warning: $others other session(s) are connected to $PGDATABASE; is the engine stopped?" \
        "(the restore waits for their locks)"
fi

# The dump recreates the tables in schema public but not the schema itself (pg_dump never dumps it).
if ! has_public="$(psql --no-psqlrc --no-password --quiet --tuples-only --no-align \
    --command="SELECT to_regnamespace('public') IS NOT NULL")"; then
    bourse_die "cannot query $target; nothing restored"
fi
if [[ "$has_public" != t ]]; then
    bourse_log "schema public does not exist in $PGDATABASE; creating it (empty) first"
    psql --no-psqlrc --no-password --quiet --set=ON_ERROR_STOP=1 --command="CREATE SCHEMA IF NOT EXISTS public" \
        || bourse_die "cannot create schema public; nothing restored"
fi

bourse_log "restoring $dump into $target"
bourse_log "running: pg_restore --clean --if-exists --no-owner --single-transaction --dbname=$PGDATABASE $dump"
if ! pg_restore --clean --if-exists --no-owner --single-transaction --no-password --dbname="$PGDATABASE" "$dump"; then
    bourse_die "pg_restore failed; the transaction was rolled back and nothing was restored"
fi
bourse_log "restore complete"

bourse_log "running reconciliation: $BOURSE_JAVA -jar $BOURSE_JAR_PATH reconcile"
set +e
"$BOURSE_JAVA" -jar "$BOURSE_JAR_PATH" reconcile
code=$?
set -e
case "$code" in
    0) bourse_log "reconciliation clean (exit 0)" ;;
    1) bourse_log "RECONCILIATION FOUND ANOMALIES (exit 1): keep trading paused and follow runbook §4 C" ;;
    2) bourse_log "reconciliation could not run (exit 2): the restore is in place but NOT verified" ;;
    *) bourse_log "reconciliation ended with unexpected exit code $code: the restore is in place but NOT verified" ;;
esac
exit "$code"
