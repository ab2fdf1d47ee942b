// Euler–Heun: with X̄ = X + g(X, t) ΔW,
//   X_{k+1} = X + f(X, t) h + ½ (g(X, t) + g(X̄, t + h)) ΔW.
// Stratonovich calculus; every noise structure. Strong order 0.5 for general noise, 1 for scalar,
// diagonal (commuting) and additive noise, where the averaged diffusion reproduces the
// Stratonovich Milstein term ½ (L¹g) ΔW²; weak order 1. The method of torchsde's "euler_heun" and
// DifferentialEquations.jl's EulerHeun (orders as torchsde states them; measured in
// tests/solvers/strong_order_low.cpp and strong_order_scalar_noise.cpp).
#pragma once

#include <cstddef>

#include "config.hpp"
#include "element_operations.hpp"
#include "noise.hpp"
#include "noise_product.hpp"
#include "state.hpp"
#include "workspace.hpp"

namespace sdekit {

struct euler_heun {
  static constexpr const char* name = "Euler–Heun";
  static constexpr double strong_order = 0.5;  ///< general noise; 1 for commuting noise
  static constexpr double weak_order = 1.0;
  static constexpr bool has_error_estimate = false;
  using calculus = stratonovich;
  template <class Noise>
  static constexpr bool accepts = true;

  template <class State, class Noise>
  using workspace = stepper_workspace<State, Noise, 2, 2>;

  SDEKIT_EXEC_CHECK_DISABLE
  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    using noise = typename Problem::noise;
    auto& f = work.x[0];
    auto& predictor = work.x[1];
    auto& g = work.g[0];
    auto& g_predictor = work.g[1];
    brownian.increment(t, t + h, work.dW);
    problem.drift(x, t, f);
    problem.diffusion(x, t, g);
    predictor = x;
    add_noise<noise>(predictor, 1.0, g, work.dW);
    problem.diffusion(predictor, t + h, g_predictor);
    for_each(add_scaled{h}, x, f);
    add_noise<noise>(x, 0.5, g, work.dW);
    add_noise<noise>(x, 0.5, g_predictor, work.dW);
  }
};

}  // namespace sdekit
