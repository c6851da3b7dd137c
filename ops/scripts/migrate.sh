#!/usr/bin/env bash
# migrate.sh — applies the database schema with the engine jar (`migrate`: Flyway, history in the
# table schema_migrations), then prints the versions recorded there.
#
# Usage: ops/scripts/migrate.sh
#
# Environment (the engine's own configuration; see docs/operations.md):
#   DB_URL, DB_USER, DB_PASSWORD, DB_SSL_MODE   the database (without DB_URL the dev profile's
#                                               embedded H2 under ./data is migrated)
#   BOURSE_PROFILE  dev or prod (prod insists on a PostgreSQL DB_URL and DB_SSL_MODE=require or stricter)
#   BOURSE_JAR      engine jar (default <repo>/engine/server/target/exchange-engine-server.jar)
#   JAVA_HOME       JDK 21 or newer (default: java on PATH)
#
# For a PostgreSQL DB_URL the schema_migrations rows are printed with psql on stdout afterwards.
# Exit status is the jar's: 0 migrated (or already up to date), 1 migration failed, 2 bad
# configuration; 1 also when the jar or java cannot be found.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ $# -gt 0 ]]; then
    bourse_usage
    exit 2
fi

bourse_java
bourse_jar

if [[ -z "${DB_URL:-}" ]]; then
    bourse_log "DB_URL is not set: the engine's default database (dev profile: embedded H2 under ./data) is migrated"
fi
bourse_log "running: $BOURSE_JAVA -jar $BOURSE_JAR_PATH migrate"
set +e
"$BOURSE_JAVA" -jar "$BOURSE_JAR_PATH" migrate
code=$?
set -e
if [[ "$code" -eq 0 ]]; then
    bourse_log "migration complete"
else
    bourse_log "migration FAILED (exit $code)"
fi

case "${DB_URL:-}" in
    jdbc:postgresql:*)
        bourse_pg_env
        if command -v psql >/dev/null; then
            bourse_log "schema_migrations in $(bourse_pg_describe):"
            psql --no-psqlrc --no-password --pset=pager=off --set=ON_ERROR_STOP=1 \
                --command="SELECT version, description, type, success, installed_on FROM schema_migrations ORDER BY installed_rank" \
                || bourse_log "warning: could not read schema_migrations"
        else
            bourse_log "psql not found: schema_migrations not printed"
        fi
        ;;
    *)
        bourse_log "schema_migrations is not printed for a non-PostgreSQL DB_URL (psql cannot read it)"
        ;;
esac
exit "$code"
