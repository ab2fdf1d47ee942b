// Probability-flow ODE sampling with adaptive Dormand–Prince 5(4) (Odeint's runge_kutta_dopri5 in
// a controlled stepper; Dormand & Prince 1980): dx/dt = f(t) x − ½ g(t)² ∇log p_t(x) from T down to
// eps, the step chosen from the embedded error with Odeint's norm (max over the batch of
// |err_i|/(atol + rtol |x_i|)). The whole batch takes the same steps, so, unlike the fixed-grid
// samplers, a sample's result depends on the batch it is in (within the tolerance). NFE = the
// number of batched score calls the solve made (six per accepted step plus rejections, FSAL).
#pragma once

#include <cmath>
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include <boost/numeric/odeint/integrate/integrate_adaptive.hpp>
#include <boost/numeric/odeint/stepper/generation.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta_dopri5.hpp>

#include "detail/pf_ode_velocity.hpp"
#include "detail/sampler_support.hpp"
#include "sample_result.hpp"
#include "sampler_options.hpp"

namespace sdekit::diffusion {

struct pf_ode_adaptive_options : sampler_options {
  double rtol = 1e-5;
  double atol = 1e-5;
  double dt0 = 1e-2;  ///< first trial step, as a fraction of T − eps
};

template <class SDE, class Score>
sample_result pf_ode_adaptive_sample(SDE const& sde, Score const& score, double eps, std::vector<double> x,
                                     pf_ode_adaptive_options const& options = {}) {
  namespace odeint = boost::numeric::odeint;
  double const T = sde.T();
  if (!(eps > 0.0) || !std::isfinite(eps)) detail::fail("eps = ", eps, " must be positive (sampling stops at t = eps > 0)");
  if (!(eps < T)) detail::fail("eps = ", eps, " must be below T = ", T);
  detail::validate_sampler_input(sde, std::vector<double>{T, eps}, x, score.dim());
  sdekit::detail::require_positive("rtol", options.rtol);
  sdekit::detail::require_positive("atol", options.atol);
  sdekit::detail::require_positive("dt0", options.dt0);
  detail::counted_score<Score> counted(score, options.first_sample);
  detail::pf_ode_velocity<SDE, Score> velocity(sde, counted);
  auto stepper = odeint::make_controlled(options.atol, options.rtol, odeint::runge_kutta_dopri5<std::vector<double>>());
  odeint::integrate_adaptive(stepper, std::ref(velocity), x, T, eps, -options.dt0 * (T - eps));
  if (options.final_denoise) detail::final_denoise(sde, counted, eps, x);
  return {std::move(x), counted.nfe()};
}

}  // namespace sdekit::diffusion
