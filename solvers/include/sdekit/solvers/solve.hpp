// The entry point: solve(problem, stepper, brownian, span, dt0, x0, options) puts together the
// five objects of DESIGN.md §2 (problem, stepper, Brownian path, step-size controller, save-at)
// and returns a solution with a status. Steps are clipped to land exactly on every save-at time.
//
//   auto sol = sdekit::solve(gbm, sdekit::euler_maruyama{}, sdekit::brownian_tree(42, 0, 0.0, 1.0),
//                            {0.0, 1.0}, 1e-3, x0);
//   if (!sol.ok()) throw std::runtime_error(sol.message());
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "compatibility.hpp"
#include "errors.hpp"
#include "solution.hpp"
#include "state.hpp"
#include "step_size_controller.hpp"

namespace sdekit {

struct time_span {
  double t0;
  double t1;
};

namespace detail {

/// How near a grid point t0 + k·dt0 a time must lie to count as that point: fixed steps end on the
/// grid, and t1 or a save time within this distance of a grid point is reached there.
SDEKIT_HOST_DEVICE inline double grid_snap(double dt0) { return 1e-10 * dt0; }

}  // namespace detail

template <class Controller = constant_step_size>
struct solve_options {
  std::vector<double> save_at{};  ///< ascending times in [t0, t1]; empty saves t1 only
  Controller controller{};
  std::size_t max_steps = 100'000'000;
};

namespace detail {

inline void validate_span(time_span span, double dt0) {
  require_finite("t0", span.t0);
  require_finite("t1", span.t1);
  if (!(span.t1 > span.t0)) fail("time span [", span.t0, ", ", span.t1, "] is empty or inverted: t1 must exceed t0");
  if (!(dt0 > 0.0) || !std::isfinite(dt0)) fail("dt0 = ", dt0, " must be positive and finite");
}

template <class State>
void validate_state(State const& x0) {
  if (dimension(x0) == 0) fail("x0 is empty: the state needs at least one component");
  for (std::size_t i = 0; i < dimension(x0); ++i)
    if (!std::isfinite(double(x0[i]))) fail("x0[", i, "] = ", double(x0[i]), " must be finite");
}

inline std::vector<double> save_times(std::vector<double> const& save_at, time_span span) {
  if (save_at.empty()) return {span.t1};
  for (std::size_t i = 0; i < save_at.size(); ++i) {
    double const s = save_at[i];
    if (!(s >= span.t0 && s <= span.t1)) fail("save_at[", i, "] = ", s, " lies outside [", span.t0, ", ", span.t1, "]");
    if (i > 0 && !(s > save_at[i - 1])) fail("save_at[", i, "] = ", s, " must exceed save_at[", i - 1, "] = ", save_at[i - 1]);
  }
  return save_at;
}

template <class State>
bool all_finite(State const& x) {
  for (std::size_t i = 0; i < dimension(x); ++i)
    if (!std::isfinite(double(x[i]))) return false;
  return true;
}

// The error norm that the adaptive controllers compare with 1: the RMS over the n components of
// err_i / (atol + rtol · max(|x_i|, |x̃_i|)), x the state before the step and x̃ the trial state
// (Hairer, Nørsett & Wanner 1993, eq. II.4.11). A step is accepted when it is ≤ 1.
template <class State>
double scaled_error(State const& err, State const& x, State const& x_new, double rtol, double atol) {
  double sum = 0.0;
  std::size_t const n = dimension(x);
  for (std::size_t i = 0; i < n; ++i) {
    double const scale = atol + rtol * std::max(std::fabs(double(x[i])), std::fabs(double(x_new[i])));
    double const e = double(err[i]) / scale;
    sum += e * e;
  }
  return std::sqrt(sum / double(n));
}

// Records x at every save time that t has reached.
template <class State>
void save_reached(solution<State>& sol, std::vector<double> const& times, std::size_t& next, double t,
                  State const& x) {
  while (next < times.size() && times[next] <= t) {
    sol.t.push_back(times[next]);
    sol.x.push_back(x);
    ++next;
  }
}

}  // namespace detail

template <class Problem, class Method, class Brownian, class State, class Controller = constant_step_size>
solution<State> solve(Problem const& problem, Method const& method, Brownian&& brownian, time_span span,
                      double dt0, State const& x0, solve_options<Controller> const& options = {}) {
  static_assert(std::is_same_v<typename Method::calculus, typename Problem::calculus>,
                "The stepper solves SDEs in the other calculus (Itô vs Stratonovich) than the problem "
                "declares: choose a stepper of the problem's calculus or convert its drift.");
  static_assert(Method::template accepts<typename Problem::noise>,
                "The stepper does not accept the noise structure that the problem declares; its header "
                "lists the structures it accepts.");
  static_assert(!Controller::adaptive || Method::has_error_estimate,
                "An adaptive controller needs a stepper with an embedded error estimate; this stepper has "
                "none, so use constant_step_size.");
  detail::validate_span(span, dt0);
  detail::validate_state(x0);
  options.controller.validate();
  std::vector<double> const times = detail::save_times(options.save_at, span);

  std::size_t const n = detail::dimension(x0);
  std::size_t const m = problem.noise_dim(n);
  brownian.prepare(span.t0, span.t1, dt0, m);
  typename Method::template workspace<State, typename Problem::noise> work;
  work.resize(n, m);

  solution<State> sol;
  sol.t.reserve(times.size());
  sol.x.reserve(times.size());
  State x = x0;
  std::size_t next_save = 0;
  detail::save_reached(sol, times, next_save, span.t0, x);

  // Fixed steps sit on the grid t0 + k·dt0 so that a grid_brownian sees whole steps; a step ends
  // early only at a save time or at t1. A save time within `reach` of a grid point (0.1·3 against
  // 30·0.01) is reached there, not by a step of 10⁻¹⁷ that no grid path has.
  double const snap = detail::grid_snap(dt0);
  double const reach = Controller::adaptive ? 0.0 : snap;
  double t = span.t0;
  double h = dt0;
  double e_prev = 1.0;
  State trial = x;
  State err = x;
  std::size_t k = 0;
  while (t < span.t1) {
    if (sol.accepted_steps + sol.rejected_steps >= options.max_steps) {
      sol.status = solve_status::max_steps_reached;
      sol.failed_step = sol.accepted_steps;
      sol.failed_time = t;
      return sol;
    }
    double t_next;
    if constexpr (Controller::adaptive) {
      t_next = t + h;
    } else {
      t_next = span.t0 + double(k + 1) * dt0;
    }
    if (next_save < times.size() && times[next_save] < t_next - reach) t_next = times[next_save];
    if (t_next > span.t1 - snap) t_next = span.t1;
    double const step = t_next - t;

    if constexpr (Controller::adaptive) {
      trial = x;
      method.step_with_error(problem, brownian, trial, t, step, work, err);
      // A non-finite trial state is a failure, not a large error: shrinking the step would only
      // run into step-size underflow and hide where the state broke.
      if (!detail::all_finite(trial)) {
        sol.status = solve_status::non_finite_state;
        sol.failed_step = sol.accepted_steps + 1;
        sol.failed_time = t_next;
        return sol;
      }
      double const e = detail::scaled_error(err, x, trial, options.controller.rtol, options.controller.atol);
      double const dt_min = options.controller.dt_min > 0.0 ? options.controller.dt_min
                                                              : 1e-14 * (span.t1 - span.t0);
      if (!(e <= 1.0)) {
        ++sol.rejected_steps;
        h = step * options.controller.reject_factor(e, Method::strong_order);
        if (h < dt_min) {
          sol.status = solve_status::step_size_underflow;
          sol.failed_step = sol.accepted_steps;
          sol.failed_time = t;
          return sol;
        }
        continue;
      }
      x = trial;
      h = step * options.controller.accept_factor(e, e_prev, Method::strong_order);
      e_prev = e;
    } else {
      method.step(problem, brownian, x, t, step, work);
      if (t_next >= span.t0 + double(k + 1) * dt0 - snap) ++k;
    }
    t = t_next;
    ++sol.accepted_steps;
    if (!detail::all_finite(x)) {
      sol.status = solve_status::non_finite_state;
      sol.failed_step = sol.accepted_steps;
      sol.failed_time = t;
      return sol;
    }
    detail::save_reached(sol, times, next_save, t + reach, x);
  }
  return sol;
}

}  // namespace sdekit
