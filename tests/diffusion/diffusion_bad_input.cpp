// Claim: every public entry point of the diffusion module refuses bad input with an
// sdekit::invalid_argument whose message names the parameter and its value: schedule parameters,
// σ_min ≥ σ_max, times outside [ε, T], ε ≤ 0, a score whose dimension is not the state's, a score
// that returns NaN (message names t and the sample), malformed mixtures and batches. No random numbers.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <sdekit/diffusion/cosine_vp_sde.hpp>
#include <sdekit/diffusion/edm_sde.hpp>
#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/likelihood.hpp>
#include <sdekit/diffusion/parametrization.hpp>
#include <sdekit/diffusion/probability_flow.hpp>
#include <sdekit/diffusion/score.hpp>
#include <sdekit/diffusion/sub_vp_sde.hpp>
#include <sdekit/diffusion/ve_sde.hpp>
#include <sdekit/diffusion/vp_sde.hpp>

#include "error_message_check.hpp"

namespace sk = sdekit;
namespace dm = sdekit::diffusion;

namespace {

using sdekit_test::check_message;

double const not_a_number = std::numeric_limits<double>::quiet_NaN();

dm::gaussian_mixture_score<dm::vp_sde> mixture_score() { return {dm::vp_sde{}, dm::targets::mixture_2d()}; }

// The exact 2-D score, except NaN for sample 1 from t = 0.5 on.
dm::score_function nan_for_sample_one() {
  return dm::score_function(2, [](std::vector<double> const& x, double t, std::vector<double>& out) {
    mixture_score()(x, t, out);
    if (t >= 0.5 && out.size() >= 4) out[3] = not_a_number;
  });
}

}  // namespace

BOOST_AUTO_TEST_CASE(non_positive_schedule_parameters_are_refused) {
  check_message([] { dm::ve_sde(0.0, 50.0); }, "sigma_min = 0 must be positive");
  check_message([] { dm::ve_sde(0.01, -1.0); }, "sigma_max = -1 must be positive");
  check_message([] { dm::ve_sde(not_a_number, 50.0); }, "sigma_min = nan");
  check_message([] { dm::vp_sde(-0.1, 20.0); }, "beta_min = -0.10000000000000001 must be positive");
  check_message([] { dm::vp_sde(0.1, 0.0); }, "beta_max = 0 must be positive");
  check_message([] { dm::sub_vp_sde(0.0, 20.0); }, "beta_min = 0 must be positive");
  check_message([] { dm::cosine_vp_sde(0.0); }, "s = 0 must be positive");
  check_message([] { dm::cosine_vp_sde(0.008, 1.0); }, "T = 1 must lie in (0, 1)");
  check_message([] { dm::edm_sde(0.002, 80.0, 0.0); }, "sigma_data = 0 must be positive");
}

BOOST_AUTO_TEST_CASE(sigma_min_not_below_sigma_max_is_refused) {
  check_message([] { dm::ve_sde(50.0, 0.01); }, "sigma_min = 50 must be less than sigma_max = 0.01");
  check_message([] { dm::ve_sde(1.0, 1.0); }, "sigma_min = 1 must be less than sigma_max = 1");
  check_message([] { dm::edm_sde(80.0, 0.002); }, "sigma_min = 80 must be less than sigma_max = 0.002");
}

BOOST_AUTO_TEST_CASE(ddpm_steps_and_times_outside_their_range_are_refused) {
  dm::vp_sde const vp;
  check_message([&] { vp.discrete_beta(1000); }, "step i = 1000 lies outside 0..999");
  check_message([&] { vp.discrete_alpha_bar(1); }, "n = 1 discrete steps");
  check_message([&] { vp.discrete_index(1.5); }, "t = 1.5 lies outside [0, T] = [0, 1]");
}

BOOST_AUTO_TEST_CASE(likelihood_times_outside_eps_to_T_are_refused) {
  auto const score = mixture_score();
  std::vector<double> const x{0.1, 0.2};
  dm::likelihood_options o;
  o.eps = 0.0;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2, o); }, "eps = 0 must be positive");
  o.eps = -1e-3;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2, o); }, "eps = -0.001 must be positive");
  o.eps = 1.0;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2, o); }, "eps = 1 lies outside (0, T) = (0, 1)");
  o.eps = 1e-3;
  o.t_end = 2.0;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2, o); }, "t_end = 2 lies outside (eps, T] = (0.001, 1]");
  o.t_end = 1e-4;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2, o); }, "t_end = 0.0001 lies outside");
}

BOOST_AUTO_TEST_CASE(likelihood_options_are_validated) {
  auto const score = mixture_score();
  std::vector<double> const x{0.1, 0.2};
  dm::likelihood_options o;
  o.rtol = 0.0;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2, o); }, "rtol = 0 must be positive");
  o = {};
  o.divergence = dm::divergence_estimator::hutchinson;
  o.probes = 1;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2, o); }, "probes = 1");
  o.probes = 4;
  o.fd_step = 0.0;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2, o); }, "fd_step = 0 must be positive");
  o = {};
  o.divergence = dm::divergence_estimator::exact;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, nan_for_sample_one(), x, 2, o); },
                "divergence = exact needs a score with divergence(x, t, out)");
  std::vector<double> const bad_x{0.1, not_a_number};
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, bad_x, 2, dm::likelihood_options{}); }, "x[1] = nan must be finite");
}

BOOST_AUTO_TEST_CASE(score_and_state_dimension_mismatch_is_refused) {
  auto const score = mixture_score();
  std::vector<double> const x{0.1, 0.2, 0.3};
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 3); },
                "score dim() = 2 does not match the state dimension d = 3");
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, score, x, 2); }, "x.size() = 3 is not a multiple of d = 2");
  std::vector<double> out;
  check_message([&] { dm::pf_ode_drift(dm::vp_sde{}, score, x, 0.5, out); },
                "x.size() = 3 is not a multiple of the score's dim() = 2");
  check_message([&] { dm::prior_log_density(dm::vp_sde{}, x, 0); }, "d = 0");
  check_message([&] { dm::exact_pf_ode_flow(dm::vp_sde{}, dm::targets::gaussian(2), x, 0.5, 0.2); },
                "x.size() = 3 is not a multiple of d = 2");
  check_message([] { dm::score_function(0, [](auto const&, double, auto&) {}); }, "score dim = 0 must be positive");
  check_message([&] { dm::score_from_prediction(dm::prediction::epsilon, {1.0}, x, 1.0, 0.5, out); },
                "prediction has 1 values but x has 3");
}

BOOST_AUTO_TEST_CASE(a_score_returning_nan_is_named_with_t_and_sample) {
  std::vector<double> const x{0.1, 0.2, -1.0, 0.5, 2.0, 1.0};
  std::vector<double> out;
  check_message([&] { dm::pf_ode_drift(dm::vp_sde{}, nan_for_sample_one(), x, 0.75, out); },
                "score returned nan at t = 0.75 for sample 1 (component 1)");
  check_message([&] { dm::reverse_sde_drift(dm::vp_sde{}, nan_for_sample_one(), x, 0.5, out); },
                "score returned nan at t = 0.5 for sample 1");
  dm::likelihood_options o;
  o.eps = 0.5;
  o.divergence = dm::divergence_estimator::hutchinson;
  check_message([&] { dm::pf_ode_log_likelihood(dm::vp_sde{}, nan_for_sample_one(), x, 2, o); },
                "score returned nan at t = 0.5 for sample 1");
  dm::score_function const short_output(2, [](std::vector<double> const&, double, std::vector<double>& s) { s.assign(2, 0.0); });
  check_message([&] { dm::pf_ode_drift(dm::vp_sde{}, short_output, x, 0.25, out); },
                "score wrote 2 values for a batch of 6 at t = 0.25");
}

BOOST_AUTO_TEST_CASE(malformed_mixtures_are_refused) {
  check_message([] { dm::gaussian_mixture({}, {}, {}); }, "weights is empty");
  check_message([] { dm::gaussian_mixture({0.5, -0.5}, {{0.0}, {1.0}}, {{1.0}, {1.0}}); }, "weights[1] = -0.5 must be positive");
  check_message([] { dm::gaussian_mixture({1.0}, {{0.0, 0.0}}, {{1.0, 0.0, 0.0}}); },
                "covariances[0] has 3 entries; a 2×2 covariance needs 4");
  check_message([] { dm::gaussian_mixture({1.0}, {{0.0, 0.0}}, {{1.0, 0.5, 0.0, 1.0}}); }, "covariances[0] is not symmetric");
  check_message([] { dm::gaussian_mixture({1.0}, {{0.0, 0.0}}, {{1.0, 2.0, 2.0, 1.0}}); },
                "covariances[0] is not positive definite (smallest eigenvalue -");
  check_message([] { dm::gaussian_mixture({1.0, 1.0}, {{0.0, 0.0}, {1.0}}, {{1.0, 0.0, 0.0, 1.0}, {1.0}}); },
                "means[1] has 1 entries; means[0] has d = 2");
  check_message([] { dm::gaussian_mixture({1.0}, {{0.0}}, {{1.0}, {1.0}}); }, "weights, means and covariances have 1, 1 and 2");
  std::vector<double> const x{0.1, 0.2};
  check_message([&] { dm::exact_pf_ode_flow(dm::vp_sde{}, dm::targets::mixture_2d(), x, 0.5, 0.2); },
                "exact_pf_ode_flow needs a single Gaussian; this mixture has 3 components");
  check_message([] { dm::targets::gaussian(0); }, "d = 0");
}

BOOST_AUTO_TEST_CASE(dequantization_and_bits_per_dim_refuse_an_empty_range) {
  check_message([] { dm::bits_per_dim(-1.0, 2, {1.0, 1.0}); }, "high = 1 must exceed low = 1");
  check_message([] { dm::bits_per_dim(-1.0, 0); }, "d = 0");
  check_message([] { dm::dequantize_8bit({1, 2, 3}, 2, 0); }, "data.size() = 3 is not a positive multiple of d = 2");
}
