#!/usr/bin/env bash
# make fuzz: each libFuzzer harness for SECONDS, keeping its corpus in
# fuzz/build; prints the inputs tried and the crashes (a crash fails).
#   tools/fuzz.sh SECONDS fuzz/build/fuzz_codes …
set -uo pipefail
seconds=$1; shift
status=0
for f in "$@"; do
  name=$(basename "$f")
  corpus=fuzz/build/corpus-$name
  mkdir -p "$corpus"
  out=$("$f" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=fuzz/build/ "$corpus" 2>&1)
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' <<<"$out")
  crashes=0
  [ $rc -eq 0 ] || { crashes=1; status=1; grep -E 'ERROR|SUMMARY|Test unit written|Base64' <<<"$out"; }
  echo "$name: ${runs:-0} inputs in ${seconds} s, $crashes crashes"
done
exit $status
