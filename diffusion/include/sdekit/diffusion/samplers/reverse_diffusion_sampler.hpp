// Reverse-diffusion predictor (Song et al. 2021, ICLR, eq. 46 and App. E): discretise the forward
// SDE exactly on the grid, x_{t_k} = a_k x_{t_{k+1}} + √b_k z with a_k = α_{t_k}/α_{t_{k+1}},
// b_k = σ_{t_k}² − a_k² σ_{t_{k+1}}², and step its reverse:
//   x_{k+1} = (2 − a_k) x_k + b_k ∇log p_{t_k}(x_k) + √b_k z_k.
// For VP this is Song et al.'s (2 − √(1 − β_i)) x + β_i s + √β_i z; for VE a_k = 1. Weak order 1,
// one NFE per step, noise keyed by (seed, sample, step).
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

/// Names the reverse-diffusion predictor for sample_ensemble; the batched sampler takes any sampler_options.
struct reverse_diffusion_options : sampler_options {};

namespace detail {

/// The coefficients of one reverse-diffusion step from t to s < t, x ← (2 − a) x + b s + √b z.
struct reverse_diffusion_step {
  double t;
  double a, b, sqrt_b;

  SDEKIT_HOST_DEVICE bool noisy() const { return true; }
  SDEKIT_HOST_DEVICE double update(double x, double grad, double z) const { return (2.0 - a) * x + b * grad + sqrt_b * z; }
};

template <class SDE>
reverse_diffusion_step reverse_diffusion_coefficients(SDE const& sde, double t, double s) {
  double const a = sde.alpha(t) / sde.alpha(s);
  double const b = sde.sigma(t) * sde.sigma(t) - a * a * sde.sigma(s) * sde.sigma(s);
  return {t, a, b, std::sqrt(std::max(b, 0.0))};
}

template <class SDE>
std::vector<reverse_diffusion_step> reverse_diffusion_schedule(SDE const& sde, std::vector<double> const& grid,
                                                               sampler_options const&) {
  std::vector<reverse_diffusion_step> steps(grid.size() - 1);
  for (std::size_t k = 0; k < steps.size(); ++k) steps[k] = reverse_diffusion_coefficients(sde, grid[k], grid[k + 1]);
  return steps;
}

/// One reverse-diffusion step from t to s < t for the batch, z from noise step k.
template <class SDE, class Score>
void reverse_diffusion_step_batch(SDE const& sde, counted_score<Score>& score, sample_noise const& noise,
                                  std::size_t k, double t, double s, std::vector<double>& x,
                                  std::vector<double>& grad, std::vector<double>& z) {
  reverse_diffusion_step const st = reverse_diffusion_coefficients(sde, t, s);
  score(x, t, grad);
  noise.fill(k, z);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = st.update(x[i], grad[i], z[i]);
}

}  // namespace detail

template <class SDE, class Score>
sample_result reverse_diffusion_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                                       std::vector<double> x, std::uint64_t seed,
                                       sampler_options const& options = {}) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  detail::counted_score<Score> counted(score, options.first_sample);
  sample_noise const noise(seed, options.first_sample, score.dim());
  std::vector<double> grad, z(x.size());
  for (std::size_t k = 0; k + 1 < grid.size(); ++k)
    detail::reverse_diffusion_step_batch(sde, counted, noise, k, grid[k], grid[k + 1], x, grad, z);
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
