#!/usr/bin/env bash
# Run a real Elasticsearch for tests and local use, from the integ-test-zip on Maven Central: one node, or a
# three-node cluster on 127.0.0.1 (three JVMs with small heaps, each with its own data directory).
#
#   scripts/elasticsearch.sh start|stop|status                  one node on GONGKAI_ES_PORT
#   scripts/elasticsearch.sh cluster-start|cluster-stop|cluster-status
#   scripts/elasticsearch.sh cluster-urls                       the nodes' URLs, comma-separated
#                                                               (for GONGKAI_ELASTICSEARCH_URL)
#   scripts/elasticsearch.sh node-stop N|node-start N           stop or restart cluster node N (1..3)
#
# Environment: GONGKAI_ES_PORT (default 9200), GONGKAI_ES_VERSION (default 8.19.21),
# ES_JAVA_HOME (optional; otherwise the first supported JDK found is used), ES_JAVA_OPTS (single node's heap).
# Cluster: GONGKAI_ES_CLUSTER_PORTS (HTTP ports, comma-separated; default GONGKAI_ES_PORT+100, +200, +300),
# GONGKAI_ES_CLUSTER_TRANSPORT_PORTS (default each HTTP port + 10000), GONGKAI_ES_CLUSTER_HEAP (default 384m),
# GONGKAI_ES_CLUSTER_FRESH=1 (cluster-start wipes the nodes' data first).
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

# --- one node ----------------------------------------------------------------------------------------------

pid_running() {
    # true when the pid file $1 names a live process
    [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

is_running() {
    pid_running "$PID_FILE"
}

answers() {
    # true when the node at URL $1 answers a cluster health request
    curl -fsS --max-time 5 "$1/_cluster/health?local=true" >/dev/null 2>&1
}

healthy() {
    curl -fsS --max-time 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null 2>&1
}

launch() {
    # launch STATE_DIR HEAP [-E setting …]: start bin/elasticsearch as a daemon with its own data, logs and tmp
    local state="$1" heap="$2"
    shift 2
    fetch_distribution
    ensure_user
    local java_home
    java_home="$(choose_java)"
    mkdir -p "$state/data" "$state/logs" "$state/tmp"
    rm -f "$state/es.pid"
    : >"$state/console.log"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown -R "$ES_USER" "$HOME_DIR" "$state"
    fi
    log "starting Elasticsearch $VERSION ($state) with Java $(java_major "$java_home") ($java_home)"
    # -d daemonises and -p writes the pid file; console output goes to the log file.
    run_as_es_user env ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="$heap" ES_TMPDIR="$state/tmp" \
        "$HOME_DIR/bin/elasticsearch" -d -p "$state/es.pid" \
        -E xpack.security.enabled=false \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        -E network.host=127.0.0.1 \
        -E path.data="$state/data" \
        -E path.logs="$state/logs" \
        -E action.destructive_requires_name=false \
        "$@" >>"$state/console.log" 2>&1 || {
        log "bin/elasticsearch failed to launch"
        tail -n 60 "$state/console.log" >&2 || true
        return 1
    }
}

show_logs() {
    # the last lines of a node's console and server logs
    log "last log lines of $1:"
    tail -n 40 "$1/console.log" >&2 || true
    tail -n 40 "$1"/logs/gongkai-*.log >&2 2>/dev/null || true
}

stop_pid_file() {
    # stop_pid_file PID_FILE: SIGTERM, then SIGKILL after 60 s
    local pid
    [[ -f "$1" ]] || return 0
    pid="$(cat "$1")"
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
    rm -f "$1"
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
    launch "$STATE" "${ES_JAVA_OPTS:--Xms512m -Xmx512m}" \
        -E discovery.type=single-node \
        -E http.port="$PORT" \
        -E transport.port=0 \
        -E cluster.name=gongkai-test \
        -E node.name=gongkai-es-0
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
    log "Elasticsearch did not become healthy"
    show_logs "$STATE"
    stop || true
    return 1
}

stop() {
    if ! [[ -f "$PID_FILE" ]]; then
        log "not running (no pid file)"
        return 0
    fi
    stop_pid_file "$PID_FILE"
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

# --- three-node cluster --------------------------------------------------------------------------------------

IFS=, read -r -a CLUSTER_PORTS <<<"${GONGKAI_ES_CLUSTER_PORTS:-$((PORT + 100)),$((PORT + 200)),$((PORT + 300))}"
if [[ -n "${GONGKAI_ES_CLUSTER_TRANSPORT_PORTS:-}" ]]; then
    IFS=, read -r -a TRANSPORT_PORTS <<<"$GONGKAI_ES_CLUSTER_TRANSPORT_PORTS"
else
    TRANSPORT_PORTS=()
    for http_port in "${CLUSTER_PORTS[@]}"; do
        TRANSPORT_PORTS+=("$((http_port + 10000))")
    done
fi
if [[ ${#TRANSPORT_PORTS[@]} -ne ${#CLUSTER_PORTS[@]} ]]; then
    log "GONGKAI_ES_CLUSTER_TRANSPORT_PORTS needs one port per GONGKAI_ES_CLUSTER_PORTS entry"
    exit 64
fi
NODES=${#CLUSTER_PORTS[@]}
# the cluster name carries the base port, so clusters of different checkouts on one machine never merge
CLUSTER_NAME="gongkai-cluster-$PORT"
CLUSTER_STATE="$CACHE/cluster-$PORT"
CLUSTER_HEAP="${GONGKAI_ES_CLUSTER_HEAP:-384m}"

node_state() { echo "$CLUSTER_STATE/node-$1"; }
node_url() { echo "http://127.0.0.1:${CLUSTER_PORTS[$1 - 1]}"; }
node_running() { pid_running "$(node_state "$1")/es.pid"; }

check_node_number() {
    if ! [[ "${1:-}" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > NODES)); then
        log "give a node number from 1 to $NODES"
        exit 64
    fi
}

cluster_urls() {
    local urls=() i
    for ((i = 1; i <= NODES; i++)); do
        urls+=("$(node_url "$i")")
    done
    (IFS=,; echo "${urls[*]}")
}

launch_cluster_node() {
    local i="$1" seeds=() masters=() j
    for ((j = 1; j <= NODES; j++)); do
        seeds+=("127.0.0.1:${TRANSPORT_PORTS[$j - 1]}")
        masters+=("gongkai-es-$j")
    done
    # node.processors=1: small thread pools, as three nodes share the machine
    launch "$(node_state "$i")" "-Xms$CLUSTER_HEAP -Xmx$CLUSTER_HEAP" \
        -E cluster.name="$CLUSTER_NAME" \
        -E node.name="gongkai-es-$i" \
        -E node.processors=1 \
        -E http.port="${CLUSTER_PORTS[$i - 1]}" \
        -E transport.port="${TRANSPORT_PORTS[$i - 1]}" \
        -E discovery.seed_hosts="$(IFS=,; echo "${seeds[*]}")" \
        -E cluster.initial_master_nodes="$(IFS=,; echo "${masters[*]}")"
}

wait_for_nodes() {
    # wait_for_nodes COUNT: until a running node reports COUNT nodes in the cluster (and no red index)
    local count="$1" i
    local deadline=$((SECONDS + ${GONGKAI_ES_START_TIMEOUT:-300}))
    while ((SECONDS < deadline)); do
        for ((i = 1; i <= NODES; i++)); do
            node_running "$i" || continue
            if curl -fsS --max-time 5 \
                "$(node_url "$i")/_cluster/health?wait_for_nodes=$count&wait_for_status=yellow&timeout=2s" \
                >/dev/null 2>&1; then
                return 0
            fi
        done
        sleep 1
    done
    return 1
}

cluster_start() {
    local i launched=0
    if [[ "${GONGKAI_ES_CLUSTER_FRESH:-0}" == 1 ]] && ! any_node_running; then
        rm -rf "$CLUSTER_STATE"
    fi
    for ((i = 1; i <= NODES; i++)); do
        if node_running "$i"; then
            log "node $i already running at $(node_url "$i")"
            continue
        fi
        if answers "$(node_url "$i")"; then
            log "something else already answers at $(node_url "$i"); refusing to start node $i"
            return 1
        fi
        launch_cluster_node "$i"
        launched=1
    done
    ((launched)) || log "all $NODES nodes were already running"
    if wait_for_nodes "$NODES"; then
        log "cluster $CLUSTER_NAME ready: $(cluster_urls)"
        return 0
    fi
    log "the cluster did not form"
    for ((i = 1; i <= NODES; i++)); do
        show_logs "$(node_state "$i")"
    done
    cluster_stop || true
    return 1
}

any_node_running() {
    local i
    for ((i = 1; i <= NODES; i++)); do
        node_running "$i" && return 0
    done
    return 1
}

cluster_stop() {
    local i
    for ((i = 1; i <= NODES; i++)); do
        stop_pid_file "$(node_state "$i")/es.pid"
    done
    log "cluster $CLUSTER_NAME stopped"
}

node_stop() {
    check_node_number "${1:-}"
    stop_pid_file "$(node_state "$1")/es.pid"
    log "node $1 ($(node_url "$1")) stopped"
}

node_start() {
    check_node_number "${1:-}"
    if ! node_running "$1"; then
        launch_cluster_node "$1"
    fi
    local deadline=$((SECONDS + ${GONGKAI_ES_START_TIMEOUT:-300}))
    while ((SECONDS < deadline)); do
        # back when it answers and the cluster counts it again
        if answers "$(node_url "$1")" && wait_for_nodes "$NODES"; then
            log "node $1 ($(node_url "$1")) is back in the cluster"
            return 0
        fi
        node_running "$1" || break
        sleep 1
    done
    log "node $1 did not rejoin the cluster"
    show_logs "$(node_state "$1")"
    return 1
}

cluster_status() {
    local i url up=0
    for ((i = 1; i <= NODES; i++)); do
        url="$(node_url "$i")"
        if node_running "$i" && answers "$url"; then
            echo "node $i: running at $url (pid $(cat "$(node_state "$i")/es.pid"))"
            up="$i"
        else
            echo "node $i: not running ($url)"
        fi
    done
    if ((up == 0)); then
        return 3
    fi
    curl -fsS "$(node_url "$up")/_cluster/health?pretty"
    curl -fsS "$(node_url "$up")/_cat/nodes?v&h=name,http_address,master,heap.percent"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
cluster-start) cluster_start ;;
cluster-stop) cluster_stop ;;
cluster-status) cluster_status ;;
cluster-urls) cluster_urls ;;
node-stop) node_stop "${2:-}" ;;
node-start) node_start "${2:-}" ;;
*)
    echo "usage: $0 start|stop|status|cluster-start|cluster-stop|cluster-status|cluster-urls|node-stop N|node-start N" >&2
    exit 64
    ;;
esac
