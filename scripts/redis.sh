#!/usr/bin/env bash
# A real Redis server on 127.0.0.1 for the distributed crawl queue and its tests, from Debian's `redis-server`
# package (installed with apt-get when missing and run as root). In-memory only (no snapshots): a server for
# tests and trials; operators point GONGKAI_REDIS_URL at their own.
#
#   scripts/redis.sh start    start on port GONGKAI_REDIS_PORT (default 56379)
#   scripts/redis.sh stop
#   scripts/redis.sh url      print redis://127.0.0.1:PORT/0
#   scripts/redis.sh status
set -euo pipefail

PORT="${GONGKAI_REDIS_PORT:-56379}"
STATE="${GONGKAI_REDIS_STATE:-/var/tmp/gongkai-redis}/$PORT"
URL="redis://127.0.0.1:$PORT/0"

log() { echo "[redis.sh] $*" >&2; }

ensure_installed() {
  if command -v redis-server >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's redis-server"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    log "error: redis-server is missing (apt-get install redis-server)"
    exit 1
  fi
}

running() { [ -f "$STATE/redis.pid" ] && kill -0 "$(cat "$STATE/redis.pid")" 2>/dev/null; }

start() {
  ensure_installed
  if running; then log "already running: $URL"; return; fi
  mkdir -p "$STATE"
  redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE"
  for _ in $(seq 1 100); do
    if redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; then log "ready: $URL"; return; fi
    sleep 0.1
  done
  log "error: Redis did not answer on port $PORT"; cat "$STATE/redis.log" >&2; exit 1
}

stop() {
  if running; then
    kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do running || break; sleep 0.1; done
  fi
  rm -rf "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop; log "stopped" ;;
  url) echo "$URL" ;;
  status) if running; then echo "running: $URL"; else echo "not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 64 ;;
esac
