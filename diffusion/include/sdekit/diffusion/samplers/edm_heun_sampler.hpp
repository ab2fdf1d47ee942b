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

#include <sdekit/solvers/config.hpp>

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

/// What step k of the EDM Heun sampler needs of the SDE and the grid; the batched sampler and the
/// per-sample kernels read the same numbers, so they do the same arithmetic.
struct edm_heun_step {
  double t_hat, alpha_hat, sigma_hat, level_hat;      // the churned level σ̂ and its time
  double t_next, alpha_next, sigma_next, level_next;  // σ̃_{k+1}
  double noise_scale;                                 // √(σ̂² − σ̃_k²) S_noise; 0 without churn
  bool churn;
};

template <class SDE>
std::vector<edm_heun_step> edm_heun_schedule(SDE const& sde, std::vector<double> const& grid,
                                             edm_heun_options const& options) {
  if (!(options.s_churn >= 0.0) || !std::isfinite(options.s_churn))
    fail("s_churn = ", options.s_churn, " must be finite and ≥ 0");
  if (!(options.s_noise >= 0.0) || !std::isfinite(options.s_noise))
    fail("s_noise = ", options.s_noise, " must be finite and ≥ 0");
  std::size_t const n = grid.size() - 1;
  double const gamma_max = std::min(options.s_churn / double(n), std::sqrt(2.0) - 1.0);
  std::vector<edm_heun_step> steps(n);
  for (std::size_t k = 0; k < n; ++k) {
    edm_heun_step& st = steps[k];
    double const level = sde.sigma(grid[k]) / sde.alpha(grid[k]);
    st.churn = gamma_max > 0.0 && level >= options.s_tmin && level <= options.s_tmax;
    st.level_hat = st.churn ? level * (1.0 + gamma_max) : level;
    st.t_hat = st.churn ? sde.t_of_lambda(-std::log(st.level_hat)) : grid[k];
    st.noise_scale = st.churn ? std::sqrt(st.level_hat * st.level_hat - level * level) * options.s_noise : 0.0;
    st.alpha_hat = sde.alpha(st.t_hat);
    st.sigma_hat = sde.sigma(st.t_hat);
    st.t_next = grid[k + 1];
    st.alpha_next = sde.alpha(st.t_next);
    st.sigma_next = sde.sigma(st.t_next);
    st.level_next = st.sigma_next / st.alpha_next;
  }
  return steps;
}

/// One component of the PF-ODE slope in σ̃: (x̃ − D)/σ̃ with D = (x + σ² ∇log p)/α, x = α x̃.
SDEKIT_HOST_DEVICE inline double edm_slope(double x_scaled, double x, double grad, double alpha, double sigma) {
  double const denoised = (x + sigma * sigma * grad) / alpha;
  return (x_scaled - denoised) / (sigma / alpha);
}

/// The slope of every component of the batch at (x̃, t); x and grad are work space.
template <class Score>
void edm_slope(double t, double alpha, double sigma, counted_score<Score>& score, std::vector<double> const& x_scaled,
               std::vector<double>& x, std::vector<double>& grad, std::vector<double>& slope) {
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = alpha * x_scaled[i];
  score(x, t, grad);
  for (std::size_t i = 0; i < x.size(); ++i) slope[i] = edm_slope(x_scaled[i], x[i], grad[i], alpha, sigma);
}

}  // namespace detail

template <class SDE, class Score>
sample_result edm_heun_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                              std::vector<double> x, std::uint64_t seed, edm_heun_options const& options = {}) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  std::vector<detail::edm_heun_step> const steps = detail::edm_heun_schedule(sde, grid, options);
  detail::counted_score<Score> counted(score, options.first_sample);
  sample_noise const noise(seed, options.first_sample, score.dim());
  std::vector<double> x_hat(x.size()), x_next(x.size()), d(x.size()), d_next(x.size()), work(x.size()), grad;
  double const alpha_0 = sde.alpha(grid[0]);
  for (double& v : x) v /= alpha_0;  // x̃ = x/α
  for (std::size_t k = 0; k < steps.size(); ++k) {
    detail::edm_heun_step const& st = steps[k];
    x_hat = x;
    if (st.churn) {
      noise.fill(k, work, 2);
      for (std::size_t i = 0; i < x.size(); ++i) x_hat[i] += st.noise_scale * work[i];
    }
    detail::edm_slope(st.t_hat, st.alpha_hat, st.sigma_hat, counted, x_hat, work, grad, d);
    double const step = st.level_next - st.level_hat;
    for (std::size_t i = 0; i < x.size(); ++i) x_next[i] = x_hat[i] + step * d[i];
    detail::edm_slope(st.t_next, st.alpha_next, st.sigma_next, counted, x_next, work, grad, d_next);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = x_hat[i] + step * 0.5 * (d[i] + d_next[i]);
  }
  double const alpha_n = sde.alpha(grid.back());
  for (double& v : x) v *= alpha_n;
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
