// Claim: the ODE solve refuses bad input with a message naming the parameter and value, and reports a
// non-finite state or too many steps with the step and the time, for constant, controlled and
// dense-output steppers. No randomness.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include <sdekit/solvers.hpp>

#include "error_message_check.hpp"

namespace sk = sdekit;
namespace odeint = boost::numeric::odeint;

namespace {

using state = std::vector<double>;
using rk4 = odeint::runge_kutta4<state>;
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

auto decay() {
  return sk::ode([](auto const& x, double, auto& f) { f[0] = -x[0]; });
}

// f = NaN for t > 0.5.
auto breaks_after_half() {
  return sk::ode([](auto const& x, double t, auto& f) { f[0] = t > 0.5 ? not_a_number : -x[0]; });
}

using sdekit_test::check_message;

}  // namespace

BOOST_AUTO_TEST_CASE(inverted_or_empty_span_is_refused) {
  check_message([] { sk::solve(decay(), rk4{}, {1.0, 0.0}, 0.1, state{1.0}); }, "time span [1, 0]");
  check_message([] { sk::solve(decay(), rk4{}, {1.0, 1.0}, 0.1, state{1.0}); }, "time span [1, 1]");
  check_message([] { sk::solve(decay(), rk4{}, {not_a_number, 1.0}, 0.1, state{1.0}); }, "t0 = nan");
}

BOOST_AUTO_TEST_CASE(non_positive_or_nan_step_is_refused) {
  check_message([] { sk::solve(decay(), rk4{}, {0.0, 1.0}, 0.0, state{1.0}); }, "dt0 = 0");
  check_message([] { sk::solve(decay(), rk4{}, {0.0, 1.0}, -0.1, state{1.0}); }, "dt0 = -0.1");
  check_message([] { sk::solve(decay(), rk4{}, {0.0, 1.0}, not_a_number, state{1.0}); }, "dt0 = nan");
}

BOOST_AUTO_TEST_CASE(non_finite_or_empty_initial_state_is_refused) {
  check_message([] { sk::solve(decay(), rk4{}, {0.0, 1.0}, 0.1, state{not_a_number}); }, "x0[0] = nan");
  check_message([] { sk::solve(decay(), rk4{}, {0.0, 1.0}, 0.1, state{1.0, infinity}); }, "x0[1] = inf");
  check_message([] { sk::solve(decay(), rk4{}, {0.0, 1.0}, 0.1, state{}); }, "x0 is empty");
}

BOOST_AUTO_TEST_CASE(bad_save_times_and_tolerances_are_refused) {
  check_message([] { sk::solve(decay(), rk4{}, {0.0, 1.0}, 0.1, state{1.0}, sk::solve_options<>{{0.5, 2.0}}); },
                "save_at[1] = 2");
  check_message(
      [] {
        sk::solve(decay(), odeint::runge_kutta_dopri5<state>{}, {0.0, 1.0}, 0.1, state{1.0},
                  sk::solve_options<sk::pi_controller>{{}, {-1e-6, 1e-6}});
      },
      "rtol = -9.9999999999999995e-07");
}

BOOST_AUTO_TEST_CASE(nan_drift_stops_with_step_and_time) {
  // RK4 with dt = 1/8: the step from 0.5 evaluates f at 0.5625, so step 5 ends at t = 0.625.
  auto const constant = sk::solve(breaks_after_half(), rk4{}, {0.0, 1.0}, 0.125, state{1.0});
  BOOST_TEST((constant.status == sk::solve_status::non_finite_state));
  BOOST_TEST(constant.message() == "non-finite state at step 5, t = 0.625");
  BOOST_CHECK_THROW(constant.value(), sk::solve_error);

  sk::solve_options<sk::pi_controller> const adaptive{{}, {1e-8, 1e-8}};
  auto const controlled =
      sk::solve(breaks_after_half(), odeint::runge_kutta_cash_karp54<state>{}, {0.0, 1.0}, 0.01, state{1.0}, adaptive);
  BOOST_TEST((controlled.status == sk::solve_status::non_finite_state));
  BOOST_TEST(controlled.failed_time > 0.5);
  BOOST_TEST(controlled.message().find("non-finite state at step ") == 0u, controlled.message());

  auto const dense =
      sk::solve(breaks_after_half(), odeint::runge_kutta_dopri5<state>{}, {0.0, 1.0}, 0.01, state{1.0}, adaptive);
  BOOST_TEST((dense.status == sk::solve_status::non_finite_state), dense.message());
  BOOST_TEST(dense.failed_time > 0.5);
}

BOOST_AUTO_TEST_CASE(max_steps_stops_with_step_and_time) {
  sk::solve_options<> constant_options{};
  constant_options.max_steps = 3;
  auto const constant = sk::solve(decay(), rk4{}, {0.0, 1.0}, 0.125, state{1.0}, constant_options);
  BOOST_TEST((constant.status == sk::solve_status::max_steps_reached));
  BOOST_TEST(constant.message() == "maximum number of steps reached at step 3, t = 0.375");

  sk::solve_options<sk::pi_controller> adaptive{{}, {1e-10, 1e-10}};
  adaptive.max_steps = 5;
  auto const dense = sk::solve(decay(), odeint::runge_kutta_dopri5<state>{}, {0.0, 1.0}, 0.01, state{1.0}, adaptive);
  auto const controlled =
      sk::solve(decay(), odeint::runge_kutta_fehlberg78<state>{}, {0.0, 1.0}, 0.01, state{1.0}, adaptive);
  for (auto const* sol : {&dense, &controlled}) {
    BOOST_TEST((sol->status == sk::solve_status::max_steps_reached), sol->message());
    BOOST_TEST(sol->failed_time < 1.0);
  }
}
