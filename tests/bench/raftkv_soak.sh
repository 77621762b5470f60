#!/usr/bin/env bash
# Long raft-kv run under the workbench, sampling each node's resident memory and data
# directory over time: do memory and disk stay flat with snapshots and log compaction?
# Prints figures; it asserts nothing (docs/performance.md has the numbers).
#
#   tests/bench/raftkv_soak.sh BUILD_DIR [SECONDS] [RATE] [SAMPLE_EVERY] [-- raft-kv flags]
set -euo pipefail
build=${1:?build directory}
seconds=${2:-600}
rate=${3:-1000}
every=${4:-30}
shift $(( $# < 4 ? $# : 4 ))
[[ ${1:-} == -- ]] && shift
data=$(mktemp -d /tmp/raftkv-soak.XXXXXX)
store=$(mktemp -d /tmp/raftkv-soak-store.XXXXXX)
trap 'rm -rf "$data" "$store"' EXIT

"$build/bin/workbench" test -w lin-kv --bin "$build/bin/raft-kv" --node-count 3 \
  --concurrency 10n --rate "$rate" --time-limit "$seconds" --check-timeout 60 \
  --no-progress --store "$store" -- --data-dir "$data" "$@" > "$store/out.txt" 2>&1 &
wb=$!
start=$(date +%s)
printf '%6s %10s %10s %10s %12s %12s %12s\n' t_s rss_n0_kB rss_n1_kB rss_n2_kB disk_n0_B disk_n1_B disk_n2_B
while kill -0 "$wb" 2>/dev/null; do
  sleep "$every"
  now=$(( $(date +%s) - start ))
  rss=()
  for pid in $(pgrep -P "$wb" -x raft-kv | sort -n); do
    rss+=("$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo -)")
  done
  disk=()
  for d in "$data"/*/; do disk+=("$(du -sb "$d" | cut -f1)"); done
  printf '%6s %10s %10s %10s %12s %12s %12s\n' "$now" "${rss[0]:--}" "${rss[1]:--}" "${rss[2]:--}" \
    "${disk[0]:--}" "${disk[1]:--}" "${disk[2]:--}"
done
wait "$wb" || true
grep -E "valid|ops|rate|latency" "$store/out.txt" | head -20
