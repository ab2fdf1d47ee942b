// The probability-flow ODE (Song et al. 2021, ICLR, eq. 13) as an Odeint system over the batch:
//   dx/dt = f(t) x − ½ g(t)² ∇log p_t(x),
// one counted score call per evaluation.
#pragma once

#include <cstddef>
#include <vector>

#include "sampler_support.hpp"

namespace sdekit::diffusion::detail {

template <class SDE, class Score>
class pf_ode_velocity {
 public:
  pf_ode_velocity(SDE const& sde, counted_score<Score>& score) : sde_(sde), score_(score) {}

  void operator()(std::vector<double> const& x, std::vector<double>& dxdt, double t) {
    score_(x, t, grad_);
    double const f = sde_.f(t);
    double const half_g2 = 0.5 * sde_.g2(t);
    dxdt.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) dxdt[i] = f * x[i] - half_g2 * grad_[i];
  }

 private:
  SDE const& sde_;
  counted_score<Score>& score_;
  std::vector<double> grad_;
};

}  // namespace sdekit::diffusion::detail
