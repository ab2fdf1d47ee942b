// Log-likelihoods through the probability-flow ODE (Song et al. 2021, ICLR, §4.3 and App. D.2;
// Chen et al. 2018 and Grathwohl et al. 2019 for the augmented ODE). Along the PF-ODE
// dx/dt = v(x, t) = f(t) x − ½ g(t)² s(x, t) the density obeys d log p_t(x_t)/dt = −∇·v, so
//
//   log p_0(x) ≈ log π(x_T)  +  ∫_ε^T ∇·v(x_t, t) dt  +  [d log α_ε − ½ σ_ε² (∇·s + |s|²)](x_ε, ε)
//                prior term       integral term            truncation term
//
// with x_ε = α_ε x, ∇·v = d·f(t) − ½ g(t)² ∇·s, and π = N(0, prior_sigma² I). The augmented state
// (x, Δlog p) is integrated from ε to T by Dormand–Prince 5(4) with dense output (Odeint, through
// sdekit::solve) at the given rtol and atol.
//
// The truncation term replaces p_0 by p_ε: since p_ε(α y) = α^{−d} (p_0 ∗ N(0, τ² I))(y), τ = σ_ε/α_ε,
// and log(p_0 ∗ N(0, τ²I)) = log p_0 + ½ τ² (Δlog p_0 + |∇log p_0|²) + O(τ⁴), its error is
// O((σ_ε/α_ε)⁴) for a smooth p_0 (10⁻¹² for VP at ε = 10⁻⁵).
//
// The divergence ∇·s is exact when the score provides divergence(x, t, out) (the Gaussian-mixture
// score does), else Hutchinson's estimator with K probes v (Rademacher or Gaussian, drawn from
// Philox with a fixed seed and kept for the whole trajectory): ∇·s ≈ vᵀ J v, with vᵀJ from the
// score's vector_jacobian_product when it has one (autograd for TorchScript models), else the central
// difference J v ≈ (s(x + δv) − s(x − δv))/(2δ), δ = fd_step = 10⁻⁵ by default (error
// O(δ² ∂³s) + O(ε_mach |s|/δ)). Each probe gives one estimate of log p; log_p is their mean and
// standard_error their standard deviation / √K.
//
// bits_per_dim converts log p of 8-bit data, uniformly dequantized and rescaled, into bits per dimension.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include <boost/numeric/odeint.hpp>

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/ode_solve.hpp>
#include <sdekit/solvers/philox_normal.hpp>
#include <sdekit/solvers/problem.hpp>
#include <sdekit/solvers/status.hpp>
#include <sdekit/solvers/step_size_controller.hpp>

#include "forward_sde.hpp"
#include "score.hpp"

namespace sdekit::diffusion {

enum class divergence_estimator {
  automatic,   ///< exact when the score provides divergence(x, t, out), else Hutchinson
  exact,       ///< the score's divergence(x, t, out); refused for scores without one
  hutchinson,  ///< Hutchinson's trace estimator with finite-difference Jacobian–vector products
};

enum class probe_distribution { rademacher, gaussian };

/// The Philox streams of Hutchinson's probes and of the dequantization noise.
inline constexpr std::uint32_t hutchinson_stream = 5;
inline constexpr std::uint32_t dequantization_stream = 6;

struct likelihood_options {
  double eps = 1e-5;    ///< the ODE starts at ε > 0
  double t_end = 0.0;   ///< and ends at t_end ∈ (ε, T]; 0 means T
  double rtol = 1e-6;   ///< Dormand–Prince tolerances (Odeint's meaning, see ode_solve.hpp)
  double atol = 1e-6;
  divergence_estimator divergence = divergence_estimator::automatic;
  std::size_t probes = 8;                               ///< Hutchinson's K ≥ 2
  probe_distribution probe = probe_distribution::rademacher;
  std::uint64_t seed = 0;          ///< probe v_{b,k,j} = z(seed, first_point + b, k·d + j, hutchinson_stream)
  std::uint64_t first_point = 0;   ///< the index of the batch's first point in a larger run (its probes' path)
  double fd_step = 1e-5;                                ///< δ of the central-difference Jacobian–vector product
  std::size_t max_steps = 1'000'000;
  /// Optional exact log p_T (e.g. the mixture's own), to report the prior mismatch.
  std::function<std::vector<double>(std::vector<double> const&)> terminal_log_density{};
};

/// Per-sample terms; log_p = prior_term + integral_term + truncation_term.
struct likelihood_result {
  std::vector<double> log_p;
  std::vector<double> standard_error;   ///< over Hutchinson's probes; 0 with the exact divergence
  std::vector<double> prior_term;       ///< log π(x_T), π = N(0, prior_sigma² I)
  std::vector<double> integral_term;    ///< ∫_ε^T ∇·v dt
  std::vector<double> truncation_term;  ///< d log α_ε − ½ σ_ε² (∇·s + |s|²) at (α_ε x, ε)
  std::vector<double> prior_mismatch;   ///< log p_T(x_T) − log π(x_T), when terminal_log_density is given
  std::vector<double> x_T;              ///< the end points of the PF-ODE
  std::size_t nfe = 0;                  ///< batched calls to the score (and to its divergence)
  std::size_t rhs_evaluations = 0;      ///< evaluations of the augmented ODE's right-hand side
  std::size_t steps = 0;                ///< accepted Dormand–Prince steps
  /// Per-sample runs (sdekit::pf_ode_log_likelihood with a policy): each sample's status, and
  /// where a failed one stopped (accepted steps, time); its terms are NaN. Empty for the batched run.
  std::vector<solve_status> status;
  std::vector<std::uint64_t> failed_step;
  std::vector<double> failed_time;
};

namespace detail {

// ∇·s for each (sample b, probe k), stored at b·K + k, and the score itself, with NFE counted.
template <class Score>
class score_divergence {
 public:
  score_divergence(Score const& score, std::size_t d, std::size_t batch, bool exact, likelihood_options const& options)
      : score_(score), d_(d), batch_(batch), probes_(exact ? 1 : options.probes), exact_(exact),
        delta_(options.fd_step) {
    if (!exact_) draw_probes(options);
  }

  std::size_t probes() const { return probes_; }
  std::size_t nfe() const { return nfe_; }

  void operator()(std::vector<double> const& x, double t, std::vector<double>& s, std::vector<double>& div) {
    evaluate_score(score_, x, t, s);
    ++nfe_;
    if (exact_) exact_divergence(x, t, div);
    else hutchinson(x, t, div);
  }

 private:
  void exact_divergence(std::vector<double> const& x, double t, std::vector<double>& div) {
    if constexpr (has_divergence_v<Score>) {
      score_.divergence(x, t, div);
      ++nfe_;
      if (div.size() != batch_)
        sdekit::detail::fail("score divergence wrote ", div.size(), " values for a batch of ", batch_, " at t = ", t);
      require_finite_batch("score divergence", div, 1, t);
    }
  }

  // vᵀJv from the score's own vector–Jacobian product when it has one (one call per probe),
  // else by central differences: rows (k·B + b)·2 + 0/1 of the perturbed batch hold x_b + δv and
  // x_b − δv, one score call for all probes.
  void hutchinson(std::vector<double> const& x, double t, std::vector<double>& div) {
    if constexpr (has_vector_jacobian_product_v<Score>) {
      hutchinson_by_vjp(x, t, div);
      return;
    }
    std::size_t const rows = probes_ * batch_;
    perturbed_.resize(2 * rows * d_);
    for (std::size_t k = 0; k < probes_; ++k)
      for (std::size_t b = 0; b < batch_; ++b)
        for (std::size_t j = 0; j < d_; ++j) {
          double const dv = delta_ * v_[(b * probes_ + k) * d_ + j];
          std::size_t const row = 2 * (k * batch_ + b);
          perturbed_[row * d_ + j] = x[b * d_ + j] + dv;
          perturbed_[(row + 1) * d_ + j] = x[b * d_ + j] - dv;
        }
    evaluate_score(score_, perturbed_, t, perturbed_score_);
    ++nfe_;
    div.resize(rows);
    for (std::size_t k = 0; k < probes_; ++k)
      for (std::size_t b = 0; b < batch_; ++b) {
        std::size_t const row = 2 * (k * batch_ + b);
        double vjv = 0.0;
        for (std::size_t j = 0; j < d_; ++j)
          vjv += v_[(b * probes_ + k) * d_ + j] * (perturbed_score_[row * d_ + j] - perturbed_score_[(row + 1) * d_ + j]);
        div[b * probes_ + k] = vjv / (2.0 * delta_);
      }
  }

  void hutchinson_by_vjp(std::vector<double> const& x, double t, std::vector<double>& div) {
    div.resize(probes_ * batch_);
    probe_.resize(batch_ * d_);
    for (std::size_t k = 0; k < probes_; ++k) {
      for (std::size_t b = 0; b < batch_; ++b)
        std::copy_n(&v_[(b * probes_ + k) * d_], d_, &probe_[b * d_]);
      score_.vector_jacobian_product(x, t, probe_, perturbed_score_);
      ++nfe_;
      for (std::size_t b = 0; b < batch_; ++b) {
        double vjv = 0.0;
        for (std::size_t j = 0; j < d_; ++j) vjv += perturbed_score_[b * d_ + j] * probe_[b * d_ + j];
        div[b * probes_ + k] = vjv;
      }
    }
    require_finite_batch("score vector-Jacobian product", div, probes_, t);
  }

  void draw_probes(likelihood_options const& options) {
    philox_normal const normal(options.seed);
    v_.resize(batch_ * probes_ * d_);
    for (std::size_t b = 0; b < batch_; ++b) {
      normal.fill(options.first_point + b, 0, probes_ * d_, &v_[b * probes_ * d_], hutchinson_stream);
      if (options.probe == probe_distribution::rademacher)
        for (std::size_t i = 0; i < probes_ * d_; ++i) {
          double& vi = v_[b * probes_ * d_ + i];
          vi = vi < 0.0 ? -1.0 : 1.0;
        }
    }
  }

  Score const& score_;
  std::size_t d_;
  std::size_t batch_;
  std::size_t probes_;
  bool exact_;
  double delta_;
  std::size_t nfe_ = 0;
  std::vector<double> v_;
  std::vector<double> perturbed_;
  std::vector<double> perturbed_score_;
  std::vector<double> probe_;
};

template <class SDE>
double validate_likelihood_options(SDE const& sde, likelihood_options const& options, bool hutchinson) {
  double const T = sde.T();
  if (!(options.eps > 0.0) || !std::isfinite(options.eps)) sdekit::detail::fail("eps = ", options.eps, " must be positive");
  if (!(options.eps < T)) sdekit::detail::fail("eps = ", options.eps, " lies outside (0, T) = (0, ", T, ")");
  double const t_end = options.t_end == 0.0 ? T : options.t_end;
  if (!(t_end > options.eps && t_end <= T))
    sdekit::detail::fail("t_end = ", t_end, " lies outside (eps, T] = (", options.eps, ", ", T, "]");
  sdekit::detail::require_positive("rtol", options.rtol);
  sdekit::detail::require_positive("atol", options.atol);
  if (hutchinson) {
    if (options.probes < 2)
      sdekit::detail::fail("probes = ", options.probes, ": Hutchinson's standard error needs at least 2 probes");
    sdekit::detail::require_positive("fd_step", options.fd_step);
  }
  return t_end;
}

template <class Score>
bool use_exact_divergence(divergence_estimator estimator) {
  if (estimator == divergence_estimator::exact && !has_divergence_v<Score>)
    sdekit::detail::fail("divergence = exact needs a score with divergence(x, t, out); this score has none, "
                         "so use divergence_estimator::hutchinson");
  return estimator != divergence_estimator::hutchinson && has_divergence_v<Score>;
}

}  // namespace detail

/// log p_0(x) for each sample of the batch x (B samples of dimension d) under the PF-ODE of sde
/// with the given score; see the top of this header for the terms.
template <class SDE, class Score>
likelihood_result pf_ode_log_likelihood(SDE const& sde, Score const& score, std::vector<double> const& x,
                                        std::size_t d, likelihood_options const& options = {}) {
  static_assert(is_forward_sde_v<SDE>, "pf_ode_log_likelihood needs a forward SDE (see forward_sde.hpp).");
  static_assert(is_score_v<Score>, "pf_ode_log_likelihood needs a score (see score.hpp).");
  std::size_t const batch = detail::batch_size(x, d);
  require_score_dimension(score, d);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) sdekit::detail::fail("x[", i, "] = ", x[i], " must be finite");
  bool const exact = detail::use_exact_divergence<Score>(options.divergence);
  double const t_end = detail::validate_likelihood_options(sde, options, !exact);

  detail::score_divergence<Score> divergence(score, d, batch, exact, options);
  std::size_t const probes = divergence.probes();
  std::size_t const n = batch * d;
  std::vector<double> x_buffer(n), s, div;

  // Truncation term at (α_ε x, ε), per probe.
  double const alpha_eps = sde.alpha(options.eps), sigma_eps = sde.sigma(options.eps);
  std::vector<double> z0(n + batch * probes, 0.0);
  for (std::size_t i = 0; i < n; ++i) z0[i] = x_buffer[i] = alpha_eps * x[i];
  divergence(x_buffer, options.eps, s, div);
  std::vector<double> truncation(batch * probes);
  for (std::size_t b = 0; b < batch; ++b) {
    double s2 = 0.0;
    for (std::size_t j = 0; j < d; ++j) s2 += s[b * d + j] * s[b * d + j];
    for (std::size_t k = 0; k < probes; ++k)
      truncation[b * probes + k] =
          double(d) * std::log(alpha_eps) - 0.5 * sigma_eps * sigma_eps * (div[b * probes + k] + s2);
  }

  // The augmented state z = (x, Δlog p per sample and probe).
  std::size_t rhs_evaluations = 0;
  auto augmented = sdekit::ode([&](std::vector<double> const& z, double t, std::vector<double>& dz) {
    ++rhs_evaluations;
    std::copy(z.begin(), z.begin() + std::ptrdiff_t(n), x_buffer.begin());
    divergence(x_buffer, t, s, div);
    double const ft = sde.f(t), half_g2 = 0.5 * sde.g2(t);
    for (std::size_t i = 0; i < n; ++i) dz[i] = ft * z[i] - half_g2 * s[i];
    for (std::size_t i = 0; i < batch * probes; ++i) dz[n + i] = double(d) * ft - half_g2 * div[i];
  });
  namespace odeint = boost::numeric::odeint;
  solve_options<pi_controller> solve_opts;
  solve_opts.controller.rtol = options.rtol;
  solve_opts.controller.atol = options.atol;
  solve_opts.max_steps = options.max_steps;
  auto const sol = sdekit::solve(augmented, odeint::runge_kutta_dopri5<std::vector<double>>{}, {options.eps, t_end},
                                 1e-3 * (t_end - options.eps), z0, solve_opts);
  std::vector<double> const& z = sol.value();

  likelihood_result r;
  r.x_T.assign(z.begin(), z.begin() + std::ptrdiff_t(n));
  r.prior_term = prior_log_density(sde, r.x_T, d);
  r.log_p.resize(batch);
  r.standard_error.resize(batch);
  r.integral_term.resize(batch);
  r.truncation_term.resize(batch);
  for (std::size_t b = 0; b < batch; ++b) {
    double integral = 0.0, trunc = 0.0, sum = 0.0, sum2 = 0.0;
    for (std::size_t k = 0; k < probes; ++k) {
      double const i_k = z[n + b * probes + k], t_k = truncation[b * probes + k];
      integral += i_k;
      trunc += t_k;
      sum += i_k + t_k;
      sum2 += (i_k + t_k) * (i_k + t_k);
    }
    double const kk = double(probes);
    r.integral_term[b] = integral / kk;
    r.truncation_term[b] = trunc / kk;
    r.log_p[b] = r.prior_term[b] + r.integral_term[b] + r.truncation_term[b];
    r.standard_error[b] = probes > 1 ? std::sqrt(std::max(0.0, (sum2 - sum * sum / kk) / (kk - 1.0)) / kk) : 0.0;
  }
  if (options.terminal_log_density) {
    std::vector<double> const exact_p_T = options.terminal_log_density(r.x_T);
    if (exact_p_T.size() != batch)
      sdekit::detail::fail("terminal_log_density returned ", exact_p_T.size(), " values for a batch of ", batch);
    r.prior_mismatch.resize(batch);
    for (std::size_t b = 0; b < batch; ++b) r.prior_mismatch[b] = exact_p_T[b] - r.prior_term[b];
  }
  r.nfe = divergence.nfe();
  r.rhs_evaluations = rhs_evaluations;
  r.steps = sol.accepted_steps;
  return r;
}

/// The model-space rescaling of 8-bit data: y = low + (high − low) (k + u)/256 for a value
/// k ∈ {0..255} and dequantization noise u ~ U(0, 1).
struct eight_bit_scaling {
  double low = -1.0;
  double high = 1.0;
};

/// Uniformly dequantized, rescaled 8-bit data (B samples of dimension d): u_{b,j} = Φ(z(seed, b, j,
/// dequantization_stream)).
inline std::vector<double> dequantize_8bit(std::vector<std::uint8_t> const& data, std::size_t d, std::uint64_t seed,
                                           eight_bit_scaling scaling = {}) {
  if (!(scaling.high > scaling.low)) sdekit::detail::fail("high = ", scaling.high, " must exceed low = ", scaling.low);
  if (d == 0 || data.size() % d != 0)
    sdekit::detail::fail("data.size() = ", data.size(), " is not a positive multiple of d = ", d);
  philox_normal const normal(seed);
  double const step = (scaling.high - scaling.low) / 256.0;
  std::vector<double> y(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    double const u = 0.5 * std::erfc(-normal(i / d, i % d, dequantization_stream) / std::sqrt(2.0));
    y[i] = scaling.low + step * (double(data[i]) + u);
  }
  return y;
}

/// Bits per dimension of 8-bit data from log p of its dequantized, rescaled value y:
/// −(log p(y) + d log((high − low)/256)) / (d ln 2), the change of variables from y back to the
/// 256-level scale; in expectation over u an upper bound on the discrete data's bits/dim.
inline double bits_per_dim(double log_p, std::size_t d, eight_bit_scaling scaling = {}) {
  if (d == 0) sdekit::detail::fail("d = 0: the sample dimension must be positive");
  if (!(scaling.high > scaling.low)) sdekit::detail::fail("high = ", scaling.high, " must exceed low = ", scaling.low);
  double const log_jacobian = double(d) * std::log((scaling.high - scaling.low) / 256.0);
  return -(log_p + log_jacobian) / (double(d) * std::log(2.0));
}

}  // namespace sdekit::diffusion
