#!/usr/bin/env bash
# A real PostgreSQL server on 127.0.0.1 for the shared catalogue and its tests, from Debian's `postgresql`
# packages (installed with apt-get when missing and run as root). A fresh cluster each start, trust
# authentication on loopback only, run by an unprivileged user, fsync off: a server for tests and trials, not
# for production (operators point GONGKAI_CATALOG_URL at their own).
#
#   scripts/postgres.sh start    initdb + start (port GONGKAI_PG_PORT, default 55432) and create database gongkai
#   scripts/postgres.sh stop     stop it and remove its data directory
#   scripts/postgres.sh url      print the catalogue URL (postgresql://gongkai@127.0.0.1:PORT/gongkai)
#   scripts/postgres.sh status
set -euo pipefail

PORT="${GONGKAI_PG_PORT:-55432}"
STATE="${GONGKAI_PG_STATE:-/var/tmp/gongkai-postgres}/$PORT"
DATA="$STATE/data"
USER_NAME=gongkai
URL="postgresql://$USER_NAME@127.0.0.1:$PORT/gongkai"

log() { echo "[postgres.sh] $*" >&2; }

bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      log "installing Debian's postgresql"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      dir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    else
      log "error: PostgreSQL server binaries are missing (apt-get install postgresql)"
      exit 1
    fi
  fi
  echo "$dir"
}

# PostgreSQL refuses to run as root: as root, run it as the package's `postgres` user
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin
  bin="$(bindir)"
  stop_quietly
  mkdir -p "$STATE"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$STATE"; fi
  log "initdb in $DATA"
  as_owner "$bin/initdb" -D "$DATA" -U "$USER_NAME" -A trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 \
    || { cat "$STATE/initdb.log" >&2; exit 1; }
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$STATE/server.log" -w -t 60 \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $STATE -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$STATE/server.log" >&2; exit 1; }
  "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" gongkai
  log "ready: $URL"
}

stop_quietly() {
  local bin
  bin="$(bindir)"
  if [ -f "$DATA/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly; log "stopped" ;;
  url) echo "$URL" ;;
  status)
    if [ -f "$DATA/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      echo "running: $URL"
    else
      echo "not running"; exit 3
    fi
    ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 64 ;;
esac
