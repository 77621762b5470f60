#!/usr/bin/env bash
# Message economy, side by side (issue 12): runs the workbench's lin-kv workload against
# raft-kv variants and, optionally, Maelstrom's demo Raft nodes, over a matrix of cells, and
# prints one markdown table of server messages per operation and ok-latency p50/p99.
#
#   scripts/compare-message-economy.sh [options] [NAME=ARGS | NAME:BIN=ARGS ...]
#
# Each NAME=ARGS is a raft-kv variant: ARGS (split on blanks) are passed to every node after
# `--`, e.g.  today=   lease=--lease-reads   batch30='--max-batch-delay-ms 30'.
# NAME:BIN=ARGS runs another raft-kv binary BIN (to put two builds side by side in one run).
# Without any variant, one variant `raft-kv=` (no flags) runs.
#
# Options:
#   --demos DIR        also run Maelstrom's demos DIR/ruby/raft.rb (ruby) and DIR/python/raft.py
#                      (python3), taken from jepsen-io/maelstrom's demo/ -- kept outside this
#                      repository; they are run through small wrappers written to the store.
#   --time-limit S     seconds of workload per run (20)
#   --seed N           workbench seed of every run (1)
#   --nodes L          node counts, comma-separated (3,5)
#   --rates L          operations per second (30,100)
#   --latencies L      mean inter-server latency in ms, constant (0,10)
#   --cells L          only these cells, as NODES/RATE/LATENCY, e.g. 3/30/0,5/100/10
#                      (overrides --nodes/--rates/--latencies; for quick checks)
#   --quick            the same as --cells 3/30/0 --time-limit 5
#   --concurrency C    workbench --concurrency (2n: the smallest lin-kv accepts)
#   --store DIR        runs go to DIR/<cell>/<system>/<time>/ (/tmp/compare-message-economy)
#   --build DIR        where bin/raft-kv and bin/workbench are (build; built if missing)
#   --render DIR       print the table of an earlier store DIR, run nothing
#   --init-retries N   run a cell again, up to N times, when its nodes failed init (4): the
#                      Ruby demo handles each message in its own thread, so a peer's
#                      request_vote that arrives right behind init is sometimes answered
#                      before init has set the node's id, with "src": null; Maelstrom and
#                      the workbench then stop reading that node and init fails. The table
#                      names the failed tries; their runs stay in the store.
#
# Output: the table on stdout (also written to STORE/table.md); progress, the load
# (uptime) before and after, and each workbench command on stderr. A run that is not valid
# still gets its row (column `valid`); the script exits 0 unless it could not run at all.
#
# How msgs/op is counted (tests/workbench/src/network.cc, as Maelstrom's net journal): every
# message a node or service sends between two non-clients (neither name starts with `c`),
# divided by the number of client operations invoked (ok + fail + info). Messages to or
# from clients are not counted -- so a node that forwards a client's request with the
# client's own `src` (Maelstrom's Python demo does) sends that hop as client traffic,
# exactly as Maelstrom would count it. Latencies are the workbench's, of ok operations only.
#
# Full matrix: 8 cells x (variants + 2 demos) runs of about time-limit + 2 s each, plus
# 10 s per failed init; one variant and both demos at 20 s took 530 s on 2 cores, three
# variants and both demos take about 15 min.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$ROOT/build"
STORE="/tmp/compare-message-economy"
TIME_LIMIT=20
SEED=1
NODES="3,5"
RATES="30,100"
LATENCIES="0,10"
CELLS=""
CONCURRENCY="2n"
DEMOS=""
RENDER=""
INIT_RETRIES=4
VARIANTS=()

die() { echo "compare-message-economy: $*" >&2; exit 2; }
need_value() { [ $# -ge 2 ] || die "$1 needs a value"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --demos) need_value "$@"; DEMOS="$2"; shift 2 ;;
    --time-limit) need_value "$@"; TIME_LIMIT="$2"; shift 2 ;;
    --seed) need_value "$@"; SEED="$2"; shift 2 ;;
    --nodes) need_value "$@"; NODES="$2"; shift 2 ;;
    --rates) need_value "$@"; RATES="$2"; shift 2 ;;
    --latencies) need_value "$@"; LATENCIES="$2"; shift 2 ;;
    --cells) need_value "$@"; CELLS="$2"; shift 2 ;;
    --quick) CELLS="3/30/0"; TIME_LIMIT=5; shift ;;
    --concurrency) need_value "$@"; CONCURRENCY="$2"; shift 2 ;;
    --store) need_value "$@"; STORE="$2"; shift 2 ;;
    --build) need_value "$@"; BUILD="$2"; shift 2 ;;
    --render) need_value "$@"; RENDER="$2"; shift 2 ;;
    --init-retries) need_value "$@"; INIT_RETRIES="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --*) die "unknown option $1 (see --help)" ;;
    *=*) VARIANTS+=("$1"); shift ;;
    *) die "a variant is NAME=ARGS, got '$1'" ;;
  esac
done

command -v python3 >/dev/null || "$ROOT/scripts/install-deps.sh" python3

# The table: one row per line of STORE/runs.tsv (cell, system, run dir, exit status).
render() {
  python3 - "$1/runs.tsv" <<'PY'
import json, os, sys

def fmt(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"

def verdict(v):  # results.json: true, false or "unknown"
    return {True: "true", False: "false"}.get(v, str(v))

print("| cell | system | server msgs/op | ok p50 ms | ok p99 ms | ops | ok | valid |")
print("|---|---|---:|---:|---:|---:|---:|---|")
with open(sys.argv[1]) as runs:
    for line in runs:
        cell, system, run_dir, status, *note = line.rstrip("\n").split("\t")
        note = f" ({note[0]})" if note and note[0] else ""
        path = os.path.join(run_dir, "results.json")
        if not os.path.exists(path):
            print(f"| {cell} | {system} | - | - | - | - | - | no results (exit {status}){note} |")
            continue
        with open(path) as f:
            r = json.load(f)
        ok = r.get("latency_ms", {}).get("all", {}).get("ok", {})
        stats = r.get("stats", {})
        print(f"| {cell} | {system} | {fmt(r['net']['servers'].get('msgs-per-op'), 2)} | "
              f"{fmt(ok.get('p50'))} | {fmt(ok.get('p99'))} | {stats.get('count', 0)} | "
              f"{stats.get('ok-count', 0)} | {verdict(r.get('valid'))}{note} |")
PY
}

if [ -n "$RENDER" ]; then
  [ -f "$RENDER/runs.tsv" ] || die "no $RENDER/runs.tsv"
  render "$RENDER"
  exit 0
fi

WORKBENCH="$BUILD/bin/workbench"
RAFTKV="$BUILD/bin/raft-kv"
if [ ! -x "$WORKBENCH" ] || [ ! -x "$RAFTKV" ]; then
  echo "compare-message-economy: building raft-kv and workbench in $BUILD" >&2
  "$ROOT/scripts/install-deps.sh"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target raft-kv workbench
fi
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=("raft-kv=")

# Systems: "name<TAB>binary<TAB>node args" (args blank-separated).
SYSTEMS=()
for v in "${VARIANTS[@]}"; do
  name="${v%%=*}"
  args="${v#*=}"
  bin="$RAFTKV"
  if [[ "$name" == *:* ]]; then
    bin="${name#*:}"
    name="${name%%:*}"
  fi
  [ -n "$name" ] || die "a variant needs a name: '$v'"
  [ -x "$bin" ] || die "variant $name: $bin is not executable"
  SYSTEMS+=("$name"$'\t'"$bin"$'\t'"$args")
done

mkdir -p "$STORE"
STORE="$(cd "$STORE" && pwd)"
if [ -n "$DEMOS" ]; then
  DEMOS="$(cd "$DEMOS" && pwd)"
  [ -f "$DEMOS/ruby/raft.rb" ] || die "no $DEMOS/ruby/raft.rb"
  [ -f "$DEMOS/python/raft.py" ] || die "no $DEMOS/python/raft.py"
  command -v ruby >/dev/null || "$ROOT/scripts/install-deps.sh" ruby
  # Wrappers, so that the demos need neither an executable bit nor `python` on the PATH
  # (raft.py's shebang asks for `python`).
  mkdir -p "$STORE/wrappers"
  printf '#!/bin/sh\nexec ruby %q "$@"\n' "$DEMOS/ruby/raft.rb" >"$STORE/wrappers/ruby-raft"
  printf '#!/bin/sh\nexec python3 %q "$@"\n' "$DEMOS/python/raft.py" >"$STORE/wrappers/python-raft"
  chmod +x "$STORE/wrappers/ruby-raft" "$STORE/wrappers/python-raft"
  SYSTEMS+=("ruby-demo"$'\t'"$STORE/wrappers/ruby-raft"$'\t')
  SYSTEMS+=("python-demo"$'\t'"$STORE/wrappers/python-raft"$'\t')
fi

if [ -z "$CELLS" ]; then
  for n in ${NODES//,/ }; do
    for r in ${RATES//,/ }; do
      for l in ${LATENCIES//,/ }; do CELLS="$CELLS${CELLS:+,}$n/$r/$l"; done
    done
  done
fi

: >"$STORE/runs.tsv"
echo "compare-message-economy: store $STORE; load before: $(uptime)" >&2
echo "compare-message-economy: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), seed $SEED, time limit $TIME_LIMIT s, concurrency $CONCURRENCY" >&2
start=$SECONDS
for cell in ${CELLS//,/ }; do
  IFS=/ read -r n rate latency <<<"$cell"
  if [ -z "$n" ] || [ -z "$rate" ] || [ -z "$latency" ]; then die "a cell is NODES/RATE/LATENCY, got '$cell'"; fi
  label="${n}n ${rate}/s ${latency}ms"
  for s in "${SYSTEMS[@]}"; do
    IFS=$'\t' read -r name bin args <<<"$s"
    dir="$STORE/${n}n-${rate}-${latency}ms/$name"
    cmd=("$WORKBENCH" test -w lin-kv --bin "$bin" --node-count "$n" --concurrency "$CONCURRENCY"
         --rate "$rate" --latency "$latency" --time-limit "$TIME_LIMIT" --seed "$SEED"
         --store "$dir" --no-progress)
    # shellcheck disable=SC2206  # ARGS are blank-separated on purpose
    [ -n "$args" ] && cmd+=(-- $args)
    note=""
    for attempt in $(seq 0 "$INIT_RETRIES"); do
      echo "[$((SECONDS - start)) s] $label $name: ${cmd[*]}" >&2
      status=0
      "${cmd[@]}" >"$STORE/last-summary.txt" 2>&1 || status=$?
      run_dir="$dir/latest"
      if [ ! -d "$run_dir" ]; then
        echo "  no results; the workbench said:" >&2
        tail -5 "$STORE/last-summary.txt" >&2
        break
      fi
      cp "$STORE/last-summary.txt" "$run_dir/summary.txt"
      run_dir="$(cd "$run_dir" && pwd -P)"
      init_ok="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["protocol"]["init_ok"])' \
                 "$run_dir/results.json")"
      [ "$init_ok" = "False" ] || break
      why="$(python3 -c 'import json, sys; print("; ".join(json.load(open(sys.argv[1]))["reasons"]))' \
             "$run_dir/results.json")"
      echo "  init failed: $why" >&2
      if [ "$attempt" -lt "$INIT_RETRIES" ]; then
        note="$note${note:+; }try $((attempt + 1)): init failed, $(basename "$run_dir")"
      fi
    done
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$name" "$run_dir" "$status" "$note" >>"$STORE/runs.tsv"
  done
done
echo "compare-message-economy: $((SECONDS - start)) s; load after: $(uptime)" >&2

render "$STORE" | tee "$STORE/table.md"
