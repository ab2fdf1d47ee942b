// Per-path adaptive steps against lock-step Odeint, at equal accuracy, on Odeint's lorenz_parameters
// set-up: N Lorenz systems (σ = 10, b = 8/3) with ρ_i spread evenly over [0.1, 50], x(0) = (10, 10, 10),
// t ∈ [0, 10]. Systems with ρ > 24.74 are chaotic, those below settle to a fixed point (after a
// chaotic transient for ρ above about 13.9), so one shared dt is set at each moment by the hardest.
//
//   per path   solve_ensemble with dormand_prince5 (FSAL) and the PI controller, OMP (2 threads
//              unless --threads): each system its own dt, 8 systems at a time on SIMD lanes;
//   lock-step  Odeint's runge_kutta_dopri5 under its controller (make_controlled; the loop of
//              integrate_adaptive, counting rejected tries too) on one thrust::omp::vector of 3N
//              components through thrust_algebra / thrust_operations, OMP, as many threads: one
//              shared dt.
//
// Both start at dt = 0.01 and run a sweep rtol = atol = tol. The controllers measure error
// differently (sdekit: RMS over components relative to max(|x|, |x̃|); Odeint: maximum over all 3N
// components relative to |x| + dt|x'|), so equal nominal tolerance is not equal accuracy. The
// achieved error is measured the same way for both, on a fixed subset of M = min(1000, N) systems
// spread evenly over the index (so over the whole ρ range):
//
//   error = max over the subset of  max_j |x_j(10) − x_ref,j(10)| / max_{t ≤ 10, j} |x_ref,j(t)|,
//
// the deviation in the max norm relative to the size of the system's reference trajectory (at
// least 10, from x(0); the size at t = 10 alone would not do: a chaotic trajectory can pass near the
// origin at t = 10, and the decaying ones end there). The reference is Odeint's
// runge_kutta_fehlberg78 per system in long double at rtol = atol = 10⁻¹⁷, beyond the round-off of
// double that the chaotic systems amplify; its difference from the same solve at 10⁻¹⁵ is printed
// as a bound on its own error. Two speed-ups are printed per tolerance: at the same nominal
// tolerance, and at equal achieved error, where the lock-step time at the per-path run's error is
// interpolated linearly in (log error, log time) between the two lock-step sweep points whose
// errors bracket it (none is given outside the lock-step errors: no extrapolation, and none where
// the error is 0.1 or more: there the most chaotic systems have lost their trajectory and the
// error has stopped falling with the tolerance). The same ratio at equal median error over the
// subset is printed beside it. Times are wall time and process CPU time (all threads). Writes
// ensemble_lorenz.csv to --out.
//
// The lock-step solve runs some 40 short parallel loops per step. On a shared machine each of them
// waits whenever another process holds one of the cores; with libgomp's default (spinning) wait
// that made it up to 30 times slower on 2 busy cores. OMP_WAIT_POLICY=passive avoids the stalls
// but costs the lock-step 1.5–1.8× on idle cores at 10⁵ systems; the policy in force is printed.
//
//   ensemble_lorenz [--systems 1000000] [--tolerances 1e-3,1e-4,...,1e-9] [--threads 2] [--out DIR]
//                   [--quick: 100 systems, 3 tolerances, 1 thread]
//   ensemble_lorenz --combine A.csv,B.csv [--out DIR]
//
// --combine reads the CSVs of runs over parts of a sweep (same systems, threads and wait policy)
// and reports them as one sweep, so that a long sweep can be run in pieces.
#include <omp.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
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

constexpr double t_end = 10.0, dt0 = 0.01, rho_min = 0.1, rho_max = 50.0;

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
    thrust::for_each(thrust::omp::par, thrust::counting_iterator<std::size_t>(0),
                     thrust::counting_iterator<std::size_t>(m), [=](std::size_t i) {
                       dx[i] = 10.0 * (x[m + i] - x[i]);
                       dx[m + i] = r[i] * x[i] - x[m + i] - x[i] * x[2 * m + i];
                       dx[2 * m + i] = x[i] * x[m + i] - 8.0 / 3.0 * x[2 * m + i];
                     });
  }
};

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

struct clocks {
  double wall, cpu;
};

// The machine's 1-minute load average (/proc/loadavg), NaN where there is none.
double load_average() {
  std::ifstream in("/proc/loadavg");
  double load = 0.0;
  return in >> load ? load : std::numeric_limits<double>::quiet_NaN();
}

template <class F>
clocks measure(F&& f) {
  double const cpu = process_cpu_seconds();
  auto const start = std::chrono::steady_clock::now();
  f();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), process_cpu_seconds() - cpu};
}

// The state at t = 10 of one system, and its size: the largest |x_j(t)| on [0, 10] (at the steps).
struct reference_point {
  state x;
  double size;
};

// One system by Odeint's Fehlberg 7(8) in long double at rtol = atol = tol.
// g++ 12 flags the copy of the stepper's not yet used scratch arrays (std::array<long double, 3>)
// inside make_controlled as a use of uninitialized memory; they are written before being read.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
reference_point fehlberg78_long_double(double rho, double tol) {
  using wide = std::array<long double, 3>;
  long double const r = rho;
  auto const system = [r](wide const& s, wide& d, long double) {
    d[0] = 10.0L * (s[1] - s[0]);
    d[1] = r * s[0] - s[1] - s[0] * s[2];
    d[2] = s[0] * s[1] - 8.0L / 3.0L * s[2];
  };
  wide x{10.0L, 10.0L, 10.0L};
  long double size = 0.0L;
  auto const observe = [&size](wide const& s, long double) {
    for (long double const v : s) size = std::fmax(size, std::fabs(v));
  };
  using stepper = odeint::runge_kutta_fehlberg78<wide, long double, wide, long double>;
  odeint::integrate_adaptive(odeint::make_controlled<stepper>(tol, tol), system, x, 0.0L, (long double)t_end,
                             (long double)dt0, observe);
  return {{double(x[0]), double(x[1]), double(x[2])}, double(size)};
}
#pragma GCC diagnostic pop

// The benchmark's one error metric (header comment).
double scaled_deviation(state const& x, reference_point const& reference) {
  double deviation = 0.0;
  for (std::size_t j = 0; j < 3; ++j) deviation = std::fmax(deviation, std::fabs(x[j] - reference.x[j]));
  return deviation / reference.size;
}

struct sweep_point {
  double tol;
  clocks time;
  double load;          // 1-minute load average when the solve started (NaN where unknown)
  double mean_steps;    // tries (accepted + rejected): mean per system (per path), shared (lock-step)
  double max_steps;     // tries of the system that took most (per path), shared (lock-step)
  double rejected;      // rejected tries: mean per system (per path), shared (lock-step)
  double error;         // max over the subset
  double median_error;  // median over the subset
};

void summarise_errors(std::vector<double> errors, sweep_point& point) {
  std::sort(errors.begin(), errors.end());
  point.error = errors.back();
  point.median_error = errors[errors.size() / 2];
}

// At a max error of 0.1 or more the most chaotic systems have lost their trajectory: the error no
// longer falls with the tolerance, and equal error means nothing there.
constexpr double saturated_error = 0.1;

// Lock-step wall time at a given achieved error (`of` picks max or median), interpolated in
// (log error, log time) between the neighbouring unsaturated lock-step points that bracket it; NaN
// outside their range.
template <class Error>
double lock_step_time_at(std::vector<sweep_point> const& lock_step, double error, Error of) {
  if (error >= saturated_error) return std::numeric_limits<double>::quiet_NaN();
  std::vector<sweep_point> lock;
  for (sweep_point const& p : lock_step)
    if (of(p) < saturated_error) lock.push_back(p);
  std::sort(lock.begin(), lock.end(), [&](sweep_point const& a, sweep_point const& b) { return of(a) < of(b); });
  for (std::size_t i = 0; i + 1 < lock.size(); ++i) {
    double const e0 = of(lock[i]), e1 = of(lock[i + 1]);
    if (error < e0 || error > e1) continue;
    if (e0 == e1) return lock[i].time.wall;
    double const w = (std::log(error) - std::log(e0)) / (std::log(e1) - std::log(e0));
    return std::exp((1.0 - w) * std::log(lock[i].time.wall) + w * std::log(lock[i + 1].time.wall));
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string ratio_text(double ratio, double error) {
  if (error >= saturated_error) return "saturated";
  if (std::isnan(ratio)) return "outside sweep";
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", ratio);
  return text;
}

// Everything a report needs besides the sweep points.
struct run_info {
  std::size_t systems;
  int threads;
  std::string wait_policy;  // OMP_WAIT_POLICY: how idle OpenMP threads wait (spin or sleep)
  std::size_t checked;
  double reference_uncertainty;
};

std::string omp_wait_policy() {
  char const* policy = std::getenv("OMP_WAIT_POLICY");
  return policy && *policy ? policy : "default";
}

char const* const csv_header =
    "systems,threads,omp_wait_policy,checked,tol,method,wall_s,cpu_s,load_1min,mean_steps,max_steps,rejected,"
    "max_error,median_error,speedup_same_tol,speedup_same_tol_cpu,speedup_equal_max_error,speedup_equal_median_error,"
    "reference_uncertainty\n";

void write_row(std::ostream& csv, run_info const& run, char const* method, sweep_point const& p) {
  csv << run.systems << ',' << run.threads << ',' << run.wait_policy << ',' << run.checked << ',' << p.tol << ','
      << method << ',' << p.time.wall << ',' << p.time.cpu << ',' << p.load << ',' << p.mean_steps << ','
      << p.max_steps << ',' << p.rejected << ',' << p.error << ',' << p.median_error;
}

// Prints the table and the speed-ups, and writes ensemble_lorenz.csv to `out`. per_path[i] and
// lock_step[i] are at the same tolerance.
void report(run_info const& run, std::vector<sweep_point> const& per_path, std::vector<sweep_point> const& lock_step,
            std::string const& out) {
  std::printf("Lorenz ensemble (Odeint's lorenz_parameters): %zu systems, rho in [%g, %g], x0 = (10, 10, 10), "
              "t in [0, %g], OpenMP threads: %d, OMP_WAIT_POLICY: %s\n",
              run.systems, rho_min, rho_max, t_end, run.threads, run.wait_policy.c_str());
  std::printf("error: over %zu systems spread over rho, max_j |x_j - ref_j| at t = %g / max_j,t |ref_j(t)|;\n"
              "reference Fehlberg 7(8) in long double at 1e-17, its difference from the same at 1e-15: %.1e\n\n",
              run.checked, t_end, run.reference_uncertainty);
  std::printf("%-9s %-9s %9s %9s %5s %9s %7s %9s %10s %10s\n", "tol", "method", "wall s", "cpu s", "load", "steps",
              "max", "rejected", "max error", "median err");
  for (std::size_t i = 0; i < per_path.size(); ++i) {
    sweep_point const& a = per_path[i];
    sweep_point const& b = lock_step[i];
    std::printf("%-9.0e %-9s %9.3f %9.3f %5.2f %9.1f %7.0f %9.3g %10.2e %10.2e\n", a.tol, "per-path", a.time.wall,
                a.time.cpu, a.load, a.mean_steps, a.max_steps, a.rejected, a.error, a.median_error);
    std::printf("%-9s %-9s %9.3f %9.3f %5.2f %9.0f %7s %9.0f %10.2e %10.2e\n", "", "lock-step", b.time.wall,
                b.time.cpu, b.load, b.mean_steps, "", b.rejected, b.error, b.median_error);
  }
  std::printf("\nspeed-up of per-path over lock-step:\n");
  std::printf("%-9s %10s %10s %16s %16s %8s\n", "tol", "same tol", "(cpu)", "equal max err", "equal median", "steps");
  std::ofstream csv(out + "/ensemble_lorenz.csv");
  csv << csv_header;
  auto const max_of = [](sweep_point const& p) { return p.error; };
  auto const median_of = [](sweep_point const& p) { return p.median_error; };
  for (std::size_t i = 0; i < per_path.size(); ++i) {
    sweep_point const& a = per_path[i];
    sweep_point const& b = lock_step[i];
    double const same_tol = b.time.wall / a.time.wall;
    double const same_tol_cpu = b.time.cpu / a.time.cpu;
    double const equal_max = lock_step_time_at(lock_step, a.error, max_of) / a.time.wall;
    double const equal_median = lock_step_time_at(lock_step, a.median_error, median_of) / a.time.wall;
    std::printf("%-9.0e %9.2fx %9.2fx %16s %16s %7.2fx\n", a.tol, same_tol, same_tol_cpu,
                ratio_text(equal_max, a.error).c_str(), ratio_text(equal_median, a.median_error).c_str(),
                b.mean_steps / a.mean_steps);
    write_row(csv, run, "per-path dormand_prince5", a);
    csv << ',' << same_tol << ',' << same_tol_cpu << ',' << equal_max << ',' << equal_median << ','
        << run.reference_uncertainty << '\n';
    write_row(csv, run, "lock-step odeint dopri5", b);
    csv << ",,,,," << run.reference_uncertainty << '\n';
  }
  std::printf("\n(load: 1-minute load average when the solve started; wall time unless (cpu); equal error:\n"
              " the lock-step wall time at the per-path run's error, interpolated in log-log between the two\n"
              " lock-step points whose errors bracket it; 'saturated': error >= %g, trajectories lost; steps:\n"
              " shared lock-step steps / mean per-path steps)\n",
              saturated_error);
}

std::vector<std::string> split(std::string const& text, char separator) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, separator);) items.push_back(item);
  return items;
}

// The runs of several CSVs (written by report) as one sweep, in decreasing tolerance.
void combine(std::vector<std::string> const& files, std::string const& out) {
  run_info run{0, 0, "", 0, 0.0};
  std::vector<sweep_point> per_path, lock_step;
  for (std::string const& file : files) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::string line;
    std::getline(in, line);
    if (line + "\n" != csv_header) throw std::runtime_error(file + " is not an ensemble_lorenz.csv of this version");
    while (std::getline(in, line)) {
      std::vector<std::string> const f = split(line, ',');
      run_info const row{std::stoul(f[0]), std::stoi(f[1]), f[2], std::stoul(f[3]), std::stod(f.back())};
      if (run.systems == 0) run = row;
      if (row.systems != run.systems || row.threads != run.threads || row.wait_policy != run.wait_policy ||
          row.checked != run.checked)
        throw std::runtime_error(file + " has other systems, threads, wait policy or checked systems");
      run.reference_uncertainty = std::fmax(run.reference_uncertainty, row.reference_uncertainty);
      sweep_point const p{std::stod(f[4]),  {std::stod(f[6]), std::stod(f[7])}, std::stod(f[8]), std::stod(f[9]),
                          std::stod(f[10]), std::stod(f[11]), std::stod(f[12]), std::stod(f[13])};
      (f[5].rfind("per-path", 0) == 0 ? per_path : lock_step).push_back(p);
    }
  }
  auto const by_tolerance = [](sweep_point const& a, sweep_point const& b) { return a.tol > b.tol; };
  std::sort(per_path.begin(), per_path.end(), by_tolerance);
  std::sort(lock_step.begin(), lock_step.end(), by_tolerance);
  if (per_path.empty() || per_path.size() != lock_step.size())
    throw std::runtime_error("the files do not hold one per-path and one lock-step row per tolerance");
  for (std::size_t i = 0; i < per_path.size(); ++i)
    if (per_path[i].tol != lock_step[i].tol)
      throw std::runtime_error("the files do not hold one per-path and one lock-step row per tolerance");
  report(run, per_path, lock_step, out);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 1'000'000;
  int threads = 2;
  std::vector<double> tolerances{1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9};
  std::string out = ".";
  std::vector<std::string> combined;
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    std::string const a = argv[i];
    if (a == "--systems" && i + 1 < argc) n = std::stoul(argv[++i]);
    else if (a == "--tolerances" && i + 1 < argc) {
      tolerances.clear();
      for (std::string const& item : split(argv[++i], ',')) tolerances.push_back(std::stod(item));
    } else if (a == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
    else if (a == "--out" && i + 1 < argc) out = argv[++i];
    else if (a == "--combine" && i + 1 < argc) combined = split(argv[++i], ',');
    else if (a == "--quick") quick = true;
    else {
      std::fprintf(stderr,
                   "usage: ensemble_lorenz [--systems N] [--tolerances a,b,...] [--threads T] [--out DIR] [--quick]\n"
                   "       ensemble_lorenz --combine A.csv,B.csv,... [--out DIR]\n");
      return 2;
    }
  }
  if (!combined.empty()) {
    try {
      combine(combined, out);
    } catch (std::exception const& e) {
      std::fprintf(stderr, "ensemble_lorenz --combine: %s\n", e.what());
      return 1;
    }
    return 0;
  }
  if (quick) {  // the smoke test; one thread, as the lock-step's many short parallel loops stall on a busy machine
    n = 100;
    tolerances = {1e-3, 1e-5, 1e-7};
    threads = 1;
  }
  if (n < 2 || tolerances.empty() || threads < 1) {
    std::fprintf(stderr, "need at least 2 systems, one tolerance and one thread\n");
    return 2;
  }

  // Odeint's lorenz_parameters: ρ_i = ρ_min + i (ρ_max − ρ_min) / (N − 1).
  std::vector<double> rho(n);
  for (std::size_t i = 0; i < n; ++i) rho[i] = rho_min + (rho_max - rho_min) * double(i) / double(n - 1);
  state const x0{10.0, 10.0, 10.0};
  sk::time_span const span{0.0, t_end};

  // The checked subset, evenly spread over the index (and so over ρ), ends included.
  std::size_t const checked = std::min<std::size_t>(1000, n);
  std::vector<std::size_t> subset(checked);
  std::vector<double> rho_subset(checked);
  for (std::size_t k = 0; k < checked; ++k) {
    subset[k] = std::size_t(std::llround(double(k) * double(n - 1) / double(checked - 1)));
    rho_subset[k] = rho[subset[k]];
  }

  // Reference: Fehlberg 7(8) in long double at 10⁻¹⁷ per system; its check: the same at 10⁻¹⁵.
  std::vector<reference_point> reference(checked);
  double reference_uncertainty = 0.0;
  clocks const reference_time = measure([&] {
    omp_set_num_threads(threads);
#pragma omp parallel for schedule(dynamic) reduction(max : reference_uncertainty)
    for (std::size_t k = 0; k < checked; ++k) {
      reference[k] = fehlberg78_long_double(rho_subset[k], 1e-17);
      reference_uncertainty = std::fmax(reference_uncertainty,
                                        scaled_deviation(fehlberg78_long_double(rho_subset[k], 1e-15).x, reference[k]));
    }
  });
  auto const errors_of = [&](auto const& final_state, sweep_point& point) {
    std::vector<double> errors(checked);
    for (std::size_t k = 0; k < checked; ++k) errors[k] = scaled_deviation(final_state(subset[k]), reference[k]);
    summarise_errors(errors, point);
  };

  std::vector<sweep_point> per_path, lock_step;
  double total_wall = reference_time.wall;

  // The batch of the lock-step solves: (x₀…x_{N−1}, y₀…, z₀…).
  omp_set_num_threads(threads);
  thrust::omp::vector<double> const rho_batch(rho.begin(), rho.end());
  lorenz_batch const system{thrust::raw_pointer_cast(rho_batch.data()), n};
  using stepper = odeint::runge_kutta_dopri5<batch, double, batch, double, sk::thrust_algebra, sk::thrust_operations>;
  bool gave_up = false;

  // Per tolerance, the two solves one after the other, so that a busy spell on a shared machine
  // falls on both alike more often than on all of one of them.
  for (double const tol : tolerances) {
    // Per path: each system its own dt.
    sk::ensemble_solution<double> sol;
    double load = load_average();
    clocks time = measure([&] {
      sol = sk::solve_ensemble(sk::host_backend{"omp", threads}, sk::with_parameters(lorenz(), rho),
                               sk::dormand_prince5{}, sk::no_brownian{}, n, span, dt0, x0,
                               sk::solve_options<sk::pi_controller>{{}, sk::pi_controller{tol, tol}});
    });
    sol.require_success();
    sweep_point point{tol, time, load, 0.0, 0.0, 0.0, 0.0, 0.0};
    for (std::size_t p = 0; p < n; ++p) {
      double const steps = double(sol.accepted_steps[p] + sol.rejected_steps[p]);
      point.mean_steps += steps / double(n);
      point.max_steps = std::max(point.max_steps, steps);
      point.rejected += double(sol.rejected_steps[p]) / double(n);
    }
    errors_of([&](std::size_t p) { return state{sol.final_value(p, 0), sol.final_value(p, 1), sol.final_value(p, 2)}; },
              point);
    per_path.push_back(point);
    total_wall += time.wall;

    // Lock-step: one shared dt for the 3N components.
    omp_set_num_threads(threads);
    batch x(3 * n, 10.0);
    std::uint64_t accepted = 0, rejected = 0;
    load = load_average();
    time = measure([&] {
      auto controlled = odeint::make_controlled(tol, tol, stepper{});
      double t = 0.0, dt = dt0;
      // integrate_adaptive's loop (Boost 1.74, integrate_adaptive.hpp), counting rejected tries.
      while (t_end - t > std::numeric_limits<double>::epsilon()) {
        if (t + dt > t_end) dt = t_end - t;
        if (controlled.try_step(system, x, t, dt) == odeint::success) ++accepted;
        else if (++rejected > 100'000) break;
      }
    });
    gave_up = gave_up || rejected > 100'000;
    double const tries = double(accepted + rejected);
    point = {tol, time, load, tries, tries, double(rejected), 0.0, 0.0};
    errors_of([&](std::size_t p) { return state{x[p], x[n + p], x[2 * n + p]}; }, point);
    lock_step.push_back(point);
    total_wall += time.wall;
  }

  report({n, threads, omp_wait_policy(), checked, reference_uncertainty}, per_path, lock_step, out);
  std::printf("total wall time %.1f s (reference %.1f s)\n", total_wall, reference_time.wall);
  if (gave_up) {
    std::fprintf(stderr, "the lock-step solve gave up after 100000 rejected tries\n");
    return 1;
  }
  return 0;
}
