// Step-size controllers. constant_step_size takes dt0 throughout; pi_controller adapts it from an
// embedded error estimate (Hairer, Nørsett & Wanner 1993, §IV.2; Gustafsson's PI form):
//   h_new = h · clamp(safety · e_k^(−β₁) · e_{k−1}^(β₂), min_factor, max_factor),
// with e the RMS norm of err_i / (atol + rtol · max(|x_i|, |x̃_i|)) over the n components, x the state
// before the step, x̃ the trial state, err the stepper's embedded error estimate (for SRIW1 and
// SRA1 the estimate δ E_D + E_N of Rackauckas & Nie 2017), and β₁ = 0.7/(q+1), β₂ = 0.4/(q+1) for a
// method of strong order q. A step is accepted when e ≤ 1. A rejected step is retried on the same
// Brownian path (query the brownian_tree on the shorter interval), so the solution has no rejection
// bias. A non-finite trial state ends the solve with solve_status::non_finite_state.
#pragma once

#include <algorithm>
#include <cmath>

#include "errors.hpp"

namespace sdekit {

struct constant_step_size {
  static constexpr bool adaptive = false;
  void validate() const {}
};

struct pi_controller {
  static constexpr bool adaptive = true;
  double rtol = 1e-6;
  double atol = 1e-6;
  double safety = 0.9;
  double min_factor = 0.2;
  double max_factor = 10.0;
  double dt_min = 0.0;  ///< smallest step; 0 means 1e-14 · |t1 − t0|

  void validate() const {
    detail::require_positive("pi_controller rtol", rtol);
    detail::require_positive("pi_controller atol", atol);
    if (!(safety > 0.0 && safety <= 1.0)) detail::fail("pi_controller safety = ", safety, " must lie in (0, 1]");
    if (!(min_factor > 0.0 && min_factor < 1.0))
      detail::fail("pi_controller min_factor = ", min_factor, " must lie in (0, 1)");
    if (!(max_factor > 1.0 && std::isfinite(max_factor)))
      detail::fail("pi_controller max_factor = ", max_factor, " must be finite and > 1");
    if (!(dt_min >= 0.0 && std::isfinite(dt_min))) detail::fail("pi_controller dt_min = ", dt_min, " must be ≥ 0");
  }

  /// Factor for the next step after an accepted step with scaled error e (previous: e_prev).
  double accept_factor(double e, double e_prev, double order) const {
    double const k = order + 1.0;
    e = std::max(e, 1e-10);
    double const f = safety * std::pow(e, -0.7 / k) * std::pow(std::max(e_prev, 1e-10), 0.4 / k);
    return std::clamp(f, min_factor, max_factor);
  }

  /// Factor for the retry after a rejected step.
  double reject_factor(double e, double order) const {
    if (!std::isfinite(e)) return min_factor;
    return std::clamp(safety * std::pow(e, -1.0 / (order + 1.0)), min_factor, 1.0);
  }
};

}  // namespace sdekit
