// DPM-Solver++ 2M and 3M (Lu et al. 2022, "DPM-Solver++", Alg. 2 and App. B): multistep exponential
// integrators of the PF-ODE in λ = log(α/σ) with data prediction x̂_0 = (x + σ² ∇log p)/α.
// From t_k to t_{k+1}, with h = λ_{k+1} − λ_k, D_0 = x̂_0 at t_k and D_1, D_2 the two before:
//   x_{k+1} = (σ_{k+1}/σ_k) x_k − α_{k+1} φ_1 D_0 + correction,
//   φ_1 = e^{−h} − 1,  φ_2 = φ_1/h + 1,  φ_3 = (φ_1 + h)/h² − ½,  r_0 = h_0/h,  r_1 = h_1/h
//   (h_0, h_1 the two previous steps in λ);
//   2M (Alg. 2): correction = −α_{k+1} φ_1 (D_0 − D_1)/(2 r_0);
//   3M:          correction = α_{k+1}(φ_2 D' − φ_3 D''), D'_0 = (D_0 − D_1)/r_0, D'_1 = (D_1 − D_2)/r_1,
//                D' = D'_0 + r_0/(r_0 + r_1)(D'_0 − D'_1), D'' = (D'_0 − D'_1)/(r_0 + r_1).
// Global order 2 (2M) and 3 (3M); one NFE per step. The first steps use the orders their history
// allows; with lower_order_final and fewer than 15 steps the last step is first order and (3M) the
// one before it second order, which stabilises few-step sampling (Lu et al. 2022, App. D).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "detail/sampler_support.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

struct dpm_solver_pp_options : sampler_options {
  int order = 2;                  ///< 2 (DPM-Solver++ 2M) or 3 (3M)
  bool lower_order_final = true;  ///< lower the order of the last steps when the grid has < 15 steps
};

namespace detail {

// Order used at step k of n: limited by the history (k + 1 values of x̂_0) and by lower_order_final.
inline int dpm_step_order(int order, std::size_t k, std::size_t n, bool lower_order_final) {
  int q = std::min<int>(order, int(k) + 1);
  if (lower_order_final && n < 15) {
    if (k + 1 == n) q = 1;
    else if (k + 2 == n) q = std::min(q, 2);
  }
  return q;
}

}  // namespace detail

template <class SDE, class Score>
sample_result dpm_solver_pp_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                                   std::vector<double> x, dpm_solver_pp_options const& options = {}) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  if (options.order != 2 && options.order != 3)
    detail::fail("order = ", options.order, " must be 2 (DPM-Solver++ 2M) or 3 (3M)");
  detail::counted_score<Score> counted(score, options.first_sample);
  std::size_t const n = grid.size() - 1;
  std::vector<double> grad;
  std::vector<std::vector<double>> data(3, std::vector<double>(x.size()));  // D_0, D_1, D_2
  double h_0 = 0.0, h_1 = 0.0;  // the previous two steps in λ
  for (std::size_t k = 0; k < n; ++k) {
    double const t = grid[k], s = grid[k + 1];
    double const alpha_t = sde.alpha(t), sigma_t = sde.sigma(t);
    double const alpha_s = sde.alpha(s), sigma_s = sde.sigma(s);
    double const h = sde.lambda(s) - sde.lambda(t);
    std::rotate(data.rbegin(), data.rbegin() + 1, data.rend());  // D_0 becomes D_1, D_1 becomes D_2
    counted(x, t, grad);
    for (std::size_t i = 0; i < x.size(); ++i) data[0][i] = (x[i] + sigma_t * sigma_t * grad[i]) / alpha_t;
    int const q = detail::dpm_step_order(options.order, k, n, options.lower_order_final);
    double const phi_1 = std::expm1(-h);                     // e^{−h} − 1
    double const phi_2 = phi_1 / h + 1.0;                    // (e^{−h} − 1)/h + 1
    double const phi_3 = (phi_1 + h) / (h * h) - 0.5;        // (e^{−h} − 1 + h)/h² − ½
    double const r_0 = h_0 / h, r_1 = h_1 / h;
    for (std::size_t i = 0; i < x.size(); ++i) {
      double const d_0 = data[0][i];
      double update = -alpha_s * phi_1 * d_0;
      if (q == 2) {
        update += -alpha_s * phi_1 * (0.5 / r_0) * (d_0 - data[1][i]);
      } else if (q == 3) {
        double const d1_0 = (d_0 - data[1][i]) / r_0;
        double const d1_1 = (data[1][i] - data[2][i]) / r_1;
        double const d_1 = d1_0 + r_0 / (r_0 + r_1) * (d1_0 - d1_1);
        double const d_2 = (d1_0 - d1_1) / (r_0 + r_1);
        update += alpha_s * phi_2 * d_1 - alpha_s * phi_3 * d_2;
      }
      x[i] = (sigma_s / sigma_t) * x[i] + update;
    }
    h_1 = h_0;
    h_0 = h;
  }
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
