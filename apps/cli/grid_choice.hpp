// The time grid of a fixed-grid sampler, by name (uniform, quadratic, karras, lambda: the grids of
// diffusion/time_grid.hpp), and the default last time ε of each forward SDE.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <sdekit/diffusion/time_grid.hpp>
#include <sdekit/solvers/errors.hpp>

#include "closest_name.hpp"

namespace sdekit::cli {

inline std::vector<std::string> grid_names() { return {"uniform", "quadratic", "karras", "lambda"}; }

/// Descending grid T = t_0 > ... > t_n = eps of the named kind.
template <class SDE>
std::vector<double> make_grid(SDE const& sde, std::string const& name, std::size_t n, double eps) {
  if (name == "uniform") return diffusion::uniform_grid(sde, n, eps);
  if (name == "quadratic") return diffusion::quadratic_grid(sde, n, eps);
  if (name == "karras") return diffusion::karras_grid(sde, n, eps);
  if (name == "lambda") return diffusion::lambda_uniform_grid(sde, n, eps);
  sdekit::detail::fail("--grid = '", name, "' is not a grid", suggestion(name, grid_names()));
}

/// 1e-3 (vp, subvp, cosine), 1e-5 (ve), σ_min = 0.002 (edm).
inline double default_eps(std::string const& sde) {
  if (sde == "ve") return 1e-5;
  if (sde == "edm") return 0.002;
  return 1e-3;
}

}  // namespace sdekit::cli
