// Claim: the Odeint steppers behind sdekit::solve(ode_problem, ...) have their orders. On the damped
// rotation x' = A x, A = [[−a, −ω], [ω, −a]], exact x(t) = e^{At} x0 = e^{−at} R(ωt) x0, the fitted slope
// of log |error(T)| against log dt is within 0.1 of Euler 1, RK4 4, Cash–Karp 5, Dormand–Prince 5 and
// Fehlberg 8 at constant steps (dt ranges chosen above round-off); adaptive Dormand–Prince is within
// 10·tol, also at its dense-output save times; on the stiff x' = B x (eigenvalues −10⁴ and −1)
// Rosenbrock 4 is within 1e-6 with 20 steps where RK4 with 20 steps (h·λ = −500) blows up. No randomness.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <sdekit/solvers.hpp>

namespace sk = sdekit;
namespace odeint = boost::numeric::odeint;

namespace {

using state = std::vector<double>;

constexpr double a = 0.5;
constexpr double omega = 2.0;

auto rotation() {
  return sk::ode([](auto const& x, double, auto& f) {
    f[0] = -a * x[0] - omega * x[1];
    f[1] = omega * x[0] - a * x[1];
  });
}

// e^{At} (1, 0)ᵀ.
std::array<double, 2> rotation_exact(double t) {
  return {std::exp(-a * t) * std::cos(omega * t), std::exp(-a * t) * std::sin(omega * t)};
}

template <class State>
double distance(State const& x, std::array<double, 2> const& exact) {
  return std::hypot(x[0] - exact[0], x[1] - exact[1]);
}

// Least-squares slope of log error against log dt, over dt = 2^-first ... 2^-last.
template <class Stepper>
double fitted_order(Stepper stepper, int first, int last) {
  std::vector<double> log_dt, log_err;
  for (int level = first; level <= last; ++level) {
    double const dt = std::ldexp(1.0, -level);
    auto const sol = sk::solve(rotation(), stepper, {0.0, 1.0}, dt, state{1.0, 0.0});
    log_dt.push_back(std::log(dt));
    log_err.push_back(std::log(distance(sol.value(), rotation_exact(1.0))));
  }
  double const n = double(log_dt.size());
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < log_dt.size(); ++i) {
    mx += log_dt[i] / n;
    my += log_err[i] / n;
  }
  double sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < log_dt.size(); ++i) {
    sxy += (log_dt[i] - mx) * (log_err[i] - my);
    sxx += (log_dt[i] - mx) * (log_dt[i] - mx);
  }
  return sxy / sxx;
}

template <class Stepper>
void check_order(Stepper stepper, char const* name, double order, int first, int last) {
  double const fitted = fitted_order(stepper, first, last);
  BOOST_TEST_MESSAGE(name << ": fitted order " << fitted);
  BOOST_TEST(std::fabs(fitted - order) <= 0.1, name << " fitted order " << fitted << ", expected " << order);
}

// The stiff system x' = B x, B = [[−10⁴, 10⁴ − 1], [0, −1]], from (2, 1):
// x(t) = (e^{−t} + e^{−10⁴ t}, e^{−t}).
auto stiff() {
  return sk::ode([](auto const& x, double, auto& f) {
           f[0] = -1e4 * x[0] + (1e4 - 1.0) * x[1];
           f[1] = -x[1];
         })
      .with_jacobian([](auto const&, double, auto& dfdx, auto& dfdt) {
        dfdx(0, 0) = -1e4;
        dfdx(0, 1) = 1e4 - 1.0;
        dfdx(1, 0) = 0.0;
        dfdx(1, 1) = -1.0;
        dfdt[0] = 0.0;
        dfdt[1] = 0.0;
      });
}

std::array<double, 2> stiff_exact(double t) { return {std::exp(-t) + std::exp(-1e4 * t), std::exp(-t)}; }

}  // namespace

BOOST_AUTO_TEST_CASE(constant_step_orders) {
  check_order(odeint::euler<state>{}, "Euler", 1.0, 6, 11);
  check_order(odeint::runge_kutta4<state>{}, "RK4", 4.0, 3, 7);
  check_order(odeint::runge_kutta_cash_karp54<state>{}, "Cash–Karp 5(4)", 5.0, 2, 6);
  check_order(odeint::runge_kutta_dopri5<state>{}, "Dormand–Prince 5(4)", 5.0, 2, 6);
  check_order(odeint::runge_kutta_fehlberg78<state>{}, "Fehlberg 7(8)", 8.0, 1, 4);
}

BOOST_AUTO_TEST_CASE(adaptive_dormand_prince_meets_its_tolerance_at_dense_save_times) {
  std::vector<double> save_at;
  for (int k = 0; k <= 10; ++k) save_at.push_back(0.1 * k);
  for (double tol : {1e-4, 1e-6, 1e-8, 1e-10}) {
    sk::solve_options<sk::pi_controller> const options{save_at, {tol, tol}};
    auto const sol = sk::solve(rotation(), odeint::runge_kutta_dopri5<state>{}, {0.0, 1.0}, 1e-3, state{1.0, 0.0},
                               options);
    BOOST_TEST_REQUIRE(sol.ok(), sol.message());
    BOOST_TEST_REQUIRE(sol.t == save_at);
    double worst = 0.0;
    for (std::size_t k = 0; k < sol.t.size(); ++k)
      worst = std::max(worst, distance(sol.x[k], rotation_exact(sol.t[k])));
    BOOST_TEST_MESSAGE("dopri5 tol " << tol << ": worst error " << worst << " in " << sol.accepted_steps << " steps");
    BOOST_TEST(worst <= 10.0 * tol, "tol " << tol << ": worst error at save times " << worst);
  }
}

BOOST_AUTO_TEST_CASE(rosenbrock4_is_accurate_on_a_stiff_system_where_rk4_is_unstable) {
  state const x0{2.0, 1.0};
  auto const exact = stiff_exact(1.0);
  auto const rosenbrock = sk::solve(stiff(), odeint::rosenbrock4<double>{}, {0.0, 1.0}, 0.05, x0);
  double const rosenbrock_error = distance(rosenbrock.value(), exact);
  BOOST_TEST_MESSAGE("rosenbrock4, 20 steps: error " << rosenbrock_error);
  BOOST_TEST(rosenbrock.accepted_steps == 20u);
  BOOST_TEST(rosenbrock_error <= 1e-6);

  auto const rk4 = sk::solve(stiff(), odeint::runge_kutta4<state>{}, {0.0, 1.0}, 0.05, x0);
  double const rk4_error = rk4.ok() ? distance(rk4.x.back(), exact) : std::numeric_limits<double>::infinity();
  BOOST_TEST_MESSAGE("RK4, 20 steps: " << rk4.message() << ", error " << rk4_error);
  BOOST_TEST(!(rk4_error < 1e10), "RK4 with 20 steps (h·λ = −500) should blow up; error " << rk4_error);

  sk::solve_options<sk::pi_controller> const adaptive{{}, {1e-6, 1e-6}};
  auto const dense = sk::solve(stiff(), odeint::rosenbrock4<double>{}, {0.0, 1.0}, 1e-3, x0, adaptive);
  double const dense_error = distance(dense.value(), exact);
  BOOST_TEST_MESSAGE("adaptive rosenbrock4: error " << dense_error << " in " << dense.accepted_steps << " steps");
  BOOST_TEST(dense_error <= 1e-5);
  BOOST_TEST(dense.accepted_steps <= 100u);
}
