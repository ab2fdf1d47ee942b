// Claim: the SDE steppers give the same bits whatever the state container: std::vector<double>,
// std::array<double, 2>, Eigen::VectorXd and Eigen::Vector2d agree exactly for Euler–Maruyama,
// Milstein (attached ∂g/∂x and forward mode), derivative-free Milstein, Euler–Heun and stochastic
// Heun; float states run and stay within float round-off (1e-4 relative) of the double results.
// Problem: the catalogue's linear_diagonal_2d, and a nonlinear diagonal-noise problem without an
// attached derivative for forward-mode Milstein. Seed 31 (grid_brownian).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include <sdekit/solvers.hpp>
#include <sdekit/solvers/catalogue/catalogue.hpp>

namespace sk = sdekit;

namespace {

// dX_i = −X_i dt + (0.3 X_i + 0.2 sin X_i) dW_i: g_i depends on x_i alone; no ∂g/∂x attached.
auto nonlinear_without_derivative() {
  return sk::sde<sk::diagonal_noise>(
      [](auto const& x, double, auto& f) {
        f[0] = -x[0];
        f[1] = -0.5 * x[1];
      },
      [](auto const& x, double, auto& g) {
        using std::sin;
        g[0] = 0.3 * x[0] + 0.2 * sin(x[0]);
        g[1] = 0.3 * x[1] + 0.2 * sin(x[1]);
      });
}

template <class State>
State initial_state() {
  State x{};
  if constexpr (sk::detail::has_resize<State>::value) x.resize(2);
  x[0] = 1.0;
  x[1] = 0.5;
  return x;
}

template <class State, class Problem, class Method>
std::vector<double> run(Problem const& problem, Method const& method) {
  sk::solve_options<> const options{{0.25, 0.5, 1.0}};
  auto const sol = sk::solve(problem, method, sk::grid_brownian(31, 0), {0.0, 1.0}, 1.0 / 64, initial_state<State>(),
                             options);
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  std::vector<double> out;
  for (auto const& x : sol.x)
    for (std::size_t i = 0; i < 2; ++i) out.push_back(double(x[i]));
  return out;
}

// Every stepper's saved states, one after another.
template <class State>
std::vector<double> run_all() {
  sk::catalogue::linear_diagonal_2d const linear;
  auto const ito = linear.problem<sk::ito>();
  auto const strat = linear.problem<sk::stratonovich>();
  std::vector<double> out;
  for (auto const& part : {run<State>(ito, sk::euler_maruyama{}), run<State>(ito, sk::milstein{}),
                           run<State>(nonlinear_without_derivative(), sk::milstein{}),
                           run<State>(ito, sk::derivative_free_milstein{}), run<State>(strat, sk::euler_heun{}),
                           run<State>(strat, sk::stochastic_heun{})})
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(double_states_give_identical_bits) {
  std::vector<double> const reference = run_all<std::vector<double>>();
  std::vector<std::vector<double>> const others{run_all<std::array<double, 2>>(), run_all<Eigen::VectorXd>(),
                                                run_all<Eigen::Vector2d>()};
  for (auto const& values : others) {
    BOOST_TEST_REQUIRE(values.size() == reference.size());
    for (std::size_t i = 0; i < values.size(); ++i) BOOST_TEST(values[i] == reference[i], "value " << i);
  }
}

BOOST_AUTO_TEST_CASE(float_states_run_within_float_round_off) {
  std::vector<double> const reference = run_all<std::vector<double>>();
  for (auto const& values : {run_all<std::vector<float>>(), run_all<std::array<float, 2>>(), run_all<Eigen::Vector2f>()}) {
    BOOST_TEST_REQUIRE(values.size() == reference.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      BOOST_TEST(std::fabs(values[i] - reference[i]) <= 1e-4 * (1.0 + std::fabs(reference[i])),
                 "value " << i << ": float " << values[i] << ", double " << reference[i]);
  }
}

BOOST_AUTO_TEST_CASE(forward_mode_milstein_matches_the_attached_derivative) {
  // The same nonlinear problem with ∂g_i/∂x_i = 0.3 + 0.2 cos x_i attached.
  auto const attached = nonlinear_without_derivative().with_diffusion_derivative([](auto const& x, double, auto& dg) {
    dg[0] = 0.3 + 0.2 * std::cos(x[0]);
    dg[1] = 0.3 + 0.2 * std::cos(x[1]);
  });
  auto const a = run<std::vector<double>>(attached, sk::milstein{});
  auto const b = run<std::vector<double>>(nonlinear_without_derivative(), sk::milstein{});
  for (std::size_t i = 0; i < a.size(); ++i) BOOST_TEST(std::fabs(a[i] - b[i]) < 1e-14, "value " << i);
}
