#!/usr/bin/env bash
# Installs the Debian packages raft-kv builds and tests with. Idempotent and quiet when
# everything is already there. Needs root (apt-get) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build
  nlohmann-json3-dev libspdlog-dev librapidcheck-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # The TCP transport (asio) and the HTTP API of `raft-kv serve` (cpp-httplib, via pkg-config).
  libasio-dev libcpp-httplib-dev pkg-config
  # The fuzzing build (tests/fuzz): clang and its runtime libraries, libFuzzer among them.
  clang libclang-rt-14-dev
)
# Extra packages a caller needs on top (e.g. chromium for the report render check).
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
