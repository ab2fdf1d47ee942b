// The adaptive half of `sdekit solve --tolerance`: each path of a catalogue problem is solved with a
// PI controller on the method's embedded error estimate (rtol = atol = tol) on its own
// brownian_tree(seed, path, 0, T), so rejected steps are retried on the same path, and compared with
// the exact solution on that path. Reports, per tolerance, the mean strong error E|X_T − X(T)| with
// its standard error and the mean accepted and rejected steps per path.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include <sdekit/solvers/brownian_tree.hpp>
#include <sdekit/solvers/solve.hpp>
#include <sdekit/solvers/step_size_controller.hpp>

#include "path_sweep.hpp"
#include "progress.hpp"

namespace sdekit::cli {

struct adaptive_point {
  double tolerance;
  double strong_error, strong_standard_error;
  double accepted_steps, rejected_steps;  ///< means per path
};

template <class Entry, class Method>
std::vector<adaptive_point> adaptive_sweep(Entry const& entry, Method const& method, sweep_settings const& settings,
                                           std::vector<double> const& tolerances, progress& bar) {
  auto const problem = entry.template problem<typename Method::calculus>();
  auto const x0 = entry.x0();
  std::vector<adaptive_point> points;
  for (double tol : tolerances) {
    sdekit::detail::require_positive("--tolerance", tol);
    solve_options<pi_controller> options;
    options.controller.rtol = options.controller.atol = tol;
    detail::moments error;
    double accepted = 0.0, rejected = 0.0;
    for (std::size_t p = 0; p < settings.paths; ++p) {
      brownian_tree w(settings.seed, p, 0.0, settings.t1);
      auto const sol = solve(problem, method, w, {0.0, settings.t1}, settings.t1 / 16, x0, options);
      auto const exact = entry.exact(x0, settings.t1, w);
      double norm = 0.0;
      for (std::size_t j = 0; j < exact.size(); ++j) norm += std::pow(sol.value()[j] - exact[j], 2);
      error.add(std::sqrt(norm));
      accepted += double(sol.accepted_steps);
      rejected += double(sol.rejected_steps);
      bar.advance();
    }
    double const n = double(settings.paths);
    points.push_back({tol, error.mean, error.standard_error(), accepted / n, rejected / n});
  }
  return points;
}

}  // namespace sdekit::cli
