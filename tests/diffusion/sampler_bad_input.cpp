// Claim: time grids and samplers refuse bad input with a message that names the parameter and its
// value: n = 0 steps, eps ≤ 0, eps ≥ T, a grid too short or not descending, a batch whose size is
// not a multiple of the score's dimension, out-of-range options; a score that returns NaN stops
// the sampler with a message naming t and the (global) sample index.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <sdekit/diffusion.hpp>

#include "error_message_check.hpp"

namespace dd = sdekit::diffusion;

namespace {

dd::vp_sde const sde{};
dd::gaussian_mixture_score<dd::vp_sde> const score{sde, dd::targets::mixture_2d()};
std::vector<double> const x_T = dd::sample_prior(sde, 8, 2, 1);

using sdekit_test::check_message;

// Component 1 of batch sample `sample` is NaN at t < 0.5.
dd::score_function nan_score(std::size_t sample) {
  return dd::score_function(2, [sample](std::vector<double> const& x, double t, std::vector<double>& out) {
    score(x, t, out);
    if (t < 0.5 && out.size() > 2 * sample + 1) out[2 * sample + 1] = std::numeric_limits<double>::quiet_NaN();
  });
}

}  // namespace

BOOST_AUTO_TEST_CASE(grids_refuse_zero_steps) {
  check_message([] { dd::uniform_grid(sde, 0, 1e-3); }, "n = 0 steps");
  check_message([] { dd::quadratic_grid(sde, 0, 1e-3); }, "n = 0 steps");
  check_message([] { dd::lambda_uniform_grid(sde, 0, 1e-3); }, "n = 0 steps");
  check_message([] { dd::karras_grid(sde, 0, 1e-3); }, "n = 0 steps");
}

BOOST_AUTO_TEST_CASE(grids_refuse_eps_outside_zero_to_t) {
  check_message([] { dd::uniform_grid(sde, 10, 0.0); }, "eps = 0 must be positive");
  check_message([] { dd::quadratic_grid(sde, 10, -0.5); }, "eps = -0.5 must be positive");
  check_message([] { dd::lambda_uniform_grid(sde, 10, 1.0); }, "eps = 1 must be below T = 1");
  check_message([] { dd::karras_grid(sde, 10, 2.0); }, "eps = 2 must be below T = 1");
  check_message([] { dd::uniform_grid(sde, 10, std::nan("")); }, "eps = nan must be finite");
  check_message([] { dd::karras_grid(0.5, 0.1, 10); }, "eps = 0.5 must be below T = 0.1");
}

BOOST_AUTO_TEST_CASE(grids_are_descending_from_t_to_eps) {
  for (auto const& grid : {dd::uniform_grid(sde, 7, 1e-3), dd::quadratic_grid(sde, 7, 1e-3),
                           dd::karras_grid(sde, 7, 1e-3), dd::lambda_uniform_grid(sde, 7, 1e-3)}) {
    BOOST_TEST(grid.size() == 8u);
    BOOST_TEST(grid.front() == 1.0);
    BOOST_TEST(grid.back() == 1e-3);
    for (std::size_t i = 1; i < grid.size(); ++i) BOOST_TEST(grid[i] < grid[i - 1]);
  }
}

BOOST_AUTO_TEST_CASE(samplers_refuse_a_grid_without_steps) {
  std::vector<double> const one{1.0};
  check_message([&] { dd::ddpm_sample(sde, score, one, x_T, 1); }, "grid has 1 time(s)");
  check_message([&] { dd::pf_ode_sample(sde, score, {}, x_T); }, "grid has 0 time(s)");
  check_message([&] { dd::ddim_sample(sde, score, {1.0, 0.5, 0.75}, x_T, 1); }, "grid[2] = 0.75 must be below grid[1] = 0.5");
  check_message([&] { dd::reverse_sde_sample(sde, score, {1.0, 0.0}, x_T, 1); }, "eps = grid.back() = 0 must be positive");
  check_message([&] { dd::edm_heun_sample(sde, score, {2.0, 0.5}, x_T, 1); }, "grid[0] = 2 exceeds the SDE's T = 1");
}

BOOST_AUTO_TEST_CASE(adaptive_samplers_refuse_eps_outside_zero_to_t) {
  check_message([] { dd::adaptive_reverse_sde_sample(sde, score, 0.0, x_T, 1); }, "eps = 0 must be positive");
  check_message([] { dd::adaptive_reverse_sde_sample(sde, score, 1.5, x_T, 1); }, "eps = 1.5 must be below T = 1");
  check_message([] { dd::pf_ode_adaptive_sample(sde, score, -1.0, x_T); }, "eps = -1 must be positive");
}

BOOST_AUTO_TEST_CASE(samplers_refuse_a_batch_of_the_wrong_dimension) {
  std::vector<double> const ragged(5, 0.0);
  auto const grid = dd::uniform_grid(sde, 10, 1e-3);
  std::string const message = "x.size() = 5 is not a positive multiple of the score's dim() = 2";
  check_message([&] { dd::reverse_sde_sample(sde, score, grid, ragged, 1); }, message);
  check_message([&] { dd::reverse_diffusion_sample(sde, score, grid, ragged, 1); }, message);
  check_message([&] { dd::predictor_corrector_sample(sde, score, grid, ragged, 1); }, message);
  check_message([&] { dd::dpm_solver_pp_sample(sde, score, grid, ragged); }, message);
  check_message([&] { dd::adaptive_reverse_sde_sample(sde, score, 1e-3, ragged, 1); }, message);
  check_message([&] { dd::reverse_sde_sample(sde, score, grid, std::vector<double>{}, 1); },
                "x.size() = 0 is not a positive multiple");
}

BOOST_AUTO_TEST_CASE(samplers_refuse_out_of_range_options) {
  auto const grid = dd::uniform_grid(sde, 10, 1e-3);
  dd::ddim_options ddim;
  ddim.eta = 1.5;
  check_message([&] { dd::ddim_sample(sde, score, grid, x_T, 1, ddim); }, "eta = 1.5 must lie in [0, 1]");
  dd::dpm_solver_pp_options dpm;
  dpm.order = 4;
  check_message([&] { dd::dpm_solver_pp_sample(sde, score, grid, x_T, dpm); }, "order = 4 must be 2");
  dd::predictor_corrector_options pc;
  pc.snr = 0.0;
  check_message([&] { dd::predictor_corrector_sample(sde, score, grid, x_T, 1, pc); }, "snr = 0 must be positive");
  dd::edm_heun_options edm;
  edm.s_churn = -1.0;
  check_message([&] { dd::edm_heun_sample(sde, score, grid, x_T, 1, edm); }, "s_churn = -1 must be finite and ≥ 0");
  dd::adaptive_reverse_sde_options adaptive;
  adaptive.eps_rel = 0.0;
  check_message([&] { dd::adaptive_reverse_sde_sample(sde, score, 1e-3, x_T, 1, adaptive); }, "eps_rel = 0 must be positive");
}

BOOST_AUTO_TEST_CASE(a_nan_score_names_t_and_the_sample) {
  auto const bad = nan_score(5);
  std::vector<double> const grid{1.0, 0.75, 0.5, 0.25, 0.125};  // NaN first at t = 0.25
  check_message([&] { dd::ddpm_sample(sde, bad, grid, x_T, 1); }, "score returned nan at t = 0.25 for sample 5 (component 1)");
  check_message([&] { dd::reverse_sde_sample(sde, bad, grid, x_T, 1); }, "at t = 0.25 for sample 5 (component 1)");
  check_message([&] { dd::pf_ode_sample(sde, bad, grid, x_T); }, "for sample 5 (component 1)");
  dd::sampler_options shifted;
  shifted.first_sample = 100;
  check_message([&] { dd::reverse_diffusion_sample(sde, bad, grid, x_T, 1, shifted); }, "at t = 0.25 for sample 105");
  // The adaptive sampler calls the score one sample at a time: batch index 0 is sample b itself.
  dd::adaptive_reverse_sde_options adaptive;
  adaptive.first_sample = 40;
  check_message([&] { dd::adaptive_reverse_sde_sample(sde, nan_score(0), 1e-3, x_T, 1, adaptive); },
                "for sample 40 (component 1)");
}
