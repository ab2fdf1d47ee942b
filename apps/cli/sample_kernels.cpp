#include "sample_kernels.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include <sdekit/solvers/errors.hpp>

#include "interrupt.hpp"
#include "sde_registry.hpp"

#if SDEKIT_CLI_WITH_THRUST
#include <sdekit/diffusion/gaussian_mixture_kernel_score.hpp>
#include <sdekit/thrust/likelihood_ensemble.hpp>
#include <sdekit/thrust/sample_ensemble.hpp>
#endif

namespace sdekit::cli {

#if SDEKIT_CLI_WITH_THRUST
namespace {

// Runs are cut into chunks of this many samples (points), each naming its first index, so that
// Ctrl-C is seen between chunks; the bits do not depend on the cut.
constexpr std::size_t chunk_samples = std::size_t(1) << 16;
constexpr std::size_t chunk_points = 4096;

template <class SDE, class Options>
void run(SDE const& sde, Options options, diffusion::gaussian_mixture const& mixture, std::size_t n,
         sampling_request const& request, path_backend const& backend, std::string const& sampler, drawn_samples& out) {
  diffusion::packed_gaussian_mixture<2, 4> const packed(mixture);
  std::vector<double> grid = request.grid;
  if (grid.empty()) grid = {sde.T(), request.eps};
  out.x.clear();
  out.x.reserve(n * 2);
  double total = 0.0;
  for (std::size_t first = 0; first < n; first += chunk_samples) {
    check_interrupt();
    std::size_t const count = std::min(chunk_samples, n - first);
    options.first_sample = request.first_sample + first;
    sample_ensemble_result const r = sample_ensemble(host_backend{backend.name, int(backend.threads)}, sde,
                                                     packed.score(sde), options, grid, count, request.seed);
    if (!r.ok()) throw solve_error(sdekit::detail::concat(sampler, ": ", r.message()));
    out.x.insert(out.x.end(), r.x.begin(), r.x.end());
    if (r.sample_nfe.empty()) total += double(r.nfe) * double(count);
    for (std::uint64_t nfe : r.sample_nfe) total += double(nfe);
  }
  out.nfe_per_sample = total / double(n);
}

// Appends a chunk's per-point results to out; the counts become the means over all n points.
void append(diffusion::likelihood_result& out, diffusion::likelihood_result const& part, std::size_t count,
            std::size_t n) {
  for (auto [to, from] : {std::pair{&out.log_p, &part.log_p}, {&out.standard_error, &part.standard_error},
                          {&out.prior_term, &part.prior_term}, {&out.integral_term, &part.integral_term},
                          {&out.truncation_term, &part.truncation_term}, {&out.prior_mismatch, &part.prior_mismatch},
                          {&out.x_T, &part.x_T}, {&out.failed_time, &part.failed_time}})
    to->insert(to->end(), from->begin(), from->end());
  out.status.insert(out.status.end(), part.status.begin(), part.status.end());
  out.failed_step.insert(out.failed_step.end(), part.failed_step.begin(), part.failed_step.end());
  double const share = double(count) / double(n);
  out.nfe += std::size_t(double(part.nfe) * share + 0.5);
  out.steps += std::size_t(double(part.steps) * share + 0.5);
  out.rhs_evaluations += part.rhs_evaluations;
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
    } else if (sampler == "euler-maruyama") {
      run(sde, base_options<diffusion::reverse_sde_options>(request), mixture, n, request, backend, sampler, out);
    } else if (sampler == "adaptive-sde") {
      auto o = base_options<diffusion::adaptive_reverse_sde_options>(request);
      if (request.tolerance > 0.0) {  // as the registry's adaptive-sde: ε_abs keeps the paper's ratio
        o.eps_rel = request.tolerance;
        o.eps_abs = request.tolerance * 0.0078 / 0.05;
      }
      run(sde, o, mixture, n, request, backend, sampler, out);
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
  if (backend.name == "serial" || mixture.dim() != 2 || mixture.components() > 4) return false;
  with_sde("--sde", sde_name, [&](auto const& sde) {
    diffusion::packed_gaussian_mixture<2, 4> const packed(mixture);
    std::size_t const n = x.size() / 2;
    for (std::size_t first = 0; first < n; first += chunk_points) {
      check_interrupt();
      std::size_t const count = std::min(chunk_points, n - first);
      std::vector<double> const part(x.begin() + std::ptrdiff_t(2 * first), x.begin() + std::ptrdiff_t(2 * (first + count)));
      diffusion::likelihood_options o = options;
      o.first_point = options.first_point + first;
      append(out, pf_ode_log_likelihood(host_backend{backend.name, int(backend.threads)}, sde, packed.score(sde), part, o),
             count, n);
    }
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
