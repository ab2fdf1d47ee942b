// What a sampler returns: the batch of B samples of dimension d, row-major (x[b*d + j]), and the
// number of function evaluations, NFE = the number of batched score calls it made (a final
// denoising step included).
#pragma once

#include <cstddef>
#include <vector>

namespace sdekit::diffusion {

struct sample_result {
  std::vector<double> x;
  std::size_t nfe = 0;
};

}  // namespace sdekit::diffusion
