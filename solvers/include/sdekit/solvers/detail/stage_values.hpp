// Element-wise access to the stage values of a stochastic Runge–Kutta step: one for_each call
// hands an operation, per component k, the k-th element of two states, of every stage drift f_j
// and diffusion g_j, and of the step's ΔW and ΔZ. For scalar noise the one shared increment is
// handed to every component.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "../noise.hpp"
#include "../state.hpp"

namespace sdekit::detail {

/// The same value for every component.
struct broadcast {
  double value;
  SDEKIT_HOST_DEVICE double operator[](std::size_t) const { return value; }
};

/// The elements of a vector, read-only.
template <class Vector>
struct elementwise {
  Vector const* vector;
  SDEKIT_HOST_DEVICE double operator[](std::size_t k) const { return double((*vector)[k]); }
};

/// ΔW (or ΔZ) as seen by component k: its own element for diagonal and additive noise, the one
/// increment of scalar noise.
template <class Noise, class Vector>
SDEKIT_HOST_DEVICE auto per_component(Vector const& v) {
  if constexpr (std::is_same_v<Noise, scalar_noise>) {
    return broadcast{double(v[0])};
  } else {
    return elementwise<Vector>{&v};
  }
}

/// Element k of stage `stage` of an SRI or SRA method, from the values that for_each_stage_value
/// hands it: out = x_k + h Σ_j a_j f_jk + scale Σ_j b_j g_jk (j < stage), with scale = ΔZ_k/h
/// (I_(1,0)/h) when noise_is_area, √h otherwise.
template <std::size_t S>
struct stage_value {
  std::size_t stage;
  std::array<double, S> a;
  std::array<double, S> b;
  double h;
  double sqrt_h;
  bool noise_is_area;

  template <class Out, class X, class... V>
  SDEKIT_HOST_DEVICE void operator()(Out& out, X xk, V... v) const {
    double const value[] = {double(v)...};
    double drift = 0.0;
    double noise = 0.0;
    for (std::size_t j = 0; j < stage; ++j) {
      if (a[j] != 0.0) drift += a[j] * value[j];
      if (b[j] != 0.0) noise += b[j] * value[S + j];
    }
    double const scale = noise_is_area ? value[2 * S + 1] / h : sqrt_h;
    out = xk + h * drift + scale * noise;
  }
};

template <class Op, class First, class Second, class Drifts, class Diffusions, class W, class Z, std::size_t... J>
SDEKIT_HOST_DEVICE void for_each_stage_value(Op op, First& first, Second& second, Drifts& f, Diffusions& g, W& w,
                                             Z& z, std::index_sequence<J...>) {
  for_each(op, first, second, f[J]..., g[J]..., w, z);
}

/// Calls op(first_k, second_k, f_0k, …, f_{S−1}k, g_0k, …, g_{S−1}k, ΔW_k, ΔZ_k) for every component k.
template <std::size_t S, class Op, class First, class Second, class Drifts, class Diffusions, class W, class Z>
SDEKIT_HOST_DEVICE void for_each_stage_value(Op op, First& first, Second& second, Drifts& f, Diffusions& g, W& w,
                                             Z& z) {
  for_each_stage_value(op, first, second, f, g, w, z, std::make_index_sequence<S>{});
}

}  // namespace sdekit::detail
