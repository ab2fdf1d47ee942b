// EDM's forward process (Karras et al. 2022, Table 1, "Ours"): σ(t) = t, s(t) = α = 1, so
//   dx = √(2t) dW,  f = 0,  g² = dσ²/dt = 2t,  t ∈ [0, σ_max],
// with σ_min = 0.002 (where sampling stops), σ_max = 80 and σ_data = 0.5, and the network
// preconditioning of Table 1: D(x; σ) = c_skip(σ) x + c_out(σ) F(c_in(σ) x; c_noise(σ)) with
//   c_skip = σ_data²/(σ² + σ_data²),  c_out = σ σ_data/√(σ² + σ_data²),  c_in = 1/√(σ² + σ_data²),
//   c_noise = ¼ ln σ.
#pragma once

#include <cmath>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/errors.hpp>

#include "forward_sde.hpp"

namespace sdekit::diffusion {

/// The four coefficients of EDM's preconditioning at one σ.
struct edm_preconditioning {
  double c_skip;
  double c_out;
  double c_in;
  double c_noise;
};

class edm_sde {
 public:
  explicit edm_sde(double sigma_min = 0.002, double sigma_max = 80.0, double sigma_data = 0.5)
      : sigma_min_(sigma_min), sigma_max_(sigma_max), sigma_data_(sigma_data) {
    sdekit::detail::require_positive("sigma_min", sigma_min);
    sdekit::detail::require_positive("sigma_max", sigma_max);
    sdekit::detail::require_positive("sigma_data", sigma_data);
    if (!(sigma_min < sigma_max))
      sdekit::detail::fail("sigma_min = ", sigma_min, " must be less than sigma_max = ", sigma_max);
  }

  SDEKIT_HOST_DEVICE double sigma_min() const { return sigma_min_; }
  SDEKIT_HOST_DEVICE double sigma_max() const { return sigma_max_; }
  SDEKIT_HOST_DEVICE double sigma_data() const { return sigma_data_; }

  SDEKIT_HOST_DEVICE double T() const { return sigma_max_; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double alpha(double) const { return 1.0; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double sigma(double t) const { return t; }
  SDEKIT_HOST_DEVICE double lambda(double t) const { return -std::log(t); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double f(double) const { return 0.0; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double g2(double t) const { return 2.0 * t; }
  SDEKIT_HOST_DEVICE double t_of_lambda(double lam) const { return std::exp(-lam); }
  SDEKIT_HOST_DEVICE double t_of_sigma(double s) const { return s; }
  SDEKIT_HOST_DEVICE double prior_sigma() const { return sigma_max_; }
  const char* name() const { return "edm"; }

  /// c_skip, c_out, c_in, c_noise of Karras et al. 2022, Table 1, at noise level σ.
  edm_preconditioning preconditioning(double sigma) const {
    double const d2 = sigma * sigma + sigma_data_ * sigma_data_;
    double const root = std::sqrt(d2);
    return {sigma_data_ * sigma_data_ / d2, sigma * sigma_data_ / root, 1.0 / root, 0.25 * std::log(sigma)};
  }

 private:
  double sigma_min_;
  double sigma_max_;
  double sigma_data_;
};

}  // namespace sdekit::diffusion
