// A two-dimensional linear SDE with diagonal noise, dX = A X dt + Σ_j B_j X dW_j (Itô), with
// B_j = b_j e_j e_jᵀ, so that dX_i = (A X)_i dt + b_i X_i dW_i: two Wiener processes, one per
// component. When A commutes with every B_j the exact solution is the matrix exponential
//   X_t = exp((A − ½ Σ_j B_j²) t + Σ_j B_j W_j(t)) x₀        (Kloeden & Platen 1992, §4.8);
// commuting with both e_j e_jᵀ forces A to be diagonal, so the exponential is taken entry by entry.
// The rates differ per component, so a stepper that mixes components or Wiener processes is caught.
// Stratonovich form: A − ½ Σ_j B_j² in place of A. ∂g_i/∂x_i = b_i is attached for Milstein.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "../brownian_tree.hpp"
#include "../noise.hpp"
#include "../problem.hpp"
#include "detail/exact_path.hpp"

namespace sdekit::catalogue {

struct linear_diagonal_2d {
  static constexpr const char* name = "linear2d";
  static constexpr std::size_t dim = 2;
  using noise = diagonal_noise;

  std::array<double, 2> a{0.5, -0.25};        ///< the diagonal of A
  std::array<double, 2> b{1.0, 0.8};          ///< the noise rates b_i
  std::array<double, 2> initial_value{1.0, 0.5};

  std::vector<double> x0() const { return {initial_value[0], initial_value[1]}; }

  template <class Calculus = ito>
  auto problem() const {
    bool const ito_form = std::is_same_v<Calculus, ito>;
    std::array<double, 2> const rate{ito_form ? a[0] : a[0] - 0.5 * b[0] * b[0],
                                     ito_form ? a[1] : a[1] - 0.5 * b[1] * b[1]};
    std::array<double, 2> const noise_rate = b;
    return sde<noise, Calculus>(
               [rate](auto const& x, double, auto& f) {
                 f[0] = rate[0] * x[0];
                 f[1] = rate[1] * x[1];
               },
               [noise_rate](auto const& x, double, auto& g) {
                 g[0] = noise_rate[0] * x[0];
                 g[1] = noise_rate[1] * x[1];
               })
        .with_diffusion_derivative([noise_rate](auto const&, double, auto& dg) {
          dg[0] = noise_rate[0];
          dg[1] = noise_rate[1];
        });
  }

  std::vector<double> exact(std::vector<double> const& x, double t, brownian_tree& w) const {
    std::vector<double> out(2);
    for (std::size_t i = 0; i < 2; ++i)
      out[i] = x[i] * std::exp((a[i] - 0.5 * b[i] * b[i]) * t + b[i] * detail::brownian_value(w, t, i));
    return out;
  }
};

}  // namespace sdekit::catalogue
