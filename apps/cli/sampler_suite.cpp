#include "sampler_suite.hpp"

#include <cmath>

#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/vp_sde.hpp>
#include <sdekit/io/npy.hpp>

#include "atomic_output.hpp"
#include "draw_samples.hpp"
#include "grid_choice.hpp"
#include "progress.hpp"
#include "sample_kernels.hpp"
#include "sample_accuracy.hpp"
#include "sampler_registry.hpp"

namespace sdekit::cli {
namespace {

// Density of the target on an nx × ny grid over [x0, x1] × [y0, y1] (row y, column x), as
// <path>.npy, and the extent as <path>_extent.csv.
void write_density(diffusion::gaussian_mixture const& target, std::string const& path) {
  constexpr std::size_t nx = 120, ny = 100;
  constexpr double x0 = -4.0, x1 = 4.0, y0 = -4.5, y1 = 3.0;
  std::vector<double> points;
  for (std::size_t i = 0; i < ny; ++i)
    for (std::size_t j = 0; j < nx; ++j) {
      points.push_back(x0 + (x1 - x0) * double(j) / double(nx - 1));
      points.push_back(y0 + (y1 - y0) * double(i) / double(ny - 1));
    }
  std::vector<double> density = target.log_density(points);
  for (double& v : density) v = std::exp(v);
  atomic_output file("target density", path + ".npy");
  io::write_npy(file.stream(), density, {ny, nx});
  file.commit();
  atomic_output extent("target extent", path + "_extent.csv");
  extent.stream() << "x0,x1,y0,y1\n" << x0 << "," << x1 << "," << y0 << "," << y1 << "\n";
  extent.commit();
}

void write_samples(std::vector<double> const& x, std::size_t d, std::string const& path) {
  atomic_output file("samples", path);
  io::write_npy(file.stream(), x, {x.size() / d, d});
  file.commit();
}

}  // namespace

table run_sampler_suite(sampler_suite_settings const& s) {
  diffusion::gaussian_mixture const target = diffusion::targets::mixture_2d();
  diffusion::vp_sde const sde;
  double const eps = default_eps("vp");
  std::size_t const d = target.dim();
  std::vector<double> const reference = target.sample(s.samples, s.seed + 1);
  std::vector<double> const exact = target.sample(s.samples, s.seed + 2);
  table out{"Samplers on the 2-D mixture, VP SDE, exact score, " + std::to_string(s.samples) + " samples",
            {"sampler", "nfe", "steps", "tolerance", "mean_error", "covariance_error", "weight_error", "sliced_w2"},
            {}};
  sample_accuracy const floor = measure_accuracy(target, exact, reference);
  out.add_row({"exact samples", nullptr, nullptr, nullptr, floor.mean_error, floor.covariance_error, floor.weight_error,
               floor.sliced_w2});
  if (!s.folder.empty()) {
    write_density(target, s.folder + "/target_density");
    write_samples(exact, d, s.folder + "/samples_exact.npy");
  }

  std::size_t runs = 0;
  for_each_sampler([&](auto const& entry) { runs += entry.nfe_per_step > 0 ? s.nfe.size() : s.tolerances.size(); });
  progress bar("bench samplers", runs * s.samples);
  for_each_sampler([&](auto const& entry) {
    auto const record = [&](sampling_request const& request, json steps, json tolerance, bool scatter) {
      drawn_samples drawn;
      if (draw_samples_per_sample("vp", entry.name, target, s.samples, request, s.backend, drawn)) bar.advance(s.samples);
      else drawn = draw_samples(sde, entry, target, s.samples, request, bar, s.backend);
      sample_accuracy const a = measure_accuracy(target, drawn.x, reference);
      out.add_row({entry.name, drawn.nfe_per_sample, steps, tolerance, a.mean_error, a.covariance_error, a.weight_error,
                   a.sliced_w2});
      if (scatter && !s.folder.empty()) write_samples(drawn.x, d, s.folder + "/samples_" + entry.name + ".npy");
    };
    sampling_request request;
    request.eps = eps;
    request.seed = s.seed;
    if (entry.nfe_per_step == 0) {
      for (double tolerance : s.tolerances) {
        request.tolerance = tolerance;
        record(request, nullptr, tolerance, false);
      }
      return;
    }
    for (std::size_t nfe : s.nfe) {
      std::size_t const steps = nfe / entry.nfe_per_step;
      if (steps == 0) {
        bar.advance(s.samples);
        continue;
      }
      request.grid = make_grid(sde, s.grid, steps, eps);
      record(request, steps, nullptr, nfe == s.scatter_nfe);
    }
  });
  return out;
}

}  // namespace sdekit::cli
