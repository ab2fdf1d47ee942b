// The per-sample kernels of the fixed-grid diffusion samplers: a work item carries a block of W
// samples through the whole grid (W SIMD lanes on the CPU, one sample per GPU thread), with the
// state held component by component across the lanes ([component][lane]) so that every update is
// one vector instruction. Everything that depends on the step alone, the sampler's coefficients
// (diffusion/samplers/*: edm_heun_step, dpm_solver_pp_step, ddim_step, ddpm_step,
// reverse_diffusion_step) and the score's time slices (gaussian_mixture_kernel_score::at), is
// computed once on the host; the kernels call the samplers' own per-component arithmetic
// (edm_slope, dpm_solver_pp_update, the steps' update, tweedie),
// so a sample gets the batched sampler's arithmetic, and its bits depend on (seed, sample index)
// alone. A sample whose state turns non-finite stops with its status, step and time; the other
// lanes of its block go on.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/samplers/ddim_sampler.hpp>
#include <sdekit/diffusion/samplers/ddpm_sampler.hpp>
#include <sdekit/diffusion/samplers/dpm_solver_pp_sampler.hpp>
#include <sdekit/diffusion/samplers/edm_heun_sampler.hpp>
#include <sdekit/diffusion/samplers/predictor_corrector_sampler.hpp>
#include <sdekit/diffusion/samplers/reverse_diffusion_sampler.hpp>
#include <sdekit/diffusion/samplers/sample_noise.hpp>
#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/philox_normal.hpp>
#include <sdekit/solvers/status.hpp>

#include "independent_lanes.hpp"

namespace sdekit::detail {

template <class Score, class = void>
struct has_time_slice : std::false_type {};
template <class Score>
struct has_time_slice<Score, std::void_t<decltype(std::declval<Score const&>().at(0.0))>> : std::true_type {};

/// A per-sample score at a fixed t, for scores without at(t) of their own.
template <class Score>
struct bound_score {
  Score score;
  double t;
  template <class State, class Out>
  SDEKIT_HOST_DEVICE void operator()(State const& x, Out& s) const {
    score(x, t, s);
  }
};

/// score.at(t) when the score has it, else the score bound to t.
template <class Score>
auto time_slice(Score const& score, double t) {
  if constexpr (has_time_slice<Score>::value) return score.at(t);
  else return bound_score<Score>{score, t};
}

template <class Score>
using time_slice_t = decltype(time_slice(std::declval<Score const&>(), 0.0));

/// Where the samples of a run come from and go to.
struct sample_run {
  std::uint64_t seed;
  std::uint64_t first_sample;  // global index of sample 0 of this run
  std::size_t samples;
  double prior_sigma;
  double const* grid;  // the descending times, n + 1 of them
  std::size_t n;       // steps
  double* x;           // samples × dim
  solve_status* status;
  std::uint64_t* failed_step;
  double* failed_time;
};

/// The W samples of one work item, their state x[component][lane] and scratch of the same shape.
template <std::size_t W, std::size_t D>
struct sample_block {
  using lanes = double[D][W];

  std::size_t first;  // run index of lane 0
  std::size_t count;  // lanes that hold a sample; the others compute on zeros and store nothing
  bool failed[W];
  lanes x;

  SDEKIT_HOST_DEVICE sample_block(sample_run const& run, std::size_t block)
      : first(block * W), count(run.samples - block * W < W ? run.samples - block * W : W), failed{}, x{} {
    philox_normal const normal(run.seed);
    for (std::size_t l = 0; l < count; ++l) {  // sample_prior's draw
      double z[D];
      normal.fill(run.first_sample + first + l, 0, D, z, diffusion::prior_stream);
      for (std::size_t i = 0; i < D; ++i) x[i][l] = z[i] * run.prior_sigma;
    }
  }

  /// z[·][l] = the normals of lane l's sample at step k in the sampler's noise slot.
  SDEKIT_HOST_DEVICE void noise(sample_run const& run, std::uint64_t k, std::uint32_t slot, lanes& z) const {
    philox_normal const normal(run.seed);
    for (std::size_t l = 0; l < count; ++l) {
      double v[D];
      normal.fill(run.first_sample + first + l, k * D, D, v, diffusion::sample_noise::first_stream + slot);
      for (std::size_t i = 0; i < D; ++i) z[i][l] = v[i];
    }
  }

  /// out[·][l] = slice(in[·][l]) for every lane.
  template <class Slice>
  SDEKIT_HOST_DEVICE static void score(Slice const& slice, lanes const& in, lanes& out) {
    SDEKIT_INDEPENDENT_LANES
    for (std::size_t l = 0; l < W; ++l) {
      std::array<double, D> xl, sl;
      for (std::size_t i = 0; i < D; ++i) xl[i] = in[i][l];
      slice(xl, sl);
      for (std::size_t i = 0; i < D; ++i) out[i][l] = sl[i];
    }
  }

  /// Marks the lanes whose state is no longer finite after step k (1-based), which reached t.
  SDEKIT_HOST_DEVICE void check(sample_run const& run, std::uint64_t k, double t) {
    constexpr double largest = std::numeric_limits<double>::max();
    for (std::size_t l = 0; l < count; ++l) {
      bool finite = true;
      for (std::size_t i = 0; i < D; ++i) finite = finite && std::fabs(x[i][l]) <= largest;
      if (finite || failed[l]) continue;
      failed[l] = true;
      std::size_t const p = first + l;
      run.status[p] = solve_status::non_finite_state;
      run.failed_step[p] = k;
      run.failed_time[p] = t;
    }
  }

  SDEKIT_HOST_DEVICE void store(sample_run const& run) const {
    for (std::size_t l = 0; l < count; ++l) {
      std::size_t const p = first + l;
      if (!failed[l]) run.status[p] = solve_status::success;
      for (std::size_t i = 0; i < D; ++i)
        run.x[p * D + i] = failed[l] ? std::numeric_limits<double>::quiet_NaN() : x[i][l];
    }
  }
};

/// The optional final step x ← x̂_0 at t = eps, with its slice and α, σ² there.
template <class Slice>
struct final_denoising {
  bool enabled;
  Slice slice;
  double alpha, variance;

  template <std::size_t W, std::size_t D>
  SDEKIT_HOST_DEVICE void apply(sample_block<W, D>& b) const {
    if (!enabled) return;
    double s[D][W];
    b.score(slice, b.x, s);
    for (std::size_t i = 0; i < D; ++i)
      for (std::size_t l = 0; l < W; ++l) b.x[i][l] = diffusion::detail::tweedie(b.x[i][l], s[i][l], alpha, variance);
  }
};

/// EDM Heun (edm_heun_sampler.hpp): slices 2k at t̂_k and 2k + 1 at t_{k+1}.
template <std::size_t W, std::size_t D, class Slice>
struct edm_heun_kernel {
  sample_run run;
  diffusion::detail::edm_heun_step const* steps;
  Slice const* slices;
  double alpha_first, alpha_last;
  final_denoising<Slice> final;

  SDEKIT_HOST_DEVICE void operator()(std::size_t block) const {
    using diffusion::detail::edm_slope;
    sample_block<W, D> b(run, block);
    double x_hat[D][W], x_next[D][W], d[D][W], work[D][W], grad[D][W];
    for (std::size_t i = 0; i < D; ++i)
      for (std::size_t l = 0; l < W; ++l) b.x[i][l] /= alpha_first;
    for (std::size_t k = 0; k < run.n; ++k) {
      diffusion::detail::edm_heun_step const st = steps[k];
      if (st.churn) b.noise(run, k, 2, work);
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t l = 0; l < W; ++l) {
          x_hat[i][l] = st.churn ? b.x[i][l] + st.noise_scale * work[i][l] : b.x[i][l];
          work[i][l] = st.alpha_hat * x_hat[i][l];
        }
      b.score(slices[2 * k], work, grad);
      double const step = st.level_next - st.level_hat;
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t l = 0; l < W; ++l) {
          d[i][l] = edm_slope(x_hat[i][l], work[i][l], grad[i][l], st.alpha_hat, st.sigma_hat);
          x_next[i][l] = x_hat[i][l] + step * d[i][l];
          work[i][l] = st.alpha_next * x_next[i][l];
        }
      b.score(slices[2 * k + 1], work, grad);
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t l = 0; l < W; ++l) {
          double const d_next = edm_slope(x_next[i][l], work[i][l], grad[i][l], st.alpha_next, st.sigma_next);
          b.x[i][l] = x_hat[i][l] + step * 0.5 * (d[i][l] + d_next);
        }
      b.check(run, k + 1, run.grid[k + 1]);
    }
    for (std::size_t i = 0; i < D; ++i)
      for (std::size_t l = 0; l < W; ++l) b.x[i][l] *= alpha_last;
    final.apply(b);
    b.check(run, run.n + 1, run.grid[run.n]);
    b.store(run);
  }
};

/// DPM-Solver++ 2M/3M (dpm_solver_pp_sampler.hpp): slice 2k at t_k, 2k + 1 at the 2S midpoint.
template <std::size_t W, std::size_t D, class Slice>
struct dpm_solver_pp_kernel {
  sample_run run;
  diffusion::detail::dpm_solver_pp_step const* steps;
  Slice const* slices;
  final_denoising<Slice> final;

  SDEKIT_HOST_DEVICE void operator()(std::size_t block) const {
    using diffusion::detail::data_prediction;
    sample_block<W, D> b(run, block);
    double data[3][D][W] = {};  // D_0, D_1, D_2, rotated by index: step k's D_0 is data[k % 3]
    double grad[D][W], x_u[D][W], mid[D][W];
    for (std::size_t k = 0; k < run.n; ++k) {
      diffusion::detail::dpm_solver_pp_step const st = steps[k];
      double (&d_0)[D][W] = data[k % 3];
      double (&d_1)[D][W] = data[(k + 2) % 3];
      double (&d_2)[D][W] = data[(k + 1) % 3];
      b.score(slices[2 * k], b.x, grad);
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t l = 0; l < W; ++l) d_0[i][l] = data_prediction(b.x[i][l], grad[i][l], st.alpha_t, st.variance_t);
      if (st.start_2s) {
        for (std::size_t i = 0; i < D; ++i)
          for (std::size_t l = 0; l < W; ++l) x_u[i][l] = st.ratio_u * b.x[i][l] + st.c_u * d_0[i][l];
        b.score(slices[2 * k + 1], x_u, grad);
        for (std::size_t i = 0; i < D; ++i)
          for (std::size_t l = 0; l < W; ++l) mid[i][l] = data_prediction(x_u[i][l], grad[i][l], st.alpha_u, st.variance_u);
      }
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t l = 0; l < W; ++l) {
          double const first = st.start_2s ? mid[i][l] : d_0[i][l];
          b.x[i][l] = diffusion::detail::dpm_solver_pp_update(st, b.x[i][l], first, d_1[i][l], d_2[i][l]);
        }
      b.check(run, k + 1, run.grid[k + 1]);
    }
    final.apply(b);
    b.check(run, run.n + 1, run.grid[run.n]);
    b.store(run);
  }
};

/// The samplers of one score evaluation per step, x ← update(x, ∇log p_{t_k}(x), z) with z from the
/// noise slot 0 when the step is noisy: DDIM, DDPM and the reverse-diffusion predictor
/// (ddim_step, ddpm_step, reverse_diffusion_step). Slice k at t_k.
template <std::size_t W, std::size_t D, class Slice, class Step>
struct one_evaluation_kernel {
  sample_run run;
  Step const* steps;
  Slice const* slices;
  final_denoising<Slice> final;

  SDEKIT_HOST_DEVICE void operator()(std::size_t block) const {
    sample_block<W, D> b(run, block);
    double grad[D][W], z[D][W] = {};
    for (std::size_t k = 0; k < run.n; ++k) {
      Step const st = steps[k];
      b.score(slices[k], b.x, grad);
      if (st.noisy()) b.noise(run, k, 0, z);
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t l = 0; l < W; ++l) b.x[i][l] = st.update(b.x[i][l], grad[i][l], z[i][l]);
      b.check(run, k + 1, run.grid[k + 1]);
    }
    final.apply(b);
    b.check(run, run.n + 1, run.grid[run.n]);
    b.store(run);
  }
};

/// Predictor–corrector (predictor_corrector_sampler.hpp), the per-sample rules noise_level and
/// per_sample_snr: slice 2k at t_k for the predictor, 2k + 1 at t_{k+1} for the M correctors.
template <std::size_t W, std::size_t D, class Slice>
struct predictor_corrector_kernel {
  sample_run run;
  diffusion::detail::predictor_corrector_step const* steps;
  Slice const* slices;
  std::size_t corrector_steps;
  double snr;
  bool per_sample_snr;
  final_denoising<Slice> final;

  SDEKIT_HOST_DEVICE void operator()(std::size_t block) const {
    using namespace diffusion::detail;
    sample_block<W, D> b(run, block);
    double grad[D][W], z[D][W];
    for (std::size_t k = 0; k < run.n; ++k) {
      predictor_corrector_step const st = steps[k];
      b.score(slices[2 * k], b.x, grad);
      b.noise(run, k, 0, z);
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t l = 0; l < W; ++l) b.x[i][l] = st.predictor.update(b.x[i][l], grad[i][l], z[i][l]);
      for (std::size_t c = 0; c < corrector_steps; ++c) {
        b.noise(run, k * corrector_steps + c, 1, z);
        b.score(slices[2 * k + 1], b.x, grad);
        for (std::size_t l = 0; l < W; ++l) {
          double eps = noise_level_step_size(st.a, snr, st.sigma_next);
          if (per_sample_snr) {
            double zl[D], gl[D];
            for (std::size_t i = 0; i < D; ++i) {
              zl[i] = z[i][l];
              gl[i] = grad[i][l];
            }
            eps = langevin_step_size(st.a, snr, norm_of(zl, D), norm_of(gl, D));
          }
          double const noise_scale = std::sqrt(2.0 * eps);
          for (std::size_t i = 0; i < D; ++i) b.x[i][l] += eps * grad[i][l] + noise_scale * z[i][l];
        }
      }
      b.check(run, k + 1, run.grid[k + 1]);
    }
    final.apply(b);
    b.check(run, run.n + 1, run.grid[run.n]);
    b.store(run);
  }
};

}  // namespace sdekit::detail
