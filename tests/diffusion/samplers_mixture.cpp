// Claim: at high NFE every sampler draws from the 2-D Gaussian mixture targets::mixture_2d()
// (three components) under the VP SDE, from T = 1 to eps = 1e-3, starting from exact draws of p_T
// (α_T x_0 + σ_T z). With N = 10 000 samples (2 000 for the adaptive sampler, which calls the
// score per sample), against M = 400 000 exact samples:
//   the fraction of samples whose most likely component (argmax_k π_k N(x; μ_k, Σ_k)) is k, for
//   each k, within 5 standard errors √(p_k(1 − p_k)(1/N + 1/M)) of the exact samples' fraction;
//   the mean within 5 standard errors √(C_jj/N) of the exact mixture mean;
//   each covariance entry within 5 standard errors √(Var[(x_i − m_i)(x_j − m_j)]/N) (variance from
//   the exact samples) of the exact mixture covariance.
// The score is the exact mixture score through dense C_k⁻¹ per call (tests/support/
// fast_mixture_score.hpp, checked against gaussian_mixture_score). Seeds: 31 (x_0), 32 (z),
// 33 (exact reference samples), 1 (sampler noise).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <sdekit/diffusion.hpp>
#include <sdekit/solvers/sra1.hpp>

#include "fast_mixture_score.hpp"
#include "sample_statistics.hpp"

namespace dd = sdekit::diffusion;
namespace st = sdekit::testing;

namespace {

constexpr double eps = 1e-3;
constexpr std::size_t d = 2;

struct mixture_case {
  explicit mixture_case(std::size_t samples) : n(samples) {
    std::vector<double> const x0 = target.sample(n, 31);
    std::vector<double> const z = dd::sample_prior(sde, n, d, 32);
    x_T.resize(n * d);
    for (std::size_t i = 0; i < x_T.size(); ++i) x_T[i] = sde.alpha(sde.T()) * x0[i] + sde.sigma(sde.T()) * z[i];
  }
  std::size_t n;
  dd::vp_sde sde{};
  dd::gaussian_mixture target = dd::targets::mixture_2d();
  st::fast_mixture_score<dd::vp_sde> score{sde, target};
  std::vector<double> x_T;
};

// Component fractions, and the variance of each centred product, of M exact samples.
struct reference_statistics {
  reference_statistics() {
    dd::gaussian_mixture const target = dd::targets::mixture_2d();
    std::vector<double> const x = target.sample(m, 33);
    fractions.assign(target.components(), 0.0);
    for (std::size_t k : st::most_likely_component(target, x)) fractions[k] += 1.0 / double(m);
    std::vector<double> const mean = target.mixture_mean();
    std::vector<double> const cov = target.mixture_covariance();
    product_variance.assign(d * d, 0.0);
    for (std::size_t b = 0; b < m; ++b)
      for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j < d; ++j) {
          double const p = (x[b * d + i] - mean[i]) * (x[b * d + j] - mean[j]) - cov[i * d + j];
          product_variance[i * d + j] += p * p / double(m);
        }
  }
  std::size_t m = 400'000;
  std::vector<double> fractions;
  std::vector<double> product_variance;
};

reference_statistics const& reference() {
  static reference_statistics const r;
  return r;
}

using sampler = std::function<std::vector<double>(mixture_case const&)>;

void check_sampler(std::string const& name, sampler const& run, std::size_t n = 10'000) {
  mixture_case const c(n);
  std::vector<double> const x = run(c);
  reference_statistics const& ref = reference();
  std::vector<double> fractions(c.target.components(), 0.0);
  for (std::size_t k : st::most_likely_component(c.target, x)) fractions[k] += 1.0 / double(n);
  double worst_weight = 0.0, worst_mean = 0.0, worst_cov = 0.0;
  for (std::size_t k = 0; k < fractions.size(); ++k) {
    double const p = ref.fractions[k];
    double const se = std::sqrt(p * (1.0 - p) * (1.0 / double(n) + 1.0 / double(ref.m)));
    worst_weight = std::max(worst_weight, std::fabs(fractions[k] - p) / se);
  }
  Eigen::VectorXd const m = st::sample_mean(x, d);
  Eigen::MatrixXd const s = st::sample_covariance(x, d);
  std::vector<double> const mean = c.target.mixture_mean();
  std::vector<double> const cov = c.target.mixture_covariance();
  for (std::size_t i = 0; i < d; ++i) {
    worst_mean = std::max(worst_mean, std::fabs(m[Eigen::Index(i)] - mean[i]) / std::sqrt(cov[i * d + i] / double(n)));
    for (std::size_t j = 0; j < d; ++j) {
      double const se = std::sqrt(ref.product_variance[i * d + j] / double(n));
      worst_cov = std::max(worst_cov, std::fabs(s(Eigen::Index(i), Eigen::Index(j)) - cov[i * d + j]) / se);
    }
  }
  BOOST_TEST_MESSAGE(name << ": component fractions " << fractions[0] << " " << fractions[1] << " " << fractions[2]
                          << " (exact " << ref.fractions[0] << " " << ref.fractions[1] << " " << ref.fractions[2]
                          << "); worst errors: weight " << worst_weight << " SE, mean " << worst_mean
                          << " SE, covariance " << worst_cov << " SE");
  BOOST_TEST(worst_weight <= 5.0, name << ": a component fraction is " << worst_weight << " standard errors off");
  BOOST_TEST(worst_mean <= 5.0, name << ": a mean component is " << worst_mean << " standard errors off");
  BOOST_TEST(worst_cov <= 5.0, name << ": a covariance entry is " << worst_cov << " standard errors off");
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_test_score_is_the_exact_mixture_score) {
  mixture_case const c(200);
  dd::gaussian_mixture_score<dd::vp_sde> const exact_score(c.sde, c.target);
  for (double t : {1e-3, 0.1, 0.5, 1.0}) {
    std::vector<double> fast, exact;
    c.score(c.x_T, t, fast);
    exact_score(c.x_T, t, exact);
    double worst = 0.0;
    for (std::size_t i = 0; i < fast.size(); ++i) worst = std::max(worst, std::fabs(fast[i] - exact[i]) / (1.0 + std::fabs(exact[i])));
    BOOST_TEST(worst <= 1e-10, "t = " << t << ": relative difference " << worst);
  }
}

BOOST_AUTO_TEST_CASE(exact_samples_pass_the_same_checks) {
  check_sampler("exact samples", [](mixture_case const& c) { return c.target.sample(c.n, 34); });
}

BOOST_AUTO_TEST_CASE(reverse_sde_euler_maruyama) {
  check_sampler("reverse SDE, Euler–Maruyama, 1000 steps", [](mixture_case const& c) {
    return dd::reverse_sde_sample(c.sde, c.score, dd::uniform_grid(c.sde, 1000, eps), c.x_T, 1).x;
  });
}

BOOST_AUTO_TEST_CASE(reverse_sde_sra1_on_brownian_trees) {
  check_sampler("reverse SDE, SRA1 on per-sample Brownian trees, 300 steps", [](mixture_case const& c) {
    dd::reverse_sde_options o;
    o.brownian = dd::reverse_sde_brownian::tree;
    return dd::reverse_sde_sample(c.sde, c.score, dd::uniform_grid(c.sde, 300, eps), c.x_T, 1, o, sdekit::sra1{}).x;
  });
}

BOOST_AUTO_TEST_CASE(reverse_diffusion_predictor) {
  check_sampler("reverse diffusion, 1000 steps", [](mixture_case const& c) {
    return dd::reverse_diffusion_sample(c.sde, c.score, dd::uniform_grid(c.sde, 1000, eps), c.x_T, 1).x;
  });
}

BOOST_AUTO_TEST_CASE(ddpm_ancestral) {
  check_sampler("DDPM ancestral, 1000 steps, denoised", [](mixture_case const& c) {
    dd::sampler_options o;
    o.final_denoise = true;
    return dd::ddpm_sample(c.sde, c.score, dd::uniform_grid(c.sde, 1000, eps), c.x_T, 1, o).x;
  });
}

BOOST_AUTO_TEST_CASE(predictor_corrector) {
  check_sampler("predictor–corrector, 500 steps × (1 + 1)", [](mixture_case const& c) {
    return dd::predictor_corrector_sample(c.sde, c.score, dd::uniform_grid(c.sde, 500, eps), c.x_T, 1).x;
  });
}

BOOST_AUTO_TEST_CASE(pf_ode_rk4) {
  check_sampler("PF-ODE RK4, 100 steps", [](mixture_case const& c) {
    return dd::pf_ode_sample(c.sde, c.score, dd::uniform_grid(c.sde, 100, eps), c.x_T).x;
  });
}

BOOST_AUTO_TEST_CASE(pf_ode_dormand_prince) {
  check_sampler("PF-ODE Dormand–Prince, rtol = atol = 1e-5", [](mixture_case const& c) {
    return dd::pf_ode_adaptive_sample(c.sde, c.score, eps, c.x_T).x;
  });
}

BOOST_AUTO_TEST_CASE(ddim) {
  check_sampler("DDIM η = 0, 500 steps", [](mixture_case const& c) {
    return dd::ddim_sample(c.sde, c.score, dd::lambda_uniform_grid(c.sde, 500, eps), c.x_T, 1).x;
  });
}

BOOST_AUTO_TEST_CASE(edm_heun) {
  check_sampler("EDM Heun, 100 steps", [](mixture_case const& c) {
    return dd::edm_heun_sample(c.sde, c.score, dd::karras_grid(c.sde, 100, eps), c.x_T, 1).x;
  });
}

BOOST_AUTO_TEST_CASE(edm_heun_with_churn) {
  check_sampler("EDM Heun, S_churn = 40, 200 steps", [](mixture_case const& c) {
    dd::edm_heun_options o;
    o.s_churn = 40.0;
    return dd::edm_heun_sample(c.sde, c.score, dd::karras_grid(c.sde, 200, eps), c.x_T, 1, o).x;
  });
}

BOOST_AUTO_TEST_CASE(dpm_solver_pp_2m) {
  check_sampler("DPM-Solver++ 2M, 100 steps", [](mixture_case const& c) {
    return dd::dpm_solver_pp_sample(c.sde, c.score, dd::lambda_uniform_grid(c.sde, 100, eps), c.x_T).x;
  });
}

BOOST_AUTO_TEST_CASE(dpm_solver_pp_3m) {
  check_sampler("DPM-Solver++ 3M, 100 steps", [](mixture_case const& c) {
    dd::dpm_solver_pp_options o;
    o.order = 3;
    return dd::dpm_solver_pp_sample(c.sde, c.score, dd::lambda_uniform_grid(c.sde, 100, eps), c.x_T, o).x;
  });
}

BOOST_AUTO_TEST_CASE(adaptive_reverse_sde) {
  check_sampler("adaptive reverse SDE, ε_rel = 0.02", [](mixture_case const& c) {
    dd::adaptive_reverse_sde_options o;
    o.eps_rel = 0.02;
    return dd::adaptive_reverse_sde_sample(c.sde, c.score, eps, c.x_T, 1, o).x;
  }, 2'000);
}
