// `sdekit loglik`: log-density of points (.npy or CSV) under a Gaussian-mixture target through the
// PF-ODE of a forward SDE (diffusion::pf_ode_log_likelihood) with the target's exact score, the
// divergence exact or by Hutchinson's estimator. Writes per point log p, its standard error,
// bits/dim = −log p / (d ln 2) and the prior mismatch log p_T(x_T) − log N(x_T; 0, σ_T² I) (.npy of
// shape (n, 4), or CSV when --out ends in .csv), and prints their summary beside the exact log p_0
// of the target: log p + prior mismatch is the PF-ODE's own error. On a parallel backend (by default
// all cores) the exact divergence on 2-D targets of up to four components runs per point, each with
// its own steps (sample_kernels.hpp); otherwise the chunks of points run concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "path_backend.hpp"
#include "report.hpp"
#include "target_spec.hpp"

namespace sdekit::cli {

struct loglik_command {
  std::string points;
  std::string sde = "vp";
  target_spec target;
  std::string divergence = "exact";
  std::size_t probes = 8;
  double tolerance = 1e-6;
  double eps = 1e-5;
  std::uint64_t seed = 0;
  std::string out = "loglik.npy";
  std::string backend = default_backend();
  std::size_t threads = 0;  ///< 0: all cores on a parallel backend, 1 on serial

  CLI::App* add_to(CLI::App& root);
  report run() const;
};

}  // namespace sdekit::cli
