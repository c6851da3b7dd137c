#!/usr/bin/env bash
# backup-redis.sh — snapshot of the engine's Redis as an RDB file, taken with `redis-cli --rdb`.
#
# Usage: ops/scripts/backup-redis.sh [out-dir]       (out-dir defaults to ./backups)
#
# Environment:
#   REDIS_ADDR     host:port of the Redis server (required; the port defaults to 6379, IPv6 as [addr]:port)
#   REDISCLI_AUTH  password, if the server requires one (read by redis-cli itself, never on the command line)
#
# Writes <out-dir>/bourse-redis-<UTC timestamp>.rdb and prints its path as the last (and only) line
# on stdout; progress goes to stderr. The snapshot goes to a hidden temporary file that is renamed
# only once redis-cli has succeeded and the file starts with the RDB magic "REDIS".
# Exit status: 0 written, 1 failed (reason on stderr), 2 bad usage.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ $# -gt 1 || "${1:-}" == -h || "${1:-}" == --help ]]; then
    bourse_usage
    exit 2
fi
out_dir="${1:-./backups}"

addr="${REDIS_ADDR:-}"
[[ -n "$addr" ]] || bourse_die "REDIS_ADDR is not set (expected host:port of the engine's Redis, e.g. 127.0.0.1:6379)"
if [[ "$addr" == \[* ]]; then
    host="${addr%%]*}"
    host="${host#[}"
    port="${addr#*]}"
    port="${port#:}"
elif [[ "$addr" == *:* ]]; then
    host="${addr%:*}"
    port="${addr##*:}"
else
    host="$addr"
    port=""
fi
[[ -n "$port" ]] || port=6379
[[ -n "$host" && "$port" =~ ^[0-9]+$ ]] || bourse_die "REDIS_ADDR must be host:port, not '$addr'"

command -v redis-cli >/dev/null || bourse_die "redis-cli not found (install the Redis tools)"
mkdir -p "$out_dir" || bourse_die "cannot create output directory $out_dir"

final="$out_dir/bourse-redis-$(bourse_timestamp).rdb"
[[ ! -e "$final" ]] || bourse_die "$final already exists; not overwriting it"
tmp="$(mktemp "$out_dir/.bourse-redis.rdb.partial.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

bourse_log "taking an RDB snapshot of Redis at $host:$port"
if ! redis-cli -h "$host" -p "$port" --rdb "$tmp" >&2; then
    bourse_die "redis-cli --rdb failed; no backup written"
fi
magic="$(head -c 5 "$tmp")"
[[ "$magic" == REDIS ]] || bourse_die "redis-cli wrote no valid RDB file (it does not start with REDIS); no backup written"
mv -f "$tmp" "$final"
trap - EXIT

bourse_log "wrote $(wc -c <"$final" | tr -d ' ') bytes"
echo "$final"
