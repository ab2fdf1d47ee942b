// Claims about adaptive SDE stepping with pi_controller and the embedded error estimates of SRIW1
// (on gbm) and SRA1 (on ou), on brownian_tree paths:
//  1. the mean error against the exact solution falls as rtol = atol falls from 1e-2 to 1e-4: each
//     half-decade lowers it, and the fitted slope of log error against log tol lies in [1, 2]. The
//     estimate's drift part δ·h·Σf is O(h) (Rackauckas & Nie 2017, as in DifferentialEquations.jl),
//     so accepted steps shrink in proportion to the tolerance and a strong-order-1.5 method's error
//     falls like tol^1.5 where that part limits the step, faster where the noise part does;
//  2. the number of steps grows as the tolerance falls, and steps are rejected;
//  3. rejected steps do not change the path: the same solve twice gives identical bits, and on a path
//     with rejections a solve at rtol = atol = 1e-5 and a constant-step solve at dt = 2⁻¹² both agree
//     with the exact solution on that path (a retry on a redrawn path would miss it by O(σ√h));
//  4. a drift that returns NaN ends the solve with non_finite_state, naming the step and the time,
//     instead of shrinking the step to underflow.
// Seeds: 401 (gbm), 402 (ou), 403 (identical bits and agreement), 404 (NaN drift). 200 paths per tol.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <sdekit/solvers.hpp>
#include <sdekit/solvers/catalogue/catalogue.hpp>
#include <sdekit/solvers/convergence.hpp>

namespace sk = sdekit;
namespace cat = sdekit::catalogue;

namespace {

constexpr double dt0 = 0.01;

sk::solve_options<sk::pi_controller> tolerance(double tol) {
  sk::solve_options<sk::pi_controller> options;
  options.controller.rtol = tol;
  options.controller.atol = tol;
  return options;
}

struct tolerance_sweep {
  std::vector<double> tol;
  std::vector<double> error;           ///< mean |X_T − X(T)| over the paths
  std::vector<double> accepted_steps;  ///< mean per path
  std::vector<double> rejected_steps;  ///< total over the paths
};

template <class Entry, class Method>
tolerance_sweep sweep_tolerances(Entry const& entry, Method const& method, std::uint64_t seed) {
  auto const problem = entry.template problem<sk::ito>();
  std::size_t const paths = 200;
  tolerance_sweep out;
  for (double tol : {1e-2, 1e-2 / std::sqrt(10.0), 1e-3, 1e-3 / std::sqrt(10.0), 1e-4}) {
    double error = 0.0, accepted = 0.0, rejected = 0.0;
    for (std::size_t p = 0; p < paths; ++p) {
      sk::brownian_tree w(seed, p, 0.0, 1.0);
      auto const sol = sk::solve(problem, method, w, {0.0, 1.0}, dt0, entry.x0(), tolerance(tol));
      error += sk::detail::distance(sol.value(), entry.exact(entry.x0(), 1.0, w));
      accepted += double(sol.accepted_steps);
      rejected += double(sol.rejected_steps);
    }
    out.tol.push_back(tol);
    out.error.push_back(error / double(paths));
    out.accepted_steps.push_back(accepted / double(paths));
    out.rejected_steps.push_back(rejected);
  }
  return out;
}

template <class Entry, class Method>
void check_tolerance_proportionality(Entry const& entry, Method const& method, std::uint64_t seed) {
  std::string const what = std::string(Method::name) + " on " + Entry::name;
  tolerance_sweep const s = sweep_tolerances(entry, method, seed);
  for (std::size_t i = 0; i < s.tol.size(); ++i)
    BOOST_TEST_MESSAGE(what << ": tol " << s.tol[i] << ", mean error " << s.error[i] << ", mean accepted steps "
                            << s.accepted_steps[i] << ", rejected steps (all paths) " << s.rejected_steps[i]);
  double const slope = sk::fitted_order(s.tol, s.error);
  BOOST_TEST_MESSAGE(what << ": fitted slope of log error against log tol " << slope);
  BOOST_TEST((slope >= 1.0 && slope <= 2.0), what << ": fitted slope " << slope << " lies outside [1, 2]");
  for (std::size_t i = 1; i < s.tol.size(); ++i) {
    BOOST_TEST(s.error[i] < s.error[i - 1], what << ": error at tol " << s.tol[i] << " did not fall");
    BOOST_TEST(s.accepted_steps[i] > s.accepted_steps[i - 1], what << ": steps at tol " << s.tol[i] << " did not grow");
  }
  BOOST_TEST(s.rejected_steps.back() > 0.0, what << ": no step was rejected at tol " << s.tol.back());
}

}  // namespace

BOOST_AUTO_TEST_CASE(sri_w1_error_falls_with_the_tolerance_on_gbm) {
  check_tolerance_proportionality(cat::geometric_brownian_motion{}, sk::sri_w1{}, 401);
}

BOOST_AUTO_TEST_CASE(sra1_error_falls_with_the_tolerance_on_ou) {
  check_tolerance_proportionality(cat::ornstein_uhlenbeck{}, sk::sra1{}, 402);
}

BOOST_AUTO_TEST_CASE(rejected_steps_keep_the_path) {
  cat::geometric_brownian_motion const gbm;
  auto const problem = gbm.problem();
  // The first path of seed 403 whose tight solve rejects a step.
  std::uint64_t path = 0;
  auto tight = sk::solve(problem, sk::sri_w1{}, sk::brownian_tree(403, path, 0.0, 1.0), {0.0, 1.0}, dt0, gbm.x0(),
                         tolerance(1e-5));
  while (tight.rejected_steps == 0 && path < 50) {
    ++path;
    tight = sk::solve(problem, sk::sri_w1{}, sk::brownian_tree(403, path, 0.0, 1.0), {0.0, 1.0}, dt0, gbm.x0(),
                      tolerance(1e-5));
  }
  BOOST_TEST_REQUIRE(tight.rejected_steps > 0u, "no path of seed 403 among the first 50 rejected a step");

  auto const again = sk::solve(problem, sk::sri_w1{}, sk::brownian_tree(403, path, 0.0, 1.0), {0.0, 1.0}, dt0,
                               gbm.x0(), tolerance(1e-5));
  BOOST_TEST(again.value()[0] == tight.value()[0]);
  BOOST_TEST(again.accepted_steps == tight.accepted_steps);
  BOOST_TEST(again.rejected_steps == tight.rejected_steps);

  sk::brownian_tree w(403, path, 0.0, 1.0, 0.0, 1);
  double const exact = gbm.exact(gbm.x0(), 1.0, w)[0];
  auto const fixed = sk::solve(problem, sk::sri_w1{}, w, {0.0, 1.0}, std::ldexp(1.0, -12), gbm.x0());
  BOOST_TEST_MESSAGE("path " << path << " (" << tight.rejected_steps << " rejected, " << tight.accepted_steps
                             << " accepted): adaptive " << tight.value()[0] << ", dt = 2^-12 " << fixed.value()[0]
                             << ", exact " << exact);
  BOOST_TEST(std::fabs(tight.value()[0] - exact) <= 1e-5 * std::fabs(exact));
  BOOST_TEST(std::fabs(fixed.value()[0] - exact) <= 1e-5 * std::fabs(exact));
}

BOOST_AUTO_TEST_CASE(nan_drift_ends_an_adaptive_solve_with_non_finite_state) {
  double const nan = std::numeric_limits<double>::quiet_NaN();
  auto const diagonal = sk::sde<sk::diagonal_noise>(
      [nan](auto const& x, double t, auto& f) { f[0] = t > 0.5 ? nan : x[0]; },
      [](auto const& x, double, auto& g) { g[0] = 0.3 * x[0]; });
  auto const additive = sk::sde<sk::additive_noise>(
      [nan](auto const& x, double t, auto& f) { f[0] = t > 0.5 ? nan : -x[0]; },
      [](auto const&, double, auto& g) { g[0] = 0.3; });
  auto const check = [](auto const& sol, std::string const& what) {
    BOOST_TEST(!sol.ok(), what);
    BOOST_TEST((sol.status == sk::solve_status::non_finite_state), what << ": " << sol.message());
    BOOST_TEST(sol.failed_step == sol.accepted_steps + 1, what << ": " << sol.message());
    BOOST_TEST((sol.failed_time > 0.5 && sol.failed_time <= 1.0), what << ": " << sol.message());
    BOOST_TEST(sol.message().rfind("non-finite state at step ", 0) == 0u, what << ": " << sol.message());
    BOOST_CHECK_THROW(sol.value(), sk::solve_error);
  };
  check(sk::solve(diagonal, sk::sri_w1{}, sk::brownian_tree(404, 0, 0.0, 1.0), {0.0, 1.0}, dt0,
                  std::vector<double>{1.0}, tolerance(1e-4)),
        "SRIW1");
  check(sk::solve(additive, sk::sra1{}, sk::brownian_tree(404, 1, 0.0, 1.0), {0.0, 1.0}, dt0,
                  std::vector<double>{1.0}, tolerance(1e-4)),
        "SRA1");
}
