// The Gaussian-mixture score of gaussian_mixture.hpp for per-sample kernels: one sample at a time,
// a fixed dimension D, host/device code that allocates nothing and throws nothing, so that a
// kernel can carry a whole trajectory in registers or on SIMD lanes (DESIGN.md §2, "per-path
// kernels"). The mathematics is the batched score's (DESIGN.md §3):
//   p_t = Σ_k π_k N(α_t μ_k, C_k),  C_k = Q_k (α_t² Λ_k + σ_t²) Q_kᵀ,
//   ∇log p_t = Σ_k w_k g_k,  g_k = −C_k⁻¹(x − α_t μ_k),  w_k = softmax_k[log π_k − ½ log|C_k| − ½ |x − α_t μ_k|²_{C_k⁻¹}],
//   tr ∇²log p_t = Σ_k w_k (|g_k|² − tr C_k⁻¹) − |ḡ|².
// The weights are computed as w_k ∝ |C_k|^{−1/2} exp(log π_k − ½ |x − α_t μ_k|²_{C_k⁻¹} − m), m the
// largest exponent over k: the softmax above without a logarithm per component, whose cost was a
// third of the per-point likelihood's (the factor |C_k|^{−1/2} is a square root and a division).
// Everything that depends on t alone (α_t μ_k, the diagonal of (α²Λ_k + σ²)⁻¹, |C_k|^{−1/2})
// is one gaussian_mixture_at_time, made by at(t): a sampler on a fixed grid makes it
// once per grid time on the host, and the per-sample work is then straight-line arithmetic over
// compile-time loops, which vectorises across the SIMD lanes of a block of samples. The weights use
// reproducible_exp, so that every backend rounds the same; the result agrees with the batched
// score to a few units in the last place, not bit for bit.
//
// A mixture of K components is stored in MaxComponents slots; the unused ones carry weight 0, so
// one instantiation serves every K ≤ MaxComponents. The score is a view of the packed data
// (pack_gaussian_mixture, packed_gaussian_mixture) that kernels copy by value.
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/detail/reproducible_exp_log.hpp>
#include <sdekit/solvers/errors.hpp>

#include "forward_sde.hpp"
#include "gaussian_mixture.hpp"

namespace sdekit::diffusion {

namespace detail {

/// Doubles per component slot in the packed layout: Q_k (D×D, row-major), μ_k, Λ_k, log π_k, active.
template <std::size_t D>
inline constexpr std::size_t packed_slot_size = D * D + 2 * D + 2;

}  // namespace detail

/// The part of the mixture's score that depends on t alone, and the per-sample evaluation.
template <std::size_t D, std::size_t MaxComponents>
struct gaussian_mixture_at_time {
  static constexpr std::size_t dim = D;
  static constexpr std::size_t slot = detail::packed_slot_size<D>;

  double const* packed;                        ///< the packed components, for Q_k
  double scaled_mean[MaxComponents][D];        ///< α_t μ_k
  double inverse_variance[MaxComponents][D];   ///< 1/(α_t² λ_kj + σ_t²), the eigenvalues of C_k⁻¹
  double log_weight[MaxComponents];            ///< log π_k; −10³⁰⁰ when unused
  double scale[MaxComponents];                 ///< |C_k|^{−1/2}
  double trace_inverse[MaxComponents];         ///< tr C_k⁻¹
  double active[MaxComponents];                ///< 1 for a component of the mixture, 0 for an unused slot

  /// Writes ∇log p_t(x) into s and returns tr ∇²log p_t(x) when Trace, else 0.
  template <bool Trace, class State, class Out>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double evaluate(State const& x, Out& s, double* log_p = nullptr) const {
    double g[MaxComponents][D];
    double log_w[MaxComponents];
    SDEKIT_UNROLL
    for (std::size_t k = 0; k < MaxComponents; ++k) {
      double const* q = packed + k * slot;
      double r[D], y[D];
      SDEKIT_UNROLL
      for (std::size_t j = 0; j < D; ++j) r[j] = double(x[j]) - scaled_mean[k][j];
      SDEKIT_UNROLL
      for (std::size_t m = 0; m < D; ++m) {  // y = Qᵀ r, then y ← C⁻¹-weighted
        double sum = 0.0;
        SDEKIT_UNROLL
        for (std::size_t j = 0; j < D; ++j) sum += q[j * D + m] * r[j];
        y[m] = sum;
      }
      double quadratic = 0.0;
      SDEKIT_UNROLL
      for (std::size_t m = 0; m < D; ++m) {
        double const weighted = y[m] * inverse_variance[k][m];
        quadratic += y[m] * weighted;
        y[m] = weighted;
      }
      log_w[k] = log_weight[k] - 0.5 * quadratic;
      SDEKIT_UNROLL
      for (std::size_t j = 0; j < D; ++j) {  // g_k = −Q (C⁻¹ y)
        double sum = 0.0;
        SDEKIT_UNROLL
        for (std::size_t m = 0; m < D; ++m) sum += q[j * D + m] * y[m];
        g[k][j] = -sum;
      }
    }
    double top = log_w[0];
    SDEKIT_UNROLL
    for (std::size_t k = 1; k < MaxComponents; ++k) top = log_w[k] > top ? log_w[k] : top;
    double e[MaxComponents];
    double total = 0.0;
    SDEKIT_UNROLL
    for (std::size_t k = 0; k < MaxComponents; ++k) {
      e[k] = active[k] * scale[k] * sdekit::detail::reproducible_exp(log_w[k] - top);
      total += e[k];
    }
    double const inverse_total = 1.0 / total;
    double g_bar[D] = {};
    double second = 0.0;
    SDEKIT_UNROLL
    for (std::size_t k = 0; k < MaxComponents; ++k) {
      double const w = e[k] * inverse_total;
      double norm2 = 0.0;
      SDEKIT_UNROLL
      for (std::size_t j = 0; j < D; ++j) {
        g_bar[j] += w * g[k][j];
        norm2 += g[k][j] * g[k][j];
      }
      if constexpr (Trace) second += w * (norm2 - trace_inverse[k]);
    }
    double g_bar2 = 0.0;
    SDEKIT_UNROLL
    for (std::size_t j = 0; j < D; ++j) {
      s[j] = g_bar[j];
      g_bar2 += g_bar[j] * g_bar[j];
    }
    constexpr double log_2pi = 1.8378770664093454836;
    if (log_p) *log_p = top + std::log(total) - 0.5 * double(D) * log_2pi;
    return Trace ? second - g_bar2 : 0.0;
  }

  /// s = ∇log p_t(x).
  template <class State, class Out>
  SDEKIT_HOST_DEVICE void operator()(State const& x, Out& s) const {
    evaluate<false>(x, s);
  }
};

/// The exact score of p_t for data p_0 a Gaussian mixture, one sample of dimension D at a time.
template <class SDE, std::size_t D, std::size_t MaxComponents = 4>
class gaussian_mixture_kernel_score {
  static_assert(is_forward_sde_v<SDE>, "gaussian_mixture_kernel_score needs a forward SDE (see forward_sde.hpp).");

 public:
  static constexpr std::size_t dim = D;
  using time_slice = gaussian_mixture_at_time<D, MaxComponents>;

  gaussian_mixture_kernel_score(SDE const& sde, double const* packed) : sde_(sde), packed_(packed) {}

  SDE const& sde() const { return sde_; }

  /// Everything of the score at t that does not depend on x.
  SDEKIT_HOST_DEVICE SDEKIT_INLINE time_slice at(double t) const {
    double const alpha = sde_.alpha(t), sigma = sde_.sigma(t);
    time_slice slice{};
    slice.packed = packed_;
    constexpr std::size_t slot = detail::packed_slot_size<D>;
    SDEKIT_UNROLL
    for (std::size_t k = 0; k < MaxComponents; ++k) {
      double const* c = packed_ + k * slot;
      double const* mean = c + D * D;
      double const* lambda = mean + D;
      double product = 1.0, trace = 0.0;
      SDEKIT_UNROLL
      for (std::size_t j = 0; j < D; ++j) {  // an unused slot has λ = 0, μ = 0: finite, and weight 0
        double const variance = alpha * alpha * lambda[j] + sigma * sigma;
        slice.scaled_mean[k][j] = alpha * mean[j];
        slice.inverse_variance[k][j] = 1.0 / variance;
        product *= variance;
        trace += slice.inverse_variance[k][j];
      }
      slice.trace_inverse[k] = trace;
      slice.active[k] = c[slot - 1];
      slice.log_weight[k] = c[slot - 2];
      slice.scale[k] = 1.0 / std::sqrt(product);
    }
    return slice;
  }

  /// s = ∇log p_t(x).
  template <class State, class Out>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE void operator()(State const& x, double t, Out& s) const {
    at(t).template evaluate<false>(x, s);
  }

  /// tr ∇²log p_t(x), the exact divergence of the score.
  template <class State>
  SDEKIT_HOST_DEVICE double divergence(State const& x, double t) const {
    double s[D];
    return at(t).template evaluate<true>(x, s);
  }

  /// s = ∇log p_t(x), returning tr ∇²log p_t(x): the score and its divergence in one pass.
  template <class State, class Out>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE double score_and_divergence(State const& x, double t, Out& s) const {
    return at(t).template evaluate<true>(x, s);
  }

  /// log p_t(x).
  template <class State>
  SDEKIT_HOST_DEVICE double log_density(State const& x, double t) const {
    double s[D], log_p = 0.0;
    at(t).template evaluate<false>(x, s, &log_p);
    return log_p;
  }

 private:
  SDE sde_;
  double const* packed_;
};

/// The mixture in the layout of gaussian_mixture_kernel_score: MaxComponents slots of
/// packed_slot_size<D> doubles each (copy it to device memory for the CUDA backend).
template <std::size_t D, std::size_t MaxComponents = 4>
std::vector<double> pack_gaussian_mixture(gaussian_mixture const& mixture) {
  if (mixture.dim() != D)
    sdekit::detail::fail("the mixture has dimension d = ", mixture.dim(), "; this kernel score is compiled for d = ", D);
  if (mixture.components() > MaxComponents)
    sdekit::detail::fail("the mixture has ", mixture.components(), " components; this kernel score holds at most ",
                         MaxComponents);
  constexpr std::size_t slot = detail::packed_slot_size<D>;
  std::vector<double> packed(MaxComponents * slot, 0.0);
  for (std::size_t k = mixture.components(); k < MaxComponents; ++k) packed[k * slot + slot - 2] = -1e300;  // log π
  for (std::size_t k = 0; k < mixture.components(); ++k) {
    double* c = packed.data() + k * slot;
    for (std::size_t i = 0; i < D; ++i)
      for (std::size_t j = 0; j < D; ++j) c[i * D + j] = mixture.eigenvectors(k)(Eigen::Index(i), Eigen::Index(j));
    for (std::size_t j = 0; j < D; ++j) {
      c[D * D + j] = mixture.mean(k)[j];
      c[D * D + D + j] = mixture.eigenvalues(k)[Eigen::Index(j)];
    }
    c[slot - 2] = std::log(mixture.weight(k));
    c[slot - 1] = 1.0;
  }
  return packed;
}

/// A mixture packed in host memory, and the kernel scores that view it; it must outlive them.
template <std::size_t D, std::size_t MaxComponents = 4>
class packed_gaussian_mixture {
 public:
  explicit packed_gaussian_mixture(gaussian_mixture const& mixture)
      : data_(pack_gaussian_mixture<D, MaxComponents>(mixture)) {}

  template <class SDE>
  gaussian_mixture_kernel_score<SDE, D, MaxComponents> score(SDE const& sde) const {
    return {sde, data_.data()};
  }

 private:
  std::vector<double> data_;
};

}  // namespace sdekit::diffusion
