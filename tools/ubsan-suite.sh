#!/usr/bin/env bash
# The pg_regress suite and the garbage check with the extension built with
# UndefinedBehaviorSanitizer (gcc, -fno-sanitize-recover: the first undefined
# operation stops the backend), in a cluster of its own.  AddressSanitizer is
# not used here: a PostgreSQL server that is not itself instrumented hangs at
# start with the ASan runtime preloaded (seen with gcc's and clang's), so
# memory errors are left to the fuzz harnesses over src/core.  Installs the
# instrumented library for the run and the plain one again afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh
reports=$(mktemp -d /tmp/parcel_gov_ubsan.XXXXXX)
chmod 777 "$reports"
trap 'build_install; rm -rf "$reports"' EXIT
build_install PG_CFLAGS="-fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter" \
              PG_LDFLAGS="-fsanitize=undefined"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$reports/ubsan"
cluster_start
# (after cluster_start, whose own EXIT trap this one replaces)
trap 'cluster_stop; build_install; rm -rf "$reports"' EXIT
status=0
make -s installcheck PG_CONFIG=$PG_CONFIG > "$reports/regress.log" 2>&1 || status=1
grep -E 'tests passed|tests failed|FAILED' "$reports/regress.log" || true
bash tools/check-garbage.sh | tail -1 || status=1
if ls "$reports"/ubsan* >/dev/null 2>&1; then
  echo "UBSan reports:"; cat "$reports"/ubsan*; status=1
fi
if grep -q 'terminated by signal' "$CLUSTER_DIR/server.log"; then
  grep 'terminated by signal' "$CLUSTER_DIR/server.log"; status=1
fi
[ $status -eq 0 ] && echo "suite and garbage check under UBSan: no reports"
exit $status
