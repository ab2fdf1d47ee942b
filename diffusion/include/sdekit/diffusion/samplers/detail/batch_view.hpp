// A window of d consecutive components of a batched vector, indexable like a vector: how one
// sample's Brownian path writes its part of the batch's increments.
#pragma once

#include <cstddef>

namespace sdekit::diffusion::detail {

struct batch_view {
  double* data;
  double& operator[](std::size_t j) const { return data[j]; }
};

}  // namespace sdekit::diffusion::detail
