// Claim (compiled with nvcc, not run: the build machine has no GPU; label cuda-compile-only): the
// per-path ensemble kernels (fixed-step Euler–Maruyama on grid_brownian and on per-path trees,
// adaptive SRIW1 on per-path trees) and Odeint's RK4 on thrust::device_vector with thrust_algebra
// and thrust_operations compile for CUDA. Run on a GPU, the program checks that the CUDA results are
// bit for bit those of the CPP backend (built with --fmad=false) and returns 1 otherwise. Seed 3.
// (The solver layer's steppers hand local lambdas to sdekit::for_each, which a CUDA kernel launch
// cannot take, so their batched use over device_vector is host systems only; see docs/ensembles.md.)
#include <array>
#include <cstdio>
#include <vector>

#include <boost/numeric/odeint/stepper/runge_kutta4.hpp>
#include <thrust/device_vector.h>
#include <thrust/host_vector.h>
#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/cuda/execution_policy.h>

#include <sdekit/solvers/euler_maruyama.hpp>
#include <sdekit/solvers/grid_brownian.hpp>
#include <sdekit/solvers/problem.hpp>
#include <sdekit/solvers/solve.hpp>
#include <sdekit/solvers/sri_w1.hpp>
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
  return ok ? 0 : 1;
}
