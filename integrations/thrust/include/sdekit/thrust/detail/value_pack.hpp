// A host-device tuple of values (coefficients, pointers) with get<I>: std::tuple is not usable in
// CUDA device code, and thrust::tuple stops at ten elements, fewer than Fehlberg 7(8) needs.
#pragma once

#include <cstddef>

#include <sdekit/solvers/config.hpp>

namespace sdekit::detail {

template <class... T>
struct value_pack {};

template <class Head, class... Tail>
struct value_pack<Head, Tail...> {
  SDEKIT_HOST_DEVICE explicit value_pack(Head h, Tail... t) : head(h), tail(t...) {}
  Head head;
  value_pack<Tail...> tail;
};

template <std::size_t I, class Head, class... Tail>
SDEKIT_HOST_DEVICE auto const& get(value_pack<Head, Tail...> const& p) {
  if constexpr (I == 0) return p.head;
  else return get<I - 1>(p.tail);
}

}  // namespace sdekit::detail
