#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs everything it needs (venv and packages, headless
# Chromium, a real Elasticsearch node), starts the services, runs ruff and pytest, stops the services.
# Exit status is non-zero when anything fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

scripts/bootstrap.sh

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
  echo "==> starting Elasticsearch"
  scripts/elasticsearch.sh start
  trap 'scripts/elasticsearch.sh stop || true' EXIT
  export GONGKAI_TEST_ES_URL="http://127.0.0.1:${GONGKAI_ES_PORT:-9200}"
  export GONGKAI_REQUIRE_ES=1
else
  echo "note: no Java/Maven on this machine: Elasticsearch tests will be skipped" \
       "(install a JDK 17+ and Maven, then re-run this script)"
fi

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "==> pytest"
mkdir -p test-artifacts
.venv/bin/python -m pytest -p no:cacheprovider --timeout=900 "$@"
