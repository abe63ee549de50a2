#!/usr/bin/env bash
# For distribution packagers: `make install DESTDIR=…` stages every file
# (library, control file, the current install script, the base and every update script)
# under DESTDIR and nothing outside it; META.json (PGXN) is valid JSON and
# names the version the control file installs.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
stage=$(mktemp -d /tmp/parcel_gov_stage.XXXXXX)
trap 'rm -rf "$stage"' EXIT
fail() { echo "check-packaging: $*" >&2; exit 1; }
version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" parcel_gov.control)
make -s install DESTDIR="$stage" PG_CONFIG="$PG_CONFIG" >/dev/null
share="$stage$($PG_CONFIG --sharedir)/extension"
lib="$stage$($PG_CONFIG --pkglibdir)"
[ -f "$lib/parcel_gov.so" ] || fail "no parcel_gov.so under $lib"
[ -f "$share/parcel_gov.control" ] || fail "no control file under $share"
[ -f "$share/parcel_gov--$version.sql" ] || fail "no install script for $version"
for released in updates/parcel_gov--*.sql; do
  [ -f "$share/$(basename "$released")" ] || fail "released script $(basename "$released") not staged"
done
outside=$(find "$stage" -type f | grep -v -e "^$share/" -e "^$lib/" -e "^$stage$($PG_CONFIG --includedir-server)" -e "/bitcode/" || true)
[ -z "$outside" ] || fail "files outside the extension's folders: $outside"
meta_version=$(psql -X -At -d postgres -c "SELECT (\$\$$(cat META.json)\$\$::json) #>> '{provides,parcel_gov,version}'")
[ "$meta_version" = "$version" ] || fail "META.json says $meta_version, the control file $version"
