#include "loglik_command.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>

#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/likelihood.hpp>
#include <sdekit/io/npy.hpp>
#include <sdekit/solvers/errors.hpp>

#include "atomic_output.hpp"
#include "closest_name.hpp"
#include "interrupt.hpp"
#include "points_reader.hpp"
#include "progress.hpp"
#include "sample_kernels.hpp"
#include "sde_registry.hpp"

namespace sdekit::cli {
namespace {

// Points per PF-ODE solve: the batch shares its Dormand–Prince steps and Hutchinson's probes are
// keyed by the index within the batch, so results depend on this constant (within tolerance).
constexpr std::size_t chunk_size = 256;
constexpr std::size_t columns_per_point = 4;

diffusion::divergence_estimator estimator(std::string const& name) {
  if (name == "exact") return diffusion::divergence_estimator::exact;
  if (name == "hutchinson") return diffusion::divergence_estimator::hutchinson;
  sdekit::detail::fail("--divergence = '", name, "' is not an estimator", suggestion(name, {"exact", "hutchinson"}));
}

bool ends_with(std::string const& s, std::string const& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void write_table(std::ostream& out, bool csv, std::vector<double> const& columns, std::size_t n) {
  if (!csv) {
    io::write_npy(out, columns, {n, columns_per_point});
    return;
  }
  out << "log_p,standard_error,bits_per_dim,prior_mismatch\n";
  char line[128];
  for (std::size_t i = 0; i < n; ++i) {
    double const* c = &columns[columns_per_point * i];
    std::snprintf(line, sizeof line, "%.17g,%.17g,%.17g,%.17g\n", c[0], c[1], c[2], c[3]);
    out << line;
  }
}

}  // namespace

CLI::App* loglik_command::add_to(CLI::App& root) {
  auto* app = root.add_subcommand("loglik", "PF-ODE log-likelihood of points under a target; write log p and bits/dim");
  app->add_option("--points", points, "points, .npy of shape (n, d) or CSV with d columns")->required();
  app->add_option("--sde", sde, "forward SDE: " + join_names(sde_names()))->capture_default_str();
  target.add_options(*app);
  app->add_option("--divergence", divergence, "exact or hutchinson")->capture_default_str();
  app->add_option("--probes", probes, "Hutchinson probes per point")->capture_default_str();
  app->add_option("--tolerance", tolerance, "rtol = atol of the Dormand-Prince solve")->capture_default_str();
  app->add_option("--eps", eps, "start time of the PF-ODE")->capture_default_str();
  app->add_option("--seed", seed, "seed of Hutchinson's probes")->capture_default_str();
  app->add_option("--out", out, "output: .npy (n, 4) or .csv: log_p, standard_error, bits_per_dim, prior_mismatch")
      ->capture_default_str();
  app->add_option("--backend", backend, "where points run: " + join_names(backend_names()))->capture_default_str();
  app->add_option("--threads", threads, "threads of a parallel backend; 0: all cores")->capture_default_str();
  return app;
}

report loglik_command::run() const {
  diffusion::gaussian_mixture const mixture = target.make();
  std::size_t const d = mixture.dim();
  diffusion::likelihood_options options;
  options.divergence = estimator(divergence);
  options.probes = probes;
  options.rtol = options.atol = tolerance;
  options.eps = eps;
  options.seed = seed;
  if (options.divergence == diffusion::divergence_estimator::hutchinson && probes < 2)
    sdekit::detail::fail("--probes = ", probes, " must be at least 2 (the standard error needs two probes)");
  std::size_t const threads_used = threads > 0 ? threads : (backend == "serial" ? 1 : default_threads());
  path_backend const where = make_backend(backend, threads_used);
  std::vector<double> const x = read_points(points, d);
  std::size_t const n = x.size() / d;
  atomic_output file("--out", out);
  report result;
  result.command = "loglik";
  with_sde("--sde", sde, [&](auto const& forward) {
    diffusion::gaussian_mixture_score<std::decay_t<decltype(forward)>> const score(forward, mixture);
    // log p_T of the target itself, so that the prior mismatch log p_T(x_T) − log π(x_T) is reported.
    options.terminal_log_density = [&](std::vector<double> const& x_T) { return score.log_density(x_T, forward.T()); };
    std::vector<double> columns(columns_per_point * n);
    progress bar("loglik", n);
    auto const store = [&](diffusion::likelihood_result const& r, std::size_t first) {
      for (std::size_t b = 0; b < r.log_p.size(); ++b) {
        double* c = &columns[columns_per_point * (first + b)];
        c[0] = r.log_p[b];
        c[1] = r.standard_error[b];
        c[2] = -r.log_p[b] / (double(d) * std::log(2.0));
        c[3] = r.prior_mismatch[b];
      }
    };
    std::size_t nfe = 0;
    diffusion::likelihood_result per_point;
    bool const per_sample = log_likelihood_per_sample(sde, mixture, x, options, where, per_point);
    if (per_sample) {
      store(per_point, 0);
      nfe = per_point.nfe;
      bar.advance(n);
    } else {
      std::size_t const chunks = (n + chunk_size - 1) / chunk_size;
      std::vector<std::size_t> chunk_nfe(chunks);
      std::mutex progress_guard;
      where.for_each(chunks, [&](std::size_t k) {
        check_interrupt();  // a chunk not yet begun does not start after Ctrl-C
        std::size_t const first = k * chunk_size, count = std::min(chunk_size, n - first);
        std::vector<double> const batch(x.begin() + std::ptrdiff_t(first * d), x.begin() + std::ptrdiff_t((first + count) * d));
        diffusion::likelihood_options chunk = options;
        chunk.first_point = first;  // each point keeps its own Hutchinson probes, whatever the chunks
        auto const r = diffusion::pf_ode_log_likelihood(forward, score, batch, d, chunk);
        store(r, first);
        chunk_nfe[k] = r.nfe;
        std::lock_guard<std::mutex> const lock(progress_guard);
        bar.advance(count);
      });
      for (std::size_t v : chunk_nfe) nfe = std::max(nfe, v);
    }
    std::vector<double> const exact = mixture.log_density(x);
    double mean = 0.0, mean_exact = 0.0, worst = 0.0, worst_corrected = 0.0, mean_se = 0.0, mean_bits = 0.0,
           mean_mismatch = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      double const* c = &columns[columns_per_point * i];
      mean += c[0] / double(n);
      mean_se += c[1] / double(n);
      mean_bits += c[2] / double(n);
      mean_mismatch += c[3] / double(n);
      mean_exact += exact[i] / double(n);
      worst = std::max(worst, std::fabs(c[0] - exact[i]));
      worst_corrected = std::max(worst_corrected, std::fabs(c[0] + c[3] - exact[i]));
    }
    write_table(file.stream(), ends_with(out, ".csv"), columns, n);
    file.commit();

    result.settings["points"] = points;
    result.settings["n"] = n;
    result.settings["dimension"] = d;
    result.settings["sde"] = sde;
    result.settings["target"] = target.description();
    result.settings["divergence"] = divergence;
    if (options.divergence == diffusion::divergence_estimator::hutchinson) result.settings["probes"] = probes;
    result.settings["tolerance"] = tolerance;
    result.settings["eps"] = eps;
    if (per_sample) result.settings["NFE (mean per point)"] = nfe;
    else result.settings["NFE (largest batch)"] = nfe;
    result.settings["backend"] = per_sample ? backend + " (per-point kernels)" : backend;
    result.settings["threads"] = threads_used;
    result.settings["output"] = out;
    table summary{"Log-likelihood (PF-ODE) against the exact log p_0 of the target", {"statistic", "value"}, {}};
    summary.add_row({"mean log p", mean});
    summary.add_row({"mean exact log p", mean_exact});
    summary.add_row({"max |log p - exact|", worst});
    summary.add_row({"mean prior mismatch", mean_mismatch});
    summary.add_row({"max |log p + mismatch - exact|", worst_corrected});
    summary.add_row({"mean standard error", mean_se});
    summary.add_row({"mean bits/dim", mean_bits});
    result.tables.push_back(std::move(summary));
  });
  return result;
}

}  // namespace sdekit::cli
