// Claims about brownian_tree: one path whatever the step sizes and query order. Seed 11.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <sdekit/solvers/brownian_tree.hpp>

namespace sk = sdekit;

BOOST_AUTO_TEST_CASE(sum_of_increments_equals_total_for_every_step_size) {
  sk::brownian_tree reference(11, 5, 0.0, 1.0, 0.0, 2);
  std::vector<double> total(2);
  reference.value(1.0, total);
  for (int level = 3; level <= 12; ++level) {
    sk::brownian_tree w(11, 5, 0.0, 1.0, 0.0, 2);
    double const dt = std::ldexp(1.0, -level);
    std::vector<double> sum(2, 0.0), dW(2);
    for (int k = 0; k < (1 << level); ++k) {
      w.increment(k * dt, (k + 1) * dt, dW);
      for (int j = 0; j < 2; ++j) sum[j] += dW[j];
    }
    for (int j = 0; j < 2; ++j) BOOST_TEST(std::fabs(sum[j] - total[j]) < 1e-13, "level " << level << " j " << j);
  }
}
