#!/usr/bin/env bash
# Installs, with apt-get, every Debian 12 package that sdekit's build, tests, benchmarks and docs need.
# Does nothing when they are all present. Usage: scripts/install-deps.sh [--with-torch]
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-dev libboost-test-dev
  libeigen3-dev
  libthrust-dev libtbb-dev
  librandom123-dev
  libcli11-dev nlohmann-json3-dev
  libbenchmark-dev
  libsleef-dev
  doxygen
  python3-numpy python3-matplotlib
)
if [[ "${1:-}" == "--with-torch" ]]; then
  packages+=(pybind11-dev python3-dev python3-torch libtorch-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
