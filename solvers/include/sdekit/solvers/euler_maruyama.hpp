// Euler–Maruyama: X_{k+1} = X_k + f(X_k, t_k) h + g(X_k, t_k) ΔW_k.
// Strong order 0.5 (1.0 for additive noise), weak order 1.
// Itô calculus; accepts every noise structure. Kloeden & Platen 1992, §10.2.
#pragma once

#include <cstddef>

#include "config.hpp"
#include "element_operations.hpp"
#include "noise.hpp"
#include "noise_product.hpp"
#include "state.hpp"
#include "workspace.hpp"

namespace sdekit {

struct euler_maruyama {
  static constexpr const char* name = "Euler–Maruyama";
  static constexpr double strong_order = 0.5;
  static constexpr double weak_order = 1.0;
  static constexpr bool has_error_estimate = false;
  using calculus = ito;
  template <class Noise>
  static constexpr bool accepts = true;

  template <class State, class Noise>
  using workspace = stepper_workspace<State, Noise, 1, 1>;

  SDEKIT_EXEC_CHECK_DISABLE
  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    using noise = typename Problem::noise;
    auto& f = work.x[0];
    auto& g = work.g[0];
    brownian.increment(t, t + h, work.dW);
    problem.drift(x, t, f);
    problem.diffusion(x, t, g);
    for_each(add_scaled{h}, x, f);
    add_noise<noise>(x, 1.0, g, work.dW);
  }
};

}  // namespace sdekit
