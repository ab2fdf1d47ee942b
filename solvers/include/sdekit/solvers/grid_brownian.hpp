// Brownian increments on a fixed grid t_k = t0 + k·dt: the fast path for fixed-step solves.
// Increment k of component j is √dt · z(path, k·m + j) with z the counter-based normals of
// philox_normal, so a path is a pure function of (seed, path, dt) and any step can be drawn in any
// order. The space-time integral ΔZ = ∫ (W_r − W_s) dr that SRI/SRA schemes need is
// ½ h (ΔW + ΔU/√3) with ΔU ~ N(0, h) independent (Kloeden & Platen 1992, §10.4), drawn from a
// second stream so that ΔW is the same whether or not ΔZ is asked for.
//
// A grid path changes with dt; to compare step sizes on one path, use brownian_tree.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "config.hpp"
#include "errors.hpp"
#include "philox_normal.hpp"

namespace sdekit {

class grid_brownian {
 public:
  /// The grid (t0, dt, dim) is taken from the solve when it is not given here.
  SDEKIT_HOST_DEVICE explicit grid_brownian(std::uint64_t seed, std::uint64_t path = 0)
      : normal_(seed), path_(path) {}

  SDEKIT_HOST_DEVICE grid_brownian(std::uint64_t seed, std::uint64_t path, double t0, double dt,
                                   std::size_t dim)
      : normal_(seed), path_(path), t0_(t0), dt_(dt), dim_(dim) {}

  /// Called by solve(): fixes the grid to the solve's start, step and noise dimension unless the
  /// constructor fixed it already, in which case they must agree.
  void prepare(double t0, double /*t1*/, double dt, std::size_t dim) {
    if (dim_ == 0) {
      t0_ = t0;
      dt_ = dt;
      dim_ = dim;
      return;
    }
    if (dim != dim_) detail::fail("grid_brownian has dim = ", dim_, " but the problem has ", dim, " Wiener processes");
  }

  SDEKIT_HOST_DEVICE std::size_t dim() const { return dim_; }
  SDEKIT_HOST_DEVICE double dt() const { return dt_; }
  SDEKIT_HOST_DEVICE std::uint64_t path() const { return path_; }
  SDEKIT_HOST_DEVICE std::uint64_t seed() const { return normal_.seed(); }

  /// ΔW over [s, t], which must be one grid step.
  template <class Vector>
  SDEKIT_HOST_DEVICE void increment(double s, double t, Vector& dW) const {
    std::uint64_t const k = step_index(s, t);
    double const scale = std::sqrt(dt_);
    normal_.fill(path_, k * dim_, dim_, dW);
    for (std::size_t j = 0; j < dim_; ++j) dW[j] = static_cast<std::decay_t<decltype(dW[0])>>(scale * dW[j]);
  }

  /// ΔW and ΔZ = ∫_s^t (W_r − W_s) dr over one grid step.
  template <class Vector>
  SDEKIT_HOST_DEVICE void increment(double s, double t, Vector& dW, Vector& dZ) const {
    std::uint64_t const k = step_index(s, t);
    double const h = dt_;
    normal_.fill(path_, k * dim_, dim_, dW);
    normal_.fill(path_, k * dim_, dim_, dZ, area_stream);
    for (std::size_t j = 0; j < dim_; ++j) {
      double const w = std::sqrt(h) * double(dW[j]);
      double const u = std::sqrt(h / 3.0) * double(dZ[j]);
      dW[j] = static_cast<std::decay_t<decltype(dW[0])>>(w);
      dZ[j] = static_cast<std::decay_t<decltype(dZ[0])>>(0.5 * h * (w + u));
    }
  }

 private:
  static constexpr std::uint32_t area_stream = 1;

  SDEKIT_HOST_DEVICE std::uint64_t step_index(double s, double t) const {
    double const k = std::round((s - t0_) / dt_);
#if !SDEKIT_DEVICE_CODE
    double const tol = 1e-9 * dt_;
    if (k < 0 || std::fabs(t - s - dt_) > tol || std::fabs(t0_ + k * dt_ - s) > 1e-9 * (std::fabs(s) + dt_))
      detail::fail("grid_brownian: the interval [", s, ", ", t, "] is not a step of the grid t0 = ", t0_,
                   ", dt = ", dt_, "; use brownian_tree for steps off the grid");
#endif
    return static_cast<std::uint64_t>(k);
  }

  philox_normal normal_;
  std::uint64_t path_;
  double t0_ = 0.0;
  double dt_ = 0.0;
  std::size_t dim_ = 0;
};

}  // namespace sdekit
