// Milstein: X_{k+1} = X_k + f h + g ΔW + ½ (L¹g) (ΔW² − h),  L¹g_i = Σ_k g_k ∂g_i/∂x_k (Itô).
// Strong order 1, weak order 1. Itô calculus; scalar, diagonal and additive noise
// (Kloeden & Platen 1992, §10.3).
//
// For diagonal noise the double integrals I_(j1,j2), j1 ≠ j2, drop out only when the noise commutes,
// that is when g_i depends on x_i alone; then L¹g_i = g_i ∂g_i/∂x_i and ΔW_i is each component's own.
// For scalar noise L¹g is the directional derivative of g along g. Additive noise has L¹g = 0, and
// Milstein is Euler–Maruyama.
//
// ∂g/∂x comes from the problem when it carries one (sde(...).with_diffusion_derivative(dg), the
// diagonal ∂g_i/∂x_i, so L¹g_i = g_i ∂g_i/∂x_i); otherwise L¹g is one forward-mode pass, g evaluated
// at the dual state x + ε g, which needs a diffusion written as a template over the element type.
#pragma once

#include <cstddef>
#include <type_traits>

#include "config.hpp"
#include "element_operations.hpp"
#include "detail/dual.hpp"
#include "noise.hpp"
#include "noise_product.hpp"
#include "state.hpp"
#include "workspace.hpp"

namespace sdekit {

namespace detail {

/// Temporaries of Milstein-type steppers: f, L¹g (or a supporting value), g, and the dual
/// state and diffusion of the forward-mode pass.
template <class State, class Noise>
struct milstein_workspace : stepper_workspace<State, Noise, 2, 1> {
  dual_state_t<State> x_dual{};
  dual_state_t<State> g_dual{};

  void resize(std::size_t n, std::size_t m) {
    stepper_workspace<State, Noise, 2, 1>::resize(n, m);
    detail::resize(x_dual, n);
    detail::resize(g_dual, n);
  }
};

template <class Problem, class State>
inline constexpr bool diffusion_accepts_duals_v =
    std::is_invocable_v<decltype(std::declval<Problem const&>().diffusion_function()), dual_state_t<State> const&,
                        double, dual_state_t<State>&>;

/// x_i += ½ (L¹g)_i (ΔW_i² − h), the Milstein term of diagonal noise.
struct add_milstein_term {
  double h;
  template <class Out, class L, class W>
  SDEKIT_HOST_DEVICE void operator()(Out& xi, L li, W wi) const {
    xi += 0.5 * li * (wi * wi - h);
  }
};

/// lg_i = (L¹g)_i = Σ_k g_k ∂g_i/∂x_k at (x, t), given g = g(x, t).
SDEKIT_EXEC_CHECK_DISABLE
template <class Problem, class State, class Work>
SDEKIT_HOST_DEVICE void milstein_product(Problem const& problem, State const& x, double t, State const& g,
                                         State& lg, Work& work) {
  if constexpr (Problem::has_diffusion_derivative) {
    problem.diffusion_derivative(x, t, lg);
    for_each(multiply_by{}, lg, g);
  } else {
    static_assert(diffusion_accepts_duals_v<Problem, State>,
                  "Milstein needs ∂g/∂x: attach it with sde(...).with_diffusion_derivative(dg), or write the "
                  "diffusion as a template over the state's element type so that it accepts dual numbers.");
    std::size_t const n = dimension(x);
    for (std::size_t i = 0; i < n; ++i) work.x_dual[i] = {x[i], g[i]};
    problem.diffusion(work.x_dual, t, work.g_dual);
    for (std::size_t i = 0; i < n; ++i) lg[i] = work.g_dual[i].derivative;
  }
}

}  // namespace detail

struct milstein {
  static constexpr const char* name = "Milstein";
  static constexpr double strong_order = 1.0;
  static constexpr double weak_order = 1.0;
  static constexpr bool has_error_estimate = false;
  using calculus = ito;
  template <class Noise>
  static constexpr bool accepts = !std::is_same_v<Noise, general_noise>;

  template <class State, class Noise>
  using workspace = detail::milstein_workspace<State, Noise>;

  SDEKIT_EXEC_CHECK_DISABLE
  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    using noise = typename Problem::noise;
    auto& f = work.x[0];
    auto& lg = work.x[1];
    auto& g = work.g[0];
    auto const& dW = work.dW;
    brownian.increment(t, t + h, work.dW);
    problem.drift(x, t, f);
    problem.diffusion(x, t, g);
    if constexpr (!std::is_same_v<noise, additive_noise>) detail::milstein_product(problem, x, t, g, lg, work);
    for_each(add_scaled{h}, x, f);
    add_noise<noise>(x, 1.0, g, dW);
    if constexpr (std::is_same_v<noise, scalar_noise>) {
      double const c = 0.5 * (double(dW[0]) * double(dW[0]) - h);
      for_each(add_scaled{c}, x, lg);
    } else if constexpr (std::is_same_v<noise, diagonal_noise>) {
      for_each(detail::add_milstein_term{h}, x, lg, dW);
    }
  }
};

}  // namespace sdekit
