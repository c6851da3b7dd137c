#!/usr/bin/env bash
# ws-network-loss.sh — runbook §7 WS network-loss drill: reconnect + resubscribe, then REST reconciliation leaves local state equal to the exchange's.
#
# Usage: ops/drills/ws-network-loss.sh [--url URL] [--secrets data/dev-secrets.properties | --key K:SECRET:PASS ...] [options]
#        ops/drills/ws-network-loss.sh --help      (every option)
# Runs against a local Bourse (default http://127.0.0.1:8080); prints evidence lines, then PASS or FAIL.
# Exit status: 0 PASS, 1 FAIL, 2 bad usage. See ops/drills/README.md.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-drill.sh" dev.bourse.bench.drills.WsNetworkLossDrill "$@"
