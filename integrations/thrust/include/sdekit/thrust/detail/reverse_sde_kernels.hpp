// The per-sample kernels of the two reverse-SDE samplers (Anderson 1982; Song et al. 2021, ICLR,
// eq. 6), dx = [−f(t) x + g(t)² ∇log p_t(x)] dτ + g(t) dW_τ in τ = t_0 − t:
//
// - reverse_sde_kernel: reverse_sde_sampler.hpp on the grid with any Itô stepper of the solver
//   layer that accepts additive noise (Euler–Maruyama, SRA1, SRA3, ...). On a grid Brownian path a
//   work item carries W samples, one per lane, each lane taking the stepper's own step on its
//   sample with batch_grid_brownian's increments; on a tree path (reverse_sde_brownian::tree) a work
//   item carries one sample and its fixed_brownian_tree, brownian_tree's path bit for bit.
// - adaptive_reverse_sde_kernel: adaptive_reverse_sde_sampler.hpp, one sample per work item,
//   running the sampler's own per-sample loop (adaptive_sample_path) on its fixed_brownian_tree.
//
// So each sample gets the batched sampler's arithmetic and Brownian increments, and its bits depend
// on (seed, sample index) alone. A sample that turns non-finite, or whose adaptive loop reaches
// max_steps, stops with its status, step and time; the other samples go on.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <sdekit/diffusion/samplers/adaptive_reverse_sde_sampler.hpp>
#include <sdekit/diffusion/samplers/reverse_sde_sampler.hpp>
#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/noise.hpp>
#include <sdekit/solvers/philox_normal.hpp>
#include <sdekit/solvers/status.hpp>

#include "../fixed_brownian_tree.hpp"
#include "ensemble_kernels.hpp"
#include "sample_kernels.hpp"

namespace sdekit::detail {

/// The reverse SDE in τ for one sample of a per-sample score, as a solver-layer problem of
/// additive noise: drift −f(t) x + g(t)² s(x, t), diffusion g(t), t = t_0 − τ. The score's time
/// slices at the τ where the stepper evaluates the drift in the current step (times[first …
/// first + stages), recorded on the host by stage_times) are computed once for all samples; a
/// drift at any other τ evaluates the score itself.
template <class SDE, class Score, class Slice>
struct reverse_sde_problem {
  using noise = additive_noise;
  using calculus = ito;
  static constexpr std::size_t dim = Score::dim;

  SDE sde;
  Score score;
  double t0;
  double const* times;
  Slice const* slices;
  std::size_t first;
  std::size_t stages;

  SDEKIT_HOST_DEVICE reverse_sde_problem at_step(std::size_t k) const {
    reverse_sde_problem p = *this;
    p.first = k * stages;
    return p;
  }

  template <class State, class Out>
  SDEKIT_HOST_DEVICE void drift(State const& x, double tau, Out& out) const {
    double const t = t0 - tau;
    State s{};
    std::size_t j = first;
    while (j < first + stages && !(times[j] == tau)) ++j;
    if (j < first + stages) slices[j](x, s);
    else score(x, t, s);
    double const f = sde.f(t), g2 = sde.g2(t);
    for (std::size_t i = 0; i < dim; ++i) out[i] = diffusion::detail::reverse_sde_drift(x[i], s[i], f, g2);
  }

  template <class State, class Out>
  SDEKIT_HOST_DEVICE void diffusion(State const&, double tau, Out& out) const {
    double const g = std::sqrt(sde.g2(t0 - tau));
    for (std::size_t i = 0; i < dim; ++i) out[i] = g;
  }

  SDEKIT_HOST_DEVICE std::size_t noise_dim(std::size_t n) const { return n; }
};

/// An additive-noise problem of zero drift and diffusion that records the times of its drift.
template <std::size_t D>
struct stage_time_recorder {
  using noise = additive_noise;
  using calculus = ito;
  using state = std::array<double, D>;
  std::vector<double>* times;
  void drift(state const&, double t, state& out) const {
    times->push_back(t);
    out = state{};
  }
  void diffusion(state const&, double, state& out) const { out = state{}; }
  std::size_t noise_dim(std::size_t n) const { return n; }
};

/// A Brownian path that never moves, for stage_time_recorder.
template <std::size_t D>
struct still_brownian_path {
  using state = std::array<double, D>;
  void increment(double, double, state& dW) const { dW = state{}; }
  void increment(double, double, state& dW, state& dZ) const { dW = dZ = state{}; }
};

/// The τ at which one step of Method from τ_k over h evaluates the drift, in its order, for each
/// grid step: step k's at [k·stages, (k + 1)·stages). Found by taking each step on the host with a
/// drift that records its times and a still Brownian path; stages is the same for every step.
template <class Method, std::size_t D>
std::vector<double> stage_times(Method const& method, std::vector<double> const& tau, std::size_t& stages) {
  using state = std::array<double, D>;
  std::vector<double> times;
  stage_time_recorder<D> const problem{&times};
  still_brownian_path<D> path;
  typename Method::template workspace<state, additive_noise> work{};
  stages = 0;
  for (std::size_t k = 0; k + 1 < tau.size(); ++k) {
    state x{};
    method.step(problem, path, x, tau[k], tau[k + 1] - tau[k], work);
    if (k == 0) stages = times.size();
    if (times.size() != (k + 1) * stages) fail("the stepper evaluates its drift a varying number of times per step");
  }
  return times;
}

/// The grid increments of a block's W samples at step k, batch_grid_brownian's: the normals
/// z(seed, sample, k·D + j) of stream 0, and for ΔZ those of stream 1, drawn when a stepper asks.
template <std::size_t W, std::size_t D>
struct reverse_sde_increments {
  sample_run const* run;
  std::size_t first;  // run index of lane 0
  std::size_t count;  // lanes that hold a sample; the others keep zeros
  std::uint64_t k = 0;
  double h = 0.0;
  bool area_drawn = false;
  double z[D][W] = {};
  double area[D][W] = {};

  SDEKIT_HOST_DEVICE void draw(std::uint64_t step, double step_size) {
    k = step;
    h = step_size;
    area_drawn = false;
    fill(z, 0);
  }

  SDEKIT_HOST_DEVICE double const (&area_normals())[D][W] {
    if (!area_drawn) fill(area, 1);
    area_drawn = true;
    return area;
  }

  SDEKIT_HOST_DEVICE void fill(double (&out)[D][W], std::uint32_t stream) const {
    philox_normal const normal(run->seed);
    for (std::size_t l = 0; l < count; ++l) {
      double v[D];
      normal.fill(run->first_sample + first + l, k * D, D, v, stream);
      for (std::size_t i = 0; i < D; ++i) out[i][l] = v[i];
    }
  }
};

/// One lane's Brownian path for the stepper, with batch_grid_brownian's increment formulas.
template <std::size_t W, std::size_t D>
struct reverse_sde_lane_brownian {
  reverse_sde_increments<W, D>* block;
  std::size_t lane;

  template <class Vector>
  SDEKIT_HOST_DEVICE void increment(double, double, Vector& dW) const {
    double const scale = std::sqrt(block->h);
    for (std::size_t j = 0; j < D; ++j) dW[j] = block->z[j][lane] * scale;
  }

  template <class Vector>
  SDEKIT_HOST_DEVICE void increment(double, double, Vector& dW, Vector& dZ) const {
    double const h = block->h;
    double const (&a)[D][W] = block->area_normals();
    for (std::size_t j = 0; j < D; ++j) {
      double const w = block->z[j][lane] * std::sqrt(h);
      dW[j] = w;
      dZ[j] = 0.5 * h * (w + std::sqrt(h / 3.0) * a[j][lane]);
    }
  }
};

/// The reverse SDE (a reverse_sde_problem) on the grid τ_k = t_0 − t_k with the stepper Method;
/// Tree: each sample on its own fixed_brownian_tree over τ ∈ [0, t_0] (then W = 1), else on its
/// grid path.
template <std::size_t W, std::size_t D, class Problem, class Method, class Slice, bool Tree>
struct reverse_sde_kernel {
  using state = std::array<double, D>;
  using work_type = typename Method::template workspace<state, additive_noise>;
  static_assert(!Tree || W == 1, "A work item carries one sample and its tree.");

  sample_run run;
  Problem problem;
  Method method;
  double const* tau;  // n + 1 of them, ascending from 0
  double tree_tolerance;
  final_denoising<Slice> final;

  SDEKIT_HOST_DEVICE void operator()(std::size_t block) const {
    sample_block<W, D> b(run, block);
    state x[W];
    work_type work[W];
    for (std::size_t l = 0; l < W; ++l)
      for (std::size_t i = 0; i < D; ++i) x[l][i] = b.x[i][l];
    if constexpr (Tree) {
      fixed_brownian_tree<D> path(run.seed, run.first_sample + b.first, 0.0, run.grid[0], tree_tolerance);
      for (std::size_t k = 0; k < run.n && !b.failed[0]; ++k) {
        method.step(problem.at_step(k), path, x[0], tau[k], tau[k + 1] - tau[k], work[0]);
        finish_step(b, x, k);
      }
    } else {
      reverse_sde_increments<W, D> noise{&run, b.first, b.count};
      for (std::size_t k = 0; k < run.n; ++k) {
        double const t = tau[k], h = tau[k + 1] - t;
        noise.draw(k, h);
        Problem const step_problem = problem.at_step(k);
        for (std::size_t l = 0; l < W; ++l) {
          reverse_sde_lane_brownian<W, D> lane{&noise, l};
          method.step(step_problem, lane, x[l], t, h, work[l]);
        }
        finish_step(b, x, k);
      }
    }
    final.apply(b);
    b.check(run, run.n + 1, run.grid[run.n]);
    b.store(run);
  }

  SDEKIT_HOST_DEVICE void finish_step(sample_block<W, D>& b, state const* x, std::size_t k) const {
    for (std::size_t l = 0; l < W; ++l)
      for (std::size_t i = 0; i < D; ++i) b.x[i][l] = x[l][i];
    b.check(run, k + 1, run.grid[k + 1]);
  }
};

/// The adaptive reverse SDE, one sample per work item; nfe[i] is sample i's count.
template <std::size_t D, class SDE, class Score, class Slice>
struct adaptive_reverse_sde_kernel {
  using state = std::array<double, D>;

  sample_run run;
  SDE sde;
  Score score;
  diffusion::adaptive_reverse_sde_options options;
  double tree_tolerance;
  std::uint64_t* nfe;
  final_denoising<Slice> final;

  SDEKIT_HOST_DEVICE void operator()(std::size_t i) const {
    sample_block<1, D> b(run, i);
    double const eps = run.grid[run.n];
    diffusion::detail::adaptive_sample_state<state> st{};
    for (std::size_t j = 0; j < D; ++j) st.x[j] = b.x[j][0];
    fixed_brownian_tree<D> path(run.seed, run.first_sample + i, 0.0, sde.T(), tree_tolerance);
    std::uint64_t evaluations = 0;
    auto score_at = [&](state const& y, double t, state& s) {
      score(y, t, s);
      ++evaluations;
    };
    diffusion::detail::adaptive_path_outcome const out =
        diffusion::detail::adaptive_sample_path(sde, score_at, path, st, eps, options, D);
    for (std::size_t j = 0; j < D; ++j) b.x[j][0] = st.x[j];
    if (out.status == solve_status::success) {
      final.apply(b);
      evaluations += final.enabled;
      b.check(run, out.accepted + 1, eps);
    } else {
      b.failed[0] = true;
      run.status[i] = out.status;
      run.failed_step[i] = out.accepted;
      run.failed_time[i] = out.t;
    }
    nfe[i] = evaluations;
    b.store(run);
  }
};

}  // namespace sdekit::detail
