// The SDEs with exact solutions that `sdekit solve` offers, by name: the solver layer's catalogue
// (sdekit/solvers/catalogue), each entry named by its own `name`. with_problem(name, f) calls
// f(entry) with the concrete catalogue type; an unknown name is refused with a suggestion.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include <sdekit/solvers/catalogue/catalogue.hpp>
#include <sdekit/solvers/errors.hpp>

#include "closest_name.hpp"

namespace sdekit::cli {

/// Every catalogue problem, in the order `--help` lists them; the first is the default.
inline auto solve_problems() {
  return std::make_tuple(catalogue::geometric_brownian_motion{}, catalogue::ornstein_uhlenbeck{},
                         catalogue::kloeden_platen_wave{}, catalogue::kloeden_platen_cubic{},
                         catalogue::linear_diagonal_2d{}, catalogue::additive_time_dependent{});
}

template <class F>
void for_each_problem(F&& f) {
  std::apply([&](auto const&... entry) { (f(entry), ...); }, solve_problems());
}

inline std::vector<std::string> problem_names() {
  std::vector<std::string> names;
  for_each_problem([&](auto const& entry) { names.emplace_back(entry.name); });
  return names;
}

template <class F>
void with_problem(std::string const& option, std::string const& name, F&& f) {
  bool found = false;
  for_each_problem([&](auto const& entry) {
    if (!found && name == entry.name) {
      found = true;
      f(entry);
    }
  });
  if (!found) sdekit::detail::fail(option, " = '", name, "' is not a problem", suggestion(name, problem_names()));
}

}  // namespace sdekit::cli
