// The measurement behind `sdekit solve`: each path of a catalogue problem is solved at every step
// count N (dt = T/N) on one brownian_tree(seed, path, 0, T), so the sweep measures the method and
// not the sampling (the design of sdekit/solvers/convergence.hpp, whose fitted_order it uses).
//   strong error  E|X_N − X(T)|                       (Euclidean norm)
//   weak error    |E[X_N,1] − E[X_1(T)]|, estimated by the same-path mean of X_N,1 − X_1(T): the
//                 exact solution is a control variate, so the Monte Carlo error shrinks with dt.
// Paths run in chunks; between chunks the progress bar advances (and Ctrl-C is honoured). Results
// are accumulated in path order, so they do not depend on the chunk size or the backend.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <sdekit/solvers/brownian_tree.hpp>
#include <sdekit/solvers/convergence.hpp>
#include <sdekit/solvers/solve.hpp>

#include "path_backend.hpp"
#include "progress.hpp"

namespace sdekit::cli {

struct sweep_settings {
  std::uint64_t seed = 42;
  std::size_t paths = 1000;
  double t1 = 1.0;
  std::vector<std::size_t> steps;  ///< step counts N, dt = t1 / N
  path_backend backend;
};

struct sweep_result {
  std::vector<double> dt;
  std::vector<double> strong_error, strong_standard_error;
  std::vector<double> weak_error, weak_standard_error;
  double strong_order = std::numeric_limits<double>::quiet_NaN();  ///< NaN with fewer than 2 step counts
  double weak_order = std::numeric_limits<double>::quiet_NaN();
};

namespace detail {

struct moments {
  std::size_t n = 0;
  double mean = 0.0, m2 = 0.0;
  void add(double v) {
    ++n;
    double const d = v - mean;
    mean += d / double(n);
    m2 += d * (v - mean);
  }
  double standard_error() const { return n > 1 ? std::sqrt(m2 / double(n - 1) / double(n)) : 0.0; }
};

inline std::size_t sweep_chunk(std::size_t paths) { return paths < 64 ? paths : 64; }

}  // namespace detail

/// Runs the sweep of `method` on the catalogue `entry`; throws sdekit::solve_error naming the
/// path and step count when a solve fails.
template <class Entry, class Method>
sweep_result sweep_paths(Entry const& entry, Method const& method, sweep_settings const& s, progress& bar) {
  auto const problem = entry.template problem<typename Method::calculus>();
  auto const x0 = entry.x0();
  std::size_t const levels = s.steps.size();
  std::size_t const m = problem.noise_dim(x0.size());
  std::vector<detail::moments> strong(levels), weak(levels);
  std::size_t const chunk = detail::sweep_chunk(s.paths);
  // Per path and level: |X_N − X(T)|, X_N,1 − X_1(T), and the failure message if the solve failed.
  std::vector<double> distance(chunk * levels), difference(chunk * levels);
  std::vector<std::string> failure(chunk);

  for (std::size_t first = 0; first < s.paths; first += chunk) {
    std::size_t const count = std::min(chunk, s.paths - first);
    s.backend.for_each(count, [&](std::size_t i) {
      std::uint64_t const path = first + i;
      brownian_tree w(s.seed, path, 0.0, s.t1, 0.0, m);
      auto const exact = entry.exact(x0, s.t1, w);
      for (std::size_t k = 0; k < levels; ++k) {
        auto const sol = solve(problem, method, w, {0.0, s.t1}, s.t1 / double(s.steps[k]), x0);
        if (!sol.ok()) {
          failure[i] = sdekit::detail::concat(Method::name, " failed on path ", path, " with ", s.steps[k],
                                              " steps: ", sol.message());
          return;
        }
        auto const& x = sol.x.back();
        double sum = 0.0;
        for (std::size_t j = 0; j < x.size(); ++j) sum += (x[j] - exact[j]) * (x[j] - exact[j]);
        distance[i * levels + k] = std::sqrt(sum);
        difference[i * levels + k] = x[0] - exact[0];
      }
    });
    for (std::size_t i = 0; i < count; ++i) {
      if (!failure[i].empty()) throw solve_error(failure[i]);
      for (std::size_t k = 0; k < levels; ++k) {
        strong[k].add(distance[i * levels + k]);
        weak[k].add(difference[i * levels + k]);
      }
    }
    bar.advance(count);
  }

  sweep_result r;
  for (std::size_t k = 0; k < levels; ++k) {
    r.dt.push_back(s.t1 / double(s.steps[k]));
    r.strong_error.push_back(strong[k].mean);
    r.strong_standard_error.push_back(strong[k].standard_error());
    r.weak_error.push_back(std::fabs(weak[k].mean));
    r.weak_standard_error.push_back(weak[k].standard_error());
  }
  if (levels >= 2) {
    r.strong_order = fitted_order(r.dt, r.strong_error);
    r.weak_order = fitted_order(r.dt, r.weak_error);
  }
  return r;
}

}  // namespace sdekit::cli
