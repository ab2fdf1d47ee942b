// Claim: Euler–Maruyama has weak order 1 on geometric Brownian motion (μ = 1, σ = 0.8, x₀ = 1,
// T = 1), for E[X_T] and E[X_T²]: the fitted order over dt = 2⁻³..2⁻⁸ is within ±0.2 of 1.
//
// How the Monte Carlo error is kept below the bias: each path is solved on a brownian_tree and
// compared with the exact solution on the same path, and the bias E φ(X_T) − E φ(X(T)) is estimated by
// the mean of φ(X_T) − φ(X(T)) (the exact solution as a control variate of known mean). Its standard
// error shrinks with the strong error, ~√dt/√N, while the bias shrinks like dt; with N = 2·10⁴
// paths every bias exceeds 5 standard errors (checked). The bias itself is known in closed form for
// GBM, E[X_N] = x₀ (1 + μh)^N and E[X_N²] = x₀² ((1 + μh)² + σ²h)^N, and the estimates must match it
// within 4 standard errors. Seed 202.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <sdekit/solvers.hpp>
#include <sdekit/solvers/catalogue/catalogue.hpp>

#include "convergence.hpp"

namespace sk = sdekit;

BOOST_AUTO_TEST_CASE(euler_maruyama_has_weak_order_one_on_gbm_moments) {
  sk::catalogue::geometric_brownian_motion const gbm;
  double const mu = gbm.mu, sigma = gbm.sigma, x0 = gbm.initial_value, T = 1.0;
  using state = std::vector<double>;
  std::vector<sk::test_function<state>> const moments{
      {"E[X_T]", [](state const& x) { return x[0]; }, x0 * std::exp(mu * T)},
      {"E[X_T^2]", [](state const& x) { return x[0] * x[0]; }, x0 * x0 * std::exp((2 * mu + sigma * sigma) * T)}};
  // The exact Euler–Maruyama moments after N steps of h: the growth factor per step.
  auto const growth = [&](std::size_t f, double h) {
    return f == 0 ? 1 + mu * h : (1 + mu * h) * (1 + mu * h) + sigma * sigma * h;
  };

  sk::convergence_options o;
  o.seed = 202;
  o.paths = 20'000;
  o.coarsest_level = 3;
  o.finest_level = 8;
  o.t1 = T;
  auto const results = sk::weak_convergence(gbm, sk::euler_maruyama{}, moments, o);

  for (std::size_t f = 0; f < moments.size(); ++f) {
    auto const& r = results[f];
    sdekit_test::check_order(r, 1.0, 0.2, "Euler–Maruyama weak error in " + moments[f].name);
    BOOST_TEST(std::fabs(r.sampled_moment - r.exact_moment) < 4 * r.sampled_moment_error,
               moments[f].name << ": sampled " << r.sampled_moment << " ± " << r.sampled_moment_error << ", exact "
                               << r.exact_moment);
    for (std::size_t k = 0; k < r.dt.size(); ++k) {
      double const h = r.dt[k];
      double const closed_form = std::fabs(std::pow(growth(f, h), T / h) * std::pow(x0, double(f + 1)) - r.exact_moment);
      BOOST_TEST(r.error[k] > 5 * r.standard_error[k],
                 moments[f].name << " at dt = " << h << ": bias " << r.error[k] << " ± " << r.standard_error[k]);
      BOOST_TEST(std::fabs(r.error[k] - closed_form) < 4 * r.standard_error[k],
                 moments[f].name << " at dt = " << h << ": estimated bias " << r.error[k] << " ± "
                                 << r.standard_error[k] << ", closed form " << closed_form);
    }
  }
}
