// Which steppers solve which problems. solve() refuses a mismatch at compile time; code that picks
// a method at run time (the command line) asks is_compatible_v first and calls require_compatible,
// which throws a sentence naming the method and the problem's declared noise and calculus.
#pragma once

#include <type_traits>

#include "errors.hpp"

namespace sdekit {

template <class Method, class Problem>
inline constexpr bool is_compatible_v =
    Method::template accepts<typename Problem::noise> &&
    std::is_same_v<typename Method::calculus, typename Problem::calculus>;

template <class Method, class Problem>
void require_compatible(Method const&, Problem const&) {
  if constexpr (!is_compatible_v<Method, Problem>) {
    using noise = typename Problem::noise;
    using calculus = typename Problem::calculus;
    detail::fail(Method::name, " cannot solve this problem: it declares ", noise::name, " noise in ",
                 calculus::name, " calculus, and ", Method::name, " solves ", Method::calculus::name,
                 " SDEs with the noise structures listed in its header");
  }
}

}  // namespace sdekit
