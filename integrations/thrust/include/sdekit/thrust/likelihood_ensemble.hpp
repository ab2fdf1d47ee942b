// pf_ode_log_likelihood(policy, sde, score, x, options): the PF-ODE log-likelihood of
// likelihood.hpp with each point solved on its own, by the ensemble's adaptive dormand_prince5 with
// the PI controller, under the caller's execution policy (thrust::cpp::par, omp::par, tbb::par,
// cuda::par under nvcc). Each point takes its own steps, so its log p depends on the point alone,
// never on the batch, the split or the backend (the batched solve shares one step size).
//
// The augmented state (x, Δlog p) has D + 1 components, dz/dt = (v(x, t), ∇·v(x, t)), with
// v = f x − ½ g² s and ∇·v = D f − ½ g² ∇·s, from (α_ε x, 0) at ε to t_end. The score is a
// per-sample score of dimension Score::dim with the exact divergence, score_and_divergence(x, t, s)
// (gaussian_mixture_kernel_score has it); Hutchinson's estimator runs batched. The terms are the
// batched ones: prior, integral, and the truncation term at (α_ε x, ε). A point whose solve fails
// reports its status, step and time, and NaN terms; the others finish.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/likelihood.hpp>
#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/step_size_controller.hpp>

#include "host_backend.hpp"
#include "solve_ensemble.hpp"

namespace sdekit {

namespace detail {

/// dz/dt of the augmented PF-ODE, z = (x, Δlog p).
template <class SDE, class Score>
struct augmented_probability_flow {
  SDE sde;
  Score score;

  template <class State, class Out>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE void operator()(State const& z, double t, Out& dz) const {
    constexpr std::size_t d = Score::dim;
    std::array<double, d> x, s;
    for (std::size_t i = 0; i < d; ++i) x[i] = z[i];
    double const trace = score.score_and_divergence(x, t, s);
    double const ft = sde.f(t), half_g2 = 0.5 * sde.g2(t);
    for (std::size_t i = 0; i < d; ++i) dz[i] = ft * x[i] - half_g2 * s[i];
    dz[d] = double(d) * ft - half_g2 * trace;
  }
};

}  // namespace detail

template <class Policy, class SDE, class Score,
          class = std::enable_if_t<!std::is_same_v<std::decay_t<Policy>, host_backend>>>
diffusion::likelihood_result pf_ode_log_likelihood(Policy&& policy, SDE const& sde, Score const& score,
                                                   std::vector<double> const& x,
                                                   diffusion::likelihood_options const& options = {}) {
  static_assert(diffusion::is_forward_sde_v<SDE>, "pf_ode_log_likelihood needs a forward SDE (see forward_sde.hpp).");
  constexpr std::size_t d = Score::dim;
  std::size_t const batch = diffusion::detail::batch_size(x, d);
  if (batch == 0) detail::fail("x is empty: give at least one point");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) detail::fail("x[", i, "] = ", x[i], " must be finite");
  if (options.divergence == diffusion::divergence_estimator::hutchinson)
    detail::fail("divergence = hutchinson runs batched (diffusion::pf_ode_log_likelihood); per-sample kernels take the "
         "score's exact divergence");
  double const t_end = diffusion::detail::validate_likelihood_options(sde, options, false);

  double const eps = options.eps, alpha_eps = sde.alpha(eps), sigma_eps = sde.sigma(eps);
  diffusion::likelihood_result r;
  r.truncation_term.resize(batch);
  std::vector<std::array<double, d + 1>> z0(batch);
  for (std::size_t b = 0; b < batch; ++b) {
    std::array<double, d> x_eps, s;
    for (std::size_t i = 0; i < d; ++i) z0[b][i] = x_eps[i] = alpha_eps * x[b * d + i];
    z0[b][d] = 0.0;
    double const trace = score.score_and_divergence(x_eps, eps, s);
    double s2 = 0.0;
    for (std::size_t i = 0; i < d; ++i) s2 += s[i] * s[i];
    r.truncation_term[b] = double(d) * std::log(alpha_eps) - 0.5 * sigma_eps * sigma_eps * (trace + s2);
  }

  solve_options<pi_controller> solve_opts;
  solve_opts.controller.rtol = options.rtol;
  solve_opts.controller.atol = options.atol;
  solve_opts.max_steps = options.max_steps;
  auto const sol = solve_ensemble(std::forward<Policy>(policy),
                                  ode(detail::augmented_probability_flow<SDE, Score>{sde, score}), dormand_prince5{},
                                  no_brownian{}, batch, {eps, t_end}, 1e-3 * (t_end - eps), z0, solve_opts);

  r.x_T.resize(batch * d);
  r.integral_term.resize(batch);
  for (std::size_t b = 0; b < batch; ++b) {
    for (std::size_t i = 0; i < d; ++i) r.x_T[b * d + i] = sol.final_value(b, i);
    r.integral_term[b] = sol.final_value(b, d);
  }
  r.prior_term = diffusion::prior_log_density(sde, r.x_T, d);
  r.log_p.resize(batch);
  r.standard_error.assign(batch, 0.0);
  double evaluations = 0.0, steps = 0.0;
  for (std::size_t b = 0; b < batch; ++b) {
    r.log_p[b] = r.prior_term[b] + r.integral_term[b] + r.truncation_term[b];
    evaluations += 1.0 + 6.0 * double(sol.accepted_steps[b] + sol.rejected_steps[b]);  // first same as last
    steps += double(sol.accepted_steps[b]);
  }
  if (options.terminal_log_density) {
    std::vector<double> const exact_p_T = options.terminal_log_density(r.x_T);
    if (exact_p_T.size() != batch)
      detail::fail("terminal_log_density returned ", exact_p_T.size(), " values for a batch of ", batch);
    r.prior_mismatch.resize(batch);
    for (std::size_t b = 0; b < batch; ++b) r.prior_mismatch[b] = exact_p_T[b] - r.prior_term[b];
  }
  // Per point: the evaluations of its own solve (each one score-and-divergence call) and the
  // truncation term's; rhs_evaluations is the total over the points.
  r.nfe = std::size_t(evaluations / double(batch) + 0.5) + 1;
  r.rhs_evaluations = std::size_t(evaluations);
  r.steps = std::size_t(steps / double(batch) + 0.5);
  r.status = sol.status;
  r.failed_step = sol.failed_step;
  r.failed_time = sol.failed_time;
  return r;
}

template <class SDE, class Score>
diffusion::likelihood_result pf_ode_log_likelihood(host_backend const& backend, SDE const& sde, Score const& score,
                                                   std::vector<double> const& x,
                                                   diffusion::likelihood_options const& options = {}) {
  return with_host_backend(backend,
                           [&](auto const& policy) { return pf_ode_log_likelihood(policy, sde, score, x, options); });
}

}  // namespace sdekit
