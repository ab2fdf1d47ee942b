// Options every sampler shares; each sampler's own options derive from these.
//   final_denoise  after the last time t_n = eps, replace x by Tweedie's estimate
//                  x̂_0 = (x + σ_t² ∇log p_t(x))/α_t (one more NFE; Song et al. 2021, App. G)
//   first_sample   global index of the batch's first sample: sample b draws its noise from path
//                  first_sample + b, so a batch split into pieces gives the same bits
#pragma once

#include <cstdint>

namespace sdekit::diffusion {

struct sampler_options {
  bool final_denoise = false;
  std::uint64_t first_sample = 0;
};

}  // namespace sdekit::diffusion
