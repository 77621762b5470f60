#!/usr/bin/env bash
# The main job: builds everything, then runs raft-kv under the workbench with the final
# check of Maelstrom's Raft tutorial (3 nodes, 4 clients per node, 30 ops/s, random
# partitions every 0-20 s), for 30 s instead of 60. Prints the verdict and where the report
# is; exits 0 if the run is valid (1 invalid, 2 unknown). Extra arguments go to the
# workbench, e.g. `scripts/run.sh --seed 42` to replay a run, or `--time-limit 60`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build -j "$(nproc)"
exec build/bin/workbench test -w lin-kv --bin build/bin/raft-kv --node-count 3 --concurrency 4n \
  --rate 30 --nemesis partition --nemesis-interval 10 --time-limit 30 --store store "$@"
