// out += c · g(x, t) ΔW for each noise structure: element-wise for diagonal and additive noise,
// one shared increment for scalar noise, a matrix–vector product for general noise.
#pragma once

#include <cstddef>
#include <type_traits>

#include "config.hpp"
#include "element_operations.hpp"
#include "noise.hpp"
#include "state.hpp"

namespace sdekit {

SDEKIT_EXEC_CHECK_DISABLE
template <class Noise, class Out, class Diffusion, class Increment>
SDEKIT_HOST_DEVICE void add_noise(Out& out, double c, Diffusion const& g, Increment const& dW) {
  if constexpr (std::is_same_v<Noise, scalar_noise>) {
    double const cw = c * double(dW[0]);
    for_each(add_scaled{cw}, out, g);
  } else if constexpr (std::is_same_v<Noise, general_noise>) {
    std::size_t const n = detail::dimension(out);
    std::size_t const m = detail::dimension(dW);
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0.0;
      for (std::size_t j = 0; j < m; ++j) sum += double(g[i * m + j]) * double(dW[j]);
      out[i] += c * sum;
    }
  } else {
    for_each(add_scaled_product{c}, out, g, dW);
  }
}

}  // namespace sdekit
