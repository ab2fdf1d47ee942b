// Claim: fixed_brownian_tree<Dim> is brownian_tree bit for bit: the same W(t), ΔW and ΔZ for the
// same (seed, path, span, tol) and the same queries, in sequential, rejected-step-like and random
// orders, for one and three Wiener processes. Seeds 3 and 5; 20 paths each.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <random>

#include <sdekit/solvers/brownian_tree.hpp>
#include <sdekit/thrust/fixed_brownian_tree.hpp>

namespace sk = sdekit;

namespace {

template <std::size_t Dim>
std::size_t mismatches(std::uint64_t seed, std::uint64_t path, double tol, bool random_order) {
  sk::brownian_tree reference(seed, path, -1.0, 2.0, tol, Dim);
  sk::fixed_brownian_tree<Dim> tree(seed, path, -1.0, 2.0, tol);
  std::mt19937_64 rng(path);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::size_t bad = 0;
  double s = -1.0;
  for (int q = 0; q < 3000; ++q) {
    double const t = random_order ? -1.0 + 3.0 * uniform(rng) : s + 0.01 * uniform(rng);
    if (t > 2.0) break;
    std::array<double, Dim> w1{}, z1{}, w2{}, z2{}, v1{}, v2{};
    reference.increment(s, t, w1, z1);
    tree.increment(s, t, w2, z2);
    reference.value(t, v1);
    tree.value(t, v2);
    bad += w1 != w2 || z1 != z2 || v1 != v2;
    // As after a rejected step, the next query sometimes starts again from s.
    if (random_order || uniform(rng) < 0.8) s = t;
  }
  return bad;
}

}  // namespace

BOOST_AUTO_TEST_CASE(same_bits_as_brownian_tree_for_one_process) {
  for (std::uint64_t path = 0; path < 20; ++path) {
    BOOST_TEST(mismatches<1>(3, path, 0x1p-18, false) == 0u, "path " << path);
    BOOST_TEST(mismatches<1>(3, path, 0x1p-18, true) == 0u, "path " << path << ", random order");
  }
}

BOOST_AUTO_TEST_CASE(same_bits_as_brownian_tree_for_three_processes) {
  for (std::uint64_t path = 0; path < 20; ++path) {
    BOOST_TEST(mismatches<3>(5, path, 3.0 * 0x1p-20, false) == 0u, "path " << path);
    BOOST_TEST(mismatches<3>(5, path, 3.0 * 0x1p-20, true) == 0u, "path " << path << ", random order");
  }
}
