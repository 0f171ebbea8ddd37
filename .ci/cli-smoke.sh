#!/usr/bin/env bash
# Smoke test of the `scamshield` command: the same answers as the scan example, and clear
# errors (not endless output) for a directory, binary input, a file given to `check` and
# empty input.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --features cli --bin scamshield
bin=${CARGO_TARGET_DIR:-target}/debug/scamshield
fail() { echo "cli: $*"; exit 1; }

"$bin" --version | grep -q '^scamshield ' || fail "--version"
input=tests/data/scan-smoke.jsonl
out=$("$bin" scan --threads 2 "$input")
[ "$(printf '%s\n' "$out" | wc -l)" -eq "$(wc -l < "$input")" ] || fail "scan: line count"
printf '%s\n' "$out" | sed -n 1p | grep -q '^{"id":"t1","risk":"critical","score":' || fail "scan: line 1"
printf '%s\n' "$out" | sed -n 8p | grep -q '^{"id":8,"error":' || fail "scan: line 8"
printf '%s\n' "$out" | sed -n 9p | grep -q '^{"id":"x1","error":' || fail "scan: line 9"

# Exit code and a bounded amount of output, within a time limit.
expect() { # expect CODE DESCRIPTION -- COMMAND...
  local want=$1 what=$2; shift 3
  local code=0
  timeout 60 "$@" > /tmp/cli-smoke.out 2> /tmp/cli-smoke.err || code=$?
  [ "$code" -eq "$want" ] || fail "$what: exit $code, wanted $want ($(head -c 300 /tmp/cli-smoke.err))"
  [ "$(wc -c < /tmp/cli-smoke.out)" -lt 100000 ] || fail "$what: runaway output"
}
expect 2 "scan of a directory" -- "$bin" scan src
grep -q 'is a directory' /tmp/cli-smoke.err || fail "scan of a directory: no reason"
expect 2 "scan of a missing file" -- "$bin" scan /nonexistent/file.jsonl
expect 2 "scan of a binary" -- "$bin" scan "$bin"
grep -q 'NUL byte' /tmp/cli-smoke.err || fail "scan of a binary: no reason"
expect 0 "scan with --threads 100000" -- "$bin" scan --threads 100000 "$input"
grep -q 'using 256' /tmp/cli-smoke.err || fail "--threads: no warning"
expect 2 "check of a file" -- "$bin" check Cargo.toml
grep -q 'is a file' /tmp/cli-smoke.err || fail "check of a file: no reason"
expect 2 "check of empty input" -- "$bin" check ""
expect 3 "check --fail-on" -- "$bin" check --fail-on medium "PayPal support 1-888-555-0199"
grep -q '^MEDIUM' /tmp/cli-smoke.out || fail "a lone argument with spaces is a message"
expect 0 "check with a misspelt brand" -- "$bin" check --brand Paypall 1-888-555-0199
grep -q 'PayPal (paypal)' /tmp/cli-smoke.err || fail "misspelt brand: no hint"
expect 0 "rules" -- "$bin" rules
grep -q '^phone.brand_has_no_phone_support ' /tmp/cli-smoke.out || fail "rules"
expect 0 "brands" -- "$bin" brands --json
expect 0 "completions" -- "$bin" completions bash
expect 0 "man" -- "$bin" man
grep -q '^\.TH' /tmp/cli-smoke.out || fail "man: no roff"
rm -f /tmp/cli-smoke.out /tmp/cli-smoke.err
echo "cli smoke test: scan, check, rules, brands, completions, man and the error exits"
