// Adaptive reverse-SDE sampler with per-sample step sizes (Jolicoeur-Martineau et al. 2021,
// "Gotta Go Fast", Alg. 1). Each sample b runs its own loop from t = T to eps in the reversed time
// τ = T − t, with ΔW = W(τ + h) − W(τ) from its own Brownian path:
//   x'  = x + h(−f(t) x + g(t)² s(x, t)) + g(t) ΔW                        (Euler–Maruyama)
//   x̃  = x + h(−f(t−h) x' + g(t−h)² s(x', t−h)) + g(t−h) ΔW
//   x'' = (x' + x̃)/2                                                    (improved Euler)
//   δ = max(ε_abs, ε_rel · max(|x'|, |x'_prev|)) (mixed tolerance, element-wise),
//   E = ‖(x' − x'')/δ‖₂/√d;   accept if E ≤ 1 (x ← x'', t ← t − h, x'_prev ← x'),
//   h ← min(t − eps, θ h E^{−r}).
// One change to the paper: it redraws z after a rejection, and since E grows with |z| the accepted
// noise is biased by an O(1) amount at every tolerance (on targets::gaussian(2) with VP the sample
// variance went from 2.1 to 2.6, target 1.32, as ε_rel went from 0.05 to 0.002). Here each sample's path is a virtual
// Brownian tree, brownian_tree(seed, b, 0, T), and a rejected step asks it for the shorter interval,
// so the path never changes (Rackauckas & Nie 2017) and the samples converge as the tolerance
// shrinks. Two NFE per attempted step; the score is called on one sample at a time (each sample is
// at its own t), so NFE is counted per sample and in total. A sample depends on (seed, b) only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <sdekit/solvers/brownian_tree.hpp>
#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/detail/reproducible_exp_log.hpp>
#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/status.hpp>

#include "detail/sampler_support.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

struct adaptive_reverse_sde_options : sampler_options {
  double eps_abs = 0.0078;    ///< ε_abs, absolute tolerance (paper: 0.0078 for data in [−1, 1])
  double eps_rel = 0.05;      ///< ε_rel, relative tolerance
  double exponent = 0.9;      ///< r in h ← θ h E^{−r}
  double safety = 0.9;        ///< θ
  double h_init = 0.01;       ///< first step size
  std::size_t max_steps = 1'000'000;  ///< attempted steps per sample before giving up
  double tree_tolerance = 0.0;        ///< bisection width of the Brownian trees; 0: T·2⁻²⁰
};

/// The samples, the total NFE (batched calls, each on one sample) and per-sample counts.
struct adaptive_sample_result {
  std::vector<double> x;
  std::size_t nfe = 0;
  std::vector<std::size_t> nfe_per_sample;
  std::vector<std::size_t> accepted_per_sample;
  std::vector<std::size_t> rejected_per_sample;
};

namespace detail {

/// One sample's state in the adaptive loop: std::vector on the host, fixed-size arrays in the
/// per-sample kernels (sdekit::sample_ensemble), which run this same loop.
template <class State>
struct adaptive_sample_state {
  State x, x_prime, x_prime_prev, x_tilde, grad, dW;
  double t = 0.0;
  double h = 0.0;
};

// One attempted step of the pair; returns the scaled error E. score(x, t, out) writes ∇log p_t(x).
template <class SDE, class ScoreAt, class State>
SDEKIT_HOST_DEVICE double adaptive_attempt(SDE const& sde, ScoreAt& score, adaptive_sample_state<State>& st,
                                           adaptive_reverse_sde_options const& o, std::size_t d) {
  double const t = st.t, h = st.h, s = t - h;
  score(st.x, t, st.grad);
  double const f_t = sde.f(t), g2_t = sde.g2(t);
  for (std::size_t j = 0; j < d; ++j)
    st.x_prime[j] = st.x[j] + h * (-f_t * st.x[j] + g2_t * st.grad[j]) + std::sqrt(g2_t) * st.dW[j];
  score(st.x_prime, s, st.grad);
  double const f_s = sde.f(s), g2_s = sde.g2(s);
  double sum = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    st.x_tilde[j] = st.x[j] + h * (-f_s * st.x_prime[j] + g2_s * st.grad[j]) + std::sqrt(g2_s) * st.dW[j];
    double const x2 = 0.5 * (st.x_prime[j] + st.x_tilde[j]);
    double const a = std::fabs(st.x_prime[j]), b = std::fabs(st.x_prime_prev[j]);
    double const relative = o.eps_rel * (a < b ? b : a);
    double const delta = o.eps_abs < relative ? relative : o.eps_abs;
    double const e = (st.x_prime[j] - x2) / delta;
    sum += e * e;
    st.x_tilde[j] = x2;
  }
  return std::sqrt(sum / double(d));
}

/// How one sample's adaptive loop ended, and where a failed one stopped.
struct adaptive_path_outcome {
  solve_status status = solve_status::success;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  double t = 0.0;  ///< the time reached
};

// The loop of one sample from t = T down to eps, st.x holding x_T on entry and the sample on exit;
// path is the sample's Brownian path in τ = T − t (brownian_tree, or fixed_brownian_tree in a
// kernel). A trial state that is not finite ends the loop as non_finite_state, as solve() does.
template <class SDE, class ScoreAt, class Path, class State>
SDEKIT_HOST_DEVICE adaptive_path_outcome adaptive_sample_path(SDE const& sde, ScoreAt& score, Path& path,
                                                              adaptive_sample_state<State>& st, double eps,
                                                              adaptive_reverse_sde_options const& o, std::size_t d) {
  double const T = sde.T();
  adaptive_path_outcome out;
  for (std::size_t j = 0; j < d; ++j) st.x_prime_prev[j] = st.x[j];
  st.t = T;
  st.h = o.h_init < T - eps ? o.h_init : T - eps;
  for (std::size_t k = 0; st.t > eps; ++k) {
    out.t = st.t;
    if (k == o.max_steps) {
      out.status = solve_status::max_steps_reached;
      return out;
    }
    path.increment(T - st.t, T - st.t + st.h, st.dW);
    double const e = adaptive_attempt(sde, score, st, o, d);
    if (!(std::fabs(e) <= 1.7976931348623157e308)) {  // a NaN or ∞ in the trial states
      out.status = solve_status::non_finite_state;
      return out;
    }
    if (e <= 1.0) {
      for (std::size_t j = 0; j < d; ++j) {
        st.x[j] = st.x_tilde[j];
        st.x_prime_prev[j] = st.x_prime[j];
      }
      st.t = (st.h >= st.t - eps) ? eps : st.t - st.h;
      ++out.accepted;
    } else {
      ++out.rejected;
    }
    // E^{−r} with IEEE-only exp and log (reproducible_exp_log.hpp), so a GPU thread gets the host's bits.
    double const factor = sdekit::detail::reproducible_exp(-o.exponent * sdekit::detail::reproducible_log(e < 1e-10 ? 1e-10 : e));
    double const next = o.safety * st.h * factor;
    st.h = next < st.t - eps ? next : st.t - eps;
  }
  out.t = st.t;
  return out;
}

inline void validate_adaptive_options(adaptive_reverse_sde_options const& o) {
  sdekit::detail::require_positive("eps_abs", o.eps_abs);
  sdekit::detail::require_positive("eps_rel", o.eps_rel);
  sdekit::detail::require_positive("exponent", o.exponent);
  sdekit::detail::require_positive("h_init", o.h_init);
  if (!(o.safety > 0.0 && o.safety <= 1.0)) fail("safety = ", o.safety, " must lie in (0, 1]");
  if (o.max_steps == 0) fail("max_steps = 0 must be ≥ 1");
}

}  // namespace detail

template <class SDE, class Score>
adaptive_sample_result adaptive_reverse_sde_sample(SDE const& sde, Score const& score, double eps,
                                                   std::vector<double> x, std::uint64_t seed,
                                                   adaptive_reverse_sde_options const& options = {}) {
  double const T = sde.T();
  if (!(eps > 0.0) || !std::isfinite(eps)) detail::fail("eps = ", eps, " must be positive (sampling stops at t = eps > 0)");
  if (!(eps < T)) detail::fail("eps = ", eps, " must be below T = ", T);
  detail::validate_sampler_input(sde, std::vector<double>{T, eps}, x, score.dim());
  detail::validate_adaptive_options(options);
  std::size_t const d = score.dim(), batch = x.size() / d;
  detail::counted_score<Score> counted(score, options.first_sample);
  adaptive_sample_result result{{}, 0, std::vector<std::size_t>(batch), std::vector<std::size_t>(batch),
                                std::vector<std::size_t>(batch)};
  detail::adaptive_sample_state<std::vector<double>> st;
  for (auto* v : {&st.x, &st.x_prime, &st.x_prime_prev, &st.x_tilde, &st.dW}) v->resize(d);
  for (std::size_t b = 0; b < batch; ++b) {
    std::copy(x.begin() + b * d, x.begin() + (b + 1) * d, st.x.begin());
    std::size_t const nfe_before = counted.nfe();
    brownian_tree path(seed, options.first_sample + b, 0.0, T, options.tree_tolerance, d);
    auto score_at = [&](std::vector<double> const& y, double t, std::vector<double>& s) { counted(y, t, s, b); };
    detail::adaptive_path_outcome const out = detail::adaptive_sample_path(sde, score_at, path, st, eps, options, d);
    if (out.status != solve_status::success)
      throw solve_error(sdekit::detail::concat("adaptive sampler: sample ", options.first_sample + b, " stopped (",
                                               to_string(out.status), ") at t = ", out.t, " after ", out.accepted,
                                               " accepted steps", out.status == solve_status::max_steps_reached
                                                   ? sdekit::detail::concat(" (max_steps = ", options.max_steps, ")")
                                                   : std::string()));
    result.accepted_per_sample[b] = out.accepted;
    result.rejected_per_sample[b] = out.rejected;
    if (options.final_denoise) detail::final_denoise(sde, counted, eps, st.x, b);
    std::copy(st.x.begin(), st.x.end(), x.begin() + b * d);
    result.nfe_per_sample[b] = counted.nfe() - nfe_before;
  }
  result.x = std::move(x);
  result.nfe = counted.nfe();
  return result;
}

}  // namespace sdekit::diffusion
