// Counter-based standard normals: every value is a pure function of (seed, path, index, stream),
// computed with Philox4x32-10 (Salmon et al. 2011, Random123) and the Box–Muller transform.
// No engine state is shared between paths, so results do not depend on thread count, batch
// split, query order or backend.
//
// One Philox call turns the 128-bit counter (index/2 | stream << 56, path) under the key `seed` into two
// 53-bit uniforms, and Box–Muller turns those into the pair of normals with indices 2k and 2k+1:
// both outputs are used. Box–Muller is written here with cos(π v), sin(π v), v ∈ (−1, 1), rather
// than Random123's boxmuller.hpp, whose nvcc branch calls sincospi and gives other bits than the host.
#pragma once

#include <cmath>
#include <cstdint>

#include <Random123/philox.h>

#include "config.hpp"

namespace sdekit {

/// Two independent N(0, 1) values.
struct normal_pair {
  double first;
  double second;
};

/// The normals of one seed, indexed by (path, index, stream).
class philox_normal {
 public:
  SDEKIT_HOST_DEVICE constexpr explicit philox_normal(std::uint64_t seed) : seed_(seed) {}

  SDEKIT_HOST_DEVICE constexpr std::uint64_t seed() const { return seed_; }

  /// Normals 2k and 2k+1 of `path` in `stream` (k < 2^55, stream < 256).
  SDEKIT_HOST_DEVICE normal_pair pair(std::uint64_t path, std::uint64_t k,
                                      std::uint32_t stream = 0) const {
    using philox = r123::Philox4x32;
    philox::ctr_type counter = {{lo(k), hi(k) | (stream << 24), lo(path), hi(path)}};
    philox::key_type key = {{lo(seed_), hi(seed_)}};
    philox::ctr_type bits = philox{}(counter, key);
    double const u = open_unit(bits.v[0], bits.v[1]);
    double const v = 2.0 * open_unit(bits.v[2], bits.v[3]) - 1.0;
    double const radius = std::sqrt(-2.0 * std::log(u));
    double const angle = pi * v;
    return {radius * std::cos(angle), radius * std::sin(angle)};
  }

  /// Normal number `index` of `path` in `stream`.
  SDEKIT_HOST_DEVICE double operator()(std::uint64_t path, std::uint64_t index,
                                       std::uint32_t stream = 0) const {
    normal_pair const p = pair(path, index >> 1, stream);
    return (index & 1u) ? p.second : p.first;
  }

  /// Writes normals first, first+1, ..., first+count-1 of `path` into out[0..count), calling
  /// Philox once per pair.
  template <class Out>
  SDEKIT_HOST_DEVICE void fill(std::uint64_t path, std::uint64_t first, std::uint64_t count,
                               Out&& out, std::uint32_t stream = 0) const {
    std::uint64_t i = 0;
    if (count > 0 && (first & 1u)) {
      out[0] = pair(path, first >> 1, stream).second;
      i = 1;
    }
    for (; i + 1 < count; i += 2) {
      normal_pair const p = pair(path, (first + i) >> 1, stream);
      out[i] = p.first;
      out[i + 1] = p.second;
    }
    if (i < count) out[i] = pair(path, (first + i) >> 1, stream).first;
  }

 private:
  static constexpr double pi = 3.14159265358979323846;

  SDEKIT_HOST_DEVICE static constexpr std::uint32_t lo(std::uint64_t v) {
    return static_cast<std::uint32_t>(v);
  }
  SDEKIT_HOST_DEVICE static constexpr std::uint32_t hi(std::uint64_t v) {
    return static_cast<std::uint32_t>(v >> 32);
  }
  // A 53-bit uniform in the open interval (0, 1): log(u) is finite, v never reaches ±1.
  SDEKIT_HOST_DEVICE static double open_unit(std::uint32_t high, std::uint32_t low) {
    std::uint64_t const bits53 = ((std::uint64_t(high) << 32) | low) >> 11;
    return (double(bits53) + 0.5) * 0x1p-53;
  }

  std::uint64_t seed_;
};

}  // namespace sdekit
