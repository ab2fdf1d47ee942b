// Element operations of the steppers: what sdekit::for_each applies to the i-th elements of a
// step's vectors (Odeint's "operations" beside its "algebra"). They are named function objects
// with SDEKIT_HOST_DEVICE call operators, not local lambdas, because a CUDA kernel launch (the
// Thrust algebra over thrust::device_vector) cannot take a local lambda and nvcc does not allow
// extended lambdas to be generic. Each computes exactly the expression written beside it, in that
// order and with double coefficients, so results agree bit for bit across states and backends.
//
// Odeint's default_operations are not reused: their call operators are host-only, and they compute
// other expressions (scale_sum2(1, h) is 1·x + h·f, not x + h·f).
#pragma once

#include <cstddef>
#include <utility>

#include "config.hpp"

namespace sdekit {

/// o += c·a   (the drift step x += h f; the one shared increment of scalar noise, x += (c ΔW) g).
struct add_scaled {
  double c;
  template <class Out, class A>
  SDEKIT_HOST_DEVICE void operator()(Out& o, A a) const {
    o += c * a;
  }
};

/// o += c·a·b, multiplied left to right   (diagonal noise, x += c g ΔW).
struct add_scaled_product {
  double c;
  template <class Out, class A, class B>
  SDEKIT_HOST_DEVICE void operator()(Out& o, A a, B b) const {
    o += c * a * b;
  }
};

/// o += c·(a + b)   (a trapezoidal average, x += ½h (f + f̄)).
struct add_scaled_sum {
  double c;
  template <class Out, class A, class B>
  SDEKIT_HOST_DEVICE void operator()(Out& o, A a, B b) const {
    o += c * (a + b);
  }
};

/// o += c·(a − b)   (a difference of two diffusion values).
struct add_scaled_difference {
  double c;
  template <class Out, class A, class B>
  SDEKIT_HOST_DEVICE void operator()(Out& o, A a, B b) const {
    o += c * (a - b);
  }
};

/// o *= a   (element-wise product in place).
struct multiply_by {
  template <class Out, class A>
  SDEKIT_HOST_DEVICE void operator()(Out& o, A a) const {
    o *= a;
  }
};

/// o = a + c₁·b₁ + c₂·b₂ + …, summed left to right   (a predictor X + h f, or X + h f + √h g).
template <std::size_t N>
struct assign_add_scaled {
  double c[N];

  template <class... C>
  SDEKIT_HOST_DEVICE explicit assign_add_scaled(C... coefficients) : c{double(coefficients)...} {}

  template <class Out, class A, class... B>
  SDEKIT_HOST_DEVICE void operator()(Out& o, A a, B... b) const {
    static_assert(sizeof...(B) == N, "assign_add_scaled takes one coefficient per scaled input.");
    sum(std::index_sequence_for<B...>{}, o, a, b...);
  }

 private:
  template <std::size_t... I, class Out, class A, class... B>
  SDEKIT_HOST_DEVICE void sum(std::index_sequence<I...>, Out& o, A a, B... b) const {
    o = (a + ... + (c[I] * b));
  }
};

template <class... C>
assign_add_scaled(C...) -> assign_add_scaled<sizeof...(C)>;

}  // namespace sdekit
