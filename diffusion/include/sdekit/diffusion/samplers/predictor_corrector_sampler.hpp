// Predictor–corrector sampling (Song et al. 2021, ICLR, Alg. 4 (VE) and 5 (VP)): at each step a
// reverse-diffusion predictor from t_k to t_{k+1}, then M Langevin corrector steps at t_{k+1}:
//   g = ∇log p_t(x),  x ← x + ε g + √(2ε) z,  ε = 2a (r ‖z‖/‖g‖)²,
// with r the signal-to-noise ratio (snr, default 0.16) and a = (α_{t_k}/α_{t_{k+1}})² (Alg. 5's
// α_i = 1 − β_i; 1 for VE). Three readings of the norms (langevin_step_rule):
//   noise_level (default)  ‖z‖²/‖g‖² at its high-dimensional value σ_t² (‖g‖ ≈ √d/σ_t, ‖z‖ ≈ √d):
//                          ε = 2a(rσ_t)², independent of the batch, and stable in any dimension
//                          (ε < 2σ_t² ≤ 2λ_min(Cov p_t) for r < 1);
//   batch_snr              the reference code's norms averaged over the batch: a sample then
//                          depends on the rest of its batch;
//   per_sample_snr         the algorithms read per sample: ε blows up where ‖g‖ → 0, which in low
//                          dimension happens near every mode (d = 2: sample variance 17 for 1.3).
// NFE per step: 1 + M.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <sdekit/solvers/config.hpp>

#include "detail/sampler_support.hpp"
#include "reverse_diffusion_sampler.hpp"
#include "sample_noise.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

enum class langevin_step_rule { noise_level, batch_snr, per_sample_snr };

struct predictor_corrector_options : sampler_options {
  double snr = 0.16;                 ///< r in ε = 2a (r‖z‖/‖g‖)²
  std::size_t corrector_steps = 1;   ///< M Langevin steps after each predictor step
  langevin_step_rule step_rule = langevin_step_rule::noise_level;
};

namespace detail {

SDEKIT_HOST_DEVICE inline double norm_of(double const* v, std::size_t d) {
  double sum = 0.0;
  for (std::size_t j = 0; j < d; ++j) sum += v[j] * v[j];
  return std::sqrt(sum);
}

/// ε = 2a (r‖z‖/‖g‖)² for one sample's norms, 0 where ‖g‖ = 0.
SDEKIT_HOST_DEVICE inline double langevin_step_size(double a, double snr, double z_norm, double g_norm) {
  return g_norm > 0.0 ? 2.0 * a * (snr * z_norm / g_norm) * (snr * z_norm / g_norm) : 0.0;
}

/// The rule noise_level's ε = 2a (r σ_t)², the same for every sample.
SDEKIT_HOST_DEVICE inline double noise_level_step_size(double a, double snr, double sigma_t) {
  return 2.0 * a * (snr * sigma_t) * (snr * sigma_t);
}

// ε_b of every sample b for the rule; (‖z_b‖, ‖g_b‖) per sample.
inline void langevin_step_sizes(langevin_step_rule rule, double a, double snr, double sigma_t,
                                std::vector<double> const& z_norm, std::vector<double> const& g_norm,
                                std::vector<double>& eps) {
  double z_mean = 0.0, g_mean = 0.0;
  for (std::size_t b = 0; b < eps.size(); ++b) {
    z_mean += z_norm[b] / double(eps.size());
    g_mean += g_norm[b] / double(eps.size());
  }
  for (std::size_t b = 0; b < eps.size(); ++b) {
    switch (rule) {
      case langevin_step_rule::noise_level: eps[b] = noise_level_step_size(a, snr, sigma_t); break;
      case langevin_step_rule::batch_snr: eps[b] = langevin_step_size(a, snr, z_mean, g_mean); break;
      case langevin_step_rule::per_sample_snr: eps[b] = langevin_step_size(a, snr, z_norm[b], g_norm[b]); break;
    }
  }
}

/// What step k needs of the SDE and the grid: the predictor from t_k to t_{k+1}, then the
/// correctors at t_{k+1} with a = (α_{t_k}/α_{t_{k+1}})².
struct predictor_corrector_step {
  reverse_diffusion_step predictor;
  double t_next, a, sigma_next;
};

template <class SDE>
std::vector<predictor_corrector_step> predictor_corrector_schedule(SDE const& sde, std::vector<double> const& grid,
                                                                   predictor_corrector_options const& options) {
  if (!(options.snr > 0.0) || !std::isfinite(options.snr)) fail("snr = ", options.snr, " must be positive and finite");
  std::vector<predictor_corrector_step> steps(grid.size() - 1);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    double const ratio = sde.alpha(grid[k]) / sde.alpha(grid[k + 1]);
    steps[k] = {reverse_diffusion_coefficients(sde, grid[k], grid[k + 1]), grid[k + 1], ratio * ratio,
                sde.sigma(grid[k + 1])};
  }
  return steps;
}

/// One Langevin step at time t: x_b ← x_b + ε_b g_b + √(2ε_b) z_b.
template <class SDE, class Score>
void langevin_step(SDE const& sde, counted_score<Score>& score, double t, double a,
                   predictor_corrector_options const& o, std::vector<double>& x, std::vector<double>& grad,
                   std::vector<double> const& z) {
  std::size_t const d = score.dim(), batch = x.size() / d;
  score(x, t, grad);
  std::vector<double> z_norm(batch), g_norm(batch), eps(batch);
  for (std::size_t b = 0; b < batch; ++b) {
    z_norm[b] = norm_of(z.data() + b * d, d);
    g_norm[b] = norm_of(grad.data() + b * d, d);
  }
  langevin_step_sizes(o.step_rule, a, o.snr, sde.sigma(t), z_norm, g_norm, eps);
  for (std::size_t b = 0; b < batch; ++b) {
    double const noise_scale = std::sqrt(2.0 * eps[b]);  // x ← x + (ε g + √(2ε) z)
    for (std::size_t j = b * d; j < (b + 1) * d; ++j) x[j] += eps[b] * grad[j] + noise_scale * z[j];
  }
}

}  // namespace detail

template <class SDE, class Score>
sample_result predictor_corrector_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                                         std::vector<double> x, std::uint64_t seed,
                                         predictor_corrector_options const& options = {}) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  std::vector<detail::predictor_corrector_step> const steps = detail::predictor_corrector_schedule(sde, grid, options);
  detail::counted_score<Score> counted(score, options.first_sample);
  sample_noise const noise(seed, options.first_sample, score.dim());
  std::vector<double> grad, z(x.size());
  std::size_t const m = options.corrector_steps;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    detail::reverse_diffusion_step_batch(sde, counted, noise, k, grid[k], grid[k + 1], x, grad, z);
    for (std::size_t c = 0; c < m; ++c) {
      noise.fill(k * m + c, z, 1);
      detail::langevin_step(sde, counted, steps[k].t_next, steps[k].a, options, x, grad, z);
    }
  }
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
