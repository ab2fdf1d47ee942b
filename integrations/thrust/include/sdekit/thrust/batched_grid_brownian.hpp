// Grid Brownian increments for a batched state: a batch of P paths of d components stored path by
// path, x[p·d + j]. The increment of path p is grid_brownian(seed, p)'s, bit for bit, drawn for
// the whole batch at once with thrust::for_each on the batch's system (blocks of paths on SIMD
// lanes), so a lock-step solve of the batch gives what solve_ensemble gives path by path. Normal is
// philox_normal (grid_brownian's bits) or sleef_philox_normal (fast_grid_brownian's bits).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/system/cpp/execution_policy.h>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/philox_normal.hpp>

#include "detail/ensemble_kernels.hpp"
#include "thrust_algebra.hpp"

namespace sdekit {
namespace detail {

// Writes √dt · z(p, k·d + j) (and the ΔZ of grid_brownian when area is given) for a block of
// Width paths.
template <std::size_t Width, class Normal, class T>
struct batch_increment_kernel {
  Normal normal;
  std::size_t paths;
  std::size_t dim;
  std::uint64_t step;
  double dt;
  T* dW;
  T* dZ;  // null when only ΔW is asked for

  SDEKIT_HOST_DEVICE void operator()(std::size_t block) const {
    std::uint64_t const first_path = block * Width;
    std::uint64_t const first = step * dim;
    double w_normal[Width], z_normal[Width];
    double first_of_pair[Width], second_of_pair[Width];
    for (std::uint64_t i = first; i < first + dim; ++i) {
      lane_pairs<Width>(normal, first_path, i >> 1, 0, first_of_pair, second_of_pair);
      for (std::size_t l = 0; l < Width; ++l) w_normal[l] = (i & 1u) ? second_of_pair[l] : first_of_pair[l];
      if (dZ) {
        lane_pairs<Width>(normal, first_path, i >> 1, 1, first_of_pair, second_of_pair);
        for (std::size_t l = 0; l < Width; ++l) z_normal[l] = (i & 1u) ? second_of_pair[l] : first_of_pair[l];
      }
      for (std::size_t l = 0; l < Width && first_path + l < paths; ++l) write(first_path + l, i - first, w_normal[l], z_normal[l]);
    }
  }

  // grid_brownian::increment's formulas, element type T.
  SDEKIT_HOST_DEVICE void write(std::size_t path, std::size_t j, double w_normal, double z_normal) const {
    std::size_t const at = path * dim + j;
    if (!dZ) {
      T const z = static_cast<T>(w_normal);
      dW[at] = static_cast<T>(std::sqrt(dt) * z);
      return;
    }
    double const w = std::sqrt(dt) * double(static_cast<T>(w_normal));
    double const u = std::sqrt(dt / 3.0) * double(static_cast<T>(z_normal));
    dW[at] = static_cast<T>(w);
    dZ[at] = static_cast<T>(0.5 * dt * (w + u));
  }
};

}  // namespace detail

template <class Normal = philox_normal>
class batched_grid_brownian {
 public:
  static constexpr std::size_t block_width = 8;

  batched_grid_brownian(std::uint64_t seed, std::size_t paths) : normal_(seed), paths_(paths) {
    if (paths == 0) detail::fail("paths = 0 must be at least 1");
  }

  /// solve() passes the batch's number of Wiener processes, P·d.
  void prepare(double t0, double, double dt, std::size_t noise_dim) {
    if (noise_dim % paths_ != 0)
      detail::fail("batched_grid_brownian: noise_dim = ", noise_dim, " is not a multiple of paths = ", paths_);
    t0_ = t0;
    dt_ = dt;
    dim_ = noise_dim / paths_;
  }

  std::size_t paths() const { return paths_; }

  template <class Vector>
  void increment(double s, double t, Vector& dW) const {
    draw(s, t, dW, static_cast<Vector*>(nullptr));
  }

  template <class Vector>
  void increment(double s, double t, Vector& dW, Vector& dZ) const {
    draw(s, t, dW, &dZ);
  }

 private:
  template <class Vector>
  void draw(double s, double t, Vector& dW, Vector* dZ) const {
    using value = typename Vector::value_type;
    double const k = std::round((s - t0_) / dt_);
    if (k < 0 || std::fabs(t - s - dt_) > 1e-9 * dt_ || std::fabs(t0_ + k * dt_ - s) > 1e-9 * (std::fabs(s) + dt_))
      detail::fail("batched_grid_brownian: the interval [", s, ", ", t, "] is not a step of the grid t0 = ", t0_,
                   ", dt = ", dt_);
    detail::batch_increment_kernel<block_width, Normal, value> const kernel{
        normal_, paths_, dim_, static_cast<std::uint64_t>(k), dt_, detail::raw_data(dW),
        dZ ? detail::raw_data(*dZ) : nullptr};
    std::size_t const blocks = (paths_ + block_width - 1) / block_width;
    if constexpr (detail::is_thrust_vector<Vector>::value) {
      using system = typename ::thrust::iterator_system<typename Vector::iterator>::type;
      ::thrust::for_each_n(system{}, ::thrust::counting_iterator<std::size_t>(0), blocks, kernel);
    } else {
      ::thrust::for_each_n(::thrust::cpp::par, ::thrust::counting_iterator<std::size_t>(0), blocks, kernel);
    }
  }

  Normal normal_;
  std::size_t paths_;
  double t0_ = 0.0;
  double dt_ = 0.0;
  std::size_t dim_ = 0;
};

}  // namespace sdekit
