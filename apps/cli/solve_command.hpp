// `sdekit solve`: a catalogue SDE with an exact solution, solved by one, several or all steppers
// over a sweep of step counts on shared Brownian paths; prints the strong error against the exact
// solution per step count and the fitted strong order, and with --orders also the weak errors,
// their Monte Carlo standard errors and the fitted weak order; with --tolerance, adaptive solves of
// the methods that have an embedded error estimate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "report.hpp"

namespace sdekit::cli {

struct solve_command {
  std::string problem = "gbm";
  std::vector<std::string> methods{"all"};
  std::size_t paths = 1000;
  std::vector<std::size_t> steps{8, 16, 32, 64, 128, 256};
  double t1 = 1.0;
  std::uint64_t seed = 42;
  bool orders = false;
  std::vector<double> tolerances;  ///< adaptive solves at these rtol = atol; empty: none
  std::string backend = "serial";
  std::size_t threads = 1;

  CLI::App* add_to(CLI::App& root);
  report run() const;
};

}  // namespace sdekit::cli
