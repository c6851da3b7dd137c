#!/usr/bin/env bash
# all.sh — runs the four drills of runbook §7 one after the other with the same options (--url, --secrets, --key,
# --inst, --ref-px; drill-specific options are not accepted here) and prints one verdict line per drill.
#
# Usage: ops/drills/all.sh [--url URL] [--secrets FILE | --key K:SECRET:PASS ...]
# Exit status: 0 when every drill passed, 1 otherwise.
set -uo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
failed=0
summary=()
for d in rate-limit-storm ws-network-loss slow-handler order-book-gap; do
    if "$dir/$d.sh" "$@"; then
        summary+=("PASS $d")
    else
        rc=$?
        summary+=("FAIL $d (exit $rc)")
        failed=1
    fi
    echo
done
printf '%s\n' "${summary[@]}"
exit "$failed"
