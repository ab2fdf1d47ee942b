// The reverse-time SDE (Anderson 1982; Song et al. 2021, ICLR, eq. 6) solved with any solver-layer
// SDE stepper. In the reversed time τ = t_0 − t it is an additive-noise Itô SDE,
//   dx = [−f(t) x + g(t)² ∇log p_t(x)] dτ + g(t) dW_τ,
// solved by sdekit::solve one grid interval at a time on per-sample Brownian paths: a grid path
// (batch_grid_brownian, default) or a virtual Brownian tree per sample (batch_brownian_tree), so a
// sample depends on (seed, b) only. Order: the stepper's for additive noise (Euler–Maruyama: strong
// 1, weak 1; SRA schemes: strong 1.5); NFE per step: the stepper's drift evaluations.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/euler_maruyama.hpp>
#include <sdekit/solvers/noise.hpp>
#include <sdekit/solvers/problem.hpp>
#include <sdekit/solvers/solve.hpp>

#include "batch_brownian_tree.hpp"
#include "batch_grid_brownian.hpp"
#include "detail/sampler_support.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

enum class reverse_sde_brownian { grid, tree };

struct reverse_sde_options : sampler_options {
  reverse_sde_brownian brownian = reverse_sde_brownian::grid;
  double tree_tolerance = 0.0;  ///< bisection width of the trees; 0: brownian_tree's default
};

namespace detail {

/// The drift of the reverse SDE in τ for one component, −f(t) x + g(t)² s; the batched problem
/// and the per-sample kernels (sdekit::sample_ensemble) share it.
SDEKIT_HOST_DEVICE inline double reverse_sde_drift(double x, double score, double f, double g2) {
  return -f * x + g2 * score;
}

/// The reverse SDE in τ = t_0 − t as a solver-layer problem whose drift calls the counted score.
template <class SDE, class Score>
auto reverse_sde_problem(SDE const& sde, counted_score<Score>& score, double t0, std::vector<double>& grad) {
  auto drift = [&sde, &score, &grad, t0](auto const& x, double tau, auto& out) {
    double const t = t0 - tau;
    score(x, t, grad);
    double const f = sde.f(t), g2 = sde.g2(t);
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = reverse_sde_drift(x[i], grad[i], f, g2);
  };
  auto diffusion = [&sde, t0](auto const& x, double tau, auto& out) {
    double const g = std::sqrt(sde.g2(t0 - tau));
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = g;
  };
  return sdekit::sde<additive_noise>(drift, diffusion);
}

template <class Problem, class Stepper, class Brownian>
void solve_on_grid(Problem const& problem, Stepper const& stepper, Brownian& brownian,
                   std::vector<double> const& tau, std::vector<double>& x) {
  for (std::size_t k = 0; k + 1 < tau.size(); ++k)
    x = sdekit::solve(problem, stepper, brownian, {tau[k], tau[k + 1]}, tau[k + 1] - tau[k], x).value();
}

}  // namespace detail

template <class SDE, class Score, class Stepper = euler_maruyama>
sample_result reverse_sde_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                                 std::vector<double> x, std::uint64_t seed, reverse_sde_options const& options = {},
                                 Stepper const& stepper = Stepper()) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  detail::counted_score<Score> counted(score, options.first_sample);
  std::vector<double> grad;
  auto const problem = detail::reverse_sde_problem(sde, counted, grid.front(), grad);
  std::vector<double> tau(grid.size());
  for (std::size_t k = 0; k < grid.size(); ++k) tau[k] = grid.front() - grid[k];
  if (options.brownian == reverse_sde_brownian::grid) {
    batch_grid_brownian brownian(seed, options.first_sample, score.dim(), tau);
    detail::solve_on_grid(problem, stepper, brownian, tau, x);
  } else {
    // The trees span τ ∈ [0, t_0], t from t_0 down to 0, so the path does not depend on eps.
    batch_brownian_tree brownian(seed, options.first_sample, score.dim(), 0.0, grid.front(), options.tree_tolerance);
    detail::solve_on_grid(problem, stepper, brownian, tau, x);
  }
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
