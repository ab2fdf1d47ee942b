// What every sampler does the same way: validate (sde, grid, batch, score), call the score while
// counting NFE and refusing non-finite output, and the optional final Tweedie denoising step.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/errors.hpp>

namespace sdekit::diffusion::detail {

using sdekit::detail::fail;

/// Refuses an empty or non-descending grid and a grid outside (0, T].
template <class SDE>
void validate_sampler_grid(SDE const& sde, std::vector<double> const& grid) {
  if (grid.size() < 2)
    fail("grid has ", grid.size(), " time(s): a sampler needs at least 2 (n ≥ 1 steps, NFE > 0)");
  for (std::size_t i = 0; i < grid.size(); ++i) {
    if (!std::isfinite(grid[i])) fail("grid[", i, "] = ", grid[i], " must be finite");
    if (i > 0 && !(grid[i] < grid[i - 1]))
      fail("grid[", i, "] = ", grid[i], " must be below grid[", i - 1, "] = ", grid[i - 1], " (descending times)");
  }
  if (!(grid.front() <= sde.T())) fail("grid[0] = ", grid.front(), " exceeds the SDE's T = ", sde.T());
  if (!(grid.back() > 0.0)) fail("eps = grid.back() = ", grid.back(), " must be positive");
}

/// Refuses, besides a bad grid, a batch whose size is not a multiple of the score's dimension and
/// non-finite starting points.
template <class SDE>
void validate_sampler_input(SDE const& sde, std::vector<double> const& grid, std::vector<double> const& x,
                            std::size_t dim) {
  validate_sampler_grid(sde, grid);
  if (dim == 0) fail("the score's dim() = 0: samples need at least one component");
  if (x.empty() || x.size() % dim != 0)
    fail("x.size() = ", x.size(), " is not a positive multiple of the score's dim() = ", dim);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) fail("x[", i, "] = ", x[i], " (sample ", i / dim, ") must be finite");
}

/// A score as the samplers call it: counts batched calls (NFE) and throws sdekit::invalid_argument
/// naming t and the sample (its global index, first_sample + b) when the score returns NaN or Inf.
template <class Score>
class counted_score {
 public:
  counted_score(Score const& score, std::uint64_t first_sample)
      : score_(score), dim_(score.dim()), first_sample_(first_sample) {}

  std::size_t dim() const { return dim_; }
  std::size_t nfe() const { return nfe_; }

  /// out = ∇log p_t(x) for the batch x whose first sample is batch sample `first`.
  void operator()(std::vector<double> const& x, double t, std::vector<double>& out, std::size_t first = 0) {
    score_(x, t, out);
    ++nfe_;
    if (out.size() != x.size())
      fail("the score wrote ", out.size(), " values for a batch of ", x.size());
    for (std::size_t i = 0; i < out.size(); ++i)
      if (!std::isfinite(out[i]))
        fail("score returned ", out[i], " at t = ", t, " for sample ", first_sample_ + first + i / dim_,
             " (component ", i % dim_, ")");
  }

 private:
  Score const& score_;
  std::size_t dim_;
  std::uint64_t first_sample_;
  std::size_t nfe_ = 0;
};

/// Tweedie's formula x̂_0 = (x + σ_t² ∇log p_t(x))/α_t for one component.
SDEKIT_HOST_DEVICE inline double tweedie(double x, double score, double alpha, double variance) {
  return (x + variance * score) / alpha;
}

/// Tweedie's formula for the batch, in place; s is the score at (x, t).
template <class SDE>
void tweedie(SDE const& sde, double t, std::vector<double>& x, std::vector<double> const& s) {
  double const alpha = sde.alpha(t);
  double const var = sde.sigma(t) * sde.sigma(t);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = tweedie(x[i], s[i], alpha, var);
}

/// The optional last step of every sampler: x ← x̂_0 at t = eps (one NFE); x's first sample is
/// batch sample `first`.
template <class SDE, class Score>
void final_denoise(SDE const& sde, counted_score<Score>& score, double eps, std::vector<double>& x,
                   std::size_t first = 0) {
  std::vector<double> s;
  score(x, eps, s, first);
  tweedie(sde, eps, x, s);
}

}  // namespace sdekit::diffusion::detail
