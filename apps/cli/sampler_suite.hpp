// The sampler suite of `sdekit bench`: every sampler on the 2-D mixture under the VP SDE with its
// exact score, at each NFE budget (fixed-grid samplers: steps = NFE / NFE per step) or tolerance
// (adaptive samplers), scored by sample_accuracy against exact samples; the exact-sample floor is
// one more row. The samples at NFE = scatter_nfe are written as samples_<sampler>.npy for the
// scatter plot, with the target's density on a grid (target_density.npy) beside them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "path_backend.hpp"
#include "report.hpp"

namespace sdekit::cli {

struct sampler_suite_settings {
  std::size_t samples = 4000;
  std::vector<std::size_t> nfe{10, 20, 50, 100, 200};
  std::vector<double> tolerances{1e-1, 1e-2, 1e-3, 1e-4};
  std::string grid = "uniform";
  std::size_t scatter_nfe = 20;
  std::uint64_t seed = 42;
  std::string folder;  ///< where samples_*.npy and target_density.npy go
  path_backend backend;  ///< serial: the batched samplers; else the per-sample kernels where they fit
};

/// One row per (sampler, budget): sampler, nfe, steps or tolerance, the four statistics.
table run_sampler_suite(sampler_suite_settings const& settings);

}  // namespace sdekit::cli
