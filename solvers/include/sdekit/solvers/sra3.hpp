// SRA3: Rößler's three-stage SRA method for Itô SDEs with additive noise (Rößler 2010, SIAM J. Numer.
// Anal. 48(3)), strong order 1.5 (weak order 2.0) with a drift part of deterministic order 3; three
// drift and two diffusion evaluations per step. No embedded error estimate: constant steps only.
// Additive noise only: g must not depend on x.
#pragma once

#include <type_traits>

#include "config.hpp"
#include "detail/sra_scheme.hpp"
#include "noise.hpp"
#include "sra_tableau.hpp"
#include "workspace.hpp"

namespace sdekit {

/// The SRA3 coefficients, row i of a matrix holding stage i's weights (indices from 0; the paper
/// counts from 1). One aggregate, for the reason given in sri_w1.hpp.
inline constexpr sra_tableau<3> sra3_tableau{
    /* c⁽⁰⁾ */ {0.0, 1.0, 1.0 / 2.0},
    /* c⁽¹⁾ */ {1.0, 0.0, 0.0},
    /* A⁽⁰⁾ */ {{{0.0, 0.0, 0.0}, {1.0, 0.0, 0.0}, {1.0 / 4.0, 1.0 / 4.0, 0.0}}},
    /* B⁽⁰⁾ */ {{{0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, {1.0, 1.0 / 2.0, 0.0}}},
    /* α    */ {1.0 / 6.0, 1.0 / 6.0, 2.0 / 3.0},
    /* β⁽¹⁾ */ {1.0, 0.0, 0.0},
    /* β⁽²⁾ */ {-1.0, 1.0, 0.0},
    /* drift_error */ {0.0, 0.0, 0.0},
};

struct sra3 {
  static constexpr const char* name = "SRA3";
  static constexpr double strong_order = 1.5;
  static constexpr double weak_order = 2.0;
  static constexpr bool has_error_estimate = false;
  using calculus = ito;
  template <class Noise>
  static constexpr bool accepts = std::is_same_v<Noise, additive_noise>;
  static constexpr sra_tableau<3> tableau = sra3_tableau;

  template <class State, class Noise>
  using workspace = stepper_workspace<State, Noise, tableau.stages + 1, tableau.stages>;

  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    static_assert(accepts<typename Problem::noise>,
                  "SRA3 needs additive noise (a diffusion g(t) that does not depend on x); this problem "
                  "declares scalar, diagonal or general noise: use SRIW1 for scalar or diagonal noise, "
                  "Euler–Maruyama for general noise.");
    constexpr auto tab = tableau;  // a local copy: CUDA device code cannot read the static member
    detail::sra_step(tab, 0.0, problem, brownian, x, t, h, work, work.x[tableau.stages]);
  }
};

}  // namespace sdekit
