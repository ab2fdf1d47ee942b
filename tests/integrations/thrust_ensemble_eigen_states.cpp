// Claim: per-path ensembles take fixed-size Eigen vectors as states, and give the bits of the same
// ensemble on std::array states and of the single-path solve() on the Eigen state: a 2-D linear
// SDE with diagonal noise (Euler–Maruyama on grid paths, adaptive SRIW1 on trees) and a 3-D
// additive-noise OU (SRA1 on grid paths). Seed 21; 37 paths (a partial block of lanes at the end).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <vector>

#include <Eigen/Core>
#include <thrust/system/omp/execution_policy.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;

namespace {

constexpr std::size_t paths = 37;
std::vector<double> const save_at{0.0, 0.5, 1.0};

auto linear2d() {
  return sk::sde<sk::diagonal_noise>(
      [](auto const& x, double, auto& f) {
        f[0] = -0.5 * x[0] + 0.2 * x[1];
        f[1] = 0.1 * x[0] - 0.3 * x[1];
      },
      [](auto const& x, double, auto& g) {
        g[0] = 0.4 * x[0];
        g[1] = 0.2 * x[1];
      });
}

auto ou3d() {
  return sk::sde<sk::additive_noise>(
      [](auto const& x, double, auto& f) {
        for (int i = 0; i < 3; ++i) f[i] = (1.0 + i) * (0.5 - x[i]);
      },
      [](auto const&, double, auto& g) {
        for (int i = 0; i < 3; ++i) g[i] = 0.3;
      });
}

// Every saved value of the Eigen ensemble equals the array ensemble's and the single-path solve's.
template <class Ensemble, class Single>
void check(Ensemble const& eigen, Ensemble const& array, Single&& single) {
  BOOST_TEST_REQUIRE(eigen.ok(), eigen.message());
  BOOST_TEST(eigen.x == array.x);
  BOOST_TEST(eigen.accepted_steps == array.accepted_steps);
  std::size_t mismatches = 0;
  for (std::size_t p = 0; p < paths; ++p) {
    auto const sol = single(p);
    BOOST_TEST_REQUIRE(sol.ok());
    for (std::size_t s = 0; s < sol.x.size(); ++s)
      for (std::size_t i = 0; i < eigen.dim; ++i) mismatches += sol.x[s][i] != eigen.at(p, s, i);
  }
  BOOST_TEST(mismatches == 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(eigen_states_give_the_array_and_single_path_bits) {
  Eigen::Vector2d const x0(1.0, 0.5);
  std::array<double, 2> const a0{1.0, 0.5};
  sk::solve_options<> const fixed{save_at};
  check(sk::solve_ensemble(thrust::omp::par, linear2d(), sk::euler_maruyama{}, sk::grid_brownian(21), paths, {0.0, 1.0},
                           1.0 / 64, x0, fixed),
        sk::solve_ensemble(thrust::omp::par, linear2d(), sk::euler_maruyama{}, sk::grid_brownian(21), paths, {0.0, 1.0},
                           1.0 / 64, a0, fixed),
        [&](std::size_t p) {
          return sk::solve(linear2d(), sk::euler_maruyama{}, sk::grid_brownian(21, p), {0.0, 1.0}, 1.0 / 64, x0, fixed);
        });

  sk::solve_options<sk::pi_controller> const adaptive{save_at, sk::pi_controller{1e-3, 1e-3}};
  double const tol = 0x1p-20;
  check(sk::solve_ensemble(thrust::omp::par, linear2d(), sk::sri_w1{}, sk::ensemble_brownian_tree{21, tol}, paths,
                           {0.0, 1.0}, 0.1, x0, adaptive),
        sk::solve_ensemble(thrust::omp::par, linear2d(), sk::sri_w1{}, sk::ensemble_brownian_tree{21, tol}, paths,
                           {0.0, 1.0}, 0.1, a0, adaptive),
        [&](std::size_t p) {
          return sk::solve(linear2d(), sk::sri_w1{}, sk::brownian_tree(21, p, 0.0, 1.0, tol), {0.0, 1.0}, 0.1, x0,
                           adaptive);
        });
}

BOOST_AUTO_TEST_CASE(eigen_states_run_additive_noise_steppers) {
  Eigen::Vector3d const x0(1.0, 0.0, -1.0);
  std::array<double, 3> const a0{1.0, 0.0, -1.0};
  sk::solve_options<> const fixed{save_at};
  check(sk::solve_ensemble(thrust::omp::par, ou3d(), sk::sra1{}, sk::grid_brownian(21), paths, {0.0, 1.0}, 1.0 / 32, x0,
                           fixed),
        sk::solve_ensemble(thrust::omp::par, ou3d(), sk::sra1{}, sk::grid_brownian(21), paths, {0.0, 1.0}, 1.0 / 32, a0,
                           fixed),
        [&](std::size_t p) {
          return sk::solve(ou3d(), sk::sra1{}, sk::grid_brownian(21, p), {0.0, 1.0}, 1.0 / 32, x0, fixed);
        });
}
