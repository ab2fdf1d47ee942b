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
#include "noise.hpp"
#include "noise_product.hpp"
#include "state.hpp"
#include "workspace.hpp"

namespace sdekit {

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
    for_each([h, root_h](auto& s, auto xi, auto fi, auto gi) { s = xi + h * fi + root_h * gi; },
             support, x, f, g);
    problem.diffusion(support, t, g_support);
    for_each([h](auto& xi, auto fi) { xi += h * fi; }, x, f);
    add_noise<noise>(x, 1.0, g, dW);
    double const scale = 0.5 / root_h;
    if constexpr (std::is_same_v<noise, scalar_noise>) {
      double const c = scale * (double(dW[0]) * double(dW[0]) - h);
      for_each([c](auto& xi, auto gs, auto gi) { xi += c * (gs - gi); }, x, g_support, g);
    } else {
      for_each([h, scale](auto& xi, auto gs, auto gi, auto wi) {
        xi += scale * (gs - gi) * (wi * wi - h);
      }, x, g_support, g, dW);
    }
  }
};

}  // namespace sdekit
