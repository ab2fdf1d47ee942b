// Cost of accuracy per path: SRIW1 (strong order 1.5) against Euler–Maruyama (0.5) on GBM,
// dX = μX dt + σX dW, X(T) = x₀ exp((μ − σ²/2)T + σW(T)), solved per path with solve_ensemble on
// the OMP backend (2 threads) with fixed steps on per-path Brownian trees, so that every step size
// sees the same paths. Strong error = mean over paths of |X_N − X(T)|. For each method the time to
// reach error 10⁻⁴ comes from a least-squares line through (log time, log error). Prints a table;
// writes ensemble_strong_error.csv to --out.
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

auto gbm() {
  return sk::sde<sk::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = mu * x[0]; },
                                     [](auto const& x, double, auto& g) { g[0] = sigma * x[0]; });
}

struct point {
  std::string method;
  double dt, seconds, error;
};

template <class Method>
point measure(char const* name, Method const& method, std::size_t paths, double dt, std::vector<double> const& exact) {
  auto const start = std::chrono::steady_clock::now();
  auto const sol = sk::solve_ensemble(sk::host_backend{"omp", 2}, gbm(), method, sk::ensemble_brownian_tree{seed, tree_tol},
                                      paths, sk::time_span{0.0, T}, dt, std::array<double, 1>{x0});
  double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sol.require_success();
  double error = 0.0;
  for (std::size_t p = 0; p < paths; ++p) error += std::fabs(sol.final_value(p, 0) - exact[p]);
  return {name, dt, seconds, error / double(paths)};
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

  std::vector<point> em, sri;
  int const em_finest = quick ? 8 : 12, sri_finest = quick ? 6 : 9;
  for (int k = 4; k <= em_finest; ++k) em.push_back(measure("Euler–Maruyama", sk::euler_maruyama{}, paths, std::ldexp(1.0, -k), exact));
  for (int k = 2; k <= sri_finest; ++k) sri.push_back(measure("SRIW1", sk::sri_w1{}, paths, std::ldexp(1.0, -k), exact));
  double const em_time = time_to_reach(em), sri_time = time_to_reach(sri);

  std::printf("GBM μ = %g, σ = %g, T = %g, %zu paths, OMP with 2 threads, fixed steps on per-path Brownian trees\n", mu,
              sigma, T, paths);
  std::printf("%-16s %12s %12s %14s\n", "method", "dt", "seconds", "strong error");
  std::ofstream csv(out + "/ensemble_strong_error.csv");
  csv << "method,dt,seconds,strong_error\n";
  for (auto const* list : {&em, &sri})
    for (point const& p : *list) {
      std::printf("%-16s %12.6g %12.4f %14.4e\n", p.method.c_str(), p.dt, p.seconds, p.error);
      csv << p.method << ',' << p.dt << ',' << p.seconds << ',' << p.error << '\n';
    }
  std::printf("time to strong error %g (fitted): Euler–Maruyama %.4g s, SRIW1 %.4g s, ratio %.3g\n", target, em_time,
              sri_time, em_time / sri_time);
  csv << "time_to_1e-4 Euler–Maruyama,," << em_time << ",\n";
  csv << "time_to_1e-4 SRIW1,," << sri_time << ",\n";
  return 0;
}
