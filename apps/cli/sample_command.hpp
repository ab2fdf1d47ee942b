// `sdekit sample`: draws samples of a Gaussian-mixture target with a diffusion sampler driven by
// the target's exact score, writes them as .npy (shape (samples, d)) and prints their accuracy
// against the exact target beside the same statistics of exact samples (the Monte Carlo floor).
// On a parallel backend (by default all cores), samplers that have per-sample kernels (EDM Heun,
// DPM-Solver++, DDIM, DDPM, reverse diffusion, PC, pf-ode-dopri5, on 2-D targets of up to four
// components) run one work item per block of samples (sample_kernels.hpp); the others run their
// batches of 1000 concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "path_backend.hpp"
#include "report.hpp"
#include "target_spec.hpp"

namespace sdekit::cli {

struct sample_command {
  std::string sde = "vp";
  target_spec target;
  std::string sampler = "dpm-solver++2m";
  std::size_t steps = 20;
  std::size_t nfe = 0;
  std::string grid = "uniform";
  double eps = 0.0;
  double tolerance = 0.0;
  bool final_denoise = false;
  std::size_t samples = 10000;
  std::uint64_t seed = 42;
  std::string out = "samples.npy";
  std::string backend = default_backend();
  std::size_t threads = 0;  ///< 0: all cores on a parallel backend, 1 on serial

  CLI::App* add_to(CLI::App& root);
  report run() const;
};

}  // namespace sdekit::cli
