#!/usr/bin/env bash
# The pure C cores (src/core: code checks, score and quota arithmetic) under
# libFuzzer with AddressSanitizer and UBSan, a few seconds each; longer on
# demand with make fuzz FUZZ_SECONDS=600.  Prints inputs tried and crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-3}"
