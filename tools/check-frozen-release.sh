#!/usr/bin/env bash
# Released scripts are frozen (updates/released.sha256): neither a shipped
# update script nor, once its version is released, the built install script
# may change; and the version under development has its update script.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s check-frozen PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
