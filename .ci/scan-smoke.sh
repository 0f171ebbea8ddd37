#!/usr/bin/env bash
# Smoke test of the batch scanner: one output line per input line, in order, with an error
# line (not a crash) for malformed input.
set -euo pipefail
cd "$(dirname "$0")/.."
input=tests/data/scan-smoke.jsonl
out=$(cargo run --quiet --example scan -- --threads 2 --summary "$input")
want=$(wc -l < "$input")
got=$(printf '%s\n' "$out" | wc -l)
[ "$got" -eq "$want" ] || { echo "scan: $got output lines for $want input lines"; exit 1; }
printf '%s\n' "$out" | sed -n 1p | grep -q '"id":"t1","risk":"critical"' || { echo "scan: line 1 wrong"; exit 1; }
printf '%s\n' "$out" | sed -n 8p | grep -q '"error"' || { echo "scan: malformed line 8 has no error"; exit 1; }
printf '%s\n' "$out" | sed -n 9p | grep -q '"id":"x1","error"' || { echo "scan: line 9 without payload has no error"; exit 1; }
echo "scan smoke test: $got lines, in order, malformed lines reported"
