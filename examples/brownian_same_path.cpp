// One Brownian path, many step sizes. A brownian_tree is a pure function of (seed, path, t), so
// Euler–Maruyama solves of geometric Brownian motion at dt = 2⁻⁴ … 2⁻¹⁰ all follow the same path,
// and their errors against the exact solution X(1) = x0·exp((μ − σ²/2) + σ W(1)) on that very path
// shrink with dt (on one path not monotonically: the strong order 1/2 is a statement about the mean
// error over paths). A grid_brownian would give a new path for every dt.
#include <cmath>
#include <cstdio>
#include <vector>

#include <sdekit/solvers.hpp>

namespace sk = sdekit;

int main() {
  double const mu = 1.5, sigma = 0.3;
  auto gbm = sk::sde<sk::diagonal_noise>([mu](auto const& x, double, auto& f) { f[0] = mu * x[0]; },
                                         [sigma](auto const& x, double, auto& g) { g[0] = sigma * x[0]; });

  sk::brownian_tree path(/*seed=*/42, /*path=*/0, /*t0=*/0.0, /*t1=*/1.0, /*tol=*/0.0, /*dim=*/1);
  std::vector<double> w1(1);
  path.value(1.0, w1);
  double const exact = std::exp(mu - 0.5 * sigma * sigma + sigma * w1[0]);

  std::printf("W(1) = %.6f, exact X(1) = %.6f\n%8s %14s %12s\n", w1[0], exact, "dt", "X(1)", "|error|");
  for (int level = 4; level <= 10; ++level) {
    double const dt = std::ldexp(1.0, -level);
    auto const sol = sk::solve(gbm, sk::euler_maruyama{}, path, {0.0, 1.0}, dt, std::vector<double>{1.0});
    double const x1 = sol.value()[0];
    std::printf("2^-%-5d %14.6f %12.3e\n", level, x1, std::fabs(x1 - exact));
  }
}
