// SRIW1: Rößler's four-stage SRI method for Itô SDEs with scalar or diagonal noise (Rößler 2010,
// SIAM J. Numer. Anal. 48(3); the name is DifferentialEquations.jl's), strong order 1.5; for diagonal
// noise each g_k must depend on x_k alone (see detail/sri_scheme.hpp). Two drift and four diffusion
// evaluations per step. Embedded error estimate of Rackauckas & Nie 2017 for adaptive steps, as in
// DifferentialEquations.jl's SRIW1.
// Weak order: stated as 1.5, the order that strong order 1.5 guarantees. For scalar autonomous SDEs
// the one-step moments E(X₁ − x)ᵏ match the exact ones to O(h³) except the second, which is off by
// −g²(6 f g'' + g² g''') h^{5/2}/12 (derived by series expansion and confirmed by Gauss–Hermite
// quadrature of the step), so weak order 2 holds where that vanishes (g'' = g''' = 0, e.g. GBM:
// tests/solvers/weak_order_sri_w1.cpp) but not in general.
#pragma once

#include <type_traits>

#include "config.hpp"
#include "detail/sri_scheme.hpp"
#include "noise.hpp"
#include "sri_tableau.hpp"
#include "workspace.hpp"

namespace sdekit {

/// The SRIW1 coefficients, row i of a matrix holding stage i's weights (indices from 0; the paper
/// counts from 1). Written as one aggregate: g++ 12.2 at -O3 misreads, in vectorised loops, constexpr
/// tables built by assigning members inside a constexpr function.
inline constexpr sri_tableau<4> sri_w1_tableau{
    /* c⁽⁰⁾ */ {0.0, 3.0 / 4.0, 0.0, 0.0},
    /* c⁽¹⁾ */ {0.0, 1.0 / 4.0, 1.0, 1.0 / 4.0},
    /* A⁽⁰⁾ */ {{{0.0, 0.0, 0.0, 0.0}, {3.0 / 4.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}}},
    /* A⁽¹⁾ */ {{{0.0, 0.0, 0.0, 0.0}, {1.0 / 4.0, 0.0, 0.0, 0.0}, {1.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 1.0 / 4.0, 0.0}}},
    /* B⁽⁰⁾ */ {{{0.0, 0.0, 0.0, 0.0}, {3.0 / 2.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}}},
    /* B⁽¹⁾ */ {{{0.0, 0.0, 0.0, 0.0}, {1.0 / 2.0, 0.0, 0.0, 0.0}, {-1.0, 0.0, 0.0, 0.0}, {-5.0, 3.0, 1.0 / 2.0, 0.0}}},
    /* α    */ {1.0 / 3.0, 2.0 / 3.0, 0.0, 0.0},
    /* β⁽¹⁾ */ {-1.0, 4.0 / 3.0, 2.0 / 3.0, 0.0},
    /* β⁽²⁾ */ {-1.0, 4.0 / 3.0, -1.0 / 3.0, 0.0},
    /* β⁽³⁾ */ {2.0, -4.0 / 3.0, -2.0 / 3.0, 0.0},
    /* β⁽⁴⁾ */ {-2.0, 5.0 / 3.0, -2.0 / 3.0, 1.0},
    /* drift_error */ {1.0, 1.0, 0.0, 0.0},
};

struct sri_w1 {
  static constexpr const char* name = "SRIW1";
  static constexpr double strong_order = 1.5;
  static constexpr double weak_order = 1.5;
  static constexpr bool has_error_estimate = true;
  using calculus = ito;
  template <class Noise>
  static constexpr bool accepts = std::is_same_v<Noise, scalar_noise> || is_diagonal_like_v<Noise>;
  static constexpr sri_tableau<4> tableau = sri_w1_tableau;

  double drift_error_weight = 1.0 / 6.0;  ///< δ of the error estimate err = δ E_D + E_N

  template <class State, class Noise>
  using workspace = stepper_workspace<State, Noise, tableau.stages + 1, tableau.stages>;

  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    step_with_error(problem, brownian, x, t, h, work, work.x[tableau.stages]);
  }

  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step_with_error(Problem const& problem, Brownian& brownian, State& x, double t,
                                          double h, Work& work, State& err) const {
    static_assert(accepts<typename Problem::noise>,
                  "SRIW1 needs scalar or diagonal noise (it simulates the iterated integrals of one Wiener "
                  "process per component); this problem declares general noise: use Euler–Maruyama.");
    constexpr auto tab = tableau;  // a local copy: CUDA device code cannot read the static member
    detail::sri_step(tab, drift_error_weight, problem, brownian, x, t, h, work, err);
  }
};

}  // namespace sdekit
