// Must not compile: SRA1 refuses a problem with diagonal (multiplicative) noise with a sentence.
// The stepper's own static_assert, met when step() is called directly (solve() refuses first with its
// general sentence). Run by CTest (tests/solvers/CMakeLists.txt), which looks for the sentence in the compiler's output.
#include <vector>

#include <sdekit/solvers/grid_brownian.hpp>
#include <sdekit/solvers/problem.hpp>
#include <sdekit/solvers/state.hpp>
#include <sdekit/solvers/sra1.hpp>

int main() {
  auto gbm = sdekit::sde<sdekit::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = x[0]; },
                                                 [](auto const& x, double, auto& g) { g[0] = x[0]; });
  sdekit::sra1::workspace<std::vector<double>, sdekit::diagonal_noise> work;
  work.resize(1, 1);
  sdekit::grid_brownian w(1, 0, 0.0, 0.1, 1);
  std::vector<double> x{1.0};
  sdekit::sra1{}.step(gbm, w, x, 0.0, 0.1, work);
}
