// Claims about solve() itself: it validates its input, reports failures with step and time,
// saves where asked, and is deterministic. Seeds: 7 throughout.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <sdekit/solvers.hpp>

#include "error_message_check.hpp"

namespace sk = sdekit;

namespace {

auto gbm() {
  return sk::sde<sk::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = 0.5 * x[0]; },
                                     [](auto const& x, double, auto& g) { g[0] = 0.3 * x[0]; });
}

using sdekit_test::check_message;

}  // namespace

BOOST_AUTO_TEST_CASE(inverted_or_empty_span_is_refused) {
  std::vector<double> x0{1.0};
  check_message([&] { sk::solve(gbm(), sk::euler_maruyama{}, sk::grid_brownian(7), {1.0, 0.0}, 0.1, x0); },
                "time span [1, 0]");
  check_message([&] { sk::solve(gbm(), sk::euler_maruyama{}, sk::grid_brownian(7), {1.0, 1.0}, 0.1, x0); },
                "time span [1, 1]");
}

BOOST_AUTO_TEST_CASE(non_positive_or_nan_step_is_refused) {
  std::vector<double> x0{1.0};
  check_message([&] { sk::solve(gbm(), sk::euler_maruyama{}, sk::grid_brownian(7), {0.0, 1.0}, 0.0, x0); }, "dt0 = 0");
  check_message([&] { sk::solve(gbm(), sk::euler_maruyama{}, sk::grid_brownian(7), {0.0, 1.0}, -0.1, x0); }, "dt0 = -0.1");
  check_message([&] { sk::solve(gbm(), sk::euler_maruyama{}, sk::grid_brownian(7), {0.0, 1.0},
                                std::numeric_limits<double>::quiet_NaN(), x0); }, "dt0 = nan");
}

BOOST_AUTO_TEST_CASE(non_finite_initial_state_is_refused) {
  std::vector<double> x0{std::numeric_limits<double>::infinity()};
  check_message([&] { sk::solve(gbm(), sk::euler_maruyama{}, sk::grid_brownian(7), {0.0, 1.0}, 0.1, x0); }, "x0[0] = inf");
}

BOOST_AUTO_TEST_CASE(nan_drift_stops_with_step_and_time) {
  auto p = sk::sde<sk::diagonal_noise>(
      [](auto const& x, double t, auto& f) { f[0] = t > 0.5 ? std::numeric_limits<double>::quiet_NaN() : x[0]; },
      [](auto const&, double, auto& g) { g[0] = 0.1; });
  auto sol = sk::solve(p, sk::euler_maruyama{}, sk::grid_brownian(7), {0.0, 1.0}, 0.125, std::vector<double>{1.0});
  BOOST_TEST(!sol.ok());
  BOOST_TEST(sol.message() == "non-finite state at step 6, t = 0.75");
  BOOST_CHECK_THROW(sol.value(), sk::solve_error);
}

BOOST_AUTO_TEST_CASE(saves_exactly_at_requested_times_and_is_deterministic) {
  sk::solve_options<> opts{{0.0, 0.25, 0.5, 1.0}};
  auto run = [&] {
    return sk::solve(gbm(), sk::euler_maruyama{}, sk::brownian_tree(7, 3, 0.0, 1.0), {0.0, 1.0}, 0.01,
                     std::vector<double>{1.0}, opts);
  };
  auto a = run();
  auto b = run();
  BOOST_TEST(a.ok());
  BOOST_TEST(a.t == opts.save_at);
  for (std::size_t i = 0; i < a.x.size(); ++i) BOOST_TEST(a.x[i][0] == b.x[i][0]);
  auto c = sk::solve(gbm(), sk::euler_maruyama{}, sk::brownian_tree(7, 3, 0.0, 1.0), {0.0, 1.0}, 0.01,
                     std::array<double, 1>{1.0}, opts);
  BOOST_TEST(c.x.back()[0] == a.x.back()[0]);
}

BOOST_AUTO_TEST_CASE(save_times_that_round_off_the_grid_are_reached_on_it) {
  // 0.1·k is not k·10 grid steps of 0.01 in floating point (0.1·3 = 0.30000000000000004 against
  // 30·0.01 = 0.29999999999999999, 0.1·7 = 0.7000000000000001 against 0.7): the saves are taken at
  // the grid points, the steps stay whole grid steps, and the path is the one without saves.
  std::vector<double> save_at;
  for (int s = 1; s <= 10; ++s) save_at.push_back(0.1 * s);
  auto const saved = sk::solve(gbm(), sk::euler_maruyama{}, sk::grid_brownian(7, 3), {0.0, 1.0}, 0.01,
                               std::array<double, 1>{1.0}, sk::solve_options<>{save_at});
  BOOST_TEST_REQUIRE(saved.ok(), saved.message());
  BOOST_TEST(saved.t == save_at);
  BOOST_TEST(saved.accepted_steps == 100u);
  for (std::size_t s = 0; s < save_at.size(); ++s) {
    auto const plain = sk::solve(gbm(), sk::euler_maruyama{}, sk::grid_brownian(7, 3), {0.0, 0.01 * double(10 * (s + 1))},
                                 0.01, std::array<double, 1>{1.0});
    BOOST_TEST(saved.x[s][0] == plain.x.back()[0], "save " << s << " at t = " << save_at[s]);
  }
}
