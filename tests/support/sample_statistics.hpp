// Statistics of batches of samples (B samples of dimension d, row-major) for the sampler tests and
// benchmarks: sample mean and covariance, the closed-form W2 between Gaussians, its Monte-Carlo
// floor, sliced W2 between two sample sets, and the component each sample most likely came from.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/solvers/philox_normal.hpp>

namespace sdekit::testing {

inline Eigen::VectorXd sample_mean(std::vector<double> const& x, std::size_t d) {
  std::size_t const n = x.size() / d;
  Eigen::VectorXd m = Eigen::VectorXd::Zero(Eigen::Index(d));
  for (std::size_t b = 0; b < n; ++b)
    for (std::size_t j = 0; j < d; ++j) m[Eigen::Index(j)] += x[b * d + j];
  return m / double(n);
}

/// Unbiased sample covariance.
inline Eigen::MatrixXd sample_covariance(std::vector<double> const& x, std::size_t d) {
  std::size_t const n = x.size() / d;
  Eigen::VectorXd const m = sample_mean(x, d);
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(Eigen::Index(d), Eigen::Index(d));
  Eigen::VectorXd r(d);
  for (std::size_t b = 0; b < n; ++b) {
    for (std::size_t j = 0; j < d; ++j) r[Eigen::Index(j)] = x[b * d + j] - m[Eigen::Index(j)];
    c.noalias() += r * r.transpose();
  }
  return c / double(n - 1);
}

inline Eigen::MatrixXd symmetric_sqrt(Eigen::MatrixXd const& a) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> const eig(a);
  return eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal() * eig.eigenvectors().transpose();
}

/// W2² between N(m1, S1) and N(m2, S2): |m1 − m2|² + tr(S1 + S2 − 2 (S2^½ S1 S2^½)^½).
inline double gaussian_w2_squared(Eigen::VectorXd const& m1, Eigen::MatrixXd const& s1, Eigen::VectorXd const& m2,
                                  Eigen::MatrixXd const& s2) {
  Eigen::MatrixXd const r = symmetric_sqrt(s2);
  Eigen::MatrixXd const cross = symmetric_sqrt(r * s1 * r);
  return (m1 - m2).squaredNorm() + (s1 + s2 - 2.0 * cross).trace();
}

/// E[W2²] between N(μ, Σ) and the Gaussian fitted to n exact samples, to first order in 1/n: in
/// Σ's eigenbasis (eigenvalues λ), E|δm|² = tr Σ/n and the covariance term is
/// Σ_ij E[δΣ_ij²]/(√λ_i + √λ_j)² with E[δΣ_ij²] = (λ_iλ_j + [i = j] λ_i²)/n, so
///   floor = (1/n) (1.5 tr Σ + Σ_{i≠j} λ_iλ_j/(√λ_i + √λ_j)²).
inline double gaussian_w2_squared_floor(Eigen::MatrixXd const& sigma, std::size_t n) {
  Eigen::VectorXd const lam = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(sigma).eigenvalues();
  double sum = 1.5 * lam.sum();
  for (Eigen::Index i = 0; i < lam.size(); ++i)
    for (Eigen::Index j = 0; j < lam.size(); ++j)
      if (i != j) sum += lam[i] * lam[j] / std::pow(std::sqrt(lam[i]) + std::sqrt(lam[j]), 2);
  return sum / double(n);
}

inline Eigen::VectorXd to_eigen(std::vector<double> const& v) {
  return Eigen::Map<Eigen::VectorXd const>(v.data(), Eigen::Index(v.size()));
}

inline Eigen::MatrixXd to_matrix(std::vector<double> const& v, std::size_t d) {
  Eigen::MatrixXd m(d, d);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j) m(Eigen::Index(i), Eigen::Index(j)) = v[i * d + j];
  return m;
}

/// Sliced W2 between two equal-size sample sets: √(mean over `projections` random unit directions
/// (seeded) of the 1-D W2² between the sorted projections).
inline double sliced_w2(std::vector<double> const& a, std::vector<double> const& b, std::size_t d,
                        std::size_t projections = 128, std::uint64_t seed = 99) {
  std::size_t const n = std::min(a.size(), b.size()) / d;
  philox_normal const normal(seed);
  std::vector<double> pa(n), pb(n), dir(d);
  double total = 0.0;
  for (std::size_t p = 0; p < projections; ++p) {
    normal.fill(p, 0, d, dir);
    double norm = 0.0;
    for (double v : dir) norm += v * v;
    norm = std::sqrt(norm);
    for (std::size_t s = 0; s < n; ++s) {
      double u = 0.0, v = 0.0;
      for (std::size_t j = 0; j < d; ++j) {
        u += a[s * d + j] * dir[j];
        v += b[s * d + j] * dir[j];
      }
      pa[s] = u / norm;
      pb[s] = v / norm;
    }
    std::sort(pa.begin(), pa.end());
    std::sort(pb.begin(), pb.end());
    double w = 0.0;
    for (std::size_t s = 0; s < n; ++s) w += (pa[s] - pb[s]) * (pa[s] - pb[s]);
    total += w / double(n);
  }
  return std::sqrt(total / double(projections));
}

/// For each sample, the index of the component k maximising π_k N(x; μ_k, Σ_k).
inline std::vector<std::size_t> most_likely_component(diffusion::gaussian_mixture const& mixture,
                                                      std::vector<double> const& x) {
  std::size_t const d = mixture.dim(), n = x.size() / d, comps = mixture.components();
  std::vector<Eigen::MatrixXd> inv(comps);
  std::vector<double> log_norm(comps);
  for (std::size_t k = 0; k < comps; ++k) {
    Eigen::MatrixXd const s = to_matrix(mixture.covariance(k), d);
    inv[k] = s.inverse();
    log_norm[k] = std::log(mixture.weight(k)) - 0.5 * std::log(s.determinant());
  }
  std::vector<std::size_t> out(n);
  Eigen::VectorXd r(d);
  for (std::size_t b = 0; b < n; ++b) {
    double best = -1e300;
    for (std::size_t k = 0; k < comps; ++k) {
      for (std::size_t j = 0; j < d; ++j) r[Eigen::Index(j)] = x[b * d + j] - mixture.mean(k)[j];
      double const score = log_norm[k] - 0.5 * r.dot(inv[k] * r);
      if (score > best) {
        best = score;
        out[b] = k;
      }
    }
  }
  return out;
}

}  // namespace sdekit::testing
