#!/usr/bin/env bash
# Installs the Debian 12 packages rectify builds and runs with, when missing.
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail

PACKAGES=(
  g++ cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsqlitecpp-dev libsqlite3-dev libabsl-dev libssl-dev
  libgtest-dev libgmock-dev
  libgoogle-perftools-dev  # tcmalloc_minimal, rectify-server's allocator
  tzdata sqlite3 openssl
  python3 python3-grpcio python3-grpc-tools python3-protobuf grpc-proto
  clang libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer, ASan and UBSan runtimes
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
