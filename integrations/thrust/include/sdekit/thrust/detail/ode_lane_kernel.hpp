// The per-path adaptive Dormand–Prince 5(4) of ODE ensembles on the CPU, with the paths on SIMD
// lanes. path_kernel (ensemble_kernels.hpp) runs one path per work item in scalar code; here a
// work item takes a group of consecutive paths and runs Width of them at once, each lane with its
// own t, step size, error history and save times, its state and stages held component by
// component across the lanes ([component][lane]), so that the stages of all lanes are computed by
// one vector instruction each. A lane whose path has ended takes the group's next path, so lanes
// do not wait for the slowest path of the group; consecutive paths of a parameter sweep cost
// about the same, which keeps the lanes busy until the group's last paths.
//
// Every lane replays solve()'s loop (solve.hpp) for its path as path_kernel does, with the
// stepper's own arithmetic (dormand_prince5::stage_sum, weights, continues_at) and the
// controller's factors, so each path gets the bits that path_kernel, and a CUDA thread, give it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/solve.hpp>
#include <sdekit/solvers/state.hpp>
#include <sdekit/solvers/status.hpp>

#include "../dormand_prince5.hpp"
#include "ensemble_kernels.hpp"
#include "independent_lanes.hpp"

namespace sdekit::detail {

/// Component i of one lane of a [component][lane] array, indexed like a state.
template <class T, std::size_t Width>
struct lane_view {
  T* data;
  SDEKIT_HOST_DEVICE T& operator[](std::size_t i) const { return data[i * Width]; }
};

/// f(0), f(1), …, f(N − 1), each index a compile-time constant (std::integral_constant).
template <class F, std::size_t... I>
SDEKIT_HOST_DEVICE SDEKIT_INLINE void each_index(F&& f, std::index_sequence<I...>) {
  (f(std::integral_constant<std::size_t, I>{}), ...);
}
template <std::size_t N, class F>
SDEKIT_HOST_DEVICE SDEKIT_INLINE void each_index(F&& f) {
  each_index(f, std::make_index_sequence<N>{});
}

template <std::size_t Width, class Problems, class Controller, class State>
struct ode_lane_kernel {
  using value = value_type_t<State>;
  using method = dormand_prince5;
  static constexpr std::size_t n = fixed_dimension<State>::value;
  static constexpr std::size_t group = 8 * Width;  // paths per work item

  Problems problems;
  Controller controller;
  initial_states<State> x0;
  ensemble_times times;
  ensemble_outputs<value> out;
  path_order order;  // over the groups

  static std::size_t groups(std::size_t paths) { return (paths + group - 1) / group; }

  // The lanes of one work item. Stage s of lane l, component i, is k[s][i][l]; last holds the
  // point where stage 6 was evaluated (x₁, as b = a₆), which an accepted step starts from.
  struct lanes {
    value x[n][Width];
    value trial[n][Width];
    value last[n][Width];
    value k[7][n][Width];
    double t[Width];
    double t_next[Width];  // the end of the try
    double step[Width];    // t_next − t
    double h[Width];
    double e[Width];              // the scaled error norm of the try
    double log_e[Width];          // pi_controller::log_error(e)
    double accept_factor[Width];  // the controller's factors for the step after the try
    double reject_factor[Width];
    double log_e_prev[Width];  // pi_controller::log_error of the last accepted step's error
    std::size_t path[Width];
    std::size_t next_save[Width];
    std::uint64_t accepted[Width];
    std::uint64_t rejected[Width];
    bool running[Width];
  };

  SDEKIT_HOST_DEVICE void operator()(std::size_t index) const {
    std::size_t const first = order.path(index) * group;
    std::size_t const end = first + group < times.paths ? first + group : times.paths;
    lanes L{};  // zeroed: a lane that never gets a path computes on defined values
    std::size_t next = first;
    std::size_t live = 0;
    for (std::size_t l = 0; l < Width; ++l) {
      L.path[l] = first;  // an idle lane computes on a valid path, and stores nothing
      L.running[l] = false;
      next = start(L, l, next, end);
      live += L.running[l];
    }
    while (live > 0) {
      attempt(L);
      for (std::size_t l = 0; l < Width; ++l) {
        if (!L.running[l] || advance(L, l)) continue;
        next = start(L, l, next, end);
        live -= !L.running[l];
      }
    }
  }

  // Puts the first path from `next` on that can step on lane l (paths whose x0 is not finite or
  // that may take no step end at once), and returns the path after it.
  SDEKIT_HOST_DEVICE std::size_t start(lanes& L, std::size_t l, std::size_t next, std::size_t end) const {
    for (; next < end; ++next) {
      std::size_t const p = next;
      out.status[p] = solve_status::success;
      out.accepted[p] = 0;
      out.rejected[p] = 0;
      State const& x = x0.at(p);
      if (!finite_state(x)) {
        record_failure(out, p, solve_status::non_finite_state, 0, times.t0);
        continue;
      }
      L.path[l] = p;
      L.t[l] = times.t0;
      L.h[l] = times.dt0;
      L.log_e_prev[l] = 0.0;  // log_error(1), solve()'s e_prev before the first step
      L.accepted[l] = 0;
      L.rejected[l] = 0;
      L.next_save[l] = 0;
      for (std::size_t i = 0; i < n; ++i) L.x[i][l] = x[i];
      save_reached(L, l);
      if (times.max_steps == 0 && times.t0 < times.t1) {
        record_failure(out, p, solve_status::max_steps_reached, 0, times.t0);
        continue;
      }
      evaluate_first_stage(L, l);
      plan_step(L, l);
      L.running[l] = true;
      return next + 1;
    }
    L.running[l] = false;
    return next;
  }

  // One try of every lane: the six stages and the error norm, as vector code over the lanes. Each
  // stage first sums Σ_{j<s} a_sj k_j in stage_sum's order, one lane loop per term, then calls the
  // right-hand side in a lane loop of its own: one copy of the right-hand side for the six stages,
  // which g++ inlines and vectorises whatever the translation unit around it (six inlined copies
  // exceed its inlining budgets in a large one, and the loop then stays scalar).
  SDEKIT_HOST_DEVICE void attempt(lanes& L) const {
    double sum[n][Width];
    for (std::size_t s = 1; s < 7; ++s) {
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t l = 0; l < Width; ++l) sum[i][l] = 0.0;
      for (std::size_t j = 0; j < s; ++j) {
        double const a = method::coefficient(s, j);
        for (std::size_t i = 0; i < n; ++i) {
          SDEKIT_INDEPENDENT_LANES
          for (std::size_t l = 0; l < Width; ++l) sum[i][l] += a * double(L.k[j][i][l]);
        }
      }
      double const c = method::node(s);
      SDEKIT_INDEPENDENT_LANES
      for (std::size_t l = 0; l < Width; ++l) {
        State y{}, f{};
        each_index<n>([&](auto i) { y[i] = L.x[i][l] + L.step[l] * sum[i][l]; });
        problems.at(L.path[l]).drift(y, L.t[l] + c * L.step[l], f);
        each_index<n>([&](auto i) { L.k[s][i][l] = f[i]; });
      }
    }
    for (std::size_t i = 0; i < n; ++i)  // stage 6's point x₁, as above
      for (std::size_t l = 0; l < Width; ++l) L.last[i][l] = L.x[i][l] + L.step[l] * sum[i][l];
    SDEKIT_INDEPENDENT_LANES
    for (std::size_t l = 0; l < Width; ++l) {
      State err{}, x{}, x_new{};
      each_index<n>([&](auto i) SDEKIT_INLINE_LAMBDA {
        double update, error;
        method::weights(update, error, [&](std::size_t j) SDEKIT_INLINE_LAMBDA { return double(L.k[j][i][l]); });
        x[i] = L.x[i][l];
        x_new[i] = L.x[i][l];
        x_new[i] += L.step[l] * update;
        err[i] = L.step[l] * error;
        L.trial[i][l] = x_new[i];
      });
      L.e[l] = scaled_error_mean_square(err, x, x_new, controller.rtol, controller.atol);
    }
    for (std::size_t l = 0; l < Width; ++l) L.e[l] = std::sqrt(L.e[l]);  // scalar: a root may set errno
    double const order = method::strong_order;
    double const smallest_factor = controller.min_factor;  // read once: a load under a condition is a branch
    constexpr double largest = std::numeric_limits<double>::max();
    SDEKIT_INDEPENDENT_LANES
    for (std::size_t l = 0; l < Width; ++l) {
      double const log_e = controller.log_error(L.e[l]);
      double const reject = controller.reject_factor_from_log(log_e, order);
      L.log_e[l] = log_e;
      L.accept_factor[l] = controller.accept_factor_from_logs(log_e, L.log_e_prev[l], order);
      L.reject_factor[l] = L.e[l] <= largest ? reject : smallest_factor;  // reject_factor(e) for any e
    }
  }

  // solve()'s bookkeeping after a try of lane l: accept or reject, saves, failures, the next
  // step. Returns whether the lane's path goes on.
  SDEKIT_HOST_DEVICE bool advance(lanes& L, std::size_t l) const {
    std::size_t const p = L.path[l];
    lane_view<value, Width> const trial{&L.trial[0][l]};
    if (!finite_state_view(trial)) return fail(L, l, solve_status::non_finite_state, L.accepted[l] + 1, L.t_next[l]);
    if (!(L.e[l] <= 1.0)) {
      ++L.rejected[l];
      L.h[l] = L.step[l] * L.reject_factor[l];
      double const dt_min = controller.dt_min > 0.0 ? controller.dt_min : 1e-14 * (times.t1 - times.t0);
      if (L.h[l] < dt_min) return fail(L, l, solve_status::step_size_underflow, L.accepted[l], L.t[l]);
    } else {
      accept(L, l);
      L.h[l] = L.step[l] * L.accept_factor[l];
      L.log_e_prev[l] = L.log_e[l];
      save_reached(L, l);
      if (!(L.t[l] < times.t1)) {
        out.accepted[p] = L.accepted[l];
        out.rejected[p] = L.rejected[l];
        return false;
      }
    }
    if (L.accepted[l] + L.rejected[l] >= times.max_steps)
      return fail(L, l, solve_status::max_steps_reached, L.accepted[l], L.t[l]);
    plan_step(L, l);
    return true;
  }

  // x ← x̃, t ← t + step, and the next step's first stage: the last stage of this one when the
  // step starts there bit for bit (first same as last), as dormand_prince5::step_with_error does.
  SDEKIT_HOST_DEVICE void accept(lanes& L, std::size_t l) const {
    double const t_last = L.t[l] + method::node(6) * L.step[l];
    lane_view<value, Width> const trial{&L.trial[0][l]}, last{&L.last[0][l]};
    bool const continues = method::continues_at(L.t_next[l], trial, t_last, last, n);
    for (std::size_t i = 0; i < n; ++i) L.x[i][l] = L.trial[i][l];
    L.t[l] = L.t_next[l];
    ++L.accepted[l];
    if (continues) {
      for (std::size_t i = 0; i < n; ++i) L.k[0][i][l] = L.k[6][i][l];
    } else {
      evaluate_first_stage(L, l);
    }
  }

  SDEKIT_HOST_DEVICE void evaluate_first_stage(lanes& L, std::size_t l) const {
    State x{}, f{};
    for (std::size_t i = 0; i < n; ++i) x[i] = L.x[i][l];
    problems.at(L.path[l]).drift(x, L.t[l], f);
    for (std::size_t i = 0; i < n; ++i) L.k[0][i][l] = f[i];
  }

  // The end of the next try: t + h, cut at the next save time and at t1 (solve()'s rule).
  SDEKIT_HOST_DEVICE void plan_step(lanes& L, std::size_t l) const {
    double const t = L.t[l];
    double t_next = t + L.h[l];
    std::size_t const s = L.next_save[l];
    if (s < times.saves && times.save[s] < t_next) t_next = times.save[s];
    if (t_next > times.t1 - grid_snap(times.dt0)) t_next = times.t1;
    L.t_next[l] = t_next;
    L.step[l] = t_next - t;
  }

  SDEKIT_HOST_DEVICE void save_reached(lanes& L, std::size_t l) const {
    lane_view<value, Width> const x{&L.x[0][l]};
    while (L.next_save[l] < times.saves && times.save[L.next_save[l]] <= L.t[l]) {
      value* at = out.x + (L.path[l] * times.saves + L.next_save[l]++) * n;
      for (std::size_t i = 0; i < n; ++i) at[i] = x[i];
    }
  }

  SDEKIT_HOST_DEVICE bool fail(lanes& L, std::size_t l, solve_status s, std::uint64_t step, double t) const {
    record_failure(out, L.path[l], s, step, t);
    out.accepted[L.path[l]] = L.accepted[l];
    out.rejected[L.path[l]] = L.rejected[l];
    return false;
  }

  static SDEKIT_HOST_DEVICE bool finite_state_view(lane_view<value, Width> const& x) {
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(double(x[i]))) return false;
    return true;
  }
};

}  // namespace sdekit::detail

