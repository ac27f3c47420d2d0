#!/usr/bin/env bash
# Run a real single-node Elasticsearch for tests and local use, from the integ-test-zip on Maven Central.
#
#   scripts/elasticsearch.sh start|stop|status
#
# Environment: GONGKAI_ES_PORT (default 9200), GONGKAI_ES_VERSION (default 8.19.21),
# ES_JAVA_HOME (optional; otherwise the first supported JDK found is used).
# Everything lives under .cache/elasticsearch/ in the repository (gitignored), or /var/tmp/gongkai-elasticsearch
# when run as root; GONGKAI_ES_CACHE overrides both.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${GONGKAI_ES_VERSION:-8.19.21}"
PORT="${GONGKAI_ES_PORT:-9200}"
# The node runs as an unprivileged user, which may not be able to enter the checkout (a clone under /root, say):
# as root, keep the distribution and its data under /var/tmp instead.
if [[ -n "${GONGKAI_ES_CACHE:-}" ]]; then
    CACHE="$GONGKAI_ES_CACHE"
elif [[ "$(id -u)" -eq 0 ]]; then
    CACHE="/var/tmp/gongkai-elasticsearch"
else
    CACHE="$ROOT/.cache/elasticsearch"
fi
HOME_DIR="$CACHE/elasticsearch-$VERSION"
STATE="$CACHE/state-$PORT"
PID_FILE="$STATE/es.pid"
LOG_FILE="$STATE/console.log"
ES_USER="gongkai-es"
GROUP_ID="org.elasticsearch.distribution.integ-test-zip"
ARTIFACT="elasticsearch"
ZIP_NAME="$ARTIFACT-$VERSION.zip"
M2_ZIP="${HOME}/.m2/repository/${GROUP_ID//.//}/$ARTIFACT/$VERSION/$ZIP_NAME"
URL="http://127.0.0.1:$PORT"

log() { echo "[elasticsearch.sh] $*" >&2; }

java_major() {
    # prints the major version of the java binary in $1/bin/java, or nothing
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}

choose_java() {
    # ES 8.19 runs on Java 17 through 24; prefer an explicit ES_JAVA_HOME, then 21/17, then anything newer.
    if [[ -n "${ES_JAVA_HOME:-}" ]]; then
        echo "$ES_JAVA_HOME"
        return
    fi
    local candidate major
    for candidate in /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
        /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-17-jdk-amd64 /usr/lib/jvm/*; do
        [[ -x "$candidate/bin/java" ]] || continue
        major="$(java_major "$candidate")"
        if [[ -n "$major" && "$major" -ge 17 && "$major" -le 24 ]]; then
            echo "$candidate"
            return
        fi
    done
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        echo "$JAVA_HOME"
        return
    fi
    log "no supported JDK (17-24) found; set ES_JAVA_HOME"
    exit 2
}

fetch_distribution() {
    [[ -x "$HOME_DIR/bin/elasticsearch" ]] && return
    mkdir -p "$CACHE"
    if [[ ! -f "$M2_ZIP" ]]; then
        if ! command -v mvn >/dev/null 2>&1; then
            log "Maven (mvn) is needed to fetch $GROUP_ID:$ARTIFACT:$VERSION:zip (or put the zip in ~/.m2)"
            exit 2
        fi
        log "fetching $GROUP_ID:$ARTIFACT:$VERSION:zip from Maven Central"
        mvn -q -B dependency:get -Dartifact="$GROUP_ID:$ARTIFACT:$VERSION:zip" -Dtransitive=false
    fi
    log "unpacking $ZIP_NAME into $CACHE"
    rm -rf "$HOME_DIR.partial"
    mkdir -p "$HOME_DIR.partial"
    if command -v unzip >/dev/null 2>&1; then
        unzip -q "$M2_ZIP" -d "$HOME_DIR.partial"
    else
        python3 -m zipfile -e "$M2_ZIP" "$HOME_DIR.partial"
        chmod -R u+x "$HOME_DIR.partial/elasticsearch-$VERSION/bin"
    fi
    mv "$HOME_DIR.partial/elasticsearch-$VERSION" "$HOME_DIR"
    rm -rf "$HOME_DIR.partial"
}

ensure_user() {
    # Elasticsearch refuses to run as root.
    if [[ "$(id -u)" -ne 0 ]]; then
        return
    fi
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
    fi
}

run_as_es_user() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u "$ES_USER" -- "$@"
    else
        "$@"
    fi
}

is_running() {
    [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

healthy() {
    curl -fsS --max-time 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null 2>&1
}

start() {
    if is_running && healthy; then
        log "already running at $URL (pid $(cat "$PID_FILE"))"
        return 0
    fi
    if healthy; then
        log "something else already answers at $URL; refusing to start a second node"
        return 1
    fi
    fetch_distribution
    ensure_user
    local java_home
    java_home="$(choose_java)"
    mkdir -p "$STATE/data" "$STATE/logs" "$STATE/tmp"
    rm -f "$PID_FILE"
    : >"$LOG_FILE"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown -R "$ES_USER" "$HOME_DIR" "$STATE"
    fi
    log "starting Elasticsearch $VERSION on $URL with Java $(java_major "$java_home") ($java_home)"
    # -d daemonises and -p writes the pid file; console output goes to the log file.
    run_as_es_user env ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="${ES_JAVA_OPTS:--Xms512m -Xmx512m}" \
        ES_TMPDIR="$STATE/tmp" \
        "$HOME_DIR/bin/elasticsearch" -d -p "$PID_FILE" \
        -E xpack.security.enabled=false \
        -E discovery.type=single-node \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        -E network.host=127.0.0.1 \
        -E http.port="$PORT" \
        -E transport.port=0 \
        -E path.data="$STATE/data" \
        -E path.logs="$STATE/logs" \
        -E cluster.name=gongkai-test \
        -E node.name=gongkai-es-0 \
        -E action.destructive_requires_name=false \
        >>"$LOG_FILE" 2>&1 || {
        log "bin/elasticsearch failed to launch"
        tail -n 60 "$LOG_FILE" >&2 || true
        return 1
    }
    local deadline=$((SECONDS + ${GONGKAI_ES_START_TIMEOUT:-120}))
    while ((SECONDS < deadline)); do
        if healthy; then
            log "ready at $URL (pid $(cat "$PID_FILE"))"
            return 0
        fi
        if [[ -f "$PID_FILE" ]] && ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
            break
        fi
        sleep 1
    done
    log "Elasticsearch did not become healthy; last log lines:"
    tail -n 60 "$LOG_FILE" >&2 || true
    tail -n 60 "$STATE/logs/gongkai-test.log" >&2 2>/dev/null || true
    stop || true
    return 1
}

stop() {
    if ! [[ -f "$PID_FILE" ]]; then
        log "not running (no pid file)"
        return 0
    fi
    local pid
    pid="$(cat "$PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid ignored SIGTERM for 60 s; sending SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$PID_FILE"
    log "stopped"
}

status() {
    if is_running && healthy; then
        echo "running at $URL (pid $(cat "$PID_FILE"))"
        curl -fsS "$URL/_cluster/health?pretty"
        return 0
    fi
    echo "not running"
    return 3
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 64
    ;;
esac
