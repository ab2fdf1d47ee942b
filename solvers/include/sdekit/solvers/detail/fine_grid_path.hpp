// One Brownian path recorded on a fine grid t0 + i·δ (i < cells) from a brownian_tree, for
// convergence sweeps: the increment over any union of fine cells is the sum of theirs, and the
// space-time integral ∫_s^t (W_r − W_s) dr adds up the cells' own plus the width of each cell times
// W's rise before it. So every step size of a sweep sees the tree's path (to rounding) while the
// tree is descended once per path instead of once per step size.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "../brownian_tree.hpp"
#include "../errors.hpp"

namespace sdekit::detail {

class fine_grid_path {
 public:
  /// Records cells steps of width (t1 − t0)/cells of every component of w.
  fine_grid_path(brownian_tree& w, std::size_t cells)
      : t0_(w.t0()), delta_((w.t1() - w.t0()) / double(cells)), cells_(cells), dim_(w.dim()),
        dW_(cells * dim_), dZ_(cells * dim_) {
    std::vector<double> dW(dim_), dZ(dim_);
    for (std::size_t i = 0; i < cells; ++i) {
      double const s = t0_ + double(i) * delta_;
      double const t = i + 1 == cells ? w.t1() : s + delta_;
      w.increment(s, t, dW, dZ);
      for (std::size_t j = 0; j < dim_; ++j) {
        dW_[i * dim_ + j] = dW[j];
        dZ_[i * dim_ + j] = dZ[j];
      }
    }
  }

  void prepare(double t0, double t1, double dt, std::size_t dim) const {
    if (dim != dim_) fail("fine_grid_path has dim = ", dim_, " but the problem has ", dim, " Wiener processes");
    cell(t0);
    cell(t1);
    cell(t0 + dt);
  }

  template <class Vector>
  void increment(double s, double t, Vector& dW) const {
    std::size_t const a = cell(s), b = cell(t);
    for (std::size_t j = 0; j < dim_; ++j) {
      double w = 0.0;
      for (std::size_t i = a; i < b; ++i) w += dW_[i * dim_ + j];
      dW[j] = static_cast<std::decay_t<decltype(dW[0])>>(w);
    }
  }

  template <class Vector>
  void increment(double s, double t, Vector& dW, Vector& dZ) const {
    std::size_t const a = cell(s), b = cell(t);
    for (std::size_t j = 0; j < dim_; ++j) {
      double w = 0.0, z = 0.0;
      for (std::size_t i = a; i < b; ++i) {
        z += dZ_[i * dim_ + j] + delta_ * w;
        w += dW_[i * dim_ + j];
      }
      dW[j] = static_cast<std::decay_t<decltype(dW[0])>>(w);
      dZ[j] = static_cast<std::decay_t<decltype(dZ[0])>>(z);
    }
  }

 private:
  // The fine-grid index of t, which must be a grid point.
  std::size_t cell(double t) const {
    double const i = std::round((t - t0_) / delta_);
    if (!(i >= 0.0 && i <= double(cells_)) || std::fabs(t0_ + i * delta_ - t) > 1e-9 * delta_)
      fail("fine_grid_path: t = ", t, " is not a point of the fine grid t0 = ", t0_, ", δ = ", delta_);
    return static_cast<std::size_t>(i);
  }

  double t0_;
  double delta_;
  std::size_t cells_;
  std::size_t dim_;
  std::vector<double> dW_, dZ_;
};

}  // namespace sdekit::detail
