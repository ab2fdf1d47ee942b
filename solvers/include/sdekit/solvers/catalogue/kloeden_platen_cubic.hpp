// Kloeden & Platen 1992, §4.4, (4.46) dy = −(a + b²y)(1 − y²) dt + b(1 − y²) dW with a = 0, b = ½:
// du = −¼ u (1 − u²) dt + ½ (1 − u²) dW (Itô), whose Stratonovich form has no drift:
// du = ½ (1 − u²) ∘ dW. Exact solution on a Brownian path: u_t = tanh(W_t/2 + atanh u₀).
// Check by Itô's formula on u = tanh y, y = W/2 + atanh u₀: tanh' = 1 − u², tanh'' = −2u(1 − u²), so
// du = ½(1 − u²) dW + ½ · (−2u(1 − u²)) · ¼ dt = −¼ u(1 − u²) dt + ½(1 − u²) dW.
// One-dimensional, diagonal noise; ∂g/∂u = −u is attached for Milstein.
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

struct kloeden_platen_cubic {
  static constexpr const char* name = "cubic";
  static constexpr std::size_t dim = 1;
  using noise = diagonal_noise;

  double initial_value = 0.5;  ///< u₀ in (−1, 1)

  std::vector<double> x0() const { return {initial_value}; }

  template <class Calculus = ito>
  auto problem() const {
    double const drift_scale = std::is_same_v<Calculus, ito> ? -0.25 : 0.0;
    return sde<noise, Calculus>(
               [drift_scale](auto const& x, double, auto& f) {
                 double const u = x[0];
                 f[0] = drift_scale * u * (1.0 - u * u);
               },
               [](auto const& x, double, auto& g) {
                 double const u = x[0];
                 g[0] = 0.5 * (1.0 - u * u);
               })
        .with_diffusion_derivative([](auto const& x, double, auto& dg) { dg[0] = -double(x[0]); });
  }

  std::vector<double> exact(std::vector<double> const& x, double t, brownian_tree& w) const {
    return {std::tanh(0.5 * detail::brownian_value(w, t, 0) + std::atanh(x[0]))};
  }
};

}  // namespace sdekit::catalogue
