// The diffusion module for Python: Gaussian-mixture targets, sampling with any sampler under any
// forward SDE, and PF-ODE log-likelihoods. A score is an analytic target (its exact score), a
// Python callable score(x: (B, d), t) -> (B, d), or a TorchScriptScore when sdekit is built with
// LibTorch. Seeds give the same samples as the C++ API and the command line.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sdekit/diffusion.hpp>

#include "cli/grid_choice.hpp"
#include "cli/path_backend.hpp"
#include "cli/sample_kernels.hpp"
#include "numpy_batch.hpp"
#include "cli/sampler_registry.hpp"
#include "cli/sde_registry.hpp"
#include "score_source.hpp"

namespace sdekit::python {
namespace {

using diffusion::gaussian_mixture;

// backend and threads as on the command line (threads = 0: all cores on a parallel backend).
cli::path_backend backend_of(std::string const& backend, std::size_t threads) {
  return cli::make_backend(backend, threads > 0 ? threads : (backend == "serial" ? 1 : cli::default_threads()));
}

py::tuple sample(std::string const& sde_name, std::string const& sampler_name, py::object score, std::size_t n,
                 std::size_t steps, std::uint64_t seed, std::string const& grid, double eps, double tolerance,
                 bool final_denoise, std::uint64_t first_sample, std::string const& backend, std::size_t threads) {
  if (n == 0) sdekit::detail::fail("n = 0 samples: ask for at least one");
  cli::path_backend const where = backend_of(backend, threads);
  if (steps == 0) sdekit::detail::fail("steps = 0: a sampler needs at least one step (NFE ≥ 1)");
  py::tuple result;
  cli::with_sde("sde", sde_name, [&](auto const& sde) {
    diffusion::score_function const s = score_from(score, sde);
    cli::sampling_request request;
    request.eps = eps > 0.0 ? eps : cli::default_eps(sde_name);
    request.grid = cli::make_grid(sde, grid, steps, request.eps);
    request.seed = seed;
    request.first_sample = first_sample;
    request.tolerance = tolerance;
    request.final_denoise = final_denoise;
    cli::with_sampler("sampler", sampler_name, [&](auto const& entry) {
      cli::drawn_samples drawn;
      if (py::isinstance<gaussian_mixture>(score)) {
        bool ran = false;
        {
          py::gil_scoped_release no_gil;  // the kernels call no Python
          ran = cli::draw_samples_per_sample(sde_name, sampler_name, score.cast<gaussian_mixture>(), n, request, where,
                                             drawn);
        }
        if (ran) {
          result = py::make_tuple(to_array(drawn.x, s.dim()), std::size_t(drawn.nfe_per_sample + 0.5));
          return;
        }
      }
      std::vector<double> x_T = diffusion::sample_prior(sde, n, s.dim(), seed, first_sample);
      diffusion::sample_result r = entry.run(sde, s, std::move(x_T), request);
      result = py::make_tuple(to_array(r.x, s.dim()), r.nfe);
    });
  });
  return result;
}

py::dict log_likelihood(py::handle points, std::string const& sde_name, py::object score, std::string const& divergence,
                        double rtol, double atol, double eps, std::size_t probes, std::uint64_t seed,
                        std::string const& backend, std::size_t threads, std::uint64_t first_point) {
  cli::path_backend const where = backend_of(backend, threads);
  std::size_t d = 0;
  std::vector<double> x = to_batch(points, "x", d);
  diffusion::likelihood_options options;
  options.rtol = rtol;
  options.atol = atol;
  options.eps = eps;
  options.probes = probes;
  options.seed = seed;
  options.first_point = first_point;
  if (divergence == "exact") options.divergence = diffusion::divergence_estimator::exact;
  else if (divergence == "hutchinson") options.divergence = diffusion::divergence_estimator::hutchinson;
  else if (divergence != "auto") sdekit::detail::fail("divergence = '", divergence, "' is not one of auto, exact, hutchinson");
  py::dict out;
  cli::with_sde("sde", sde_name, [&](auto const& sde) {
    auto const report = [&](diffusion::likelihood_result const& r) {
      out["log_p"] = r.log_p;
      out["standard_error"] = r.standard_error;
      out["prior_term"] = r.prior_term;
      out["integral_term"] = r.integral_term;
      out["truncation_term"] = r.truncation_term;
      out["prior_mismatch"] = r.prior_mismatch;
      out["nfe"] = r.nfe;
      std::vector<double> bpd;
      for (double lp : r.log_p) bpd.push_back(-lp / (double(d) * std::log(2.0)));
      out["bits_per_dim"] = bpd;
    };
    if (py::isinstance<gaussian_mixture>(score)) {
      // An analytic target also knows its exact p_T, so the prior mismatch is reported too.
      diffusion::gaussian_mixture_score exact(sde, score.cast<gaussian_mixture>());
      options.terminal_log_density = [&exact, &sde](std::vector<double> const& x_T) {
        return exact.log_density(x_T, sde.T());
      };
      diffusion::likelihood_result per_point;
      bool ran = false;
      {
        py::gil_scoped_release no_gil;  // the kernels call no Python
        ran = cli::log_likelihood_per_sample(sde_name, score.cast<gaussian_mixture>(), x, options, where, per_point);
      }
      report(ran ? per_point : diffusion::pf_ode_log_likelihood(sde, exact, x, d, options));
#if SDEKIT_PYTHON_WITH_TORCH
    } else if (py::isinstance<torchscript_file>(score)) {
      // The model itself, so that the divergence comes from autograd, which must run without the GIL.
      torch::torchscript_score model(score.cast<torchscript_file>().path, sde);
      diffusion::likelihood_result result;
      {
        py::gil_scoped_release no_gil;
        result = diffusion::pf_ode_log_likelihood(sde, model, x, d, options);
      }
      report(result);
#endif
    } else {
      report(diffusion::pf_ode_log_likelihood(sde, score_from(score, sde), x, d, options));
    }
  });
  return out;
}

}  // namespace

void bind_diffusion(py::module_& m) {
  py::class_<gaussian_mixture>(m, "GaussianMixture", "p(x) = Σ_k π_k N(μ_k, Σ_k): an analytic target with exact scores.")
      .def(py::init([](std::vector<double> weights, std::vector<std::vector<double>> means,
                       std::vector<std::vector<std::vector<double>>> covariances) {
             std::vector<std::vector<double>> flat;
             for (auto const& c : covariances) {
               std::vector<double> rows;
               for (auto const& row : c) rows.insert(rows.end(), row.begin(), row.end());
               flat.push_back(std::move(rows));
             }
             return gaussian_mixture(std::move(weights), std::move(means), std::move(flat));
           }),
           py::arg("weights"), py::arg("means"), py::arg("covariances"))
      .def_property_readonly("dim", &gaussian_mixture::dim)
      .def("sample", [](gaussian_mixture const& g, std::size_t n, std::uint64_t seed) {
        return to_array(g.sample(n, seed), g.dim());
      }, py::arg("n"), py::arg("seed") = 0, "n samples, a pure function of seed")
      .def("log_density", [](gaussian_mixture const& g, py::handle x) {
        std::size_t d = g.dim();
        return g.log_density(to_batch(x, "x", d));
      }, py::arg("x"))
      .def("score", [](gaussian_mixture const& g, py::handle x, double t, std::string const& sde_name) {
        std::size_t d = g.dim();
        std::vector<double> batch = to_batch(x, "x", d), out;
        cli::with_sde("sde", sde_name, [&](auto const& sde) { diffusion::gaussian_mixture_score(sde, g)(batch, t, out); });
        return to_array(out, d);
      }, py::arg("x"), py::arg("t"), py::arg("sde") = "vp", "the exact score ∇log p_t(x) under a forward SDE");
  m.def("mixture_2d", &diffusion::targets::mixture_2d, "The 2-D, three-component mixture of sdekit's tests.");
  m.def("gaussian", &diffusion::targets::gaussian, py::arg("d"), "The anisotropic d-dimensional Gaussian of sdekit's tests.");

  m.def("sample", &sample, py::arg("sde") = "vp", py::arg("sampler") = "euler-maruyama", py::arg("score"),
        py::arg("n") = 1000, py::arg("steps") = 100, py::arg("seed") = 0, py::arg("grid") = "uniform",
        py::arg("eps") = 0.0, py::arg("tolerance") = 0.0, py::arg("final_denoise") = false,
        py::arg("first_sample") = 0, py::arg("backend") = cli::default_backend(), py::arg("threads") = 0,
        R"(Draws n samples; score is a GaussianMixture (its exact score), a TorchScriptScore, or a callable
score(x: (B, d), t) -> (B, d) with a `dim` attribute or given as (callable, d). Returns (samples, nfe).
backend ("serial", "cpp", "omp", "tbb"; default omp on all cores, threads = 0) runs a GaussianMixture
score per sample for edm-heun, dpm-solver++2m/3m, ddim, ddpm, reverse-diffusion, pc, euler-maruyama,
adaptive-sde and pf-ode-dopri5 on 2-D targets of up to four components (samples within 1e-12 of "serial"); other scores and samplers
run batched in the calling thread.)");
  m.def("log_likelihood", &log_likelihood, py::arg("x"), py::arg("sde") = "vp", py::arg("score"),
        py::arg("divergence") = "auto", py::arg("rtol") = 1e-6, py::arg("atol") = 1e-6, py::arg("eps") = 1e-5,
        py::arg("probes") = 8, py::arg("seed") = 0, py::arg("backend") = cli::default_backend(), py::arg("threads") = 0,
        py::arg("first_point") = 0,
        "PF-ODE log-likelihood of the rows of x: dict of log_p, standard_error, terms, nfe, bits_per_dim. A "
        "GaussianMixture score on a 2-D target of up to four components runs per point on a parallel backend "
        "(default omp on all cores), each point with its own steps (with Hutchinson's divergence, each point and "
        "probe). first_point: the index of x's first row in a larger run, which names its Hutchinson probes.");
  m.def("forward_sdes", &cli::sde_names, "Names of the forward SDEs.");
  m.def("samplers", &cli::sampler_names, "Names of the samplers.");
  m.def("backends", &cli::backend_names, "Names of the backends of sample() and log_likelihood() in this build.");
}

}  // namespace sdekit::python
