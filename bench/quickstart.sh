#!/usr/bin/env bash
# Fresh clone → healthy /healthz, timed: the README's first command, as a new user runs it.
# Usage: bench/quickstart.sh [--no-pip-cache]   (limit: 180 s including installs)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
port=${BENCH_PORT:-8765}
if [ "${1:-}" = "--no-pip-cache" ]; then export PIP_NO_CACHE_DIR=1; fi
git clone -q "$repo" "$work/jiedao"
cd "$work/jiedao"
start=$(date +%s.%N)
PORT=$port ./scripts/start >"$work/start.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  sleep 2
  pkill -f "$work/jiedao/.venv" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
status=""
for _ in $(seq 1 600); do
  if status=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null) && [[ "$status" == *'"status": "ok"'* ]]; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "start failed:"; tail -20 "$work/start.log"; exit 1; fi
  sleep 0.5
done
end=$(date +%s.%N)
elapsed=$(echo "$end - $start" | bc)
grep -E "演示数据已生成" "$work/start.log" || true
printf 'quickstart: fresh clone to healthy /healthz in %.0f s (limit 180 s)%s\n' "$elapsed" \
  "$([ "${PIP_NO_CACHE_DIR:-}" = 1 ] && echo ', pip cache off' || echo ', pip cache on')"
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
