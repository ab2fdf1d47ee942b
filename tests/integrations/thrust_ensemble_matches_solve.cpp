// Claim: every path of an ensemble is the single-path solve() of the solver layer, bit for bit:
// fixed-step Euler–Maruyama and SRIW1 on grid_brownian(seed, i), and adaptive SRIW1 (diagonal-noise
// GBM) and SRA1 (additive-noise OU) with a PI controller on brownian_tree(seed, i, t0, t1, tol),
// each path with its own parameters; the adaptive kernels take the paths in a scattered order that
// visits each once. Seed 11; 101 paths.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <vector>

#include <thrust/system/omp/execution_policy.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;

namespace {

constexpr std::size_t paths = 101;
using state = std::array<double, 1>;

struct gbm_parameters {
  double mu;
  double sigma;
};

auto parametrized_gbm() {
  return sk::parametrized_sde<sk::diagonal_noise>(
      [](auto const& x, double, gbm_parameters const& p, auto& f) { f[0] = p.mu * x[0]; },
      [](auto const& x, double, gbm_parameters const& p, auto& g) { g[0] = p.sigma * x[0]; });
}

auto parametrized_ou() {
  return sk::parametrized_sde<sk::additive_noise>(
      [](auto const& x, double, gbm_parameters const& p, auto& f) { f[0] = p.mu * (1.0 - x[0]); },
      [](auto const&, double, gbm_parameters const& p, auto& g) { g[0] = p.sigma; });
}

std::vector<gbm_parameters> parameters() {
  std::vector<gbm_parameters> p(paths);
  for (std::size_t i = 0; i < paths; ++i) p[i] = {0.2 + 0.004 * double(i), 0.1 + 0.003 * double(i)};
  return p;
}

std::vector<state> initial_states() {
  std::vector<state> x(paths);
  for (std::size_t i = 0; i < paths; ++i) x[i] = {0.5 + 0.01 * double(i)};
  return x;
}

std::vector<double> const save_at{0.0, 0.25, 0.5, 1.0};

template <class Ensemble, class Single>
void check_each_path(Ensemble const& ens, Single&& single) {
  BOOST_TEST_REQUIRE(ens.ok(), ens.message());
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < paths; ++i) {
    auto const sol = single(i);
    BOOST_TEST_REQUIRE(sol.ok());
    BOOST_TEST_REQUIRE(sol.x.size() == save_at.size());
    for (std::size_t s = 0; s < save_at.size(); ++s) mismatches += sol.x[s][0] != ens.at(i, s, 0);
    mismatches += sol.accepted_steps != ens.accepted_steps[i] || sol.rejected_steps != ens.rejected_steps[i];
  }
  BOOST_TEST(mismatches == 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(fixed_step_paths_are_single_path_solves) {
  auto const problem = parametrized_gbm();
  auto const p = parameters();
  auto const x0 = initial_states();
  sk::solve_options<> options{save_at};
  auto const em = sk::solve_ensemble(thrust::omp::par, sk::with_parameters(problem, p), sk::euler_maruyama{},
                                     sk::grid_brownian(11), paths, {0.0, 1.0}, 1.0 / 64, x0, options);
  check_each_path(em, [&](std::size_t i) {
    return sk::solve(problem.bind(p[i]), sk::euler_maruyama{}, sk::grid_brownian(11, i), {0.0, 1.0}, 1.0 / 64, x0[i],
                     options);
  });
  auto const sri = sk::solve_ensemble(thrust::omp::par, sk::with_parameters(problem, p), sk::sri_w1{},
                                      sk::grid_brownian(11), paths, {0.0, 1.0}, 1.0 / 64, x0, options);
  check_each_path(sri, [&](std::size_t i) {
    return sk::solve(problem.bind(p[i]), sk::sri_w1{}, sk::grid_brownian(11, i), {0.0, 1.0}, 1.0 / 64, x0[i], options);
  });
}

BOOST_AUTO_TEST_CASE(adaptive_sri_w1_paths_are_single_path_solves) {
  auto const problem = parametrized_gbm();
  auto const p = parameters();
  auto const x0 = initial_states();
  sk::solve_options<sk::pi_controller> options{save_at, sk::pi_controller{1e-4, 1e-4}};
  double const tol = 0x1p-24;
  auto const ens = sk::solve_ensemble(thrust::omp::par, sk::with_parameters(problem, p), sk::sri_w1{},
                                      sk::ensemble_brownian_tree{11, tol}, paths, {0.0, 1.0}, 0.05, x0, options);
  check_each_path(ens, [&](std::size_t i) {
    return sk::solve(problem.bind(p[i]), sk::sri_w1{}, sk::brownian_tree(11, i, 0.0, 1.0, tol), {0.0, 1.0}, 0.05, x0[i],
                     options);
  });
  std::size_t rejected = 0;
  for (auto r : ens.rejected_steps) rejected += r;
  BOOST_TEST(rejected > 0u, "the controller rejected no step, so rejection was not exercised");
}

BOOST_AUTO_TEST_CASE(adaptive_sra1_paths_are_single_path_solves) {
  auto const problem = parametrized_ou();
  auto const p = parameters();
  auto const x0 = initial_states();
  sk::solve_options<sk::pi_controller> options{save_at, sk::pi_controller{1e-4, 1e-4}};
  auto const ens = sk::solve_ensemble(thrust::omp::par, sk::with_parameters(problem, p), sk::sra1{},
                                      sk::ensemble_brownian_tree{11}, paths, {0.0, 1.0}, 0.05, x0, options);
  check_each_path(ens, [&](std::size_t i) {
    return sk::solve(problem.bind(p[i]), sk::sra1{}, sk::brownian_tree(11, i, 0.0, 1.0), {0.0, 1.0}, 0.05, x0[i],
                     options);
  });
}

BOOST_AUTO_TEST_CASE(adaptive_work_items_visit_every_path_once) {
  // The scattered order in which the work items take the paths is a permutation for every count.
  std::size_t broken = 0;
  for (std::size_t count : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(6), std::size_t(100),
                            std::size_t(101), std::size_t(1024), std::size_t(3000), std::size_t(1'000'000)}) {
    auto const order = sk::detail::path_order::scattered(count);
    std::vector<char> seen(count, 0);
    for (std::size_t i = 0; i < count; ++i) seen[order.path(i)] += 1;
    for (char s : seen) broken += s != 1;
  }
  BOOST_TEST(broken == 0u);
}
