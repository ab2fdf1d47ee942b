// solve_ensemble(policy, problem, method, brownian, paths, span, dt0, x0, options): many
// independent paths of one problem, one kernel per path (DESIGN.md §2, "per-path kernels"), run
// by thrust::for_each under the caller's execution policy: thrust::cpp::par, thrust::omp::par,
// thrust::tbb::par, or thrust::cuda::par when compiled with nvcc.
//
//   auto sol = sdekit::solve_ensemble(thrust::omp::par, gbm, sdekit::euler_maruyama{},
//                                     sdekit::grid_brownian(42), 1'000'000, {0.0, 1.0}, 1e-3,
//                                     std::array<double, 1>{1.0});
//   sol.require_success();
//
// Each path is what solve() would give for the same problem on Brownian path i of the seed:
// with grid_brownian and fixed steps, bit for bit solve(problem, method, grid_brownian(seed, i), ...);
// with ensemble_brownian_tree and any controller, bit for bit solve(..., brownian_tree(seed, i, t0,
// t1, tol), ...). So results do not depend on the backend, the thread count or the batch split.
// States are fixed-size: std::array, or a fixed-size Eigen vector on the CPU backends. x0 is one
// state for all paths or a std::vector with one per path; problem is a problem, or
// with_parameters(parametrized problem, one parameter set per path).
// A path whose x0 is not finite, or that fails, reports its status; the others finish.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include <thrust/copy.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#if defined(__CUDACC__)
#include <thrust/device_vector.h>
#include <thrust/system/cuda/execution_policy.h>
#endif

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/grid_brownian.hpp>
#include <sdekit/solvers/solve.hpp>
#include <sdekit/solvers/state.hpp>
#include <sdekit/solvers/step_size_controller.hpp>

#include "detail/ensemble_kernels.hpp"
#include "detail/ode_lane_kernel.hpp"
#include "dormand_prince5.hpp"
#include "ensemble_brownian.hpp"
#include "ensemble_solution.hpp"
#include "parametrized_sde.hpp"

namespace sdekit {

struct host_backend;  // host_backend.hpp: backends by name

/// One parameter set per path for a parametrized problem (parametrized_sde.hpp).
template <class Parametrized, class Params>
struct parameter_ensemble {
  using problem_type = Parametrized;
  using params_type = Params;
  Parametrized problem;
  std::vector<Params> const& params;
};

template <class Parametrized, class Params>
parameter_ensemble<Parametrized, Params> with_parameters(Parametrized const& problem,
                                                         std::vector<Params> const& params) {
  return {problem, params};
}

namespace detail {

/// Paths per kernel call: a block of SIMD lanes on the CPU, one path per GPU thread.
template <class Policy>
struct ensemble_memory {
  static constexpr std::size_t block_width = 8;
  template <class T>
  using vector = std::vector<T>;
};
#if defined(__CUDACC__)
template <>
struct ensemble_memory<std::decay_t<decltype(::thrust::cuda::par)>> {
  static constexpr std::size_t block_width = 1;
  template <class T>
  using vector = ::thrust::device_vector<T>;
};
#endif

template <class T>
struct is_std_vector : std::false_type {};
template <class T, class A>
struct is_std_vector<std::vector<T, A>> : std::true_type {};

template <class Problem>
struct ensemble_problem_of {
  using problem_type = Problem;
};
template <class P, class Params>
struct ensemble_problem_of<parameter_ensemble<P, Params>> {
  using problem_type = decltype(std::declval<P const&>().refer(std::declval<Params const&>()));
};

template <class Problem>
struct is_parameter_ensemble : std::false_type {};
template <class P, class Params>
struct is_parameter_ensemble<parameter_ensemble<P, Params>> : std::true_type {};

template <class X0>
struct ensemble_state_of {
  using type = X0;
};
template <class State, class A>
struct ensemble_state_of<std::vector<State, A>> {
  using type = State;
};

// A time is on the grid when it lies within grid_snap(dt0) = 10⁻¹⁰·dt0 of a grid point: the
// kernels reach it there (solve() does the same); a time farther off would need a step shorter
// than the grid's.
inline void validate_grid(time_span span, double dt0, std::vector<double> const& saves) {
  auto const on_grid = [&](double s) {
    double const k = std::round((s - span.t0) / dt0);
    return std::fabs(span.t0 + k * dt0 - s) <= grid_snap(dt0);
  };
  if (!on_grid(span.t1))
    fail("t1 = ", span.t1, " is not on the grid t0 + k·dt0 (t0 = ", span.t0, ", dt0 = ", dt0,
         ") that a grid Brownian path needs; choose dt0 that divides the span or use ensemble_brownian_tree");
  for (std::size_t i = 0; i < saves.size(); ++i)
    if (!on_grid(saves[i]))
      fail("save_at[", i, "] = ", saves[i], " is not on the grid t0 + k·dt0 (t0 = ", span.t0, ", dt0 = ", dt0,
           ") that a grid Brownian path needs; use ensemble_brownian_tree for other save times");
}

// The steps of every grid path, as solve() takes fixed steps: t_k = t0 + k·dt0, the last one
// t1, and each save time (on the grid, validate_grid) reached after save_step[s] steps. The
// kernels read the times instead of recomputing them in every block (8 bytes per step, for all
// paths together).
struct grid_schedule {
  std::vector<double> t;
  std::vector<std::uint64_t> save_step;

  grid_schedule(time_span span, double dt0, std::vector<double> const& saves) : save_step(saves.size()) {
    double const snap = grid_snap(dt0);
    std::size_t next = 0;
    double time = span.t0;
    t.reserve(std::size_t(std::ceil((span.t1 - span.t0) / dt0)) + 2);  // one allocation, whatever the steps
    t.push_back(time);
    while (next < saves.size() && saves[next] <= time + snap) save_step[next++] = 0;
    for (std::uint64_t k = 1; time < span.t1; ++k) {
      time = span.t0 + double(k) * dt0;
      if (time > span.t1 - snap) time = span.t1;
      t.push_back(time);
      while (next < saves.size() && saves[next] <= time + snap) save_step[next++] = k;
    }
  }
};

// Device copies of the host inputs that the kernels read, and the arrays they write.
template <class Policy, class T>
struct ensemble_buffers {
  template <class V>
  using vector = typename ensemble_memory<Policy>::template vector<V>;

  vector<double> save;
  vector<T> x;
  vector<solve_status> status;
  vector<std::uint64_t> accepted, rejected, failed_step;
  vector<double> failed_time;

  ensemble_buffers(std::vector<double> const& times, std::size_t paths, std::size_t dim)
      : save(times.begin(), times.end()),
        x(paths * times.size() * dim, std::numeric_limits<T>::quiet_NaN()),
        status(paths),
        accepted(paths),
        rejected(paths),
        failed_step(paths, 0),
        failed_time(paths, 0.0) {}

  template <class V>
  static V* raw(vector<V>& v) {
    return ::thrust::raw_pointer_cast(v.data());
  }

  ensemble_outputs<T> outputs() {
    return {raw(x), raw(status), raw(accepted), raw(rejected), raw(failed_step), raw(failed_time)};
  }

  template <class V>
  static std::vector<V> to_host(vector<V>& v) {
    if constexpr (std::is_same_v<vector<V>, std::vector<V>>) {
      return std::move(v);
    } else {
      std::vector<V> host(v.size());
      ::thrust::copy(v.begin(), v.end(), host.begin());
      return host;
    }
  }

  ensemble_solution<T> solution(std::vector<double> const& times, std::size_t paths, std::size_t dim) {
    ensemble_solution<T> sol;
    sol.paths = paths;
    sol.dim = dim;
    sol.t = times;
    sol.x = to_host(x);
    sol.status = to_host(status);
    sol.accepted_steps = to_host(accepted);
    sol.rejected_steps = to_host(rejected);
    sol.failed_step = to_host(failed_step);
    sol.failed_time = to_host(failed_time);
    return sol;
  }
};

template <class Policy, class Kernel>
void run_kernel(Policy&& policy, Kernel const& kernel, std::size_t count) {
  ::thrust::for_each(std::forward<Policy>(policy), ::thrust::counting_iterator<std::size_t>(0),
                     ::thrust::counting_iterator<std::size_t>(count), kernel);
}

}  // namespace detail

template <class Policy, class Problem, class Method, class Brownian, class X0, class Controller = constant_step_size,
          class = std::enable_if_t<!std::is_same_v<std::decay_t<Policy>, host_backend>>>
auto solve_ensemble(Policy&& policy, Problem const& problem, Method const& method, Brownian const& brownian,
                    std::size_t paths, time_span span, double dt0, X0 const& x0,
                    solve_options<Controller> const& options = {}) {
  using problem_type = typename detail::ensemble_problem_of<Problem>::problem_type;
  using state = typename detail::ensemble_state_of<X0>::type;
  using value = detail::value_type_t<state>;
  using memory = detail::ensemble_memory<std::decay_t<Policy>>;
  constexpr bool is_ode = std::is_void_v<typename detail::problem_noise<problem_type>::type>;
  static_assert(is_ode == std::is_same_v<Brownian, no_brownian>,
                "An ODE has no noise and takes sdekit::no_brownian{}; an SDE needs a Brownian path "
                "(grid_brownian, fast_grid_brownian or ensemble_brownian_tree).");
  if constexpr (!is_ode) {
    static_assert(std::is_same_v<typename Method::calculus, typename problem_type::calculus>,
                  "The stepper solves SDEs in the other calculus (Itô vs Stratonovich) than the problem "
                  "declares: choose a stepper of the problem's calculus or convert its drift.");
    static_assert(Method::template accepts<typename problem_type::noise>,
                  "The stepper does not accept the noise structure that the problem declares; its header "
                  "lists the structures it accepts.");
    static_assert(!std::is_same_v<typename problem_type::noise, general_noise>,
                  "Per-path kernels keep fixed-size states and noise; general noise stores its n×m matrix in "
                  "a std::vector, so solve it batched or one path at a time.");
  }
  static_assert(!Controller::adaptive || Method::has_error_estimate,
                "An adaptive controller needs a stepper with an embedded error estimate; this stepper has "
                "none, so use constant_step_size.");
  static_assert(!Controller::adaptive || is_ode || std::is_same_v<Brownian, ensemble_brownian_tree>,
                "Adaptive steps leave the grid: give each path a tree, sdekit::ensemble_brownian_tree{seed}.");

  if (paths == 0) detail::fail("paths = 0 must be at least 1");
  detail::validate_span(span, dt0);
  options.controller.validate();
  std::vector<double> const times = detail::save_times(options.save_at, span);

  std::vector<state> const* x0_per_path = nullptr;
  std::vector<state> x0_shared;
  if constexpr (detail::is_std_vector<X0>::value) {
    if (x0.size() != paths) detail::fail("x0 has ", x0.size(), " states but paths = ", paths, ": give one per path");
    x0_per_path = &x0;
  } else {
    x0_shared.assign(1, x0);
  }
  std::vector<state> const& x0_host = x0_per_path ? *x0_per_path : x0_shared;
  std::size_t const dim = detail::dimension(x0_host.front());
  if (dim == 0) detail::fail("x0 is empty: the state needs at least one component");

  typename memory::template vector<state> x0_device(x0_host.begin(), x0_host.end());
  detail::initial_states<state> const initial{::thrust::raw_pointer_cast(x0_device.data()), x0_per_path ? 1u : 0u};

  auto run = [&](auto const& problems) {
    detail::ensemble_buffers<std::decay_t<Policy>, value> buffers(times, paths, dim);
    detail::ensemble_times const grid{span.t0, span.t1, dt0, ::thrust::raw_pointer_cast(buffers.save.data()),
                                      times.size(), options.max_steps, paths};
    using problems_type = std::decay_t<decltype(problems)>;
    if constexpr (is_ode && Controller::adaptive && std::is_same_v<Method, dormand_prince5> && memory::block_width > 1) {
      using kernel_type = detail::ode_lane_kernel<memory::block_width, problems_type, Controller, state>;
      std::size_t const groups = kernel_type::groups(paths);
      kernel_type const kernel{problems, options.controller, initial, grid, buffers.outputs(),
                               detail::path_order::scattered(groups)};
      detail::run_kernel(std::forward<Policy>(policy), kernel, groups);
    } else if constexpr (is_ode) {
      detail::path_kernel<problems_type, Method, Controller, state> const kernel{
          problems, method, options.controller, 0, 0.0, initial, grid, buffers.outputs(), detail::path_order::scattered(paths)};
      detail::run_kernel(std::forward<Policy>(policy), kernel, paths);
    } else if constexpr (std::is_same_v<Brownian, ensemble_brownian_tree>) {
      double const tol = brownian.tol > 0.0 ? brownian.tol : (span.t1 - span.t0) * 0x1p-20;
      detail::require_positive("ensemble_brownian_tree tol", tol);
      detail::path_kernel<problems_type, Method, Controller, state> const kernel{
          problems, method, options.controller, brownian.seed, tol, initial, grid, buffers.outputs(),
          detail::path_order::scattered(paths)};
      detail::run_kernel(std::forward<Policy>(policy), kernel, paths);
    } else {
      using normal = typename grid_normals_of<Brownian>::type;
      detail::validate_grid(span, dt0, times);
      detail::grid_schedule const schedule(span, dt0, times);
      typename memory::template vector<double> const schedule_t(schedule.t.begin(), schedule.t.end());
      typename memory::template vector<std::uint64_t> const save_step(schedule.save_step.begin(), schedule.save_step.end());
      detail::grid_schedule_view const view{::thrust::raw_pointer_cast(schedule_t.data()), schedule.t.size() - 1,
                                            ::thrust::raw_pointer_cast(save_step.data())};
      constexpr std::size_t width = memory::block_width;
      detail::grid_block_kernel<width, 16, normal, problems_type, Method, state> const kernel{
          problems, method, normal(brownian.seed()), initial, grid, buffers.outputs(), view};
      detail::run_kernel(std::forward<Policy>(policy), kernel, (paths + width - 1) / width);
    }
    return buffers.solution(times, paths, dim);
  };

  if constexpr (detail::is_parameter_ensemble<Problem>::value) {
    if (problem.params.size() != paths)
      detail::fail("parameters has ", problem.params.size(), " entries but paths = ", paths, ": give one per path");
    typename memory::template vector<typename Problem::params_type> params(problem.params.begin(), problem.params.end());
    return run(detail::problem_per_path<typename Problem::problem_type, typename Problem::params_type>{
        problem.problem, ::thrust::raw_pointer_cast(params.data())});
  } else {
    return run(detail::same_problem<Problem>{problem});
  }
}

}  // namespace sdekit
