#!/usr/bin/env bash
# order-book-gap.sh — runbook §7 order-book gap drill: a forced sequence gap is detected, reset + resubscribe recovers market/books.
#
# Usage: ops/drills/order-book-gap.sh [--url URL] [--secrets data/dev-secrets.properties | --key K:SECRET:PASS ...] [options]
#        ops/drills/order-book-gap.sh --help      (every option)
# Runs against a local Bourse (default http://127.0.0.1:8080); prints evidence lines, then PASS or FAIL.
# Exit status: 0 PASS, 1 FAIL, 2 bad usage. See ops/drills/README.md.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-drill.sh" dev.bourse.bench.drills.OrderBookGapDrill "$@"
