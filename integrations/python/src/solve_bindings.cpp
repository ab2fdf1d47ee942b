// sdekit.SDE, sdekit.solve and the catalogue of SDEs with exact solutions, for Python.
//
// A Python SDE's drift and diffusion take and return whole batches, f(x: (B, n), t) -> (B, n), so
// one Python call serves every path of a step. Path b is driven by the counter-based Brownian path
// (seed, b) on the grid t0 + k·dt, the same one a C++ solve with grid_brownian(seed, b) sees, so a
// Python solve reproduces C++ bit for bit. Each path gets its own status: a path that turns
// non-finite is reported with its step and time, and the others go on.
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sdekit/diffusion/samplers/batch_grid_brownian.hpp>
#include <sdekit/solvers.hpp>
#include <sdekit/solvers/catalogue/catalogue.hpp>

#include "cli/method_registry.hpp"
#include "numpy_batch.hpp"
#include "cli/problem_registry.hpp"

namespace sdekit::python {
namespace {

struct python_sde {
  py::object drift;
  py::object diffusion;
  std::string noise;
  std::string calculus;
};

struct path_report {
  std::vector<std::string> status;
  std::vector<std::size_t> failed_step;
  std::vector<double> failed_time;
};

std::vector<double> uniform_grid(double t0, double t1, double dt) {
  sdekit::detail::validate_span({t0, t1}, dt);
  double const steps = std::round((t1 - t0) / dt);
  if (steps < 1 || std::fabs(steps * dt - (t1 - t0)) > 1e-9 * (t1 - t0))
    sdekit::detail::fail("dt = ", dt, " does not divide the span [", t0, ", ", t1, "] into whole steps");
  std::vector<double> grid(std::size_t(steps) + 1);
  for (std::size_t k = 0; k < grid.size(); ++k) grid[k] = t0 + double(k) * dt;
  grid.back() = t1;
  return grid;
}

std::vector<std::size_t> save_indices(std::vector<double> const& grid, std::vector<double> const& save_at) {
  if (save_at.empty()) return {grid.size() - 1};
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < save_at.size(); ++i) {
    double const k = std::round((save_at[i] - grid.front()) / (grid[1] - grid[0]));
    if (k < 0 || k >= double(grid.size()) || std::fabs(grid[std::size_t(k)] - save_at[i]) > 1e-9 * (grid[1] - grid[0]))
      sdekit::detail::fail("save_at[", i, "] = ", save_at[i], " is not a point of the grid t0 + k·dt");
    if (!indices.empty() && std::size_t(k) <= indices.back())
      sdekit::detail::fail("save_at[", i, "] = ", save_at[i], " must exceed save_at[", i - 1, "]");
    indices.push_back(std::size_t(k));
  }
  return indices;
}

// Marks the paths that became non-finite at step k (ending at time t).
void record_failures(std::vector<double> const& x, std::size_t n, std::size_t k, double t, path_report& report) {
  for (std::size_t b = 0; b < report.status.size(); ++b) {
    if (report.status[b] != "success") continue;
    for (std::size_t j = 0; j < n; ++j)
      if (!std::isfinite(x[b * n + j])) {
        report.status[b] = to_string(solve_status::non_finite_state);
        report.failed_step[b] = k + 1;
        report.failed_time[b] = t;
        break;
      }
  }
}

template <class Problem, class Method>
py::dict run_batch(Problem const& problem, Method const& method, std::vector<double> x, std::size_t n,
                   std::vector<double> const& grid, std::vector<std::size_t> const& saves, std::uint64_t seed,
                   std::uint64_t first_path) {
  require_compatible(method, problem);
  if constexpr (is_compatible_v<Method, Problem>) {
    std::size_t const paths = x.size() / n;
    diffusion::batch_grid_brownian brownian(seed, first_path, n, grid);
    typename Method::template workspace<std::vector<double>, typename Problem::noise> work;
    work.resize(x.size(), problem.noise_dim(x.size()));
    path_report report{std::vector<std::string>(paths, "success"), std::vector<std::size_t>(paths, 0),
                       std::vector<double>(paths, 0.0)};
    py::array_t<double> saved({py::ssize_t(paths), py::ssize_t(saves.size()), py::ssize_t(n)});
    auto out = saved.mutable_unchecked<3>();
    std::size_t next = 0;
    auto save = [&](std::size_t k) {
      for (; next < saves.size() && saves[next] == k; ++next)
        for (std::size_t b = 0; b < paths; ++b)
          for (std::size_t j = 0; j < n; ++j) out(b, next, j) = x[b * n + j];
    };
    save(0);
    for (std::size_t k = 0; k + 1 < grid.size(); ++k) {
      method.step(problem, brownian, x, grid[k], grid[k + 1] - grid[k], work);
      record_failures(x, n, k, grid[k + 1], report);
      save(k + 1);
    }
    py::list t;
    for (std::size_t k : saves) t.append(grid[k]);
    py::dict result;
    result["t"] = t;
    result["x"] = saved;
    result["status"] = report.status;
    result["failed_step"] = report.failed_step;
    result["failed_time"] = report.failed_time;
    result["steps"] = grid.size() - 1;
    return result;
  } else {
    return {};
  }
}

// The methods a Python SDE can use: those that need no derivative of the diffusion.
inline auto python_methods() {
  return std::make_tuple(cli::named_method<euler_maruyama>{"euler-maruyama", {}},
                         cli::named_method<derivative_free_milstein>{"derivative-free-milstein", {}},
                         cli::named_method<euler_heun>{"euler-heun", {}},
                         cli::named_method<stochastic_heun>{"stochastic-heun", {}},
                         cli::named_method<sri_w1>{"sriw1", {}}, cli::named_method<sra1>{"sra1", {}},
                         cli::named_method<sra3>{"sra3", {}});
}

template <class Noise, class Calculus>
py::dict solve_with(python_sde const& sde, std::string const& method_name, std::vector<double> x, std::size_t n,
                    std::vector<double> const& grid, std::vector<std::size_t> const& saves, std::uint64_t seed,
                    std::uint64_t first_path) {
  auto call = [n](py::object const& f, char const* what) {
    return [f, what, n](auto const& state, double t, auto& out) { call_batched(f, what, state, n, t, out); };
  };
  auto problem = sdekit::sde<Noise, Calculus>(call(sde.drift, "drift"), call(sde.diffusion, "diffusion"));
  py::dict result;
  bool found = false;
  std::vector<std::string> names;
  std::apply(
      [&](auto const&... entry) {
        auto visit = [&](auto const& e) {
          names.emplace_back(e.name);
          if (!found && method_name == e.name) {
            found = true;
            result = run_batch(problem, e.method, std::move(x), n, grid, saves, seed, first_path);
          }
        };
        (visit(entry), ...);
      },
      python_methods());
  if (!found) sdekit::detail::fail("method = '", method_name, "' is not a method", cli::suggestion(method_name, names));
  return result;
}

template <class Calculus>
py::dict solve_noise(python_sde const& sde, std::string const& method, std::vector<double> x, std::size_t n,
                     std::vector<double> const& grid, std::vector<std::size_t> const& saves, std::uint64_t seed,
                     std::uint64_t first_path) {
  // A batch of B paths with n components each is driven by B·n Wiener processes; scalar noise is
  // the same thing when n = 1.
  if (sde.noise == "diagonal" || (sde.noise == "scalar" && n == 1))
    return solve_with<diagonal_noise, Calculus>(sde, method, std::move(x), n, grid, saves, seed, first_path);
  if (sde.noise == "additive")
    return solve_with<additive_noise, Calculus>(sde, method, std::move(x), n, grid, saves, seed, first_path);
  if (sde.noise == "scalar")
    sdekit::detail::fail("noise = 'scalar' with n = ", n, " components is solved from C++ only; from Python use n = 1 or diagonal noise");
  sdekit::detail::fail("noise = '", sde.noise, "' is not one of diagonal, additive, scalar");
}

py::dict solve(python_sde const& sde, std::string const& method, py::handle x0, std::pair<double, double> span,
               double dt, std::uint64_t seed, std::vector<double> const& save_at, std::uint64_t first_path) {
  std::size_t n = 0;
  std::vector<double> x = to_batch(x0, "x0", n);
  sdekit::detail::validate_state(x);
  std::vector<double> const grid = uniform_grid(span.first, span.second, dt);
  std::vector<std::size_t> const saves = save_indices(grid, save_at);
  if (sde.calculus == "ito") return solve_noise<ito>(sde, method, std::move(x), n, grid, saves, seed, first_path);
  if (sde.calculus == "stratonovich")
    return solve_noise<stratonovich>(sde, method, std::move(x), n, grid, saves, seed, first_path);
  sdekit::detail::fail("calculus = '", sde.calculus, "' is not one of ito, stratonovich");
}

// Solves catalogue problem `name` on paths first_path .. first_path + paths − 1, each on its own
// brownian_tree(seed, path), and returns the final states with the exact solutions on the same paths.
py::dict solve_catalogue(std::string const& name, std::string const& method_name, std::size_t paths, double t1,
                         double dt, std::uint64_t seed, std::uint64_t first_path) {
  if (paths == 0) sdekit::detail::fail("paths = 0 must be ≥ 1");
  sdekit::detail::require_positive("t1", t1);
  py::dict result;
  cli::with_problem("problem", name, [&](auto const& entry) {
    cli::with_method("method", method_name, [&](auto const& named) {
      auto const problem = entry.template problem<typename std::decay_t<decltype(named.method)>::calculus>();
      require_compatible(named.method, problem);
      if constexpr (is_compatible_v<std::decay_t<decltype(named.method)>, std::decay_t<decltype(problem)>>) {
        auto const x0 = entry.x0();
        double const T = t1;
        std::size_t const n = x0.size();
        py::array_t<double> x({py::ssize_t(paths), py::ssize_t(n)}), exact({py::ssize_t(paths), py::ssize_t(n)});
        auto xs = x.mutable_unchecked<2>();
        auto es = exact.mutable_unchecked<2>();
        double error = 0.0;
        for (std::size_t b = 0; b < paths; ++b) {
          brownian_tree w(seed, first_path + b, 0.0, T);
          auto sol = sdekit::solve(problem, named.method, w, {0.0, T}, dt, x0);
          auto const& xT = sol.value();
          auto const ex = entry.exact(x0, T, w);
          double norm = 0.0;
          for (std::size_t j = 0; j < n; ++j) {
            xs(b, j) = xT[j];
            es(b, j) = ex[j];
            norm += (xT[j] - ex[j]) * (xT[j] - ex[j]);
          }
          error += std::sqrt(norm);
        }
        result["x"] = x;
        result["exact"] = exact;
        result["strong_error"] = error / double(paths);
        result["t1"] = T;
      }
    });
  });
  return result;
}

}  // namespace

void bind_solvers(py::module_& m) {
  py::class_<python_sde>(m, "SDE", R"(A stochastic differential equation from Python callables.

drift(x, t) and diffusion(x, t) take a batch x of shape (B, n) and return shape (B, n).
noise: 'diagonal' (default), 'additive' (g does not depend on x) or 'scalar' (n = 1).
calculus: 'ito' (default) or 'stratonovich'.)")
      .def(py::init([](py::object drift, py::object diffusion, std::string noise, std::string calculus) {
             if (!PyCallable_Check(drift.ptr())) sdekit::detail::fail("drift must be callable");
             if (!PyCallable_Check(diffusion.ptr())) sdekit::detail::fail("diffusion must be callable");
             return python_sde{std::move(drift), std::move(diffusion), std::move(noise), std::move(calculus)};
           }),
           py::arg("drift"), py::arg("diffusion"), py::arg("noise") = "diagonal", py::arg("calculus") = "ito")
      .def_readonly("noise", &python_sde::noise)
      .def_readonly("calculus", &python_sde::calculus);

  m.def("solve", &solve, py::arg("sde"), py::arg("method"), py::arg("x0"), py::arg("t_span"), py::arg("dt"),
        py::arg("seed") = 0, py::arg("save_at") = std::vector<double>{}, py::arg("first_path") = 0,
        R"(Solves a batch of paths with fixed steps dt; row b of x0 is path first_path + b.

Returns a dict: t (saved times), x (paths × times × n), status (per path), failed_step and
failed_time (per path), steps.)");
  m.def("solve_catalogue", &solve_catalogue, py::arg("problem") = "gbm", py::arg("method") = "euler-maruyama",
        py::arg("paths") = 1000, py::arg("t1") = 1.0, py::arg("dt") = 1.0 / 256, py::arg("seed") = 0, py::arg("first_path") = 0,
        "Solves a catalogue SDE on brownian_tree paths; returns final states, exact solutions and the mean strong error.");
  m.def("catalogue_problems", &cli::problem_names, "Names of the catalogue SDEs with exact solutions.");
  m.def("methods", [] {
    std::vector<std::string> names;
    std::apply([&](auto const&... e) { (names.emplace_back(e.name), ...); }, python_methods());
    return names;
  }, "Names of the SDE methods that sdekit.solve accepts for Python SDEs.");
}

}  // namespace sdekit::python
