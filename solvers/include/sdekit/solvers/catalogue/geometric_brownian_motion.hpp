// Geometric Brownian motion, dX = μ X dt + σ X dW (Itô), the model problem of Kloeden & Platen
// 1992, §4.4; Stratonovich form dX = (μ − σ²/2) X dt + σ X ∘ dW.
// Exact solution on a Brownian path: X_t = x₀ exp((μ − σ²/2) t + σ W_t).
// One-dimensional, diagonal noise (one Wiener process); ∂g/∂x = σ is attached for Milstein.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "../brownian_tree.hpp"
#include "../noise.hpp"
#include "../problem.hpp"
#include "detail/exact_path.hpp"

namespace sdekit::catalogue {

struct geometric_brownian_motion {
  static constexpr const char* name = "gbm";
  static constexpr std::size_t dim = 1;
  using noise = diagonal_noise;

  double mu = 1.0;     ///< drift rate μ
  double sigma = 0.8;  ///< volatility σ; large enough that the order-½ noise error of Euler–Maruyama dominates
  double initial_value = 1.0;

  std::vector<double> x0() const { return {initial_value}; }

  template <class Calculus = ito>
  auto problem() const {
    double const drift_rate = std::is_same_v<Calculus, ito> ? mu : mu - 0.5 * sigma * sigma;
    double const s = sigma;
    return sde<noise, Calculus>([drift_rate](auto const& x, double, auto& f) { f[0] = drift_rate * x[0]; },
                                [s](auto const& x, double, auto& g) { g[0] = s * x[0]; })
        .with_diffusion_derivative([s](auto const&, double, auto& dg) { dg[0] = s; });
  }

  std::vector<double> exact(std::vector<double> const& x, double t, brownian_tree& w) const {
    double const w_t = detail::brownian_value(w, t, 0);
    return {x[0] * std::exp((mu - 0.5 * sigma * sigma) * t + sigma * w_t)};
  }
};

}  // namespace sdekit::catalogue
