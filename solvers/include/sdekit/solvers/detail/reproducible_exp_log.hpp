// exp, expm1 and log in IEEE arithmetic alone, for the step-size controllers and the forward SDEs'
// α_t and σ_t. Libraries round their last bit differently (glibc's scalar functions, its vector
// ones in libmvec, SLEEF, CUDA's), so a factor computed with one of them would give a path solved
// by solve(), on the SIMD lanes of an ensemble and on a GPU thread different step sizes, and so
// results that differ beyond the last bit. These use +, −, ×, ÷ and bit operations only, which round the same everywhere (with
// contraction into fused multiply-adds off, as the ensemble targets compile), and vectorise.
// All are accurate to a few units in the last place.
//
//   log: x = m·2^k with m ∈ [√½, √2), ln m = 2 artanh s = 2(s + s³/3 + s⁵/5 + …), s = (m − 1)/(m + 1),
//        |s| ≤ 0.172, eleven terms (Muller, "Elementary Functions", 2016, §11.3).
//   exp: y = n ln 2 + r with n the nearest integer to y/ln 2, |r| ≤ ln2/2, e^r by its Taylor series to
//        r¹³ (remainder below 10⁻¹⁷), times 2^n made from its exponent bits. ln 2 is split in a
//        high part with trailing zero bits (n·ln2_hi is exact) and the rest (Cody & Waite 1980).
#pragma once

#include <cstdint>

#include "../config.hpp"

namespace sdekit::detail {

// Bit casts without taking addresses (std::memcpy would): g++ does not vectorise a loop that
// stores a chosen value to memory for a copy.
SDEKIT_HOST_DEVICE SDEKIT_INLINE std::uint64_t bits_of(double x) {
#if defined(__CUDA_ARCH__)
  return std::uint64_t(__double_as_longlong(x));
#else
  return __builtin_bit_cast(std::uint64_t, x);
#endif
}

SDEKIT_HOST_DEVICE SDEKIT_INLINE double double_of(std::uint64_t b) {
#if defined(__CUDA_ARCH__)
  return __longlong_as_double(static_cast<long long>(b));
#else
  return __builtin_bit_cast(double, b);
#endif
}

inline constexpr double ln2_hi = 0x1.62e42feep-1;  // 32 significant bits: n·ln2_hi is exact for |n| < 2²¹
inline constexpr double ln2_lo = 0x1.a39ef35793c76p-33;

/// ln x for a positive normal x (the controllers pass errors floored at 10⁻¹⁰).
SDEKIT_HOST_DEVICE SDEKIT_INLINE double reproducible_log(double x) {
  std::uint64_t const b = bits_of(x);
  double k = double(int((b >> 52) & 0x7ff)) - 1023.0;
  double m = double_of((b & 0x000fffffffffffffu) | 0x3ff0000000000000u);  // x / 2^k ∈ [1, 2)
  bool const above = m > 0x1.6a09e667f3bcdp+0;                           // √2
  m = above ? 0.5 * m : m;
  k = above ? k + 1.0 : k;
  double const s = (m - 1.0) / (m + 1.0);
  double const z = s * s;
  // Σ_j s^(2j)/(2j + 1) for j ≤ 10, by Horner's rule in s² (written out: it vectorises).
  double const p =
      1.0 +
      z * (1.0 / 3 +
           z * (1.0 / 5 +
                z * (1.0 / 7 +
                     z * (1.0 / 9 +
                          z * (1.0 / 11 +
                               z * (1.0 / 13 + z * (1.0 / 15 + z * (1.0 / 17 + z * (1.0 / 19 + z * (1.0 / 21))))))))));
  return k * ln2_hi + (k * ln2_lo + 2.0 * s * p);
}

/// e^y; y is clamped to [−700, 700], where e^y is a normal double.
SDEKIT_HOST_DEVICE SDEKIT_INLINE double reproducible_exp(double y) {
  constexpr double log2e = 0x1.71547652b82fep+0;
  constexpr double shifter = 0x1.8p52;  // adding it rounds to an integer held in the low bits
  y = y < -700.0 ? -700.0 : (y > 700.0 ? 700.0 : y);
  double const shifted = y * log2e + shifter;
  double const n = shifted - shifter;
  double const r = (y - n * ln2_hi) - n * ln2_lo;
  // Σ_j r^j/j! for j ≤ 13, by Horner's rule (written out: it vectorises).
  double const p =
      1.0 +
      r * (1.0 +
           r * (1.0 / 2 +
                r * (1.0 / 6 +
                     r * (1.0 / 24 +
                          r * (1.0 / 120 +
                               r * (1.0 / 720 +
                                    r * (1.0 / 5040 +
                                         r * (1.0 / 40320 +
                                              r * (1.0 / 362880 +
                                                   r * (1.0 / 3628800 +
                                                        r * (1.0 / 39916800 +
                                                             r * (1.0 / 479001600 + r * (1.0 / 6227020800)))))))))))));
  std::uint64_t const biased = bits_of(shifted) - bits_of(shifter) + 1023u;  // n + 1023, from n's bits
  return p * double_of(biased << 52);
}

/// e^y − 1 without the cancellation of exp(y) − 1 near 0: for |y| < ln2/2 its Taylor series to
/// y¹⁶ (remainder below 10⁻¹⁷ relatively), else reproducible_exp(y) − 1, where |e^y − 1| > 0.29.
SDEKIT_HOST_DEVICE SDEKIT_INLINE double reproducible_expm1(double y) {
  double const p =
      y * (1.0 +
           y * (1.0 / 2 +
                y * (1.0 / 6 +
                     y * (1.0 / 24 +
                          y * (1.0 / 120 +
                               y * (1.0 / 720 +
                                    y * (1.0 / 5040 +
                                         y * (1.0 / 40320 +
                                              y * (1.0 / 362880 +
                                                   y * (1.0 / 3628800 +
                                                        y * (1.0 / 39916800 +
                                                             y * (1.0 / 479001600 +
                                                                  y * (1.0 / 6227020800 +
                                                                       y * (1.0 / 87178291200 +
                                                                            y * (1.0 / 1307674368000 +
                                                                                 y * (1.0 / 20922789888000))))))))))))))));
  double const far = reproducible_exp(y) - 1.0;
  return (y < 0.34657359027997264 && y > -0.34657359027997264) ? p : far;
}

}  // namespace sdekit::detail
