// The diffusion samplers by name, for `sdekit sample` and `sdekit bench`. Each entry knows its NFE
// per grid step (0 for the adaptive ones, which choose their own steps from --tolerance) and runs
// one batch: run(sde, score, x_T, request) returns the samples and the NFE per sample. Samples b of a
// batch use noise path request.first_sample + b, so results do not depend on how a run is chunked
// (except pf-ode-dopri5, whose batch shares its steps; see pf_ode_adaptive_sampler.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include <boost/numeric/odeint/stepper/euler.hpp>

#include <sdekit/diffusion/samplers/adaptive_reverse_sde_sampler.hpp>
#include <sdekit/diffusion/samplers/ddim_sampler.hpp>
#include <sdekit/diffusion/samplers/ddpm_sampler.hpp>
#include <sdekit/diffusion/samplers/dpm_solver_pp_sampler.hpp>
#include <sdekit/diffusion/samplers/edm_heun_sampler.hpp>
#include <sdekit/diffusion/samplers/pf_ode_adaptive_sampler.hpp>
#include <sdekit/diffusion/samplers/pf_ode_sampler.hpp>
#include <sdekit/diffusion/samplers/predictor_corrector_sampler.hpp>
#include <sdekit/diffusion/samplers/reverse_diffusion_sampler.hpp>
#include <sdekit/diffusion/samplers/reverse_sde_sampler.hpp>
#include <sdekit/solvers/errors.hpp>

#include "closest_name.hpp"

namespace sdekit::cli {

struct sampling_request {
  std::vector<double> grid;   ///< descending times T = t_0 > ... > t_n = eps
  double eps = 1e-3;
  std::uint64_t seed = 42;
  std::uint64_t first_sample = 0;
  double tolerance = 0.0;     ///< adaptive samplers; 0 keeps the sampler's default
  bool final_denoise = false;
};

template <class Run>
struct named_sampler {
  char const* name;
  std::size_t nfe_per_step;  ///< 0: adaptive, the grid is not used
  Run run;
};

template <class Run>
named_sampler<Run> sampler(char const* name, std::size_t nfe_per_step, Run run) {
  return {name, nfe_per_step, run};
}

template <class Options>
Options base_options(sampling_request const& r) {
  Options o;
  o.first_sample = r.first_sample;
  o.final_denoise = r.final_denoise;
  return o;
}

inline auto samplers() {
  using namespace sdekit::diffusion;
  return std::make_tuple(
      sampler("euler-maruyama", 1,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                return reverse_sde_sample(sde, score, r.grid, std::move(x), r.seed, base_options<reverse_sde_options>(r));
              }),
      sampler("reverse-diffusion", 1,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                return reverse_diffusion_sample(sde, score, r.grid, std::move(x), r.seed, base_options<sampler_options>(r));
              }),
      sampler("ddpm", 1,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                return ddpm_sample(sde, score, r.grid, std::move(x), r.seed, base_options<sampler_options>(r));
              }),
      sampler("pc", 2,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                return predictor_corrector_sample(sde, score, r.grid, std::move(x), r.seed,
                                                  base_options<predictor_corrector_options>(r));
              }),
      sampler("ddim", 1,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                return ddim_sample(sde, score, r.grid, std::move(x), r.seed, base_options<ddim_options>(r));
              }),
      sampler("pf-ode-euler", 1,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                return pf_ode_sample(sde, score, r.grid, std::move(x), base_options<sampler_options>(r),
                                     boost::numeric::odeint::euler<std::vector<double>>());
              }),
      sampler("pf-ode-rk4", 4,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                return pf_ode_sample(sde, score, r.grid, std::move(x), base_options<sampler_options>(r));
              }),
      sampler("dpm-solver++2m", 1,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                auto o = base_options<dpm_solver_pp_options>(r);
                o.order = 2;
                return dpm_solver_pp_sample(sde, score, r.grid, std::move(x), o);
              }),
      sampler("dpm-solver++3m", 1,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                auto o = base_options<dpm_solver_pp_options>(r);
                o.order = 3;
                return dpm_solver_pp_sample(sde, score, r.grid, std::move(x), o);
              }),
      sampler("edm-heun", 2,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                return edm_heun_sample(sde, score, r.grid, std::move(x), r.seed, base_options<edm_heun_options>(r));
              }),
      sampler("pf-ode-dopri5", 0,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                auto o = base_options<pf_ode_adaptive_options>(r);
                if (r.tolerance > 0.0) o.rtol = o.atol = r.tolerance;
                return pf_ode_adaptive_sample(sde, score, r.eps, std::move(x), o);
              }),
      sampler("adaptive-sde", 0,
              [](auto const& sde, auto const& score, std::vector<double> x, sampling_request const& r) {
                // --tolerance sets ε_rel; ε_abs keeps the paper's ratio 0.0078 : 0.05.
                auto o = base_options<adaptive_reverse_sde_options>(r);
                if (r.tolerance > 0.0) {
                  o.eps_rel = r.tolerance;
                  o.eps_abs = r.tolerance * 0.0078 / 0.05;
                }
                // Its score calls are per sample; report the mean NFE per sample like the others.
                auto result = adaptive_reverse_sde_sample(sde, score, r.eps, std::move(x), r.seed, o);
                std::size_t const count = std::max<std::size_t>(1, result.nfe_per_sample.size());
                return sample_result{std::move(result.x), (result.nfe + count / 2) / count};
              }));
}

template <class F>
void for_each_sampler(F&& f) {
  std::apply([&](auto const&... entry) { (f(entry), ...); }, samplers());
}

inline std::vector<std::string> sampler_names() {
  std::vector<std::string> names;
  for_each_sampler([&](auto const& entry) { names.emplace_back(entry.name); });
  return names;
}

template <class F>
void with_sampler(std::string const& option, std::string const& name, F&& f) {
  bool found = false;
  for_each_sampler([&](auto const& entry) {
    if (!found && name == entry.name) {
      found = true;
      f(entry);
    }
  });
  if (!found) sdekit::detail::fail(option, " = '", name, "' is not a sampler", suggestion(name, sampler_names()));
}

}  // namespace sdekit::cli
