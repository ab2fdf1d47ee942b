// Virtual Brownian trees for a batch of B samples of dimension d: sample b owns
// brownian_tree(seed, first_sample + b, t0, t1, tol, d), so a sample's path depends on (seed, b)
// only, and any step sizes (a convergence study, an adaptive stepper) see the same path.
// Used by solve() on a batched state (m = B·d Wiener processes). Memory: one tree descent
// (≈ 250·d doubles) per sample.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <sdekit/solvers/brownian_tree.hpp>
#include <sdekit/solvers/errors.hpp>

#include "detail/batch_view.hpp"

namespace sdekit::diffusion {

class batch_brownian_tree {
 public:
  batch_brownian_tree(std::uint64_t seed, std::uint64_t first_sample, std::size_t dim, double t0, double t1,
                      double tol = 0.0)
      : seed_(seed), first_sample_(first_sample), dim_(dim), t0_(t0), t1_(t1), tol_(tol) {
    if (dim_ == 0) sdekit::detail::fail("batch_brownian_tree dim = 0 must be ≥ 1");
  }

  /// Called by solve(): builds the B = m/d trees on first use.
  void prepare(double t0, double t1, double dt, std::size_t m) {
    if (m % dim_ != 0) sdekit::detail::fail("batch_brownian_tree: ", m, " Wiener processes are not a batch of dim = ", dim_);
    if (trees_.empty())
      for (std::size_t b = 0; b < m / dim_; ++b) trees_.emplace_back(seed_, first_sample_ + b, t0_, t1_, tol_, dim_);
    if (trees_.size() != m / dim_)
      sdekit::detail::fail("batch_brownian_tree holds ", trees_.size(), " samples, the state ", m / dim_);
    for (auto& tree : trees_) tree.prepare(t0, t1, dt, dim_);
  }

  template <class Vector>
  void increment(double s, double t, Vector& dW) {
    for (std::size_t b = 0; b < trees_.size(); ++b) {
      detail::batch_view w{&dW[b * dim_]};
      trees_[b].increment(s, t, w);
    }
  }

  template <class Vector>
  void increment(double s, double t, Vector& dW, Vector& dZ) {
    for (std::size_t b = 0; b < trees_.size(); ++b) {
      detail::batch_view w{&dW[b * dim_]}, z{&dZ[b * dim_]};
      trees_[b].increment(s, t, w, z);
    }
  }

 private:
  std::uint64_t seed_;
  std::uint64_t first_sample_;
  std::size_t dim_;
  double t0_;
  double t1_;
  double tol_;
  std::vector<brownian_tree> trees_;
};

}  // namespace sdekit::diffusion
