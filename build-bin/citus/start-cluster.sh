#!/usr/bin/env bash
# Starts a Citus cluster on loopback: a coordinator and 2 workers, each its own PostgreSQL 15 data
# directory under DIR, on ports BASEPORT (coordinator), BASEPORT+1 and BASEPORT+2 (workers).
# Creates database DB (default kiln) owned by role kiln (password kiln) on every node, creates the
# citus extension in it, registers the coordinator and the workers, and prints a JDBC URL.
#
#   start-cluster.sh DIR BASEPORT [DB]      start (or restart) the cluster; idempotent
#   start-cluster.sh --stop DIR             stop the three nodes (data kept; rm -rf DIR to discard)
#
# Needs Citus installed into Debian's PostgreSQL 15 (build-citus.sh next to this file). Run as root
# (the servers then run as the OS user postgres) or as any non-root user who can write DIR.
# Only 127.0.0.1 is listened on; authentication is trust for local and loopback connections, so
# this is for tests on one machine only.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
NODES=(coord worker1 worker2)

die() { echo "start-cluster.sh: $*" >&2; exit 1; }

# Runs a command as the OS user that owns the servers.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  [ $# -eq 2 ] || die "usage: $0 --stop DIR"
  DIR=$(readlink -f "$2")
  for n in "${NODES[@]}"; do
    if [ -f "$DIR/$n/postmaster.pid" ]; then
      as_pg "$PG_BIN/pg_ctl" -D "$DIR/$n" -m fast -w stop >/dev/null && echo "stopped $n"
    fi
  done
  exit 0
fi

[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 DIR BASEPORT [DB]   |   $0 --stop DIR"
DIR=$1; BASEPORT=$2; DB=${3:-kiln}
[[ "$BASEPORT" =~ ^[0-9]+$ ]] || die "BASEPORT must be a number"
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "DB must be a plain lower-case identifier"
[ -x "$PG_BIN/postgres" ] || die "no PostgreSQL at $PG_BIN"
[ -f "$("$PG_BIN/pg_config" --pkglibdir)/citus.so" ] || die "Citus is not installed (run build-citus.sh)"

mkdir -p "$DIR"
DIR=$(readlink -f "$DIR")
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "no OS user postgres to run the servers as"
  chown postgres: "$DIR"
fi

for i in "${!NODES[@]}"; do
  n=${NODES[$i]}; port=$((BASEPORT + i)); data="$DIR/$n"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/$n.initdb.log"
    cat >>"$data/postgresql.conf" <<EOF

# --- added by start-cluster.sh (Citus test cluster on loopback) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
shared_preload_libraries = 'citus'
max_connections = 300
wal_level = logical
max_prepared_transactions = 200
# Citus runs a maintenance daemon (2PC recovery, distributed deadlock detection) per database that
# uses it, each a background worker: tests make a database per suite and per server, many of them.
max_worker_processes = 512
citus.enable_statistics_collection = off
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  fi
  grep -q "^port = $port\$" "$data/postgresql.conf" || die "$data was made for other ports: use its BASEPORT, or a new DIR"
  if ! as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$DIR/$n.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$DIR/$n.log" >&2; die "$n did not start (port $port)"; }
  fi
done

# psql against node i (0 = coordinator), database $2, as the superuser postgres.
sql() {
  local i=$1 db=$2; shift 2
  PGOPTIONS='-c client_min_messages=warning' as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $((BASEPORT + i)) -U postgres -d "$db" -At "$@"
}

for i in "${!NODES[@]}"; do
  # The role and the database are made on each node by hand, in a database without Citus, so that
  # nothing is propagated twice.
  sql "$i" postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'kiln'" | grep -q 1 \
    || sql "$i" postgres -c "CREATE ROLE kiln LOGIN PASSWORD 'kiln'"
  sql "$i" postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
    || sql "$i" postgres -c "CREATE DATABASE $DB OWNER kiln"
  sql "$i" "$DB" -c "CREATE EXTENSION IF NOT EXISTS citus"
done

sql 0 "$DB" -c "SELECT citus_set_coordinator_host('127.0.0.1', $BASEPORT)" >/dev/null
for i in 1 2; do
  sql 0 "$DB" -c "SELECT 1 FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = $((BASEPORT + i))" | grep -q 1 \
    || sql 0 "$DB" -c "SELECT citus_add_node('127.0.0.1', $((BASEPORT + i)))" >/dev/null
done

echo "$(sql 0 "$DB" -c "SELECT substring(citus_version() from '^Citus [0-9.]+')") on $("$PG_BIN/postgres" --version | sed 's/.*(PostgreSQL) //'), cluster in $DIR, database $DB:" >&2
sql 0 "$DB" -c "SELECT '  ' || CASE WHEN groupid = 0 THEN 'coordinator' ELSE 'worker' END || ' ' || nodename || ':' || nodeport FROM pg_dist_node ORDER BY groupid" >&2
echo "  logs: $DIR/{coord,worker1,worker2}.log; stop: $0 --stop $DIR" >&2
echo "jdbc:postgresql://127.0.0.1:$BASEPORT/$DB?user=kiln&password=kiln"
