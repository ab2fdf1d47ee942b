// sdekit's SDE steppers as Boost.Odeint steppers, so that integrate_const, integrate_n_steps and
// observers drive them: the "system" is a problem bound to its Brownian path,
//
//   sdekit::odeint_sde_stepper<sdekit::euler_maruyama, std::vector<double>> stepper;
//   boost::numeric::odeint::integrate_const(stepper, sdekit::driven(gbm, sdekit::grid_brownian(42)),
//                                           x, 0.0, 1.0, 1.0 / 64, observer);
//
// A step is the method's own step on the same path, so the states are those of sdekit::solve with
// the same problem, path and grid (bit for bit when the grid times t0 + k·dt are exact).
// A path whose grid or dimension is not fixed yet is prepared at the first step, from that step.
// Odeint's integrate functions take fixed steps: adaptive SDE solves go through sdekit::solve.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/numeric/odeint/stepper/stepper_categories.hpp>

#include "noise.hpp"
#include "state.hpp"

namespace sdekit {

/// An SDE problem driven by one Brownian path: the system an odeint_sde_stepper steps.
/// Both are held by value; the path is a pure function of time, so its query cache is mutable.
template <class Problem, class Brownian>
class driven_system {
 public:
  driven_system(Problem problem, Brownian brownian) : problem_(std::move(problem)), brownian_(std::move(brownian)) {}

  Problem const& problem() const { return problem_; }
  Brownian& brownian() const { return brownian_; }

 private:
  Problem problem_;
  mutable Brownian brownian_;
};

/// Binds a problem to its Brownian path.
template <class Problem, class Brownian>
driven_system<Problem, std::decay_t<Brownian>> driven(Problem problem, Brownian&& brownian) {
  return {std::move(problem), std::forward<Brownian>(brownian)};
}

/// Odeint's Stepper concept over an sdekit SDE method.
template <class Method, class State>
class odeint_sde_stepper {
 public:
  using state_type = State;
  using value_type = detail::value_type_t<State>;
  using deriv_type = State;
  using time_type = double;
  using order_type = double;  ///< strong orders can be fractional (0.5, 1.5)
  using stepper_category = boost::numeric::odeint::stepper_tag;

  explicit odeint_sde_stepper(Method method = {}) : method_(std::move(method)) {}

  /// The method's strong order.
  static constexpr order_type order() { return Method::strong_order; }

  /// One step of the method from (x, t) to t + dt on the system's path.
  template <class System>
  void do_step(System const& system, State& x, time_type t, time_type dt) {
    using problem_type = std::decay_t<decltype(system.problem())>;
    using noise = typename problem_type::noise;
    static_assert(std::is_same_v<typename Method::calculus, typename problem_type::calculus>,
                  "The stepper solves SDEs in the other calculus (Itô vs Stratonovich) than the problem "
                  "declares: choose a stepper of the problem's calculus or convert its drift.");
    static_assert(Method::template accepts<noise>,
                  "The stepper does not accept the noise structure that the problem declares; its header "
                  "lists the structures it accepts.");
    auto& brownian = system.brownian();
    std::size_t const n = detail::dimension(x);
    std::size_t const m = system.problem().noise_dim(n);
    if (brownian.dim() == 0) brownian.prepare(t, t + dt, dt, m);
    auto& work = std::get<noise_index<noise>>(work_);
    work.resize(n, m);
    method_.step(system.problem(), brownian, x, t, dt, work);
  }

 private:
  // The workspace depends on the problem's noise structure, known only at do_step: keep one for each.
  template <class Noise>
  static constexpr std::size_t noise_index = std::is_same_v<Noise, scalar_noise>     ? 0
                                             : std::is_same_v<Noise, diagonal_noise> ? 1
                                             : std::is_same_v<Noise, additive_noise> ? 2
                                                                                     : 3;

  template <class Noise>
  using workspace = typename Method::template workspace<State, Noise>;

  Method method_;
  std::tuple<workspace<scalar_noise>, workspace<diagonal_noise>, workspace<additive_noise>,
             workspace<general_noise>>
      work_{};
};

}  // namespace sdekit
