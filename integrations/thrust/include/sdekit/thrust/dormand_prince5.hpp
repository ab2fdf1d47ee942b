// Dormand–Prince 5(4) for ODEs, written for per-path kernels: host-device, fixed-size states, no
// allocation. Order 5 with an embedded order-4 estimate err = h Σ (b_j − b*_j) k_j (Dormand & Prince
// 1980; Hairer, Nørsett & Wanner 1993, Table II.5.2). It takes the solver layer's adaptive loop
// (pi_controller) inside solve_ensemble, each path its own step size; Odeint's runge_kutta_dopri5 is
// the host, lock-step counterpart (checked to agree to its order in test_thrust_dormand_prince5).
// First same as last (FSAL): the seventh stage is f(x₁, t + h), the first of the next step, so an
// accepted step costs six drift evaluations, and a retry after a rejection six (its first stage is
// kept). The workspace remembers the (x, t) of its first and last stages and reuses one only when
// the next call starts bit for bit there, so the caller need not say whether it accepted the step
// and the results are those of evaluating every stage afresh. A workspace belongs to one problem.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/state.hpp>

// The stage loops are short and their bounds known at compile time, but g++ leaves the nested
// ones rolled: unrolled, the independent components and stages overlap, and a Lorenz step in
// solve_ensemble takes about two thirds of the time (the same arithmetic, so the same bits).
#if defined(__CUDACC__) || defined(__clang__)
#define SDEKIT_DORMAND_PRINCE5_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define SDEKIT_DORMAND_PRINCE5_UNROLL _Pragma("GCC unroll 8")
#else
#define SDEKIT_DORMAND_PRINCE5_UNROLL
#endif

namespace sdekit {

struct dormand_prince5 {
  static constexpr const char* name = "Dormand–Prince 5(4)";
  static constexpr double order = 5.0;
  /// The order q that the PI controller's exponents use: the embedded estimate's, as in Hairer et
  /// al. (§II.4), under the solver layer's name for it.
  static constexpr double strong_order = 4.0;
  static constexpr bool has_error_estimate = true;

  template <class State, class Noise>
  struct workspace {
    std::array<State, 7> k{};
    State stage{};
    // k[0] = f(x_first, t_first) and k[6] = f(x_last, t_last), where valid.
    State x_first{}, x_last{};
    double t_first = 0.0, t_last = 0.0;
    bool has_first = false, has_last = false;
  };

  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step(Problem const& problem, Brownian& brownian, State& x, double t, double h,
                               Work& work) const {
    State err{};
    step_with_error(problem, brownian, x, t, h, work, err);
  }

  template <class Problem, class Brownian, class State, class Work>
  SDEKIT_HOST_DEVICE void step_with_error(Problem const& problem, Brownian&, State& x, double t, double h, Work& work,
                                          State& err) const {
    std::size_t const n = detail::dimension(x);
    if (work.has_last && continues_at(t, x, work.t_last, work.x_last, n)) {
      work.k[0] = work.k[6];  // the step before was accepted: its last stage is this one's first
    } else if (!(work.has_first && continues_at(t, x, work.t_first, work.x_first, n))) {
      problem.drift(x, t, work.k[0]);  // not a retry of the step before from the same point
    }
    work.x_first = x;
    work.t_first = t;
    work.has_first = true;
    SDEKIT_DORMAND_PRINCE5_UNROLL
    for (std::size_t s = 1; s < 7; ++s) {
      SDEKIT_DORMAND_PRINCE5_UNROLL
      for (std::size_t i = 0; i < n; ++i)
        work.stage[i] = x[i] + h * stage_sum(s, [&](std::size_t j) { return double(work.k[j][i]); });
      problem.drift(work.stage, t + node(s) * h, work.k[s]);
    }
    SDEKIT_DORMAND_PRINCE5_UNROLL
    for (std::size_t i = 0; i < n; ++i) {
      double update, error;
      weights(update, error, [&](std::size_t j) { return double(work.k[j][i]); });
      x[i] += h * update;
      err[i] = h * error;
    }
    work.x_last = work.stage;  // where k[6] was evaluated: x₁ itself, as b = a[6] (b₇ = 0)
    work.t_last = t + node(6) * h;
    work.has_last = true;
  }

  // The arithmetic of a step, component by component, shared with the SIMD lanes of
  // solve_ensemble (ode_lane_kernel.hpp) so that both give the same bits. k(j) is component i of
  // stage j. Hairer, Nørsett & Wanner 1993, Table II.5.2; the tables are local so that device
  // code can read them.

  /// c_s: stage s is evaluated at t + c_s h.
  SDEKIT_HOST_DEVICE SDEKIT_INLINE static double node(std::size_t s) {
    constexpr double c[7] = {0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0};
    return c[s];
  }

  /// a_sj, the weight of stage j in stage s (j < s).
  SDEKIT_HOST_DEVICE SDEKIT_INLINE static double coefficient(std::size_t s, std::size_t j) {
    constexpr double a[7][6] = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    return a[s][j];
  }

  /// Σ_{j<s} a_sj k_j, summed from j = 0 up: stage s is x + h · stage_sum(s, k).
  template <class K>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE static double stage_sum(std::size_t s, K const& k) {
    double sum = 0.0;
    SDEKIT_DORMAND_PRINCE5_UNROLL
    for (std::size_t j = 0; j < s; ++j) sum += coefficient(s, j) * k(j);
    return sum;
  }

  /// Σ_j b_j k_j and Σ_j (b_j − b*_j) k_j: x₁ = x + h · update, err = h · error.
  template <class K>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE static void weights(double& update, double& error, K const& k) {
    constexpr double b[7] = {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0.0};
    constexpr double e[7] = {71.0 / 57600,      0.0,         -71.0 / 16695, 71.0 / 1920,
                             -17253.0 / 339200, 22.0 / 525, -1.0 / 40};
    update = 0.0;
    error = 0.0;
    SDEKIT_DORMAND_PRINCE5_UNROLL
    for (std::size_t j = 0; j < 7; ++j) {
      update += b[j] * k(j);
      error += e[j] * k(j);
    }
  }

  /// Whether a step from (t, x) starts bit for bit at a point where the workspace evaluated a
  /// stage: −0 is not +0, and a NaN never matches, so a broken state is evaluated afresh.
  template <class State, class Stored>
  SDEKIT_HOST_DEVICE static bool continues_at(double t, State const& x, double t_stored, Stored const& x_stored,
                                              std::size_t n) {
    if (!same_value(t, t_stored)) return false;
    for (std::size_t i = 0; i < n; ++i)
      if (!same_value(x[i], x_stored[i])) return false;
    return true;
  }

 private:
  template <class T>
  SDEKIT_HOST_DEVICE static bool same_value(T a, T b) {
    return a == b && std::signbit(a) == std::signbit(b);
  }
};

}  // namespace sdekit

#undef SDEKIT_DORMAND_PRINCE5_UNROLL
