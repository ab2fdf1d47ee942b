// Variance-exploding SDE (SMLD / NCSN++; Song et al. 2021, ICLR, eq. 9 and §C.1):
//   dx = √(dσ_VE(t)²/dt) dW,  σ_VE(t) = σ_min (σ_max/σ_min)^t,  t ∈ [0, 1],
// so f = 0, g² = 2 log(σ_max/σ_min) σ_VE(t)², α_t = 1. Defaults σ_min = 0.01, σ_max = 50.
//
// The σ_min convention. Started at x_0 at t = 0, this SDE has the exact marginal std
//   σ_t = √(σ_VE(t)² − σ_min²),
// which is what sigma(t) returns (σ_0 = 0, λ_0 = +∞): every formula of the module (the mixture
// score, the likelihood, the samplers) then uses the kernel that the SDE really has. score_sde's
// code uses σ_VE(t) itself as the std of p_0t, which is the marginal of the SDE started at
// t = −∞ in its own units; score_sde_sigma(t) returns that value for models trained with it. The
// two differ by σ_min²/(2σ_VE(t)) relatively, at most 1 at t = 0 and 2·10⁻⁸ at t = 1.
#pragma once

#include <cmath>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/detail/reproducible_exp_log.hpp>
#include <sdekit/solvers/errors.hpp>

#include "forward_sde.hpp"

namespace sdekit::diffusion {

class ve_sde {
 public:
  explicit ve_sde(double sigma_min = 0.01, double sigma_max = 50.0)
      : sigma_min_(sigma_min), sigma_max_(sigma_max) {
    sdekit::detail::require_positive("sigma_min", sigma_min);
    sdekit::detail::require_positive("sigma_max", sigma_max);
    if (!(sigma_min < sigma_max))
      sdekit::detail::fail("sigma_min = ", sigma_min, " must be less than sigma_max = ", sigma_max);
    log_ratio_ = std::log(sigma_max / sigma_min);
  }

  SDEKIT_HOST_DEVICE double sigma_min() const { return sigma_min_; }
  SDEKIT_HOST_DEVICE double sigma_max() const { return sigma_max_; }

  SDEKIT_HOST_DEVICE double T() const { return 1.0; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double alpha(double) const { return 1.0; }
  /// √(σ_VE(t)² − σ_min²) = σ_min √(expm1(2t log(σ_max/σ_min))), exact for the SDE started at t = 0.
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double sigma(double t) const { return sigma_min_ * std::sqrt(sdekit::detail::reproducible_expm1(2.0 * t * log_ratio_)); }
  SDEKIT_HOST_DEVICE double lambda(double t) const { return -std::log(sigma(t)); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double f(double) const { return 0.0; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double g2(double t) const {
    double const s = score_sde_sigma(t);
    return 2.0 * log_ratio_ * s * s;
  }
  SDEKIT_HOST_DEVICE double t_of_sigma(double s) const { return std::log1p((s / sigma_min_) * (s / sigma_min_)) / (2.0 * log_ratio_); }
  SDEKIT_HOST_DEVICE double t_of_lambda(double lam) const { return t_of_sigma(std::exp(-lam)); }
  /// score_sde's prior N(0, σ_max² I); the exact std at T, √(σ_max² − σ_min²), differs by 2·10⁻⁸ relatively.
  SDEKIT_HOST_DEVICE double prior_sigma() const { return sigma_max_; }
  const char* name() const { return "ve"; }

  /// σ_VE(t) = σ_min (σ_max/σ_min)^t: score_sde's std of p_0t (see the σ_min convention above).
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double score_sde_sigma(double t) const { return sigma_min_ * sdekit::detail::reproducible_exp(t * log_ratio_); }
  /// Inverse of score_sde_sigma on [σ_min, σ_max].
  SDEKIT_HOST_DEVICE double t_of_score_sde_sigma(double s) const { return std::log(s / sigma_min_) / log_ratio_; }

 private:
  double sigma_min_;
  double sigma_max_;
  double log_ratio_;
};

}  // namespace sdekit::diffusion
