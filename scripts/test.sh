#!/usr/bin/env bash
# Builds and runs every test: once in a release build with warnings as errors, once under
# AddressSanitizer + UndefinedBehaviorSanitizer, then the consumer projects of the CMake
# package, then the fuzzers for a short while (clang).
# Long soaks (ctest label "soak") are left out; run them with `ctest --test-dir build -L soak`
# (and the long fuzzing runs with `ctest --test-dir build-fuzz -L fuzz_soak`).
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

# The fuzzers (tests/fuzz): clang + libFuzzer + ASan/UBSan, only their targets built; each
# runs for RAFTKV_FUZZ_SECONDS (20) from its committed seed corpus (ctest label "fuzz").
fuzz() {
  echo "=== build-fuzz: configure and build (clang, libFuzzer) ==="
  local start=$SECONDS
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_UNITY_BUILD=ON -DRAFTKV_FUZZ=ON >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzzers
  echo "=== build-fuzz: built in $((SECONDS - start)) s; fuzz ==="
  start=$SECONDS
  ctest --test-dir build-fuzz -L '^fuzz$' -j "$jobs" --output-on-failure --timeout 900
  echo "=== build-fuzz: fuzzed in $((SECONDS - start)) s ==="
}

# The CMake package from a consumer's side: an install into a temporary prefix used with
# find_package, the source tree used with add_subdirectory, and the counter example built
# against the installed package (scripts/test-package.sh).
package() {
  local start=$SECONDS
  rm -rf build-package
  scripts/test-package.sh "$PWD/build-package"
  echo "=== build-package: done in $((SECONDS - start)) s ==="
}

build_and_test build -DCMAKE_BUILD_TYPE=Release
build_and_test build-asan -DCMAKE_BUILD_TYPE=Debug -DRAFTKV_SANITIZE=ON
package
fuzz
