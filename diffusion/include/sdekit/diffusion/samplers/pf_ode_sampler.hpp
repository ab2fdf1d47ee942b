// Probability-flow ODE sampling with any fixed-step Odeint stepper (Song et al. 2021, ICLR, eq. 13):
// dx/dt = f(t) x − ½ g(t)² ∇log p_t(x), integrated from t_0 down the grid with one stepper step
// per grid interval (negative dt). The order is the stepper's: euler (1), modified_midpoint,
// runge_kutta4 (4, the default), ...; NFE per step is its number of stages (4 for RK4).
// Deterministic: the result is a function of x_T alone.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include <boost/numeric/odeint/stepper/runge_kutta4.hpp>

#include "detail/pf_ode_velocity.hpp"
#include "detail/sampler_support.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

template <class SDE, class Score, class OdeStepper = boost::numeric::odeint::runge_kutta4<std::vector<double>>>
sample_result pf_ode_sample(SDE const& sde, Score const& score, std::vector<double> const& grid,
                            std::vector<double> x, sampler_options const& options = {},
                            OdeStepper stepper = OdeStepper()) {
  detail::validate_sampler_input(sde, grid, x, score.dim());
  detail::counted_score<Score> counted(score, options.first_sample);
  detail::pf_ode_velocity<SDE, Score> velocity(sde, counted);
  for (std::size_t k = 0; k + 1 < grid.size(); ++k) stepper.do_step(std::ref(velocity), x, grid[k], grid[k + 1] - grid[k]);
  if (options.final_denoise) detail::final_denoise(sde, counted, grid.back(), x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
