// Claim: every forward SDE has the marginals its schedule states. Simulated with the solver layer
// (Euler–Maruyama on grid_brownian, 10 000 independent paths as the components of one additive-noise
// state, dt = 2·10⁻⁴ T) from x_0 = 1.5, the sample mean and standard deviation at t = 0.1T ... 0.9T
// match α_t x_0 and σ_t within 4 standard errors (σ_t/√N and σ_t/√(2N)); the Euler–Maruyama bias
// in the std, about ¼ dt·|d log g²/dt| (0.09% for VE), stays below 0.15 standard error. The schedule functions are
// consistent: f = d log α/dt, g² = dσ²/dt − 2fσ² (central differences), λ = log(α/σ), and
// t_of_lambda, t_of_sigma invert λ, σ. Also: the VE marginal std is √(σ_VE² − σ_min²), not score_sde's
// σ_VE, and DDPM's discrete ᾱ_i approach α(t_i)² at rate 1/N. Seeds: 101–105.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include <sdekit/diffusion/cosine_vp_sde.hpp>
#include <sdekit/diffusion/edm_sde.hpp>
#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/sub_vp_sde.hpp>
#include <sdekit/diffusion/ve_sde.hpp>
#include <sdekit/diffusion/vp_sde.hpp>
#include <sdekit/solvers/euler_maruyama.hpp>
#include <sdekit/solvers/grid_brownian.hpp>
#include <sdekit/solvers/solve.hpp>

namespace sk = sdekit;
namespace dm = sdekit::diffusion;

namespace {

struct moments {
  double mean;
  double std;
};

moments sample_moments(std::vector<double> const& x) {
  double sum = 0.0, sum2 = 0.0;
  for (double v : x) sum += v;
  double const mean = sum / double(x.size());
  for (double v : x) sum2 += (v - mean) * (v - mean);
  return {mean, std::sqrt(sum2 / double(x.size() - 1))};
}

template <class SDE>
void check_simulated_marginals(SDE const& sde, std::uint64_t seed) {
  std::size_t const paths = 10000;
  std::size_t const steps_per_save = 1000;
  double const x0 = 1.5;
  double const dt = 2e-4 * sde.T();
  sk::solve_options<> options;
  for (std::size_t k = 1; k <= 9; k += 2) options.save_at.push_back(double(k * steps_per_save / 2) * dt);
  auto const sol = sk::solve(dm::as_problem(sde), sk::euler_maruyama{}, sk::grid_brownian(seed), {0.0, options.save_at.back()},
                             dt, std::vector<double>(paths, x0), options);
  BOOST_REQUIRE(sol.ok());
  for (std::size_t i = 0; i < sol.t.size(); ++i) {
    double const t = sol.t[i];
    moments const m = sample_moments(sol.x[i]);
    double const mean = sde.alpha(t) * x0, std = sde.sigma(t);
    double const se_mean = std / std::sqrt(double(paths)), se_std = std / std::sqrt(2.0 * double(paths));
    BOOST_TEST(std::fabs(m.mean - mean) <= 4.0 * se_mean,
               sde.name() << " t = " << t << ": mean " << m.mean << " vs α_t x_0 = " << mean << " (SE " << se_mean << ")");
    BOOST_TEST(std::fabs(m.std - std) <= 4.0 * se_std,
               sde.name() << " t = " << t << ": std " << m.std << " vs σ_t = " << std << " (SE " << se_std << ")");
  }
}

template <class SDE>
void check_schedule_consistency(SDE const& sde) {
  double const h = 1e-6 * sde.T();
  for (double u : {0.05, 0.2, 0.4, 0.6, 0.8, 0.95}) {
    double const t = u * sde.T();
    auto const var = [&](double s) { return sde.sigma(s) * sde.sigma(s); };
    double const dlog_alpha = (std::log(sde.alpha(t + h)) - std::log(sde.alpha(t - h))) / (2.0 * h);
    double const dvar = (var(t + h) - var(t - h)) / (2.0 * h);
    double const g2 = dvar - 2.0 * sde.f(t) * var(t);
    BOOST_TEST(std::fabs(sde.f(t) - dlog_alpha) <= 1e-6 * (1.0 + std::fabs(sde.f(t))),
               sde.name() << " t = " << t << ": f = " << sde.f(t) << ", d log α/dt = " << dlog_alpha);
    BOOST_TEST(std::fabs(sde.g2(t) - g2) <= 1e-6 * sde.g2(t),
               sde.name() << " t = " << t << ": g² = " << sde.g2(t) << ", dσ²/dt − 2fσ² = " << g2);
    BOOST_TEST(std::fabs(sde.lambda(t) - std::log(sde.alpha(t) / sde.sigma(t))) <= 1e-12 * (1.0 + std::fabs(sde.lambda(t))));
    BOOST_TEST(std::fabs(sde.t_of_lambda(sde.lambda(t)) - t) <= 1e-10 * sde.T(),
               sde.name() << ": t_of_lambda(lambda(" << t << ")) = " << sde.t_of_lambda(sde.lambda(t)));
    BOOST_TEST(std::fabs(sde.t_of_sigma(sde.sigma(t)) - t) <= 1e-10 * sde.T(),
               sde.name() << ": t_of_sigma(sigma(" << t << ")) = " << sde.t_of_sigma(sde.sigma(t)));
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(simulated_forward_sdes_have_the_stated_mean_and_std) {
  check_simulated_marginals(dm::vp_sde{}, 101);
  check_simulated_marginals(dm::ve_sde{}, 102);
  check_simulated_marginals(dm::sub_vp_sde{}, 103);
  check_simulated_marginals(dm::cosine_vp_sde{}, 104);
  check_simulated_marginals(dm::edm_sde{}, 105);
}

BOOST_AUTO_TEST_CASE(f_g2_lambda_and_the_inverses_agree_with_alpha_and_sigma) {
  check_schedule_consistency(dm::vp_sde{});
  check_schedule_consistency(dm::ve_sde{});
  check_schedule_consistency(dm::sub_vp_sde{});
  check_schedule_consistency(dm::cosine_vp_sde{});
  check_schedule_consistency(dm::edm_sde{});
}

// Song et al. 2021 define the sub-VP diffusion as g² = β(t)(1 − e^{−2∫β}); it coincides with the
// exact-marginal formula checked above.
BOOST_AUTO_TEST_CASE(sub_vp_g2_is_beta_times_one_minus_exp_of_minus_twice_integrated_beta) {
  dm::sub_vp_sde const sde;
  for (double t : {0.01, 0.3, 0.7, 1.0}) {
    double const b = 0.1 * t + 0.5 * (20.0 - 0.1) * t * t;
    double const expected = (0.1 + (20.0 - 0.1) * t) * (1.0 - std::exp(-2.0 * b));
    BOOST_TEST(std::fabs(sde.g2(t) - expected) <= 1e-14 * expected, "t = " << t << ": g² = " << sde.g2(t));
  }
}

// At t = 0.1 the two conventions differ by 10% while the standard error is 0.5%.
BOOST_AUTO_TEST_CASE(ve_marginal_std_is_sqrt_of_sigma_ve_squared_minus_sigma_min_squared) {
  dm::ve_sde const sde;
  double const t = 0.1, dt = 2e-4;
  std::size_t const paths = 20000;
  auto const sol = sk::solve(dm::as_problem(sde), sk::euler_maruyama{}, sk::grid_brownian(106), {0.0, t}, dt,
                             std::vector<double>(paths, 0.0));
  double const std = sample_moments(sol.value()).std;
  double const se = std / std::sqrt(2.0 * paths);
  double const exact = std::sqrt(sde.score_sde_sigma(t) * sde.score_sde_sigma(t) - 0.01 * 0.01);
  BOOST_TEST(std::fabs(sde.sigma(t) - exact) <= 1e-15);
  BOOST_TEST(std::fabs(std - exact) <= 4.0 * se, "std " << std << " vs √(σ_VE² − σ_min²) = " << exact);
  BOOST_TEST(std::fabs(std - sde.score_sde_sigma(t)) > 10.0 * se,
             "std " << std << " is indistinguishable from score_sde's σ_VE = " << sde.score_sde_sigma(t));
  BOOST_TEST(std::fabs(sde.t_of_score_sde_sigma(sde.score_sde_sigma(0.37)) - 0.37) <= 1e-14);
}

// log ᾱ_i − 2 log α(t_i) = O(1/N): the worst discrepancy falls by 4 (± 10%) from N = 1000 to 4000.
BOOST_AUTO_TEST_CASE(ddpm_alpha_bar_approaches_the_continuous_vp_at_rate_one_over_n) {
  dm::vp_sde const sde;
  auto const worst = [&](std::size_t n) {
    std::vector<double> const alpha_bar = sde.discrete_alpha_bar(n);
    double w = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      double const t = sde.discrete_time(i, n);
      w = std::max(w, std::fabs(std::log(alpha_bar[i]) - 2.0 * std::log(sde.alpha(t))));
      BOOST_TEST_REQUIRE(sde.discrete_index(t, n) == i);
    }
    return w;
  };
  double const ratio = worst(1000) / worst(4000);
  BOOST_TEST(std::fabs(ratio - 4.0) <= 0.4, "discrepancy ratio " << ratio);
  BOOST_TEST(std::fabs(sde.discrete_beta(0) - 1e-4) <= 1e-18);
  BOOST_TEST(std::fabs(sde.discrete_beta(999) - 0.02) <= 1e-15);
}
