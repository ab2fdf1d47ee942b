// Cost of accuracy per path: the strong order 1.5 methods against Euler–Maruyama, solved per path
// with solve_ensemble on the OMP backend (2 threads) with fixed steps on per-path Brownian trees,
// so that every step size sees the same paths. Strong error = mean over paths of |X_N − X(T)|. For
// each method the time to reach error 10⁻⁴ comes from a least-squares line through (log time,
// log error). Two problems:
//   GBM (diagonal noise): SRIW1 against Euler–Maruyama (strong order 0.5); dX = μX dt + σX dW,
//     exact X(T) = x₀ exp((μ − σ²/2)T + σW(T)).
//   Double well (additive noise): SRA1 against Euler–Maruyama (strong order 1 on additive noise);
//     dX = (X − X³) dt + s dW, no closed form, so X(T) is SRA1 at dt = 2⁻¹⁴ on the same tree
//     (the run prints its distance from SRA1 at dt = 2⁻¹³, a bound on its own error's size).
// Prints a table; writes ensemble_strong_error.csv to --out.
//
//   ensemble_strong_error [--paths 10000] [--out DIR] [--quick]
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;

namespace {

constexpr double mu = 0.5, sigma = 0.5, x0 = 1.0, T = 1.0, tree_tol = 0x1p-24, target = 1e-4;
constexpr std::uint64_t seed = 2025;

constexpr double well_noise = 0.5;

auto gbm() {
  return sk::sde<sk::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = mu * x[0]; },
                                     [](auto const& x, double, auto& g) { g[0] = sigma * x[0]; });
}

auto double_well() {
  return sk::sde<sk::additive_noise>([](auto const& x, double, auto& f) { f[0] = x[0] - x[0] * x[0] * x[0]; },
                                     [](auto const&, double, auto& g) { g[0] = well_noise; });
}

struct point {
  std::string problem, method;
  double dt, seconds, error;
};

template <class Problem, class Method>
std::vector<double> final_values(Problem const& problem, Method const& method, std::size_t paths, double dt,
                                 double* seconds) {
  auto const start = std::chrono::steady_clock::now();
  auto const sol = sk::solve_ensemble(sk::host_backend{"omp", 2}, problem, method, sk::ensemble_brownian_tree{seed, tree_tol},
                                      paths, sk::time_span{0.0, T}, dt, std::array<double, 1>{x0});
  if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sol.require_success();
  std::vector<double> x(paths);
  for (std::size_t p = 0; p < paths; ++p) x[p] = sol.final_value(p, 0);
  return x;
}

double mean_abs_difference(std::vector<double> const& a, std::vector<double> const& b) {
  double sum = 0.0;
  for (std::size_t p = 0; p < a.size(); ++p) sum += std::fabs(a[p] - b[p]);
  return sum / double(a.size());
}

template <class Problem, class Method>
point measure(char const* problem_name, Problem const& problem, char const* name, Method const& method,
              std::size_t paths, double dt, std::vector<double> const& exact) {
  double seconds = 0.0;
  std::vector<double> const x = final_values(problem, method, paths, dt, &seconds);
  return {problem_name, name, dt, seconds, mean_abs_difference(x, exact)};
}

// log error = a + b log time through the points; the time at which the line reaches `target`.
double time_to_reach(std::vector<point> const& points) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  double const n = double(points.size());
  for (point const& p : points) {
    double const x = std::log(p.seconds), y = std::log(p.error);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  double const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  double const a = (sy - b * sx) / n;
  return std::exp((std::log(target) - a) / b);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t paths = 10'000;
  std::string out = ".";
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    std::string const a = argv[i];
    if (a == "--paths" && i + 1 < argc) paths = std::stoul(argv[++i]);
    else if (a == "--out" && i + 1 < argc) out = argv[++i];
    else if (a == "--quick") quick = true;
  }
  if (quick) paths = 500;

  std::vector<double> exact(paths);
  for (std::size_t p = 0; p < paths; ++p) {
    sk::fixed_brownian_tree<1> w(seed, p, 0.0, T, tree_tol);
    std::array<double, 1> wT{};
    w.value(T, wT);
    exact[p] = x0 * std::exp((mu - 0.5 * sigma * sigma) * T + sigma * wT[0]);
  }

  int const em_finest = quick ? 8 : 12, sri_finest = quick ? 6 : 9;
  std::vector<point> em, sri;
  for (int k = 4; k <= em_finest; ++k)
    em.push_back(measure("GBM", gbm(), "Euler–Maruyama", sk::euler_maruyama{}, paths, std::ldexp(1.0, -k), exact));
  for (int k = 2; k <= sri_finest; ++k)
    sri.push_back(measure("GBM", gbm(), "SRIW1", sk::sri_w1{}, paths, std::ldexp(1.0, -k), exact));

  int const reference_level = quick ? 10 : 14;
  std::vector<double> const well = final_values(double_well(), sk::sra1{}, paths, std::ldexp(1.0, -reference_level), nullptr);
  double const reference_error =
      mean_abs_difference(well, final_values(double_well(), sk::sra1{}, paths, std::ldexp(1.0, 1 - reference_level), nullptr));
  std::vector<point> em_well, sra;
  for (int k = 3; k <= (quick ? 7 : 11); ++k)
    em_well.push_back(measure("double well", double_well(), "Euler–Maruyama", sk::euler_maruyama{}, paths, std::ldexp(1.0, -k), well));
  for (int k = 2; k <= (quick ? 6 : 8); ++k)
    sra.push_back(measure("double well", double_well(), "SRA1", sk::sra1{}, paths, std::ldexp(1.0, -k), well));

  std::printf("%zu paths, OMP with 2 threads, fixed steps on per-path Brownian trees (seed %llu)\n", paths,
              static_cast<unsigned long long>(seed));
  std::printf("GBM μ = %g, σ = %g, x₀ = %g, T = %g; double well dX = (X − X³) dt + %g dW, x₀ = %g, T = %g\n", mu, sigma,
              x0, T, well_noise, x0, T);
  std::printf("double-well reference: SRA1 at dt = 2^-%d; it differs from dt = 2^-%d by %.2e\n", reference_level,
              reference_level - 1, reference_error);
  std::printf("%-12s %-16s %12s %12s %14s\n", "problem", "method", "dt", "seconds", "strong error");
  std::ofstream csv(out + "/ensemble_strong_error.csv");
  csv << "problem,method,dt,seconds,strong_error\n";
  for (auto const* list : {&em, &sri, &em_well, &sra})
    for (point const& p : *list) {
      std::printf("%-12s %-16s %12.6g %12.4f %14.4e\n", p.problem.c_str(), p.method.c_str(), p.dt, p.seconds, p.error);
      csv << p.problem << ',' << p.method << ',' << p.dt << ',' << p.seconds << ',' << p.error << '\n';
    }
  struct comparison {
    char const* problem;
    char const* method;
    double em_time, time;
  };
  for (comparison const& c : {comparison{"GBM", "SRIW1", time_to_reach(em), time_to_reach(sri)},
                              comparison{"double well", "SRA1", time_to_reach(em_well), time_to_reach(sra)}}) {
    std::printf("%s, time to strong error %g (fitted): Euler–Maruyama %.4g s, %s %.4g s, ratio %.3g\n", c.problem, target,
                c.em_time, c.method, c.time, c.em_time / c.time);
    csv << c.problem << ",time_to_1e-4 Euler–Maruyama,," << c.em_time << ",\n";
    csv << c.problem << ",time_to_1e-4 " << c.method << ",," << c.time << ",\n";
  }
  return 0;
}
