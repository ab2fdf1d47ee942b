// Stochastic Heun (the Stratonovich trapezoidal predictor–corrector): with the Euler predictor
// X̄ = X + f(X, t) h + g(X, t) ΔW,
//   X_{k+1} = X + ½ (f(X, t) + f(X̄, t + h)) h + ½ (g(X, t) + g(X̄, t + h)) ΔW.
// Stratonovich calculus; every noise structure. Strong order 0.5 for general noise, 1 for scalar,
// diagonal (commuting) and additive noise; weak order 1. Burrage, Burrage & Tian 2004 (Proc. R. Soc.
// A 460, 373–402), the method of torchsde's "heun".
#pragma once

#include <cstddef>

#include "config.hpp"
#include "element_operations.hpp"
#include "noise.hpp"
#include "noise_product.hpp"
#include "state.hpp"
#include "workspace.hpp"

namespace sdekit {

struct stochastic_heun {
  static constexpr const char* name = "stochastic Heun";
  static constexpr double strong_order = 0.5;  ///< general noise; 1 for commuting noise
  static constexpr double weak_order = 1.0;
  static constexpr bool has_error_estimate = false;
  using calculus = stratonovich;
  template <class Noise>
  static constexpr bool accepts = true;

  template <class State, class Noise>
  using workspace = stepper_workspace<State, Noise, 3, 2>;

  SDEKIT_EXEC_CHECK_DISABLE
  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    using noise = typename Problem::noise;
    auto& f = work.x[0];
    auto& f_predictor = work.x[1];
    auto& predictor = work.x[2];
    auto& g = work.g[0];
    auto& g_predictor = work.g[1];
    brownian.increment(t, t + h, work.dW);
    problem.drift(x, t, f);
    problem.diffusion(x, t, g);
    for_each(assign_add_scaled(h), predictor, x, f);
    add_noise<noise>(predictor, 1.0, g, work.dW);
    problem.drift(predictor, t + h, f_predictor);
    problem.diffusion(predictor, t + h, g_predictor);
    for_each(add_scaled_sum{0.5 * h}, x, f, f_predictor);
    add_noise<noise>(x, 0.5, g, work.dW);
    add_noise<noise>(x, 0.5, g_predictor, work.dW);
  }
};

}  // namespace sdekit
