#include "bench_command.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <sdekit/solvers/errors.hpp>

#include "atomic_output.hpp"
#include "closest_name.hpp"
#include "interrupt.hpp"
#include "likelihood_suite.hpp"
#include "order_suite.hpp"
#include "sampler_suite.hpp"

namespace sdekit::cli {
namespace {

std::vector<std::string> suite_names() { return {"all", "orders", "samplers", "likelihood"}; }

void save_csv(std::string const& folder, std::string const& name, table const& t) {
  atomic_output file("--out-dir", folder + "/" + name);
  write_csv(file.stream(), t);
  file.commit();
}

// Shell-quotes a path for std::system.
std::string quoted(std::string const& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

CLI::App* bench_command::add_to(CLI::App& root) {
  auto* app = root.add_subcommand("bench", "Run the accuracy suites; write CSV and PNG plots");
  app->add_option("--suite", suite, "suite: " + join_names(suite_names()))->capture_default_str();
  app->add_option("--out-dir", out_dir, "folder for CSV, .npy and PNG files (created if missing)")->capture_default_str();
  app->add_option("--paths", paths, "Brownian paths per solver sweep")->capture_default_str();
  app->add_option("--steps", steps, "step counts N of the solver sweep")->delimiter(',')->capture_default_str();
  app->add_option("--samples", samples, "samples per sampler run")->capture_default_str();
  app->add_option("--nfe", nfe, "NFE budgets of the sampler suite")->delimiter(',')->capture_default_str();
  app->add_option("--tolerances", tolerances, "tolerances of the adaptive samplers")->delimiter(',')->capture_default_str();
  app->add_option("--points", points, "points of the likelihood suite")->capture_default_str();
  app->add_option("--seed", seed, "seed of every suite")->capture_default_str();
  app->add_option("--backend", backend, "where paths, samples and points run: " + join_names(backend_names()))
      ->capture_default_str();
  app->add_option("--threads", threads, "threads of a parallel backend; 0: all cores")->capture_default_str();
  app->add_flag("--plots,!--no-plots", plots, "make PNG plots with " + plot_script)->capture_default_str();
  app->add_option("--plot-script", plot_script, "the plotting script")->capture_default_str();
  return app;
}

report bench_command::run() const {
  bool const known = suite == "all" || suite == "orders" || suite == "samplers" || suite == "likelihood";
  if (!known) sdekit::detail::fail("--suite = '", suite, "' is not a suite", suggestion(suite, suite_names()));
  if (paths < 2) sdekit::detail::fail("--paths = ", paths, " must be at least 2");
  if (samples < 2) sdekit::detail::fail("--samples = ", samples, " must be at least 2");
  if (points < 1) sdekit::detail::fail("--points = 0 must be at least 1");
  for (double tolerance : tolerances) sdekit::detail::require_positive("--tolerances entry", tolerance);
  for (std::size_t n : steps)
    if (n == 0) sdekit::detail::fail("--steps holds 0: every step count must be at least 1");
  std::size_t const threads_used = threads > 0 ? threads : (backend == "serial" ? 1 : default_threads());
  path_backend const where = make_backend(backend, threads_used);
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) sdekit::detail::fail("--out-dir = ", out_dir, ": cannot create the folder (", error.message(), ")");

  report out;
  out.command = "bench";
  out.settings["suite"] = suite;
  out.settings["output folder"] = out_dir;
  out.settings["seed"] = seed;
  out.settings["backend"] = backend;
  out.settings["threads"] = threads_used;
  if (suite == "all" || suite == "orders") {
    out.settings["paths"] = paths;
    order_suite_result const r = run_order_suite({paths, steps, seed, where});
    save_csv(out_dir, "orders.csv", r.errors);
    save_csv(out_dir, "orders_fit.csv", r.fitted);
    out.tables.push_back(r.fitted);
  }
  if (suite == "all" || suite == "samplers") {
    out.settings["samples"] = samples;
    sampler_suite_settings s;
    s.samples = samples;
    s.nfe = nfe;
    s.tolerances = tolerances;
    s.seed = seed;
    s.folder = out_dir;
    s.backend = where;
    table const t = run_sampler_suite(s);
    save_csv(out_dir, "samplers.csv", t);
    out.tables.push_back(t);
  }
  if (suite == "all" || suite == "likelihood") {
    out.settings["points"] = points;
    likelihood_suite_settings s;
    s.points = points;
    s.seed = seed;
    s.backend = where;
    table const t = run_likelihood_suite(s);
    save_csv(out_dir, "likelihood.csv", t);
    out.tables.push_back(t);
  }
  if (plots) {
    check_interrupt();
    std::string const command = "/usr/bin/python3 " + quoted(plot_script) + " " + quoted(out_dir);
    int const status = std::system(command.c_str());
    check_interrupt();
    out.notes.push_back(status == 0 ? "Plots: " + out_dir + "/*.png"
                                    : "Plots were not made: `" + command + "` failed (is python3-matplotlib installed?)");
  }
  out.notes.push_back("CSV: " + out_dir + "/*.csv");
  return out;
}

}  // namespace sdekit::cli
