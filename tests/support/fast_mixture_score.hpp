// The exact score of p_t for Gaussian-mixture data Σ_k π_k N(μ_k, Σ_k) under a forward SDE,
//   ∇log p_t(x) = Σ_k w_k g_k,  g_k = −C_k⁻¹(x − α_t μ_k),  C_k = α_t² Σ_k + σ_t² I,
// with w_k the posterior weights (log-sum-exp), computed from dense C_k⁻¹ built once per call and
// with no allocation per sample: a fast stand-in for gaussian_mixture_score in tests that make
// 10⁸ per-sample evaluations (the sampler tests check that the two agree).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include <sdekit/diffusion/gaussian_mixture.hpp>

namespace sdekit::testing {

template <class SDE>
class fast_mixture_score {
 public:
  fast_mixture_score(SDE sde, diffusion::gaussian_mixture mixture) : sde_(sde), mixture_(std::move(mixture)) {}

  std::size_t dim() const { return mixture_.dim(); }

  void operator()(std::vector<double> const& x, double t, std::vector<double>& out) const {
    std::size_t const d = dim(), comps = mixture_.components();
    double const a = sde_.alpha(t), s = sde_.sigma(t);
    std::vector<Eigen::MatrixXd> precision(comps);
    std::vector<double> log_norm(comps), shifted_mean(comps * d), g(comps * d), log_w(comps), r(d);
    for (std::size_t k = 0; k < comps; ++k) {
      Eigen::ArrayXd const c = a * a * mixture_.eigenvalues(k).array() + s * s;
      precision[k] = mixture_.eigenvectors(k) * c.inverse().matrix().asDiagonal() * mixture_.eigenvectors(k).transpose();
      log_norm[k] = std::log(mixture_.weight(k)) - 0.5 * c.log().sum();
      for (std::size_t j = 0; j < d; ++j) shifted_mean[k * d + j] = a * mixture_.mean(k)[j];
    }
    out.resize(x.size());
    for (std::size_t b = 0; b < x.size() / d; ++b) {
      for (std::size_t k = 0; k < comps; ++k) {
        for (std::size_t j = 0; j < d; ++j) r[j] = x[b * d + j] - shifted_mean[k * d + j];
        double quad = 0.0;
        for (std::size_t i = 0; i < d; ++i) {
          double sum = 0.0;
          for (std::size_t j = 0; j < d; ++j) sum += precision[k](Eigen::Index(i), Eigen::Index(j)) * r[j];
          g[k * d + i] = -sum;
          quad += r[i] * sum;
        }
        log_w[k] = log_norm[k] - 0.5 * quad;
      }
      double const top = *std::max_element(log_w.begin(), log_w.end());
      double total = 0.0;
      for (double& lw : log_w) total += (lw = std::exp(lw - top));
      for (std::size_t j = 0; j < d; ++j) {
        double sum = 0.0;
        for (std::size_t k = 0; k < comps; ++k) sum += log_w[k] * g[k * d + j];
        out[b * d + j] = sum / total;
      }
    }
  }

 private:
  SDE sde_;
  diffusion::gaussian_mixture mixture_;
};

}  // namespace sdekit::testing
