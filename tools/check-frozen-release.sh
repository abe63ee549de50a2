#!/usr/bin/env bash
# A released version's install script is frozen: install/ may not change under it.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s check-frozen PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
