// sample_ensemble(policy, sde, score, sampler, grid, samples, seed): diffusion sampling with one
// work item per block of samples, each carrying its samples' whole trajectories, under the
// caller's execution policy (thrust::cpp::par, thrust::omp::par, thrust::tbb::par, or
// thrust::cuda::par under nvcc), as solve_ensemble does for SDEs.
//
//   sdekit::diffusion::packed_gaussian_mixture<2> const packed(sdekit::diffusion::targets::mixture_2d());
//   auto const score = packed.score(sdekit::diffusion::edm_sde{});
//   auto const grid = sdekit::diffusion::karras_grid(sde, 50, 0.002, 80.0, 7.0);
//   auto r = sdekit::sample_ensemble(thrust::omp::par, sde, score, sdekit::diffusion::edm_heun_options{},
//                                    grid, 100'000, /*seed=*/42);
//   r.require_success();
//
// The score is a per-sample score of a fixed dimension, Score::dim, with SDEKIT_HOST_DEVICE
// operator()(x, t, s) on std::array states (gaussian_mixture_kernel_score, or any functor of that
// shape); at(t), when it has one, gives its time slices. The sampler is named by its options:
// edm_heun_options, dpm_solver_pp_options, ddim_options, ddpm_options, reverse_diffusion_options,
// predictor_corrector_options (its per-sample step rules), reverse_sde_options (the reverse SDE
// with the trailing stepper argument, euler_maruyama by default, on grid or tree Brownian paths) on
// the grid; or, ignoring all of the grid but its end eps, adaptive_reverse_sde_options (each sample
// its own adaptive loop on its own Brownian tree) and pf_ode_adaptive_options (each sample its own
// adaptive Dormand–Prince steps: the ensemble's dormand_prince5 with the PI controller, in τ = −t).
//
// Sample i starts from the prior draw of sample_prior (seed, first_sample + i) and uses the noise
// of sample_noise, so with the same arithmetic as the batched samplers it gets their numbers, and
// its bits depend on (seed, first_sample + i) alone: not on the backend, the thread count or how
// a run is split. A sample whose state turns non-finite reports its status, step and time; the
// others finish.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/samplers/adaptive_reverse_sde_sampler.hpp>
#include <sdekit/diffusion/samplers/ddim_sampler.hpp>
#include <sdekit/diffusion/samplers/ddpm_sampler.hpp>
#include <sdekit/diffusion/samplers/detail/sampler_support.hpp>
#include <sdekit/diffusion/samplers/dpm_solver_pp_sampler.hpp>
#include <sdekit/diffusion/samplers/edm_heun_sampler.hpp>
#include <sdekit/diffusion/samplers/pf_ode_adaptive_sampler.hpp>
#include <sdekit/diffusion/samplers/predictor_corrector_sampler.hpp>
#include <sdekit/diffusion/samplers/reverse_diffusion_sampler.hpp>
#include <sdekit/diffusion/samplers/reverse_sde_sampler.hpp>
#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/euler_maruyama.hpp>
#include <sdekit/solvers/noise.hpp>
#include <sdekit/solvers/step_size_controller.hpp>

#include "detail/reverse_sde_kernels.hpp"
#include "detail/sample_kernels.hpp"
#include "host_backend.hpp"
#include "sample_ensemble_result.hpp"
#include "solve_ensemble.hpp"

namespace sdekit {

namespace detail {

/// The reversed PF-ODE dx/dτ = −v(x, −τ), v = f(t) x − ½ g(t)² ∇log p_t(x), so that sampling from
/// T down to eps is an ODE solved forward in τ ∈ [−T, −eps].
template <class SDE, class Score>
struct reversed_probability_flow {
  SDE sde;
  Score score;

  template <class State, class Out>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE void operator()(State const& x, double tau, Out& out) const {
    double const t = -tau;
    State s{};
    score(x, t, s);
    double const ft = sde.f(t), half_g2 = 0.5 * sde.g2(t);
    for (std::size_t i = 0; i < Score::dim; ++i) out[i] = half_g2 * s[i] - ft * x[i];
  }
};

/// The grid, the samples and their statuses, in the memory of the policy's system.
template <class Policy>
struct sample_buffers {
  template <class V>
  using vector = typename ensemble_memory<Policy>::template vector<V>;
  template <class V>
  static V* raw(vector<V>& v) {
    return ::thrust::raw_pointer_cast(v.data());
  }

  vector<double> grid;
  vector<double> x;
  vector<solve_status> status;
  vector<std::uint64_t> failed_step;
  vector<double> failed_time;

  sample_buffers(std::vector<double> const& times, std::size_t samples, std::size_t dim)
      : grid(times.begin(), times.end()), x(samples * dim), status(samples), failed_step(samples, 0),
        failed_time(samples, 0.0) {}

  template <class SDE>
  sample_run run(SDE const& sde, std::size_t samples, std::uint64_t seed, std::uint64_t first_sample) {
    return {seed, first_sample, samples, sde.prior_sigma(), raw(grid), grid.size() - 1,
            raw(x), raw(status), raw(failed_step), raw(failed_time)};
  }

  sample_ensemble_result result(std::size_t samples, std::size_t dim, std::size_t nfe) {
    using buffers = ensemble_buffers<Policy, double>;
    sample_ensemble_result r;
    r.samples = samples;
    r.dim = dim;
    r.nfe = nfe;
    r.x = buffers::to_host(x);
    r.status = buffers::to_host(status);
    r.failed_step = buffers::to_host(failed_step);
    r.failed_time = buffers::to_host(failed_time);
    return r;
  }
};

/// The score's time slices at the given times, in the memory of the policy's system.
template <class Policy, class Score>
auto time_slices(Score const& score, std::vector<double> const& times) {
  std::vector<time_slice_t<Score>> slices;
  slices.reserve(times.size());
  for (double t : times) slices.push_back(time_slice(score, t));
  return typename ensemble_memory<Policy>::template vector<time_slice_t<Score>>(slices.begin(), slices.end());
}

template <class Policy, class SDE, class Score>
final_denoising<time_slice_t<Score>> final_step(SDE const& sde, Score const& score, double eps, bool enabled) {
  double const sigma = sde.sigma(eps);
  return {enabled, time_slice(score, eps), sde.alpha(eps), sigma * sigma};
}

template <class Policy, class Kernel>
void run_sample_blocks(Policy&& policy, Kernel const& kernel, std::size_t samples) {
  constexpr std::size_t width = ensemble_memory<std::decay_t<Policy>>::block_width;
  run_kernel(std::forward<Policy>(policy), kernel, (samples + width - 1) / width);
}

template <class Policy, class V>
auto device_copy(std::vector<V> const& host) {
  return typename ensemble_memory<Policy>::template vector<V>(host.begin(), host.end());
}

template <class Policy, class SDE, class Score>
sample_ensemble_result edm_heun_ensemble(Policy&& policy, SDE const& sde, Score const& score,
                                         diffusion::edm_heun_options const& options, std::vector<double> const& grid,
                                         std::size_t samples, std::uint64_t seed) {
  using P = std::decay_t<Policy>;
  constexpr std::size_t width = ensemble_memory<P>::block_width, dim = Score::dim;
  auto const steps = diffusion::detail::edm_heun_schedule(sde, grid, options);
  std::vector<double> times;
  for (auto const& st : steps) times.insert(times.end(), {st.t_hat, st.t_next});
  auto const steps_device = device_copy<P>(steps);
  auto const slices = time_slices<P>(score, times);
  sample_buffers<P> buffers(grid, samples, dim);
  using slice_type = time_slice_t<Score>;
  edm_heun_kernel<width, dim, slice_type> const kernel{
      buffers.run(sde, samples, seed, options.first_sample), ::thrust::raw_pointer_cast(steps_device.data()),
      ::thrust::raw_pointer_cast(slices.data()), sde.alpha(grid.front()), sde.alpha(grid.back()),
      final_step<P>(sde, score, grid.back(), options.final_denoise)};
  run_sample_blocks(std::forward<Policy>(policy), kernel, samples);
  return buffers.result(samples, dim, 2 * steps.size() + options.final_denoise);
}

template <class Policy, class SDE, class Score>
sample_ensemble_result dpm_solver_pp_ensemble(Policy&& policy, SDE const& sde, Score const& score,
                                              diffusion::dpm_solver_pp_options const& options,
                                              std::vector<double> const& grid, std::size_t samples, std::uint64_t seed) {
  using P = std::decay_t<Policy>;
  constexpr std::size_t width = ensemble_memory<P>::block_width, dim = Score::dim;
  auto const steps = diffusion::detail::dpm_solver_pp_schedule(sde, grid, options);
  std::vector<double> times;
  std::size_t nfe = steps.size() + options.final_denoise;
  for (auto const& st : steps) {
    times.insert(times.end(), {st.t, st.start_2s ? st.u : st.t});
    nfe += st.start_2s;
  }
  auto const steps_device = device_copy<P>(steps);
  auto const slices = time_slices<P>(score, times);
  sample_buffers<P> buffers(grid, samples, dim);
  dpm_solver_pp_kernel<width, dim, time_slice_t<Score>> const kernel{
      buffers.run(sde, samples, seed, options.first_sample), ::thrust::raw_pointer_cast(steps_device.data()),
      ::thrust::raw_pointer_cast(slices.data()), final_step<P>(sde, score, grid.back(), options.final_denoise)};
  run_sample_blocks(std::forward<Policy>(policy), kernel, samples);
  return buffers.result(samples, dim, nfe);
}

/// DDIM, DDPM or reverse diffusion: one score evaluation per step at t_k.
template <class Policy, class SDE, class Score, class Step, class Options>
sample_ensemble_result one_evaluation_ensemble(Policy&& policy, SDE const& sde, Score const& score,
                                               std::vector<Step> const& steps, Options const& options,
                                               std::vector<double> const& grid, std::size_t samples,
                                               std::uint64_t seed) {
  using P = std::decay_t<Policy>;
  constexpr std::size_t width = ensemble_memory<P>::block_width, dim = Score::dim;
  std::vector<double> times;
  for (auto const& st : steps) times.push_back(st.t);
  auto const steps_device = device_copy<P>(steps);
  auto const slices = time_slices<P>(score, times);
  sample_buffers<P> buffers(grid, samples, dim);
  one_evaluation_kernel<width, dim, time_slice_t<Score>, Step> const kernel{
      buffers.run(sde, samples, seed, options.first_sample), ::thrust::raw_pointer_cast(steps_device.data()),
      ::thrust::raw_pointer_cast(slices.data()), final_step<P>(sde, score, grid.back(), options.final_denoise)};
  run_sample_blocks(std::forward<Policy>(policy), kernel, samples);
  return buffers.result(samples, dim, steps.size() + options.final_denoise);
}

template <class Policy, class SDE, class Score>
sample_ensemble_result predictor_corrector_ensemble(Policy&& policy, SDE const& sde, Score const& score,
                                                    diffusion::predictor_corrector_options const& options,
                                                    std::vector<double> const& grid, std::size_t samples,
                                                    std::uint64_t seed) {
  if (options.step_rule == diffusion::langevin_step_rule::batch_snr)
    fail("step_rule = batch_snr averages the norms over a batch, so a sample depends on its batch; per-sample "
         "kernels take noise_level or per_sample_snr");
  using P = std::decay_t<Policy>;
  constexpr std::size_t width = ensemble_memory<P>::block_width, dim = Score::dim;
  auto const steps = diffusion::detail::predictor_corrector_schedule(sde, grid, options);
  std::vector<double> times;
  for (auto const& st : steps) times.insert(times.end(), {st.predictor.t, st.t_next});
  auto const steps_device = device_copy<P>(steps);
  auto const slices = time_slices<P>(score, times);
  sample_buffers<P> buffers(grid, samples, dim);
  predictor_corrector_kernel<width, dim, time_slice_t<Score>> const kernel{
      buffers.run(sde, samples, seed, options.first_sample), ::thrust::raw_pointer_cast(steps_device.data()),
      ::thrust::raw_pointer_cast(slices.data()), options.corrector_steps, options.snr,
      options.step_rule == diffusion::langevin_step_rule::per_sample_snr,
      final_step<P>(sde, score, grid.back(), options.final_denoise)};
  run_sample_blocks(std::forward<Policy>(policy), kernel, samples);
  return buffers.result(samples, dim, steps.size() * (1 + options.corrector_steps) + options.final_denoise);
}

/// The reverse SDE with a solver-layer stepper, on grid or tree Brownian paths.
template <class Policy, class SDE, class Score, class Method>
sample_ensemble_result reverse_sde_ensemble(Policy&& policy, SDE const& sde, Score const& score,
                                            diffusion::reverse_sde_options const& options,
                                            std::vector<double> const& grid, std::size_t samples, std::uint64_t seed,
                                            Method const& method) {
  static_assert(std::is_same_v<typename Method::calculus, ito> && Method::template accepts<additive_noise>,
                "The reverse SDE is an Itô SDE with additive noise: give a stepper that accepts it "
                "(euler_maruyama, sra1, sra3, ...).");
  using P = std::decay_t<Policy>;
  constexpr std::size_t width = ensemble_memory<P>::block_width, dim = Score::dim;
  double const t0 = grid.front();
  std::vector<double> tau(grid.size());
  for (std::size_t k = 0; k < grid.size(); ++k) tau[k] = t0 - grid[k];
  auto const tau_device = device_copy<P>(tau);
  std::size_t stages = 0;
  std::vector<double> const stage_tau = stage_times<Method, dim>(method, tau, stages);
  std::vector<double> stage_t(stage_tau.size());
  for (std::size_t j = 0; j < stage_tau.size(); ++j) stage_t[j] = t0 - stage_tau[j];
  auto const slices = time_slices<P>(score, stage_t);
  auto const stage_tau_device = device_copy<P>(stage_tau);
  using slice_type = time_slice_t<Score>;
  using problem_type = reverse_sde_problem<SDE, Score, slice_type>;
  problem_type const problem{sde, score, t0, ::thrust::raw_pointer_cast(stage_tau_device.data()),
                             ::thrust::raw_pointer_cast(slices.data()), 0, stages};
  sample_buffers<P> buffers(grid, samples, dim);
  auto const run = buffers.run(sde, samples, seed, options.first_sample);
  auto const final = final_step<P>(sde, score, grid.back(), options.final_denoise);
  double const* tau_raw = ::thrust::raw_pointer_cast(tau_device.data());
  if (options.brownian == diffusion::reverse_sde_brownian::tree) {
    double const tol = options.tree_tolerance > 0.0 ? options.tree_tolerance : t0 * 0x1p-20;  // brownian_tree's default
    reverse_sde_kernel<1, dim, problem_type, Method, slice_type, true> const kernel{run, problem, method, tau_raw, tol,
                                                                                  final};
    run_kernel(std::forward<Policy>(policy), kernel, samples);
  } else {
    reverse_sde_kernel<width, dim, problem_type, Method, slice_type, false> const kernel{run, problem, method, tau_raw,
                                                                                       0.0, final};
    run_sample_blocks(std::forward<Policy>(policy), kernel, samples);
  }
  std::size_t const nfe = stage_tau.size() + options.final_denoise;
  return buffers.result(samples, dim, nfe);
}

/// The adaptive reverse SDE: each sample its own loop on its own Brownian tree.
template <class Policy, class SDE, class Score>
sample_ensemble_result adaptive_reverse_sde_ensemble(Policy&& policy, SDE const& sde, Score const& score,
                                                     diffusion::adaptive_reverse_sde_options const& options,
                                                     std::vector<double> const& grid, std::size_t samples,
                                                     std::uint64_t seed) {
  diffusion::detail::validate_adaptive_options(options);
  using P = std::decay_t<Policy>;
  constexpr std::size_t dim = Score::dim;
  std::vector<double> const ends{sde.T(), grid.back()};  // the loop runs from T; of the grid only eps counts
  sample_buffers<P> buffers(ends, samples, dim);
  typename ensemble_memory<P>::template vector<std::uint64_t> nfe(samples, 0);
  double const tol = options.tree_tolerance > 0.0 ? options.tree_tolerance : sde.T() * 0x1p-20;  // brownian_tree's default
  adaptive_reverse_sde_kernel<dim, SDE, Score, time_slice_t<Score>> const kernel{
      buffers.run(sde, samples, seed, options.first_sample), sde, score, options, tol,
      ::thrust::raw_pointer_cast(nfe.data()), final_step<P>(sde, score, grid.back(), options.final_denoise)};
  run_kernel(std::forward<Policy>(policy), kernel, samples);
  sample_ensemble_result r = buffers.result(samples, dim, 0);
  r.sample_nfe = ensemble_buffers<P, double>::to_host(nfe);
  double total = 0.0;
  for (std::uint64_t n : r.sample_nfe) total += double(n);
  r.nfe = std::size_t(total / double(samples) + 0.5);
  return r;
}

/// pf-ode-dopri5 per sample: the reversed PF-ODE through solve_ensemble with dormand_prince5.
template <class Policy, class SDE, class Score>
sample_ensemble_result pf_ode_adaptive_ensemble(Policy&& policy, SDE const& sde, Score const& score,
                                                diffusion::pf_ode_adaptive_options const& options,
                                                std::vector<double> const& grid, std::size_t samples,
                                                std::uint64_t seed) {
  constexpr std::size_t dim = Score::dim;
  double const T = sde.T(), eps = grid.back();
  require_positive("dt0", options.dt0);
  std::vector<double> const prior = diffusion::sample_prior(sde, samples, dim, seed, options.first_sample);
  std::vector<std::array<double, dim>> x0(samples);
  for (std::size_t b = 0; b < samples; ++b)
    for (std::size_t i = 0; i < dim; ++i) x0[b][i] = prior[b * dim + i];
  solve_options<pi_controller> solve_opts;
  solve_opts.controller.rtol = options.rtol;
  solve_opts.controller.atol = options.atol;
  auto sol = solve_ensemble(std::forward<Policy>(policy), ode(reversed_probability_flow<SDE, Score>{sde, score}),
                                  dormand_prince5{}, no_brownian{}, samples, {-T, -eps}, options.dt0 * (T - eps), x0,
                                  solve_opts);
  sample_ensemble_result r;
  r.samples = samples;
  r.dim = dim;
  r.x = std::move(sol.x);
  r.status = std::move(sol.status);
  r.failed_step = std::move(sol.failed_step);
  r.failed_time = std::move(sol.failed_time);
  for (double& t : r.failed_time) t = -t;  // back from τ to t
  r.sample_nfe.resize(samples);
  double total = 0.0;
  for (std::size_t b = 0; b < samples; ++b) {  // the first stage, then six per try (first same as last)
    r.sample_nfe[b] = 1 + 6 * (sol.accepted_steps[b] + sol.rejected_steps[b]);
    total += double(r.sample_nfe[b]);
  }
  r.nfe = std::size_t(total / double(samples) + 0.5);
  if (options.final_denoise) {
    for (std::size_t b = 0; b < samples; ++b) {
      if (r.status[b] != solve_status::success) continue;
      std::array<double, dim> x, s;
      for (std::size_t i = 0; i < dim; ++i) x[i] = r.x[b * dim + i];
      score(x, eps, s);
      double const alpha = sde.alpha(eps), sigma = sde.sigma(eps);
      for (std::size_t i = 0; i < dim; ++i) r.x[b * dim + i] = diffusion::detail::tweedie(x[i], s[i], alpha, sigma * sigma);
      ++r.sample_nfe[b];
    }
    ++r.nfe;
  }
  return r;
}

}  // namespace detail

template <class Policy, class SDE, class Score, class Sampler, class Stepper = euler_maruyama,
          class = std::enable_if_t<!std::is_same_v<std::decay_t<Policy>, host_backend>>>
sample_ensemble_result sample_ensemble(Policy&& policy, SDE const& sde, Score const& score, Sampler const& sampler,
                                       std::vector<double> const& grid, std::size_t samples, std::uint64_t seed,
                                       Stepper const& stepper = Stepper()) {
  static_assert(diffusion::is_forward_sde_v<SDE>, "sample_ensemble needs a forward SDE (see forward_sde.hpp).");
  static_assert(Score::dim > 0, "A per-sample score states its dimension as static constexpr std::size_t dim.");
  static_assert(std::is_same_v<Stepper, euler_maruyama> || std::is_same_v<Sampler, diffusion::reverse_sde_options>,
                "Only the reverse SDE (reverse_sde_options) takes a solver-layer stepper.");
  diffusion::detail::validate_sampler_grid(sde, grid);
  if (samples == 0) detail::fail("samples = 0 must be at least 1");
  if constexpr (std::is_same_v<Sampler, diffusion::edm_heun_options>)
    return detail::edm_heun_ensemble(std::forward<Policy>(policy), sde, score, sampler, grid, samples, seed);
  else if constexpr (std::is_same_v<Sampler, diffusion::dpm_solver_pp_options>)
    return detail::dpm_solver_pp_ensemble(std::forward<Policy>(policy), sde, score, sampler, grid, samples, seed);
  else if constexpr (std::is_same_v<Sampler, diffusion::ddim_options>)
    return detail::one_evaluation_ensemble(std::forward<Policy>(policy), sde, score,
                                           diffusion::detail::ddim_schedule(sde, grid, sampler), sampler, grid, samples,
                                           seed);
  else if constexpr (std::is_same_v<Sampler, diffusion::ddpm_options>)
    return detail::one_evaluation_ensemble(std::forward<Policy>(policy), sde, score,
                                           diffusion::detail::ddpm_schedule(sde, grid, sampler), sampler, grid, samples,
                                           seed);
  else if constexpr (std::is_same_v<Sampler, diffusion::reverse_diffusion_options>)
    return detail::one_evaluation_ensemble(std::forward<Policy>(policy), sde, score,
                                           diffusion::detail::reverse_diffusion_schedule(sde, grid, sampler), sampler,
                                           grid, samples, seed);
  else if constexpr (std::is_same_v<Sampler, diffusion::predictor_corrector_options>)
    return detail::predictor_corrector_ensemble(std::forward<Policy>(policy), sde, score, sampler, grid, samples, seed);
  else if constexpr (std::is_same_v<Sampler, diffusion::pf_ode_adaptive_options>)
    return detail::pf_ode_adaptive_ensemble(std::forward<Policy>(policy), sde, score, sampler, grid, samples, seed);
  else if constexpr (std::is_same_v<Sampler, diffusion::reverse_sde_options>)
    return detail::reverse_sde_ensemble(std::forward<Policy>(policy), sde, score, sampler, grid, samples, seed, stepper);
  else if constexpr (std::is_same_v<Sampler, diffusion::adaptive_reverse_sde_options>)
    return detail::adaptive_reverse_sde_ensemble(std::forward<Policy>(policy), sde, score, sampler, grid, samples,
                                                 seed);
  else
    static_assert(sizeof(Sampler) == 0,
                  "sample_ensemble runs EDM Heun, DPM-Solver++, DDIM, DDPM, reverse diffusion, predictor-corrector, the "
                  "reverse SDE, the adaptive reverse SDE and the adaptive PF-ODE per sample; name one by its options "
                  "(edm_heun_options, dpm_solver_pp_options, ddim_options, ddpm_options, reverse_diffusion_options, "
                  "predictor_corrector_options, reverse_sde_options, adaptive_reverse_sde_options, "
                  "pf_ode_adaptive_options).");
}

template <class SDE, class Score, class Sampler, class Stepper = euler_maruyama>
sample_ensemble_result sample_ensemble(host_backend const& backend, SDE const& sde, Score const& score,
                                       Sampler const& sampler, std::vector<double> const& grid, std::size_t samples,
                                       std::uint64_t seed, Stepper const& stepper = Stepper()) {
  return with_host_backend(backend, [&](auto const& policy) {
    return sample_ensemble(policy, sde, score, sampler, grid, samples, seed, stepper);
  });
}

}  // namespace sdekit
