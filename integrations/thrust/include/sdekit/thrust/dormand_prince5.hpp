// Dormand–Prince 5(4) for ODEs, written for per-path kernels: host-device, fixed-size states, no
// allocation. Order 5 with an embedded order-4 estimate err = h Σ (b_j − b*_j) k_j (Dormand & Prince
// 1980; Hairer, Nørsett & Wanner 1993, Table II.5.2). It takes the solver layer's adaptive loop
// (pi_controller) inside solve_ensemble, each path its own step size; Odeint's runge_kutta_dopri5 is
// the host, lock-step counterpart (checked to agree to its order in test_thrust_dormand_prince5).
// Seven drift evaluations per step (the first-same-as-last stage is not reused).
#pragma once

#include <array>
#include <cstddef>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/state.hpp>

namespace sdekit {

struct dormand_prince5 {
  static constexpr const char* name = "Dormand–Prince 5(4)";
  static constexpr double order = 5.0;
  /// The order q that the PI controller's exponents use: the embedded estimate's, as in Hairer et
  /// al. (§II.4), under the solver layer's name for it.
  static constexpr double strong_order = 4.0;
  static constexpr bool has_error_estimate = true;

  template <class State, class Noise>
  struct workspace {
    std::array<State, 7> k{};
    State stage{};
  };

  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    State err{};
    step_with_error(problem, brownian, x, t, h, work, err);
  }

  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step_with_error(Problem const& problem, Brownian&, State& x, double t, double h, Work& work,
                                          State& err) const {
    // Hairer, Nørsett & Wanner 1993, Table II.5.2; local so that device code can read it.
    constexpr double c[7] = {0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0};
    constexpr double a[7][6] = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    constexpr double b[7] = {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0.0};
    constexpr double e[7] = {71.0 / 57600,      0.0,         -71.0 / 16695, 71.0 / 1920,
                                    -17253.0 / 339200, 22.0 / 525, -1.0 / 40};  // b − b*

    std::size_t const n = detail::dimension(x);
    problem.drift(x, t, work.k[0]);
    for (std::size_t s = 1; s < 7; ++s) {
      for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        for (std::size_t j = 0; j < s; ++j) sum += a[s][j] * double(work.k[j][i]);
        work.stage[i] = x[i] + h * sum;
      }
      problem.drift(work.stage, t + c[s] * h, work.k[s]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      double update = 0.0, error = 0.0;
      for (std::size_t j = 0; j < 7; ++j) {
        update += b[j] * double(work.k[j][i]);
        error += e[j] * double(work.k[j][i]);
      }
      x[i] += h * update;
      err[i] = h * error;
    }
  }
};

}  // namespace sdekit
