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

#include <cmath>
#include <cstdint>

#include "config.hpp"
#include "detail/reproducible_exp_log.hpp"
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

  // The factors are computed as safety · exp(β₂ ln e_{k−1} − β₁ ln e_k), with the exp and log of
  // reproducible_exp_log.hpp: the same bits in solve(), on the SIMD lanes of an ensemble and on a
  // GPU, one logarithm per try (an ensemble kernel keeps it for the next step) and one
  // exponential, in place of two powers.

  /// ln e as the factors take it, for an error norm e ≥ 0: e floored at 10⁻¹⁰, where an exact
  /// step would otherwise ask for an infinite factor. The floor compares the bits as integers,
  /// which order non-negative doubles as their values: g++ vectorises that maximum, but makes a
  /// branch of a floating-point one.
  SDEKIT_HOST_DEVICE static double log_error(double e) {
    std::uint64_t const bits = detail::bits_of(e), floor = detail::bits_of(1e-10);
    return detail::reproducible_log(detail::double_of(bits > floor ? bits : floor));
  }

  /// Factor for the next step after an accepted step with scaled error e (previous: e_prev).
  SDEKIT_HOST_DEVICE double accept_factor(double e, double e_prev, double order) const {
    return accept_factor_from_logs(log_error(e), log_error(e_prev), order);
  }

  /// The same from log_error(e) and log_error(e_prev).
  SDEKIT_HOST_DEVICE double accept_factor_from_logs(double log_e, double log_e_prev, double order) const {
    double const k = order + 1.0;
    return clamped(safety * detail::reproducible_exp(0.4 / k * log_e_prev - 0.7 / k * log_e), min_factor, max_factor);
  }

  /// Factor for the retry after a rejected step.
  SDEKIT_HOST_DEVICE double reject_factor(double e, double order) const {
    return std::isfinite(e) ? reject_factor_from_log(log_error(e), order) : min_factor;
  }

  /// The same from log_error(e), for a finite e.
  SDEKIT_HOST_DEVICE double reject_factor_from_log(double log_e, double order) const {
    return clamped(safety * detail::reproducible_exp(-log_e / (order + 1.0)), min_factor, 1.0);
  }

 private:
  SDEKIT_HOST_DEVICE static double clamped(double f, double low, double high) {
    return f < low ? low : (high < f ? high : f);
  }
};

}  // namespace sdekit
