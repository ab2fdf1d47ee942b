// Claim: ensemble means and variances of Ornstein–Uhlenbeck and geometric Brownian motion agree with
// exact moments within 4 standard errors, for both normal generators (philox_normal through
// grid_brownian, sleef_philox_normal through fast_grid_brownian). The Euler–Maruyama runs are checked
// against the exact moments of the Euler–Maruyama chain (the SDE's moments up to its O(dt) weak
// error, which would otherwise be comparable to the Monte Carlo error), adaptive SRA1 on trees
// against the SDE's own moments. 100 000 paths, 100 steps; seeds 99, 100, 101.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>

#include <thrust/system/omp/execution_policy.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;

namespace {

constexpr std::size_t paths = 100'000;
constexpr std::size_t steps = 100;
constexpr double dt = 1.0 / steps;
constexpr double T = 1.0;

struct sample_moments {
  double mean, variance, mean_se, variance_se;
};

template <class Solution>
sample_moments moments(Solution const& sol) {
  double sum = 0.0;
  for (std::size_t p = 0; p < sol.paths; ++p) sum += sol.final_value(p, 0);
  double const mean = sum / double(sol.paths);
  double m2 = 0.0, m4 = 0.0;
  for (std::size_t p = 0; p < sol.paths; ++p) {
    double const d = sol.final_value(p, 0) - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  double const n = double(sol.paths);
  double const variance = m2 / (n - 1.0);
  m4 /= n;
  return {mean, variance, std::sqrt(variance / n), std::sqrt((m4 - variance * variance) / n)};
}

void check(sample_moments const& m, double mean, double variance) {
  BOOST_TEST(std::fabs(m.mean - mean) < 4.0 * m.mean_se,
             "mean " << m.mean << " vs exact " << mean << " (standard error " << m.mean_se << ")");
  BOOST_TEST(std::fabs(m.variance - variance) < 4.0 * m.variance_se,
             "variance " << m.variance << " vs exact " << variance << " (standard error " << m.variance_se << ")");
}

// dX = θ(μ − X) dt + σ dW: mean μ + (x₀ − μ) e^{−θT}, variance σ²(1 − e^{−2θT})/(2θ).
constexpr double theta = 1.5, mu_ou = 0.5, sigma_ou = 0.8, x0_ou = 2.0;
auto ou() {
  return sk::sde<sk::additive_noise>([](auto const& x, double, auto& f) { f[0] = theta * (mu_ou - x[0]); },
                                     [](auto const&, double, auto& g) { g[0] = sigma_ou; });
}
double const ou_mean = mu_ou + (x0_ou - mu_ou) * std::exp(-theta * T);
double const ou_variance = sigma_ou * sigma_ou * (1.0 - std::exp(-2.0 * theta * T)) / (2.0 * theta);
// The chain X_{k+1} = a X_k + θμ dt + σ ΔW_k, a = 1 − θ dt.
double const ou_a = 1.0 - theta * dt;
double const ou_chain_mean = mu_ou + (x0_ou - mu_ou) * std::pow(ou_a, double(steps));
double const ou_chain_variance =
    sigma_ou * sigma_ou * dt * (1.0 - std::pow(ou_a, 2.0 * steps)) / (1.0 - ou_a * ou_a);

// dX = μX dt + σX dW: mean x₀ e^{μT}, variance x₀² e^{2μT}(e^{σ²T} − 1).
constexpr double mu_gbm = 0.4, sigma_gbm = 0.5, x0_gbm = 1.0;
auto gbm() {
  return sk::sde<sk::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = mu_gbm * x[0]; },
                                     [](auto const& x, double, auto& g) { g[0] = sigma_gbm * x[0]; });
}
// The chain X_{k+1} = X_k (1 + μ dt + σ ΔW_k): E X_N = x₀ (1 + μ dt)^N,
// E X_N² = x₀² ((1 + μ dt)² + σ² dt)^N.
double const gbm_chain_mean = x0_gbm * std::pow(1.0 + mu_gbm * dt, double(steps));
double const gbm_chain_variance =
    x0_gbm * x0_gbm * std::pow((1.0 + mu_gbm * dt) * (1.0 + mu_gbm * dt) + sigma_gbm * sigma_gbm * dt, double(steps)) -
    gbm_chain_mean * gbm_chain_mean;

}  // namespace

BOOST_AUTO_TEST_CASE(ou_moments_with_philox_normals) {
  auto const sol = sk::solve_ensemble(thrust::omp::par, ou(), sk::euler_maruyama{}, sk::grid_brownian(99), paths,
                                      {0.0, T}, dt, std::array<double, 1>{x0_ou});
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  check(moments(sol), ou_chain_mean, ou_chain_variance);
}

BOOST_AUTO_TEST_CASE(ou_moments_with_sleef_normals) {
  auto const sol = sk::solve_ensemble(thrust::omp::par, ou(), sk::euler_maruyama{}, sk::fast_grid_brownian(100), paths,
                                      {0.0, T}, dt, std::array<double, 1>{x0_ou});
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  check(moments(sol), ou_chain_mean, ou_chain_variance);
}

BOOST_AUTO_TEST_CASE(gbm_moments_with_philox_normals) {
  auto const sol = sk::solve_ensemble(thrust::omp::par, gbm(), sk::euler_maruyama{}, sk::grid_brownian(99), paths,
                                      {0.0, T}, dt, std::array<double, 1>{x0_gbm});
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  check(moments(sol), gbm_chain_mean, gbm_chain_variance);
}

BOOST_AUTO_TEST_CASE(gbm_moments_with_sleef_normals) {
  auto const sol = sk::solve_ensemble(thrust::omp::par, gbm(), sk::euler_maruyama{}, sk::fast_grid_brownian(100), paths,
                                      {0.0, T}, dt, std::array<double, 1>{x0_gbm});
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  check(moments(sol), gbm_chain_mean, gbm_chain_variance);
}

BOOST_AUTO_TEST_CASE(ou_moments_with_adaptive_sra1_on_trees) {
  sk::solve_options<sk::pi_controller> options{{}, sk::pi_controller{1e-3, 1e-3}};
  auto const sol = sk::solve_ensemble(thrust::omp::par, ou(), sk::sra1{}, sk::ensemble_brownian_tree{101}, paths / 5,
                                      {0.0, T}, 0.1, std::array<double, 1>{x0_ou}, options);
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  check(moments(sol), ou_mean, ou_variance);
}
