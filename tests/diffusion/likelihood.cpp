// Claim: pf_ode_log_likelihood computes log p_0 exactly up to its tolerances. With the exact
// mixture score and exact divergence, at rtol = atol = 10⁻⁸ and ε = 10⁻⁵, log p + prior mismatch
// (the mixture's own p_T in place of the N(0, prior_sigma²) prior) is within 10⁻⁶ of the exact
// log p_0 for the 2-D mixture under every forward SDE and for a 16-D Gaussian under VP and VE.
// Hutchinson's estimate is unbiased within its reported standard error: over N points, the mean
// error is within 4 combined standard errors and the mean squared z-score is in [0.5, 2].
// bits_per_dim gives 8 bits for a uniform model. Seeds: 201–204 (data), 211–212 (probes).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include <sdekit/diffusion/cosine_vp_sde.hpp>
#include <sdekit/diffusion/edm_sde.hpp>
#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/likelihood.hpp>
#include <sdekit/diffusion/sub_vp_sde.hpp>
#include <sdekit/diffusion/ve_sde.hpp>
#include <sdekit/diffusion/vp_sde.hpp>

namespace dm = sdekit::diffusion;

namespace {

template <class SDE>
dm::likelihood_options exact_prior_options(dm::gaussian_mixture_score<SDE> const& score) {
  dm::likelihood_options o;
  o.rtol = o.atol = 1e-8;
  o.eps = 1e-5;
  o.terminal_log_density = [&score](std::vector<double> const& x_T) { return score.log_density(x_T, score.sde().T()); };
  return o;
}

template <class SDE>
void check_exact_likelihood(SDE const& sde, dm::gaussian_mixture const& target, std::uint64_t seed) {
  dm::gaussian_mixture_score<SDE> const score(sde, target);
  std::size_t const d = target.dim(), n = 8;
  std::vector<double> const x = target.sample(n, seed);
  dm::likelihood_result const r = dm::pf_ode_log_likelihood(sde, score, x, d, exact_prior_options(score));
  std::vector<double> const exact = target.log_density(x);
  for (std::size_t b = 0; b < n; ++b) {
    double const log_p = r.log_p[b] + r.prior_mismatch[b];
    BOOST_TEST(std::fabs(log_p - exact[b]) <= 1e-6,
               sde.name() << " d = " << d << " sample " << b << ": log p " << log_p << " vs exact " << exact[b]
                          << " (prior " << r.prior_term[b] << ", integral " << r.integral_term[b] << ", truncation "
                          << r.truncation_term[b] << ", mismatch " << r.prior_mismatch[b] << ")");
    BOOST_TEST(r.standard_error[b] == 0.0);
    BOOST_TEST(std::fabs(r.log_p[b] - (r.prior_term[b] + r.integral_term[b] + r.truncation_term[b])) <= 1e-12);
  }
  BOOST_TEST(r.nfe == 2 * r.rhs_evaluations + 2, "score and divergence once per right-hand side, once at ε");
}

template <class SDE>
void check_hutchinson_unbiased(SDE const& sde, dm::gaussian_mixture const& target, std::size_t n,
                               dm::probe_distribution probe, std::uint64_t data_seed, std::uint64_t probe_seed) {
  dm::gaussian_mixture_score<SDE> const score(sde, target);
  std::size_t const d = target.dim();
  std::vector<double> const x = target.sample(n, data_seed);
  dm::likelihood_options o = exact_prior_options(score);
  o.divergence = dm::divergence_estimator::hutchinson;
  o.probes = 16;
  o.probe = probe;
  o.seed = probe_seed;
  dm::likelihood_result const r = dm::pf_ode_log_likelihood(sde, score, x, d, o);
  std::vector<double> const exact = target.log_density(x);
  double error_sum = 0.0, variance_sum = 0.0, z2_sum = 0.0;
  for (std::size_t b = 0; b < n; ++b) {
    double const error = r.log_p[b] + r.prior_mismatch[b] - exact[b];
    BOOST_TEST_REQUIRE(r.standard_error[b] > 0.0);
    error_sum += error;
    variance_sum += r.standard_error[b] * r.standard_error[b];
    z2_sum += error * error / (r.standard_error[b] * r.standard_error[b]);
  }
  double const mean_error = error_sum / double(n), se_of_mean = std::sqrt(variance_sum) / double(n);
  BOOST_TEST(std::fabs(mean_error) <= 4.0 * se_of_mean,
             sde.name() << " d = " << d << ": mean error " << mean_error << ", standard error " << se_of_mean);
  double const mean_z2 = z2_sum / double(n);
  BOOST_TEST((mean_z2 >= 0.5 && mean_z2 <= 2.0), sde.name() << " d = " << d << ": mean z² = " << mean_z2);
  BOOST_TEST(r.nfe == 2 * r.rhs_evaluations + 2, "one score call and one probe batch per right-hand side");
}

}  // namespace

BOOST_AUTO_TEST_CASE(exact_divergence_gives_log_p0_of_the_2d_mixture_within_1e_6) {
  check_exact_likelihood(dm::vp_sde{}, dm::targets::mixture_2d(), 201);
  check_exact_likelihood(dm::ve_sde{}, dm::targets::mixture_2d(), 201);
  check_exact_likelihood(dm::sub_vp_sde{}, dm::targets::mixture_2d(), 201);
  check_exact_likelihood(dm::cosine_vp_sde{}, dm::targets::mixture_2d(), 201);
  check_exact_likelihood(dm::edm_sde{}, dm::targets::mixture_2d(), 201);
}

BOOST_AUTO_TEST_CASE(exact_divergence_gives_log_p0_of_a_16d_gaussian_within_1e_6) {
  check_exact_likelihood(dm::vp_sde{}, dm::targets::gaussian(16), 202);
  check_exact_likelihood(dm::ve_sde{}, dm::targets::gaussian(16), 202);
}

BOOST_AUTO_TEST_CASE(hutchinson_is_unbiased_within_its_standard_error) {
  check_hutchinson_unbiased(dm::vp_sde{}, dm::targets::mixture_2d(), 64, dm::probe_distribution::rademacher, 203, 211);
  check_hutchinson_unbiased(dm::ve_sde{}, dm::targets::gaussian(16), 32, dm::probe_distribution::gaussian, 204, 212);
}

// Without the exact p_T, log_p uses the prior N(0, prior_sigma² I), and the gap is the mismatch term.
BOOST_AUTO_TEST_CASE(prior_term_is_the_log_density_of_the_prior_at_x_T) {
  dm::vp_sde const sde;
  dm::gaussian_mixture_score<dm::vp_sde> const score(sde, dm::targets::mixture_2d());
  std::vector<double> const x = dm::targets::mixture_2d().sample(4, 205);
  dm::likelihood_result const r = dm::pf_ode_log_likelihood(sde, score, x, 2, exact_prior_options(score));
  std::vector<double> const prior = dm::prior_log_density(sde, r.x_T, 2);
  std::vector<double> const p_T = score.log_density(r.x_T, sde.T());
  for (std::size_t b = 0; b < 4; ++b) {
    BOOST_TEST(r.prior_term[b] == prior[b]);
    BOOST_TEST(std::fabs(r.prior_mismatch[b] - (p_T[b] - prior[b])) <= 1e-14);
  }
}

// A model uniform on [−1, 1]^d has log p = −d log 2; 8-bit data then costs exactly 8 bits/dim.
BOOST_AUTO_TEST_CASE(bits_per_dim_of_a_uniform_model_is_eight) {
  std::size_t const d = 3;
  BOOST_TEST(std::fabs(dm::bits_per_dim(-double(d) * std::log(2.0), d) - 8.0) <= 1e-13);
  BOOST_TEST(std::fabs(dm::bits_per_dim(0.0, d, {0.0, 1.0}) - 8.0) <= 1e-13);
  std::vector<std::uint8_t> const data{0, 17, 255, 128, 3, 254};
  std::vector<double> const y = dm::dequantize_8bit(data, d, 206);
  for (std::size_t i = 0; i < data.size(); ++i) {
    double const lo = -1.0 + 2.0 * data[i] / 256.0;
    BOOST_TEST((y[i] > lo && y[i] < lo + 2.0 / 256.0), "value " << int(data[i]) << " dequantized to " << y[i]);
  }
}
