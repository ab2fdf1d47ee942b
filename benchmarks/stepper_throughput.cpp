// Single-thread throughput of every SDE stepper, in nanoseconds per path-step: one path of
// 10⁴ steps (dt = 10⁻⁴ on [0, 1]) through sdekit::solve with grid_brownian, on geometric Brownian
// motion (diagonal, multiplicative noise) and Ornstein–Uhlenbeck (additive noise). The reference is
// a hand-written Euler–Maruyama loop in this binary that draws the same philox_normal numbers, so
// the ratio measures what the library's abstractions cost on top of the arithmetic and Philox.
// Times are CPU time per step. Prints a table and writes stepper_throughput.csv to the current
// directory, or to DIR with --out DIR; Google Benchmark's flags work as usual.
//
//   build/release/benchmarks/stepper_throughput --out docs/results
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <sdekit/solvers.hpp>

namespace sk = sdekit;

namespace {

// The steppers measured; adding one is one line.
using steppers = std::tuple<
    sk::euler_maruyama,
    sk::milstein,
    sk::derivative_free_milstein,
    sk::euler_heun,
    sk::stochastic_heun,
    sk::sri_w1,
    sk::sra1,
    sk::sra3>;

constexpr std::size_t steps = 10'000;
constexpr double dt = 1.0 / steps;
constexpr std::uint64_t seed = 2024;
using state = std::array<double, 1>;

// dX = μX dt + σX dW. In Stratonovich form the drift is (μ − σ²/2)X (Kloeden & Platen 1992, §4.9);
// ∂g/∂x = σ is attached for Milstein.
struct gbm {
  static constexpr const char* name = "GBM";
  using noise = sk::diagonal_noise;
  static constexpr double mu = 0.5, sigma = 0.3;

  template <class Calculus>
  static auto problem() {
    double const drift = std::is_same_v<Calculus, sk::ito> ? mu : mu - 0.5 * sigma * sigma;
    return sk::sde<noise, Calculus>([drift](auto const& x, double, auto& f) { f[0] = drift * x[0]; },
                                    [](auto const& x, double, auto& g) { g[0] = sigma * x[0]; })
        .with_diffusion_derivative([](auto const&, double, auto& dg) { dg[0] = sigma; });
  }
  static double euler_maruyama_step(double x, double dW) { return x + mu * x * dt + sigma * x * dW; }
};

// dX = θ(m − X) dt + σ dW: additive noise, the same in Itô and Stratonovich form.
struct ornstein_uhlenbeck {
  static constexpr const char* name = "OU";
  using noise = sk::additive_noise;
  static constexpr double theta = 1.0, mean = 0.5, sigma = 0.3;

  template <class Calculus>
  static auto problem() {
    return sk::sde<noise, Calculus>([](auto const& x, double, auto& f) { f[0] = theta * (mean - x[0]); },
                                    [](auto const&, double, auto& g) { g[0] = sigma; });
  }
  static double euler_maruyama_step(double x, double dW) { return x + theta * (mean - x) * dt + sigma * dW; }
};

using problems = std::tuple<gbm, ornstein_uhlenbeck>;

template <class Problem>
void hand_written_euler_maruyama(benchmark::State& st) {
  sk::philox_normal const normal(seed);
  double const sqrt_dt = std::sqrt(dt);
  for (auto _ : st) {
    double x = 1.0;
    for (std::size_t k = 0; k < steps; ++k) x = Problem::euler_maruyama_step(x, sqrt_dt * normal(0, k));
    benchmark::DoNotOptimize(x);
  }
}

template <class Method, class Problem>
void library_stepper(benchmark::State& st) {
  auto const problem = Problem::template problem<typename Method::calculus>();
  state const x0{1.0};
  for (auto _ : st) {
    auto sol = sk::solve(problem, Method{}, sk::grid_brownian(seed), {0.0, 1.0}, dt, x0);
    benchmark::DoNotOptimize(sol.x.back());
  }
}

constexpr const char* reference_name = "hand-written Euler–Maruyama";

struct entry {
  std::string method;
  std::string problem;
};
std::map<std::string, entry> registered;  // benchmark name → (method, problem)
std::vector<std::string> order;           // benchmark names in registration order

void add(std::string const& method, std::string const& problem, void (*fn)(benchmark::State&)) {
  std::string const name = method + "/" + problem;
  benchmark::RegisterBenchmark(name.c_str(), fn)->Unit(benchmark::kMicrosecond);
  registered[name] = {method, problem};
  order.push_back(name);
}

template <class Method, class Problem>
void add_stepper() {
  if constexpr (Method::template accepts<typename Problem::noise>)
    add(Method::name, Problem::name, library_stepper<Method, Problem>);
}

template <class Problem>
void add_problem() {
  add(reference_name, Problem::name, hand_written_euler_maruyama<Problem>);
  std::apply([](auto... method) { (add_stepper<decltype(method), Problem>(), ...); }, steppers{});
}

// Keeps the fastest CPU time per step of each benchmark while the console reporter prints as usual.
class recording_reporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> ns_per_step;

  void ReportRuns(std::vector<Run> const& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (auto const& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred || run.iterations == 0) continue;
      double const ns = run.cpu_accumulated_time / double(run.iterations) / double(steps) * 1e9;
      auto const [it, fresh] = ns_per_step.emplace(run.benchmark_name(), ns);
      if (!fresh && ns < it->second) it->second = ns;
    }
  }
};

// Columns line up on screen although method names hold multi-byte UTF-8 characters.
std::string pad(std::string const& s, std::size_t width) {
  std::size_t shown = 0;
  for (unsigned char c : s) shown += (c & 0xC0) != 0x80;
  return s + std::string(width > shown ? width - shown : 0, ' ');
}

std::string out_dir_from(int& argc, char** argv) {
  std::string dir = ".";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    if (arg == "--out" && i + 1 < argc) dir = argv[++i];
    else if (arg.rfind("--out=", 0) == 0) dir = arg.substr(6);
    else argv[kept++] = argv[i];
  }
  argc = kept;
  return dir;
}

}  // namespace

int main(int argc, char** argv) {
  std::string const out_dir = out_dir_from(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::apply([](auto... problem) { (add_problem<decltype(problem)>(), ...); }, problems{});

  recording_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  std::string const csv_path = out_dir + "/stepper_throughput.csv";
  std::ofstream csv(csv_path);
  if (!csv) {
    std::cerr << "stepper_throughput: cannot write " << csv_path << "\n";
    return 1;
  }
  csv << "method,problem,ns_per_step,steps_per_second,ratio_to_hand_written\n";
  std::cout << "\nSingle-thread throughput, one path of " << steps << " steps, dt = " << dt << " (CPU time)\n\n"
            << pad("method", 30) << pad("problem", 9) << pad("ns/step", 10) << pad("Msteps/s", 10) << "× hand-written\n";
  for (auto const& name : order) {
    auto const found = reporter.ns_per_step.find(name);
    if (found == reporter.ns_per_step.end()) continue;  // filtered out by --benchmark_filter
    entry const& e = registered.at(name);
    auto const reference = reporter.ns_per_step.find(std::string(reference_name) + "/" + e.problem);
    double const ns = found->second;
    double const ratio = reference == reporter.ns_per_step.end() ? NAN : ns / reference->second;
    char row[96];
    std::snprintf(row, sizeof row, "%-10.2f%-10.2f%.2f", ns, 1e3 / ns, ratio);
    std::cout << pad(e.method, 30) << pad(e.problem, 9) << row << "\n";
    csv << '"' << e.method << "\"," << e.problem << ',' << ns << ',' << 1e9 / ns << ',' << ratio << '\n';
  }
  std::cout << "\nwrote " << csv_path << "\n";
  return 0;
}
