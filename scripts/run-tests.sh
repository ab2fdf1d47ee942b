#!/usr/bin/env bash
# Builds sdekit in Release (warnings as errors) and runs the whole test suite.
# Fresh Debian 12 machine, as root: bash scripts/run-tests.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh --with-torch
cmake --preset release
cmake --build --preset release
ctest --test-dir build/release --output-on-failure -j2
