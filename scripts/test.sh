#!/usr/bin/env bash
# Builds and runs every test: once in a release build with warnings as errors, once under
# AddressSanitizer + UndefinedBehaviorSanitizer. Long soaks (ctest label "soak") are left
# out; run them with `ctest --test-dir build -L soak`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh chromium

jobs=$(nproc)
build_and_test() {
  local dir=$1; shift
  echo "=== $dir: configure and build ==="
  local start=$SECONDS
  # Unity builds: each target compiles its sources in batches, parsing the heavy headers
  # (gtest, nlohmann/json, spdlog) and instantiating their templates once per batch; the
  # whole run then fits CI's 20 minutes on 2 cores.
  cmake -S . -B "$dir" -G Ninja -DRAFTKV_WERROR=ON -DCMAKE_UNITY_BUILD=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "=== $dir: built in $((SECONDS - start)) s; test ==="
  start=$SECONDS
  ctest --test-dir "$dir" -LE soak -j "$jobs" --output-on-failure --timeout 900
  echo "=== $dir: tested in $((SECONDS - start)) s ==="
}

build_and_test build -DCMAKE_BUILD_TYPE=Release
build_and_test build-asan -DCMAKE_BUILD_TYPE=Debug -DRAFTKV_SANITIZE=ON
