#!/usr/bin/env bash
# A three-node raft-kv cluster on localhost: `raft-kv serve` processes talking TCP to each
# other (ports 7001-7003) and HTTP to you (ports 8001-8003). See README, "A real cluster".
#
#   scripts/cluster.sh start [--data-dir]   start nodes 1-3 (state in memory, or with
#                                           --data-dir in $CLUSTER_DIR/data, surviving kill -9)
#   scripts/cluster.sh status               GET /status of every node
#   scripts/cluster.sh kill N               kill -9 node N
#   scripts/cluster.sh restart N            start node N again (same options)
#   scripts/cluster.sh stop                 stop every node
#
# Environment: BUILD (default build) holds bin/raft-kv (built if missing); CLUSTER_DIR
# (default /tmp/raftkv-cluster) holds pids, logs and data.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build}"
DIR="${CLUSTER_DIR:-/tmp/raftkv-cluster}"
BIN="$BUILD/bin/raft-kv"
PEERS="1=127.0.0.1:7001,2=127.0.0.1:7002,3=127.0.0.1:7003"

ensure_built() {
  if [ ! -x "$BIN" ]; then
    "$ROOT/scripts/install-deps.sh"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD" --target raft-kv
  fi
}

start_node() {
  local n=$1
  local args=(serve --id "$n" --peers "$PEERS" --http "127.0.0.1:800$n" --log-level info)
  if [ -f "$DIR/use-data-dir" ]; then args+=(--data-dir "$DIR/data"); fi
  "$BIN" "${args[@]}" 2>>"$DIR/$n.log" &
  echo $! >"$DIR/$n.pid"
  echo "node $n: pid $!, http://127.0.0.1:800$n, log $DIR/$n.log"
}

stop_node() {
  local n=$1 sig=${2:-TERM}
  if [ -f "$DIR/$n.pid" ]; then
    kill "-$sig" "$(cat "$DIR/$n.pid")" 2>/dev/null || true
    rm -f "$DIR/$n.pid"
  fi
}

case "${1:-start}" in
  start)
    ensure_built
    mkdir -p "$DIR"
    rm -f "$DIR/use-data-dir"
    if [ "${2:-}" = "--data-dir" ]; then touch "$DIR/use-data-dir"; fi
    for n in 1 2 3; do stop_node "$n"; done
    for n in 1 2 3; do start_node "$n"; done
    echo "try: curl -XPUT localhost:8001/kv/greeting -d '{\"value\": \"hello\"}'; curl localhost:8002/kv/greeting"
    ;;
  status)
    for n in 1 2 3; do
      printf 'node %s: ' "$n"
      curl -s --max-time 2 "127.0.0.1:800$n/status" || echo "(down)"
    done
    ;;
  kill) stop_node "${2:?node id}" KILL ;;
  restart)
    if [ ! -f "$DIR/use-data-dir" ]; then
      echo "warning: without --data-dir node ${2:-} restarts empty, having forgotten its term and votes" >&2
    fi
    start_node "${2:?node id}"
    ;;
  stop) for n in 1 2 3; do stop_node "$n"; done ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
