// The per-path kernels behind solve_ensemble(). Both replay solve()'s loop (solve.hpp) step for
// step, with the same arithmetic, on fixed-size states in registers; they allocate nothing, throw
// nothing, and write the saved states, status and step counts of their paths through raw pointers.
//
//   grid_block_kernel      Width paths in lock-step on the fixed grid (the lanes of one CPU
//                          thread, or Width = 1 per GPU thread). Their normals for Steps steps
//                          at a time come from one call of the generator per pair of normals:
//                          on the CPU, SIMD lanes over paths.
//   path_kernel            one path, any controller (PI included): each path its own steps on its
//                          own fixed_brownian_tree.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/noise.hpp>
#include <sdekit/solvers/philox_normal.hpp>
#include <sdekit/solvers/solve.hpp>
#include <sdekit/solvers/state.hpp>
#include <sdekit/solvers/status.hpp>

#include "../ensemble_brownian.hpp"
#include "../fixed_brownian_tree.hpp"

// The lanes of a block are independent: under OpenMP the compiler is told to run them on SIMD
// units (it would otherwise unroll them into scalar code).
#if defined(_OPENMP) && !SDEKIT_DEVICE_CODE
#define SDEKIT_PRAGMA(text) _Pragma(#text)
#define SDEKIT_SIMD_LANES SDEKIT_PRAGMA(omp simd)
#else
#define SDEKIT_SIMD_LANES
#endif

namespace sdekit::detail {

/// The compile-time size of a fixed-size state: std::array, or a column vector that states its
/// size as Eigen does (RowsAtCompileTime > 0, ColsAtCompileTime == 1) without this header
/// including Eigen.
template <class State, class = void>
struct fixed_dimension;
template <class T, std::size_t N>
struct fixed_dimension<std::array<T, N>, void> : std::integral_constant<std::size_t, N> {};
template <class State>
struct fixed_dimension<State, std::enable_if_t<(State::RowsAtCompileTime > 0) && State::ColsAtCompileTime == 1>>
    : std::integral_constant<std::size_t, std::size_t(State::RowsAtCompileTime)> {};

/// The noise structure of a problem; void for an ODE.
template <class Problem, class = void>
struct problem_noise {
  using type = void;
};
template <class Problem>
struct problem_noise<Problem, std::void_t<typename Problem::noise>> {
  using type = typename Problem::noise;
};

/// Number of Wiener processes of a fixed-size state of N components under this noise.
template <class Noise, std::size_t N>
inline constexpr std::size_t fixed_noise_dim =
    std::is_void_v<Noise> ? 0 : (std::is_same_v<Noise, scalar_noise> ? 1 : N);

template <class T>
struct ensemble_outputs {
  T* x;                          // (paths × saves × dim)
  solve_status* status;
  std::uint64_t* accepted;
  std::uint64_t* rejected;
  std::uint64_t* failed_step;
  double* failed_time;
};

struct ensemble_times {
  double t0;
  double t1;
  double dt0;
  double const* save;  // ascending save times
  std::size_t saves;
  std::uint64_t max_steps;
  std::size_t paths;
};

/// The steps of a grid path, the same for every path: t[j] for j = 0 … steps (t[0] = t0,
/// t[steps] = t1), and save_step[s], the number of steps after which save time s is reached.
/// Made on the host (grid_schedule in solve_ensemble.hpp) by solve()'s rule for fixed steps.
struct grid_schedule_view {
  double const* t;
  std::uint64_t steps;
  std::uint64_t const* save_step;
};

template <class Problem>
struct same_problem {
  Problem problem;
  SDEKIT_HOST_DEVICE Problem const& at(std::size_t) const { return problem; }
};

template <class Parametrized, class Params>
struct problem_per_path {
  Parametrized problem;
  Params const* params;
  SDEKIT_HOST_DEVICE auto at(std::size_t path) const { return problem.refer(params[path]); }
};

/// x0 of every path from one array; stride 0 gives all paths the same x0.
template <class State>
struct initial_states {
  State const* x;
  std::size_t stride;
  SDEKIT_HOST_DEVICE State const& at(std::size_t path) const { return x[path * stride]; }
};

template <class State>
SDEKIT_HOST_DEVICE bool finite_state(State const& x) {
  for (std::size_t i = 0; i < dimension(x); ++i)
    if (!std::isfinite(double(x[i]))) return false;
  return true;
}

template <class T, class State>
SDEKIT_HOST_DEVICE void store(ensemble_outputs<T> const& out, ensemble_times const& times, std::size_t path,
                              std::size_t save, State const& x) {
  std::size_t const n = dimension(x);
  T* at = out.x + (path * times.saves + save) * n;
  for (std::size_t i = 0; i < n; ++i) at[i] = x[i];
}

template <class T>
SDEKIT_HOST_DEVICE void record_failure(ensemble_outputs<T> const& out, std::size_t path, solve_status s,
                                       std::uint64_t step, double t) {
  out.status[path] = s;
  out.failed_step[path] = step;
  out.failed_time[path] = t;
}

// solve.hpp's scaled RMS norm (Hairer et al. 1993, eq. II.4.11), as the mean square and its root:
// the SIMD lanes of ode_lane_kernel take the mean squares, which vectorise (a square root may
// set errno, which is a branch).
template <class State, class Other>
SDEKIT_HOST_DEVICE double scaled_error_mean_square(State const& err, Other const& x, State const& x_new, double rtol,
                                                   double atol) {
  double sum = 0.0;
  std::size_t const n = dimension(err);
  for (std::size_t i = 0; i < n; ++i) {
    double const a = std::fabs(double(x[i]));
    double const b = std::fabs(double(x_new[i]));
    double const e = double(err[i]) / (atol + rtol * (a < b ? b : a));
    sum += e * e;
  }
  return sum / double(n);
}

template <class State>
SDEKIT_HOST_DEVICE double scaled_error_norm(State const& err, State const& x, State const& x_new, double rtol,
                                            double atol) {
  return std::sqrt(scaled_error_mean_square(err, x, x_new, rtol, atol));
}

/// Normals of `Width` consecutive paths for pair k: first[l], second[l] of path first_path + l.
template <std::size_t Width, class Normal>
SDEKIT_HOST_DEVICE void lane_pairs(Normal const& normal, std::uint64_t first_path, std::uint64_t k,
                                   std::uint32_t stream, double* first, double* second) {
  if constexpr (std::is_same_v<Normal, philox_normal>) {
    for (std::size_t l = 0; l < Width; ++l) {
      normal_pair const p = normal.pair(first_path + l, k, stream);
      first[l] = p.first;
      second[l] = p.second;
    }
  } else {
    normal.template pairs<Width>(first_path, k, stream, first, second);
  }
}

// The normals of one block of paths for Steps grid steps at a time, laid out [normal][lane]:
// normal index k·M + j of each path is grid_brownian's increment k, component j.
template <std::size_t Width, std::size_t Steps, std::size_t M, class Normal>
struct block_normals {
  static_assert(Steps % 2 == 0, "A chunk holds whole pairs of normals.");
  static constexpr std::uint32_t area_stream = 1;  // grid_brownian's stream for ΔZ
  static constexpr std::size_t width = Width;

  SDEKIT_HOST_DEVICE block_normals(Normal const& n, std::uint64_t first, double step_size)
      : normal(n), first_path(first), dt(step_size), sqrt_dt(std::sqrt(step_size)) {}

  Normal normal;
  std::uint64_t first_path;
  double dt;
  double sqrt_dt;
  std::uint64_t step = 0;  // grid index of the step being taken
  std::uint64_t chunk = ~std::uint64_t(0);
  std::uint64_t area_chunk = ~std::uint64_t(0);
  double const* current = nullptr;  // normals of the current step, [component][lane]
  double z[Steps * M][Width];
  double area[Steps * M][Width];

  SDEKIT_HOST_DEVICE void fill(double (*out)[Width], std::uint64_t c, std::uint32_t stream) {
    std::uint64_t const first_pair = c * Steps * M / 2;
    for (std::size_t q = 0; q < Steps * M / 2; ++q)
      lane_pairs<Width>(normal, first_path, first_pair + q, stream, out[2 * q], out[2 * q + 1]);
  }

  /// Makes the normals of grid step k current (filling the next chunk when k leaves this one).
  SDEKIT_HOST_DEVICE void prepare(std::uint64_t k) {
    step = k;
    std::uint64_t const c = k / Steps;
    if (c != chunk) {
      fill(z, c, 0);
      chunk = c;
    }
    current = &z[(k % Steps) * M][0];
  }

  SDEKIT_HOST_DEVICE double const* area_normals() {
    std::uint64_t const c = step / Steps;
    if (c != area_chunk) {
      fill(area, c, area_stream);
      area_chunk = c;
    }
    return &area[(step % Steps) * M][0];
  }
};

// One lane's view of its block's normals, with grid_brownian's increment formulas.
template <class Block>
struct lane_brownian {
  Block* block;
  std::size_t lane;

  template <class Vector>
  SDEKIT_HOST_DEVICE void increment(double, double, Vector& dW) const {
    using value = std::decay_t<decltype(dW[0])>;
    double const* z = block->current;
    double const scale = block->sqrt_dt;
    for (std::size_t j = 0; j < dimension(dW); ++j) {
      dW[j] = static_cast<value>(z[j * Block::width + lane]);
      dW[j] = static_cast<value>(scale * dW[j]);
    }
  }

  template <class Vector>
  SDEKIT_HOST_DEVICE void increment(double, double, Vector& dW, Vector& dZ) const {
    using value = std::decay_t<decltype(dW[0])>;
    double const* z = block->current;
    double const* a = block->area_normals();
    double const h = block->dt;
    for (std::size_t j = 0; j < dimension(dW); ++j) {
      dW[j] = static_cast<value>(z[j * Block::width + lane]);
      dZ[j] = static_cast<value>(a[j * Block::width + lane]);
      double const w = std::sqrt(h) * double(dW[j]);
      double const u = std::sqrt(h / 3.0) * double(dZ[j]);
      dW[j] = static_cast<value>(w);
      dZ[j] = static_cast<value>(0.5 * h * (w + u));
    }
  }
};

template <std::size_t Width, std::size_t Steps, class Normal, class Problems, class Method, class State>
struct grid_block_kernel {
  using value = value_type_t<State>;
  using problem_type = std::decay_t<decltype(std::declval<Problems const&>().at(0))>;
  using noise = typename problem_type::noise;
  using work_type = typename Method::template workspace<State, noise>;
  static constexpr std::size_t n = fixed_dimension<State>::value;
  static constexpr std::size_t m = fixed_noise_dim<noise, n>;

  Problems problems;
  Method method;
  Normal normal;
  initial_states<State> x0;
  ensemble_times times;
  ensemble_outputs<value> out;
  grid_schedule_view schedule;

  SDEKIT_HOST_DEVICE void operator()(std::size_t block_index) const {
    std::size_t const first = block_index * Width;
    block_normals<Width, Steps, m, Normal> normals(normal, first, times.dt0);
    State x[Width];
    work_type work[Width];
    bool running[Width];
    std::size_t live = 0;
    for (std::size_t l = 0; l < Width; ++l) {
      std::size_t const path = first + l;
      running[l] = path < times.paths;
      x[l] = x0.at(running[l] ? path : first);
      if (!running[l]) continue;
      out.rejected[path] = 0;
      out.accepted[path] = 0;
      out.status[path] = solve_status::success;
      if (!finite_state(x[l])) {
        record_failure(out, path, solve_status::non_finite_state, 0, times.t0);
        running[l] = false;
      }
      live += running[l];
    }
    std::size_t next_save = 0;
    save_reached(x, running, first, next_save, 0);
    std::uint64_t const steps = schedule.steps < times.max_steps ? schedule.steps : times.max_steps;
    std::uint64_t accepted = 0;
    lane_health health;
    for (; accepted < steps && live > 0; ++accepted) {
      double const t = schedule.t[accepted];
      double const step = schedule.t[accepted + 1] - t;
      normals.prepare(accepted);
      // Every lane steps, failed and padding lanes too (they are never stored), so that the loop
      // has no branch and the compiler can run the lanes on SIMD units.
      SDEKIT_SIMD_LANES
      for (std::size_t l = 0; l < Width; ++l) {
        lane_brownian<decltype(normals)> brownian{&normals, l};
        method.step(problems.at(first + l < times.paths ? first + l : first), brownian, x[l], t, step, work[l]);
      }
      health.count(x);
      bool const saving = next_save < times.saves && schedule.save_step[next_save] == accepted + 1;
      if (saving || (accepted + 1) % Steps == 0) health.retire(out, schedule, running, live, first, accepted + 1);
      if (saving) save_reached(x, running, first, next_save, accepted + 1);
    }
    health.retire(out, schedule, running, live, first, accepted);
    for (std::size_t l = 0; l < Width; ++l) {
      if (!running[l]) continue;
      if (accepted < schedule.steps)
        record_failure(out, first + l, solve_status::max_steps_reached, accepted, schedule.t[accepted]);
      out.accepted[first + l] = accepted;
    }
  }

  // Stores the running lanes at every save time that `step` steps reach.
  SDEKIT_HOST_DEVICE void save_reached(State const* x, bool const* running, std::size_t first, std::size_t& next,
                                       std::uint64_t step) const {
    while (next < times.saves && schedule.save_step[next] == step) {
      for (std::size_t l = 0; l < Width; ++l)
        if (running[l]) store(out, times, first + l, next, x[l]);
      ++next;
    }
  }

  // Which lanes have failed, and at which step, found without a test per step: the steppers
  // update x ← x + increments, so a state that is not finite (NaN, ±∞) stays so, and the number
  // of steps after which a lane's state was finite is the step before its failure. Counting is
  // a SIMD compare and add per step; the lanes are looked at every Steps steps, before each save
  // and at the end.
  struct lane_health {
    std::uint64_t finite_steps[Width] = {};

    SDEKIT_HOST_DEVICE void count(State const* x) {
      constexpr value largest = std::numeric_limits<value>::max();
      SDEKIT_SIMD_LANES
      for (std::size_t l = 0; l < Width; ++l) {
        std::uint64_t finite = 1;
        for (std::size_t i = 0; i < n; ++i) finite &= std::uint64_t(std::fabs(x[l][i]) <= largest);
        finite_steps[l] += finite;
      }
    }

    // Records the failure of every running lane that has failed since the last look.
    SDEKIT_HOST_DEVICE void retire(ensemble_outputs<value> const& out, grid_schedule_view const& schedule,
                                   bool* running, std::size_t& live, std::size_t first, std::uint64_t accepted) const {
      for (std::size_t l = 0; l < Width; ++l) {
        if (!running[l] || finite_steps[l] == accepted) continue;
        std::uint64_t const failed = finite_steps[l] + 1;
        record_failure(out, first + l, solve_status::non_finite_state, failed, schedule.t[failed]);
        out.accepted[first + l] = failed;
        running[l] = false;
        --live;
      }
    }
  };
};

/// The order in which the work items of a parallel loop take the paths: item i solves path
/// i·stride mod P, with stride coprime to P. Adaptive paths cost what their problem needs, and in a
/// parameter sweep the cost follows the index (small ρ of a Lorenz sweep settles, large ρ is
/// chaotic); a backend that gives each thread a contiguous range of items (OpenMP's static
/// schedule) then hands one thread most of the work. A stride near P/φ spreads neighbouring paths
/// over the whole range. Results are per path, so the order changes no bits.
struct path_order {
  std::uint64_t paths = 1;
  std::uint64_t stride = 1;

  static path_order scattered(std::uint64_t paths) {
    std::uint64_t stride = std::uint64_t(double(paths) * 0.6180339887498949) | 1u;
    while (stride > 1 && gcd(stride, paths) != 1) stride += 2;
    return {paths, paths > 2 ? stride % paths : 1};
  }

  SDEKIT_HOST_DEVICE std::size_t path(std::size_t index) const {
    return std::size_t((std::uint64_t(index) * stride) % paths);
  }

 private:
  static std::uint64_t gcd(std::uint64_t a, std::uint64_t b) {
    while (b != 0) {
      std::uint64_t const r = a % b;
      a = b;
      b = r;
    }
    return a;
  }
};

template <class Problems, class Method, class Controller, class State>
struct path_kernel {
  using value = value_type_t<State>;
  using problem_type = std::decay_t<decltype(std::declval<Problems const&>().at(0))>;
  using noise = typename problem_noise<problem_type>::type;
  using work_type = typename Method::template workspace<State, noise>;
  static constexpr std::size_t n = fixed_dimension<State>::value;
  static constexpr std::size_t m = fixed_noise_dim<noise, n>;

  Problems problems;
  Method method;
  Controller controller;
  std::uint64_t seed;
  double tree_tol;
  initial_states<State> x0;
  ensemble_times times;
  ensemble_outputs<value> out;
  path_order order;

  SDEKIT_HOST_DEVICE void operator()(std::size_t index) const {
    std::size_t const path = order.path(index);
    out.status[path] = solve_status::success;
    out.accepted[path] = 0;
    out.rejected[path] = 0;
    State x = x0.at(path);
    if (!finite_state(x)) {
      record_failure(out, path, solve_status::non_finite_state, 0, times.t0);
      return;
    }
    auto const problem = problems.at(path);
    work_type work{};
    if constexpr (m == 0) {
      no_brownian none;
      solve_path(problem, none, x, work, path);
    } else {
      fixed_brownian_tree<m> brownian(seed, path, times.t0, times.t1, tree_tol);
      solve_path(problem, brownian, x, work, path);
    }
  }

  // solve()'s loop (solve.hpp), one path.
  template <class Problem, class Brownian>
  SDEKIT_HOST_DEVICE void solve_path(Problem const& problem, Brownian& brownian, State& x, work_type& work,
                                     std::size_t path) const {
    double const snap = grid_snap(times.dt0);
    double const reach = Controller::adaptive ? 0.0 : snap;  // as in solve()
    double const order = Method::strong_order;
    double t = times.t0;
    double h = times.dt0;
    double e_prev = 1.0;
    State trial = x;
    State err = x;
    std::uint64_t k = 0, accepted = 0, rejected = 0;
    std::size_t next_save = 0;
    save_reached(x, path, next_save, t);
    while (t < times.t1) {
      if (accepted + rejected >= times.max_steps) {
        record_failure(out, path, solve_status::max_steps_reached, accepted, t);
        break;
      }
      double t_next = Controller::adaptive ? t + h : times.t0 + double(k + 1) * times.dt0;
      if (next_save < times.saves && times.save[next_save] < t_next - reach) t_next = times.save[next_save];
      if (t_next > times.t1 - snap) t_next = times.t1;
      double const step = t_next - t;
      if constexpr (Controller::adaptive) {
        trial = x;
        method.step_with_error(problem, brownian, trial, t, step, work, err);
        if (!finite_state(trial)) {
          record_failure(out, path, solve_status::non_finite_state, accepted + 1, t_next);
          break;
        }
        double const e = scaled_error_norm(err, x, trial, controller.rtol, controller.atol);
        double const dt_min = controller.dt_min > 0.0 ? controller.dt_min : 1e-14 * (times.t1 - times.t0);
        if (!(e <= 1.0)) {
          ++rejected;
          h = step * controller.reject_factor(e, order);
          if (h < dt_min) {
            record_failure(out, path, solve_status::step_size_underflow, accepted, t);
            break;
          }
          continue;
        }
        x = trial;
        h = step * controller.accept_factor(e, e_prev, order);
        e_prev = e;
      } else {
        method.step(problem, brownian, x, t, step, work);
        if (t_next >= times.t0 + double(k + 1) * times.dt0 - snap) ++k;
      }
      t = t_next;
      ++accepted;
      if (!finite_state(x)) {
        record_failure(out, path, solve_status::non_finite_state, accepted, t);
        break;
      }
      save_reached(x, path, next_save, t + reach);
    }
    out.accepted[path] = accepted;
    out.rejected[path] = rejected;
  }

  SDEKIT_HOST_DEVICE void save_reached(State const& x, std::size_t path, std::size_t& next, double t) const {
    while (next < times.saves && times.save[next] <= t) store(out, times, path, next++, x);
  }
};

}  // namespace sdekit::detail
