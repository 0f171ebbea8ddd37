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

# Several batches (4,096 lines each) and two workers: every line answered, in input order.
many=$(for i in $(seq 1 10000); do
  if [ $((i % 997)) -eq 0 ]; then echo "not json $i"; else echo "{\"id\":$i,\"text\":\"call 1-800-555-0$((i % 1000)) now $i\"}"; fi
done | cargo run --quiet --example scan -- --threads 2)
ids=$(printf '%s\n' "$many" | grep -o '^{"id":[0-9]*' | cut -d: -f2)
[ "$ids" = "$(seq 1 10000)" ] || { echo "scan: 10,000 lines not answered in order"; exit 1; }
errors=$(printf '%s\n' "$many" | grep -c '"error"')
[ "$errors" -eq 10 ] || { echo "scan: $errors error lines for 10 malformed lines"; exit 1; }
echo "scan smoke test: 10,000 lines over 3 batches, in order, 10 malformed lines reported"
