// Claim: sdekit's SDE steppers are Odeint steppers. integrate_const and integrate_n_steps with an
// observer, over odeint_sde_stepper and driven(problem, path), give the same bits at every grid time
// as sdekit::solve with the same method, problem and path, for std::vector and Eigen states, for
// every SDE stepper: Euler–Maruyama, Milstein (both), stochastic Heun, Euler–Heun, SRI-W1, SRA1, SRA3.
// Seed 7, path 3; dt = 2⁻⁶ so that the grid times k·dt are exact.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include <sdekit/solvers.hpp>

namespace sk = sdekit;
namespace odeint = boost::numeric::odeint;

namespace {

constexpr double dt = 1.0 / 64;
constexpr std::size_t steps = 64;

template <class Calculus = sk::ito>
auto diagonal_problem() {
  return sk::sde<sk::diagonal_noise, Calculus>(
      [](auto const& x, double t, auto& f) {
        f[0] = 0.5 * x[0] - x[1];
        f[1] = x[0] * (1.0 - t) - 0.2 * x[1];
      },
      [](auto const& x, double, auto& g) {
        g[0] = 0.3 * x[0];
        g[1] = 0.2 * x[1] + 0.1;
      });
}

auto additive_problem() {
  return sk::sde<sk::additive_noise>(
      [](auto const& x, double t, auto& f) {
        f[0] = -x[0] + t;
        f[1] = -2.0 * x[1] + x[0];
      },
      [](auto const&, double t, auto& g) {
        g[0] = 0.5;
        g[1] = 0.3 + 0.1 * t;
      });
}

template <class State>
State initial_state() {
  State x0;
  x0.resize(2);
  x0[0] = 1.0;
  x0[1] = 0.5;
  return x0;
}

std::vector<double> grid_times() {
  std::vector<double> t(steps + 1);
  for (std::size_t k = 0; k <= steps; ++k) t[k] = double(k) * dt;
  return t;
}

struct recorder {
  template <class State>
  struct observer {
    std::vector<State>* states;
    std::vector<double>* times;
    void operator()(State const& x, double t) const {
      states->push_back(x);
      times->push_back(t);
    }
  };
};

template <class State>
void check_same_bits(sk::solution<State> const& reference, std::vector<State> const& states,
                     std::vector<double> const& times, char const* what) {
  BOOST_TEST_REQUIRE(reference.ok(), what << ": " << reference.message());
  BOOST_TEST_REQUIRE(states.size() == reference.x.size(), what);
  for (std::size_t k = 0; k < states.size(); ++k) {
    BOOST_TEST(times[k] == reference.t[k], what << " time " << k);
    for (std::size_t i = 0; i < 2; ++i)
      BOOST_TEST(states[k][i] == reference.x[k][i], what << " step " << k << " component " << i);
  }
}

// integrate_const over the grid path and integrate_n_steps over the tree, each against solve().
template <class State, class Method, class Problem>
void check_method(Method method, Problem const& problem, char const* what) {
  State const x0 = initial_state<State>();
  sk::solve_options<> const options{grid_times()};
  using observer = recorder::observer<State>;

  auto const on_grid = sk::solve(problem, method, sk::grid_brownian(7, 3), {0.0, 1.0}, dt, x0, options);
  std::vector<State> states;
  std::vector<double> times;
  State x = x0;
  odeint::integrate_const(sk::odeint_sde_stepper<Method, State>(method), sk::driven(problem, sk::grid_brownian(7, 3)),
                          x, 0.0, 1.0, dt, observer{&states, &times});
  check_same_bits(on_grid, states, times, what);

  auto const on_tree = sk::solve(problem, method, sk::brownian_tree(7, 3, 0.0, 1.0), {0.0, 1.0}, dt, x0, options);
  states.clear();
  times.clear();
  x = x0;
  odeint::integrate_n_steps(sk::odeint_sde_stepper<Method, State>(method),
                            sk::driven(problem, sk::brownian_tree(7, 3, 0.0, 1.0)), x, 0.0, dt, steps,
                            observer{&states, &times});
  check_same_bits(on_tree, states, times, what);
}

template <class State>
void check_every_method() {
  check_method<State>(sk::euler_maruyama{}, diagonal_problem(), "Euler–Maruyama");
  check_method<State>(sk::milstein{}, diagonal_problem(), "Milstein");
  check_method<State>(sk::derivative_free_milstein{}, diagonal_problem(), "derivative-free Milstein");
  check_method<State>(sk::stochastic_heun{}, diagonal_problem<sk::stratonovich>(), "stochastic Heun");
  check_method<State>(sk::euler_heun{}, diagonal_problem<sk::stratonovich>(), "Euler–Heun");
  check_method<State>(sk::sri_w1{}, diagonal_problem(), "SRI-W1");
  check_method<State>(sk::sra1{}, additive_problem(), "SRA1");
  check_method<State>(sk::sra3{}, additive_problem(), "SRA3");
}

}  // namespace

BOOST_AUTO_TEST_CASE(stepper_declares_odeint_types) {
  using stepper = sk::odeint_sde_stepper<sk::euler_maruyama, std::vector<double>>;
  static_assert(std::is_same_v<stepper::stepper_category, odeint::stepper_tag>);
  static_assert(std::is_same_v<stepper::state_type, std::vector<double>>);
  static_assert(std::is_same_v<stepper::value_type, double>);
  BOOST_TEST(stepper::order() == 0.5);
  BOOST_TEST((sk::odeint_sde_stepper<sk::sri_w1, std::vector<double>>::order()) == 1.5);
}

BOOST_AUTO_TEST_CASE(integrate_const_matches_solve_for_std_vector) { check_every_method<std::vector<double>>(); }

BOOST_AUTO_TEST_CASE(integrate_const_matches_solve_for_eigen) { check_every_method<Eigen::VectorXd>(); }
