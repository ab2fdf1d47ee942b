// Claim: gaussian_mixture_score is the exact score of p_t. Its score and Hessian trace match central
// differences of its log p_t (steps 10⁻⁵ and 10⁻⁴, tolerances 10⁻⁷ and 10⁻⁵ relative to the value's
// scale); the data prediction (x + σ²s)/α is the posterior mean E[x_0 | x_t] of a Gaussian in closed
// form; the parametrization adapters round-trip; the exact PF-ODE flow of a single Gaussian solves
// the PF-ODE (central difference in t, step 10⁻⁵ T) and pf_ode_problem integrates to it;
// pf_ode_divergence is the divergence of the PF-ODE drift; EDM's preconditioning has unit-variance input
// and target. Points are deterministic (sin/cos); no random numbers.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <Eigen/Dense>

#include <sdekit/diffusion/cosine_vp_sde.hpp>
#include <sdekit/diffusion/edm_sde.hpp>
#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/parametrization.hpp>
#include <sdekit/diffusion/probability_flow.hpp>
#include <sdekit/diffusion/score.hpp>
#include <sdekit/diffusion/sub_vp_sde.hpp>
#include <sdekit/diffusion/ve_sde.hpp>
#include <sdekit/diffusion/vp_sde.hpp>
#include <sdekit/solvers/ode_solve.hpp>

namespace dm = sdekit::diffusion;

namespace {

std::vector<double> test_points(std::size_t n, std::size_t d, double scale) {
  std::vector<double> x(n * d);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = scale * std::sin(1.7 * double(i) + 0.3);
  return x;
}

template <class SDE>
void check_score_and_trace(SDE const& sde, dm::gaussian_mixture const& mixture) {
  dm::gaussian_mixture_score<SDE> const score(sde, mixture);
  std::size_t const d = mixture.dim(), n = 6;
  for (double u : {0.0, 0.05, 0.3, 0.7, 1.0}) {
    double const t = u * sde.T();
    std::vector<double> const x = test_points(n, d, 2.0 * std::max(1.0, sde.sigma(t)));
    std::vector<double> s, trace;
    score(x, t, s);
    score.divergence(x, t, trace);
    std::vector<double> const lp = score.log_density(x, t);
    for (std::size_t b = 0; b < n; ++b) {
      double fd_trace = 0.0, scale = 0.0;
      for (std::size_t j = 0; j < d; ++j) scale = std::max(scale, std::fabs(s[b * d + j]));
      double const h1 = 1e-5 * std::max(1.0, sde.sigma(t)), h2 = 1e-4 * std::max(1.0, sde.sigma(t));
      for (std::size_t j = 0; j < d; ++j) {
        auto shifted = [&](double h) {
          std::vector<double> y(x.begin() + std::ptrdiff_t(b * d), x.begin() + std::ptrdiff_t((b + 1) * d));
          y[j] += h;
          return score.log_density(y, t)[0];
        };
        double const fd = (shifted(h1) - shifted(-h1)) / (2.0 * h1);
        BOOST_TEST(std::fabs(fd - s[b * d + j]) <= 1e-7 * (1.0 + scale),
                   sde.name() << " t = " << t << " sample " << b << ": score " << s[b * d + j] << " vs FD " << fd);
        fd_trace += (shifted(h2) - 2.0 * lp[b] + shifted(-h2)) / (h2 * h2);
      }
      BOOST_TEST(std::fabs(fd_trace - trace[b]) <= 1e-5 * (1.0 + std::fabs(trace[b])),
                 sde.name() << " t = " << t << " sample " << b << ": tr H " << trace[b] << " vs FD " << fd_trace);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(score_and_hessian_trace_match_finite_differences_of_log_p_t) {
  check_score_and_trace(dm::vp_sde{}, dm::targets::mixture_2d());
  check_score_and_trace(dm::ve_sde{}, dm::targets::mixture_2d());
  check_score_and_trace(dm::cosine_vp_sde{}, dm::targets::mixture_2d());
  check_score_and_trace(dm::edm_sde{}, dm::targets::mixture_2d());
  check_score_and_trace(dm::sub_vp_sde{}, dm::targets::gaussian(5));
}

// pf_ode_divergence = d·f − ½ g² tr H is the divergence of pf_ode_drift (central differences, step 10⁻⁵).
BOOST_AUTO_TEST_CASE(pf_ode_divergence_is_the_divergence_of_the_pf_ode_drift) {
  dm::vp_sde const sde;
  dm::gaussian_mixture_score<dm::vp_sde> const score(sde, dm::targets::mixture_2d());
  std::vector<double> const x = test_points(4, 2, 2.0);
  for (double t : {0.05, 0.5, 0.95}) {
    std::vector<double> div, plus, minus;
    dm::pf_ode_divergence(sde, score, x, t, div);
    for (std::size_t b = 0; b < 4; ++b) {
      double fd = 0.0;
      for (std::size_t j = 0; j < 2; ++j) {
        std::vector<double> y(x.begin() + std::ptrdiff_t(2 * b), x.begin() + std::ptrdiff_t(2 * b + 2));
        y[j] += 1e-5;
        dm::pf_ode_drift(sde, score, y, t, plus);
        y[j] -= 2e-5;
        dm::pf_ode_drift(sde, score, y, t, minus);
        fd += (plus[j] - minus[j]) / 2e-5;
      }
      BOOST_TEST(std::fabs(fd - div[b]) <= 1e-6 * (1.0 + std::fabs(div[b])), "t = " << t << ": " << div[b] << " vs FD " << fd);
    }
  }
}

// For x_0 ~ N(μ, Σ): E[x_0 | x_t] = μ + α Σ C⁻¹ (x_t − α μ), C = α² Σ + σ² I.
BOOST_AUTO_TEST_CASE(data_prediction_is_the_posterior_mean_of_a_gaussian) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const g = dm::targets::gaussian(4);
  dm::gaussian_mixture_score<dm::vp_sde> const score(sde, g);
  std::size_t const d = 4;
  Eigen::Map<Eigen::MatrixXd const> const cov(g.covariance(0).data(), 4, 4);
  Eigen::Map<Eigen::VectorXd const> const mu(g.mean(0).data(), 4);
  for (double t : {0.05, 0.3, 0.8}) {
    double const a = sde.alpha(t), s = sde.sigma(t);
    std::vector<double> const x = test_points(3, d, 1.5);
    std::vector<double> sc, x0_hat;
    score(x, t, sc);
    dm::prediction_from_score(dm::prediction::data, sc, x, a, s, x0_hat);
    Eigen::MatrixXd const c = a * a * cov + s * s * Eigen::MatrixXd::Identity(4, 4);
    for (std::size_t b = 0; b < 3; ++b) {
      Eigen::Map<Eigen::VectorXd const> const xb(&x[b * d], 4);
      Eigen::VectorXd const posterior_mean = mu + a * cov * c.ldlt().solve(xb - a * mu);
      for (std::size_t j = 0; j < d; ++j)
        BOOST_TEST(std::fabs(x0_hat[b * d + j] - posterior_mean[Eigen::Index(j)]) <= 1e-10,
                   "t = " << t << ": x̂_0 " << x0_hat[b * d + j] << " vs " << posterior_mean[Eigen::Index(j)]);
    }
  }
}

BOOST_AUTO_TEST_CASE(parametrization_adapters_round_trip) {
  dm::ve_sde const ve;
  dm::vp_sde const vp;
  dm::gaussian_mixture_score<dm::vp_sde> const score(vp, dm::targets::mixture_2d());
  for (dm::prediction p : {dm::prediction::score, dm::prediction::epsilon, dm::prediction::data, dm::prediction::velocity}) {
    for (double t : {0.1, 0.5, 0.9}) {
      for (double x : {-2.0, 0.3, 4.0}) {
        for (double s : {-1.5, 0.2}) {
          double const a = vp.alpha(t), sig = ve.sigma(t);  // α² + σ² ≠ 1 on purpose
          double const value = dm::prediction_from_score(p, s, x, a, sig);
          double const back = dm::score_from_prediction(p, value, x, a, sig);
          BOOST_TEST(std::fabs(back - s) <= 1e-12 * (1.0 + std::fabs(s)), dm::to_string(p) << " t = " << t);
        }
      }
    }
    // A model predicting p, made from the exact score, adapts back to the exact score.
    dm::score_function const model(2, [&](std::vector<double> const& x, double t, std::vector<double>& out) {
      score(x, t, out);
      dm::prediction_from_score(p, out, x, vp.alpha(t), vp.sigma(t), out);
    });
    auto const adapted = dm::adapt_prediction(model, p, vp);
    std::vector<double> const x = test_points(5, 2, 2.0);
    std::vector<double> expected, got;
    score(x, 0.4, expected);
    adapted(x, 0.4, got);
    for (std::size_t i = 0; i < x.size(); ++i)
      BOOST_TEST(std::fabs(got[i] - expected[i]) <= 1e-11 * (1.0 + std::fabs(expected[i])), dm::to_string(p));
  }
  // ε = −σ s and v = α ε − σ x̂_0 by definition.
  BOOST_TEST(dm::prediction_from_score(dm::prediction::epsilon, 2.0, 1.0, 0.6, 0.8) == -1.6);
  double const x0_hat = (1.0 + 0.64 * 2.0) / 0.6;
  BOOST_TEST(std::fabs(dm::prediction_from_score(dm::prediction::velocity, 2.0, 1.0, 0.6, 0.8) -
                       (0.6 * -1.6 - 0.8 * x0_hat)) <= 1e-15);
}

template <class SDE>
void check_exact_flow(SDE const& sde) {
  dm::gaussian_mixture const g = dm::targets::gaussian(3);
  dm::gaussian_mixture_score<SDE> const score(sde, g);
  double const s = 0.9 * sde.T(), h = 1e-5 * sde.T();
  std::vector<double> const x_s = test_points(4, 3, std::max(1.0, sde.sigma(s)));
  for (double u : {0.02, 0.2, 0.5, 0.85}) {
    double const t = u * sde.T();
    std::vector<double> const x_t = dm::exact_pf_ode_flow(sde, g, x_s, s, t);
    std::vector<double> const plus = dm::exact_pf_ode_flow(sde, g, x_s, s, t + h);
    std::vector<double> const minus = dm::exact_pf_ode_flow(sde, g, x_s, s, t - h);
    std::vector<double> drift;
    dm::pf_ode_drift(sde, score, x_t, t, drift);
    for (std::size_t i = 0; i < x_t.size(); ++i) {
      double const fd = (plus[i] - minus[i]) / (2.0 * h);
      BOOST_TEST(std::fabs(fd - drift[i]) <= 1e-6 * (1.0 + std::fabs(drift[i])),
                 sde.name() << " t = " << t << ": dx/dt " << fd << " vs PF-ODE drift " << drift[i]);
    }
  }
  std::vector<double> const same = dm::exact_pf_ode_flow(sde, g, x_s, s, s);
  for (std::size_t i = 0; i < same.size(); ++i) BOOST_TEST(std::fabs(same[i] - x_s[i]) <= 1e-13 * (1.0 + std::fabs(x_s[i])));
}

// pf_ode_problem integrated by Dormand–Prince (rtol = atol = 10⁻¹⁰) from t = 0.1 to 0.9 lands on the
// exact flow within 10⁻⁸.
BOOST_AUTO_TEST_CASE(pf_ode_problem_integrates_to_the_exact_flow) {
  namespace odeint = boost::numeric::odeint;
  dm::vp_sde const sde;
  dm::gaussian_mixture const g = dm::targets::gaussian(3);
  dm::gaussian_mixture_score<dm::vp_sde> const score(sde, g);
  std::vector<double> const x_s = test_points(4, 3, 1.0);
  sdekit::solve_options<sdekit::pi_controller> options;
  options.controller.rtol = options.controller.atol = 1e-10;
  auto const sol = sdekit::solve(dm::pf_ode_problem(sde, score), odeint::runge_kutta_dopri5<std::vector<double>>{},
                                 {0.1, 0.9}, 1e-3, x_s, options);
  std::vector<double> const exact = dm::exact_pf_ode_flow(sde, g, x_s, 0.1, 0.9);
  for (std::size_t i = 0; i < exact.size(); ++i)
    BOOST_TEST(std::fabs(sol.value()[i] - exact[i]) <= 1e-8, "component " << i << ": " << sol.value()[i] << " vs " << exact[i]);
}

BOOST_AUTO_TEST_CASE(exact_flow_of_a_single_gaussian_solves_the_pf_ode) {
  check_exact_flow(dm::vp_sde{});
  check_exact_flow(dm::ve_sde{});
  check_exact_flow(dm::sub_vp_sde{});
  check_exact_flow(dm::cosine_vp_sde{});
  check_exact_flow(dm::edm_sde{});
}

// Karras et al. 2022, App. B.6: Var(c_in (y + n)) = 1 and Var((y − c_skip (y + n))/c_out) = 1 for
// y of variance σ_data² and n ~ N(0, σ²); c_noise = ¼ ln σ.
BOOST_AUTO_TEST_CASE(edm_preconditioning_gives_unit_variance_input_and_target) {
  dm::edm_sde const edm;
  double const sd2 = 0.25;
  for (double sigma : {0.002, 0.1, 1.0, 80.0}) {
    dm::edm_preconditioning const c = edm.preconditioning(sigma);
    BOOST_TEST(std::fabs(c.c_in * c.c_in * (sigma * sigma + sd2) - 1.0) <= 1e-14);
    double const target_var = ((1 - c.c_skip) * (1 - c.c_skip) * sd2 + c.c_skip * c.c_skip * sigma * sigma) / (c.c_out * c.c_out);
    BOOST_TEST(std::fabs(target_var - 1.0) <= 1e-12, "σ = " << sigma << ": target variance " << target_var);
    BOOST_TEST(std::fabs(c.c_noise - 0.25 * std::log(sigma)) <= 1e-15);
  }
}
