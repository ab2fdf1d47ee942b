// One step of a Rößler SRA method (sra_tableau.hpp) for additive Itô noise, written once for every
// SRA tableau, with the embedded error estimate of Rackauckas & Nie 2017.
//
// g depends on t alone, so it is evaluated at X_n at the times t_n + c⁽¹⁾_i h. The step uses
// ΔW = I_(1) and ΔZ = I_(1,0) = ∫ (W_r − W_s) dr of each component.
//
// Error estimate (Rackauckas & Nie 2017, §3): the β⁽²⁾ terms lift the embedded strong order 1.0
// method to order 1.5, so their size estimates the noise part of the local error, and the drift
// stages marked in drift_error estimate its drift part:
//   E_N = |Σ_i β⁽²⁾_i I_(1,0)/h · g_i|,   E_D = |h Σ_i d_i f_i|,   err = δ E_D + E_N (component-wise).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

#include "../config.hpp"
#include "../noise.hpp"
#include "../sra_tableau.hpp"
#include "stage_values.hpp"

namespace sdekit::detail {

/// Element k of the step: advances x_k and writes its error estimate e_k.
template <std::size_t S>
struct sra_update {
  std::array<double, S> alpha, beta1, beta2, d;
  double delta;
  double h;

  template <class X, class E, class... V>
  SDEKIT_HOST_DEVICE void operator()(X& xk, E& ek, V... v) const {
    double const value[] = {double(v)...};
    double const dw = value[2 * S];
    double const i10 = value[2 * S + 1];
    double drift = 0.0, drift_error = 0.0, noise = 0.0, noise_error = 0.0;
    for (std::size_t j = 0; j < S; ++j) {
      double const fj = value[j];
      double const gj = value[S + j];
      if (alpha[j] != 0.0) drift += alpha[j] * fj;
      if (d[j] != 0.0) drift_error += d[j] * fj;
      if (beta1[j] != 0.0) noise += beta1[j] * dw * gj;
      if (beta2[j] != 0.0) noise_error += beta2[j] * i10 / h * gj;
    }
    xk += h * drift + noise + noise_error;
    ek = delta * std::fabs(h * drift_error) + std::fabs(noise_error);
  }
};

/// Advances x by one step of the SRA method `tab` and writes its error estimate into err.
SDEKIT_EXEC_CHECK_DISABLE
template <std::size_t S, class Problem, class Brownian, class State, class Work>
SDEKIT_HOST_DEVICE void sra_step(sra_tableau<S> const& tab, double delta, Problem const& problem,
                                 Brownian& brownian, State& x, double t, double h, Work& work, State& err) {
  auto& f = work.x;  // f[0..S-1]: drift at the stages; f[S]: the stage state
  auto& g = work.g;
  auto& stage = work.x[S];
  brownian.increment(t, t + h, work.dW, work.dZ);
  auto const w = per_component<additive_noise>(work.dW);
  auto const z = per_component<additive_noise>(work.dZ);

  for (std::size_t i = 0; i < S; ++i)
    if (tab.uses_diffusion(i)) problem.diffusion(x, t + tab.c1[i] * h, g[i]);

  problem.drift(x, t + tab.c0[0] * h, f[0]);
  for (std::size_t i = 1; i < S; ++i) {
    if (!tab.uses_drift(i)) continue;
    // SRA stages weigh the diffusions by ΔZ/h only (noise_is_area), so √h is not needed.
    for_each_stage_value<S>(stage_value<S>{i, tab.A0[i], tab.B0[i], h, 0.0, true}, stage, x, f, g, w, z);
    problem.drift(stage, t + tab.c0[i] * h, f[i]);
  }

  sra_update<S> const update{tab.alpha, tab.beta1, tab.beta2, tab.drift_error, delta, h};
  for_each_stage_value<S>(update, x, err, f, g, w, z);
}

}  // namespace sdekit::detail
