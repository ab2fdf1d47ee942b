// Claims of the per-sample PF-ODE likelihood (pf_ode_log_likelihood with a policy):
//  - at rtol = atol = 1e-10 with the exact divergence, log p with the prior mismatch
//    log p_T − log π added back is within 1e-8 of the exact log p_0 under VP, VE and sub-VP, on
//    the three-component mixture at ε = 1e-5 and on the four-component one at ε = 1e-6: its component of variance 0.01 makes the O((σ_ε/α_ε)⁴ ∂⁴p)
//    truncation error of likelihood.hpp 3e-8 at ε = 1e-5 under VP;
//  - its terms agree with the batched likelihood's to its tolerance (1e-6 at rtol = atol = 1e-8);
//  - log p and every term are bit-identical on CPP, OMP and TBB with 1 and 2 threads and for a
//    batch split in two, since each point takes its own steps;
//  - the same holds for a 16-D Gaussian, within 1e-8 of exact at rtol = atol = 1e-10;
//  - with Hutchinson's estimator (8 Rademacher probes, probe seed 3), each (point, probe) solved on
//    its own: the estimates and their standard errors agree with the batched Hutchinson likelihood
//    on the same probes to its tolerance (1e-6 at rtol = atol = 1e-8); the exact log p lies within
//    two standard errors for at least 80 % of the points (91 % expected for a t-statistic with 7
//    degrees of freedom), and the mean error over the points within three standard errors of that
//    mean; bits are identical on every backend and for a split run (first_point names the probes);
//  - bad input is refused with the parameter named.
// Points: 101 exact draws of the mixture, seed 11.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <tuple>
#include <vector>

#include <sdekit/diffusion.hpp>
#include <sdekit/diffusion/gaussian_mixture_kernel_score.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;
namespace dm = sdekit::diffusion;

namespace {

constexpr std::size_t points = 101;
std::vector<sk::host_backend> const backends{{"cpp", 1}, {"omp", 1}, {"omp", 2}, {"tbb", 1}, {"tbb", 2}};

bool same_bits(std::vector<double> const& a, std::vector<double> const& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

template <class SDE>
void check_accuracy(SDE const& sde, dm::gaussian_mixture const& target, double eps, char const* name) {
  dm::packed_gaussian_mixture<2, 4> const packed(target);
  auto const score = packed.score(sde);
  std::vector<double> const x = target.sample(points, 11);
  std::vector<double> const exact = target.log_density(x);
  dm::likelihood_options options;
  options.rtol = options.atol = 1e-10;
  options.eps = eps;
  dm::gaussian_mixture_score<SDE> const batched_score(sde, target);
  options.terminal_log_density = [&](std::vector<double> const& x_T) { return batched_score.log_density(x_T, sde.T()); };
  auto const r = sk::pf_ode_log_likelihood(backends[2], sde, score, x, options);
  double worst = 0.0;
  for (std::size_t b = 0; b < points; ++b) {
    BOOST_REQUIRE(r.status[b] == sk::solve_status::success);
    worst = std::max(worst, std::fabs(r.log_p[b] + r.prior_mismatch[b] - exact[b]));
  }
  BOOST_TEST_MESSAGE(name << ": largest |log p − exact| = " << worst << ", mean NFE per point " << r.nfe);
  BOOST_CHECK_MESSAGE(worst <= 1e-8, name << ": per-sample log p misses the exact value by " << worst);
}

}  // namespace

BOOST_AUTO_TEST_CASE(per_sample_likelihood_is_within_1e_8_of_exact_under_vp_ve_and_sub_vp) {
  for (auto const& [target, eps, name] :
       {std::tuple{dm::targets::mixture_2d(), 1e-5, "three-component mixture"},
        std::tuple{dm::targets::mixture_2d_four(), 1e-6, "four-component mixture"}}) {
    BOOST_TEST_CONTEXT(name) {
      check_accuracy(dm::vp_sde{}, target, eps, "VP");
      check_accuracy(dm::ve_sde{}, target, eps, "VE");
      check_accuracy(dm::sub_vp_sde{}, target, eps, "sub-VP");
    }
  }
}

BOOST_AUTO_TEST_CASE(per_sample_likelihood_agrees_with_the_batched_one) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const target = dm::targets::mixture_2d_four();
  dm::packed_gaussian_mixture<2, 4> const packed(target);
  std::vector<double> const x = target.sample(points, 11);
  dm::likelihood_options options;
  options.rtol = options.atol = 1e-8;
  auto const batched = dm::pf_ode_log_likelihood(sde, dm::gaussian_mixture_score<dm::vp_sde>(sde, target), x, 2, options);
  auto const per_sample = sk::pf_ode_log_likelihood(backends[0], sde, packed.score(sde), x, options);
  for (std::size_t b = 0; b < points; ++b) {
    BOOST_CHECK_SMALL(per_sample.log_p[b] - batched.log_p[b], 1e-6);
    BOOST_CHECK_SMALL(per_sample.truncation_term[b] - batched.truncation_term[b], 1e-12);
    BOOST_CHECK_SMALL(per_sample.prior_term[b] - batched.prior_term[b], 1e-6);
  }
}

BOOST_AUTO_TEST_CASE(per_sample_likelihood_has_the_same_bits_on_every_backend_and_split) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const target = dm::targets::mixture_2d_four();
  dm::packed_gaussian_mixture<2, 4> const packed(target);
  auto const score = packed.score(sde);
  std::vector<double> const x = target.sample(points, 11);
  dm::likelihood_options options;
  options.rtol = options.atol = 1e-5;
  auto const first = sk::pf_ode_log_likelihood(backends[0], sde, score, x, options);
  for (auto const& backend : backends) {
    auto const r = sk::pf_ode_log_likelihood(backend, sde, score, x, options);
    BOOST_CHECK(same_bits(r.log_p, first.log_p));
    BOOST_CHECK(same_bits(r.integral_term, first.integral_term));
    BOOST_CHECK(same_bits(r.x_T, first.x_T));
  }
  std::vector<double> const head(x.begin(), x.begin() + 2 * 40), tail(x.begin() + 2 * 40, x.end());
  auto joined = sk::pf_ode_log_likelihood(backends[2], sde, score, head, options).log_p;
  auto const rest = sk::pf_ode_log_likelihood(backends[2], sde, score, tail, options).log_p;
  joined.insert(joined.end(), rest.begin(), rest.end());
  BOOST_CHECK(same_bits(joined, first.log_p));
}

BOOST_AUTO_TEST_CASE(per_sample_likelihood_of_a_16_dimensional_gaussian_is_exact_and_reproducible) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const target = dm::targets::gaussian(16);
  dm::packed_gaussian_mixture<16, 1> const packed(target);
  auto const score = packed.score(sde);
  std::vector<double> const x = target.sample(points, 11);
  std::vector<double> const exact = target.log_density(x);
  dm::likelihood_options options;
  options.rtol = options.atol = 1e-10;
  dm::gaussian_mixture_score<dm::vp_sde> const batched_score(sde, target);
  options.terminal_log_density = [&](std::vector<double> const& x_T) { return batched_score.log_density(x_T, sde.T()); };
  auto const first = sk::pf_ode_log_likelihood(backends[0], sde, score, x, options);
  double worst = 0.0;
  for (std::size_t b = 0; b < points; ++b) worst = std::max(worst, std::fabs(first.log_p[b] + first.prior_mismatch[b] - exact[b]));
  BOOST_TEST_MESSAGE("16-D Gaussian: largest |log p − exact| = " << worst);
  BOOST_CHECK_LE(worst, 1e-8);
  for (auto const& backend : backends)
    BOOST_CHECK(same_bits(sk::pf_ode_log_likelihood(backend, sde, score, x, options).log_p, first.log_p));
}

namespace {

dm::likelihood_options hutchinson_options(double tolerance) {
  dm::likelihood_options o;
  o.divergence = dm::divergence_estimator::hutchinson;
  o.probes = 8;
  o.seed = 3;
  o.rtol = o.atol = tolerance;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(per_sample_hutchinson_agrees_with_the_batched_estimator_and_covers_the_exact_value) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const target = dm::targets::mixture_2d_four();
  dm::packed_gaussian_mixture<2, 4> const packed(target);
  std::vector<double> const x = target.sample(points, 11);
  std::vector<double> const exact = target.log_density(x);
  dm::likelihood_options options = hutchinson_options(1e-8);
  dm::gaussian_mixture_score<dm::vp_sde> const batched_score(sde, target);
  options.terminal_log_density = [&](std::vector<double> const& x_T) { return batched_score.log_density(x_T, sde.T()); };
  auto const batched = dm::pf_ode_log_likelihood(sde, batched_score, x, 2, options);
  auto const r = sk::pf_ode_log_likelihood(backends[2], sde, packed.score(sde), x, options);
  std::size_t covered = 0;
  double mean_error = 0.0, variance_of_mean = 0.0;
  for (std::size_t b = 0; b < points; ++b) {
    BOOST_REQUIRE(r.status[b] == sk::solve_status::success);
    BOOST_CHECK_SMALL(r.log_p[b] - batched.log_p[b], 1e-6);
    BOOST_CHECK_SMALL(r.standard_error[b] - batched.standard_error[b], 1e-6);
    double const error = r.log_p[b] + r.prior_mismatch[b] - exact[b];
    covered += std::fabs(error) <= 2.0 * r.standard_error[b];
    mean_error += error / double(points);
    variance_of_mean += r.standard_error[b] * r.standard_error[b] / double(points * points);
  }
  BOOST_TEST_MESSAGE("Hutchinson per point: " << covered << " of " << points << " within 2 standard errors, mean error "
                                              << mean_error << " ± " << std::sqrt(variance_of_mean));
  BOOST_CHECK_GE(covered, points * 8 / 10);
  BOOST_CHECK_LE(std::fabs(mean_error), 3.0 * std::sqrt(variance_of_mean));
}

BOOST_AUTO_TEST_CASE(per_sample_hutchinson_has_the_same_bits_on_every_backend_and_split) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const target = dm::targets::mixture_2d_four();
  dm::packed_gaussian_mixture<2, 4> const packed(target);
  auto const score = packed.score(sde);
  std::vector<double> const x = target.sample(points, 11);
  dm::likelihood_options const options = hutchinson_options(1e-5);
  auto const first = sk::pf_ode_log_likelihood(backends[0], sde, score, x, options);
  for (auto const& backend : backends) {
    auto const r = sk::pf_ode_log_likelihood(backend, sde, score, x, options);
    BOOST_CHECK(same_bits(r.log_p, first.log_p));
    BOOST_CHECK(same_bits(r.standard_error, first.standard_error));
  }
  // A run split at point 40, the second part naming its first point.
  std::vector<double> const head(x.begin(), x.begin() + 2 * 40), tail(x.begin() + 2 * 40, x.end());
  dm::likelihood_options second = options;
  second.first_point = 40;
  auto joined = sk::pf_ode_log_likelihood(backends[2], sde, score, head, options).log_p;
  auto const rest = sk::pf_ode_log_likelihood(backends[4], sde, score, tail, second).log_p;
  joined.insert(joined.end(), rest.begin(), rest.end());
  BOOST_CHECK(same_bits(joined, first.log_p));
}

BOOST_AUTO_TEST_CASE(per_sample_likelihood_refuses_bad_input) {
  dm::vp_sde const sde;
  dm::packed_gaussian_mixture<2, 4> const packed(dm::targets::mixture_2d_four());
  auto const score = packed.score(sde);
  dm::likelihood_options one_probe = hutchinson_options(1e-5);
  one_probe.probes = 1;
  BOOST_CHECK_THROW(sk::pf_ode_log_likelihood(backends[0], sde, score, {0.1, 0.2}, one_probe), sk::invalid_argument);
  dm::likelihood_options no_step = hutchinson_options(1e-5);
  no_step.fd_step = 0.0;
  BOOST_CHECK_THROW(sk::pf_ode_log_likelihood(backends[0], sde, score, {0.1, 0.2}, no_step), sk::invalid_argument);
  BOOST_CHECK_THROW(sk::pf_ode_log_likelihood(backends[0], sde, score, {0.1, 0.2, 0.3}), sk::invalid_argument);
  BOOST_CHECK_THROW(sk::pf_ode_log_likelihood(backends[0], sde, score, {0.1, std::nan("")}), sk::invalid_argument);
  BOOST_CHECK_THROW(sk::pf_ode_log_likelihood(backends[0], sde, score, {}), sk::invalid_argument);
  dm::likelihood_options inverted;
  inverted.eps = 2.0;
  BOOST_CHECK_THROW(sk::pf_ode_log_likelihood(backends[0], sde, score, {0.1, 0.2}, inverted), sk::invalid_argument);
}
