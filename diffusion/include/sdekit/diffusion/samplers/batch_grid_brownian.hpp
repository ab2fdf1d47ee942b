// Brownian paths for a batch of B samples of dimension d on a fixed, possibly non-uniform grid
// τ_0 < τ_1 < ... < τ_n: sample b has its own counter-based path, increment k of component j being
// √(τ_{k+1} − τ_k) · z(seed, path = first_sample + b, index = k·d + j) (stream 0; the ΔZ integral's
// extra normals from stream 1, ΔZ = ½ h (ΔW + ΔU/√3), as grid_brownian). A sample's path depends on
// (seed, b) only, not on the batch size; on a uniform grid it is grid_brownian(seed, b)'s path.
// Used by solve() on a batched state (m = B·d Wiener processes), one grid step per call.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/philox_normal.hpp>

namespace sdekit::diffusion {

class batch_grid_brownian {
 public:
  batch_grid_brownian(std::uint64_t seed, std::uint64_t first_sample, std::size_t dim, std::vector<double> grid)
      : normal_(seed), first_sample_(first_sample), dim_(dim), grid_(std::move(grid)) {
    if (dim_ == 0) sdekit::detail::fail("batch_grid_brownian dim = 0 must be ≥ 1");
    if (grid_.size() < 2) sdekit::detail::fail("batch_grid_brownian grid has ", grid_.size(), " points; it needs 2");
    for (std::size_t k = 1; k < grid_.size(); ++k)
      if (!(grid_[k] > grid_[k - 1]))
        sdekit::detail::fail("batch_grid_brownian grid[", k, "] = ", grid_[k], " must exceed grid[", k - 1, "] = ", grid_[k - 1]);
  }

  /// Called by solve(): m = B·d Wiener processes.
  void prepare(double /*t0*/, double /*t1*/, double /*dt*/, std::size_t m) {
    if (m % dim_ != 0) sdekit::detail::fail("batch_grid_brownian: ", m, " Wiener processes are not a batch of dim = ", dim_);
  }

  /// ΔW over the grid step [s, t] for every sample.
  template <class Vector>
  void increment(double s, double t, Vector& dW) const {
    std::size_t const k = step_index(s, t);
    double const scale = std::sqrt(grid_[k + 1] - grid_[k]);
    for_samples(dW, k, 0, [scale](double& w) { w *= scale; });
  }

  /// ΔW and ΔZ = ∫_s^t (W_r − W_s) dr over the grid step [s, t].
  template <class Vector>
  void increment(double s, double t, Vector& dW, Vector& dZ) const {
    std::size_t const k = step_index(s, t);
    double const h = grid_[k + 1] - grid_[k];
    for_samples(dW, k, 0, [h](double& w) { w *= std::sqrt(h); });
    for_samples(dZ, k, 1, [](double&) {});
    for (std::size_t i = 0; i < dW.size(); ++i) dZ[i] = 0.5 * h * (dW[i] + std::sqrt(h / 3.0) * dZ[i]);
  }

 private:
  std::size_t step_index(double s, double t) const {
    auto const it = std::lower_bound(grid_.begin(), grid_.end(), s - 1e-12 * (std::fabs(s) + 1.0));
    std::size_t const k = std::size_t(it - grid_.begin());
    double const tol = 1e-12 * (std::fabs(t) + 1.0);
    if (k + 1 >= grid_.size() || std::fabs(grid_[k] - s) > tol || std::fabs(grid_[k + 1] - t) > tol)
      sdekit::detail::fail("batch_grid_brownian: [", s, ", ", t, "] is not a step of its grid");
    return k;
  }

  // Fills out with the normals of step k in `stream`, sample by sample, then applies op to each.
  template <class Vector, class Op>
  void for_samples(Vector& out, std::size_t k, std::uint32_t stream, Op op) const {
    std::size_t const batch = out.size() / dim_;
    for (std::size_t b = 0; b < batch; ++b) {
      normal_.fill(first_sample_ + b, k * dim_, dim_, &out[b * dim_], stream);
      for (std::size_t j = 0; j < dim_; ++j) op(out[b * dim_ + j]);
    }
  }

  philox_normal normal_;
  std::uint64_t first_sample_;
  std::size_t dim_;
  std::vector<double> grid_;
};

}  // namespace sdekit::diffusion
