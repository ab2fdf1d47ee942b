// Accuracy and cost of every sampler at NFE ∈ {10, 20, 50, 100} on the analytic targets (the 2-D
// mixture targets::mixture_2d and the 16-D Gaussian targets::gaussian(16)) under the VP SDE, from
// T = 1 to eps = 1e-3, starting from exact draws of p_T (α_T x_0 + σ_T z, seeds 1 and 2) so that
// prior mismatch does not enter. Per row: sliced W2 to N exact samples (seed 3; 128 directions)
// and its Monte-Carlo floor (sliced W2 between two independent exact sets of N, seeds 3 and 4);
// the mean error |m̂ − μ| and covariance error ‖Ŝ − Σ‖_F against the exact moments; for ODE
// samplers the pathwise RMS distance to a Dormand–Prince solve of the PF-ODE at rtol = atol = 1e-10
// from the same start; wall time, samples/s, and the time per NFE against one batched score call
// alone. The adaptive samplers are run at four tolerances instead and report the NFE they used
// (per sample for the adaptive reverse SDE). Scores: gaussian_mixture_score. Sampler noise seed 5.
// Prints a table and writes sampler_table.csv to the current directory, or to DIR with --out DIR;
// --samples N sets the batch (default 4000).
//
//   build/release/benchmarks/sampler_table --samples 4000 --out docs/results
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <boost/numeric/odeint/stepper/euler.hpp>

#include <sdekit/diffusion.hpp>

#include "sample_statistics.hpp"

namespace dd = sdekit::diffusion;
namespace st = sdekit::testing;

namespace {

constexpr double eps = 1e-3;

struct settings {
  std::size_t samples = 4000;
  std::string out_dir = ".";
};

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    bool const has_value = i + 1 < argc;
    if (arg == "--out" && has_value) s.out_dir = argv[++i];
    else if (arg == "--samples" && has_value) s.samples = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::cerr << "usage: sampler_table [--samples N] [--out DIR]\n";
      std::exit(2);
    }
  }
  return s;
}

struct problem {
  std::string name;
  dd::vp_sde sde;
  dd::gaussian_mixture target;
  dd::gaussian_mixture_score<dd::vp_sde> score;
  std::vector<double> x_T, exact, exact_other, reference;
  double score_seconds = 0.0;  // one batched score call on the N samples
};

problem make_problem(std::string name, dd::gaussian_mixture target, std::size_t n) {
  dd::vp_sde const sde;
  problem p{std::move(name), sde, target, {sde, target}, {}, target.sample(n, 3), target.sample(n, 4), {}, 0.0};
  std::size_t const d = target.dim();
  std::vector<double> const x0 = target.sample(n, 1);
  std::vector<double> const z = dd::sample_prior(sde, n, d, 2);
  p.x_T.resize(n * d);
  for (std::size_t i = 0; i < p.x_T.size(); ++i) p.x_T[i] = sde.alpha(1.0) * x0[i] + sde.sigma(1.0) * z[i];
  dd::pf_ode_adaptive_options tight;
  tight.rtol = tight.atol = 1e-10;
  p.reference = dd::pf_ode_adaptive_sample(sde, p.score, eps, p.x_T, tight).x;
  std::vector<double> out;
  int const calls = 20;
  auto const start = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i) p.score(p.x_T, 0.5, out);
  p.score_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / calls;
  return p;
}

// A sampler at a budget level: returns samples and NFE (total batched calls; for the adaptive
// reverse SDE, the mean per sample).
struct run_result {
  std::vector<double> x;
  double nfe;
};
struct sampler {
  std::string name;
  bool ode;
  std::function<run_result(problem const&, std::size_t nfe, std::size_t level)> run;
};

template <class Result>
run_result plain(Result r) {
  return {std::move(r.x), double(r.nfe)};
}

std::vector<sampler> samplers() {
  using P = problem const&;
  auto steps = [](std::size_t nfe, std::size_t per_step) { return std::max<std::size_t>(1, nfe / per_step); };
  return {
      {"reverse SDE (EM)", false, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::reverse_sde_sample(p.sde, p.score, dd::uniform_grid(p.sde, nfe, eps), p.x_T, 5)); }},
      {"reverse diffusion", false, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::reverse_diffusion_sample(p.sde, p.score, dd::uniform_grid(p.sde, nfe, eps), p.x_T, 5)); }},
      {"DDPM ancestral", false, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::ddpm_sample(p.sde, p.score, dd::uniform_grid(p.sde, nfe, eps), p.x_T, 5)); }},
      {"predictor-corrector", false, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::predictor_corrector_sample(p.sde, p.score, dd::uniform_grid(p.sde, steps(nfe, 2), eps), p.x_T, 5)); }},
      {"EDM Heun, S_churn = 40", false, [=](P p, std::size_t nfe, std::size_t) {
         dd::edm_heun_options o;
         o.s_churn = 40.0;
         return plain(dd::edm_heun_sample(p.sde, p.score, dd::karras_grid(p.sde, steps(nfe, 2), eps), p.x_T, 5, o)); }},
      {"adaptive reverse SDE", false, [=](P p, std::size_t, std::size_t level) {
         dd::adaptive_reverse_sde_options o;
         o.eps_rel = std::vector<double>{0.2, 0.1, 0.05, 0.02}[level];
         auto r = dd::adaptive_reverse_sde_sample(p.sde, p.score, eps, p.x_T, 5, o);
         return run_result{std::move(r.x), double(r.nfe) / double(r.nfe_per_sample.size())}; }},
      {"PF-ODE Euler", true, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::pf_ode_sample(p.sde, p.score, dd::uniform_grid(p.sde, nfe, eps), p.x_T, {},
                                        boost::numeric::odeint::euler<std::vector<double>>())); }},
      {"PF-ODE RK4", true, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::pf_ode_sample(p.sde, p.score, dd::uniform_grid(p.sde, steps(nfe, 4), eps), p.x_T)); }},
      {"PF-ODE Dormand-Prince", true, [=](P p, std::size_t, std::size_t level) {
         dd::pf_ode_adaptive_options o;
         o.rtol = o.atol = std::vector<double>{1e-2, 1e-3, 1e-4, 1e-5}[level];
         return plain(dd::pf_ode_adaptive_sample(p.sde, p.score, eps, p.x_T, o)); }},
      {"DDIM", true, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::ddim_sample(p.sde, p.score, dd::lambda_uniform_grid(p.sde, nfe, eps), p.x_T, 5)); }},
      {"EDM Heun", true, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::edm_heun_sample(p.sde, p.score, dd::karras_grid(p.sde, steps(nfe, 2), eps), p.x_T, 5)); }},
      {"DPM-Solver++ 2M", true, [=](P p, std::size_t nfe, std::size_t) {
         return plain(dd::dpm_solver_pp_sample(p.sde, p.score, dd::lambda_uniform_grid(p.sde, nfe, eps), p.x_T)); }},
      {"DPM-Solver++ 3M", true, [=](P p, std::size_t nfe, std::size_t) {
         dd::dpm_solver_pp_options o;
         o.order = 3;
         return plain(dd::dpm_solver_pp_sample(p.sde, p.score, dd::lambda_uniform_grid(p.sde, nfe - 1, eps), p.x_T, o)); }},
  };
}

double rms(std::vector<double> const& a, std::vector<double> const& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum / double(a.size()));
}

}  // namespace

int main(int argc, char** argv) {
  settings const s = parse(argc, argv);
  std::string const csv_path = s.out_dir + "/sampler_table.csv";
  std::ofstream csv(csv_path);
  if (!csv) {
    std::cerr << "cannot write " << csv_path << "\n";
    return 1;
  }
  csv << "target,sampler,nfe,sliced_w2,sliced_w2_floor,mean_error,cov_error,pathwise_rms,seconds,samples_per_s,"
         "ms_per_nfe,ms_per_score_call\n";
  std::printf("| target | sampler | NFE | sliced W2 | floor | mean err | cov err | pathwise RMS | s | samples/s | ms/NFE | ms/score |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::vector<std::size_t> const budgets{10, 20, 50, 100};
  for (problem const& p : {make_problem("mixture_2d", dd::targets::mixture_2d(), s.samples),
                           make_problem("gaussian_16", dd::targets::gaussian(16), s.samples)}) {
    std::size_t const d = p.target.dim();
    double const floor = st::sliced_w2(p.exact, p.exact_other, d);
    Eigen::VectorXd const mu = st::to_eigen(p.target.mixture_mean());
    Eigen::MatrixXd const sigma = st::to_matrix(p.target.mixture_covariance(), d);
    for (sampler const& method : samplers()) {
      for (std::size_t level = 0; level < budgets.size(); ++level) {
        auto const start = std::chrono::steady_clock::now();
        run_result const r = method.run(p, budgets[level], level);
        double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        double const w2 = st::sliced_w2(r.x, p.exact, d);
        double const mean_error = (st::sample_mean(r.x, d) - mu).norm();
        double const cov_error = (st::sample_covariance(r.x, d) - sigma).norm();
        double const path = method.ode ? rms(r.x, p.reference) : std::nan("");
        double const samples_per_s = double(s.samples) / seconds;
        double const total_nfe = method.name == "adaptive reverse SDE" ? r.nfe * double(s.samples) : r.nfe;
        double const ms_per_nfe = 1e3 * seconds / total_nfe;
        std::printf("| %s | %s | %.0f | %.4f | %.4f | %.4f | %.4f | %.2e | %.3f | %.0f | %.4f | %.4f |\n", p.name.c_str(),
                    method.name.c_str(), r.nfe, w2, floor, mean_error, cov_error, path, seconds, samples_per_s,
                    ms_per_nfe, 1e3 * p.score_seconds);
        csv << p.name << ',' << method.name << ',' << r.nfe << ',' << w2 << ',' << floor << ',' << mean_error << ','
            << cov_error << ',' << path << ',' << seconds << ',' << samples_per_s << ',' << ms_per_nfe << ','
            << 1e3 * p.score_seconds << '\n';
      }
    }
  }
  std::printf("\nCSV: %s\n", csv_path.c_str());
  return 0;
}
