// Scores: s(x, t) = ∇_x log p_t(x), evaluated for a whole batch at once. A score is any object with
//
//   std::size_t dim() const;
//   void operator()(std::vector<double> const& x, double t, std::vector<double>& out) const;
//
// where x holds B samples of dimension dim() row-major (x[b*d + j]) and the callee resizes out to
// x.size(). A score may also provide divergence(x, t, out), writing ∇·s = tr ∇²log p_t for each
// sample into out (size B); the likelihood then uses it instead of Hutchinson's estimator.
// score_function erases the type for choices made at run time (CLI, Python, Torch). Samplers and
// the likelihood count NFE as the number of batched score calls.
#pragma once

#include <cmath>
#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

#include <sdekit/solvers/errors.hpp>

#include "forward_sde.hpp"

namespace sdekit::diffusion {

template <class Score, class = void>
struct is_score : std::false_type {};

template <class Score>
struct is_score<Score, std::void_t<decltype(std::size_t(std::declval<Score const&>().dim())),
                                   decltype(std::declval<Score const&>()(std::declval<std::vector<double> const&>(),
                                                                         0.0, std::declval<std::vector<double>&>()))>>
    : std::true_type {};

/// True when Score has dim() and operator()(x, t, out) as described above.
template <class Score>
inline constexpr bool is_score_v = is_score<Score>::value;

template <class Score, class = void>
struct has_divergence : std::false_type {};

template <class Score>
struct has_divergence<Score, std::void_t<decltype(std::declval<Score const&>().divergence(
                                 std::declval<std::vector<double> const&>(), 0.0, std::declval<std::vector<double>&>()))>>
    : std::true_type {};

/// True when Score also provides the exact divergence(x, t, out).
template <class Score>
inline constexpr bool has_divergence_v = has_divergence<Score>::value;

template <class Score, class = void>
struct has_vector_jacobian_product : std::false_type {};

template <class Score>
struct has_vector_jacobian_product<
    Score, std::void_t<decltype(std::declval<Score const&>().vector_jacobian_product(
               std::declval<std::vector<double> const&>(), 0.0, std::declval<std::vector<double> const&>(),
               std::declval<std::vector<double>&>()))>> : std::true_type {};

/// True when Score also provides vector_jacobian_product(x, t, v, out), out = vᵀ ∂s/∂x per sample
/// (autograd for learned models); Hutchinson's estimator then needs no finite differences.
template <class Score>
inline constexpr bool has_vector_jacobian_product_v = has_vector_jacobian_product<Score>::value;

/// A score chosen at run time: a callable with the score's call signature and its dimension.
class score_function {
 public:
  using function_type = std::function<void(std::vector<double> const&, double, std::vector<double>&)>;

  score_function(std::size_t dim, function_type function) : dim_(dim), function_(std::move(function)) {
    if (dim == 0) sdekit::detail::fail("score dim = 0 must be positive");
    if (!function_) sdekit::detail::fail("score_function holds no callable");
  }

  std::size_t dim() const { return dim_; }
  void operator()(std::vector<double> const& x, double t, std::vector<double>& out) const { function_(x, t, out); }

 private:
  std::size_t dim_;
  function_type function_;
};

/// Refuses a score whose dim() is not the state dimension d.
template <class Score>
void require_score_dimension(Score const& score, std::size_t d) {
  static_assert(is_score_v<Score>, "A score needs dim() and operator()(x, t, out) (see score.hpp).");
  if (score.dim() != d)
    sdekit::detail::fail("score dim() = ", score.dim(), " does not match the state dimension d = ", d);
}

/// Refuses per-sample values that are not finite, naming t and the sample: what = "score", ...
inline void require_finite_batch(char const* what, std::vector<double> const& values, std::size_t per_sample,
                                 double t) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      sdekit::detail::fail(what, " returned ", values[i], " at t = ", t, " for sample ", i / per_sample,
                           " (component ", i % per_sample, ")");
}

/// out = score(x, t) for a batch of dimension score.dim(), checked: x holds whole samples, out has
/// x.size() values and all are finite, else sdekit::invalid_argument names t and the sample index.
template <class Score>
void evaluate_score(Score const& score, std::vector<double> const& x, double t, std::vector<double>& out) {
  static_assert(is_score_v<Score>, "A score needs dim() and operator()(x, t, out) (see score.hpp).");
  if (x.size() % score.dim() != 0)
    sdekit::detail::fail("x.size() = ", x.size(), " is not a multiple of the score's dim() = ", score.dim());
  score(x, t, out);
  if (out.size() != x.size())
    sdekit::detail::fail("score wrote ", out.size(), " values for a batch of ", x.size(), " at t = ", t);
  require_finite_batch("score", out, score.dim(), t);
}

}  // namespace sdekit::diffusion
