// Claim (compiled with nvcc, not run: the build machine has no GPU; label cuda-compile-only): the
// per-path ensemble kernels (fixed-step Euler–Maruyama on grid_brownian and on per-path trees,
// adaptive SRIW1 on per-path trees), Odeint's RK4 on thrust::device_vector with thrust_algebra
// and thrust_operations, and batched (lock-step) solves of the solver layer's steppers over
// thrust::device_vector compile for CUDA. Run on a GPU, the program checks
//   - that the per-path CUDA results are bit for bit those of the CPP backend (built with --fmad=false);
//   - that a batched solve over a device_vector with batched_grid_brownian gives bit for bit what
//     solve_ensemble(thrust::cuda::par, …) gives path by path with grid_brownian of the same seed:
//     Euler–Maruyama, Milstein (∂g/∂x attached) and derivative-free Milstein on Itô GBM, SRIW1 on
//     Itô GBM, Euler–Heun and stochastic Heun on Stratonovich GBM (all diagonal noise), SRA1 on
//     Ornstein–Uhlenbeck (additive noise);
//   - that the batch's mean at t = 1 lies within 5 standard errors of the exact mean (GBM, OU) and
//     its variance within 5 standard errors of the exact variance (OU);
// and returns 1 otherwise. Seeds 3 (per path) and 5 (batched); 1000 paths.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <boost/numeric/odeint/stepper/runge_kutta4.hpp>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/host_vector.h>
#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/cuda/execution_policy.h>
#include <thrust/transform.h>

#include <sdekit/solvers/derivative_free_milstein.hpp>
#include <sdekit/solvers/euler_heun.hpp>
#include <sdekit/solvers/euler_maruyama.hpp>
#include <sdekit/solvers/grid_brownian.hpp>
#include <sdekit/solvers/milstein.hpp>
#include <sdekit/solvers/problem.hpp>
#include <sdekit/solvers/solve.hpp>
#include <sdekit/solvers/sra1.hpp>
#include <sdekit/solvers/sri_w1.hpp>
#include <sdekit/solvers/stochastic_heun.hpp>
#include <sdekit/thrust/batched_grid_brownian.hpp>
#include <sdekit/thrust/solve_ensemble.hpp>
#include <sdekit/thrust/thrust_algebra.hpp>
#include <sdekit/thrust/thrust_operations.hpp>

namespace sk = sdekit;

struct gbm_drift {
  template <class X, class F>
  SDEKIT_HOST_DEVICE void operator()(X const& x, double, F& f) const {
    sk::for_each(scale{0.5}, f, x);
  }
  struct scale {
    double c;
    template <class A, class B>
    SDEKIT_HOST_DEVICE void operator()(A& out, B const& in) const { out = c * in; }
  };
};

struct gbm_diffusion {
  template <class X, class G>
  SDEKIT_HOST_DEVICE void operator()(X const& x, double, G& g) const {
    sk::for_each(gbm_drift::scale{0.3}, g, x);
  }
};

// ∂g_i/∂x_i = 0.3 of the GBM diffusion, for Milstein.
struct gbm_diffusion_derivative {
  template <class X, class G>
  SDEKIT_HOST_DEVICE void operator()(X const&, double, G& dg) const {
    sk::for_each(fill{0.3}, dg);
  }
  struct fill {
    double c;
    template <class A>
    SDEKIT_HOST_DEVICE void operator()(A& out) const { out = c; }
  };
};

// Ornstein–Uhlenbeck dX = θ (μ − X) dt + σ dW, θ = 2, μ = 0.5, σ = 0.3 (additive noise). The drift
// of a batch is one thrust::transform on the device, as a batched model call would be; a single
// path (std::array, inside the per-path kernels) applies the same element functor.
struct ou_drift {
  struct relax {
    double rate, mean;
    SDEKIT_HOST_DEVICE double operator()(double in) const { return rate * (mean - in); }
  };

  void operator()(thrust::device_vector<double> const& x, double, thrust::device_vector<double>& f) const {
    thrust::transform(thrust::device, x.begin(), x.end(), f.begin(), relax{2.0, 0.5});
  }
  SDEKIT_HOST_DEVICE void operator()(std::array<double, 1> const& x, double, std::array<double, 1>& f) const {
    f[0] = relax{2.0, 0.5}(x[0]);
  }
};

struct ou_diffusion {
  template <class X, class G>
  SDEKIT_HOST_DEVICE void operator()(X const&, double, G& g) const {
    sk::for_each(gbm_diffusion_derivative::fill{0.3}, g);
  }
};

struct decay {
  template <class V>
  void operator()(V const& x, V& dxdt, double) const {
    sk::thrust_algebra::for_each(gbm_drift::scale{-1.0}, dxdt, x);
  }
};

template <class T>
bool same(std::vector<T> const& a, std::vector<T> const& b) {
  return a == b;
}

constexpr std::size_t batch_paths = 1000;
constexpr std::uint64_t batch_seed = 5;
constexpr double batch_dt = 0.01;

struct moments {
  double mean, variance;
};

moments sample_moments(thrust::host_vector<double> const& x) {
  double sum = 0.0;
  for (double xi : x) sum += xi;
  double const mean = sum / double(x.size());
  double squares = 0.0;
  for (double xi : x) squares += (xi - mean) * (xi - mean);
  return {mean, squares / double(x.size() - 1)};
}

// Solves `problem` for batch_paths paths from x0 = 1 twice: batched over one device_vector with
// batched_grid_brownian, and path by path with solve_ensemble on the CUDA system and grid_brownian
// of the same seed. Checks that they agree bit for bit at t = 0, 0.5, 1 and that the batch's mean
// at t = 1 lies within 5 standard errors of exact_mean (and its variance of exact_variance, when
// given: for Gaussian paths its standard error is variance·√(2/(P − 1))).
template <class Problem, class Method>
bool batched_solve_agrees(char const* name, Problem const& problem, Method const& method, double exact_mean,
                          double exact_variance = -1.0) {
  sk::solve_options<> const options{{0.0, 0.5, 1.0}};
  auto const per_path = sk::solve_ensemble(thrust::cuda::par, problem, method, sk::grid_brownian(batch_seed),
                                           batch_paths, {0.0, 1.0}, batch_dt, std::array<double, 1>{1.0}, options);
  thrust::device_vector<double> const x0(batch_paths, 1.0);
  auto const batched = sk::solve(problem, method, sk::batched_grid_brownian<>(batch_seed, batch_paths), {0.0, 1.0},
                                 batch_dt, x0, options);
  if (!per_path.ok() || !batched.ok()) {
    std::printf("%s: per path: %s; batched: %s\n", name, per_path.message().c_str(), batched.message().c_str());
    return false;
  }
  std::size_t mismatches = 0;
  for (std::size_t s = 0; s < batched.x.size(); ++s) {
    thrust::host_vector<double> const x(batched.x[s]);
    for (std::size_t p = 0; p < batch_paths; ++p) mismatches += x[p] != per_path.at(p, s, 0);
  }
  moments const m = sample_moments(thrust::host_vector<double>(batched.x.back()));
  double const mean_error = std::fabs(m.mean - exact_mean) / std::sqrt(m.variance / double(batch_paths));
  double const variance_error =
      exact_variance < 0.0 ? 0.0
                           : std::fabs(m.variance - exact_variance) /
                                 (exact_variance * std::sqrt(2.0 / double(batch_paths - 1)));
  bool const ok = mismatches == 0 && mean_error <= 5.0 && variance_error <= 5.0;
  std::printf("%s batched on device_vector: %zu of %zu values differ from the per-path kernels; mean %.6f "
              "(exact %.6f, %.2f standard errors), variance %.6f%s\n",
              name, mismatches, batched.x.size() * batch_paths, m.mean, exact_mean, mean_error, m.variance,
              ok ? "" : "  FAILED");
  return ok;
}

int main() {
  auto const gbm = sk::sde<sk::diagonal_noise>(gbm_drift{}, gbm_diffusion{});
  std::array<double, 1> const x0{1.0};
  bool ok = true;

  auto const gpu_em = sk::solve_ensemble(thrust::cuda::par, gbm, sk::euler_maruyama{}, sk::grid_brownian(3), 1000,
                                         {0.0, 1.0}, 0.01, x0);
  auto const cpu_em = sk::solve_ensemble(thrust::cpp::par, gbm, sk::euler_maruyama{}, sk::grid_brownian(3), 1000,
                                         {0.0, 1.0}, 0.01, x0);
  ok = ok && same(gpu_em.x, cpu_em.x);

  sk::solve_options<sk::pi_controller> adaptive{{}, sk::pi_controller{1e-4, 1e-4}};
  auto const gpu_sri = sk::solve_ensemble(thrust::cuda::par, gbm, sk::sri_w1{}, sk::ensemble_brownian_tree{3}, 100,
                                          {0.0, 1.0}, 0.01, x0, adaptive);
  auto const cpu_sri = sk::solve_ensemble(thrust::cpp::par, gbm, sk::sri_w1{}, sk::ensemble_brownian_tree{3}, 100,
                                          {0.0, 1.0}, 0.01, x0, adaptive);
  ok = ok && same(gpu_sri.x, cpu_sri.x);

  auto const gpu_tree = sk::solve_ensemble(thrust::cuda::par, gbm, sk::euler_maruyama{}, sk::ensemble_brownian_tree{3},
                                           100, {0.0, 1.0}, 0.01, x0);
  auto const cpu_tree = sk::solve_ensemble(thrust::cpp::par, gbm, sk::euler_maruyama{}, sk::ensemble_brownian_tree{3},
                                           100, {0.0, 1.0}, 0.01, x0);
  ok = ok && same(gpu_tree.x, cpu_tree.x);

  using device_state = thrust::device_vector<double>;
  boost::numeric::odeint::runge_kutta4<device_state, double, device_state, double, sk::thrust_algebra,
                                       sk::thrust_operations> rk4;
  device_state y(16, 1.0);
  for (int k = 0; k < 10; ++k) rk4.do_step(decay{}, y, 0.1 * k, 0.1);

  std::printf(ok ? "CUDA results equal the CPP backend's\n" : "CUDA results differ from the CPP backend's\n");

  // Batched (lock-step) solves of the solver layer's steppers over thrust::device_vector.
  auto const gbm_with_dg = gbm.with_diffusion_derivative(gbm_diffusion_derivative{});
  auto const gbm_stratonovich = sk::sde<sk::diagonal_noise, sk::stratonovich>(gbm_drift{}, gbm_diffusion{});
  auto const ou = sk::sde<sk::additive_noise>(ou_drift{}, ou_diffusion{});
  double const gbm_mean = std::exp(0.5);                     // E X_1 = x0 e^{μ}
  double const stratonovich_mean = std::exp(0.5 + 0.045);    // x0 e^{μ + σ²/2} in Stratonovich calculus
  double const ou_mean = 0.5 + 0.5 * std::exp(-2.0);         // μ + (x0 − μ) e^{−θ}
  double const ou_variance = 0.09 / 4.0 * (1.0 - std::exp(-4.0));  // σ²/(2θ) (1 − e^{−2θ})
  bool batched_ok = true;
  batched_ok &= batched_solve_agrees("Euler–Maruyama", gbm, sk::euler_maruyama{}, gbm_mean);
  batched_ok &= batched_solve_agrees("Milstein", gbm_with_dg, sk::milstein{}, gbm_mean);
  batched_ok &= batched_solve_agrees("derivative-free Milstein", gbm, sk::derivative_free_milstein{}, gbm_mean);
  batched_ok &= batched_solve_agrees("SRIW1", gbm, sk::sri_w1{}, gbm_mean);
  batched_ok &= batched_solve_agrees("Euler–Heun", gbm_stratonovich, sk::euler_heun{}, stratonovich_mean);
  batched_ok &= batched_solve_agrees("stochastic Heun", gbm_stratonovich, sk::stochastic_heun{}, stratonovich_mean);
  batched_ok &= batched_solve_agrees("SRA1", ou, sk::sra1{}, ou_mean, ou_variance);
  ok = ok && batched_ok;
  return ok ? 0 : 1;
}
