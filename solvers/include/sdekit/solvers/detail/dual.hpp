// Forward-mode dual numbers a + b ε with ε² = 0, for the Jacobian-vector products of Milstein's
// correction: evaluating g at x + ε v gives g(x) + ε (∂g/∂x) v. Functions are found by ADL, so a
// diffusion written as a template with unqualified calls (`using std::cos; cos(x[0])`) accepts them.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "../config.hpp"
#include "../state.hpp"

namespace sdekit::detail {

template <class T>
struct dual {
  T value{};
  T derivative{};

  dual() = default;  // host and device under nvcc: a defaulted function takes no annotation
  SDEKIT_HOST_DEVICE dual(T v) : value(v) {}  // NOLINT: a constant is a dual with no derivative
  SDEKIT_HOST_DEVICE dual(T v, T d) : value(v), derivative(d) {}

  SDEKIT_HOST_DEVICE dual& operator+=(dual o) { return *this = *this + o; }
  SDEKIT_HOST_DEVICE dual& operator-=(dual o) { return *this = *this - o; }
  SDEKIT_HOST_DEVICE dual& operator*=(dual o) { return *this = *this * o; }
  SDEKIT_HOST_DEVICE dual& operator/=(dual o) { return *this = *this / o; }

  SDEKIT_HOST_DEVICE friend dual operator+(dual a, dual b) { return {a.value + b.value, a.derivative + b.derivative}; }
  SDEKIT_HOST_DEVICE friend dual operator-(dual a, dual b) { return {a.value - b.value, a.derivative - b.derivative}; }
  SDEKIT_HOST_DEVICE friend dual operator-(dual a) { return {-a.value, -a.derivative}; }
  SDEKIT_HOST_DEVICE friend dual operator*(dual a, dual b) {
    return {a.value * b.value, a.derivative * b.value + a.value * b.derivative};
  }
  SDEKIT_HOST_DEVICE friend dual operator/(dual a, dual b) {
    return {a.value / b.value, (a.derivative * b.value - a.value * b.derivative) / (b.value * b.value)};
  }
};

// Mixed arithmetic with plain numbers (double constants against a dual<float> state, too).
template <class T, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
SDEKIT_HOST_DEVICE dual<T> operator+(dual<T> a, S s) { return a + dual<T>(T(s)); }
template <class T, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
SDEKIT_HOST_DEVICE dual<T> operator+(S s, dual<T> a) { return dual<T>(T(s)) + a; }
template <class T, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
SDEKIT_HOST_DEVICE dual<T> operator-(dual<T> a, S s) { return a - dual<T>(T(s)); }
template <class T, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
SDEKIT_HOST_DEVICE dual<T> operator-(S s, dual<T> a) { return dual<T>(T(s)) - a; }
template <class T, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
SDEKIT_HOST_DEVICE dual<T> operator*(dual<T> a, S s) { return {T(a.value * s), T(a.derivative * s)}; }
template <class T, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
SDEKIT_HOST_DEVICE dual<T> operator*(S s, dual<T> a) { return a * s; }
template <class T, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
SDEKIT_HOST_DEVICE dual<T> operator/(dual<T> a, S s) { return {T(a.value / s), T(a.derivative / s)}; }
template <class T, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
SDEKIT_HOST_DEVICE dual<T> operator/(S s, dual<T> a) { return dual<T>(T(s)) / a; }

// The chain rule, f(a + b ε) = f(a) + f'(a) b ε.
template <class T> SDEKIT_HOST_DEVICE dual<T> sin(dual<T> a) { return {std::sin(a.value), std::cos(a.value) * a.derivative}; }
template <class T> SDEKIT_HOST_DEVICE dual<T> cos(dual<T> a) { return {std::cos(a.value), -std::sin(a.value) * a.derivative}; }
template <class T> SDEKIT_HOST_DEVICE dual<T> exp(dual<T> a) {
  T const e = std::exp(a.value);
  return {e, e * a.derivative};
}
template <class T> SDEKIT_HOST_DEVICE dual<T> log(dual<T> a) { return {std::log(a.value), a.derivative / a.value}; }
template <class T> SDEKIT_HOST_DEVICE dual<T> sqrt(dual<T> a) {
  T const r = std::sqrt(a.value);
  return {r, a.derivative / (T(2) * r)};
}
template <class T> SDEKIT_HOST_DEVICE dual<T> tanh(dual<T> a) {
  T const t = std::tanh(a.value);
  return {t, (T(1) - t * t) * a.derivative};
}
template <class T> SDEKIT_HOST_DEVICE dual<T> atan(dual<T> a) {
  return {std::atan(a.value), a.derivative / (T(1) + a.value * a.value)};
}

/// A state of the same shape holding duals: std::vector and std::array keep their kind; other
/// containers (Eigen) are mirrored by a std::vector, sized once per solve.
template <class State, class = void>
struct dual_state {
  using type = std::vector<dual<value_type_t<State>>>;
};
template <class T, std::size_t N>
struct dual_state<std::array<T, N>> {
  using type = std::array<dual<T>, N>;
};
template <class State>
using dual_state_t = typename dual_state<State>::type;

}  // namespace sdekit::detail
