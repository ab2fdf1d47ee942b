// How steppers see a state: a sized, indexable container (std::vector, std::array, Eigen vectors,
// Thrust vectors). Element-wise arithmetic goes through sdekit::for_each, which dispatches on the
// container type to an algebra (Odeint's split of method and algebra): the default loops over
// indices; integrations add others (Thrust) by specialising sdekit::algebra_for.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "config.hpp"
#include "errors.hpp"
#include "noise.hpp"

namespace sdekit {

/// Loops over indices; works for every container with size() and operator[], host or device side.
struct index_algebra {
  SDEKIT_EXEC_CHECK_DISABLE
  template <class Op, class First, class... Rest>
  SDEKIT_HOST_DEVICE static void for_each(Op op, First& first, Rest&... rest) {
    auto const n = static_cast<std::size_t>(first.size());
    for (std::size_t i = 0; i < n; ++i) op(first[i], rest[i]...);
  }
};

/// The algebra used for states of type Container; specialise it to add a backend.
template <class Container, class Enable = void>
struct algebra_for {
  using type = index_algebra;
};

/// Applies op(a[i], b[i], ...) for every index i of the first container. Only containers (with
/// size()) take part, so that Thrust's unqualified for_each(policy, first, last, f) on a functor
/// from namespace sdekit does not find this one by argument-dependent lookup.
SDEKIT_EXEC_CHECK_DISABLE
template <class Op, class First, class... Rest, class = decltype(std::declval<First&>().size())>
SDEKIT_HOST_DEVICE void for_each(Op op, First& first, Rest&... rest) {
  algebra_for<std::remove_const_t<First>>::type::for_each(op, first, rest...);
}

namespace detail {

template <class T, class = void>
struct has_resize : std::false_type {};
template <class T>
struct has_resize<T, std::void_t<decltype(std::declval<T&>().resize(std::size_t{}))>>
    : std::true_type {};

SDEKIT_EXEC_CHECK_DISABLE
template <class State>
SDEKIT_HOST_DEVICE std::size_t dimension(State const& x) {
  return static_cast<std::size_t>(x.size());
}

/// Gives a dynamic container n elements; checks that a fixed-size one already has them. An empty
/// container is constructed anew rather than resized: Thrust 1.17's resize of an empty host_vector
/// copies its empty range through a null pointer (undefined behaviour that UBSan reports).
template <class State>
void resize(State& x, std::size_t n) {
  if constexpr (has_resize<State>::value) {
    if (dimension(x) == 0 && n > 0) x = State(n);
    else if (dimension(x) != n) x.resize(n);
  } else if (dimension(x) != n) {
    fail("a fixed-size state of ", dimension(x), " elements cannot hold ", n, " elements");
  }
}

// The element type of a state: its value_type where it names one (std::vector, std::array, Eigen,
// Thrust), else what operator[] yields. operator[] of a thrust::device_vector (or of an OMP/TBB
// vector) yields a reference proxy, not the element type.
template <class State, class = void>
struct value_type_of {
  using type = std::decay_t<decltype(std::declval<State const&>()[0])>;
};
template <class State>
struct value_type_of<State, std::void_t<typename State::value_type>> {
  using type = typename State::value_type;
};
template <class State>
using value_type_t = typename value_type_of<State>::type;

}  // namespace detail

/// The vector of Wiener increments a stepper draws for a problem with this noise structure:
/// n components for diagonal and additive noise (the state's own type), one for scalar noise,
/// m for general noise.
template <class State, class Noise>
struct noise_vector {
  using type = State;
};
template <class State>
struct noise_vector<State, scalar_noise> {
  using type = std::array<detail::value_type_t<State>, 1>;
};
template <class State>
struct noise_vector<State, general_noise> {
  using type = std::vector<detail::value_type_t<State>>;
};
template <class State, class Noise>
using noise_vector_t = typename noise_vector<State, Noise>::type;

/// What the diffusion g(x, t) writes: an n-vector (the state's type) for scalar, diagonal and
/// additive noise; for general noise an n×m matrix stored row-major in a std::vector,
/// g[i * m + j] = G_ij.
template <class State, class Noise>
struct diffusion_value {
  using type = State;
};
template <class State>
struct diffusion_value<State, general_noise> {
  using type = std::vector<detail::value_type_t<State>>;
};
template <class State, class Noise>
using diffusion_value_t = typename diffusion_value<State, Noise>::type;

}  // namespace sdekit
