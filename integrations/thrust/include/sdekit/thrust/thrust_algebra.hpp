// Batched (lock-step) states on Thrust vectors: thrust_algebra runs op(a[i], b[i], …) for every index
// with thrust::for_each under the system the vectors live in (CPP, OMP, TBB, CUDA), for any number
// of vectors. It serves both sides of Odeint's split:
//   - sdekit::for_each, so the solver layer's steppers (Euler–Maruyama, Milstein, SRI/SRA, …) step
//     a whole batch stored in a thrust::host_vector, device_vector or a system vector such as
//     thrust::omp::vector (algebra_for is specialised for them below);
//   - Odeint's Algebra concept (for_each1 … for_each15, norm_inf), so Odeint's steppers run on the
//     same vectors with thrust_operations: runge_kutta4<V, double, V, double, thrust_algebra,
//     thrust_operations>.
// Boost 1.74's own Thrust algebra does not compile for the OMP, TBB or CUDA vectors of Thrust ≥ 1.10
// (boostorg/odeint#45), stops at for_each8 and returns a signed norm_inf; this one has no such limits
// and is checked against Odeint's results on std::vector.
#pragma once

#include <cmath>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/numeric/odeint/util/is_resizeable.hpp>
#include <thrust/device_vector.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/host_vector.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/iterator_traits.h>
#include <thrust/transform_reduce.h>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/detail/stage_values.hpp>
#include <sdekit/solvers/state.hpp>

#include "detail/value_pack.hpp"

namespace sdekit {
namespace detail {

template <class T>
struct is_thrust_vector : std::false_type {};
template <class T, class A>
struct is_thrust_vector<::thrust::host_vector<T, A>> : std::true_type {};
template <class T, class A>
struct is_thrust_vector<::thrust::device_vector<T, A>> : std::true_type {};
// thrust::cpp/omp/tbb/cuda::vector are aliases of vector_base since Thrust 1.10 (boostorg/odeint#45).
template <class T, class A>
struct is_thrust_vector<::thrust::detail::vector_base<T, A>> : std::true_type {};

// op(p₀[i], p₁[i], …) at index i, from raw pointers into the vectors.
template <class Op, class... Pointer>
struct indexed_operation {
  Op op;
  value_pack<Pointer...> pointers;

  SDEKIT_HOST_DEVICE void operator()(std::size_t i) const { apply(std::index_sequence_for<Pointer...>{}, i); }

  template <std::size_t... I>
  SDEKIT_HOST_DEVICE void apply(std::index_sequence<I...>, std::size_t i) const {
    op(get<I>(pointers)[i]...);
  }
};

template <class T>
struct absolute_value {
  SDEKIT_HOST_DEVICE T operator()(T x) const { return x < T(0) ? -x : x; }
};

template <class Vector>
auto raw_data(Vector& v) {
  return ::thrust::raw_pointer_cast(v.data());
}

template <class T, class = void>
struct has_data : std::false_type {};
template <class T>
struct has_data<T, std::void_t<decltype(std::declval<T&>().data())>> : std::true_type {};

// The per-component ΔW (ΔZ) of the SRI/SRA schemes over a Thrust vector, read through a raw
// pointer: device code cannot call thrust::device_vector::operator[].
template <class T>
struct raw_elementwise {
  T const* data;
  SDEKIT_HOST_DEVICE double operator[](std::size_t k) const { return double(data[k]); }
};

// What the kernel indexes: a raw pointer into a vector, a raw-pointer view in place of an
// elementwise view of a Thrust vector, or a copy of another small indexable view (broadcast).
template <class Argument>
auto element_access(Argument& a) {
  if constexpr (has_data<Argument>::value) return raw_data(a);
  else return a;
}
template <class Vector, std::enable_if_t<is_thrust_vector<std::remove_const_t<Vector>>::value, int> = 0>
auto element_access(elementwise<Vector> const& a) {
  auto const* data = raw_data(*a.vector);
  return raw_elementwise<std::remove_const_t<std::remove_pointer_t<decltype(data)>>>{data};
}

}  // namespace detail

struct thrust_algebra {
  /// op(first[i], rest[i]...) for every index, on the system of `first`.
  template <class Op, class First, class... Rest>
  static void for_each(Op op, First& first, Rest&... rest) {
    using system = typename ::thrust::iterator_system<typename std::remove_const_t<First>::iterator>::type;
    using pack = detail::value_pack<decltype(detail::raw_data(first)), decltype(detail::element_access(rest))...>;
    detail::indexed_operation<Op, decltype(detail::raw_data(first)), decltype(detail::element_access(rest))...> const f{
        op, pack(detail::raw_data(first), detail::element_access(rest)...)};
    ::thrust::for_each_n(system{}, ::thrust::counting_iterator<std::size_t>(0), first.size(), f);
  }

  /// max_i |x_i|, unsigned as a norm must be.
  template <class Vector>
  static auto norm_inf(Vector const& x) {
    using value = typename Vector::value_type;
    using system = typename ::thrust::iterator_system<typename Vector::const_iterator>::type;
    return ::thrust::transform_reduce(system{}, x.begin(), x.end(), detail::absolute_value<value>{}, value(0),
                                      ::thrust::maximum<value>());
  }

  // Odeint's names: for_eachN(s₁, …, s_N, op).
  template <class... Args> static void for_each1(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each2(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each3(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each4(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each5(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each6(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each7(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each8(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each9(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each10(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each11(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each12(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each13(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each14(Args&&... a) { last_first(std::forward<Args>(a)...); }
  template <class... Args> static void for_each15(Args&&... a) { last_first(std::forward<Args>(a)...); }

 private:
  // Calls for_each(op, s₁, …, s_N) for Odeint's argument order (s₁, …, s_N, op).
  template <class... Args>
  static void last_first(Args&&... args) {
    auto refs = std::forward_as_tuple(std::forward<Args>(args)...);
    call_last_first(refs, std::make_index_sequence<sizeof...(Args) - 1>{});
  }
  template <class Tuple, std::size_t... I>
  static void call_last_first(Tuple& refs, std::index_sequence<I...>) {
    for_each(std::get<sizeof...(I)>(refs), std::get<I>(refs)...);
  }
};

template <class Container>
struct algebra_for<Container, std::enable_if_t<detail::is_thrust_vector<Container>::value>> {
  using type = thrust_algebra;
};

}  // namespace sdekit

namespace boost::numeric::odeint {
template <class Container>
struct is_resizeable_sfinae<Container, std::enable_if_t<sdekit::detail::is_thrust_vector<Container>::value>>
    : boost::true_type {};
}  // namespace boost::numeric::odeint
