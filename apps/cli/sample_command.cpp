#include "sample_command.hpp"

#include <algorithm>
#include <cmath>

#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/io/npy.hpp>
#include <sdekit/solvers/errors.hpp>

#include "atomic_output.hpp"
#include "closest_name.hpp"
#include "draw_samples.hpp"
#include "grid_choice.hpp"
#include "progress.hpp"
#include "sample_accuracy.hpp"
#include "sample_kernels.hpp"
#include "sampler_registry.hpp"
#include "sde_registry.hpp"

namespace sdekit::cli {
CLI::App* sample_command::add_to(CLI::App& root) {
  auto* app = root.add_subcommand("sample", "Sample a Gaussian-mixture target with a diffusion sampler; write .npy");
  app->add_option("--sde", sde, "forward SDE: " + join_names(sde_names()))->capture_default_str();
  target.add_options(*app);
  app->add_option("--sampler", sampler, "sampler: " + join_names(sampler_names()))->capture_default_str();
  app->add_option("--steps", steps, "grid steps (fixed-grid samplers)")->capture_default_str();
  app->add_option("--nfe", nfe, "score evaluations per sample; sets --steps = NFE / (NFE per step)");
  app->add_option("--grid", grid, "time grid: " + join_names(grid_names()))->capture_default_str();
  app->add_option("--eps", eps, "last time of the grid; 0: 1e-3 (vp, subvp, cosine), 1e-5 (ve), 0.002 (edm)")
      ->capture_default_str();
  app->add_option("--tolerance", tolerance, "tolerance of the adaptive samplers; 0: their default")
      ->capture_default_str();
  app->add_flag("--final-denoise", final_denoise, "end with Tweedie's denoising step (one more NFE)");
  app->add_option("--samples", samples, "number of samples")->capture_default_str();
  app->add_option("--seed", seed, "seed of the prior samples and of the sampler's noise")->capture_default_str();
  app->add_option("--out", out, "output .npy file, shape (samples, d)")->capture_default_str();
  app->add_option("--backend", backend, "where samples run: " + join_names(backend_names()))->capture_default_str();
  app->add_option("--threads", threads, "threads of a parallel backend; 0: all cores")->capture_default_str();
  return app;
}

report sample_command::run() const {
  if (samples < 2) sdekit::detail::fail("--samples = ", samples, " must be at least 2");
  std::size_t const threads_used = threads > 0 ? threads : (backend == "serial" ? 1 : default_threads());
  path_backend const where = make_backend(backend, threads_used);
  diffusion::gaussian_mixture const mixture = target.make();
  std::size_t const d = mixture.dim();
  double const eps_used = eps > 0.0 ? eps : default_eps(sde);
  report result;
  result.command = "sample";
  with_sde("--sde", sde, [&](auto const& forward) {
    with_sampler("--sampler", sampler, [&](auto const& entry) {
      std::size_t grid_steps = steps;
      if (nfe > 0 && entry.nfe_per_step > 0) grid_steps = std::max<std::size_t>(1, nfe / entry.nfe_per_step);
      sampling_request request;
      request.eps = eps_used;
      request.seed = seed;
      request.tolerance = tolerance;
      request.final_denoise = final_denoise;
      if (entry.nfe_per_step > 0) request.grid = make_grid(forward, grid, grid_steps, eps_used);
      atomic_output file("--out", out);
      progress bar("sample " + sampler, samples);
      drawn_samples drawn;
      bool const per_sample = draw_samples_per_sample(sde, sampler, mixture, samples, request, where, drawn);
      if (per_sample) bar.advance(samples);
      else drawn = draw_samples(forward, entry, mixture, samples, request, bar, where);
      std::vector<double> const& x = drawn.x;

      std::vector<double> const reference = mixture.sample(samples, seed + 1);
      sample_accuracy const got = measure_accuracy(mixture, x, reference);
      sample_accuracy const floor = measure_accuracy(mixture, mixture.sample(samples, seed + 2), reference);
      io::write_npy(file.stream(), x, {samples, d});
      file.commit();

      result.settings["sde"] = sde;
      result.settings["target"] = target.description();
      result.settings["dimension"] = d;
      result.settings["sampler"] = sampler;
      if (entry.nfe_per_step > 0) {
        result.settings["grid"] = grid;
        result.settings["steps"] = grid_steps;
      } else {
        result.settings["tolerance"] = tolerance > 0.0 ? json(tolerance) : json("default");
      }
      result.settings["eps"] = eps_used;
      result.settings["NFE per sample"] = drawn.nfe_per_sample;
      result.settings["samples"] = samples;
      result.settings["seed"] = seed;
      result.settings["backend"] = per_sample ? backend + " (per-sample kernels)" : backend;
      result.settings["threads"] = threads_used;
      result.settings["output"] = out;
      table accuracy{"Accuracy against the exact target (floor: the same statistic of exact samples)",
                     {"statistic", "sampler", "exact samples"}, {}};
      accuracy.add_row({"mean error", got.mean_error, floor.mean_error});
      accuracy.add_row({"covariance error", got.covariance_error, floor.covariance_error});
      accuracy.add_row({"weight error", got.weight_error, floor.weight_error});
      accuracy.add_row({"sliced W2", got.sliced_w2, floor.sliced_w2});
      result.tables.push_back(std::move(accuracy));
    });
  });
  return result;
}

}  // namespace sdekit::cli
