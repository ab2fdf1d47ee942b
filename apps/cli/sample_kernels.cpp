#include "sample_kernels.hpp"

#include <sdekit/solvers/errors.hpp>

#include "sde_registry.hpp"

#if SDEKIT_CLI_WITH_THRUST
#include <sdekit/diffusion/gaussian_mixture_kernel_score.hpp>
#include <sdekit/thrust/likelihood_ensemble.hpp>
#include <sdekit/thrust/sample_ensemble.hpp>
#endif

namespace sdekit::cli {

#if SDEKIT_CLI_WITH_THRUST
namespace {

template <class SDE, class Options>
void run(SDE const& sde, Options const& options, diffusion::gaussian_mixture const& mixture, std::size_t n,
         sampling_request const& request, path_backend const& backend, std::string const& sampler, drawn_samples& out) {
  diffusion::packed_gaussian_mixture<2, 4> const packed(mixture);
  std::vector<double> grid = request.grid;
  if (grid.empty()) grid = {sde.T(), request.eps};
  sample_ensemble_result const r =
      sample_ensemble(host_backend{backend.name, int(backend.threads)}, sde, packed.score(sde), options, grid, n, request.seed);
  if (!r.ok()) throw solve_error(sdekit::detail::concat(sampler, ": ", r.message()));
  out.x = r.x;
  double total = 0.0;
  for (std::uint64_t nfe : r.sample_nfe) total += double(nfe);
  out.nfe_per_sample = r.sample_nfe.empty() ? double(r.nfe) : total / double(n);
}


}  // namespace

bool draw_samples_per_sample(std::string const& sde_name, std::string const& sampler,
                             diffusion::gaussian_mixture const& mixture, std::size_t n,
                             sampling_request const& request, path_backend const& backend, drawn_samples& out) {
  if (backend.name == "serial" || mixture.dim() != 2 || mixture.components() > 4) return false;
  bool found = true;
  with_sde("--sde", sde_name, [&](auto const& sde) {
    if (sampler == "edm-heun") {
      run(sde, base_options<diffusion::edm_heun_options>(request), mixture, n, request, backend, sampler, out);
    } else if (sampler == "dpm-solver++2m" || sampler == "dpm-solver++3m") {
      auto o = base_options<diffusion::dpm_solver_pp_options>(request);
      o.order = sampler == "dpm-solver++2m" ? 2 : 3;
      run(sde, o, mixture, n, request, backend, sampler, out);
    } else if (sampler == "ddim") {
      run(sde, base_options<diffusion::ddim_options>(request), mixture, n, request, backend, sampler, out);
    } else if (sampler == "ddpm") {
      run(sde, base_options<diffusion::ddpm_options>(request), mixture, n, request, backend, sampler, out);
    } else if (sampler == "pc") {
      run(sde, base_options<diffusion::predictor_corrector_options>(request), mixture, n, request, backend, sampler, out);
    } else if (sampler == "reverse-diffusion") {
      run(sde, base_options<diffusion::reverse_diffusion_options>(request), mixture, n, request, backend, sampler, out);
    } else if (sampler == "pf-ode-dopri5") {
      auto o = base_options<diffusion::pf_ode_adaptive_options>(request);
      if (request.tolerance > 0.0) o.rtol = o.atol = request.tolerance;
      run(sde, o, mixture, n, request, backend, sampler, out);
    } else {
      found = false;
    }
  });
  return found;
}

bool log_likelihood_per_sample(std::string const& sde_name, diffusion::gaussian_mixture const& mixture,
                               std::vector<double> const& x, diffusion::likelihood_options const& options,
                               path_backend const& backend, diffusion::likelihood_result& out) {
  if (backend.name == "serial" || options.divergence == diffusion::divergence_estimator::hutchinson ||
      mixture.dim() != 2 || mixture.components() > 4)
    return false;
  with_sde("--sde", sde_name, [&](auto const& sde) {
    diffusion::packed_gaussian_mixture<2, 4> const packed(mixture);
    out = pf_ode_log_likelihood(host_backend{backend.name, int(backend.threads)}, sde, packed.score(sde), x, options);
  });
  for (std::size_t b = 0; b < out.status.size(); ++b)
    if (out.status[b] != solve_status::success)
      throw solve_error(sdekit::detail::concat("loglik: point ", b, " failed: ", to_string(out.status[b]), " at step ",
                                               out.failed_step[b], ", t = ", out.failed_time[b]));
  return true;
}
#else
bool draw_samples_per_sample(std::string const&, std::string const&, diffusion::gaussian_mixture const&, std::size_t,
                             sampling_request const&, path_backend const&, drawn_samples&) {
  return false;
}

bool log_likelihood_per_sample(std::string const&, diffusion::gaussian_mixture const&, std::vector<double> const&,
                               diffusion::likelihood_options const&, path_backend const&, diffusion::likelihood_result&) {
  return false;
}
#endif

}  // namespace sdekit::cli
