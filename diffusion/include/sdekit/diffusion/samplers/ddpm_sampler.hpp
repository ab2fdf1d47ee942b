// DDPM ancestral sampling (Ho et al. 2020, eqs. 6–7 with σ² = β̃, the posterior variance), on any
// grid: from t to s < t, with α_{t|s} = α_t/α_s, σ²_{t|s} = σ_t² − α_{t|s}² σ_s² and
// x̂_0 = (x + σ_t² ∇log p_t(x))/α_t, draw x_s from the posterior q(x_s | x_t, x_0 = x̂_0):
//   x_s = (α_{t|s} σ_s²/σ_t²) x_t + (α_s σ²_{t|s}/σ_t²) x̂_0 + √(σ²_{t|s} σ_s²/σ_t²) z.
// Weak order 1, one NFE per step, noise keyed by (seed, sample, step).
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

/// Names DDPM ancestral sampling for sample_ensemble; the batched sampler takes any sampler_options.
struct ddpm_options : sampler_options {};

namespace detail {

/// The coefficients of one DDPM step from t to s < t.
struct ddpm_step {
  double t, alpha_t, var_t;
  double c_x, c_0, std_post;

  SDEKIT_HOST_DEVICE bool noisy() const { return true; }
  SDEKIT_HOST_DEVICE double update(double x, double grad, double z) const {
    double const x0 = (x + var_t * grad) / alpha_t;
    return c_x * x + c_0 * x0 + std_post * z;
  }
};

template <class SDE>
std::vector<ddpm_step> ddpm_schedule(SDE const& sde, std::vector<double> const& grid, sampler_options const&) {
  std::vector<ddpm_step> steps(grid.size() - 1);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    double const t = grid[k], s = grid[k + 1];
    double const alpha_t = sde.alpha(t), alpha_s = sde.alpha(s);
    double const var_t = sde.sigma(t) * sde.sigma(t), var_s = sde.sigma(s) * sde.sigma(s);
    double const alpha_ts = alpha_t / alpha_s;
    double const var_ts = var_t - alpha_ts * alpha_ts * var_s;
    steps[k] = {t, alpha_t, var_t, alpha_ts * var_s / var_t, alpha_s * var_ts / var_t,
                std::sqrt(std::max(var_ts * var_s / var_t, 0.0))};
  }
  return steps;
}

}  // namespace detail

template <class SDE, class Score>
sample_result ddpm_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, std::uint64_t seed, sampler_options const& options = {}) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  std::vector<detail::ddpm_step> const steps = detail::ddpm_schedule(sde, grid, options);
  detail::counted_score<Score> counted(score, options.first_sample);
  sample_noise const noise(seed, options.first_sample, score.dim());
  std::vector<double> grad, z(x.size());
  for (std::size_t k = 0; k < steps.size(); ++k) {
    counted(x, steps[k].t, grad);
    noise.fill(k, z);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = steps[k].update(x[i], grad[i], z[i]);
  }
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
