// Kloeden & Platen 1992, §4.4, (4.27): du = −a² sin u cos³u dt + a cos²u dW (Itô), whose Stratonovich
// form has no drift: du = a cos²u ∘ dW. Exact solution on a Brownian path: u_t = atan(a W_t + tan u₀)
// (Itô's formula on atan(y), y = a W + tan u₀: atan' = cos²u, atan'' = −2 sin u cos³u).
// One-dimensional, diagonal noise; ∂g/∂u = −2a sin u cos u is attached for Milstein.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "../brownian_tree.hpp"
#include "../noise.hpp"
#include "../problem.hpp"
#include "detail/exact_path.hpp"

namespace sdekit::catalogue {

struct kloeden_platen_wave {
  static constexpr const char* name = "wave";
  static constexpr std::size_t dim = 1;
  using noise = diagonal_noise;

  double a = 1.0;              ///< noise amplitude
  double initial_value = 0.5;  ///< u₀ in (−π/2, π/2)

  std::vector<double> x0() const { return {initial_value}; }

  template <class Calculus = ito>
  auto problem() const {
    double const a_ = a;
    double const drift_scale = std::is_same_v<Calculus, ito> ? -a * a : 0.0;
    return sde<noise, Calculus>(
               [drift_scale](auto const& x, double, auto& f) {
                 double const u = x[0];
                 double const c = std::cos(u);
                 f[0] = drift_scale * std::sin(u) * c * c * c;
               },
               [a_](auto const& x, double, auto& g) {
                 double const u = x[0];
                 double const c = std::cos(u);
                 g[0] = a_ * c * c;
               })
        .with_diffusion_derivative([a_](auto const& x, double, auto& dg) {
          double const u = x[0];
          dg[0] = -2.0 * a_ * std::sin(u) * std::cos(u);
        });
  }

  std::vector<double> exact(std::vector<double> const& x, double t, brownian_tree& w) const {
    return {std::atan(a * detail::brownian_value(w, t, 0) + std::tan(x[0]))};
  }
};

}  // namespace sdekit::catalogue
