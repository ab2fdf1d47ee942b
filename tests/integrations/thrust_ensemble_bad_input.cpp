// Claim: solve_ensemble refuses bad input with a sdekit::invalid_argument naming the parameter and
// its value (zero paths, mismatched parameter and initial-state arrays, off-grid save times for a
// grid path, unknown backend names, negative thread counts), and a non-finite initial state stops
// only its own path, which reports its status while the others finish. Seed 5.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <thrust/system/cpp/execution_policy.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

#include "error_message_check.hpp"

namespace sk = sdekit;

namespace {

using state = std::array<double, 1>;

auto gbm() {
  return sk::sde<sk::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = 0.5 * x[0]; },
                                     [](auto const& x, double, auto& g) { g[0] = 0.3 * x[0]; });
}

auto parametrized() {
  return sk::parametrized_sde<sk::diagonal_noise>([](auto const& x, double, double mu, auto& f) { f[0] = mu * x[0]; },
                                                  [](auto const& x, double, double, auto& g) { g[0] = 0.3 * x[0]; });
}

using sdekit_test::check_message;

}  // namespace

BOOST_AUTO_TEST_CASE(zero_paths_are_refused) {
  check_message([] { sk::solve_ensemble(thrust::cpp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 0, {0.0, 1.0}, 0.1, state{1.0}); },
                "paths = 0 must be at least 1");
}

BOOST_AUTO_TEST_CASE(mismatched_parameter_array_is_refused) {
  std::vector<double> const mu{0.1, 0.2, 0.3};
  check_message([&] { sk::solve_ensemble(thrust::cpp::par, sk::with_parameters(parametrized(), mu), sk::euler_maruyama{},
                                         sk::grid_brownian(5), 4, {0.0, 1.0}, 0.1, state{1.0}); },
                "parameters has 3 entries but paths = 4");
}

BOOST_AUTO_TEST_CASE(mismatched_initial_states_are_refused) {
  std::vector<state> const x0(5, state{1.0});
  check_message([&] { sk::solve_ensemble(thrust::cpp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 4, {0.0, 1.0}, 0.1, x0); },
                "x0 has 5 states but paths = 4");
}

BOOST_AUTO_TEST_CASE(bad_span_and_step_are_refused) {
  check_message([] { sk::solve_ensemble(thrust::cpp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 4, {1.0, 0.0}, 0.1, state{1.0}); },
                "time span [1, 0]");
  check_message([] { sk::solve_ensemble(thrust::cpp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 4, {0.0, 1.0}, -0.1, state{1.0}); },
                "dt0 = -0.1");
}

BOOST_AUTO_TEST_CASE(off_grid_times_are_refused_for_grid_paths) {
  sk::solve_options<> options{{0.5, 0.55}};
  check_message([&] { sk::solve_ensemble(thrust::cpp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 4, {0.0, 1.0}, 0.1, state{1.0}, options); },
                "save_at[1] = 0.55000000000000004 is not on the grid");
  check_message([] { sk::solve_ensemble(thrust::cpp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 4, {0.0, 1.05}, 0.1, state{1.0}); },
                "t1 = 1.05 is not on the grid");
}

BOOST_AUTO_TEST_CASE(unknown_backend_and_negative_threads_are_refused) {
  check_message([] { sk::solve_ensemble(sk::host_backend{"gpu"}, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 4, sk::time_span{0.0, 1.0}, 0.1, state{1.0}); },
                "backend = \"gpu\" is not one of cpp, omp, tbb");
  check_message([] { sk::solve_ensemble(sk::host_backend{"omp", -1}, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 4, sk::time_span{0.0, 1.0}, 0.1, state{1.0}); },
                "threads = -1 must be ≥ 0");
}

BOOST_AUTO_TEST_CASE(non_finite_initial_states_stop_only_their_paths) {
  double const nan = std::numeric_limits<double>::quiet_NaN();
  double const inf = std::numeric_limits<double>::infinity();
  std::vector<state> x0(20, state{1.0});
  x0[3] = {nan};
  x0[17] = {inf};
  sk::solve_options<> options{{0.0, 0.5, 1.0}};
  auto check = [&](auto const& sol) {
    BOOST_TEST(!sol.ok());
    BOOST_TEST(sol.failures() == 2u);
    BOOST_TEST(sol.message() == "2 of 20 paths failed; first: path 3, non-finite state at step 0, t = 0");
    for (std::size_t p = 0; p < 20; ++p) {
      bool const bad = p == 3 || p == 17;
      BOOST_TEST((sol.status[p] == sk::solve_status::non_finite_state) == bad, "path " << p);
      BOOST_TEST(std::isfinite(sol.final_value(p, 0)) == !bad, "path " << p);
    }
    BOOST_CHECK_THROW(sol.require_success(), sk::solve_error);
  };
  check(sk::solve_ensemble(thrust::cpp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 20, {0.0, 1.0}, 0.1, x0, options));
  check(sk::solve_ensemble(thrust::cpp::par, gbm(), sk::sri_w1{}, sk::ensemble_brownian_tree{5}, 20, {0.0, 1.0}, 0.1, x0,
                           sk::solve_options<sk::pi_controller>{{0.0, 0.5, 1.0}, sk::pi_controller{1e-3, 1e-3}}));
}

BOOST_AUTO_TEST_CASE(a_path_that_blows_up_reports_step_and_time) {
  // The drift of path 2 turns NaN after t = 0.5; the other paths finish.
  std::vector<double> const broken{0.0, 0.0, 1.0, 0.0};
  auto problem = sk::parametrized_sde<sk::diagonal_noise>(
      [](auto const& x, double t, double b, auto& f) { f[0] = (b > 0.0 && t > 0.5) ? std::numeric_limits<double>::quiet_NaN() : x[0]; },
      [](auto const&, double, double, auto& g) { g[0] = 0.1; });
  auto const sol = sk::solve_ensemble(thrust::cpp::par, sk::with_parameters(problem, broken), sk::euler_maruyama{},
                                      sk::grid_brownian(5), 4, {0.0, 1.0}, 0.125, state{1.0});
  BOOST_TEST(sol.failures() == 1u);
  BOOST_TEST(sol.message() == "1 of 4 paths failed; first: path 2, non-finite state at step 6, t = 0.75");
  BOOST_TEST((sol.status[0] == sk::solve_status::success));
}

BOOST_AUTO_TEST_CASE(failures_in_a_long_run_report_the_single_path_step_and_time) {
  // 100 steps with saves every 10: paths 2 and 5 (one block of lanes) and path 13 turn NaN at
  // different times, in different stretches of steps; each reports what solve() reports for it,
  // and its saves after the failure stay unwritten, while its saves before are solve()'s.
  std::vector<double> const blow_up_after{2.0, 2.0, 0.33, 2.0, 2.0, 0.615, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 0.9, 2.0, 2.0, 2.0};
  auto problem = sk::parametrized_sde<sk::diagonal_noise>(
      [](auto const& x, double t, double after, auto& f) { f[0] = t > after ? std::numeric_limits<double>::infinity() : x[0]; },
      [](auto const&, double, double, auto& g) { g[0] = 0.1; });
  std::vector<double> save_at;
  for (int s = 0; s <= 10; ++s) save_at.push_back(0.1 * s);
  sk::solve_options<> options{save_at};
  auto const sol = sk::solve_ensemble(thrust::cpp::par, sk::with_parameters(problem, blow_up_after), sk::euler_maruyama{},
                                      sk::grid_brownian(5), blow_up_after.size(), {0.0, 1.0}, 0.01, state{1.0}, options);
  BOOST_TEST(sol.failures() == 3u);
  for (std::size_t p = 0; p < blow_up_after.size(); ++p) {
    auto const single = sk::solve(problem.bind(blow_up_after[p]), sk::euler_maruyama{}, sk::grid_brownian(5, p), {0.0, 1.0},
                                  0.01, state{1.0}, options);
    BOOST_TEST((sol.status[p] == single.status), "path " << p);
    if (single.ok()) continue;
    BOOST_TEST(sol.failed_step[p] == single.failed_step, "path " << p);
    BOOST_TEST(sol.failed_time[p] == single.failed_time, "path " << p);
    BOOST_TEST(sol.accepted_steps[p] == single.accepted_steps, "path " << p);
    for (std::size_t s = 0; s < single.x.size(); ++s) BOOST_TEST(sol.at(p, s, 0) == single.x[s][0], "path " << p << " save " << s);
    for (std::size_t s = single.x.size(); s < save_at.size(); ++s)
      BOOST_TEST(std::isnan(sol.at(p, s, 0)), "path " << p << " save " << s << " = " << sol.at(p, s, 0));
  }
}

BOOST_AUTO_TEST_CASE(max_steps_is_reported) {
  sk::solve_options<> options{{}, {}, 3};
  auto const sol = sk::solve_ensemble(thrust::cpp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(5), 9, {0.0, 1.0}, 0.1, state{1.0}, options);
  BOOST_TEST(sol.failures() == 9u);
  BOOST_TEST(sol.message() == "9 of 9 paths failed; first: path 0, maximum number of steps reached at step 3, t = 0.30000000000000004");
}
