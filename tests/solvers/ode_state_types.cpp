// Claim: the ODE solve gives the same answer whatever the state type: std::vector, std::array,
// Eigen::VectorXd and Eigen::Vector2d give the same bits (RK4 at constant steps, adaptive
// Dormand–Prince with dense output, adaptive Cash–Karp, Rosenbrock 4), and float states are within
// float round-off (2e-5) of the exact solution. No randomness.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include <sdekit/solvers.hpp>

namespace sk = sdekit;
namespace odeint = boost::numeric::odeint;

namespace {

// x' = A x, A = [[−0.5, −2], [2, −0.5]], from (1, 0): x(t) = e^{−t/2} (cos 2t, sin 2t).
auto rotation() {
  return sk::ode([](auto const& x, double, auto& f) {
           f[0] = -0.5 * x[0] - 2.0 * x[1];
           f[1] = 2.0 * x[0] - 0.5 * x[1];
         })
      .with_jacobian([](auto const&, double, auto& dfdx, auto& dfdt) {
        dfdx(0, 0) = -0.5;
        dfdx(0, 1) = -2.0;
        dfdx(1, 0) = 2.0;
        dfdx(1, 1) = -0.5;
        dfdt[0] = 0.0;
        dfdt[1] = 0.0;
      });
}

std::array<double, 2> exact(double t) {
  return {std::exp(-0.5 * t) * std::cos(2.0 * t), std::exp(-0.5 * t) * std::sin(2.0 * t)};
}

template <class State>
State initial_state() {
  State x{};
  if constexpr (sk::detail::has_resize<State>::value) x.resize(2);
  x[0] = 1.0;
  x[1] = 0.0;
  return x;
}

std::vector<double> const save_at{0.0, 0.25, 0.5, 0.75, 1.0};

// The saved states of four solves, as plain doubles.
template <class State, class Value = double>
std::vector<double> run_all() {
  State const x0 = initial_state<State>();
  sk::solve_options<> const constant{save_at};
  sk::solve_options<sk::pi_controller> const adaptive{save_at, {1e-6, 1e-6}};
  std::vector<sk::solution<State>> solutions{
      sk::solve(rotation(), odeint::runge_kutta4<State, Value>{}, {0.0, 1.0}, 0.01, x0, constant),
      sk::solve(rotation(), odeint::runge_kutta_dopri5<State, Value>{}, {0.0, 1.0}, 0.01, x0, adaptive),
      sk::solve(rotation(), odeint::runge_kutta_cash_karp54<State, Value>{}, {0.0, 1.0}, 0.01, x0, adaptive),
      sk::solve(rotation(), odeint::rosenbrock4<Value>{}, {0.0, 1.0}, 0.01, x0, adaptive)};
  std::vector<double> values;
  for (auto const& sol : solutions) {
    BOOST_TEST_REQUIRE(sol.ok(), sol.message());
    BOOST_TEST_REQUIRE(sol.t == save_at);
    for (auto const& x : sol.x) values.insert(values.end(), {double(x[0]), double(x[1])});
  }
  return values;
}

}  // namespace

BOOST_AUTO_TEST_CASE(double_states_give_the_same_bits) {
  std::vector<double> const reference = run_all<std::vector<double>>();
  std::vector<std::vector<double>> const others{run_all<std::array<double, 2>>(), run_all<Eigen::VectorXd>(),
                                                run_all<Eigen::Vector2d>()};
  for (auto const& values : others) BOOST_TEST(values == reference, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(float_states_are_within_float_round_off) {
  for (auto const& values : {run_all<std::vector<float>, float>(), run_all<Eigen::VectorXf, float>()}) {
    std::vector<double> const reference = run_all<std::vector<double>>();
    for (std::size_t i = 0; i < values.size(); ++i)
      BOOST_TEST(std::fabs(values[i] - reference[i]) <= 2e-5,
                 "value " << i << ": " << values[i] << " vs " << reference[i]);
    double const last = std::hypot(values[values.size() - 2] - exact(1.0)[0], values.back() - exact(1.0)[1]);
    BOOST_TEST(last <= 2e-5, "RK4 ... Rosenbrock in float: error at t = 1 is " << last);
  }
}
