// Convergence studies against exact solutions (DESIGN.md §5). Strong: E|X_T − X(T)| over N paths at
// dt = T·2^-k for k = coarsest_level..finest_level, each path solved at every dt on the same
// brownian_tree(seed, path, 0, T), so the sweep measures the method and not the sampling; the order is
// the least-squares slope of log error against log dt. Weak: E φ(X_T) − E φ(X(T)) estimated by
// same-path differences, mean(φ(X_T) − φ(X(T))): the exact solution on each path is a control variate
// whose mean is known, so the Monte Carlo error shrinks with the strong error instead of staying at
// sd(φ(X(T)))/√N; the plain sample mean of φ(X(T)) is reported beside the exact moment as a check.
//
//   sdekit::convergence_options options;
//   options.seed = 3;
//   auto r = sdekit::strong_convergence(sdekit::catalogue::geometric_brownian_motion{}, sdekit::milstein{},
//                                       options);
//   std::cout << r.table();   // dt, error, standard error, and the fitted order
//   auto [em, mil] = sdekit::strong_convergence_each(entry, options, sdekit::euler_maruyama{}, sdekit::milstein{});
//
// Speed: each path's tree is descended once, to the finest step, and recorded (fine_grid_path); the
// coarser steps sum the recorded increments, so they see the tree's path to rounding, and a sweep of
// 10⁴ paths over dt = 2⁻³..2⁻¹⁰ costs about one solve at the finest step per path.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "brownian_tree.hpp"
#include "detail/fine_grid_path.hpp"
#include "errors.hpp"
#include "solve.hpp"

namespace sdekit {

struct convergence_options {
  std::uint64_t seed = 1;
  std::size_t paths = 10'000;
  int coarsest_level = 3;  ///< largest step dt = T·2^-coarsest_level
  int finest_level = 10;   ///< smallest step dt = T·2^-finest_level
  double t1 = 1.0;         ///< T; every solve runs on [0, T]
};

/// Errors per step size and the least-squares slope of log error against log dt.
struct convergence_result {
  std::vector<double> dt;
  std::vector<double> error;           ///< strong: E|X_T − X(T)|; weak: |E φ(X_T) − E φ(X(T))|
  std::vector<double> standard_error;  ///< Monte Carlo standard error of each error
  double order = 0.0;                  ///< fitted slope

  /// A table a person can read: one line per dt, then the fitted order.
  std::string table() const {
    std::string out = "        dt          error     std. error\n";
    for (std::size_t i = 0; i < dt.size(); ++i)
      out += detail::concat("  ", format(dt[i]), "  ", format(error[i]), "  ", format(standard_error[i]), "\n");
    char fitted[48];
    std::snprintf(fitted, sizeof fitted, "  fitted order %.3f\n", order);
    return out + fitted;
  }

 private:
  static std::string format(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%12.5e", v);
    return buffer;
  }
};

/// A weak study of one test function φ: the error per dt, and the check of the exact moment.
struct weak_convergence_result : convergence_result {
  double exact_moment = 0.0;           ///< E φ(X(T)) as given
  double sampled_moment = 0.0;         ///< mean φ(X(T)) over the paths' exact solutions
  double sampled_moment_error = 0.0;   ///< its Monte Carlo standard error
};

/// Least-squares slope of log y against log x.
inline double fitted_order(std::vector<double> const& x, std::vector<double> const& y) {
  if (x.size() != y.size() || x.size() < 2)
    detail::fail("fitted_order needs two equal-length series of at least 2 points, got ", x.size(), " and ", y.size());
  double const n = double(x.size());
  double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    double const lx = std::log(x[i]);
    double const ly = std::log(y[i]);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

namespace detail {

inline void validate_convergence_options(convergence_options const& o) {
  if (o.paths < 2) fail("paths = ", o.paths, " must be at least 2");
  if (o.coarsest_level < 0) fail("coarsest_level = ", o.coarsest_level, " must be non-negative");
  if (o.finest_level <= o.coarsest_level)
    fail("finest_level = ", o.finest_level, " must exceed coarsest_level = ", o.coarsest_level);
  require_positive("t1", o.t1);
}

inline std::vector<double> step_sizes(convergence_options const& o) {
  std::vector<double> dt;
  for (int k = o.coarsest_level; k <= o.finest_level; ++k) dt.push_back(o.t1 * std::ldexp(1.0, -k));
  return dt;
}

// Running mean and variance (Welford), for standard errors.
struct running_moments {
  std::size_t n = 0;
  double mean = 0.0;
  double m2 = 0.0;

  void add(double v) {
    ++n;
    double const d = v - mean;
    mean += d / double(n);
    m2 += d * (v - mean);
  }
  double standard_error() const { return std::sqrt(m2 / double(n - 1) / double(n)); }
};

// For every path: records the tree once, then for each (problem, method) pair i and step size k calls
// visit(i, k, X_T, X(T)).
template <class State, class Exact, class Visit, class... Pairs>
void sweep_paths(State const& x0, Exact const& exact, convergence_options const& o, std::vector<double> const& dt,
                 Visit&& visit, Pairs const&... pairs) {
  std::size_t const m = std::get<0>(std::tie(pairs...)).first.noise_dim(dimension(x0));
  for (std::size_t p = 0; p < o.paths; ++p) {
    brownian_tree w(o.seed, p, 0.0, o.t1, 0.0, m);
    State const x_exact = exact(x0, o.t1, w);
    fine_grid_path const path(w, std::size_t(1) << o.finest_level);
    std::size_t i = 0;
    auto const run = [&](auto const& pair) {
      for (std::size_t k = 0; k < dt.size(); ++k) {
        auto const sol = solve(pair.first, pair.second, path, {0.0, o.t1}, dt[k], x0);
        visit(i, k, sol.value(), x_exact);
      }
      ++i;
    };
    (run(pairs), ...);
  }
}

template <class A, class B>
double distance(A const& a, B const& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < dimension(a); ++i) {
    double const d = double(a[i]) - double(b[i]);
    sum += d * d;
  }
  return std::sqrt(sum);
}

}  // namespace detail

/// Strong errors E|X_T − X(T)| (Euclidean norm) against exact(x0, T, tree) of several (problem,
/// method) pairs on the same paths, which are then generated once.
template <class State, class Exact, class... Pairs>
std::array<convergence_result, sizeof...(Pairs)> strong_convergence_of_pairs(State const& x0, Exact const& exact,
                                                                            convergence_options const& options,
                                                                            Pairs const&... pairs) {
  detail::validate_convergence_options(options);
  std::vector<double> const dt = detail::step_sizes(options);
  constexpr std::size_t n = sizeof...(Pairs);
  std::vector<detail::running_moments> err(n * dt.size());
  detail::sweep_paths(
      x0, exact, options, dt,
      [&](std::size_t i, std::size_t k, State const& x, State const& x_exact) {
        err[i * dt.size() + k].add(detail::distance(x, x_exact));
      },
      pairs...);
  std::array<convergence_result, n> out;
  for (std::size_t i = 0; i < n; ++i) {
    out[i].dt = dt;
    for (std::size_t k = 0; k < dt.size(); ++k) {
      out[i].error.push_back(err[i * dt.size() + k].mean);
      out[i].standard_error.push_back(err[i * dt.size() + k].standard_error());
    }
    out[i].order = fitted_order(out[i].dt, out[i].error);
  }
  return out;
}

/// Strong error of method on problem against exact(x0, T, tree).
template <class Problem, class Method, class State, class Exact>
convergence_result strong_convergence(Problem const& problem, Method const& method, State const& x0,
                                      Exact const& exact, convergence_options const& options = {}) {
  return strong_convergence_of_pairs(x0, exact, options, std::pair<Problem, Method>(problem, method))[0];
}

/// Strong errors of several methods on a catalogue entry, each in its own calculus, on the same paths.
template <class Entry, class... Methods>
std::array<convergence_result, sizeof...(Methods)> strong_convergence_each(Entry const& entry,
                                                                          convergence_options const& options,
                                                                          Methods const&... methods) {
  auto const exact = [&entry](auto const& x0, double t, brownian_tree& w) { return entry.exact(x0, t, w); };
  return strong_convergence_of_pairs(
      entry.x0(), exact, options, std::make_pair(entry.template problem<typename Methods::calculus>(), methods)...);
}

/// Strong error of method on a catalogue entry, in the method's calculus.
template <class Entry, class Method>
convergence_result strong_convergence(Entry const& entry, Method const& method,
                                      convergence_options const& options = {}) {
  return strong_convergence_each(entry, options, method)[0];
}

/// A test function φ and its exact expectation E φ(X(T)).
template <class State>
struct test_function {
  std::string name;
  std::function<double(State const&)> phi;
  double exact_expectation;
};

/// Weak errors |E φ(X_T) − E φ(X(T))| for each test function, by same-path differences.
template <class Problem, class Method, class State, class Exact>
std::vector<weak_convergence_result> weak_convergence(Problem const& problem, Method const& method,
                                                      State const& x0, Exact const& exact,
                                                      std::vector<test_function<State>> const& functions,
                                                      convergence_options const& options = {}) {
  detail::validate_convergence_options(options);
  std::vector<double> const dt = detail::step_sizes(options);
  std::size_t const nf = functions.size();
  std::vector<detail::running_moments> bias(nf * dt.size());
  std::vector<detail::running_moments> moment(nf);
  detail::sweep_paths(
      x0, exact, options, dt,
      [&](std::size_t, std::size_t k, State const& x, State const& x_exact) {
        for (std::size_t f = 0; f < nf; ++f) {
          double const at_exact = functions[f].phi(x_exact);
          bias[f * dt.size() + k].add(functions[f].phi(x) - at_exact);
          if (k == 0) moment[f].add(at_exact);
        }
      },
      std::pair<Problem, Method>(problem, method));
  std::vector<weak_convergence_result> out(nf);
  for (std::size_t f = 0; f < nf; ++f) {
    auto& r = out[f];
    r.dt = dt;
    for (std::size_t k = 0; k < dt.size(); ++k) {
      r.error.push_back(std::fabs(bias[f * dt.size() + k].mean));
      r.standard_error.push_back(bias[f * dt.size() + k].standard_error());
    }
    r.order = fitted_order(r.dt, r.error);
    r.exact_moment = functions[f].exact_expectation;
    r.sampled_moment = moment[f].mean;
    r.sampled_moment_error = moment[f].standard_error();
  }
  return out;
}

/// The same for a catalogue entry, in the method's calculus.
template <class Entry, class Method>
std::vector<weak_convergence_result> weak_convergence(Entry const& entry, Method const& method,
                                                      std::vector<test_function<std::vector<double>>> const& functions,
                                                      convergence_options const& options = {}) {
  auto const problem = entry.template problem<typename Method::calculus>();
  auto const exact = [&entry](auto const& x0, double t, brownian_tree& w) { return entry.exact(x0, t, w); };
  return weak_convergence(problem, method, entry.x0(), exact, functions, options);
}

}  // namespace sdekit
