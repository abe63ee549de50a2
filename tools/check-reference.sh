#!/usr/bin/env bash
# README's reference names every function, aggregate and view the extension
# installs: a new one cannot ship undocumented.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/checkdb.sh
checkdb reference_check
names=$(q -c "
  SELECT DISTINCT p.proname FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'parcel_gov'
  UNION SELECT relname FROM pg_class WHERE relnamespace = 'parcel_gov'::regnamespace AND relkind = 'v'")
reference=$(sed -n '/^## Reference/,/^## Layout/p' README.md)
missing=
for name in $names; do
  grep -qE "\`$name[(\`]|, $name[,\`]|\`$name\`" <<<"$reference" || missing="$missing $name"
done
if [ -n "$missing" ]; then
  echo "README's reference does not name:$missing" >&2
  exit 1
fi
