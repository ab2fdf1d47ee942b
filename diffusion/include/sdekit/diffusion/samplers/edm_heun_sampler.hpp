// EDM Heun sampler (Karras et al. 2022, Alg. 2) for any forward SDE, in the scaled variables
// x̃ = x/α_t and σ̃ = σ_t/α_t = e^{−λ_t}, where the PF-ODE reads dx̃/dσ̃ = (x̃ − D(x̃; σ̃))/σ̃ with the
// denoiser D = x̂_0 = (x + σ_t² ∇log p_t(x))/α_t (Karras et al. eq. 4 with s(t) = α_t); for the EDM
// SDE (α = 1, σ = t) this is Alg. 2 itself. At each step of the grid:
//   γ = min(S_churn/n, √2 − 1) if S_tmin ≤ σ̃_k ≤ S_tmax else 0,   σ̂ = σ̃_k (1 + γ),
//   x̂ = x̃ + √(σ̂² − σ̃_k²) S_noise z,   d = (x̂ − D(x̂; σ̂))/σ̂,
//   x̃' = x̂ + (σ̃_{k+1} − σ̂) d,   d' = (x̃' − D(x̃'; σ̃_{k+1}))/σ̃_{k+1},
//   x̃_{k+1} = x̂ + (σ̃_{k+1} − σ̂)(d + d')/2.
// Order 2 for S_churn = 0 (deterministic); two NFE per step. The grid ends at eps > 0, so every step
// has its Heun correction; Alg. 2's last Euler step to σ = 0 is the final_denoise option.
// The churned level σ̂ maps back to a time with t_of_lambda, which must exist beyond the grid.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "detail/sampler_support.hpp"
#include "sample_noise.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

struct edm_heun_options : sampler_options {
  double s_churn = 0.0;  ///< total stochasticity; 0 gives the deterministic Heun sampler
  double s_tmin = 0.0;   ///< churn only where S_tmin ≤ σ̃ ≤ S_tmax
  double s_tmax = std::numeric_limits<double>::infinity();
  double s_noise = 1.0;  ///< scale of the added noise
};

namespace detail {

/// The PF-ODE slope in σ̃ at (x̃, σ̃ = e^{−λ_t}): dx̃/dσ̃ = (x̃ − D)/σ̃, D = x̂_0 at x = α_t x̃.
template <class SDE, class Score>
void edm_slope(SDE const& sde, counted_score<Score>& score, double t, std::vector<double> const& x_scaled,
               std::vector<double>& x, std::vector<double>& grad, std::vector<double>& slope) {
  double const alpha = sde.alpha(t), sigma = sde.sigma(t);
  double const noise_level = sigma / alpha;
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = alpha * x_scaled[i];
  score(x, t, grad);
  for (std::size_t i = 0; i < x.size(); ++i) {
    double const denoised = (x[i] + sigma * sigma * grad[i]) / alpha;
    slope[i] = (x_scaled[i] - denoised) / noise_level;
  }
}

}  // namespace detail

template <class SDE, class Score>
sample_result edm_heun_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                              std::vector<double> x, std::uint64_t seed, edm_heun_options const& options = {}) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  if (!(options.s_churn >= 0.0) || !std::isfinite(options.s_churn))
    detail::fail("s_churn = ", options.s_churn, " must be finite and ≥ 0");
  if (!(options.s_noise >= 0.0) || !std::isfinite(options.s_noise))
    detail::fail("s_noise = ", options.s_noise, " must be finite and ≥ 0");
  detail::counted_score<Score> counted(score, options.first_sample);
  sample_noise const noise(seed, options.first_sample, score.dim());
  std::size_t const n = grid.size() - 1;
  double const gamma_max = std::min(options.s_churn / double(n), std::sqrt(2.0) - 1.0);
  std::vector<double> x_hat(x.size()), x_next(x.size()), d(x.size()), d_next(x.size()), work(x.size()), grad;
  double const alpha_0 = sde.alpha(grid[0]);
  for (double& v : x) v /= alpha_0;  // x̃ = x/α
  for (std::size_t k = 0; k < n; ++k) {
    double const level = sde.sigma(grid[k]) / sde.alpha(grid[k]);
    double const level_next = sde.sigma(grid[k + 1]) / sde.alpha(grid[k + 1]);
    bool const churn = gamma_max > 0.0 && level >= options.s_tmin && level <= options.s_tmax;
    double const level_hat = churn ? level * (1.0 + gamma_max) : level;
    double const t_hat = churn ? sde.t_of_lambda(-std::log(level_hat)) : grid[k];
    x_hat = x;
    if (churn) {
      noise.fill(k, work, 2);
      double const scale = std::sqrt(level_hat * level_hat - level * level) * options.s_noise;
      for (std::size_t i = 0; i < x.size(); ++i) x_hat[i] += scale * work[i];
    }
    detail::edm_slope(sde, counted, t_hat, x_hat, work, grad, d);
    double const step = level_next - level_hat;
    for (std::size_t i = 0; i < x.size(); ++i) x_next[i] = x_hat[i] + step * d[i];
    detail::edm_slope(sde, counted, grid[k + 1], x_next, work, grad, d_next);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = x_hat[i] + step * 0.5 * (d[i] + d_next[i]);
  }
  double const alpha_n = sde.alpha(grid.back());
  for (double& v : x) v *= alpha_n;
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
