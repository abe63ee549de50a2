# pgenv.sh — shared set-up for `make test` and `make demo` (sourced, not run).
#   ensure_packages   install what is missing from Debian's packages
#   build_install     build with -Werror (or with the make variables given)
#                     and install into PostgreSQL 15
#   cluster_start     throwaway cluster in a temporary folder (socket only;
#                     CLUSTER_TEMPLATE: its mktemp template, PG_SERVER_OPTS: more options)
#   cluster_stop      stop it and remove the folder (also on exit)
#   cluster_stop_command  the command that does so, for KEEP=1 make demo
#   side_cluster      a second throwaway cluster for a check (side_cluster_stop)
#   prepare           the first three in a row
#   ensure_client_packages  the GIS and BI clients make check-clients drives

# PG_BIN may name another (relocated) PostgreSQL 15 installation.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_CONFIG=$PG_BIN/pg_config
export PG_BIN PG_CONFIG
# (postgresql-15 brings contrib's postgres_fdw, which make check-province uses)
PACKAGES="make gcc postgresql-15 postgresql-server-dev-15 postgresql-15-postgis-3
          postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
          gdal-bin libxml2-utils librsvg2-bin fonts-wqy-zenhei clang libclang-rt-14-dev"

say() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "need root for: $*" >&2; return 1
  fi
}

# Installs those of the packages named that are missing.
install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "packages: all present"
    return
  fi
  say "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_packages() { install_missing $PACKAGES; }

# The clients make check-clients drives (clients/run.sh): a JDBC program,
# PyQGIS, MapServer, GDAL; apart from PACKAGES, as QGIS alone is about 1 GB.
CLIENT_PACKAGES="libpostgresql-jdbc-java qgis python3-qgis mapserver-bin gdal-bin
                 python3-gdal python3-psycopg2 python3-pil"

ensure_client_packages() {
  local jdk=default-jdk-headless
  command -v javac >/dev/null && jdk=   # any JDK will do (openjdk-17-jdk-headless)
  install_missing $jdk $CLIENT_PACKAGES
}

build_install() {
  [ $# -gt 0 ] || set -- WERROR=-Werror
  say "build ($*) and install"
  make -s clean PG_CONFIG=$PG_CONFIG >/dev/null
  make -s -j2 PG_CONFIG=$PG_CONFIG "$@"
  as_root make -s install PG_CONFIG=$PG_CONFIG >/dev/null
}

# The server may not run as root: on a root shell it runs as the postgres user.
CLUSTER_DIR=
run_server_cmd() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster_start() {
  CLUSTER_DIR=$(mktemp -d ${CLUSTER_TEMPLATE:-/tmp/parcel_gov.XXXXXX})
  chmod 755 "$CLUSTER_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$CLUSTER_DIR"
  trap cluster_stop EXIT
  say "throwaway cluster in $CLUSTER_DIR"
  run_server_cmd $PG_BIN/initdb -D "$CLUSTER_DIR/data" -A trust -E UTF8 --no-locale >/dev/null
  # test/upgrade.sql installs and drops every released version in one
  # transaction, holding a lock on each of their objects: more than the
  # default lock table (64 a connection) holds
  run_server_cmd $PG_BIN/pg_ctl -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w \
    -o "-c listen_addresses='' -k $CLUSTER_DIR -c fsync=off -c max_locks_per_transaction=256 ${PG_SERVER_OPTS:-}" \
    start >/dev/null
  export PGHOST=$CLUSTER_DIR PGPORT=5432
  if [ "$(id -u)" = 0 ]; then export PGUSER=postgres; else export PGUSER=$(id -un); fi
  export PGDATABASE=postgres
}

# A second throwaway cluster for a check that needs one of its own (a county
# server, a new server to restore into): side_cluster DIR PORT [options]
# initialises DIR/data and starts it on a socket in DIR; side_cluster_stop
# DIR stops it and removes DIR.
side_cluster() {
  local dir=$1 port=$2; shift 2
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  run_server_cmd $PG_BIN/initdb -D "$dir/data" -A trust -E UTF8 --no-locale >/dev/null
  run_server_cmd $PG_BIN/pg_ctl -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses='' -k $dir -p $port -c fsync=off $*" start >/dev/null
}

side_cluster_stop() {
  run_server_cmd $PG_BIN/pg_ctl -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$1"
}

# The command that stops the cluster and removes its folder, for the user
# who started it: the server runs as postgres when the shell is root.
cluster_stop_command() {
  local stop="$PG_BIN/pg_ctl -D $CLUSTER_DIR/data stop && rm -rf $CLUSTER_DIR"
  if [ "$(id -u)" = 0 ]; then stop="runuser -u postgres -- $stop"; fi
  echo "$stop"
}

cluster_stop() {
  [ -n "$CLUSTER_DIR" ] && [ -d "$CLUSTER_DIR/data" ] || return 0
  run_server_cmd $PG_BIN/pg_ctl -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$CLUSTER_DIR"
  CLUSTER_DIR=
}

prepare() {
  ensure_packages
  build_install
  cluster_start
}
