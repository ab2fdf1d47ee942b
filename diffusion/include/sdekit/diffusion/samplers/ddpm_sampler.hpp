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

#include "detail/sampler_support.hpp"
#include "sample_noise.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

template <class SDE, class Score>
sample_result ddpm_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, std::uint64_t seed, sampler_options const& options = {}) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  detail::counted_score<Score> counted(score, options.first_sample);
  sample_noise const noise(seed, options.first_sample, score.dim());
  std::vector<double> grad, z(x.size());
  for (std::size_t k = 0; k + 1 < grid.size(); ++k) {
    double const t = grid[k], s = grid[k + 1];
    double const alpha_t = sde.alpha(t), alpha_s = sde.alpha(s);
    double const var_t = sde.sigma(t) * sde.sigma(t), var_s = sde.sigma(s) * sde.sigma(s);
    double const alpha_ts = alpha_t / alpha_s;
    double const var_ts = var_t - alpha_ts * alpha_ts * var_s;
    double const c_x = alpha_ts * var_s / var_t;
    double const c_0 = alpha_s * var_ts / var_t;
    double const std_post = std::sqrt(std::max(var_ts * var_s / var_t, 0.0));
    counted(x, t, grad);
    noise.fill(k, z);
    for (std::size_t i = 0; i < x.size(); ++i) {
      double const x0 = (x[i] + var_t * grad[i]) / alpha_t;
      x[i] = c_x * x[i] + c_0 * x0 + std_post * z[i];
    }
  }
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
