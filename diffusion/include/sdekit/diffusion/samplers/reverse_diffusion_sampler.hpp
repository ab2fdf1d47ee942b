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

#include "detail/sampler_support.hpp"
#include "sample_noise.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

namespace detail {

/// One reverse-diffusion step from t to s < t: x ← (2 − a) x + b s + √b z, z from noise step k.
template <class SDE, class Score>
void reverse_diffusion_step(SDE const& sde, counted_score<Score>& score, sample_noise const& noise,
                            std::size_t k, double t, double s, std::vector<double>& x,
                            std::vector<double>& grad, std::vector<double>& z) {
  double const a = sde.alpha(t) / sde.alpha(s);
  double const b = sde.sigma(t) * sde.sigma(t) - a * a * sde.sigma(s) * sde.sigma(s);
  double const sqrt_b = std::sqrt(std::max(b, 0.0));
  score(x, t, grad);
  noise.fill(k, z);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = (2.0 - a) * x[i] + b * grad[i] + sqrt_b * z[i];
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
    detail::reverse_diffusion_step(sde, counted, noise, k, grid[k], grid[k + 1], x, grad, z);
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
