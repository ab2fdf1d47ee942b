// The solver-order suite of `sdekit bench`: every catalogue problem × every stepper that accepts
// it, swept over step counts on shared Brownian paths (path_sweep.hpp). Returns two tables: the
// errors per step size (orders.csv) and the fitted strong and weak orders (orders_fit.csv).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "path_backend.hpp"
#include "report.hpp"

namespace sdekit::cli {

struct order_suite_settings {
  std::size_t paths = 2000;
  std::vector<std::size_t> steps{8, 16, 32, 64, 128, 256};
  std::uint64_t seed = 42;
  path_backend backend;  ///< where the paths of each sweep run (the same bits on every backend)
};

struct order_suite_result {
  table errors;  ///< problem, method, N, dt, strong/weak error and standard errors
  table fitted;  ///< problem, method, fitted and stated orders
};

order_suite_result run_order_suite(order_suite_settings const& settings);

}  // namespace sdekit::cli
