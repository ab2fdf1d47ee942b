// Additive noise with time-dependent coefficients (Kloeden & Platen 1992, §4.4; the
// "additive" problem of DifferentialEquations.jl's SDE test set, α = 0.1, β = 0.05):
//   dX = (β/√(1+t) − X/(2(1+t))) dt + αβ/√(1+t) dW   (Itô and Stratonovich alike),
//   X_t = x₀/√(1+t) + β (t + α W_t)/√(1+t),
// checked by d(X √(1+t)) = β dt + αβ dW. The exact solution depends on W_t alone.
// One-dimensional, additive noise.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "../brownian_tree.hpp"
#include "../noise.hpp"
#include "../problem.hpp"
#include "detail/exact_path.hpp"

namespace sdekit::catalogue {

struct additive_time_dependent {
  static constexpr const char* name = "additive";
  static constexpr std::size_t dim = 1;
  using noise = additive_noise;

  double alpha = 0.1;
  double beta = 0.05;
  double initial_value = 1.0;

  std::vector<double> x0() const { return {initial_value}; }

  template <class Calculus = ito>
  auto problem() const {
    double const a = alpha, b = beta;
    return sde<noise, Calculus>(
        [b](auto const& x, double t, auto& f) { f[0] = b / std::sqrt(1.0 + t) - x[0] / (2.0 * (1.0 + t)); },
        [a, b](auto const&, double t, auto& g) { g[0] = a * b / std::sqrt(1.0 + t); });
  }

  std::vector<double> exact(std::vector<double> const& x, double t, brownian_tree& w) const {
    double const w_t = detail::brownian_value(w, t, 0);
    double const root = std::sqrt(1.0 + t);
    return {x[0] / root + beta * (t + alpha * w_t) / root};
  }
};

}  // namespace sdekit::catalogue
