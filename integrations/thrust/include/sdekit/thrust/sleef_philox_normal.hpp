// Fast counter-based normals for CPU ensembles: the Philox4x32-10 counters, keys and 53-bit
// uniforms of philox_normal, computed for a block of paths at once on SIMD lanes, and a
// Box–Muller transform with SLEEF's vector log and sincospi (Shibata & Petrogalli 2020) instead of
// the C library's scalar log, sin and cos. Same uniforms, same pair layout as philox_normal; the
// normals differ from it by the rounding of log and of sin/cos (SLEEF's 3.5-ulp variants, and
// sin(πv) evaluated without rounding πv first), so a seed names a different, equally distributed,
// set of paths. Host only.
//
// Every lane computes the same function of (seed, path, index, stream): AVX-512 (8 lanes), AVX2
// (4 lanes) and the scalar code all call SLEEF's FMA variants of one algorithm, so the bits do not
// depend on the block width, the position of a path in a block, or the instruction set it was
// compiled for (the CPU needs FMA).
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
extern "C" double Sleef_logd1_u35purecfma(double);
extern "C" Sleef_double_2 Sleef_sincospid1_u35purecfma(double);
#endif

#include <sdekit/solvers/philox_normal.hpp>

#include "ensemble_brownian.hpp"

namespace sdekit {

namespace detail {

#if defined(__AVX512F__) && defined(__FMA__)
// The operations of the SIMD Philox and Box–Muller on 8 lanes of 64 bits. Products, shifts and
// square roots are the zero-masked forms with every lane on: the unmasked ones start from
// _mm512_undefined_epi32(), which g++ 12 reports as maybe-uninitialized.
struct avx512_lanes {
  static constexpr __mmask8 all = 0xFF;
  static constexpr std::size_t width = 8;
  using integers = __m512i;
  using reals = __m512d;
  static integers broadcast(std::uint64_t a) { return _mm512_set1_epi64(std::int64_t(a)); }
  static integers iota(std::uint64_t a) {
    return _mm512_add_epi64(broadcast(a), _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static integers mul_low32(integers a, integers b) { return _mm512_maskz_mul_epu32(all, a, b); }
  static integers bit_and(integers a, integers b) { return _mm512_and_si512(a, b); }
  static integers bit_or(integers a, integers b) { return _mm512_or_si512(a, b); }
  static integers bit_xor(integers a, integers b) { return _mm512_xor_si512(a, b); }
  static integers shift_right(integers a, unsigned n) { return _mm512_maskz_srli_epi64(all, a, n); }
  static integers shift_left(integers a, unsigned n) { return _mm512_maskz_slli_epi64(all, a, n); }
  static reals as_reals(integers a) { return _mm512_castsi512_pd(a); }
  static integers as_integers(reals a) { return _mm512_castpd_si512(a); }
  static reals broadcast(double a) { return _mm512_set1_pd(a); }
  static reals add(reals a, reals b) { return _mm512_add_pd(a, b); }
  static reals sub(reals a, reals b) { return _mm512_sub_pd(a, b); }
  static reals mul(reals a, reals b) { return _mm512_mul_pd(a, b); }
  static reals sqrt(reals a) { return _mm512_maskz_sqrt_pd(all, a); }
  static reals log(reals a) { return Sleef_logd8_u35avx512f(a); }
  static Sleef___m512d_2 sincospi(reals a) { return Sleef_sincospid8_u35avx512f(a); }
  static void store(double* to, reals a) { _mm512_storeu_pd(to, a); }
};
using simd_lanes = avx512_lanes;
#elif defined(__AVX2__) && defined(__FMA__)
// The operations of the SIMD Philox and Box–Muller on 4 lanes of 64 bits.
struct avx2_lanes {
  static constexpr std::size_t width = 4;
  using integers = __m256i;
  using reals = __m256d;
  static integers broadcast(std::uint64_t a) { return _mm256_set1_epi64x(std::int64_t(a)); }
  static integers iota(std::uint64_t a) { return _mm256_add_epi64(broadcast(a), _mm256_setr_epi64x(0, 1, 2, 3)); }
  static integers mul_low32(integers a, integers b) { return _mm256_mul_epu32(a, b); }
  static integers bit_and(integers a, integers b) { return _mm256_and_si256(a, b); }
  static integers bit_or(integers a, integers b) { return _mm256_or_si256(a, b); }
  static integers bit_xor(integers a, integers b) { return _mm256_xor_si256(a, b); }
  static integers shift_right(integers a, unsigned n) { return _mm256_srli_epi64(a, int(n)); }
  static integers shift_left(integers a, unsigned n) { return _mm256_slli_epi64(a, int(n)); }
  static reals as_reals(integers a) { return _mm256_castsi256_pd(a); }
  static integers as_integers(reals a) { return _mm256_castpd_si256(a); }
  static reals broadcast(double a) { return _mm256_set1_pd(a); }
  static reals add(reals a, reals b) { return _mm256_add_pd(a, b); }
  static reals sub(reals a, reals b) { return _mm256_sub_pd(a, b); }
  static reals mul(reals a, reals b) { return _mm256_mul_pd(a, b); }
  static reals sqrt(reals a) { return _mm256_sqrt_pd(a); }
  static reals log(reals a) { return Sleef_logd4_u35avx2(a); }
  static Sleef___m256d_2 sincospi(reals a) { return Sleef_sincospid4_u35avx2(a); }
  static void store(double* to, reals a) { _mm256_storeu_pd(to, a); }
};
using simd_lanes = avx2_lanes;
#endif

}  // namespace detail

class sleef_philox_normal {
 public:
#if (defined(__AVX512F__) || defined(__AVX2__)) && defined(__FMA__)
  static constexpr std::size_t lanes = detail::simd_lanes::width;
#else
  static constexpr std::size_t lanes = 1;
#endif

  constexpr explicit sleef_philox_normal(std::uint64_t seed) : seed_(seed) {}

  constexpr std::uint64_t seed() const { return seed_; }

  /// Normals 2k and 2k+1 of `path` in `stream`, one path at a time (scalar SLEEF).
  normal_pair pair(std::uint64_t path, std::uint64_t k, std::uint32_t stream = 0) const {
    double u, v;
    uniforms(path, k, stream, u, v);
    double const radius = std::sqrt(-2.0 * Sleef_logd1_u35purecfma(u));
    Sleef_double_2 const sc = Sleef_sincospid1_u35purecfma(v);
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

#if (defined(__AVX512F__) || defined(__AVX2__)) && defined(__FMA__)
  // The counters of paths path, path+1, … in 64-bit lanes (each word in the low half), ten
  // Philox rounds with 32×32 → 64-bit lane products, then Box–Muller with SLEEF.
  void block(std::uint64_t path, std::uint64_t k, std::uint32_t stream, double* first, double* second) const {
    using v = detail::simd_lanes;
    v::integers const low32 = v::broadcast(std::uint64_t(0xFFFFFFFF));
    v::integers c0 = v::broadcast(std::uint64_t(std::uint32_t(k)));
    v::integers c1 = v::broadcast(std::uint64_t(std::uint32_t(k >> 32) | (stream << 24)));
    v::integers const p = v::iota(path);
    v::integers c2 = v::bit_and(p, low32);
    v::integers c3 = v::shift_right(p, 32);
    std::uint32_t k0 = std::uint32_t(seed_), k1 = std::uint32_t(seed_ >> 32);
    v::integers const mul0 = v::broadcast(std::uint64_t(m0)), mul1 = v::broadcast(std::uint64_t(m1));
    for (int round = 0; round < 10; ++round) {
      v::integers const p0 = v::mul_low32(mul0, c0);
      v::integers const p1 = v::mul_low32(mul1, c2);
      c0 = v::bit_xor(v::bit_xor(v::shift_right(p1, 32), c1), v::broadcast(std::uint64_t(k0)));
      c1 = v::bit_and(p1, low32);
      c2 = v::bit_xor(v::bit_xor(v::shift_right(p0, 32), c3), v::broadcast(std::uint64_t(k1)));
      c3 = v::bit_and(p0, low32);
      k0 += w0;
      k1 += w1;
    }
    v::reals const u = open_unit(c0, c1);
    v::reals const w = v::sub(v::mul(v::broadcast(2.0), open_unit(c2, c3)), v::broadcast(1.0));
    v::reals const radius = v::sqrt(v::mul(v::broadcast(-2.0), v::log(u)));
    auto const sc = v::sincospi(w);
    v::store(first, v::mul(radius, sc.y));
    v::store(second, v::mul(radius, sc.x));
  }

  // (high·2³² + low) >> 11 is below 2⁵³: its high 21 bits and low 32 bits become doubles exactly,
  // and their sum is exact, so this equals the scalar conversion.
  static detail::simd_lanes::reals open_unit(detail::simd_lanes::integers high, detail::simd_lanes::integers low) {
    using v = detail::simd_lanes;
    v::integers const bits53 = v::shift_right(v::bit_or(v::shift_left(high, 32), low), 11);
    v::integers const hi21 = v::shift_right(bits53, 32);
    v::integers const lo32 = v::bit_and(bits53, v::broadcast(std::uint64_t(0xFFFFFFFF)));
    // 2⁵² + n has the bits of n in its mantissa for n < 2⁵², so the subtraction recovers n.
    v::reals const magic = v::broadcast(0x1p52);
    v::reals const hi = v::sub(v::as_reals(v::bit_or(hi21, v::as_integers(magic))), magic);
    v::reals const lo = v::sub(v::as_reals(v::bit_or(lo32, v::as_integers(magic))), magic);
    v::reals const value = v::add(v::mul(hi, v::broadcast(0x1p32)), lo);
    return v::mul(v::add(value, v::broadcast(0.5)), v::broadcast(0x1p-53));
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
