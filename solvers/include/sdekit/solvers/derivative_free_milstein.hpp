// Derivative-free Milstein (Platen's explicit order-1 scheme, Kloeden & Platen 1992, §11.1,
// (11.1.5)): with the supporting value Ῡ = X + f h + g √h,
//   X_{k+1} = X + f h + g ΔW + (g(Ῡ) − g(X)) (ΔW² − h) / (2√h),
// since g(Ῡ) − g(X) = √h L¹g + O(h). Strong order 1, weak order 1, no derivative of g needed.
// Itô calculus; scalar, diagonal (commuting: g_i depends on x_i alone) and additive noise, where it
// is Euler–Maruyama plus a term that vanishes.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>

#include "config.hpp"
#include "element_operations.hpp"
#include "noise.hpp"
#include "noise_product.hpp"
#include "state.hpp"
#include "workspace.hpp"

namespace sdekit {

namespace detail {

/// x_i += scale (g_i(Ῡ) − g_i(X)) (ΔW_i² − h), scale = 1/(2√h): the Milstein term of diagonal noise
/// with (g(Ῡ) − g(X))/√h in place of L¹g.
struct add_derivative_free_milstein_term {
  double scale;
  double h;
  template <class Out, class GS, class G, class W>
  SDEKIT_HOST_DEVICE void operator()(Out& xi, GS gs, G gi, W wi) const {
    xi += scale * (gs - gi) * (wi * wi - h);
  }
};

}  // namespace detail

struct derivative_free_milstein {
  static constexpr const char* name = "derivative-free Milstein";
  static constexpr double strong_order = 1.0;
  static constexpr double weak_order = 1.0;
  static constexpr bool has_error_estimate = false;
  using calculus = ito;
  template <class Noise>
  static constexpr bool accepts = !std::is_same_v<Noise, general_noise>;

  template <class State, class Noise>
  using workspace = stepper_workspace<State, Noise, 2, 2>;

  SDEKIT_EXEC_CHECK_DISABLE
  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    using noise = typename Problem::noise;
    auto& f = work.x[0];
    auto& support = work.x[1];
    auto& g = work.g[0];
    auto& g_support = work.g[1];
    auto const& dW = work.dW;
    double const root_h = std::sqrt(h);
    brownian.increment(t, t + h, work.dW);
    problem.drift(x, t, f);
    problem.diffusion(x, t, g);
    for_each(assign_add_scaled(h, root_h), support, x, f, g);
    problem.diffusion(support, t, g_support);
    for_each(add_scaled{h}, x, f);
    add_noise<noise>(x, 1.0, g, dW);
    double const scale = 0.5 / root_h;
    if constexpr (std::is_same_v<noise, scalar_noise>) {
      double const c = scale * (double(dW[0]) * double(dW[0]) - h);
      for_each(add_scaled_difference{c}, x, g_support, g);
    } else {
      for_each(detail::add_derivative_free_milstein_term{scale, h}, x, g_support, g, dW);
    }
  }
};

}  // namespace sdekit
