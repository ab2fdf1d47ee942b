// SRA1: Rößler's two-stage SRA method for Itô SDEs with additive noise (Rößler 2010, SIAM J. Numer.
// Anal. 48(3)), strong order 1.5 (weak order 2.0); two drift and two diffusion evaluations per step.
// Embedded error estimate of Rackauckas & Nie 2017 for adaptive steps, as in DifferentialEquations.jl's
// SRA1. Additive noise only: g must not depend on x.
#pragma once

#include <type_traits>

#include "config.hpp"
#include "detail/sra_scheme.hpp"
#include "noise.hpp"
#include "sra_tableau.hpp"
#include "workspace.hpp"

namespace sdekit {

/// The SRA1 coefficients, row i of a matrix holding stage i's weights (indices from 0; the paper
/// counts from 1). One aggregate, for the reason given in sri_w1.hpp.
inline constexpr sra_tableau<2> sra1_tableau{
    /* c⁽⁰⁾ */ {0.0, 3.0 / 4.0},
    /* c⁽¹⁾ */ {1.0, 0.0},
    /* A⁽⁰⁾ */ {{{0.0, 0.0}, {3.0 / 4.0, 0.0}}},
    /* B⁽⁰⁾ */ {{{0.0, 0.0}, {3.0 / 2.0, 0.0}}},
    /* α    */ {1.0 / 3.0, 2.0 / 3.0},
    /* β⁽¹⁾ */ {1.0, 0.0},
    /* β⁽²⁾ */ {-1.0, 1.0},
    /* drift_error */ {1.0, 1.0},
};

struct sra1 {
  static constexpr const char* name = "SRA1";
  static constexpr double strong_order = 1.5;
  static constexpr double weak_order = 2.0;
  static constexpr bool has_error_estimate = true;
  using calculus = ito;
  template <class Noise>
  static constexpr bool accepts = std::is_same_v<Noise, additive_noise>;
  static constexpr sra_tableau<2> tableau = sra1_tableau;

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
                  "SRA1 needs additive noise (a diffusion g(t) that does not depend on x); this problem "
                  "declares scalar, diagonal or general noise: use SRIW1 for scalar or diagonal noise, "
                  "Euler–Maruyama for general noise.");
    constexpr auto tab = tableau;  // a local copy: CUDA device code cannot read the static member
    detail::sra_step(tab, drift_error_weight, problem, brownian, x, t, h, work, err);
  }
};

}  // namespace sdekit
