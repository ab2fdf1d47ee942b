// Cosine VP schedule (Nichol & Dhariwal 2021, eq. 17) as a VP SDE:
//   α_t = cos(φ(t)) / cos(φ(0)),  φ(t) = (π/2) (t + s)/(1 + s),  σ_t = √(1 − α_t²),  s = 0.008,
// so f = d log α/dt = −(π/2)/(1 + s) · tan φ(t) and g² = dσ²/dt − 2fσ² = −2f (α² + σ² = 1).
//
// α vanishes at t = 1, where λ = −∞ and f = −∞; the schedule is therefore used on [0, T] with
// T = 0.9946 < 1 by default (the choice of Lu et al. 2022, DPM-Solver, for this schedule: λ_T = −4.78,
// α_T = 0.0084, so p_T differs from the prior N(0, I) by that much), and the constructor refuses
// T ∉ (0, 1).
#pragma once

#include <cmath>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/errors.hpp>

#include "forward_sde.hpp"

namespace sdekit::diffusion {

class cosine_vp_sde {
 public:
  explicit cosine_vp_sde(double s = 0.008, double T = 0.9946) : s_(s), T_(T) {
    sdekit::detail::require_positive("s", s);
    if (!(T > 0.0 && T < 1.0))
      sdekit::detail::fail("T = ", T, " must lie in (0, 1): the cosine schedule's α vanishes at t = 1");
    cos_phi0_ = std::cos(phi(0.0));
  }

  SDEKIT_HOST_DEVICE double s() const { return s_; }

  SDEKIT_HOST_DEVICE double T() const { return T_; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double alpha(double t) const { return std::cos(phi(t)) / cos_phi0_; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double sigma(double t) const {
    double const a = alpha(t);
    return std::sqrt((1.0 - a) * (1.0 + a));
  }
  SDEKIT_HOST_DEVICE double lambda(double t) const { return std::log(alpha(t)) - std::log(sigma(t)); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double f(double t) const { return -half_pi / (1.0 + s_) * std::tan(phi(t)); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double g2(double t) const { return -2.0 * f(t); }
  /// α² = 1/(1 + e^{−2λ}), then invert α(t).
  SDEKIT_HOST_DEVICE double t_of_lambda(double lam) const { return t_of_alpha(std::exp(-0.5 * std::log1p(std::exp(-2.0 * lam)))); }
  SDEKIT_HOST_DEVICE double t_of_sigma(double sig) const { return t_of_alpha(std::sqrt((1.0 - sig) * (1.0 + sig))); }
  SDEKIT_HOST_DEVICE double prior_sigma() const { return 1.0; }
  const char* name() const { return "cosine"; }

 private:
  static constexpr double half_pi = 1.57079632679489661923;

  SDEKIT_HOST_DEVICE double phi(double t) const { return half_pi * (t + s_) / (1.0 + s_); }
  SDEKIT_HOST_DEVICE double t_of_alpha(double a) const { return std::acos(a * cos_phi0_) * (1.0 + s_) / half_pi - s_; }

  double s_;
  double T_;
  double cos_phi0_;
};

}  // namespace sdekit::diffusion
