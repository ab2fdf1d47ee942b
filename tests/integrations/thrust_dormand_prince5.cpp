// Claims about the per-path Dormand–Prince 5(4): (1) with fixed steps on x' = −x (x(0) = 1) its
// fitted order is 5 ± 0.1 and its embedded estimate shrinks like h⁵; (2) with the PI controller in
// solve_ensemble, an ensemble of Lorenz systems with one ρ per path (Odeint's lorenz_parameters)
// agrees with Odeint's runge_kutta_dopri5 run path by path at a tight tolerance, to within 10⁻⁷ at
// t = 1 for rtol = atol = 10⁻¹⁰ (the controllers differ, so the bits do not: the largest difference
// on the 64 systems is 1.5·10⁻⁸); (3) first same as last: a step or retry of the stepper costs six
// drift evaluations after the first, and reusing a stage gives the bits that evaluating it afresh
// gives, after accepted steps and after retries (test_thrust_ode_lanes counts the evaluations
// inside solve_ensemble).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include <boost/numeric/odeint.hpp>
#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/omp/execution_policy.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;
namespace odeint = boost::numeric::odeint;

namespace {

using state = std::array<double, 3>;

auto lorenz() {
  return sk::parametrized_ode([](auto const& x, double, double rho, auto& f) {
    f[0] = 10.0 * (x[1] - x[0]);
    f[1] = rho * x[0] - x[1] - x[0] * x[2];
    f[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];
  });
}

// Lorenz with ρ = 28 that counts its drift evaluations.
struct counted_lorenz {
  std::size_t* evaluations;
  void drift(state const& x, double, state& f) const {
    ++*evaluations;
    f[0] = 10.0 * (x[1] - x[0]);
    f[1] = 28.0 * x[0] - x[1] - x[0] * x[2];
    f[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];
  }
};

bool same_bits(state const& a, state const& b) { return std::memcmp(a.data(), b.data(), sizeof(state)) == 0; }

}  // namespace

BOOST_AUTO_TEST_CASE(fixed_step_order_is_five) {
  auto const decay = sk::parametrized_ode([](auto const& x, double, double rate, auto& f) { f[0] = -rate * x[0]; });
  std::vector<double> log_h, log_error;
  for (int k = 3; k <= 6; ++k) {  // h = 1/8 … 1/64: asymptotic, and errors far above round-off
    double const h = std::ldexp(1.0, -k);
    auto const sol = sk::solve_ensemble(thrust::omp::par, sk::with_parameters(decay, std::vector<double>{1.0}),
                                        sk::dormand_prince5{}, sk::no_brownian{}, 1, {0.0, 1.0}, h,
                                        std::array<double, 1>{1.0});
    BOOST_TEST_REQUIRE(sol.ok(), sol.message());
    log_h.push_back(std::log(h));
    log_error.push_back(std::log(std::fabs(sol.final_value(0, 0) - std::exp(-1.0))));
  }
  double const n = double(log_h.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < log_h.size(); ++i) {
    sx += log_h[i];
    sy += log_error[i];
    sxx += log_h[i] * log_h[i];
    sxy += log_h[i] * log_error[i];
  }
  double const order = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  BOOST_TEST(std::fabs(order - 5.0) < 0.1, "fitted order " << order);
}

BOOST_AUTO_TEST_CASE(adaptive_lorenz_ensemble_matches_odeint) {
  std::vector<double> rho(64);
  for (std::size_t i = 0; i < rho.size(); ++i) rho[i] = 5.0 + 0.5 * double(i);
  sk::solve_options<sk::pi_controller> options{{}, sk::pi_controller{1e-10, 1e-10}};
  auto const sol = sk::solve_ensemble(thrust::omp::par, sk::with_parameters(lorenz(), rho), sk::dormand_prince5{},
                                      sk::no_brownian{}, rho.size(), {0.0, 1.0}, 0.01, state{10.0, 10.0, 10.0}, options);
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  double worst = 0.0;
  for (std::size_t p = 0; p < rho.size(); ++p) {
    state x{10.0, 10.0, 10.0};
    auto const system = [r = rho[p]](state const& s, state& d, double) {
      d[0] = 10.0 * (s[1] - s[0]);
      d[1] = r * s[0] - s[1] - s[0] * s[2];
      d[2] = s[0] * s[1] - 8.0 / 3.0 * s[2];
    };
    odeint::integrate_adaptive(odeint::make_dense_output(1e-13, 1e-13, odeint::runge_kutta_dopri5<state>{}), system, x,
                               0.0, 1.0, 0.001);
    for (std::size_t j = 0; j < 3; ++j) worst = std::fmax(worst, std::fabs(sol.final_value(p, j) - x[j]));
  }
  BOOST_TEST(worst < 1e-7, "largest difference from Odeint " << worst);
}

BOOST_AUTO_TEST_CASE(reused_stages_give_the_bits_of_fresh_evaluations) {
  // Steps and retries as a controller makes them: every third step is first tried with a step too
  // large and then retried from the same point; each result is compared with a fresh workspace's.
  std::size_t reused_count = 0, fresh_count = 0;
  counted_lorenz const reused_problem{&reused_count}, fresh_problem{&fresh_count};
  sk::dormand_prince5 const method;
  sk::dormand_prince5::workspace<state, void> work;
  sk::no_brownian none;
  state x{10.0, 10.0, 10.0};
  double t = 0.0;
  std::size_t calls = 0;
  for (int k = 0; k < 60; ++k) {
    double const h = 0.01 * (1.0 + 0.1 * (k % 7));
    for (double const step : k % 3 == 0 ? std::vector<double>{4 * h, h} : std::vector<double>{h}) {
      state trial = x, err{}, fresh = x, fresh_err{};
      method.step_with_error(reused_problem, none, trial, t, step, work, err);
      sk::dormand_prince5::workspace<state, void> new_work;
      method.step_with_error(fresh_problem, none, fresh, t, step, new_work, fresh_err);
      ++calls;
      BOOST_TEST_REQUIRE(same_bits(trial, fresh), "step " << k << ": the state differs from a fresh evaluation's");
      BOOST_TEST_REQUIRE(same_bits(err, fresh_err), "step " << k << ": the error differs from a fresh evaluation's");
      if (step == h) {
        x = trial;
        t += step;
      }
    }
  }
  BOOST_TEST(fresh_count == 7 * calls);
  BOOST_TEST(reused_count == 1 + 6 * calls, reused_count << " evaluations for " << calls << " calls");
}
