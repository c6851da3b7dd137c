#!/usr/bin/env bash
# backup-db.sh — full backup of the engine's PostgreSQL database with pg_dump (custom format).
#
# Usage: ops/scripts/backup-db.sh [out-dir]          (out-dir defaults to ./backups)
#
# Environment:
#   DB_URL       jdbc:postgresql://host:5432/dbname[?user=..&password=..&sslmode=..]  (required)
#   DB_USER      database user when the URL has none (default postgres)
#   DB_PASSWORD  password when the URL has none (passed to pg_dump as PGPASSWORD)
#   DB_SSL_MODE  libpq sslmode when the URL has none (disable, require, verify-ca, verify-full, ...)
#
# Writes <out-dir>/bourse-<dbname>-<UTC timestamp>.dump and prints its path as the last (and only)
# line on stdout; progress goes to stderr. The dump is written to a hidden temporary file and renamed
# only once pg_dump has succeeded, so a failed run never leaves a partial .dump behind.
# Exit status: 0 written, 1 failed (reason on stderr), 2 bad usage.
# Restore with ops/scripts/restore-db.sh <file>. For an embedded H2 DB_URL (the dev default) pg_dump
# does not apply: stop the engine and copy its ./data directory instead.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ $# -gt 1 || "${1:-}" == -h || "${1:-}" == --help ]]; then
    bourse_usage
    exit 2
fi
out_dir="${1:-./backups}"

bourse_pg_env
command -v pg_dump >/dev/null || bourse_die "pg_dump not found (install the PostgreSQL client tools)"
mkdir -p "$out_dir" || bourse_die "cannot create output directory $out_dir"

safe_db="${PGDATABASE//[^A-Za-z0-9_.-]/_}"
final="$out_dir/bourse-$safe_db-$(bourse_timestamp).dump"
[[ ! -e "$final" ]] || bourse_die "$final already exists; not overwriting it"
tmp="$(mktemp "$out_dir/.bourse-$safe_db.dump.partial.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

bourse_log "dumping $(bourse_pg_describe) with $(pg_dump --version)"
if ! pg_dump --format=custom --no-password --file="$tmp"; then
    bourse_die "pg_dump failed; no backup written"
fi
[[ -s "$tmp" ]] || bourse_die "pg_dump produced an empty file; no backup written"
mv -f "$tmp" "$final"
trap - EXIT

bourse_log "wrote $(wc -c <"$final" | tr -d ' ') bytes"
echo "$final"
