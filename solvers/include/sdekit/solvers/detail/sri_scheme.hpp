// One step of a Rößler SRI method (sri_tableau.hpp) for scalar or diagonal Itô noise, written once
// for every SRI tableau, with the embedded error estimate of Rackauckas & Nie 2017.
//
// Per component k the step uses the step's ΔW = I_(1) and ΔZ = I_(1,0) = ∫ (W_r − W_s) dr and
//   I_(1,1) = (ΔW² − h)/2,   I_(1,1,1) = (ΔW³ − 3hΔW)/6
// (Kloeden & Platen 1992, §5.2). These are the iterated integrals of one Wiener process, so for
// diagonal noise the scheme has strong order 1.5 when g_k depends on x_k alone (the mixed integrals
// I_(j,k), j ≠ k, that a g_k depending on other components would need are not simulated).
//
// Error estimate (Rackauckas & Nie 2017, §3): the terms with β⁽³⁾, β⁽⁴⁾ are those that lift the
// embedded strong order 1.0 method to order 1.5, so their size estimates the noise part of the
// local error, and the drift stages marked in drift_error estimate its drift part:
//   E_N = |Σ_i (β⁽³⁾_i I_(1,0)/h + β⁽⁴⁾_i I_(1,1,1)/h) g_i|,   E_D = |h Σ_i d_i f_i|,
//   err = δ E_D + E_N   (component-wise; δ = 1/6 as in DifferentialEquations.jl).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

#include "../config.hpp"
#include "../sri_tableau.hpp"
#include "stage_values.hpp"

namespace sdekit::detail {

/// Element k of the step (sri_step below): advances x_k and writes its error estimate e_k.
template <std::size_t S>
struct sri_update {
  std::array<double, S> alpha, beta1, beta2, beta3, beta4, d;
  double delta;
  double h;
  double sqrt_h;

  template <class X, class E, class... V>
  SDEKIT_HOST_DEVICE void operator()(X& xk, E& ek, V... v) const {
    double const value[] = {double(v)...};
    double const dw = value[2 * S];
    double const i10 = value[2 * S + 1];
    double const i11 = 0.5 * (dw * dw - h);
    double const i111 = (dw * dw * dw - 3.0 * h * dw) / 6.0;
    double drift = 0.0, drift_error = 0.0, noise = 0.0, noise_error = 0.0;
    for (std::size_t j = 0; j < S; ++j) {
      double const fj = value[j];
      double const gj = value[S + j];
      if (alpha[j] != 0.0) drift += alpha[j] * fj;
      if (d[j] != 0.0) drift_error += d[j] * fj;
      noise += (beta1[j] * dw + beta2[j] * i11 / sqrt_h) * gj;
      noise_error += (beta3[j] * i10 / h + beta4[j] * i111 / h) * gj;
    }
    xk += h * drift + noise + noise_error;
    ek = delta * std::fabs(h * drift_error) + std::fabs(noise_error);
  }
};

// Fills stage i: H = X_n + h Σ_j a_j f_j + scale Σ_j b_j g_j (j < i), with scale = I_(1,0)/h for
// H⁽⁰⁾ (noise_is_area) and √h for H⁽¹⁾.
template <std::size_t S, class State, class Work, class W, class Z>
SDEKIT_HOST_DEVICE void sri_stage(State& stage, State const& x, Work& work, W const& w, Z const& z, std::size_t i,
                                  std::array<double, S> const& a, std::array<double, S> const& b, double h,
                                  bool noise_is_area) {
  double const sqrt_h = std::sqrt(h);
  for_each_stage_value<S>(stage_value<S>{i, a, b, h, sqrt_h, noise_is_area}, stage, x, work.x, work.g, w, z);
}

/// Advances x by one step of the SRI method `tab` and writes its error estimate into err.
SDEKIT_EXEC_CHECK_DISABLE
template <std::size_t S, class Problem, class Brownian, class State, class Work>
SDEKIT_HOST_DEVICE void sri_step(sri_tableau<S> const& tab, double delta, Problem const& problem,
                                 Brownian& brownian, State& x, double t, double h, Work& work, State& err) {
  using noise = typename Problem::noise;
  brownian.increment(t, t + h, work.dW, work.dZ);
  auto const w = per_component<noise>(work.dW);
  auto const z = per_component<noise>(work.dZ);
  auto& f = work.x;  // f[0..S-1]: drift at the stages; f[S]: the stage state
  auto& g = work.g;
  auto& stage = work.x[S];

  problem.drift(x, t + tab.c0[0] * h, f[0]);
  problem.diffusion(x, t + tab.c1[0] * h, g[0]);
  for (std::size_t i = 1; i < S; ++i) {
    if (tab.uses_drift(i)) {
      if (tab.drift_stage_is_start(i)) {
        f[i] = f[0];
      } else {
        sri_stage<S>(stage, x, work, w, z, i, tab.A0[i], tab.B0[i], h, true);
        problem.drift(stage, t + tab.c0[i] * h, f[i]);
      }
    }
    if (tab.uses_diffusion(i)) {
      sri_stage<S>(stage, x, work, w, z, i, tab.A1[i], tab.B1[i], h, false);
      problem.diffusion(stage, t + tab.c1[i] * h, g[i]);
    }
  }

  sri_update<S> const update{tab.alpha, tab.beta1, tab.beta2, tab.beta3, tab.beta4, tab.drift_error,
                             delta, h, std::sqrt(h)};
  for_each_stage_value<S>(update, x, err, f, g, w, z);
}

}  // namespace sdekit::detail
