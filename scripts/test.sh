#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs everything it needs (venv and packages, headless
# Chromium, a real three-node Elasticsearch cluster, or one node with GONGKAI_ES_TOPOLOGY=single, a real
# PostgreSQL for the shared catalogue and a real Redis for the crawl queue), starts the services, runs ruff and pytest, stops the services.
# Exit status is non-zero when anything fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

scripts/bootstrap.sh

# every service started below registers its stop command here; one trap runs them all, whatever fails
STOP_COMMANDS=()
stop_services() {
  local command
  for command in "${STOP_COMMANDS[@]}"; do
    $command || true
  done
}
trap stop_services EXIT

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Debian's chromium and CJK fonts for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "note: chromium is missing and cannot be installed here; browser tests will be skipped"
  fi
fi
if command -v chromium >/dev/null 2>&1; then
  export GONGKAI_REQUIRE_BROWSER=1
fi

if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
  # GONGKAI_ES_TOPOLOGY=cluster (default): three nodes on 127.0.0.1, so the failover test can stop one;
  # single: one node, as before (quicker, less memory)
  case "${GONGKAI_ES_TOPOLOGY:-cluster}" in
    single)
      echo "==> starting Elasticsearch (one node)"
      STOP_COMMANDS+=("scripts/elasticsearch.sh stop")
      scripts/elasticsearch.sh start
      export GONGKAI_TEST_ES_URL="http://127.0.0.1:${GONGKAI_ES_PORT:-9200}"
      ;;
    cluster)
      echo "==> starting a three-node Elasticsearch cluster"
      STOP_COMMANDS+=("scripts/elasticsearch.sh cluster-stop")
      GONGKAI_ES_CLUSTER_FRESH=1 scripts/elasticsearch.sh cluster-start
      GONGKAI_TEST_ES_URL="$(scripts/elasticsearch.sh cluster-urls)"
      export GONGKAI_TEST_ES_URL
      export GONGKAI_REQUIRE_ES_CLUSTER=1
      ;;
    *)
      echo "GONGKAI_ES_TOPOLOGY must be cluster or single" >&2
      exit 64
      ;;
  esac
  export GONGKAI_REQUIRE_ES=1
else
  echo "note: no Java/Maven on this machine: Elasticsearch tests will be skipped" \
       "(install a JDK 17+ and Maven, then re-run this script)"
fi

echo "==> starting PostgreSQL (the shared catalogue's tests)"
STOP_COMMANDS+=("scripts/postgres.sh stop")
scripts/postgres.sh start
GONGKAI_TEST_PG_URL="$(scripts/postgres.sh url)"
export GONGKAI_TEST_PG_URL
export GONGKAI_REQUIRE_PG=1

echo "==> starting Redis (the distributed crawl queue's tests)"
STOP_COMMANDS+=("scripts/redis.sh stop")
scripts/redis.sh start
GONGKAI_TEST_REDIS_URL="$(scripts/redis.sh url)"
export GONGKAI_TEST_REDIS_URL
export GONGKAI_REQUIRE_REDIS=1

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "==> pytest"
mkdir -p test-artifacts
.venv/bin/python -m pytest -p no:cacheprovider --timeout=900 "$@"
