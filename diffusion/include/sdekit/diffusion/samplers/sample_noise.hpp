// The Gaussian noise of stochastic samplers, keyed by (seed, sample, step): component j of sample
// b at step k is the counter-based normal philox_normal(seed)(path = b, index = k·d + j, stream),
// so a sample depends on (seed, b) only, never on the batch size, the batch split or the thread
// count. Streams 32 + slot are used (slot 0: predictor/ancestral noise, 1: Langevin corrector,
// 2: EDM churn), apart from the Brownian paths' streams 0 and 1 and the prior's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <sdekit/solvers/philox_normal.hpp>

namespace sdekit::diffusion {

class sample_noise {
 public:
  static constexpr std::uint32_t first_stream = 32;

  sample_noise(std::uint64_t seed, std::uint64_t first_sample, std::size_t dim)
      : normal_(seed), first_sample_(first_sample), dim_(dim) {}

  /// z[0..d) = the normals of batch sample b at step k.
  void fill_sample(std::size_t b, std::uint64_t k, double* z, std::uint32_t slot = 0) const {
    normal_.fill(first_sample_ + b, k * dim_, dim_, z, first_stream + slot);
  }

  /// z[b*d + j] for every sample b of the batch (z.size() = B·d).
  void fill(std::uint64_t k, std::vector<double>& z, std::uint32_t slot = 0) const {
    for (std::size_t b = 0; b < z.size() / dim_; ++b) fill_sample(b, k, z.data() + b * dim_, slot);
  }

 private:
  philox_normal normal_;
  std::uint64_t first_sample_;
  std::size_t dim_;
};

}  // namespace sdekit::diffusion
