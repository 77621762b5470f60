#!/usr/bin/env bash
# The main job: builds everything and runs the Raft core benchmark (a 3-node in-process
# cluster committing proposals in batches of 1 and 64).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
build/bin/raft_core_bench "$@"
