// Throughput of per-path ensembles: Euler–Maruyama on GBM and Ornstein–Uhlenbeck, P paths × K steps,
// solve_ensemble on the OMP and TBB backends with 1 and 2 threads, against a hand-written OpenMP
// loop in the same binary that uses the same SIMD Philox normals (sleef_philox_normal) and the same
// arithmetic, so both give the same bits (checked). Also the normal generators' own rates and the
// scaling from 10⁴ to 10⁷ paths. Each row has the wall time and the process CPU time (all threads),
// since on a shared machine the wall time also counts other programs; the throughput rows are the
// fastest of --repetitions runs, the hand loop and the ensembles taking turns, so that a slow moment
// of the machine does not land on one of them. Prints tables; writes ensemble_euler_maruyama.csv
// to --out.
//
//   ensemble_euler_maruyama [--paths 1000000] [--steps 1000] [--repetitions 3] [--out DIR] [--quick]
#include <omp.h>

#include <time.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;

namespace {

constexpr double mu = 0.5, sigma = 0.3;           // GBM: dX = μX dt + σX dW
constexpr double theta = 1.5, mean = 0.5, vol = 0.8;  // OU: dX = θ(m − X) dt + v dW

auto gbm() {
  return sk::sde<sk::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = mu * x[0]; },
                                     [](auto const& x, double, auto& g) { g[0] = sigma * x[0]; });
}
auto ou() {
  return sk::sde<sk::additive_noise>([](auto const& x, double, auto& f) { f[0] = theta * (mean - x[0]); },
                                     [](auto const&, double, auto& g) { g[0] = vol; });
}

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double last_cpu_seconds = 0.0;  // CPU time of the last call of seconds()

// Wall time of f(); its CPU time goes to last_cpu_seconds.
template <class F>
double seconds(F&& f) {
  double const cpu_start = cpu_now();
  auto const start = std::chrono::steady_clock::now();
  f();
  double const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  last_cpu_seconds = cpu_now() - cpu_start;
  return wall;
}

// The hand-written loop: blocks of 8 paths, 16 steps of normals at a time from the SIMD generator,
// then each step over the 8 lanes (vectorised). Steps h = t_{k+1} − t_k as solve() takes them.
template <bool IsGbm>
std::vector<double> hand_loop(std::uint64_t seed, std::size_t paths, std::size_t steps, int threads) {
  constexpr std::size_t width = 8, chunk = 16;
  double const dt = 1.0 / double(steps);
  std::vector<double> h(steps);
  for (std::size_t k = 0; k < steps; ++k) h[k] = (k + 1 == steps ? 1.0 : double(k + 1) * dt) - double(k) * dt;
  double const sqrt_dt = std::sqrt(dt);
  std::vector<double> x(paths);
  sk::sleef_philox_normal const normal(seed);
  std::size_t const blocks = (paths + width - 1) / width;
  omp_set_num_threads(threads);
#pragma omp parallel for schedule(static)
  for (std::size_t b = 0; b < blocks; ++b) {
    alignas(64) double lane[width], z[chunk][width];
    for (std::size_t l = 0; l < width; ++l) lane[l] = 1.0;
    for (std::size_t k0 = 0; k0 < steps; k0 += chunk) {
      for (std::size_t q = 0; q < chunk / 2; ++q) normal.pairs<width>(b * width, k0 / 2 + q, 0, z[2 * q], z[2 * q + 1]);
      for (std::size_t s = 0; s < chunk && k0 + s < steps; ++s) {
        double const hk = h[k0 + s];
        for (std::size_t l = 0; l < width; ++l) {
          double const dw = sqrt_dt * z[s][l];
          if constexpr (IsGbm) {
            double const f = mu * lane[l], g = sigma * lane[l];
            lane[l] += hk * f;
            lane[l] += g * dw;
          } else {
            double const f = theta * (mean - lane[l]);
            lane[l] += hk * f;
            lane[l] += vol * dw;
          }
        }
      }
    }
    for (std::size_t l = 0; l < width && b * width + l < paths; ++l) x[b * width + l] = lane[l];
  }
  return x;
}

struct row {
  std::string table, problem, backend;
  int threads;
  std::size_t paths, steps;
  double seconds, rate, ratio;
  double cpu_seconds = last_cpu_seconds;
};

struct options {
  std::size_t paths = 1'000'000;
  std::size_t steps = 1000;
  int repetitions = 3;
  std::string out = ".";
  bool quick = false;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string const a = argv[i];
    if (a == "--paths" && i + 1 < argc) o.paths = std::stoul(argv[++i]);
    else if (a == "--steps" && i + 1 < argc) o.steps = std::stoul(argv[++i]);
    else if (a == "--repetitions" && i + 1 < argc) o.repetitions = std::stoi(argv[++i]);
    else if (a == "--out" && i + 1 < argc) o.out = argv[++i];
    else if (a == "--quick") o.quick = true;
  }
  if (o.quick) {
    o.paths = 10'000;
    o.steps = 100;
    o.repetitions = 1;
  }
  return o;
}

// The fastest of o.repetitions runs of f: its wall time, with its CPU time in last_cpu_seconds.
struct fastest {
  double wall = 0.0, cpu = 0.0;
  template <class F>
  void run(F&& f) {
    double const t = seconds(f);
    if (wall == 0.0 || t < wall) {
      wall = t;
      cpu = last_cpu_seconds;
    }
  }
};

template <class Problem, bool IsGbm>
void throughput(char const* name, Problem const& problem, options const& o, std::vector<row>& rows) {
  std::array<double, 1> const x0{1.0};
  double const work = double(o.paths) * double(o.steps);
  char const* const backends[] = {"omp", "tbb"};
  for (int threads : {1, 2}) {
    fastest hand_time, ensemble_time[2];
    std::vector<double> hand;
    bool same[2] = {true, true};
    for (int r = 0; r < o.repetitions; ++r) {
      hand_time.run([&] { hand = hand_loop<IsGbm>(42, o.paths, o.steps, threads); });
      for (int b = 0; b < 2; ++b) {
        sk::ensemble_solution<double> sol;
        ensemble_time[b].run([&] {
          sol = sk::solve_ensemble(sk::host_backend{backends[b], threads}, problem, sk::euler_maruyama{},
                                   sk::fast_grid_brownian(42), o.paths, sk::time_span{0.0, 1.0}, 1.0 / double(o.steps), x0);
        });
        same[b] = same[b] && sol.x == hand;
      }
    }
    last_cpu_seconds = hand_time.cpu;
    rows.push_back({"throughput", name, "hand-written OpenMP loop", threads, o.paths, o.steps, hand_time.wall,
                    work / hand_time.wall, 1.0});
    for (int b = 0; b < 2; ++b) {
      if (!same[b]) std::printf("warning: %s %s/%d differs from the hand-written loop\n", name, backends[b], threads);
      last_cpu_seconds = ensemble_time[b].cpu;
      rows.push_back({"throughput", name, std::string("solve_ensemble ") + backends[b] + (same[b] ? "" : " (bits differ)"),
                      threads, o.paths, o.steps, ensemble_time[b].wall, work / ensemble_time[b].wall,
                      hand_time.wall / ensemble_time[b].wall});
    }
  }
}

void generator_rates(options const& o, std::vector<row>& rows) {
  std::size_t const n = o.quick ? 1'000'000 : 100'000'000;
  double sink = 0.0;
  sk::philox_normal const scalar(1);
  double const t_scalar = seconds([&] {
    for (std::size_t i = 0; i < n / 8; i += 2) {
      sk::normal_pair const p = scalar.pair(i & 1023, i >> 10);
      sink += p.first + p.second;
    }
  });
  rows.push_back({"normals", "philox_normal (scalar Box–Muller)", "one thread", 1, n / 8, 0, t_scalar, double(n / 8) / t_scalar, 0});
  sk::sleef_philox_normal const fast(1);
  for (int threads : {1, 2}) {
    omp_set_num_threads(threads);
    double const t = seconds([&] {
#pragma omp parallel for schedule(static) reduction(+ : sink)
      for (std::size_t b = 0; b < n / 16; ++b) {
        alignas(64) double a[8], c[8];
        fast.pairs<8>(b * 8, b, 0, a, c);
        sink += a[0] + c[7];
      }
    });
    rows.push_back({"normals", "sleef_philox_normal (SIMD)", "OpenMP", threads, n, 0, t, double(n) / t, 0});
  }
  if (sink == 0.123) std::printf(" ");
}

void scaling(options const& o, std::vector<row>& rows) {
  std::size_t const steps = o.quick ? 10 : 100;
  std::vector<std::size_t> sizes = {10'000, 100'000, 1'000'000, 10'000'000};
  if (o.quick) sizes = {1'000, 10'000};
  for (std::size_t paths : sizes)
    for (int threads : {1, 2}) {
      double const t = seconds([&] {
        auto const sol = sk::solve_ensemble(sk::host_backend{"omp", threads}, gbm(), sk::euler_maruyama{},
                                            sk::fast_grid_brownian(7), paths, sk::time_span{0.0, 1.0},
                                            1.0 / double(steps), std::array<double, 1>{1.0});
        sol.require_success();
      });
      rows.push_back({"scaling", "GBM", "solve_ensemble omp", threads, paths, steps, t, double(paths * steps) / t, 0});
    }
}

}  // namespace

int main(int argc, char** argv) {
  options const o = parse(argc, argv);
  std::vector<row> rows;
  generator_rates(o, rows);
  throughput<decltype(gbm()), true>("GBM", gbm(), o, rows);
  throughput<decltype(ou()), false>("OU", ou(), o, rows);
  scaling(o, rows);

  std::printf("%-10s %-34s %-34s %7s %10s %6s %9s %9s %12s %8s\n", "table", "problem / generator", "backend", "threads",
              "paths", "steps", "seconds", "cpu s", "rate (/s)", "ratio");
  for (row const& r : rows)
    std::printf("%-10s %-34s %-34s %7d %10zu %6zu %9.3f %9.3f %12.4g %8.3f\n", r.table.c_str(), r.problem.c_str(),
                r.backend.c_str(), r.threads, r.paths, r.steps, r.seconds, r.cpu_seconds, r.rate, r.ratio);
  std::printf("rate: path-steps/s of wall time (normals/s in the normals table); ratio: hand-written loop time /\n"
              "ensemble time, wall; cpu s: process CPU time of all threads\n");
  std::ofstream csv(o.out + "/ensemble_euler_maruyama.csv");
  csv << "table,problem,backend,threads,paths,steps,seconds,cpu_seconds,rate,ratio_to_hand_loop\n";
  for (row const& r : rows)
    csv << r.table << ',' << r.problem << ',' << r.backend << ',' << r.threads << ',' << r.paths << ',' << r.steps << ','
        << r.seconds << ',' << r.cpu_seconds << ',' << r.rate << ',' << r.ratio << '\n';
  return 0;
}
