// Time grids for sampling: descending times t_0 = T > t_1 > ... > t_n = eps, the order in which a
// sampler visits them. Four spacings:
//   uniform_grid          t_i = T − (i/n)(T − eps)
//   quadratic_grid        t_i = eps + (T − eps)(1 − i/n)²            (Song et al. 2021a, DDIM §D.2)
//   karras_grid           σ_i = (σ_max^{1/ρ} + (i/n)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, ρ = 7
//                         (Karras et al. 2022, eq. 5), in the noise level σ̃ = σ_t/α_t = e^{−λ_t}
//   lambda_uniform_grid   λ uniform between λ_T and λ_eps (Lu et al. 2022, §3.3)
// Every grid is validated: n ≥ 1, 0 < eps < T, and the result strictly descending.
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include <sdekit/solvers/errors.hpp>

namespace sdekit::diffusion {

namespace detail {

inline void validate_grid_request(double T, std::size_t n, double eps) {
  if (n < 1) sdekit::detail::fail("n = ", n, " steps: a time grid needs n ≥ 1");
  sdekit::detail::require_finite("eps", eps);
  if (!(eps > 0.0)) sdekit::detail::fail("eps = ", eps, " must be positive (sampling stops at t = eps > 0)");
  if (!(eps < T)) sdekit::detail::fail("eps = ", eps, " must be below T = ", T);
}

// Fixes the end points exactly and checks that the map from the spacing to t kept the order.
inline std::vector<double> finish_grid(std::vector<double> t, double T, double eps) {
  t.front() = T;
  t.back() = eps;
  for (std::size_t i = 1; i < t.size(); ++i)
    if (!(t[i] < t[i - 1]))
      sdekit::detail::fail("time grid is not strictly descending: t[", i, "] = ", t[i], " ≥ t[", i - 1,
                           "] = ", t[i - 1], " (too many steps for the spacing's resolution)");
  return t;
}

}  // namespace detail

/// n equal steps in t from T down to eps.
template <class SDE>
std::vector<double> uniform_grid(SDE const& sde, std::size_t n, double eps) {
  double const T = sde.T();
  detail::validate_grid_request(T, n, eps);
  std::vector<double> t(n + 1);
  for (std::size_t i = 0; i <= n; ++i) t[i] = T - (double(i) / double(n)) * (T - eps);
  return detail::finish_grid(std::move(t), T, eps);
}

/// Steps that shrink quadratically towards eps: t_i = eps + (T − eps)(1 − i/n)².
template <class SDE>
std::vector<double> quadratic_grid(SDE const& sde, std::size_t n, double eps) {
  double const T = sde.T();
  detail::validate_grid_request(T, n, eps);
  std::vector<double> t(n + 1);
  for (std::size_t i = 0; i <= n; ++i) {
    double const u = 1.0 - double(i) / double(n);
    t[i] = eps + (T - eps) * u * u;
  }
  return detail::finish_grid(std::move(t), T, eps);
}

/// Karras et al.'s noise levels σ_0 = σ_max > ... > σ_n = σ_min (eq. 5): for the EDM SDE (σ_t = t)
/// these are the times themselves.
inline std::vector<double> karras_grid(double sigma_min, double sigma_max, std::size_t n, double rho = 7.0) {
  sdekit::detail::require_positive("sigma_min", sigma_min);
  sdekit::detail::require_positive("sigma_max", sigma_max);
  sdekit::detail::require_positive("rho", rho);
  detail::validate_grid_request(sigma_max, n, sigma_min);
  double const a = std::pow(sigma_max, 1.0 / rho);
  double const b = std::pow(sigma_min, 1.0 / rho);
  std::vector<double> s(n + 1);
  for (std::size_t i = 0; i <= n; ++i) s[i] = std::pow(a + (double(i) / double(n)) * (b - a), rho);
  return detail::finish_grid(std::move(s), sigma_max, sigma_min);
}

/// Karras spacing for any forward SDE: ρ-spaced in σ̃ = σ_t/α_t = e^{−λ_t} between eps and T, then
/// mapped to times with t_of_lambda.
template <class SDE>
std::vector<double> karras_grid(SDE const& sde, std::size_t n, double eps, double rho = 7.0) {
  double const T = sde.T();
  detail::validate_grid_request(T, n, eps);
  std::vector<double> s = karras_grid(std::exp(-sde.lambda(eps)), std::exp(-sde.lambda(T)), n, rho);
  std::vector<double> t(n + 1);
  for (std::size_t i = 0; i <= n; ++i) t[i] = sde.t_of_lambda(-std::log(s[i]));
  return detail::finish_grid(std::move(t), T, eps);
}

/// n equal steps in the half-log-SNR λ_t = log(α_t/σ_t), from λ_T up to λ_eps.
template <class SDE>
std::vector<double> lambda_uniform_grid(SDE const& sde, std::size_t n, double eps) {
  double const T = sde.T();
  detail::validate_grid_request(T, n, eps);
  double const lam_T = sde.lambda(T);
  double const lam_eps = sde.lambda(eps);
  std::vector<double> t(n + 1);
  for (std::size_t i = 0; i <= n; ++i)
    t[i] = sde.t_of_lambda(lam_T + (double(i) / double(n)) * (lam_eps - lam_T));
  return detail::finish_grid(std::move(t), T, eps);
}

}  // namespace sdekit::diffusion
