#!/usr/bin/env bash
# The main job on the embedded default backend: start the simulated department portal, crawl every site,
# index it, and serve the search UI on http://127.0.0.1:8000 (Ctrl-C stops everything).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
scripts/bootstrap.sh
exec .venv/bin/gongkai demo "$@"
