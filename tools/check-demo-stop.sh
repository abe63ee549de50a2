#!/usr/bin/env bash
# KEEP=1 make demo leaves its cluster running and prints how to stop it: the
# printed command works as the user who ran make demo (as root, the server
# runs as postgres, and pg_ctl refuses to run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh
cluster_start >/dev/null
trap - EXIT
dir=$CLUSTER_DIR
command=$(cluster_stop_command)
bash -c "$command" >/dev/null 2>&1 || { echo "check-demo-stop: '$command' failed" >&2; cluster_stop; exit 1; }
if [ -d "$dir" ]; then
  echo "check-demo-stop: '$command' left $dir behind" >&2
  cluster_stop
  exit 1
fi
