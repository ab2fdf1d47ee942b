// Must not compile: SRIW1 refuses a problem with general noise with a sentence.
// The stepper's own static_assert, met when step() is called directly (solve() refuses first with its
// general sentence). Run by CTest (tests/solvers/CMakeLists.txt), which looks for the sentence in the compiler's output.
#include <vector>

#include <sdekit/solvers/grid_brownian.hpp>
#include <sdekit/solvers/problem.hpp>
#include <sdekit/solvers/state.hpp>
#include <sdekit/solvers/sri_w1.hpp>

int main() {
  auto general = sdekit::sde<sdekit::general_noise>(
      [](auto const& x, double, auto& f) { f[0] = x[0]; },
      [](auto const& x, double, auto& g) { g[0] = x[0]; g[1] = 1.0; }, 2);
  sdekit::sri_w1::workspace<std::vector<double>, sdekit::general_noise> work;
  work.resize(1, 2);
  sdekit::grid_brownian w(1, 0, 0.0, 0.1, 2);
  std::vector<double> x{1.0};
  sdekit::sri_w1{}.step(general, w, x, 0.0, 0.1, work);
}
