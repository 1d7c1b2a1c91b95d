#!/bin/bash
# A PostgreSQL cluster of its own for the benchmark: default durability (fsync, synchronous_commit, full_page_writes
# on) plus the settings the README recommends for a province ("PostgreSQL: for a province or a large office"):
# shared_buffers about 1/4 of the machine's memory, effective_cache_size about 1/2, max_wal_size 8 GB, and the app
# connecting through the Unix socket, as the README advises when the server runs on the app's machine.
#   bash test/bench/pg-cluster.sh start   → prints BENCH_PG_URL=postgres://postgres@localhost:PORT/postgres?host=DIR
#   bash test/bench/pg-cluster.sh stop DIR
# Run as root (the server runs as the postgres user) or as postgres. PGBIN defaults to PostgreSQL 15's binaries.
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi; }
case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/qms-bench-pg.XXXXXX)
    chown postgres "$dir" 2>/dev/null || true
    port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
    mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
    shared=$((mem_kb / 4 / 1024))MB
    cache=$((mem_kb / 2 / 1024))MB
    as_postgres "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=$shared -c effective_cache_size=$cache -c max_wal_size=8GB" start >/dev/null
    echo "cluster in $dir (shared_buffers=$shared, effective_cache_size=$cache, max_wal_size=8GB; stop: bash test/bench/pg-cluster.sh stop $dir)" >&2
    echo "BENCH_PG_URL='postgres://postgres@localhost:$port/postgres?host=$dir'"
    ;;
  stop)
    dir=${2:?the cluster folder printed by start}
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
