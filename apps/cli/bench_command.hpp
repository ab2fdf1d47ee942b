// `sdekit bench`: the accuracy suites (solver orders; samplers × NFE; likelihood × tolerance). Writes
// CSV files to --out-dir (orders.csv, orders_fit.csv, samplers.csv, likelihood.csv, plus the samples
// and target density the scatter plot needs), prints the tables, and makes PNG plots with
// scripts/plot_bench.py under Debian's /usr/bin/python3 and matplotlib.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "path_backend.hpp"
#include "report.hpp"

namespace sdekit::cli {

struct bench_command {
  std::string suite = "all";
  std::string out_dir = "bench";
  std::size_t paths = 2000;
  std::vector<std::size_t> steps{8, 16, 32, 64, 128, 256};
  std::size_t samples = 4000;
  std::vector<std::size_t> nfe{10, 20, 50, 100, 200};
  std::vector<double> tolerances{1e-1, 1e-2, 1e-3};
  std::size_t points = 200;
  std::uint64_t seed = 42;
  std::string backend = default_backend();
  std::size_t threads = 0;  ///< 0: all cores
  bool plots = true;
  std::string plot_script = SDEKIT_PLOT_SCRIPT;

  CLI::App* add_to(CLI::App& root);
  report run() const;
};

}  // namespace sdekit::cli
