// Variance-preserving SDE (the continuous limit of DDPM; Song et al. 2021, ICLR, eq. 11):
//   dx = −½ β(t) x dt + √β(t) dW,  β(t) = β_min + t (β_max − β_min),  t ∈ [0, 1],
// with B(t) = ∫_0^t β = β_min t + ½ (β_max − β_min) t²: α_t = e^{−B/2}, σ_t = √(1 − e^{−B}),
// f = −½ β, g² = β. Defaults β_min = 0.1, β_max = 20.
//
// DDPM's discrete chain (Ho et al. 2020) with N steps: β_i = (β_min + (β_max − β_min) i/(N−1))/N,
// i = 0..N−1, ᾱ_i = Π_{j≤i} (1 − β_j), and step i sits at t_i = (i + 1)/N (the map of Lu et al.
// 2022, DPM-Solver §3.4); ᾱ_i = α(t_i)² + O(1/N).
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/detail/reproducible_exp_log.hpp>
#include <sdekit/solvers/errors.hpp>

#include "forward_sde.hpp"

namespace sdekit::diffusion {

class vp_sde {
 public:
  explicit vp_sde(double beta_min = 0.1, double beta_max = 20.0) : beta_min_(beta_min), beta_max_(beta_max) {
    sdekit::detail::require_positive("beta_min", beta_min);
    sdekit::detail::require_positive("beta_max", beta_max);
  }

  SDEKIT_HOST_DEVICE double beta_min() const { return beta_min_; }
  SDEKIT_HOST_DEVICE double beta_max() const { return beta_max_; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double beta(double t) const { return beta_min_ + t * (beta_max_ - beta_min_); }
  /// B(t) = ∫_0^t β(s) ds.
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double integrated_beta(double t) const { return t * (beta_min_ + 0.5 * t * (beta_max_ - beta_min_)); }

  SDEKIT_HOST_DEVICE double T() const { return 1.0; }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double alpha(double t) const { return sdekit::detail::reproducible_exp(-0.5 * integrated_beta(t)); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double sigma(double t) const { return std::sqrt(-sdekit::detail::reproducible_expm1(-integrated_beta(t))); }
  SDEKIT_HOST_DEVICE double lambda(double t) const {
    double const b = integrated_beta(t);
    return -0.5 * b - 0.5 * std::log(-std::expm1(-b));
  }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double f(double t) const { return -0.5 * beta(t); }
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double g2(double t) const { return beta(t); }
  /// σ/α = √(e^B − 1) = e^{−λ} gives B = log(1 + e^{−2λ}).
  SDEKIT_HOST_DEVICE double t_of_lambda(double lam) const { return t_of_integrated_beta(std::log1p(std::exp(-2.0 * lam))); }
  SDEKIT_HOST_DEVICE double t_of_sigma(double s) const { return t_of_integrated_beta(-std::log1p(-s * s)); }
  SDEKIT_HOST_DEVICE double prior_sigma() const { return 1.0; }
  const char* name() const { return "vp"; }

  /// β_i of DDPM's N-step chain, i = 0..N−1.
  double discrete_beta(std::size_t i, std::size_t n = 1000) const {
    require_step(i, n);
    return (beta_min_ + (beta_max_ - beta_min_) * double(i) / double(n - 1)) / double(n);
  }
  /// ᾱ_0, ..., ᾱ_{N−1} of DDPM's N-step chain.
  std::vector<double> discrete_alpha_bar(std::size_t n = 1000) const {
    require_step(0, n);
    std::vector<double> alpha_bar(n);
    double log_product = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      log_product += std::log1p(-discrete_beta(i, n));
      alpha_bar[i] = std::exp(log_product);
    }
    return alpha_bar;
  }
  /// Continuous time of step i, t_i = (i + 1)/N.
  double discrete_time(std::size_t i, std::size_t n = 1000) const {
    require_step(i, n);
    return double(i + 1) / double(n);
  }
  /// The step nearest to t, round(N t − 1) clipped to 0..N−1; inverse of discrete_time.
  std::size_t discrete_index(double t, std::size_t n = 1000) const {
    require_step(0, n);
    if (!(t >= 0.0 && t <= T())) sdekit::detail::fail("t = ", t, " lies outside [0, T] = [0, ", T(), "]");
    double const i = std::round(double(n) * t - 1.0);
    return i <= 0.0 ? 0 : static_cast<std::size_t>(i);
  }

 private:
  // Root of ½ Δβ t² + β_min t − B = 0 in the form that does not cancel when Δβ → 0.
  SDEKIT_HOST_DEVICE double t_of_integrated_beta(double b) const {
    double const d = beta_max_ - beta_min_;
    return 2.0 * b / (beta_min_ + std::sqrt(beta_min_ * beta_min_ + 2.0 * d * b));
  }

  static void require_step(std::size_t i, std::size_t n) {
    if (n < 2) sdekit::detail::fail("n = ", n, " discrete steps: DDPM's chain needs n ≥ 2");
    if (i >= n) sdekit::detail::fail("step i = ", i, " lies outside 0..", n - 1);
  }

  double beta_min_;
  double beta_max_;
};

}  // namespace sdekit::diffusion
