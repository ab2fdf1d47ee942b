// Claim: a batched (lock-step) solve of P paths stored in one vector, with the solver layer's
// steppers over Thrust vectors (host_vector, omp::vector, tbb::vector), std::vector and Eigen, and
// batched_grid_brownian, gives bit for bit what solve_ensemble gives path by path: Euler–Maruyama
// on GBM and SRA1 (which reads ΔZ) on Ornstein–Uhlenbeck, with both normal generators; Milstein
// (∂g/∂x attached), derivative-free Milstein and SRIW1 on Itô GBM, Euler–Heun and stochastic Heun
// on Stratonovich GBM, with grid_brownian's generator (the batched solves that
// thrust_cuda_ensemble.cu checks on device_vector).
// Seed 31; 37 paths (blocks of 8 with a partial last block).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <vector>

#include <Eigen/Dense>
#include <thrust/host_vector.h>
#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/omp/vector.h>
#include <thrust/system/tbb/vector.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;

namespace {

constexpr std::size_t paths = 37;
constexpr std::uint64_t seed = 31;
std::vector<double> const save_at{0.0, 0.5, 1.0};

// The same drift and diffusion, written once for a single path and for a batch.
auto gbm() {
  return sk::sde<sk::diagonal_noise>(
      [](auto const& x, double, auto& f) { sk::for_each([](auto& fi, auto xi) { fi = 0.7 * xi; }, f, x); },
      [](auto const& x, double, auto& g) { sk::for_each([](auto& gi, auto xi) { gi = 0.4 * xi; }, g, x); });
}

auto gbm_stratonovich() {
  return sk::sde<sk::diagonal_noise, sk::stratonovich>(
      [](auto const& x, double, auto& f) { sk::for_each([](auto& fi, auto xi) { fi = 0.7 * xi; }, f, x); },
      [](auto const& x, double, auto& g) { sk::for_each([](auto& gi, auto xi) { gi = 0.4 * xi; }, g, x); });
}

auto ou() {
  return sk::sde<sk::additive_noise>(
      [](auto const& x, double, auto& f) { sk::for_each([](auto& fi, auto xi) { fi = 2.0 * (0.5 - xi); }, f, x); },
      [](auto const&, double t, auto& g) { sk::for_each([t](auto& gi) { gi = 0.3 + 0.1 * t; }, g); });
}

template <class Batch>
Batch initial_batch() {
  Batch x(paths);
  for (std::size_t p = 0; p < paths; ++p) x[p] = 1.0 + 0.05 * double(p);
  return x;
}

std::vector<std::array<double, 1>> initial_states() {
  std::vector<std::array<double, 1>> x(paths);
  for (std::size_t p = 0; p < paths; ++p) x[p] = {1.0 + 0.05 * double(p)};
  return x;
}

template <class Batch, class Normal, class Grid, class Problem, class Method>
void check(Problem const& problem, Method const& method, Grid const& grid) {
  sk::solve_options<> options{save_at};
  auto const per_path = sk::solve_ensemble(thrust::cpp::par, problem, method, grid, paths, {0.0, 1.0}, 1.0 / 32,
                                           initial_states(), options);
  BOOST_TEST_REQUIRE(per_path.ok(), per_path.message());
  auto const batched = sk::solve(problem, method, sk::batched_grid_brownian<Normal>(seed, paths), {0.0, 1.0}, 1.0 / 32,
                                 initial_batch<Batch>(), options);
  BOOST_TEST_REQUIRE(batched.ok(), batched.message());
  std::size_t mismatches = 0;
  for (std::size_t s = 0; s < save_at.size(); ++s)
    for (std::size_t p = 0; p < paths; ++p) mismatches += double(batched.x[s][p]) != per_path.at(p, s, 0);
  BOOST_TEST(mismatches == 0u);
}

template <class Batch>
void check_all() {
  check<Batch, sk::philox_normal>(gbm(), sk::euler_maruyama{}, sk::grid_brownian(seed));
  check<Batch, sk::sleef_philox_normal>(gbm(), sk::euler_maruyama{}, sk::fast_grid_brownian(seed));
  check<Batch, sk::philox_normal>(ou(), sk::sra1{}, sk::grid_brownian(seed));
  check<Batch, sk::sleef_philox_normal>(ou(), sk::sra1{}, sk::fast_grid_brownian(seed));
  auto const gbm_with_dg =
      gbm().with_diffusion_derivative([](auto const&, double, auto& dg) { sk::for_each([](auto& d) { d = 0.4; }, dg); });
  check<Batch, sk::philox_normal>(gbm_with_dg, sk::milstein{}, sk::grid_brownian(seed));
  check<Batch, sk::philox_normal>(gbm(), sk::derivative_free_milstein{}, sk::grid_brownian(seed));
  check<Batch, sk::philox_normal>(gbm(), sk::sri_w1{}, sk::grid_brownian(seed));
  check<Batch, sk::philox_normal>(gbm_stratonovich(), sk::euler_heun{}, sk::grid_brownian(seed));
  check<Batch, sk::philox_normal>(gbm_stratonovich(), sk::stochastic_heun{}, sk::grid_brownian(seed));
}

}  // namespace

BOOST_AUTO_TEST_CASE(thrust_host_vector) { check_all<thrust::host_vector<double>>(); }
BOOST_AUTO_TEST_CASE(thrust_omp_vector) { check_all<thrust::omp::vector<double>>(); }
BOOST_AUTO_TEST_CASE(thrust_tbb_vector) { check_all<thrust::tbb::vector<double>>(); }
BOOST_AUTO_TEST_CASE(std_vector) { check_all<std::vector<double>>(); }
BOOST_AUTO_TEST_CASE(eigen_vector) { check_all<Eigen::VectorXd>(); }
