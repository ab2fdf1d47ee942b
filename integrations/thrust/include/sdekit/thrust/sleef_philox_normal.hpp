// Fast counter-based normals for CPU ensembles: the Philox4x32-10 counters, keys and 53-bit
// uniforms of philox_normal, computed for a block of paths at once on SIMD lanes, and a
// Box–Muller transform with SLEEF's vector log, sin and cos (Shibata & Petrogalli 2020) instead of
// the C library's scalar ones. Same uniforms, same formula, same pair layout as philox_normal;
// the normals differ from it by the rounding of log, sin and cos (a few units in the last place),
// so a seed names a different, equally distributed, set of paths. Host only.
//
// Every lane computes the same function of (seed, path, index, stream): AVX-512, AVX2 and the
// scalar code all use SLEEF's FMA variants of one algorithm, so the bits do not depend on the
// block width, the position of a path in a block, or the instruction set it was compiled for
// (the CPU needs FMA).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif
#include <sleef.h>
#if !defined(__FMA__)
// sleef.h declares its scalar FMA variants only for FMA builds; libsleef always has them.
extern "C" double Sleef_logd1_u10purecfma(double);
extern "C" Sleef_double_2 Sleef_sincosd1_u10purecfma(double);
#endif

#include <sdekit/solvers/philox_normal.hpp>

#include "ensemble_brownian.hpp"

namespace sdekit {

class sleef_philox_normal {
 public:
#if defined(__AVX2__) && defined(__FMA__)
  static constexpr std::size_t lanes = 4;
#else
  static constexpr std::size_t lanes = 1;
#endif

  constexpr explicit sleef_philox_normal(std::uint64_t seed) : seed_(seed) {}

  constexpr std::uint64_t seed() const { return seed_; }

  /// Normals 2k and 2k+1 of `path` in `stream`, one path at a time (scalar SLEEF).
  normal_pair pair(std::uint64_t path, std::uint64_t k, std::uint32_t stream = 0) const {
    double u, v;
    uniforms(path, k, stream, u, v);
    double const radius = std::sqrt(-2.0 * Sleef_logd1_u10purecfma(u));
    Sleef_double_2 const sc = Sleef_sincosd1_u10purecfma(pi * v);
    return {radius * sc.y, radius * sc.x};
  }

  /// Normal number `index` of `path` in `stream`.
  double operator()(std::uint64_t path, std::uint64_t index, std::uint32_t stream = 0) const {
    normal_pair const p = pair(path, index >> 1, stream);
    return (index & 1u) ? p.second : p.first;
  }

  /// For the Width paths first_path, first_path + 1, ...: normals 2k and 2k+1 of each, written
  /// to first[l] and second[l].
  template <std::size_t Width>
  void pairs(std::uint64_t first_path, std::uint64_t k, std::uint32_t stream, double* first,
             double* second) const {
    static_assert(Width % lanes == 0, "The block width must be a multiple of the SIMD width.");
    for (std::size_t b = 0; b < Width; b += lanes) block(first_path + b, k, stream, first + b, second + b);
  }

 private:
  static constexpr double pi = 3.14159265358979323846;

  // Philox4x32-10 (Salmon et al. 2011) of one counter, and its two 53-bit uniforms.
  void uniforms(std::uint64_t path, std::uint64_t k, std::uint32_t stream, double& u, double& v) const {
    std::uint32_t c0 = std::uint32_t(k), c1 = std::uint32_t(k >> 32) | (stream << 24);
    std::uint32_t c2 = std::uint32_t(path), c3 = std::uint32_t(path >> 32);
    std::uint32_t k0 = std::uint32_t(seed_), k1 = std::uint32_t(seed_ >> 32);
    for (int round = 0; round < 10; ++round) {
      std::uint64_t const p0 = std::uint64_t(m0) * c0;
      std::uint64_t const p1 = std::uint64_t(m1) * c2;
      c0 = std::uint32_t(p1 >> 32) ^ c1 ^ k0;
      c1 = std::uint32_t(p1);
      c2 = std::uint32_t(p0 >> 32) ^ c3 ^ k1;
      c3 = std::uint32_t(p0);
      k0 += w0;
      k1 += w1;
    }
    u = open_unit(c0, c1);
    v = 2.0 * open_unit(c2, c3) - 1.0;
  }

  // A 53-bit uniform in (0, 1), as in philox_normal.
  static double open_unit(std::uint32_t high, std::uint32_t low) {
    std::uint64_t const bits53 = ((std::uint64_t(high) << 32) | low) >> 11;
    return (double(bits53) + 0.5) * 0x1p-53;
  }

#if defined(__AVX2__) && defined(__FMA__)
  // The four counters of paths path … path+3 in 64-bit lanes (each word in the low half), ten
  // Philox rounds with _mm256_mul_epu32 (32×32 → 64 bits), then Box–Muller with SLEEF.
  void block(std::uint64_t path, std::uint64_t k, std::uint32_t stream, double* first, double* second) const {
    __m256i const low32 = _mm256_set1_epi64x(0xFFFFFFFF);
    __m256i c0 = _mm256_set1_epi64x(std::int64_t(std::uint32_t(k)));
    __m256i c1 = _mm256_set1_epi64x(std::int64_t(std::uint32_t(k >> 32) | (stream << 24)));
    __m256i const p = _mm256_add_epi64(_mm256_set1_epi64x(std::int64_t(path)), _mm256_setr_epi64x(0, 1, 2, 3));
    __m256i c2 = _mm256_and_si256(p, low32);
    __m256i c3 = _mm256_srli_epi64(p, 32);
    std::uint32_t k0 = std::uint32_t(seed_), k1 = std::uint32_t(seed_ >> 32);
    __m256i const mul0 = _mm256_set1_epi64x(m0), mul1 = _mm256_set1_epi64x(m1);
    for (int round = 0; round < 10; ++round) {
      __m256i const p0 = _mm256_mul_epu32(mul0, c0);
      __m256i const p1 = _mm256_mul_epu32(mul1, c2);
      c0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c1), _mm256_set1_epi64x(k0));
      c1 = _mm256_and_si256(p1, low32);
      c2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c3), _mm256_set1_epi64x(k1));
      c3 = _mm256_and_si256(p0, low32);
      k0 += w0;
      k1 += w1;
    }
    __m256d const u = open_unit(c0, c1);
    __m256d const v = _mm256_sub_pd(_mm256_mul_pd(_mm256_set1_pd(2.0), open_unit(c2, c3)), _mm256_set1_pd(1.0));
    __m256d const radius = _mm256_sqrt_pd(_mm256_mul_pd(_mm256_set1_pd(-2.0), Sleef_logd4_u10avx2(u)));
    Sleef___m256d_2 const sc = Sleef_sincosd4_u10avx2(_mm256_mul_pd(_mm256_set1_pd(pi), v));
    _mm256_storeu_pd(first, _mm256_mul_pd(radius, sc.y));
    _mm256_storeu_pd(second, _mm256_mul_pd(radius, sc.x));
  }

  // (high·2³² + low) >> 11 is below 2⁵³: its high 21 bits and low 32 bits become doubles exactly,
  // and their sum is exact, so this equals the scalar conversion.
  static __m256d open_unit(__m256i high, __m256i low) {
    __m256i const bits53 = _mm256_srli_epi64(_mm256_or_si256(_mm256_slli_epi64(high, 32), low), 11);
    __m256i const hi21 = _mm256_srli_epi64(bits53, 32);
    __m256i const lo32 = _mm256_and_si256(bits53, _mm256_set1_epi64x(0xFFFFFFFF));
    // 2⁵² + n has the bits of n in its mantissa for n < 2⁵², so the subtraction recovers n.
    __m256d const magic = _mm256_set1_pd(0x1p52);
    __m256d const hi = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(hi21, _mm256_castpd_si256(magic))), magic);
    __m256d const lo = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(lo32, _mm256_castpd_si256(magic))), magic);
    __m256d const value = _mm256_add_pd(_mm256_mul_pd(hi, _mm256_set1_pd(0x1p32)), lo);
    return _mm256_mul_pd(_mm256_add_pd(value, _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1p-53));
  }
#else
  void block(std::uint64_t path, std::uint64_t k, std::uint32_t stream, double* first, double* second) const {
    normal_pair const p = pair(path, k, stream);
    first[0] = p.first;
    second[0] = p.second;
  }
#endif

  static constexpr std::uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;  // Philox multipliers
  static constexpr std::uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;  // Weyl key increments

  std::uint64_t seed_;
};

/// Grid increments of an ensemble from sleef_philox_normal: path i, step k, component j is
/// √dt · z(i, k·m + j), as in grid_brownian, with this generator's z.
class fast_grid_brownian {
 public:
  constexpr explicit fast_grid_brownian(std::uint64_t seed) : seed_(seed) {}
  constexpr std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
};
template <>
struct grid_normals_of<fast_grid_brownian> {
  using type = sleef_philox_normal;
};

}  // namespace sdekit
