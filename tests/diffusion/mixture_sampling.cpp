// Claim: gaussian_mixture::sample and sample_prior draw the distributions they state, and a sample
// does not depend on how many are drawn. With 10⁵ samples, the mixture's sample mean and covariance
// match mixture_mean() and mixture_covariance() within 4 standard errors (the standard error of each
// entry estimated from the samples), the component frequencies match the weights within 4 binomial
// standard errors plus 0.002 (component = the nearest mean, wrong for 0.2% of the 2-D target's samples,
// which shifts the frequencies by at most 0.08%), and the prior's per-component std matches
// prior_sigma within 4 σ/√(2N). Seeds: 301–303.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/ve_sde.hpp>

namespace dm = sdekit::diffusion;

namespace {

void check_mean_and_covariance(dm::gaussian_mixture const& target, std::uint64_t seed) {
  std::size_t const n = 100000, d = target.dim();
  std::vector<double> const x = target.sample(n, seed);
  std::vector<double> const mean = target.mixture_mean(), cov = target.mixture_covariance();
  for (std::size_t i = 0; i < d; ++i) {
    double m = 0.0;
    for (std::size_t b = 0; b < n; ++b) m += x[b * d + i] / double(n);
    double const se = std::sqrt(cov[i * d + i] / double(n));
    BOOST_TEST(std::fabs(m - mean[i]) <= 4.0 * se, "d = " << d << " mean[" << i << "] " << m << " vs " << mean[i]);
    for (std::size_t j = 0; j <= i; ++j) {
      double c = 0.0, c2 = 0.0;
      for (std::size_t b = 0; b < n; ++b) {
        double const p = (x[b * d + i] - mean[i]) * (x[b * d + j] - mean[j]);
        c += p / double(n);
        c2 += p * p / double(n);
      }
      double const se_c = std::sqrt((c2 - c * c) / double(n));
      BOOST_TEST(std::fabs(c - cov[i * d + j]) <= 4.0 * se_c,
                 "d = " << d << " cov[" << i << "][" << j << "] " << c << " vs " << cov[i * d + j] << " (SE " << se_c << ")");
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(mixture_samples_have_the_mixture_mean_and_covariance) {
  check_mean_and_covariance(dm::targets::mixture_2d(), 301);
  check_mean_and_covariance(dm::targets::gaussian(6), 302);
}

BOOST_AUTO_TEST_CASE(mixture_components_are_drawn_with_their_weights) {
  dm::gaussian_mixture const target = dm::targets::mixture_2d();
  std::size_t const n = 100000;
  std::vector<double> const x = target.sample(n, 301);
  std::vector<double> count(3, 0.0);
  for (std::size_t b = 0; b < n; ++b) {
    std::size_t nearest = 0;
    double best = 1e300;
    for (std::size_t k = 0; k < 3; ++k) {
      double const dx = x[2 * b] - target.mean(k)[0], dy = x[2 * b + 1] - target.mean(k)[1];
      if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, nearest = k;
    }
    count[nearest] += 1.0;
  }
  for (std::size_t k = 0; k < 3; ++k) {
    double const p = target.weight(k), freq = count[k] / double(n);
    double const se = std::sqrt(p * (1 - p) / double(n));
    BOOST_TEST(std::fabs(freq - p) <= 4.0 * se + 0.002, "component " << k << ": frequency " << freq << " vs weight " << p);
  }
}

BOOST_AUTO_TEST_CASE(a_sample_does_not_depend_on_how_many_are_drawn) {
  dm::gaussian_mixture const target = dm::targets::mixture_2d();
  std::vector<double> const few = target.sample(5, 303), many = target.sample(50, 303);
  for (std::size_t i = 0; i < few.size(); ++i) BOOST_TEST(few[i] == many[i]);
  dm::ve_sde const ve;
  std::vector<double> const p_few = dm::sample_prior(ve, 3, 4, 303), p_many = dm::sample_prior(ve, 30, 4, 303);
  for (std::size_t i = 0; i < p_few.size(); ++i) BOOST_TEST(p_few[i] == p_many[i]);
  BOOST_TEST(few[0] != target.sample(5, 304)[0]);
}

BOOST_AUTO_TEST_CASE(prior_samples_have_std_prior_sigma) {
  dm::ve_sde const ve;
  std::size_t const n = 50000, d = 2;
  std::vector<double> const x = dm::sample_prior(ve, n, d, 301);
  double sum = 0.0, sum2 = 0.0;
  for (double v : x) sum += v, sum2 += v * v;
  double const count = double(n * d);
  double const mean = sum / count, std = std::sqrt(sum2 / count - mean * mean);
  BOOST_TEST(std::fabs(mean) <= 4.0 * ve.prior_sigma() / std::sqrt(count));
  BOOST_TEST(std::fabs(std - ve.prior_sigma()) <= 4.0 * ve.prior_sigma() / std::sqrt(2.0 * count),
             "std " << std << " vs prior_sigma " << ve.prior_sigma());
}
