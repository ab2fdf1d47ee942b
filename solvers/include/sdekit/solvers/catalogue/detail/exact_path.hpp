// What the catalogue's exact solutions read from a Brownian tree: W_t (component j) for a path that
// starts at t = 0, where every catalogue problem starts.
#pragma once

#include <cstddef>
#include <vector>

#include "../../brownian_tree.hpp"
#include "../../errors.hpp"

namespace sdekit::catalogue::detail {

inline void require_path_from_zero(brownian_tree const& w) {
  if (w.t0() != 0.0)
    sdekit::detail::fail("the catalogue's exact solutions start at t = 0, but the brownian_tree starts at t0 = ",
                         w.t0());
}

inline double brownian_value(brownian_tree& w, double t, std::size_t j) {
  require_path_from_zero(w);
  std::vector<double> value(w.dim());
  w.value(t, value);
  return value[j];
}

}  // namespace sdekit::catalogue::detail
