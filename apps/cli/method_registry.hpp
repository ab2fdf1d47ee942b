// SDE steppers by name: run-time dispatch over the compile-time stepper types. Each entry pairs a
// command-line name with a stepper object; with_method(name, f) calls f(named_method<M>) with the
// concrete type, so f instantiates solve() for exactly that stepper. A problem/method pair that
// does not fit (noise structure, calculus) is refused with sdekit::require_compatible's sentence.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include <sdekit/solvers/compatibility.hpp>
#include <sdekit/solvers/derivative_free_milstein.hpp>
#include <sdekit/solvers/euler_heun.hpp>
#include <sdekit/solvers/euler_maruyama.hpp>
#include <sdekit/solvers/milstein.hpp>
#include <sdekit/solvers/sra1.hpp>
#include <sdekit/solvers/sra3.hpp>
#include <sdekit/solvers/sri_w1.hpp>
#include <sdekit/solvers/stochastic_heun.hpp>
#include <sdekit/solvers/errors.hpp>

#include "closest_name.hpp"

namespace sdekit::cli {

template <class Method>
struct named_method {
  char const* name;
  Method method;
};

/// Every SDE stepper the command line offers, in the order tables list them.
inline auto sde_methods() {
  return std::make_tuple(named_method<euler_maruyama>{"euler-maruyama", {}}, named_method<milstein>{"milstein", {}},
                         named_method<derivative_free_milstein>{"derivative-free-milstein", {}},
                         named_method<euler_heun>{"euler-heun", {}},
                         named_method<stochastic_heun>{"stochastic-heun", {}}, named_method<sri_w1>{"sriw1", {}},
                         named_method<sra1>{"sra1", {}}, named_method<sra3>{"sra3", {}});
}

/// Calls f(entry) for every registered stepper.
template <class F>
void for_each_method(F&& f) {
  std::apply([&](auto const&... entry) { (f(entry), ...); }, sde_methods());
}

inline std::vector<std::string> method_names() {
  std::vector<std::string> names;
  for_each_method([&](auto const& entry) { names.emplace_back(entry.name); });
  return names;
}

/// Calls f(entry) for the stepper called `name`; an unknown name throws sdekit::invalid_argument
/// naming `option` and suggesting the closest name.
template <class F>
void with_method(std::string const& option, std::string const& name, F&& f) {
  bool found = false;
  for_each_method([&](auto const& entry) {
    if (!found && name == entry.name) {
      found = true;
      f(entry);
    }
  });
  if (!found) sdekit::detail::fail(option, " = '", name, "' is not a method", suggestion(name, method_names()));
}

}  // namespace sdekit::cli
