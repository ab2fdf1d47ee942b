// Claims about the PI controller's factors and the exp and log they are computed with
// (reproducible_exp_log.hpp): (1) reproducible_log is within 3 units in the last place of the
// correctly rounded ln x (glibc's, itself within 1) over x ∈ [10⁻³⁰⁰, 10³⁰⁰] and near 1, and
// reproducible_exp within 1 unit of e^y over [−700, 700]; ln 1 = 0 and e⁰ = 1 exactly, e^y is
// clamped beyond ±700; (2) accept_factor and reject_factor are Hairer, Nørsett & Wanner's
// safety · e^(−0.7/(q+1)) · e_prev^(0.4/(q+1)) and safety · e^(−1/(q+1)), clamped, to 10⁻¹⁴
// relative, with errors floored at 10⁻¹⁰ and a non-finite error giving min_factor. Seed 7.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include <sdekit/solvers.hpp>

namespace sk = sdekit;

namespace {

// |a − b| in units of the last place of b.
double ulps(double a, double b) {
  double const unit = std::nextafter(std::fabs(b), std::numeric_limits<double>::infinity()) - std::fabs(b);
  return std::fabs(a - b) / unit;
}

}  // namespace

BOOST_AUTO_TEST_CASE(log_and_exp_are_within_a_few_units_in_the_last_place) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> log_x(std::log(1e-300), std::log(1e300)), near_one(-1e-3, 1e-3),
      y(-700.0, 700.0), small_y(-3.0, 3.0);
  double worst_log = 0.0, worst_exp = 0.0;
  for (int i = 0; i < 1'000'000; ++i) {
    double const x = i % 2 ? std::exp(log_x(rng)) : 1.0 + near_one(rng);
    if (x != 1.0) worst_log = std::max(worst_log, ulps(sk::detail::reproducible_log(x), std::log(x)));
    double const z = i % 2 ? y(rng) : small_y(rng);
    worst_exp = std::max(worst_exp, ulps(sk::detail::reproducible_exp(z), std::exp(z)));
  }
  BOOST_TEST(worst_log <= 3.0, "log: " << worst_log << " ulp");
  BOOST_TEST(worst_exp <= 1.0, "exp: " << worst_exp << " ulp");
  BOOST_TEST(sk::detail::reproducible_log(1.0) == 0.0);
  BOOST_TEST(sk::detail::reproducible_exp(0.0) == 1.0);
  BOOST_TEST(sk::detail::reproducible_exp(1000.0) == sk::detail::reproducible_exp(700.0));
  BOOST_TEST(sk::detail::reproducible_exp(-1000.0) == sk::detail::reproducible_exp(-700.0));
  BOOST_TEST(sk::detail::reproducible_exp(-700.0) > 0.0);
}

BOOST_AUTO_TEST_CASE(factors_are_the_pi_formula) {
  sk::pi_controller const c{1e-6, 1e-6, 0.9, 0.2, 10.0};
  for (double const q : {0.5, 1.0, 1.5, 4.0}) {
    double const k = q + 1.0;
    for (double e = 1e-12; e < 1e3; e *= 1.37) {
      for (double const e_prev : {1e-12, 0.01, 0.5, 1.0}) {
        double const expected = std::clamp(0.9 * std::pow(std::max(e, 1e-10), -0.7 / k) *
                                               std::pow(std::max(e_prev, 1e-10), 0.4 / k), 0.2, 10.0);
        BOOST_TEST(c.accept_factor(e, e_prev, q) == expected, boost::test_tools::tolerance(1e-14));
      }
      double const rejected = std::clamp(0.9 * std::pow(std::max(e, 1e-10), -1.0 / k), 0.2, 1.0);
      BOOST_TEST(c.reject_factor(e, q) == rejected, boost::test_tools::tolerance(1e-14));
    }
    BOOST_TEST(c.reject_factor(std::numeric_limits<double>::infinity(), q) == 0.2);
    BOOST_TEST(c.reject_factor(std::numeric_limits<double>::quiet_NaN(), q) == 0.2);
    BOOST_TEST(c.accept_factor(0.0, 1.0, q) == c.accept_factor(1e-10, 1.0, q));
  }
}
