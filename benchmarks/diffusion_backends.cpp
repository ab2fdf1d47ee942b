// Diffusion sampling and PF-ODE likelihoods on the Thrust backends, side by side in one run.
//
// Sampling: k-diffusion's 2-D four-component mixture (targets::mixture_2d_four) with its exact
// score under the EDM SDE, on the Karras grid (σ_min 0.002, σ_max 80, ρ 7) at NFE 100: EDM Heun
// (50 steps, two NFE each) and DPM-Solver++ 2M (100 steps). Rows: today's batched sampler in one
// thread (the reference, with the batched Gaussian-mixture score), then the per-sample kernels
// (sample_ensemble with gaussian_mixture_kernel_score) on CPP, and on OMP and TBB with 1 and 2
// threads. ratio = reference time / row time; "max |Δx|" is the largest difference from the
// reference's samples.
// The reverse SDE with Euler–Maruyama under VP on a uniform grid of 100 steps, the same way.
// Likelihood: 10³ exact draws of the mixture under VP, exact divergence and Hutchinson's with 8
// Rademacher probes, rtol = atol = 1e-5: batched Odeint Dormand–Prince in one thread against the
// per-sample kernels, with the achieved error max |log p + prior mismatch − exact log p_0|
// printed beside each.
// Scaling: EDM Heun at NFE 100 on OMP with 2 threads from 10³ samples up to --max-samples.
// Every time is the fastest of --repetitions runs. Prints the load average, a table, and writes
// diffusion_backends.csv to --out.
//
//   diffusion_backends [--samples N] [--points N] [--max-samples N] [--repetitions R] [--out DIR] [--quick]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <sdekit/diffusion.hpp>
#include <sdekit/diffusion/gaussian_mixture_kernel_score.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;
namespace dm = sdekit::diffusion;

namespace {

struct options {
  std::size_t samples = 100'000;
  std::size_t points = 1000;
  std::size_t max_samples = 1'000'000;
  int repetitions = 3;
  std::string out = ".";
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string const a = argv[i];
    if (a == "--samples" && i + 1 < argc) o.samples = std::stoul(argv[++i]);
    else if (a == "--points" && i + 1 < argc) o.points = std::stoul(argv[++i]);
    else if (a == "--max-samples" && i + 1 < argc) o.max_samples = std::stoul(argv[++i]);
    else if (a == "--repetitions" && i + 1 < argc) o.repetitions = std::stoi(argv[++i]);
    else if (a == "--out" && i + 1 < argc) o.out = argv[++i];
    else if (a == "--quick") o = {2000, 20, 4000, 1, o.out};
    else throw std::invalid_argument("unknown argument " + a);
  }
  return o;
}

struct row {
  std::string table, method, backend;
  int threads;
  std::size_t count, nfe;
  double seconds, ratio, difference;
};

double fastest(int repetitions, std::function<void()> const& run) {
  double best = 1e300;
  for (int r = 0; r < repetitions; ++r) {
    auto const start = std::chrono::steady_clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

double max_difference(std::vector<double> const& a, std::vector<double> const& b) {
  double m = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

std::vector<sk::host_backend> const kernel_backends{{"cpp", 1}, {"omp", 1}, {"omp", 2}, {"tbb", 1}, {"tbb", 2}};

template <class SDE, class Options, class Batched>
void sampling(SDE const& sde, char const* method, Options const& sampler, std::vector<double> const& grid,
              Batched&& batched, options const& o, std::vector<row>& rows) {
  dm::gaussian_mixture const target = dm::targets::mixture_2d_four();
  dm::gaussian_mixture_score<SDE> const score(sde, target);
  dm::packed_gaussian_mixture<2, 4> const packed(target);
  auto const kernel_score = packed.score(sde);
  std::vector<double> const prior = dm::sample_prior(sde, o.samples, 2, 42);
  dm::sample_result reference;
  double const t_ref = fastest(o.repetitions, [&] { reference = batched(sde, score, grid, prior, sampler); });
  rows.push_back({"sampling", method, "batched (today's sampler)", 1, o.samples, reference.nfe, t_ref, 1.0, 0.0});
  for (auto const& backend : kernel_backends) {
    sk::sample_ensemble_result r;
    double const t = fastest(o.repetitions, [&] { r = sk::sample_ensemble(backend, sde, kernel_score, sampler, grid, o.samples, 42); });
    r.require_success();
    rows.push_back({"sampling", method, "per-sample " + backend.name, backend.threads, o.samples, r.nfe, t, t_ref / t,
                    max_difference(r.x, reference.x)});
  }
}

template <class SDE>
std::function<std::vector<double>(std::vector<double> const&)> terminal(SDE const& sde, dm::gaussian_mixture const& target) {
  return [sde, target](std::vector<double> const& x_T) { return target.log_density(x_T, sde.alpha(sde.T()), sde.sigma(sde.T())); };
}

void likelihood(dm::divergence_estimator divergence, char const* method, options const& o, std::vector<row>& rows) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const target = dm::targets::mixture_2d_four();
  dm::gaussian_mixture_score<dm::vp_sde> const score(sde, target);
  dm::packed_gaussian_mixture<2, 4> const packed(target);
  auto const kernel_score = packed.score(sde);
  std::vector<double> const x = target.sample(o.points, 5);
  std::vector<double> const exact = target.log_density(x);
  dm::likelihood_options lo;
  lo.rtol = lo.atol = 1e-5;
  lo.divergence = divergence;
  lo.terminal_log_density = terminal(sde, target);
  auto const error = [&](dm::likelihood_result const& r) {
    double worst = 0.0;
    for (std::size_t b = 0; b < o.points; ++b) worst = std::max(worst, std::fabs(r.log_p[b] + r.prior_mismatch[b] - exact[b]));
    return worst;
  };
  dm::likelihood_result reference;
  double const t_ref = fastest(o.repetitions, [&] { reference = dm::pf_ode_log_likelihood(sde, score, x, 2, lo); });
  rows.push_back({"likelihood", method, "batched (today's solve)", 1, o.points, reference.nfe,
                  t_ref, 1.0, error(reference)});
  for (auto const& backend : kernel_backends) {
    dm::likelihood_result r;
    double const t = fastest(o.repetitions, [&] { r = sk::pf_ode_log_likelihood(backend, sde, kernel_score, x, lo); });
    rows.push_back({"likelihood", method, "per-sample " + backend.name, backend.threads,
                    o.points, r.nfe, t, t_ref / t, error(r)});
  }
}

void scaling(options const& o, std::vector<row>& rows) {
  dm::edm_sde const sde;
  dm::packed_gaussian_mixture<2, 4> const packed(dm::targets::mixture_2d_four());
  auto const score = packed.score(sde);
  auto const grid = dm::karras_grid(sde, 50, 0.002);
  double first_rate = 0.0;
  for (std::size_t n = 1000; n <= o.max_samples; n *= 10) {
    sk::sample_ensemble_result r;
    double const t = fastest(o.repetitions, [&] { r = sk::sample_ensemble(sk::host_backend{"omp", 2}, sde, score, dm::edm_heun_options{}, grid, n, 42); });
    double const rate = double(n) / t;
    if (first_rate == 0.0) first_rate = rate;
    rows.push_back({"scaling", "EDM Heun", "per-sample omp", 2, n, r.nfe, t, rate / first_rate, 0.0});
  }
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace

int main(int argc, char** argv) {
  options const o = parse(argc, argv);
  std::printf("load average before: %s\n", load_average().c_str());
  std::vector<row> rows;
  dm::edm_sde const sde;
  sampling(sde, "EDM Heun NFE 100", dm::edm_heun_options{}, dm::karras_grid(sde, 50, 0.002),
           [](auto const& s, auto const& score, auto const& grid, std::vector<double> x, dm::edm_heun_options const& opt) {
             return dm::edm_heun_sample(s, score, grid, std::move(x), 42, opt);
           },
           o, rows);
  sampling(sde, "DPM-Solver++ 2M NFE 100", dm::dpm_solver_pp_options{}, dm::karras_grid(sde, 100, 0.002),
           [](auto const& s, auto const& score, auto const& grid, std::vector<double> x, dm::dpm_solver_pp_options const& opt) {
             return dm::dpm_solver_pp_sample(s, score, grid, std::move(x), opt);
           },
           o, rows);
  dm::vp_sde const vp;
  sampling(vp, "reverse SDE Euler-Maruyama NFE 100", dm::reverse_sde_options{}, dm::uniform_grid(vp, 100, 1e-3),
           [](auto const& s, auto const& score, auto const& grid, std::vector<double> x, dm::reverse_sde_options const& opt) {
             return dm::reverse_sde_sample(s, score, grid, std::move(x), 42, opt);
           },
           o, rows);
  likelihood(dm::divergence_estimator::exact, "PF-ODE dopri5 exact divergence", o, rows);
  likelihood(dm::divergence_estimator::hutchinson, "PF-ODE dopri5 Hutchinson, 8 probes", o, rows);
  scaling(o, rows);
  std::printf("load average after:  %s\n", load_average().c_str());

  std::printf("%-10s %-34s %-26s %7s %9s %5s %10s %8s %10s\n", "table", "method", "backend", "threads", "count", "NFE",
              "seconds", "ratio", "error");
  for (row const& r : rows)
    std::printf("%-10s %-34s %-26s %7d %9zu %5zu %10.4f %8.2f %10.2e\n", r.table.c_str(), r.method.c_str(),
                r.backend.c_str(), r.threads, r.count, r.nfe, r.seconds, r.ratio, r.difference);
  std::printf("ratio: reference (batched, one thread) time / row time; scaling: samples/s over the rate at 10^3\n"
              "error: sampling, max |x − batched x|; likelihood, max |log p + prior mismatch − exact log p_0|\n");
  std::ofstream csv(o.out + "/diffusion_backends.csv");
  csv << "table,method,backend,threads,count,nfe,seconds,ratio,error\n";
  for (row const& r : rows)
    csv << r.table << ',' << r.method << ',' << r.backend << ',' << r.threads << ',' << r.count << ',' << r.nfe << ','
        << r.seconds << ',' << r.ratio << ',' << r.difference << '\n';
  return 0;
}
