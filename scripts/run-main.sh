#!/usr/bin/env bash
# Builds sdekit in Release and runs its main job, the `sdekit solve` command line.
# Fresh Debian 12 machine, as root: bash scripts/run-main.sh [arguments for `sdekit solve`]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release

program=build/release/apps/sdekit
if [[ ! -x "$program" ]]; then
  echo "run-main.sh: $program was not built: the sdekit command line (apps/) is not in this tree yet." >&2
  exit 1
fi
"$program" solve "$@"
