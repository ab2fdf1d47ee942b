// Claim (compiled with nvcc; run by scripts/gpu-check.sh on a machine with a GPU): the per-sample
// diffusion kernels run on CUDA with one sample per thread and give the CPP backend's bits
// (--fmad=false, and the score's weights use reproducible_exp): EDM Heun with churn and
// DPM-Solver++ 2M on k-diffusion's 2-D four-component mixture under the EDM SDE at NFE 100, the
// reverse SDE with Euler–Maruyama (NFE 100) and the adaptive reverse SDE under VP, and the
// per-sample PF-ODE likelihood under VP (rtol = atol = 1e-5) with the exact divergence and with
// Hutchinson's. Prints the GPU's time for 10⁶
// samples and 10⁵ likelihood points beside the check, and returns 1 on a mismatch. Seed 42.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include <thrust/device_vector.h>
#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/cuda/execution_policy.h>

#include <sdekit/diffusion/edm_sde.hpp>
#include <sdekit/diffusion/gaussian_mixture_kernel_score.hpp>
#include <sdekit/diffusion/time_grid.hpp>
#include <sdekit/diffusion/vp_sde.hpp>
#include <sdekit/thrust/likelihood_ensemble.hpp>
#include <sdekit/thrust/sample_ensemble.hpp>

namespace dm = sdekit::diffusion;

namespace {

bool same_bits(std::vector<double> const& a, std::vector<double> const& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

template <class F>
double seconds(F&& f) {
  auto const start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <class SDE, class Options>
bool check_sampler(SDE const& sde, char const* name, Options const& options, std::vector<double> const& grid,
                   std::size_t samples) {
  std::vector<double> const packed = dm::pack_gaussian_mixture<2, 4>(dm::targets::mixture_2d_four());
  thrust::device_vector<double> const on_device(packed.begin(), packed.end());
  dm::gaussian_mixture_kernel_score<SDE, 2, 4> const host_score(sde, packed.data());
  dm::gaussian_mixture_kernel_score<SDE, 2, 4> const device_score(sde, thrust::raw_pointer_cast(on_device.data()));
  auto const cpp = sdekit::sample_ensemble(thrust::cpp::par, sde, host_score, options, grid, 1000, 42);
  auto const gpu = sdekit::sample_ensemble(thrust::cuda::par, sde, device_score, options, grid, 1000, 42);
  bool const ok = gpu.ok() && same_bits(gpu.x, cpp.x);
  double const t = seconds([&] { sdekit::sample_ensemble(thrust::cuda::par, sde, device_score, options, grid, samples, 42); });
  std::printf("%-28s %-6s %10zu samples  NFE %3zu  %9.4f s\n", name, ok ? "same" : "DIFFER", samples, gpu.nfe, t);
  return ok;
}

}  // namespace

int main() {
  dm::edm_sde const edm;
  dm::edm_heun_options churn;
  churn.s_churn = 10.0;
  bool ok = check_sampler(edm, "EDM Heun, S_churn = 10", churn, dm::karras_grid(edm, 50, 0.002), 1'000'000);
  ok = check_sampler(edm, "DPM-Solver++ 2M", dm::dpm_solver_pp_options{}, dm::karras_grid(edm, 100, 0.002), 1'000'000) && ok;
  dm::vp_sde const vp;
  ok = check_sampler(vp, "reverse SDE, Euler-Maruyama", dm::reverse_sde_options{}, dm::uniform_grid(vp, 100, 1e-3),
                     1'000'000) && ok;
  ok = check_sampler(vp, "adaptive reverse SDE", dm::adaptive_reverse_sde_options{}, std::vector<double>{1.0, 1e-3},
                     100'000) && ok;

  dm::gaussian_mixture const target = dm::targets::mixture_2d_four();
  std::vector<double> const packed = dm::pack_gaussian_mixture<2, 4>(target);
  thrust::device_vector<double> const on_device(packed.begin(), packed.end());
  dm::gaussian_mixture_kernel_score<dm::vp_sde, 2, 4> const host_score(vp, packed.data());
  dm::gaussian_mixture_kernel_score<dm::vp_sde, 2, 4> const device_score(vp, thrust::raw_pointer_cast(on_device.data()));
  dm::likelihood_options options;
  options.rtol = options.atol = 1e-5;
  std::vector<double> const x = target.sample(1000, 5);
  auto const cpp = sdekit::pf_ode_log_likelihood(thrust::cpp::par, vp, host_score, x, options);
  auto const gpu = sdekit::pf_ode_log_likelihood(thrust::cuda::par, vp, device_score, x, options);
  bool const same = same_bits(cpp.log_p, gpu.log_p);
  std::vector<double> const many = target.sample(100'000, 6);
  double const t = seconds([&] { sdekit::pf_ode_log_likelihood(thrust::cuda::par, vp, device_score, many, options); });
  std::printf("%-28s %-6s %10d points   NFE %3zu  %9.4f s\n", "PF-ODE likelihood, VP", same ? "same" : "DIFFER", 100'000,
              gpu.nfe, t);
  ok = ok && same;
  options.divergence = dm::divergence_estimator::hutchinson;
  auto const cpp_h = sdekit::pf_ode_log_likelihood(thrust::cpp::par, vp, host_score, x, options);
  auto const gpu_h = sdekit::pf_ode_log_likelihood(thrust::cuda::par, vp, device_score, x, options);
  bool const same_h = same_bits(cpp_h.log_p, gpu_h.log_p);
  double const t_h = seconds([&] { sdekit::pf_ode_log_likelihood(thrust::cuda::par, vp, device_score, many, options); });
  std::printf("%-28s %-6s %10d points   NFE %3zu  %9.4f s\n", "PF-ODE likelihood, Hutchinson", same_h ? "same" : "DIFFER",
              100'000, gpu_h.nfe, t_h);
  ok = ok && same_h;
  std::printf("%s\n", ok ? "CUDA sampling: every result has the CPP backend's bits" : "CUDA sampling: MISMATCH");
  return ok ? 0 : 1;
}
