// pf_ode_log_likelihood(policy, sde, score, x, options): the PF-ODE log-likelihood of
// likelihood.hpp with each point solved on its own, by the ensemble's adaptive dormand_prince5 with
// the PI controller, under the caller's execution policy (thrust::cpp::par, omp::par, tbb::par,
// cuda::par under nvcc). Each point takes its own steps, so its log p depends on the point alone,
// never on the batch, the split or the backend (the batched solve shares one step size).
//
// The augmented state (x, Δlog p) has D + 1 components, dz/dt = (v(x, t), ∇·v(x, t)), with
// v = f x − ½ g² s and ∇·v = D f − ½ g² ∇·s, from (α_ε x, 0) at ε to t_end. The score is a
// per-sample score of dimension Score::dim, operator()(x, t, s) on std::array states. The
// divergence ∇·s is the score's exact one when it has score_and_divergence(x, t, s)
// (gaussian_mixture_kernel_score does), or Hutchinson's estimator with the batched likelihood's
// probes and central difference, each (point, probe) a solve of its own (hutchinson_log_likelihood).
// The terms are the batched ones: prior, integral, and the truncation term at (α_ε x, ε). A point
// whose solve fails reports its status, step and time, and NaN terms; the others finish.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/likelihood.hpp>
#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/philox_normal.hpp>
#include <sdekit/solvers/status.hpp>
#include <sdekit/solvers/step_size_controller.hpp>

#include "host_backend.hpp"
#include "parametrized_sde.hpp"
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

namespace detail {

template <class Score, class = void>
struct has_score_and_divergence : std::false_type {};
template <class Score>
struct has_score_and_divergence<
    Score, std::void_t<decltype(std::declval<Score const&>().score_and_divergence(
               std::declval<std::array<double, Score::dim> const&>(), 0.0, std::declval<std::array<double, Score::dim>&>()))>>
    : std::true_type {};

/// dz/dt of the augmented PF-ODE with Hutchinson's estimate vᵀ(∇s)v of one probe v, the
/// batched likelihood's central difference: vᵀ(s(x + δv) − s(x − δv))/(2δ).
template <class SDE, class Score>
struct hutchinson_probability_flow {
  SDE sde;
  Score score;
  double delta;

  template <class State, class Probe, class Out>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE void operator()(State const& z, double t, Probe const& v, Out& dz) const {
    constexpr std::size_t d = Score::dim;
    std::array<double, d> x, s;
    for (std::size_t i = 0; i < d; ++i) x[i] = z[i];
    score(x, t, s);
    double const trace = estimate(x, t, v);
    double const ft = sde.f(t), half_g2 = 0.5 * sde.g2(t);
    for (std::size_t i = 0; i < d; ++i) dz[i] = ft * x[i] - half_g2 * s[i];
    dz[d] = double(d) * ft - half_g2 * trace;
  }

  template <class Probe>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double estimate(std::array<double, Score::dim> const& x, double t, Probe const& v) const {
    constexpr std::size_t d = Score::dim;
    std::array<double, d> plus, minus, s_plus, s_minus;
    for (std::size_t j = 0; j < d; ++j) {
      double const dv = delta * v[j];
      plus[j] = x[j] + dv;
      minus[j] = x[j] - dv;
    }
    score(plus, t, s_plus);
    score(minus, t, s_minus);
    double vjv = 0.0;
    for (std::size_t j = 0; j < d; ++j) vjv += v[j] * (s_plus[j] - s_minus[j]);
    return vjv / (2.0 * delta);
  }
};

template <class Result>
void fill_counts(Result& r, std::vector<std::uint64_t> const& accepted, std::vector<std::uint64_t> const& rejected,
                 std::size_t evaluations_per_try, std::size_t evaluations_at_eps, std::size_t points) {
  double evaluations = 0.0, steps = 0.0;
  for (std::size_t p = 0; p < accepted.size(); ++p) {
    evaluations += double(1 + 6 * (accepted[p] + rejected[p])) * double(evaluations_per_try);  // first same as last
    steps += double(accepted[p]);
  }
  // Per point: the score evaluations of its own solves and of its truncation term;
  // rhs_evaluations is the total of right-hand sides over the points.
  r.nfe = std::size_t(evaluations / double(points) + 0.5) + evaluations_at_eps;
  r.rhs_evaluations = std::size_t(evaluations / double(evaluations_per_try));
  r.steps = std::size_t(steps / double(accepted.size()) + 0.5);
}

inline solve_options<pi_controller> likelihood_solve_options(diffusion::likelihood_options const& options) {
  solve_options<pi_controller> o;
  o.controller.rtol = options.rtol;
  o.controller.atol = options.atol;
  o.max_steps = options.max_steps;
  return o;
}

/// The per-point likelihood with the score's exact divergence: one solve of D + 1 components per point.
template <class Policy, class SDE, class Score>
diffusion::likelihood_result exact_log_likelihood(Policy&& policy, SDE const& sde, Score const& score,
                                                  std::vector<double> const& x, double t_end,
                                                  diffusion::likelihood_options const& options) {
  constexpr std::size_t d = Score::dim;
  std::size_t const batch = x.size() / d;
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
  auto const sol = solve_ensemble(std::forward<Policy>(policy),
                                  ode(augmented_probability_flow<SDE, Score>{sde, score}), dormand_prince5{},
                                  no_brownian{}, batch, {eps, t_end}, 1e-3 * (t_end - eps), z0,
                                  likelihood_solve_options(options));
  r.x_T.resize(batch * d);
  r.integral_term.resize(batch);
  for (std::size_t b = 0; b < batch; ++b) {
    for (std::size_t i = 0; i < d; ++i) r.x_T[b * d + i] = sol.final_value(b, i);
    r.integral_term[b] = sol.final_value(b, d);
  }
  r.prior_term = diffusion::prior_log_density(sde, r.x_T, d);
  r.log_p.resize(batch);
  r.standard_error.assign(batch, 0.0);
  for (std::size_t b = 0; b < batch; ++b) r.log_p[b] = r.prior_term[b] + r.integral_term[b] + r.truncation_term[b];
  fill_counts(r, sol.accepted_steps, sol.rejected_steps, 1, 1, batch);
  r.status = sol.status;
  r.failed_step = sol.failed_step;
  r.failed_time = sol.failed_time;
  return r;
}

/// Hutchinson's probes of the batched likelihood: v_{b,k,j} = z(seed, first_point + b, k·d + j, hutchinson_stream),
/// or its sign for Rademacher probes; probe (b, k) at b·K + k.
template <std::size_t D>
std::vector<std::array<double, D>> hutchinson_probes(std::size_t batch, diffusion::likelihood_options const& options) {
  philox_normal const normal(options.seed);
  std::size_t const K = options.probes;
  std::vector<std::array<double, D>> v(batch * K);
  std::vector<double> z(K * D);
  for (std::size_t b = 0; b < batch; ++b) {
    normal.fill(options.first_point + b, 0, K * D, z.data(), diffusion::hutchinson_stream);
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t j = 0; j < D; ++j) {
        double const zj = z[k * D + j];
        v[b * K + k][j] = options.probe == diffusion::probe_distribution::rademacher ? (zj < 0.0 ? -1.0 : 1.0) : zj;
      }
  }
  return v;
}

/// The per-point likelihood with Hutchinson's estimator: each (point b, probe k) is its own solve of
/// D + 1 components, path b·K + k, so that estimate k of point b depends on (b, k) alone. Estimate
/// k is log π(x_T^{(k)}) + ∫ ∇·v + truncation term, all with probe k; log_p is the mean over the
/// probes, standard_error their standard deviation over √K, and x_T the mean of the K end points.
template <class Policy, class SDE, class Score>
diffusion::likelihood_result hutchinson_log_likelihood(Policy&& policy, SDE const& sde, Score const& score,
                                                       std::vector<double> const& x, double t_end,
                                                       diffusion::likelihood_options const& options) {
  constexpr std::size_t d = Score::dim;
  std::size_t const batch = x.size() / d, K = options.probes, paths = batch * K;
  double const eps = options.eps, alpha_eps = sde.alpha(eps), sigma_eps = sde.sigma(eps);
  hutchinson_probability_flow<SDE, Score> const flow{sde, score, options.fd_step};
  std::vector<std::array<double, d>> const probes = hutchinson_probes<d>(batch, options);
  std::vector<std::array<double, d + 1>> z0(paths);
  std::vector<double> truncation(paths);
  for (std::size_t b = 0; b < batch; ++b) {
    std::array<double, d> x_eps, s;
    for (std::size_t i = 0; i < d; ++i) x_eps[i] = alpha_eps * x[b * d + i];
    score(x_eps, eps, s);
    double s2 = 0.0;
    for (std::size_t i = 0; i < d; ++i) s2 += s[i] * s[i];
    for (std::size_t k = 0; k < K; ++k) {
      std::size_t const p = b * K + k;
      for (std::size_t i = 0; i < d; ++i) z0[p][i] = x_eps[i];
      z0[p][d] = 0.0;
      truncation[p] = double(d) * std::log(alpha_eps) - 0.5 * sigma_eps * sigma_eps * (flow.estimate(x_eps, eps, probes[p]) + s2);
    }
  }
  auto const sol = solve_ensemble(
      std::forward<Policy>(policy),
      with_parameters(parametrized_ode(flow), probes),
      dormand_prince5{}, no_brownian{}, paths, {eps, t_end}, 1e-3 * (t_end - eps), z0,
      likelihood_solve_options(options));

  std::vector<double> end(paths * d);
  for (std::size_t p = 0; p < paths; ++p)
    for (std::size_t i = 0; i < d; ++i) end[p * d + i] = sol.final_value(p, i);
  std::vector<double> const prior = diffusion::prior_log_density(sde, end, d);
  diffusion::likelihood_result r;
  for (auto* v : {&r.log_p, &r.standard_error, &r.prior_term, &r.integral_term, &r.truncation_term}) v->assign(batch, 0.0);
  r.x_T.assign(batch * d, 0.0);
  r.status.assign(batch, solve_status::success);
  r.failed_step.assign(batch, 0);
  r.failed_time.assign(batch, 0.0);
  double const kk = double(K);
  for (std::size_t b = 0; b < batch; ++b) {
    double sum = 0.0, sum2 = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      std::size_t const p = b * K + k;
      if (sol.status[p] != solve_status::success && r.status[b] == solve_status::success) {
        r.status[b] = sol.status[p];
        r.failed_step[b] = sol.failed_step[p];
        r.failed_time[b] = sol.failed_time[p];
      }
      double const integral = sol.final_value(p, d), estimate = prior[p] + integral + truncation[p];
      r.prior_term[b] += prior[p] / kk;
      r.integral_term[b] += integral / kk;
      r.truncation_term[b] += truncation[p] / kk;
      for (std::size_t i = 0; i < d; ++i) r.x_T[b * d + i] += end[p * d + i] / kk;
      sum += estimate;
      sum2 += estimate * estimate;
    }
    r.log_p[b] = sum / kk;
    r.standard_error[b] = std::sqrt(std::max(0.0, (sum2 - sum * sum / kk) / (kk - 1.0)) / kk);
  }
  fill_counts(r, sol.accepted_steps, sol.rejected_steps, 3, 1 + 2 * K, batch);
  return r;
}

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
  constexpr bool has_exact = detail::has_score_and_divergence<Score>::value;
  if (options.divergence == diffusion::divergence_estimator::exact && !has_exact)
    detail::fail("divergence = exact needs a score with score_and_divergence(x, t, s); this score has none, so use "
                 "divergence_estimator::hutchinson");
  bool const exact = has_exact && options.divergence != diffusion::divergence_estimator::hutchinson;
  double const t_end = diffusion::detail::validate_likelihood_options(sde, options, !exact);
  diffusion::likelihood_result r;
  if constexpr (has_exact) {
    if (exact) r = detail::exact_log_likelihood(std::forward<Policy>(policy), sde, score, x, t_end, options);
  }
  if (!exact) r = detail::hutchinson_log_likelihood(std::forward<Policy>(policy), sde, score, x, t_end, options);
  for (std::size_t b = 0; b < batch; ++b)
    if (r.status[b] != solve_status::success) {
      r.log_p[b] = r.prior_term[b] = r.integral_term[b] = r.truncation_term[b] = std::numeric_limits<double>::quiet_NaN();
    }
  if (options.terminal_log_density) {
    std::vector<double> const exact_p_T = options.terminal_log_density(r.x_T);
    if (exact_p_T.size() != batch)
      detail::fail("terminal_log_density returned ", exact_p_T.size(), " values for a batch of ", batch);
    r.prior_mismatch.resize(batch);
    for (std::size_t b = 0; b < batch; ++b) r.prior_mismatch[b] = exact_p_T[b] - r.prior_term[b];
  }
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
