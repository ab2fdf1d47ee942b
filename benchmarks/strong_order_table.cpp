// Strong orders of every SDE stepper on every catalogue problem whose noise it accepts: the
// convergence harness (convergence.hpp) solves each path at dt = 2^-3 … 2^-10 on one brownian_tree
// and fits the slope of log E|X_T − X(T)| against log dt. Prints a table (method, problem, theory
// order, fitted order, error at the finest dt) and writes strong_order_table.csv to the current
// directory, or to DIR with --out DIR. --paths N sets the number of paths (default 10⁴), seed 1.
//
//   build/release/benchmarks/strong_order_table --paths 10000 --out docs/results
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <tuple>
#include <type_traits>

#include <sdekit/solvers.hpp>
#include <sdekit/solvers/catalogue/catalogue.hpp>
#include <sdekit/solvers/convergence.hpp>

namespace sk = sdekit;
namespace cat = sdekit::catalogue;

namespace {

// The steppers and problems measured; adding one is one line.
using steppers = std::tuple<
    sk::euler_maruyama,
    sk::milstein,
    sk::derivative_free_milstein,
    sk::euler_heun,
    sk::stochastic_heun,
    sk::sri_w1,
    sk::sra1,
    sk::sra3>;
using problems = std::tuple<
    cat::geometric_brownian_motion,
    cat::kloeden_platen_wave,
    cat::kloeden_platen_cubic,
    cat::linear_diagonal_2d,
    cat::ornstein_uhlenbeck,
    cat::additive_time_dependent>;

// The strong order a method should show on a catalogue problem. Its noise is additive or diagonal
// with g_i depending on x_i alone, so it commutes: there the Stratonovich Heun methods reach 1
// rather than their general-noise ½, and Euler–Maruyama reaches 1 on additive noise (Kloeden &
// Platen 1992, §10.2, §11.1).
template <class Method, class Noise>
constexpr double theory_order() {
  constexpr bool heun = std::is_same_v<Method, sk::euler_heun> || std::is_same_v<Method, sk::stochastic_heun>;
  constexpr bool additive_euler = std::is_same_v<Method, sk::euler_maruyama> && std::is_same_v<Noise, sk::additive_noise>;
  if constexpr (heun || additive_euler) return 1.0;
  else return Method::strong_order;
}

struct settings {
  sk::convergence_options convergence;
  std::string out_dir = ".";
};

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    bool const has_value = i + 1 < argc;
    if (arg == "--out" && has_value) s.out_dir = argv[++i];
    else if (arg == "--paths" && has_value) s.convergence.paths = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::cerr << "usage: strong_order_table [--paths N] [--out DIR]\n";
      std::exit(2);
    }
  }
  return s;
}

// Columns line up on screen although method names hold multi-byte UTF-8 characters.
std::string pad(std::string const& s, std::size_t width) {
  std::size_t shown = 0;
  for (unsigned char c : s) shown += (c & 0xC0) != 0x80;
  return s + std::string(width > shown ? width - shown : 0, ' ');
}

template <class Method, class Problem>
void measure(sk::convergence_options const& options, std::ostream& csv) {
  if constexpr (Method::template accepts<typename Problem::noise>) {
    auto const start = std::chrono::steady_clock::now();
    auto const r = sk::strong_convergence(Problem{}, Method{}, options);
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double const theory = theory_order<Method, typename Problem::noise>();
    char row[128];
    std::snprintf(row, sizeof row, "%-8.2f%-9.3f%-12.3e%-12.1e%.1f", theory, r.order, r.error.back(),
                  r.standard_error.back(), seconds);
    std::cout << pad(Method::name, 26) << pad(Problem::name, 10) << row << std::endl;
    csv << '"' << Method::name << "\"," << Problem::name << ',' << theory << ',' << r.order << ','
        << r.dt.back() << ',' << r.error.back() << ',' << r.standard_error.back() << '\n';
  }
}

template <class Method>
void measure_on_every_problem(sk::convergence_options const& options, std::ostream& csv) {
  std::apply([&](auto... problem) { (measure<Method, decltype(problem)>(options, csv), ...); }, problems{});
}

}  // namespace

int main(int argc, char** argv) {
  settings const s = parse(argc, argv);
  std::string const csv_path = s.out_dir + "/strong_order_table.csv";
  std::ofstream csv(csv_path);
  if (!csv) {
    std::cerr << "strong_order_table: cannot write " << csv_path << "\n";
    return 1;
  }
  csv << "method,problem,theory_order,fitted_order,finest_dt,error_at_finest_dt,standard_error\n";
  auto const& o = s.convergence;
  std::cout << "Strong order, " << o.paths << " paths, seed " << o.seed << ", dt = 2^-" << o.coarsest_level
            << " … 2^-" << o.finest_level << " on [0, " << o.t1 << "]\n\n"
            << pad("method", 26) << pad("problem", 10) << pad("theory", 8) << pad("fitted", 9)
            << pad("error", 12) << pad("std.err.", 12) << "seconds\n";
  std::apply([&](auto... method) { (measure_on_every_problem<decltype(method)>(o, csv), ...); }, steppers{});
  std::cout << "\n(error and std.err. at the finest dt)\nwrote " << csv_path << "\n";
  return 0;
}
