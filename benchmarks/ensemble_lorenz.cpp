// Per-path adaptive steps against lock-step Odeint on an ensemble over parameters (Odeint's
// lorenz_parameters example): N Lorenz systems, ρ_i spread over [0.1, 50], x(0) = (10, 10, 10),
// t ∈ [0, T]. Per path: solve_ensemble with dormand_prince5 and the PI controller, each system its
// own step size. Lock-step: Odeint's runge_kutta_dopri5 with its controller on one thrust::omp::vector
// of all 3N components (thrust_algebra, thrust_operations), one shared dt. Both on OpenMP with 2
// threads, both at rtol = atol = tol; the error of each against a per-path reference at 10⁻¹² on the
// first 1000 systems is printed beside the time. Writes ensemble_lorenz.csv to --out.
//
//   ensemble_lorenz [--paths 1000000] [--tol 1e-6] [--T 1] [--out DIR] [--quick]
#include <omp.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <boost/numeric/odeint.hpp>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/system/omp/execution_policy.h>
#include <thrust/system/omp/vector.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;
namespace odeint = boost::numeric::odeint;

namespace {

using state = std::array<double, 3>;
using batch = thrust::omp::vector<double>;

auto lorenz() {
  return sk::parametrized_ode([](auto const& x, double, double rho, auto& f) {
    f[0] = 10.0 * (x[1] - x[0]);
    f[1] = rho * x[0] - x[1] - x[0] * x[2];
    f[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];
  });
}

// The same right-hand side over the batch (x₀…x_{N−1}, y₀…, z₀…), one OpenMP loop.
struct lorenz_batch {
  double const* rho;
  std::size_t n;
  void operator()(batch const& s, batch& d, double) const {
    double const* x = thrust::raw_pointer_cast(s.data());
    double* dx = thrust::raw_pointer_cast(d.data());
    double const* r = rho;
    std::size_t const m = n;
    thrust::for_each(thrust::omp::par, thrust::counting_iterator<std::size_t>(0), thrust::counting_iterator<std::size_t>(m),
                     [=](std::size_t i) {
                       dx[i] = 10.0 * (x[m + i] - x[i]);
                       dx[m + i] = r[i] * x[i] - x[m + i] - x[i] * x[2 * m + i];
                       dx[2 * m + i] = x[i] * x[m + i] - 8.0 / 3.0 * x[2 * m + i];
                     });
  }
};

template <class F>
double seconds(F&& f) {
  auto const start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 1'000'000;
  double tol = 1e-6, T = 1.0;
  std::string out = ".";
  for (int i = 1; i < argc; ++i) {
    std::string const a = argv[i];
    if (a == "--paths" && i + 1 < argc) n = std::stoul(argv[++i]);
    else if (a == "--tol" && i + 1 < argc) tol = std::stod(argv[++i]);
    else if (a == "--T" && i + 1 < argc) T = std::stod(argv[++i]);
    else if (a == "--out" && i + 1 < argc) out = argv[++i];
    else if (a == "--quick") {
      n = 500;
      T = 0.2;
    }
  }
  std::vector<double> rho(n);
  for (std::size_t i = 0; i < n; ++i) rho[i] = 0.1 + 49.9 * double(i) / double(n > 1 ? n - 1 : 1);
  state const x0{10.0, 10.0, 10.0};
  std::size_t const checked = n < 1000 ? n : 1000;

  std::vector<double> const rho_checked(rho.begin(), rho.begin() + std::ptrdiff_t(checked));
  auto const reference = sk::solve_ensemble(sk::host_backend{"omp", 2}, sk::with_parameters(lorenz(), rho_checked),
                                            sk::dormand_prince5{}, sk::no_brownian{}, checked, sk::time_span{0.0, T}, 1e-3,
                                            x0, sk::solve_options<sk::pi_controller>{{}, sk::pi_controller{1e-12, 1e-12}});
  reference.require_success();

  sk::ensemble_solution<double> per_path;
  double const per_path_time = seconds([&] {
    per_path = sk::solve_ensemble(sk::host_backend{"omp", 2}, sk::with_parameters(lorenz(), rho), sk::dormand_prince5{},
                                  sk::no_brownian{}, n, sk::time_span{0.0, T}, 0.01, x0,
                                  sk::solve_options<sk::pi_controller>{{}, sk::pi_controller{tol, tol}});
  });
  per_path.require_success();
  double mean_steps = 0.0, per_path_error = 0.0;
  for (std::size_t p = 0; p < n; ++p) mean_steps += double(per_path.accepted_steps[p] + per_path.rejected_steps[p]);
  mean_steps /= double(n);
  for (std::size_t p = 0; p < checked; ++p)
    for (std::size_t j = 0; j < 3; ++j)
      per_path_error = std::fmax(per_path_error, std::fabs(per_path.final_value(p, j) - reference.final_value(p, j)));

  omp_set_num_threads(2);
  batch x(3 * n);
  for (std::size_t i = 0; i < n; ++i) x[i] = x[n + i] = x[2 * n + i] = 10.0;
  thrust::omp::vector<double> rho_batch(rho.begin(), rho.end());
  using stepper = odeint::runge_kutta_dopri5<batch, double, batch, double, sk::thrust_algebra, sk::thrust_operations>;
  std::size_t lock_steps = 0;
  double const lock_time = seconds([&] {
    lock_steps = odeint::integrate_adaptive(odeint::make_controlled(tol, tol, stepper{}),
                                            lorenz_batch{thrust::raw_pointer_cast(rho_batch.data()), n}, x, 0.0, T, 0.01);
  });
  double lock_error = 0.0;
  for (std::size_t p = 0; p < checked; ++p)
    for (std::size_t j = 0; j < 3; ++j) lock_error = std::fmax(lock_error, std::fabs(x[j * n + p] - reference.final_value(p, j)));

  std::printf("Lorenz ensemble, %zu systems, rho in [0.1, 50], T = %g, tol = %g, OpenMP 2 threads\n", n, T, tol);
  std::printf("%-40s %10s %14s %16s\n", "method", "seconds", "steps", "max error (1000)");
  std::printf("%-40s %10.3f %14.1f %16.3e\n", "per-path dormand_prince5 (own dt)", per_path_time, mean_steps, per_path_error);
  std::printf("%-40s %10.3f %14zu %16.3e\n", "lock-step Odeint dopri5 (shared dt)", lock_time, lock_steps, lock_error);
  std::printf("speed-up of per-path over lock-step: %.2f\n", lock_time / per_path_time);
  std::ofstream csv(out + "/ensemble_lorenz.csv");
  csv << "method,systems,T,tol,seconds,steps,max_error\n";
  csv << "per-path dormand_prince5," << n << ',' << T << ',' << tol << ',' << per_path_time << ',' << mean_steps << ','
      << per_path_error << '\n';
  csv << "lock-step odeint dopri5," << n << ',' << T << ',' << tol << ',' << lock_time << ',' << lock_steps << ','
      << lock_error << '\n';
  return 0;
}
