// Claim: each ODE sampler converges pathwise to the exact PF-ODE flow with its order. On
// targets::gaussian(4) under the VP SDE the flow from T to eps = 1e-2 is exact
// (exact_pf_ode_flow); from the same 64 prior points, the RMS error of each sampler at n = 16, 32,
// 64, 128 steps has a fitted slope against 1/n within ±0.15 of its order: PF-ODE Euler 1, EDM Heun 2,
// PF-ODE RK4 4, DDIM 1, DPM-Solver++ 2M 2, 3M 3. Grids: uniform in λ for the exponential
// integrators (DDIM, DPM-Solver++), Karras ρ = 7 for EDM Heun, uniform in t for Euler and RK4.
// RK4 is fitted on 32 ... 256 steps and 3M on 512 ... 4096, where they are asymptotic: 3M's local
// slopes are 3.9, 3.8, 3.7, 3.4, 3.3 from 16 to 512 steps and 3.13, 3.07, 3.03 above.
// Seed 5 (prior points).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <boost/numeric/odeint/stepper/euler.hpp>

#include <sdekit/diffusion.hpp>
#include <sdekit/solvers/convergence.hpp>

namespace dd = sdekit::diffusion;

namespace {

constexpr std::size_t dim = 4;
constexpr std::size_t points = 64;
constexpr double eps = 1e-2;

struct setup {
  dd::vp_sde sde{};
  dd::gaussian_mixture target = dd::targets::gaussian(dim);
  dd::gaussian_mixture_score<dd::vp_sde> score{sde, target};
  std::vector<double> x_T = dd::sample_prior(sde, points, dim, 5);
  std::vector<double> exact = dd::exact_pf_ode_flow(sde, target, x_T, sde.T(), eps);
};

double rms(std::vector<double> const& a, std::vector<double> const& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum / double(a.size()));
}

// Sampler: (setup, n) -> samples at eps.
using sampler = std::function<std::vector<double>(setup const&, std::size_t)>;

void check_order(std::string const& name, sampler const& run, double order,
                 std::vector<std::size_t> const& steps = {16, 32, 64, 128}, double tolerance = 0.15) {
  setup const s;
  std::vector<double> h, err;
  for (std::size_t n : steps) {
    h.push_back(1.0 / double(n));
    err.push_back(rms(run(s, n), s.exact));
  }
  double const slope = sdekit::fitted_order(h, err);
  BOOST_TEST_MESSAGE(name << ": errors " << err[0] << " " << err[1] << " " << err[2] << " " << err[3]
                          << ", fitted order " << slope);
  BOOST_TEST(std::fabs(slope - order) <= tolerance,
             name << " fitted order " << slope << " (errors " << err[0] << " ... " << err[3] << "), expected "
                  << order << " ± " << tolerance);
}

}  // namespace

BOOST_AUTO_TEST_CASE(pf_ode_euler_has_order_1) {
  check_order("PF-ODE Euler", [](setup const& s, std::size_t n) {
    return dd::pf_ode_sample(s.sde, s.score, dd::uniform_grid(s.sde, n, eps), s.x_T, {},
                             boost::numeric::odeint::euler<std::vector<double>>()).x;
  }, 1.0);
}

BOOST_AUTO_TEST_CASE(pf_ode_rk4_has_order_4) {
  check_order("PF-ODE RK4", [](setup const& s, std::size_t n) {
    return dd::pf_ode_sample(s.sde, s.score, dd::uniform_grid(s.sde, n, eps), s.x_T).x;
  }, 4.0, {32, 64, 128, 256});
}

BOOST_AUTO_TEST_CASE(edm_heun_has_order_2) {
  check_order("EDM Heun", [](setup const& s, std::size_t n) {
    return dd::edm_heun_sample(s.sde, s.score, dd::karras_grid(s.sde, n, eps), s.x_T, 0).x;
  }, 2.0);
}

BOOST_AUTO_TEST_CASE(ddim_has_order_1) {
  check_order("DDIM", [](setup const& s, std::size_t n) {
    return dd::ddim_sample(s.sde, s.score, dd::lambda_uniform_grid(s.sde, n, eps), s.x_T, 0).x;
  }, 1.0);
}

BOOST_AUTO_TEST_CASE(dpm_solver_pp_2m_has_order_2) {
  check_order("DPM-Solver++ 2M", [](setup const& s, std::size_t n) {
    return dd::dpm_solver_pp_sample(s.sde, s.score, dd::lambda_uniform_grid(s.sde, n, eps), s.x_T).x;
  }, 2.0);
}

BOOST_AUTO_TEST_CASE(dpm_solver_pp_3m_has_order_3) {
  check_order("DPM-Solver++ 3M", [](setup const& s, std::size_t n) {
    dd::dpm_solver_pp_options o;
    o.order = 3;
    return dd::dpm_solver_pp_sample(s.sde, s.score, dd::lambda_uniform_grid(s.sde, n, eps), s.x_T, o).x;
  }, 3.0, {512, 1024, 2048, 4096});
}
