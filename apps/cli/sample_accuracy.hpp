// How close samples are to an exact Gaussian-mixture target p_0 = Σ_k π_k N(μ_k, Σ_k):
//   mean error        ‖m̂ − E[x]‖₂
//   covariance error  ‖Ĉ − Cov[x]‖_F  (Frobenius)
//   weight error      max_k |mean_b w_k(x_b) − π_k|, w_k the posterior responsibilities
//                     (E[w_k(X)] = π_k exactly for X ~ p_0; 0 for one component)
//   sliced W2         √(mean over L random unit directions θ of W2²(θᵀx̂, θᵀy)) against n exact
//                     samples y (1-D W2 by sorting), L = 64 Philox directions.
// Each statistic carries Monte Carlo noise; the command line prints beside it the same statistic
// of n fresh exact samples (the floor a perfect sampler would reach).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <sdekit/diffusion/gaussian_mixture.hpp>

namespace sdekit::cli {

struct sample_accuracy {
  double mean_error = 0.0;
  double covariance_error = 0.0;
  double weight_error = 0.0;
  double sliced_w2 = 0.0;
};

/// Sliced 2-Wasserstein distance between two batches of equal size (row-major, dimension d).
double sliced_wasserstein(std::vector<double> const& a, std::vector<double> const& b, std::size_t d,
                          std::size_t directions = 64, std::uint64_t seed = 20240601);

/// The four statistics of samples x against the target; `reference` are exact samples of the
/// same size for the sliced W2.
sample_accuracy measure_accuracy(diffusion::gaussian_mixture const& target, std::vector<double> const& x,
                                 std::vector<double> const& reference);

}  // namespace sdekit::cli
