#!/usr/bin/env bash
# The CMake package from a consumer's side: installs raftkv's libraries -- built without
# tests, so needing the runtime dependencies only -- into a temporary prefix, then builds
# and runs
#   - tests/package/installed      find_package(raftkv CONFIG) against that prefix
#   - examples/counter             the example service, as a project of its own against
#                                  that prefix (COMPONENTS testing), with its tests
#   - tests/package/subdirectory   add_subdirectory of this source tree
# Usage: scripts/test-package.sh [work dir]   (default: a fresh temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${1:-$(mktemp -d)}
jobs=$(nproc)
echo "=== package: install into $work/prefix ==="
cmake -S . -B "$work/lib" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DRAFTKV_BUILD_TESTS=OFF \
  -DRAFTKV_BUILD_TOOLS=OFF -DRAFTKV_INSTALL=ON -DCMAKE_INSTALL_PREFIX="$work/prefix" >/dev/null
cmake --build "$work/lib" -j "$jobs"
cmake --install "$work/lib" >/dev/null

echo "=== package: find_package consumer ==="
cmake -S tests/package/installed -B "$work/installed" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/installed" -j "$jobs"
"$work/installed/consumer"

echo "=== package: examples/counter against the installed package ==="
cmake -S examples/counter -B "$work/counter" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/counter" -j "$jobs"
ctest --test-dir "$work/counter" -L example -j "$jobs" --output-on-failure
"$work/counter/counter_sim" --seed 1 --nodes 3 --duration 3s --timeline none

echo "=== package: add_subdirectory consumer ==="
cmake -S tests/package/subdirectory -B "$work/subdirectory" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON \
  -DRAFTKV_SOURCE_DIR="$root" >/dev/null
cmake --build "$work/subdirectory" -j "$jobs"
"$work/subdirectory/consumer"
# Under add_subdirectory nothing of the test tree may be configured: no planted-bug core,
# no test or benchmark programs.
if grep -q 'raft_planted_bugs\|raft_tests\|raftsim_tests\|kv_tests\|lincheck_tests\|_bench' \
    "$work/subdirectory/build.ninja"; then
  echo "add_subdirectory configured test targets" >&2
  exit 1
fi
echo "=== package: ok ==="
