// Claims about adaptive Dormand–Prince 5(4) ODE ensembles on the CPU, whose paths run on SIMD
// lanes (ode_lane_kernel.hpp): (1) every path gets the bits of the one-path kernel, which a CUDA
// thread runs and which replays solve()'s loop: saved states, accepted and rejected steps and
// status, on the CPP, OMP and TBB backends, for a Lorenz sweep over ρ (Odeint's lorenz_parameters)
// with save times and a path count that leaves a group of lanes part full, and for a
// time-dependent drift; (2) a path that fails (non-finite x0, a blow-up, max_steps) reports the
// status, step and time of the one-path kernel while the paths beside it on the lanes finish with
// its bits; (3) first same as last on the lanes: a try costs six drift evaluations per lane, and a
// path's first stage one.
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/omp/execution_policy.h>
#include <thrust/system/tbb/execution_policy.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;

namespace {

using state3 = std::array<double, 3>;
using state1 = std::array<double, 1>;
using cpp_policy = std::decay_t<decltype(thrust::cpp::par)>;

auto lorenz() {
  return sk::parametrized_ode([](auto const& x, double, double rho, auto& f) {
    f[0] = 10.0 * (x[1] - x[0]);
    f[1] = rho * x[0] - x[1] - x[0] * x[2];
    f[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];
  });
}

std::vector<double> sweep(std::size_t n, double low, double high) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = low + (high - low) * double(i) / double(n - 1);
  return v;
}

// The one-path kernel on every path: path_kernel under the CPP backend, as solve_ensemble runs it
// for CUDA threads.
template <class Parametrized, class Params, class State>
sk::ensemble_solution<double> one_path_kernel(Parametrized const& problem, std::vector<Params> const& params,
                                              std::vector<State> const& x0, sk::time_span span, double dt0,
                                              sk::solve_options<sk::pi_controller> const& options) {
  using problems = sk::detail::problem_per_path<Parametrized, Params>;
  std::vector<double> const times = sk::detail::save_times(options.save_at, span);
  std::size_t const paths = params.size(), dim = std::tuple_size<State>::value;
  sk::detail::ensemble_buffers<cpp_policy, double> buffers(times, paths, dim);
  sk::detail::ensemble_times const grid{span.t0,     span.t1,           dt0, buffers.save.data(), times.size(),
                                        options.max_steps, paths};
  sk::detail::path_kernel<problems, sk::dormand_prince5, sk::pi_controller, State> const kernel{
      problems{problem, params.data()}, {}, options.controller, 0, 0.0, sk::detail::initial_states<State>{x0.data(), 1},
      grid, buffers.outputs(), sk::detail::path_order::scattered(paths)};
  sk::detail::run_kernel(thrust::cpp::par, kernel, paths);
  return buffers.solution(times, paths, dim);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Every path of `lanes` against the one-path kernel: statuses, failure step and time, step
// counts, and every saved component bit for bit (NaN where neither wrote).
void require_same_paths(sk::ensemble_solution<double> const& lanes, sk::ensemble_solution<double> const& one,
                        std::string const& what) {
  BOOST_TEST_REQUIRE(lanes.x.size() == one.x.size());
  for (std::size_t p = 0; p < one.paths; ++p) {
    BOOST_TEST_REQUIRE((lanes.status[p] == one.status[p]), what << ": status of path " << p);
    BOOST_TEST_REQUIRE(lanes.accepted_steps[p] == one.accepted_steps[p], what << ": accepted steps of path " << p);
    BOOST_TEST_REQUIRE(lanes.rejected_steps[p] == one.rejected_steps[p], what << ": rejected steps of path " << p);
    BOOST_TEST_REQUIRE(lanes.failed_step[p] == one.failed_step[p], what << ": failed step of path " << p);
    BOOST_TEST_REQUIRE(same_bits(lanes.failed_time[p], one.failed_time[p]), what << ": failed time of path " << p);
  }
  for (std::size_t i = 0; i < one.x.size(); ++i)
    BOOST_TEST_REQUIRE(same_bits(lanes.x[i], one.x[i]), what << ": element " << i << " " << lanes.x[i] << " vs " << one.x[i]);
}

template <class Parametrized, class Params, class State>
void check_every_backend(Parametrized const& problem, std::vector<Params> const& params, std::vector<State> const& x0,
                         sk::time_span span, sk::solve_options<sk::pi_controller> const& options) {
  auto const one = one_path_kernel(problem, params, x0, span, 0.01, options);
  auto const ensemble = sk::with_parameters(problem, params);
  std::size_t const n = params.size();
  require_same_paths(sk::solve_ensemble(thrust::cpp::par, ensemble, sk::dormand_prince5{}, sk::no_brownian{}, n, span,
                                        0.01, x0, options),
                     one, "CPP");
  require_same_paths(sk::solve_ensemble(thrust::omp::par, ensemble, sk::dormand_prince5{}, sk::no_brownian{}, n, span,
                                        0.01, x0, options),
                     one, "OMP");
  require_same_paths(sk::solve_ensemble(thrust::tbb::par, ensemble, sk::dormand_prince5{}, sk::no_brownian{}, n, span,
                                        0.01, x0, options),
                     one, "TBB");
}

}  // namespace

BOOST_AUTO_TEST_CASE(lorenz_sweep_paths_are_one_path_kernel_bits_on_every_backend) {
  std::vector<double> const rho = sweep(300, 0.1, 50.0);  // 4 full groups of 64 lanes' paths and one part full
  std::vector<state3> const x0(rho.size(), state3{10.0, 10.0, 10.0});
  sk::solve_options<sk::pi_controller> const options{sweep(11, 0.0, 5.0), sk::pi_controller{1e-7, 1e-7}};
  auto const one = one_path_kernel(lorenz(), rho, x0, {0.0, 5.0}, 0.01, options);
  BOOST_TEST_REQUIRE(one.ok(), one.message());
  std::uint64_t rejected = 0;
  for (auto r : one.rejected_steps) rejected += r;
  BOOST_TEST_REQUIRE(rejected > 0u, "no rejected step: retries on the lanes are not covered");
  check_every_backend(lorenz(), rho, x0, {0.0, 5.0}, options);
}

BOOST_AUTO_TEST_CASE(time_dependent_drift_paths_are_one_path_kernel_bits) {
  // x' = −k x + sin(10 t): the stages see t + c_s h, and the first stage of a step is reused only
  // when the step starts bit for bit at the last stage's time.
  auto const forced = sk::parametrized_ode([](auto const& x, double t, double k, auto& f) { f[0] = -k * x[0] + std::sin(10.0 * t); });
  std::vector<double> const k = sweep(77, 0.5, 20.0);
  std::vector<state1> x0(k.size());
  for (std::size_t p = 0; p < k.size(); ++p) x0[p] = state1{0.1 * double(p)};
  check_every_backend(forced, k, x0, {0.0, 3.0}, {{0.3, 1.7, 3.0}, sk::pi_controller{1e-9, 1e-9}});
}

BOOST_AUTO_TEST_CASE(failed_paths_report_what_the_one_path_kernel_reports) {
  // x' = b x²: paths with b = 1 and x(0) = 1 blow up at t = 1; path 3 starts at NaN and path 40 at
  // +∞; the rest decay (b = −1) and finish beside them on the lanes.
  std::vector<double> b(70, -1.0);
  b[7] = b[8] = b[41] = 1.0;
  std::vector<state1> x0(b.size(), state1{1.0});
  x0[3] = state1{std::numeric_limits<double>::quiet_NaN()};
  x0[40] = state1{std::numeric_limits<double>::infinity()};
  auto const riccati = sk::parametrized_ode([](auto const& x, double, double c, auto& f) { f[0] = c * x[0] * x[0]; });
  sk::solve_options<sk::pi_controller> const options{sweep(5, 0.0, 2.0), sk::pi_controller{1e-8, 1e-8}};
  auto const one = one_path_kernel(riccati, b, x0, {0.0, 2.0}, 0.01, options);
  BOOST_TEST_REQUIRE(one.failures() == 5u, one.message());
  BOOST_TEST((one.status[3] == sk::solve_status::non_finite_state));
  BOOST_TEST((one.status[7] != sk::solve_status::success));
  check_every_backend(riccati, b, x0, {0.0, 2.0}, options);

  sk::solve_options<sk::pi_controller> capped = options;
  capped.max_steps = 40;  // enough for the decaying paths, not for the blow-ups
  auto const one_capped = one_path_kernel(riccati, b, x0, {0.0, 2.0}, 0.01, capped);
  BOOST_TEST_REQUIRE((one_capped.status[7] == sk::solve_status::max_steps_reached), one_capped.message());
  BOOST_TEST_REQUIRE((one_capped.status[0] == sk::solve_status::success), one_capped.message());
  check_every_backend(riccati, b, x0, {0.0, 2.0}, capped);
}

BOOST_AUTO_TEST_CASE(a_try_costs_six_evaluations_per_lane_first_same_as_last) {
  // Eight identical paths fill one set of lanes and take the same tries, so the count is eight
  // paths' worth. The counter is atomic: the drift runs inside the lane loop.
  std::atomic<std::size_t> evaluations{0};
  auto const counted = sk::parametrized_ode([&evaluations](auto const& x, double, double rho, auto& f) {
    evaluations.fetch_add(1, std::memory_order_relaxed);
    f[0] = 10.0 * (x[1] - x[0]);
    f[1] = rho * x[0] - x[1] - x[0] * x[2];
    f[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];
  });
  std::vector<double> const rho(8, 28.0);
  sk::solve_options<sk::pi_controller> const options{{}, sk::pi_controller{1e-4, 1e-4}};
  auto const sol = sk::solve_ensemble(thrust::cpp::par, sk::with_parameters(counted, rho), sk::dormand_prince5{},
                                      sk::no_brownian{}, rho.size(), {0.0, 10.0}, 0.01, state3{10.0, 10.0, 10.0}, options);
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  BOOST_TEST_REQUIRE(sol.rejected_steps[0] > 0u, "no rejected step, so retries are not covered");
  std::size_t const tries = sol.accepted_steps[0] + sol.rejected_steps[0];
  for (std::size_t p = 1; p < rho.size(); ++p) BOOST_TEST_REQUIRE(sol.accepted_steps[p] + sol.rejected_steps[p] == tries);
  BOOST_TEST(evaluations.load() == rho.size() * (1 + 6 * tries),
             evaluations.load() << " evaluations for " << rho.size() << " paths of " << tries << " tries");
}
