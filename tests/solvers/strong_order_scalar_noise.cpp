// Claim: on a 2-D linear SDE driven by one Wiener process whose diffusion couples the components,
// dX = A X dt + B X dW with A = [[a, d], [d, a]], B = [[b, c], [c, b]] (Itô), the Milstein term needs
// the whole directional derivative (∇g) g = B² X, not ∂g_i/∂x_i alone: Milstein by forward mode and
// derivative-free Milstein reach strong order 1, Euler–Maruyama 0.5, and Euler–Heun and stochastic
// Heun order 1 on the Stratonovich form dX = (A − ½B²) X dt + B X ∘ dW; fitted over dt = 2⁻³..2⁻¹⁰
// from 10⁴ paths, within ±0.1. A and B commute (both are p I + q J, J = [[0, 1], [1, 0]]), so
//   X_t = exp((A − ½B²) t + B W_t) x₀,  exp(p I + q J) = e^p (cosh q I + sinh q J).
// Seed 303.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <utility>
#include <vector>

#include <sdekit/solvers.hpp>

#include "convergence.hpp"

namespace sk = sdekit;

namespace {

double const a = 0.2, d = 0.3, b = 0.4, c = 0.3;

template <class Calculus>
auto coupled_linear() {
  double const shift = std::is_same_v<Calculus, sk::ito> ? 0.0 : 0.5;
  double const diagonal = a - shift * (b * b + c * c), off_diagonal = d - shift * 2.0 * b * c;
  return sk::sde<sk::scalar_noise, Calculus>(
      [diagonal, off_diagonal](auto const& x, double, auto& f) {
        f[0] = diagonal * x[0] + off_diagonal * x[1];
        f[1] = off_diagonal * x[0] + diagonal * x[1];
      },
      [](auto const& x, double, auto& g) {
        g[0] = b * x[0] + c * x[1];
        g[1] = c * x[0] + b * x[1];
      });
}

std::vector<double> exact(std::vector<double> const& x0, double t, sk::brownian_tree& w) {
  std::vector<double> w_t(1);
  w.value(t, w_t);
  double const p = (a - 0.5 * (b * b + c * c)) * t + b * w_t[0];
  double const q = (d - b * c) * t + c * w_t[0];
  double const e = std::exp(p);
  return {e * (std::cosh(q) * x0[0] + std::sinh(q) * x0[1]), e * (std::sinh(q) * x0[0] + std::cosh(q) * x0[1])};
}

}  // namespace

BOOST_AUTO_TEST_CASE(coupled_scalar_noise_strong_orders) {
  sk::convergence_options o;
  o.seed = 303;
  o.paths = 10'000;
  auto const ito = coupled_linear<sk::ito>();
  auto const strat = coupled_linear<sk::stratonovich>();
  auto const [em, mil, dfm, eh, heun] = sk::strong_convergence_of_pairs(
      std::vector<double>{1.0, 0.5}, exact, o, std::make_pair(ito, sk::euler_maruyama{}),
      std::make_pair(ito, sk::milstein{}), std::make_pair(ito, sk::derivative_free_milstein{}),
      std::make_pair(strat, sk::euler_heun{}), std::make_pair(strat, sk::stochastic_heun{}));
  sdekit_test::check_order(em, 0.5, 0.1, "Euler–Maruyama on coupled scalar noise");
  sdekit_test::check_order(mil, 1.0, 0.1, "Milstein (forward mode) on coupled scalar noise");
  sdekit_test::check_order(dfm, 1.0, 0.1, "derivative-free Milstein on coupled scalar noise");
  sdekit_test::check_order(eh, 1.0, 0.1, "Euler–Heun on coupled scalar noise");
  sdekit_test::check_order(heun, 1.0, 0.1, "stochastic Heun on coupled scalar noise");
}
