// DDIM (Song et al. 2021a, ICLR, eq. 12) on any grid: from t to s < t, with
// ε̂ = −σ_t ∇log p_t(x), x̂_0 = (x + σ_t² ∇log p_t(x))/α_t and
// c = η √(σ²_{t|s} σ_s²/σ_t²), σ²_{t|s} = σ_t² − (α_t/α_s)² σ_s²,
//   x_s = α_s x̂_0 + √(σ_s² − c²) ε̂ + c z.
// η = 0 (default): deterministic, a first-order solver of the PF-ODE (the exponential integrator
// DPM-Solver-1, Lu et al. 2022); η = 1: DDPM ancestral sampling. One NFE per step.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <sdekit/solvers/config.hpp>

#include "detail/sampler_support.hpp"
#include "sample_noise.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

struct ddim_options : sampler_options {
  double eta = 0.0;  ///< 0: deterministic DDIM; 1: DDPM ancestral
};

namespace detail {

/// What step k from t to s needs of the SDE and the grid, for the batched sampler and the
/// per-sample kernels alike.
struct ddim_step {
  double t, alpha_t, sigma_t, alpha_s;
  double c_eps;  // √(σ_s² − c²)
  double c;      // the noise's scale, 0 when η = 0

  SDEKIT_HOST_DEVICE bool noisy() const { return c > 0.0; }
  SDEKIT_HOST_DEVICE double update(double x, double grad, double z) const;
};

template <class SDE>
std::vector<ddim_step> ddim_schedule(SDE const& sde, std::vector<double> const& grid, ddim_options const& options) {
  if (!(options.eta >= 0.0 && options.eta <= 1.0)) fail("eta = ", options.eta, " must lie in [0, 1]");
  std::vector<ddim_step> steps(grid.size() - 1);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    double const t = grid[k], s = grid[k + 1];
    double const alpha_t = sde.alpha(t), alpha_s = sde.alpha(s);
    double const sigma_t = sde.sigma(t), sigma_s = sde.sigma(s);
    double const var_ts = sigma_t * sigma_t - (alpha_t / alpha_s) * (alpha_t / alpha_s) * sigma_s * sigma_s;
    double const c = options.eta * std::sqrt(std::max(var_ts, 0.0)) * sigma_s / sigma_t;
    steps[k] = {t, alpha_t, sigma_t, alpha_s, std::sqrt(std::max(sigma_s * sigma_s - c * c, 0.0)), c};
  }
  return steps;
}

/// One component of x_s = α_s x̂_0 + √(σ_s² − c²) ε̂ + c z.
SDEKIT_HOST_DEVICE inline double ddim_step::update(double x, double grad, double z) const {
  double const x0 = (x + sigma_t * sigma_t * grad) / alpha_t;
  double const eps = -sigma_t * grad;
  return alpha_s * x0 + c_eps * eps + c * z;
}

}  // namespace detail

template <class SDE, class Score>
sample_result ddim_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, std::uint64_t seed, ddim_options const& options = {}) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  std::vector<detail::ddim_step> const steps = detail::ddim_schedule(sde, grid, options);
  detail::counted_score<Score> counted(score, options.first_sample);
  sample_noise const noise(seed, options.first_sample, score.dim());
  std::vector<double> grad, z(x.size(), 0.0);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    counted(x, steps[k].t, grad);
    if (steps[k].noisy()) noise.fill(k, z);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = steps[k].update(x[i], grad[i], z[i]);
  }
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
