// The Brownian paths of an ensemble: path i of the ensemble is Brownian path i of the seed.
//
//   grid_brownian(seed)            increments on the solve's grid from philox_normal: path i is
//                                  bit for bit the grid_brownian(seed, i) of a single-path solve;
//                                  runs on every backend, CUDA included.
//   fast_grid_brownian{seed}       the same grid and layout with sleef_philox_normal (host only,
//                                  in sleef_philox_normal.hpp): several times faster, other bits.
//   ensemble_brownian_tree{seed, tol}  a fixed_brownian_tree per path, for adaptive steps: path i
//                                  is bit for bit brownian_tree(seed, i, t0, t1, tol).
//   no_brownian{}                  for ODE problems.
#pragma once

#include <cstdint>

#include <sdekit/solvers/grid_brownian.hpp>
#include <sdekit/solvers/philox_normal.hpp>

namespace sdekit {

/// The normal generator behind a grid Brownian specification.
template <class Brownian>
struct grid_normals_of {};
template <>
struct grid_normals_of<grid_brownian> {
  using type = philox_normal;
};

/// What an ensemble of ODEs (no noise) takes in place of a Brownian path.
struct no_brownian {};

struct ensemble_brownian_tree {
  std::uint64_t seed;
  double tol = 0.0;  ///< bisection width; 0 means (t1 − t0)·2⁻²⁰, brownian_tree's default
};

}  // namespace sdekit
