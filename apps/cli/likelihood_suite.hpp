// The likelihood suite of `sdekit bench`: PF-ODE log-likelihoods (VP SDE, exact score) of exact
// samples of the 2-D mixture at a sweep of Dormand–Prince tolerances, with the exact divergence and
// with Hutchinson's estimator; the error is |log p + prior mismatch − log p_0| against the exact
// log-density, so it measures the ODE solve (and the estimator), nothing else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "path_backend.hpp"
#include "report.hpp"

namespace sdekit::cli {

struct likelihood_suite_settings {
  std::size_t points = 200;
  std::vector<double> tolerances{1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8};
  std::size_t probes = 8;
  std::uint64_t seed = 42;
  path_backend backend;  ///< serial: the batched likelihood; else each point solved on its own
};

/// One row per (divergence, tolerance): mean and max error, mean standard error, NFE.
table run_likelihood_suite(likelihood_suite_settings const& settings);

}  // namespace sdekit::cli
