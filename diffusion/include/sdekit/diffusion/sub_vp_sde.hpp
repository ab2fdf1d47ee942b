// Sub-VP SDE (Song et al. 2021, ICLR, eq. 12):
//   dx = −½ β(t) x dt + √(β(t) (1 − e^{−2B(t)})) dW,  β and B = ∫β as in vp_sde,
// with α_t = e^{−B/2} as VP and σ_t = 1 − e^{−B} (≤ the VP σ_t, hence "sub"). Defaults β_min = 0.1,
// β_max = 20.
//
// Its g² = β (1 − e^{−2B}) is the paper's own definition, not derived from the "exact-marginal"
// formula dσ²/dt − 2fσ²; for the kernel of the SDE started at a point the two coincide
// (dσ²/dt − 2fσ² = 2βe^{−B}(1 − e^{−B}) + β(1 − e^{−B})² = β(1 − e^{−2B})), and the tests check both.
#pragma once

#include <cmath>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/detail/reproducible_exp_log.hpp>
#include <sdekit/solvers/errors.hpp>

#include "forward_sde.hpp"

namespace sdekit::diffusion {

class sub_vp_sde {
 public:
  explicit sub_vp_sde(double beta_min = 0.1, double beta_max = 20.0) : beta_min_(beta_min), beta_max_(beta_max) {
    sdekit::detail::require_positive("beta_min", beta_min);
    sdekit::detail::require_positive("beta_max", beta_max);
  }

  SDEKIT_HOST_DEVICE double beta_min() const { return beta_min_; }
  SDEKIT_HOST_DEVICE double beta_max() const { return beta_max_; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double beta(double t) const { return beta_min_ + t * (beta_max_ - beta_min_); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double integrated_beta(double t) const { return t * (beta_min_ + 0.5 * t * (beta_max_ - beta_min_)); }

  SDEKIT_HOST_DEVICE double T() const { return 1.0; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double alpha(double t) const { return sdekit::detail::reproducible_exp(-0.5 * integrated_beta(t)); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double sigma(double t) const { return -sdekit::detail::reproducible_expm1(-integrated_beta(t)); }
  SDEKIT_HOST_DEVICE double lambda(double t) const {
    double const b = integrated_beta(t);
    return -0.5 * b - std::log(-std::expm1(-b));
  }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double f(double t) const { return -0.5 * beta(t); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double g2(double t) const { return beta(t) * -sdekit::detail::reproducible_expm1(-2.0 * integrated_beta(t)); }
  /// σ/α = e^{B/2} − e^{−B/2} = 2 sinh(B/2) = e^{−λ}.
  SDEKIT_HOST_DEVICE double t_of_lambda(double lam) const { return t_of_integrated_beta(2.0 * std::asinh(0.5 * std::exp(-lam))); }
  SDEKIT_HOST_DEVICE double t_of_sigma(double s) const { return t_of_integrated_beta(-std::log1p(-s)); }
  SDEKIT_HOST_DEVICE double prior_sigma() const { return 1.0; }
  const char* name() const { return "subvp"; }

 private:
  SDEKIT_HOST_DEVICE double t_of_integrated_beta(double b) const {
    double const d = beta_max_ - beta_min_;
    return 2.0 * b / (beta_min_ + std::sqrt(beta_min_ * beta_min_ + 2.0 * d * b));
  }

  double beta_min_;
  double beta_max_;
};

}  // namespace sdekit::diffusion
