#!/usr/bin/env bash
# rate-limit-storm.sh — runbook §7 rate-limit drill: the request gate keeps 429s from storming and recovers.
#
# Usage: ops/drills/rate-limit-storm.sh [--url URL] [--secrets data/dev-secrets.properties | --key K:SECRET:PASS ...] [options]
#        ops/drills/rate-limit-storm.sh --help      (every option)
# Runs against a local Bourse (default http://127.0.0.1:8080); prints evidence lines, then PASS or FAIL.
# Exit status: 0 PASS, 1 FAIL, 2 bad usage. See ops/drills/README.md.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-drill.sh" dev.bourse.bench.drills.RateLimitStormDrill "$@"
