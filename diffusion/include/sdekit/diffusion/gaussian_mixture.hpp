// Gaussian mixtures: the analytic targets that separate solver error from score error (DESIGN.md §3).
// For data p_0 = Σ_k π_k N(μ_k, Σ_k) and x_t = α_t x_0 + σ_t ε, every marginal is a mixture,
//   p_t = Σ_k π_k N(α_t μ_k, C_k),  C_k = α_t² Σ_k + σ_t² I,
// with score ∇log p_t = Σ_k w_k g_k, g_k = −C_k⁻¹(x − α_t μ_k), w_k the posterior component weights
// (log-sum-exp), and Hessian H = Σ_k w_k (g_k g_kᵀ − C_k⁻¹) − ḡḡᵀ, ḡ = Σ_k w_k g_k. Each Σ_k is
// diagonalised once, Σ_k = Q_k Λ_k Q_kᵀ, so C_k = Q_k (α²Λ_k + σ²) Q_kᵀ costs O(d²) per sample at
// any t. For a single Gaussian the PF-ODE flow is exact: in each eigendirection (eigenvalue λ)
//   x_t − α_t μ = √((α_t² λ + σ_t²)/(α_s² λ + σ_s²)) (x_s − α_s μ).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/philox_normal.hpp>

#include "forward_sde.hpp"

namespace sdekit::diffusion {

/// The Philox streams of gaussian_mixture::sample: the component choice and the normals.
inline constexpr std::uint32_t mixture_component_stream = 3;
inline constexpr std::uint32_t mixture_sample_stream = 4;

class gaussian_mixture {
 public:
  /// Weights π_k > 0 (normalised here), means μ_k of dimension d, covariances Σ_k as d×d
  /// symmetric positive-definite matrices stored row-major (Σ_k[i*d + j]).
  gaussian_mixture(std::vector<double> weights, std::vector<std::vector<double>> means,
                   std::vector<std::vector<double>> covariances)
      : weights_(std::move(weights)), means_(std::move(means)), covariances_(std::move(covariances)) {
    validate_and_normalise();
    for (std::size_t k = 0; k < components(); ++k) diagonalise(k);
  }

  std::size_t dim() const { return means_.front().size(); }
  std::size_t components() const { return weights_.size(); }
  double weight(std::size_t k) const { return weights_[k]; }
  std::vector<double> const& mean(std::size_t k) const { return means_[k]; }
  std::vector<double> const& covariance(std::size_t k) const { return covariances_[k]; }

  /// E[x] = Σ_k π_k μ_k.
  std::vector<double> mixture_mean() const {
    std::vector<double> m(dim(), 0.0);
    for (std::size_t k = 0; k < components(); ++k)
      for (std::size_t i = 0; i < dim(); ++i) m[i] += weights_[k] * means_[k][i];
    return m;
  }

  /// Cov[x] = Σ_k π_k (Σ_k + μ_k μ_kᵀ) − E[x] E[x]ᵀ, row-major.
  std::vector<double> mixture_covariance() const {
    std::size_t const d = dim();
    std::vector<double> const m = mixture_mean();
    std::vector<double> c(d * d, 0.0);
    for (std::size_t k = 0; k < components(); ++k)
      for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j < d; ++j)
          c[i * d + j] += weights_[k] * (covariances_[k][i * d + j] + means_[k][i] * means_[k][j]);
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = 0; j < d; ++j) c[i * d + j] -= m[i] * m[j];
    return c;
  }

  /// n samples (n·d values, row-major). Sample b picks its component from the normal
  /// z(seed, b, 0, mixture_component_stream) through u = Φ(z), and is μ_k + Q_k Λ_k^{1/2} z with
  /// z_j = z(seed, b, j, mixture_sample_stream): a sample does not depend on n.
  std::vector<double> sample(std::size_t n, std::uint64_t seed) const {
    std::size_t const d = dim();
    philox_normal const normal(seed);
    std::vector<double> x(n * d);
    Eigen::VectorXd z(d);
    for (std::size_t b = 0; b < n; ++b) {
      double const u = 0.5 * std::erfc(-normal(b, 0, mixture_component_stream) / std::sqrt(2.0));
      std::size_t const k = component_of(u);
      normal.fill(b, 0, d, z, mixture_sample_stream);
      Eigen::VectorXd const y = q_[k] * (lambda_[k].cwiseSqrt().cwiseProduct(z));
      for (std::size_t j = 0; j < d; ++j) x[b * d + j] = means_[k][j] + y[Eigen::Index(j)];
    }
    return x;
  }

  /// log p_0(x) for each sample of the batch x.
  std::vector<double> log_density(std::vector<double> const& x) const { return log_density(x, 1.0, 0.0); }

  /// log p(x) for each sample, p = Σ_k π_k N(α μ_k, α² Σ_k + σ² I): the marginal p_t with α = α_t, σ = σ_t.
  std::vector<double> log_density(std::vector<double> const& x, double alpha, double sigma) const {
    std::size_t const batch = detail::batch_size(x, require_dim_of(x));
    std::vector<double> out(batch);
    evaluate(x, alpha, sigma, [&](std::size_t b, double log_p, Eigen::VectorXd const&, double) { out[b] = log_p; });
    return out;
  }

  /// ∇_x log p(x), for the same p as log_density(x, alpha, sigma); out resized to x.size().
  void score(std::vector<double> const& x, double alpha, double sigma, std::vector<double>& out) const {
    std::size_t const d = require_dim_of(x);
    out.resize(x.size());
    evaluate(x, alpha, sigma, [&](std::size_t b, double, Eigen::VectorXd const& g, double) {
      for (std::size_t j = 0; j < d; ++j) out[b * d + j] = g[Eigen::Index(j)];
    });
  }

  /// tr ∇²_x log p(x) for each sample (out resized to B).
  void hessian_trace(std::vector<double> const& x, double alpha, double sigma, std::vector<double>& out) const {
    out.resize(detail::batch_size(x, require_dim_of(x)));
    evaluate(x, alpha, sigma, [&](std::size_t b, double, Eigen::VectorXd const&, double tr) { out[b] = tr; });
  }

  /// Eigen-decomposition Σ_k = Q_k diag(Λ_k) Q_kᵀ.
  Eigen::MatrixXd const& eigenvectors(std::size_t k) const { return q_[k]; }
  Eigen::VectorXd const& eigenvalues(std::size_t k) const { return lambda_[k]; }

 private:
  // For each sample b, calls visit(b, log p, ∇log p, tr ∇²log p) — one pass over the components.
  template <class Visit>
  void evaluate(std::vector<double> const& x, double alpha, double sigma, Visit&& visit) const {
    std::size_t const d = dim();
    std::size_t const n_comp = components();
    std::size_t const batch = x.size() / d;
    std::vector<Eigen::VectorXd> inv_c(n_comp);
    std::vector<double> log_norm(n_comp);
    std::vector<double> trace_inv_c(n_comp);
    for (std::size_t k = 0; k < n_comp; ++k) {
      Eigen::VectorXd const c = alpha * alpha * lambda_[k].array() + sigma * sigma;
      inv_c[k] = c.cwiseInverse();
      trace_inv_c[k] = inv_c[k].sum();
      log_norm[k] = std::log(weights_[k]) - 0.5 * (double(d) * std::log(2.0 * detail::pi) + c.array().log().sum());
    }
    std::vector<Eigen::VectorXd> g(n_comp, Eigen::VectorXd(d));
    std::vector<double> log_w(n_comp);
    Eigen::VectorXd r(d), y(d), c_inv_y(d), g_bar(d);
    for (std::size_t b = 0; b < batch; ++b) {
      for (std::size_t k = 0; k < n_comp; ++k) {
        for (std::size_t j = 0; j < d; ++j) r[Eigen::Index(j)] = x[b * d + j] - alpha * means_[k][j];
        y.noalias() = q_[k].transpose() * r;
        c_inv_y = y.cwiseProduct(inv_c[k]);
        log_w[k] = log_norm[k] - 0.5 * y.dot(c_inv_y);
        g[k].noalias() = -(q_[k] * c_inv_y);
      }
      double const top = *std::max_element(log_w.begin(), log_w.end());
      double sum = 0.0;
      for (double lw : log_w) sum += std::exp(lw - top);
      double const log_p = top + std::log(sum);
      g_bar.setZero();
      double second = 0.0;
      for (std::size_t k = 0; k < n_comp; ++k) {
        double const w = std::exp(log_w[k] - log_p);
        g_bar += w * g[k];
        second += w * (g[k].squaredNorm() - trace_inv_c[k]);
      }
      visit(b, log_p, g_bar, second - g_bar.squaredNorm());
    }
  }

  std::size_t require_dim_of(std::vector<double> const& x) const {
    detail::batch_size(x, dim());
    return dim();
  }

  std::size_t component_of(double u) const {
    double cumulative = 0.0;
    for (std::size_t k = 0; k + 1 < components(); ++k) {
      cumulative += weights_[k];
      if (u < cumulative) return k;
    }
    return components() - 1;
  }

  void validate_and_normalise() {
    if (weights_.empty()) sdekit::detail::fail("a gaussian_mixture needs at least one component (weights is empty)");
    if (means_.size() != weights_.size() || covariances_.size() != weights_.size())
      sdekit::detail::fail("weights, means and covariances have ", weights_.size(), ", ", means_.size(), " and ",
                           covariances_.size(), " entries; they must have one per component");
    std::size_t const d = means_.front().size();
    if (d == 0) sdekit::detail::fail("means[0] is empty: the dimension must be positive");
    double total = 0.0;
    for (std::size_t k = 0; k < weights_.size(); ++k) {
      if (!(weights_[k] > 0.0) || !std::isfinite(weights_[k]))
        sdekit::detail::fail("weights[", k, "] = ", weights_[k], " must be positive and finite");
      if (means_[k].size() != d)
        sdekit::detail::fail("means[", k, "] has ", means_[k].size(), " entries; means[0] has d = ", d);
      for (std::size_t i = 0; i < d; ++i) sdekit::detail::require_finite("mean entry", means_[k][i]);
      if (covariances_[k].size() != d * d)
        sdekit::detail::fail("covariances[", k, "] has ", covariances_[k].size(), " entries; a ", d, "×", d,
                             " covariance needs ", d * d);
      total += weights_[k];
    }
    for (double& w : weights_) w /= total;
  }

  void diagonalise(std::size_t k) {
    std::size_t const d = dim();
    Eigen::MatrixXd sigma(d, d);
    double scale = 0.0;
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = 0; j < d; ++j) {
        sigma(Eigen::Index(i), Eigen::Index(j)) = covariances_[k][i * d + j];
        scale = std::max(scale, std::fabs(covariances_[k][i * d + j]));
      }
    if (!sigma.allFinite()) sdekit::detail::fail("covariances[", k, "] has a non-finite entry");
    if ((sigma - sigma.transpose()).cwiseAbs().maxCoeff() > 1e-12 * scale)
      sdekit::detail::fail("covariances[", k, "] is not symmetric");
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> const eig(sigma);
    if (!(eig.eigenvalues().minCoeff() > 0.0))
      sdekit::detail::fail("covariances[", k, "] is not positive definite (smallest eigenvalue ",
                           eig.eigenvalues().minCoeff(), ")");
    q_.push_back(eig.eigenvectors());
    lambda_.push_back(eig.eigenvalues());
  }

  std::vector<double> weights_;
  std::vector<std::vector<double>> means_;
  std::vector<std::vector<double>> covariances_;
  std::vector<Eigen::MatrixXd> q_;
  std::vector<Eigen::VectorXd> lambda_;
};

/// The exact score of p_t when data p_0 is a Gaussian mixture and x_t follows the forward SDE; it
/// also gives log p_t and the exact divergence tr ∇²log p_t (so the likelihood needs no estimator).
template <class SDE>
class gaussian_mixture_score {
  static_assert(is_forward_sde_v<SDE>, "gaussian_mixture_score needs a forward SDE (see forward_sde.hpp).");

 public:
  gaussian_mixture_score(SDE sde, gaussian_mixture mixture) : sde_(std::move(sde)), mixture_(std::move(mixture)) {}

  std::size_t dim() const { return mixture_.dim(); }
  SDE const& sde() const { return sde_; }
  gaussian_mixture const& mixture() const { return mixture_; }

  void operator()(std::vector<double> const& x, double t, std::vector<double>& out) const {
    mixture_.score(x, sde_.alpha(t), sde_.sigma(t), out);
  }
  /// tr ∇²log p_t(x) for each sample.
  void divergence(std::vector<double> const& x, double t, std::vector<double>& out) const {
    mixture_.hessian_trace(x, sde_.alpha(t), sde_.sigma(t), out);
  }
  /// log p_t(x) for each sample.
  std::vector<double> log_density(std::vector<double> const& x, double t) const {
    return mixture_.log_density(x, sde_.alpha(t), sde_.sigma(t));
  }

 private:
  SDE sde_;
  gaussian_mixture mixture_;
};

/// The exact PF-ODE flow map of a single Gaussian p_0 = N(μ, Σ): x_t from x_s for the batch x_s.
template <class SDE>
std::vector<double> exact_pf_ode_flow(SDE const& sde, gaussian_mixture const& gaussian, std::vector<double> const& x_s,
                                      double s, double t) {
  static_assert(is_forward_sde_v<SDE>, "exact_pf_ode_flow needs a forward SDE (see forward_sde.hpp).");
  if (gaussian.components() != 1)
    sdekit::detail::fail("exact_pf_ode_flow needs a single Gaussian; this mixture has ", gaussian.components(),
                         " components");
  std::size_t const d = gaussian.dim();
  std::size_t const batch = detail::batch_size(x_s, d);
  Eigen::MatrixXd const& q = gaussian.eigenvectors(0);
  Eigen::VectorXd const& lam = gaussian.eigenvalues(0);
  double const as = sde.alpha(s), ss = sde.sigma(s), at = sde.alpha(t), st = sde.sigma(t);
  Eigen::VectorXd const ratio =
      ((at * at * lam.array() + st * st) / (as * as * lam.array() + ss * ss)).sqrt().matrix();
  std::vector<double> const& mu = gaussian.mean(0);
  std::vector<double> x_t(x_s.size());
  Eigen::VectorXd r(d);
  for (std::size_t b = 0; b < batch; ++b) {
    for (std::size_t j = 0; j < d; ++j) r[Eigen::Index(j)] = x_s[b * d + j] - as * mu[j];
    Eigen::VectorXd const y = q * ratio.cwiseProduct(q.transpose() * r);
    for (std::size_t j = 0; j < d; ++j) x_t[b * d + j] = at * mu[j] + y[Eigen::Index(j)];
  }
  return x_t;
}

namespace targets {

/// A 2-D mixture of three anisotropic components: π = (0.5, 0.3, 0.2),
/// μ = (−2, 0), (2, 1), (0, −2.5); Σ = [[0.4, 0.15], [0.15, 0.2]], [[0.25, 0], [0, 0.5]],
/// [[0.3, −0.1], [−0.1, 0.3]].
inline gaussian_mixture mixture_2d() {
  return gaussian_mixture({0.5, 0.3, 0.2}, {{-2.0, 0.0}, {2.0, 1.0}, {0.0, -2.5}},
                          {{0.4, 0.15, 0.15, 0.2}, {0.25, 0.0, 0.0, 0.5}, {0.3, -0.1, -0.1, 0.3}});
}

/// k-diffusion's 2-D mixture of four components, one of them nearly a point mass: π = (0.4, 0.3,
/// 0.2, 0.1), μ = (−2, 0), (2, 1), (0, −2.5), (1.5, −1); Σ = [[0.30, 0.15], [0.15, 0.20]],
/// [[0.05, 0], [0, 0.50]], [[0.40, −0.20], [−0.20, 0.30]], [[0.01, 0], [0, 0.01]].
inline gaussian_mixture mixture_2d_four() {
  return gaussian_mixture({0.4, 0.3, 0.2, 0.1}, {{-2.0, 0.0}, {2.0, 1.0}, {0.0, -2.5}, {1.5, -1.0}},
                          {{0.30, 0.15, 0.15, 0.20}, {0.05, 0.0, 0.0, 0.50}, {0.40, -0.20, -0.20, 0.30},
                           {0.01, 0.0, 0.0, 0.01}});
}

/// An anisotropic d-dimensional Gaussian N(μ, Σ): μ_j = sin(j + 1), Σ = Q diag(λ) Qᵀ with
/// eigenvalues λ_j = 0.1 · 20^{j/(d−1)} (from 0.1 to 2; λ = 1 when d = 1) and Q the Householder
/// reflection I − 2vvᵀ/vᵀv, v_j = j + 1.
inline gaussian_mixture gaussian(std::size_t d) {
  if (d == 0) sdekit::detail::fail("d = 0: the Gaussian target needs a positive dimension");
  std::vector<double> mu(d), lam(d), v(d);
  double vv = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    mu[j] = std::sin(double(j + 1));
    lam[j] = d == 1 ? 1.0 : 0.1 * std::pow(20.0, double(j) / double(d - 1));
    v[j] = double(j + 1);
    vv += v[j] * v[j];
  }
  std::vector<double> cov(d * d, 0.0);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j)
      for (std::size_t m = 0; m < d; ++m) {
        double const qim = (i == m ? 1.0 : 0.0) - 2.0 * v[i] * v[m] / vv;
        double const qjm = (j == m ? 1.0 : 0.0) - 2.0 * v[j] * v[m] / vv;
        cov[i * d + j] += qim * lam[m] * qjm;
      }
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < i; ++j) cov[i * d + j] = cov[j * d + i];
  return gaussian_mixture({1.0}, {mu}, {cov});
}

}  // namespace targets
}  // namespace sdekit::diffusion
