// The forward SDEs of the diffusion module by name (vp, ve, subvp, edm, cosine), each with its
// default parameters; with_sde(name, f) calls f(sde) with the concrete type.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include <sdekit/diffusion/cosine_vp_sde.hpp>
#include <sdekit/diffusion/edm_sde.hpp>
#include <sdekit/diffusion/sub_vp_sde.hpp>
#include <sdekit/diffusion/ve_sde.hpp>
#include <sdekit/diffusion/vp_sde.hpp>
#include <sdekit/solvers/errors.hpp>

#include "closest_name.hpp"

namespace sdekit::cli {

inline auto forward_sdes() {
  return std::make_tuple(diffusion::vp_sde{}, diffusion::ve_sde{}, diffusion::sub_vp_sde{}, diffusion::edm_sde{},
                         diffusion::cosine_vp_sde{});
}

inline std::vector<std::string> sde_names() {
  std::vector<std::string> names;
  std::apply([&](auto const&... sde) { (names.emplace_back(sde.name()), ...); }, forward_sdes());
  return names;
}

template <class F>
void with_sde(std::string const& option, std::string const& name, F&& f) {
  bool found = false;
  std::apply(
      [&](auto const&... sde) {
        auto const visit = [&](auto const& one) {
          if (!found && name == one.name()) {
            found = true;
            f(one);
          }
        };
        (visit(sde), ...);
      },
      forward_sdes());
  if (!found) sdekit::detail::fail(option, " = '", name, "' is not a forward SDE", suggestion(name, sde_names()));
}

}  // namespace sdekit::cli
