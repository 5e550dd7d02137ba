#!/usr/bin/env bash
# The server's bounded load test (BENCHMARKS.md, "Server: load on loopback"): `covenant serve`
# on SQLite (and on PostgreSQL when COVENANT_TEST_POSTGRES_URL is set, e.g. after
# `. .ci/postgres start`), then 8, 64 and 256 concurrent clients, REQUESTS single-deal checks
# each phase; after each backend, the decision log's row count against the acknowledged
# requests.
#   benches/serve-load.sh [REQUESTS]   (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-20000}
deal=examples/deals/acme-dragon-51-49.yaml
cargo build --release -q --bin covenant -p covenant-cli
cargo build --release -q -p covenant-server --example load
load=target/release/examples/load
work=$(mktemp -d)
trap 'if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_backend() {
  local name=$1 db=$2 port
  port=$(free_port)
  target/release/covenant serve -p examples/policies --db "$db" --addr "127.0.0.1:$port" \
    --no-watch >"$work/server-$name.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local acked=0
  echo "== $name ($db), $(nproc) cores, deal $deal"
  for clients in 8 64 256; do
    line=$("$load" --url "http://127.0.0.1:$port/v1/check" --deal "$deal" \
      --clients "$clients" --requests "$requests")
    echo "$line"
    acked=$((acked + $(sed -E 's/.* ok ([0-9]+) .*/\1/' <<<"$line")))
  done
  kill "$server"; wait "$server" 2>/dev/null || true
  rows=$("$load" --count-db "$db")
  echo "acknowledged $acked, decision-log rows $rows"
  [ "$acked" = "$rows" ] || { echo "MISMATCH: acknowledged != rows" >&2; exit 1; }
}

run_backend sqlite "$work/covenant.db"
if [ -n "${COVENANT_TEST_POSTGRES_URL:-}" ]; then
  run_backend postgres "$COVENANT_TEST_POSTGRES_URL"
fi
