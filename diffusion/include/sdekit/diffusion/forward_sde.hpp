// The forward SDE of a diffusion model, dx = f(t) x dt + g(t) dW on t ∈ [0, T], whose transition
// kernel is p_0t(x_t | x_0) = N(α_t x_0, σ_t² I) (Song et al. 2021, ICLR, §3.4; Kingma et al. 2021).
// Every schedule class (ve_sde, vp_sde, sub_vp_sde, cosine_vp_sde, edm_sde) provides, all const:
//
//   T()               end time
//   alpha(t)          mean scale, E[x_t | x_0] = α_t x_0
//   sigma(t)          standard deviation of p_0t, per component
//   lambda(t)         log-SNR, log(α_t / σ_t), decreasing in t
//   f(t)              drift coefficient, d log α_t / dt
//   g2(t)             g(t)², = dσ_t²/dt − 2 f(t) σ_t² for the exact marginals
//   t_of_lambda(lam)  inverse of lambda
//   t_of_sigma(s)     inverse of sigma
//   prior_sigma()     standard deviation of the prior N(0, prior_sigma² I) that sampling starts from
//   name()            "ve", "vp", "subvp", "cosine", "edm"
//
// This header holds the concept check (is_forward_sde_v), the prior N(0, prior_sigma² I) (its
// log-density and counter-based samples) and the forward SDE as a solver-layer problem.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/noise.hpp>
#include <sdekit/solvers/philox_normal.hpp>
#include <sdekit/solvers/problem.hpp>
#include <sdekit/solvers/state.hpp>

namespace sdekit::diffusion {

template <class SDE, class = void>
struct is_forward_sde : std::false_type {};

template <class SDE>
struct is_forward_sde<
    SDE, std::void_t<decltype(double(std::declval<SDE const&>().T())),
                     decltype(double(std::declval<SDE const&>().alpha(0.0))),
                     decltype(double(std::declval<SDE const&>().sigma(0.0))),
                     decltype(double(std::declval<SDE const&>().lambda(0.0))),
                     decltype(double(std::declval<SDE const&>().f(0.0))),
                     decltype(double(std::declval<SDE const&>().g2(0.0))),
                     decltype(double(std::declval<SDE const&>().t_of_lambda(0.0))),
                     decltype(double(std::declval<SDE const&>().t_of_sigma(0.0))),
                     decltype(double(std::declval<SDE const&>().prior_sigma())),
                     decltype(static_cast<const char*>(std::declval<SDE const&>().name()))>>
    : std::true_type {};

/// True when SDE provides the forward-SDE interface listed at the top of this header.
template <class SDE>
inline constexpr bool is_forward_sde_v = is_forward_sde<SDE>::value;

/// The Philox stream of prior samples; the samplers' per-step noise uses stream 0 (grid_brownian).
inline constexpr std::uint32_t prior_stream = 2;

namespace detail {

inline constexpr double pi = 3.14159265358979323846;

/// Number of samples in a batch of dimension d, refusing d = 0 and ragged batches.
inline std::size_t batch_size(std::vector<double> const& x, std::size_t d) {
  if (d == 0) sdekit::detail::fail("d = 0: the sample dimension must be positive");
  if (x.size() % d != 0) sdekit::detail::fail("x.size() = ", x.size(), " is not a multiple of d = ", d);
  return x.size() / d;
}

}  // namespace detail

/// log N(x_b; 0, prior_sigma² I) for each sample b of the batch x (B samples of dimension d).
template <class SDE>
std::vector<double> prior_log_density(SDE const& sde, std::vector<double> const& x, std::size_t d) {
  static_assert(is_forward_sde_v<SDE>, "prior_log_density needs a forward SDE (see forward_sde.hpp).");
  std::size_t const batch = detail::batch_size(x, d);
  double const s2 = sde.prior_sigma() * sde.prior_sigma();
  double const log_norm = -0.5 * double(d) * std::log(2.0 * detail::pi * s2);
  std::vector<double> out(batch);
  for (std::size_t b = 0; b < batch; ++b) {
    double sq = 0.0;
    for (std::size_t j = 0; j < d; ++j) sq += x[b * d + j] * x[b * d + j];
    out[b] = log_norm - 0.5 * sq / s2;
  }
  return out;
}

/// n samples of N(0, prior_sigma² I) in dimension d: component j of sample b is
/// prior_sigma · z(seed, path = first_sample + b, index = j, stream = prior_stream), so a sample
/// depends on neither n nor how a run is split.
template <class SDE>
std::vector<double> sample_prior(SDE const& sde, std::size_t n, std::size_t d, std::uint64_t seed,
                                 std::uint64_t first_sample = 0) {
  static_assert(is_forward_sde_v<SDE>, "sample_prior needs a forward SDE (see forward_sde.hpp).");
  if (d == 0) sdekit::detail::fail("d = 0: the sample dimension must be positive");
  philox_normal const normal(seed);
  std::vector<double> x(n * d);
  for (std::size_t b = 0; b < n; ++b) {
    normal.fill(first_sample + b, 0, d, &x[b * d], prior_stream);
    for (std::size_t j = 0; j < d; ++j) x[b * d + j] *= sde.prior_sigma();
  }
  return x;
}

/// The forward SDE dx = f(t) x dt + √g2(t) dW as a solver-layer problem with additive noise.
template <class SDE>
auto as_problem(SDE const& sde) {
  static_assert(is_forward_sde_v<SDE>, "as_problem needs a forward SDE (see forward_sde.hpp).");
  return sdekit::sde<additive_noise>(
      [sde](auto const& x, double t, auto& out) {
        double const ft = sde.f(t);
        sdekit::for_each([ft](auto& o, auto xi) { o = ft * xi; }, out, x);
      },
      [sde](auto const&, double t, auto& g) {
        double const gt = std::sqrt(sde.g2(t));
        sdekit::for_each([gt](auto& gi) { gi = gt; }, g);
      });
}

}  // namespace sdekit::diffusion
