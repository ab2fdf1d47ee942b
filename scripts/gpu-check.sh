#!/usr/bin/env bash
# The GPU check: on a machine with an NVIDIA GPU and nvcc at /usr/local/cuda, builds the CUDA
# targets and runs every CUDA test (ensembles; per-sample diffusion sampling and likelihoods, each
# checked bit for bit against the CPP backend and timed), then prints one table. About 5 minutes
# on 16 cores, most of it nvcc. Usage: bash scripts/gpu-check.sh [build-dir]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build/gpu}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || { echo "no NVIDIA GPU here"; exit 1; }
bash scripts/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSDEKIT_WITH_CUDA=ON -DSDEKIT_WITH_TORCH=OFF \
      -DSDEKIT_WITH_PYTHON=OFF -DSDEKIT_BUILD_BENCHMARKS=OFF -DSDEKIT_BUILD_APPS=OFF -DSDEKIT_BUILD_EXAMPLES=OFF \
      -DSDEKIT_HEADER_CHECK=OFF > "$build.configure.log"
cmake --build "$build" -j"$(nproc)" --target test_thrust_cuda_ensemble test_thrust_cuda_sampling
status=0
results=()
for t in test_thrust_cuda_ensemble test_thrust_cuda_sampling; do
  start=$SECONDS
  if "$build/tests/integrations/$t" | tee "$build/$t.log"; then r=passed; else r=FAILED; status=1; fi
  results+=("$(printf '%-30s %-7s %4d s' "$t" "$r" $((SECONDS - start)))")
done
printf '\n==================== GPU check: %s ====================\n' "$(nvidia-smi --query-gpu=name --format=csv,noheader | head -n 1)"
printf '%s\n' "${results[@]}"
grep -h -E "samples|points" "$build/test_thrust_cuda_sampling.log" || true
exit $status
