// The reverse-time SDE and the probability-flow ODE of a forward SDE dx = f(t) x dt + g(t) dW with
// a score s(x, t) ≈ ∇log p_t (Song et al. 2021, ICLR, eqs. 6 and 13; Anderson 1982):
//   reverse SDE:  dx = [f(t) x − g(t)² s(x, t)] dt + g(t) dW̄   (integrated from T down to ε)
//   PF-ODE:       dx/dt = f(t) x − ½ g(t)² s(x, t)
// whose marginals are the same p_t. The divergence of the PF-ODE field is d·f(t) − ½ g(t)² ∇·s,
// exact when the score provides divergence(x, t, out). Everything here works on a batch
// (B samples of dimension d, row-major) with one batched score call per evaluation.
#pragma once

#include <cstddef>
#include <vector>

#include <sdekit/solvers/problem.hpp>

#include "forward_sde.hpp"
#include "score.hpp"

namespace sdekit::diffusion {

namespace detail {

// out ← f(t) x − c · g2(t) · out, with out holding the score at (x, t).
template <class SDE>
void drift_from_score(SDE const& sde, std::vector<double> const& x, double t, double c, std::vector<double>& out) {
  double const ft = sde.f(t);
  double const cg2 = c * sde.g2(t);
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = ft * x[i] - cg2 * out[i];
}

}  // namespace detail

/// out = f(t) x − g(t)² s(x, t): the drift of the reverse-time SDE (one score call).
template <class SDE, class Score>
void reverse_sde_drift(SDE const& sde, Score const& score, std::vector<double> const& x, double t,
                       std::vector<double>& out) {
  static_assert(is_forward_sde_v<SDE>, "reverse_sde_drift needs a forward SDE (see forward_sde.hpp).");
  evaluate_score(score, x, t, out);
  detail::drift_from_score(sde, x, t, 1.0, out);
}

/// out = f(t) x − ½ g(t)² s(x, t): the PF-ODE field (one score call).
template <class SDE, class Score>
void pf_ode_drift(SDE const& sde, Score const& score, std::vector<double> const& x, double t,
                  std::vector<double>& out) {
  static_assert(is_forward_sde_v<SDE>, "pf_ode_drift needs a forward SDE (see forward_sde.hpp).");
  evaluate_score(score, x, t, out);
  detail::drift_from_score(sde, x, t, 0.5, out);
}

/// out_b = d·f(t) − ½ g(t)² ∇·s(x_b, t): the exact divergence of the PF-ODE field per sample, for a
/// score that provides divergence(x, t, out).
template <class SDE, class Score>
void pf_ode_divergence(SDE const& sde, Score const& score, std::vector<double> const& x, double t,
                       std::vector<double>& out) {
  static_assert(has_divergence_v<Score>,
                "pf_ode_divergence needs a score with divergence(x, t, out); use Hutchinson's estimator "
                "(likelihood.hpp) for other scores.");
  std::size_t const d = score.dim();
  std::size_t const batch = detail::batch_size(x, d);
  score.divergence(x, t, out);
  if (out.size() != batch)
    sdekit::detail::fail("score divergence wrote ", out.size(), " values for a batch of ", batch, " at t = ", t);
  require_finite_batch("score divergence", out, 1, t);
  double const dft = double(d) * sde.f(t);
  double const half_g2 = 0.5 * sde.g2(t);
  for (double& v : out) v = dft - half_g2 * v;
}

/// The PF-ODE as a solver-layer ODE problem on a batch state std::vector<double> (B·d values).
/// It holds copies of sde and score.
template <class SDE, class Score>
auto pf_ode_problem(SDE const& sde, Score const& score) {
  static_assert(is_forward_sde_v<SDE>, "pf_ode_problem needs a forward SDE (see forward_sde.hpp).");
  static_assert(is_score_v<Score>, "pf_ode_problem needs a score (see score.hpp).");
  return sdekit::ode([sde, score](std::vector<double> const& x, double t, std::vector<double>& dxdt) {
    pf_ode_drift(sde, score, x, t, dxdt);
  });
}

}  // namespace sdekit::diffusion
