// Geometric Brownian motion dX = μX dt + σX dW, solved with Euler–Maruyama on a Brownian tree and
// compared with the exact solution X(1) = X(0) exp((μ − σ²/2) + σ W(1)) on the same path.
#include <cmath>
#include <cstdio>
#include <vector>

#include <sdekit/solvers.hpp>

int main() {
  double const mu = 0.5, sigma = 0.3;
  auto gbm = sdekit::sde<sdekit::diagonal_noise>([mu](auto const& x, double, auto& f) { f[0] = mu * x[0]; },
                                                 [sigma](auto const& x, double, auto& g) { g[0] = sigma * x[0]; });
  sdekit::brownian_tree brownian(/*seed=*/42, /*path=*/0, /*t0=*/0.0, /*t1=*/1.0);
  auto sol = sdekit::solve(gbm, sdekit::euler_maruyama{}, brownian, {0.0, 1.0}, /*dt0=*/1e-3, std::vector<double>{1.0});

  std::vector<double> w(1);
  brownian.value(1.0, w);
  double const exact = std::exp(mu - 0.5 * sigma * sigma + sigma * w[0]);
  std::printf("Euler-Maruyama, dt = 1e-3: X(1) = %.6f, exact X(1) = %.6f, error %.2e (%s)\n", sol.value()[0], exact,
              std::fabs(sol.value()[0] - exact), sol.message().c_str());
}
