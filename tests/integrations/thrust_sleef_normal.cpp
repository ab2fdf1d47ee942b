// Claims about sleef_philox_normal, the SIMD generator of fast_grid_brownian: (1) a block of lanes
// gives the same bits as the scalar path for every lane, block width and offset, so results do not
// depend on how paths are grouped; (2) it uses philox_normal's counters and uniforms, so each
// normal is philox_normal's up to the rounding of log, sin and cos: |Δz| ≤ 4·10⁻¹⁵ (1 + |z|);
// (3) its moments are those of N(0, 1) within 4 standard errors. Seeds 1 and 77.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>

#include <sdekit/solvers/philox_normal.hpp>
#include <sdekit/thrust/sleef_philox_normal.hpp>

namespace sk = sdekit;

namespace {

template <std::size_t Width>
std::size_t lane_mismatches(std::uint64_t first_path) {
  sk::sleef_philox_normal const normal(1);
  std::size_t bad = 0;
  alignas(64) double first[Width], second[Width];
  for (std::uint64_t k = 0; k < 2000; ++k)
    for (std::uint32_t stream = 0; stream < 2; ++stream) {
      normal.pairs<Width>(first_path, k, stream, first, second);
      for (std::size_t l = 0; l < Width; ++l) {
        sk::normal_pair const p = normal.pair(first_path + l, k, stream);
        bad += p.first != first[l] || p.second != second[l];
      }
    }
  return bad;
}

}  // namespace

BOOST_AUTO_TEST_CASE(simd_lanes_give_the_scalar_bits) {
  constexpr std::size_t lanes = sk::sleef_philox_normal::lanes;
  BOOST_TEST(lane_mismatches<lanes>(0) == 0u);
  BOOST_TEST(lane_mismatches<2 * lanes>(13) == 0u);
  BOOST_TEST(lane_mismatches<8 * lanes>((std::uint64_t(1) << 32) - 5) == 0u);
}

BOOST_AUTO_TEST_CASE(normals_are_philox_normals_up_to_rounding) {
  sk::sleef_philox_normal const fast(77);
  sk::philox_normal const reference(77);
  double worst = 0.0;
  for (std::uint64_t path = 0; path < 64; ++path)
    for (std::uint64_t i = 0; i < 20000; ++i) {
      double const z = reference(path, i);
      worst = std::fmax(worst, std::fabs(fast(path, i) - z) / (1.0 + std::fabs(z)));
    }
  BOOST_TEST(worst <= 4e-15, "largest scaled difference " << worst);
}

BOOST_AUTO_TEST_CASE(moments_are_standard_normal) {
  sk::sleef_philox_normal const normal(1);
  constexpr std::size_t n = 2'000'000;
  double s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double const z = normal(i % 1000, i / 1000);
    s1 += z;
    s2 += z * z;
    s3 += z * z * z;
    s4 += z * z * z * z;
  }
  double const N = double(n);
  // Standard errors of the sample moments of N(0, 1): √(Var zᵏ / n), Var z = 1, Var z² = 2,
  // Var z³ = 15, Var z⁴ = 96.
  BOOST_TEST(std::fabs(s1 / N) < 4.0 * std::sqrt(1.0 / N), "mean " << s1 / N);
  BOOST_TEST(std::fabs(s2 / N - 1.0) < 4.0 * std::sqrt(2.0 / N), "second moment " << s2 / N);
  BOOST_TEST(std::fabs(s3 / N) < 4.0 * std::sqrt(15.0 / N), "third moment " << s3 / N);
  BOOST_TEST(std::fabs(s4 / N - 3.0) < 4.0 * std::sqrt(96.0 / N), "fourth moment " << s4 / N);
}
