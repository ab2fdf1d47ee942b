// ODE solves through Boost.Odeint: solve(ode_problem, odeint_stepper, span, dt0, x0, options) with
// the semantics of the SDE solve (solve.hpp): the same validation, save-at times, status, step and
// time of a failure. The steppers are Odeint's own, declared for x0's type:
//   euler, modified_midpoint, runge_kutta4             constant steps only;
//   runge_kutta_cash_karp54, runge_kutta_fehlberg78    constant, or pi_controller → make_controlled,
//                                                      steps clipped to land on save times;
//   runge_kutta_dopri5, rosenbrock4                    constant, or pi_controller → make_dense_output,
//                                                      save times from the dense output (integrate_times);
//   rosenbrock4 (stiff) needs the Jacobian: ode(f).with_jacobian(J); it works on ublas vectors, so
//   x0's type is copied in and out.
// pi_controller's rtol and atol go to Odeint's controller and keep Odeint's meaning (max norm of
// err_i / (atol + rtol (|x_i| + h |x'_i|))); Odeint's own step adjuster chooses the steps, and a
// dense-output stepper retries rejected steps inside Odeint, so those solves report no rejections.
// States: std::vector, std::array, Eigen vectors (through Odeint's Eigen support), float or double.
//
//   namespace odeint = boost::numeric::odeint;
//   auto sol = sdekit::solve(sdekit::ode(f), odeint::runge_kutta_dopri5<std::vector<double>>{}, {0.0, 1.0},
//                            1e-3, x0, sdekit::solve_options<sdekit::pi_controller>{{0.5, 1.0}, {1e-8, 1e-8}});
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>

#include "problem.hpp"
#include "solution.hpp"
#include "solve.hpp"
#include "state.hpp"
#include "step_size_controller.hpp"

// Odeint's steppers hold default-constructed scratch states, and copying a stepper copies them; for
// fixed-size states (std::array, fixed Eigen) g++ reports that never-read storage as uninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace sdekit {
namespace detail {

namespace odeint = boost::numeric::odeint;

template <class Stepper>
struct is_rosenbrock4 : std::false_type {};
template <class Value, class Coefficients, class Resizer>
struct is_rosenbrock4<odeint::rosenbrock4<Value, Coefficients, Resizer>> : std::true_type {};

template <class Stepper>
struct is_dopri5 : std::false_type {};
template <class S, class V, class D, class T, class A, class O, class R>
struct is_dopri5<odeint::runge_kutta_dopri5<S, V, D, T, A, O, R>> : std::true_type {};

template <class Stepper>
inline constexpr bool has_error_estimate_v =
    is_rosenbrock4<Stepper>::value || std::is_base_of_v<odeint::error_stepper_tag, typename Stepper::stepper_category>;

template <class Stepper>
inline constexpr bool has_dense_output_v = is_rosenbrock4<Stepper>::value || is_dopri5<Stepper>::value;

// How an explicit Odeint stepper sees the problem: the caller's state and sys(x, dxdt, t).
template <class Problem, class State, class Stepper, bool = is_rosenbrock4<Stepper>::value>
class odeint_view {
 public:
  using state_type = State;

  odeint_view(Problem const& problem, State const&) : problem_(problem) {}

  auto system() const { return problem_.odeint_system(); }
  State state(State const& x) const { return x; }
  State const& to_caller(State const& x) const { return x; }

 private:
  Problem const& problem_;
};

// How rosenbrock4 sees it: ublas vectors and the pair (sys, jacobian); the caller's callables still
// see the caller's State, copied through two buffers (no allocation per evaluation).
template <class Problem, class State, class Stepper>
class odeint_view<Problem, State, Stepper, true> {
  using value_type = typename Stepper::value_type;
  using matrix_type = typename Stepper::matrix_type;

 public:
  using state_type = typename Stepper::state_type;

  odeint_view(Problem const& problem, State const& x0) : problem_(problem), x_(x0), f_(x0) {}

  auto system() {
    auto f = [this](state_type const& x, state_type& dxdt, value_type t) {
      copy(x, x_);
      problem_.drift(x_, double(t), f_);
      copy(f_, dxdt);
    };
    auto jacobian = [this](state_type const& x, matrix_type& dfdx, value_type t, state_type& dfdt) {
      copy(x, x_);
      problem_.jacobian(x_, double(t), dfdx, f_);
      copy(f_, dfdt);
    };
    return std::make_pair(f, jacobian);
  }

  state_type state(State const& x) const {
    state_type s(dimension(x));
    copy(x, s);
    return s;
  }

  State to_caller(state_type const& s) const {
    State x = x_;
    copy(s, x);
    return x;
  }

 private:
  template <class From, class To>
  static void copy(From const& from, To& to) {
    for (std::size_t i = 0; i < dimension(to); ++i) to[i] = from[i];
  }

  Problem const& problem_;
  State x_;
  State f_;
};

// The solution being built: saves and the stop with a status.
template <class View, class State>
struct ode_record {
  View const& view;
  std::vector<double> const& times;
  solution<State> sol{};
  std::size_t next = 0;

  template <class X>
  void save_reached(double t, X const& x) {
    if (next < times.size() && times[next] <= t) detail::save_reached(sol, times, next, t, view.to_caller(x));
  }

  /// Ends the solve with `status` at time t; `step` is the index of the failed step.
  solution<State> stop(solve_status status, double t, std::size_t step) {
    sol.status = status;
    sol.failed_step = step;
    sol.failed_time = t;
    return std::move(sol);
  }
  solution<State> stop(solve_status status, double t) { return stop(status, t, sol.accepted_steps); }
};

// Constant steps on the grid t0 + k·dt0, ending early only at a save time or at t1 (as solve.hpp).
template <class Record, class View, class Stepper, class X>
auto solve_constant(Record& record, View& view, Stepper& stepper, time_span span, double dt0, X x,
                    std::size_t max_steps) {
  using time_type = typename Stepper::time_type;
  auto system = view.system();
  double const snap = detail::grid_snap(dt0);
  double t = span.t0;
  std::size_t k = 0;
  while (t < span.t1) {
    if (record.sol.accepted_steps >= max_steps) return record.stop(solve_status::max_steps_reached, t);
    double t_next = span.t0 + double(k + 1) * dt0;
    if (record.next < record.times.size()) t_next = std::min(t_next, record.times[record.next]);
    if (t_next > span.t1 - snap) t_next = span.t1;
    stepper.do_step(system, x, time_type(t), time_type(t_next - t));
    if (t_next >= span.t0 + double(k + 1) * dt0 - snap) ++k;
    t = t_next;
    ++record.sol.accepted_steps;
    if (!all_finite(x)) return record.stop(solve_status::non_finite_state, t);
    record.save_reached(t, x);
  }
  return std::move(record.sol);
}

// Odeint's controlled stepper (make_controlled); steps are clipped to land on save times and t1.
template <class Record, class View, class Stepper, class X, class Controller>
auto solve_controlled(Record& record, View& view, Stepper const& stepper, time_span span, double dt0, X x,
                      std::size_t max_steps, Controller const& controller) {
  using time_type = typename Stepper::time_type;
  using value_type = typename Stepper::value_type;
  auto controlled = odeint::make_controlled(value_type(controller.atol), value_type(controller.rtol), stepper);
  auto system = view.system();
  double const dt_min = controller.dt_min > 0.0 ? controller.dt_min : 1e-14 * (span.t1 - span.t0);
  double const snap = detail::grid_snap(dt0);
  double t = span.t0;
  double h = dt0;
  X trial = x;
  while (t < span.t1) {
    if (record.sol.accepted_steps + record.sol.rejected_steps >= max_steps)
      return record.stop(solve_status::max_steps_reached, t);
    double t_next = t + h;
    if (record.next < record.times.size()) t_next = std::min(t_next, record.times[record.next]);
    if (t_next > span.t1 - snap) t_next = span.t1;
    time_type t_try = time_type(t);
    time_type h_try = time_type(t_next - t);
    bool const accepted = controlled.try_step(system, x, t_try, trial, h_try) == odeint::success;
    // A non-finite trial is a failure, not a large error (as in solve.hpp).
    if (!all_finite(trial))
      return record.stop(solve_status::non_finite_state, t_next, record.sol.accepted_steps + 1);
    h = double(h_try);
    if (!accepted) {
      ++record.sol.rejected_steps;
      if (h < dt_min) return record.stop(solve_status::step_size_underflow, t);
      continue;
    }
    std::swap(x, trial);
    t = t_next;
    ++record.sol.accepted_steps;
    record.save_reached(t, x);
  }
  return std::move(record.sol);
}

// Odeint's make_dense_output. For Runge–Kutta steppers it is written out here: the factory copies a
// temporary controller, and g++ at -O1 reports that copy inside Odeint's header, out of this header's
// pragma, for fixed-size states.
template <class Value, class Stepper>
auto dense_output_stepper(Value atol, Value rtol, Stepper const& stepper) {
  if constexpr (is_rosenbrock4<Stepper>::value) {
    return odeint::make_dense_output(atol, rtol, stepper);
  } else {
    using controlled_type = typename odeint::result_of::make_controlled<Stepper>::type;
    using dense_type = typename odeint::result_of::make_dense_output<Stepper>::type;
    using checker_type = typename controlled_type::error_checker_type;
    using adjuster_type = typename controlled_type::step_adjuster_type;
    return dense_type(controlled_type(checker_type(atol, rtol), adjuster_type(), stepper));
  }
}

// Odeint's dense-output stepper (make_dense_output): free steps, save times interpolated; the last
// step is shortened to end on t1, as Odeint's integrate_adaptive does.
template <class Record, class View, class Stepper, class X, class Controller>
auto solve_dense(Record& record, View& view, Stepper const& stepper, time_span span, double dt0, X const& x0,
                 std::size_t max_steps, Controller const& controller) {
  using time_type = typename Stepper::time_type;
  using value_type = typename Stepper::value_type;
  auto dense = dense_output_stepper(value_type(controller.atol), value_type(controller.rtol), stepper);
  auto system = view.system();
  double const snap = detail::grid_snap(dt0);
  X x = x0;
  dense.initialize(x0, time_type(span.t0), time_type(dt0));
  double t = span.t0;
  while (t < span.t1) {
    if (record.sol.accepted_steps >= max_steps) return record.stop(solve_status::max_steps_reached, t);
    if (double(dense.current_time()) + double(dense.current_time_step()) > span.t1)
      dense.initialize(dense.current_state(), dense.current_time(), time_type(span.t1 - t));
    try {
      dense.do_step(system);
    } catch (odeint::step_adjustment_error const&) {
      return record.stop(solve_status::step_size_underflow, t);
    }
    t = span.t1 - double(dense.current_time()) <= snap ? span.t1 : double(dense.current_time());
    ++record.sol.accepted_steps;
    if (!all_finite(dense.current_state())) return record.stop(solve_status::non_finite_state, t);
    while (record.next < record.times.size() && record.times[record.next] < t) {
      dense.calc_state(time_type(record.times[record.next]), x);
      record.save_reached(record.times[record.next], x);
    }
    record.save_reached(t, dense.current_state());
  }
  return std::move(record.sol);
}

}  // namespace detail

/// Solves dx/dt = f(x, t) over span from x0 with an Odeint stepper declared for x0's type.
template <class Drift, class Jacobian, class Stepper, class State, class Controller = constant_step_size>
solution<State> solve(ode_problem<Drift, Jacobian> const& problem, Stepper stepper, time_span span, double dt0,
                      State const& x0, solve_options<Controller> const& options = {}) {
  constexpr bool rosenbrock = detail::is_rosenbrock4<Stepper>::value;
  static_assert(!rosenbrock || ode_problem<Drift, Jacobian>::has_jacobian,
                "rosenbrock4 needs the Jacobian of the drift; build the problem with "
                "sdekit::ode(f).with_jacobian(J).");
  static_assert(rosenbrock || std::is_same_v<typename Stepper::state_type, State>,
                "The Odeint stepper is declared for another state type than x0; declare it with x0's type, "
                "e.g. runge_kutta4<std::vector<double>>.");
  static_assert(!Controller::adaptive || detail::has_error_estimate_v<Stepper>,
                "An adaptive controller needs an Odeint stepper with an error estimate (runge_kutta_cash_karp54, "
                "runge_kutta_dopri5, runge_kutta_fehlberg78, rosenbrock4); this one has none, so use "
                "constant_step_size.");
  detail::validate_span(span, dt0);
  detail::validate_state(x0);
  options.controller.validate();
  std::vector<double> const times = detail::save_times(options.save_at, span);

  using view_type = detail::odeint_view<ode_problem<Drift, Jacobian>, State, Stepper>;
  view_type view(problem, x0);
  detail::ode_record<view_type, State> record{view, times};
  auto const x = view.state(x0);
  record.save_reached(span.t0, x);
  if constexpr (!Controller::adaptive) {
    return detail::solve_constant(record, view, stepper, span, dt0, x, options.max_steps);
  } else if constexpr (detail::has_dense_output_v<Stepper>) {
    return detail::solve_dense(record, view, stepper, span, dt0, x, options.max_steps, options.controller);
  } else {
    return detail::solve_controlled(record, view, stepper, span, dt0, x, options.max_steps, options.controller);
  }
}

}  // namespace sdekit

#pragma GCC diagnostic pop
