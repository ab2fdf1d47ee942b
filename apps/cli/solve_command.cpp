#include "solve_command.hpp"

#include <algorithm>
#include <cmath>

#include <sdekit/solvers/compatibility.hpp>
#include <sdekit/solvers/errors.hpp>

#include "adaptive_sweep.hpp"
#include "closest_name.hpp"
#include "method_registry.hpp"
#include "path_backend.hpp"
#include "path_sweep.hpp"
#include "problem_registry.hpp"
#include "progress.hpp"

namespace sdekit::cli {
namespace {

json order_cell(double order) { return std::isfinite(order) ? json(order) : json(nullptr); }

void validate(solve_command const& c) {
  if (c.paths < 2) sdekit::detail::fail("--paths = ", c.paths, " must be at least 2 (standard errors need two paths)");
  if (c.steps.empty()) sdekit::detail::fail("--steps is empty: give at least one step count");
  for (std::size_t n : c.steps)
    if (n == 0) sdekit::detail::fail("--steps holds 0: every step count must be at least 1");
  sdekit::detail::require_positive("--t1", c.t1);
}

// The methods to run: every registered one that fits the problem for "all", else the named ones,
// each checked with require_compatible.
template <class Entry>
std::vector<std::string> chosen_methods(solve_command const& c, Entry const& entry, std::vector<std::string>& skipped) {
  if (c.methods.size() == 1 && c.methods[0] == "all") {
    std::vector<std::string> chosen;
    for_each_method([&](auto const& named) {
      using method = decltype(named.method);
      using problem = decltype(entry.template problem<typename method::calculus>());
      (is_compatible_v<method, problem> ? chosen : skipped).emplace_back(named.name);
    });
    return chosen;
  }
  for (auto const& name : c.methods)
    with_method("--method", name, [&](auto const& named) {
      require_compatible(named.method, entry.template problem<typename decltype(named.method)::calculus>());
    });
  return c.methods;
}

// Adaptive solves of the chosen methods that have an embedded error estimate.
template <class Entry>
table adaptive_table(Entry const& entry, std::vector<std::string> const& names, sweep_settings const& settings,
                     std::vector<double> const& tolerances) {
  table adaptive{"Adaptive solves: PI controller on the embedded error estimate, rtol = atol = tol",
                 {"method", "tol", "strong error", "strong s.e.", "accepted steps", "rejected steps"}, {}};
  progress bar("solve --tolerance", settings.paths * tolerances.size() * names.size());
  for (auto const& name : names)
    with_method("--method", name, [&](auto const& named) {
      using method = std::decay_t<decltype(named.method)>;
      if constexpr (method::has_error_estimate &&
                    is_compatible_v<method, decltype(entry.template problem<typename method::calculus>())>) {
        for (auto const& p : adaptive_sweep(entry, named.method, settings, tolerances, bar))
          adaptive.add_row({named.name, p.tolerance, p.strong_error, p.strong_standard_error, p.accepted_steps,
                            p.rejected_steps});
      }
    });
  return adaptive;
}

}  // namespace

CLI::App* solve_command::add_to(CLI::App& root) {
  auto* app = root.add_subcommand("solve", "Solve a catalogue SDE with exact solution; print errors and fitted orders");
  app->add_option("--problem", problem, "catalogue problem: " + join_names(problem_names()))->capture_default_str();
  app->add_option("--method", methods, "steppers, comma-separated, or 'all': " + join_names(method_names()))
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--paths", paths, "Brownian paths (Monte Carlo samples)")->capture_default_str();
  app->add_option("--steps", steps, "step counts N of the sweep, dt = T/N, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--t1", t1, "end time T")->capture_default_str();
  app->add_option("--seed", seed, "seed of the counter-based Brownian paths")->capture_default_str();
  app->add_flag("--orders", orders, "also print weak errors, standard errors and the fitted weak order");
  app->add_option("--tolerance", tolerances,
                  "also solve adaptively (PI controller, rtol = atol) at these tolerances, comma-separated")
      ->delimiter(',');
  app->add_option("--backend", backend, "where paths run: " + join_names(backend_names()))->capture_default_str();
  app->add_option("--threads", threads, "threads of a parallel backend")->capture_default_str();
  return app;
}

report solve_command::run() const {
  validate(*this);
  sweep_settings settings{seed, paths, t1, steps, make_backend(backend, threads)};
  report out;
  out.command = "solve";
  with_problem("--problem", problem, [&](auto const& entry) {
    std::vector<std::string> skipped;
    std::vector<std::string> const names = chosen_methods(*this, entry, skipped);
    out.settings["problem"] = problem;
    out.settings["dimension"] = entry.dim;
    out.settings["noise"] = std::decay_t<decltype(entry)>::noise::name;
    out.settings["T"] = t1;
    out.settings["paths"] = paths;
    out.settings["seed"] = seed;
    out.settings["backend"] = backend;

    table errors{"Strong error E|X_N - X(T)| with N steps, dt = T/N", {"method"}, {}};
    for (std::size_t n : steps) errors.columns.push_back("N=" + std::to_string(n));
    errors.columns.insert(errors.columns.end(), {"strong order", "stated"});
    table sweep{"Errors per step size (weak error of the first component, by same-path differences)",
                {"method", "N", "dt", "strong error", "strong s.e.", "weak error", "weak s.e."}, {}};
    table fitted{"Fitted orders (least-squares slope of log error against log dt)",
                 {"method", "strong order", "stated strong", "weak order", "stated weak"}, {}};

    progress bar("solve " + problem, paths * names.size());
    for (auto const& name : names)
      with_method("--method", name, [&](auto const& named) {
        using method = std::decay_t<decltype(named.method)>;
        if constexpr (is_compatible_v<method, decltype(entry.template problem<typename method::calculus>())>) {
          sweep_result const r = sweep_paths(entry, named.method, settings, bar);
          std::vector<json> row{named.name};
          row.insert(row.end(), r.strong_error.begin(), r.strong_error.end());
          row.push_back(order_cell(r.strong_order));
          row.push_back(method::strong_order);
          errors.add_row(row);
          for (std::size_t k = 0; k < r.dt.size(); ++k)
            sweep.add_row({named.name, steps[k], r.dt[k], r.strong_error[k], r.strong_standard_error[k], r.weak_error[k],
                           r.weak_standard_error[k]});
          fitted.add_row({named.name, order_cell(r.strong_order), method::strong_order, order_cell(r.weak_order),
                          method::weak_order});
        }
      });
    out.tables.push_back(std::move(errors));
    if (!tolerances.empty()) out.tables.push_back(adaptive_table(entry, names, settings, tolerances));
    if (orders) {
      out.tables.push_back(std::move(sweep));
      out.tables.push_back(std::move(fitted));
    }
    out.notes.push_back("Stated orders are each method's order for general (or diagonal) noise; additive noise raises "
                        "Euler-Maruyama to strong order 1, and scalar or commutative noise raises the Heun methods to 1.");
    if (!skipped.empty()) out.notes.push_back("Not run (they do not accept this problem's noise): " + join_names(skipped));
  });
  return out;
}

}  // namespace sdekit::cli
