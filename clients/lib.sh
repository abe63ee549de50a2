# lib.sh — what the shell checks in clients/ share (sourced).
#   is GOT WANT WHAT   "ok - WHAT" when GOT equals WANT, else "not ok - WHAT"
#                      (values shown to 100 characters)
#   as_analyst SQL     one value, read as the county analyst over TCP
failures=0

is() {
  if [ "$1" = "$2" ]; then echo "ok - $3 (${1:0:100})"
  else echo "not ok - $3: got '${1:0:100}', want '${2:0:100}'"; failures=$((failures + 1))
  fi
}

as_analyst() {
  PGPASSWORD=$CLIENT_PASSWORD psql -X -At -v ON_ERROR_STOP=1 \
    "host=$CLIENT_HOST port=$CLIENTS_PORT dbname=$CLIENT_DB user=$CLIENT_USER sslmode=disable" -c "$1"
}
