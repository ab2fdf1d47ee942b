// What a network predicts, and the conversions between the four usual targets given (α_t, σ_t)
// for x_t = α_t x_0 + σ_t ε (Kingma et al. 2021; Salimans & Ho 2022 for v; Karras et al. 2022 for D):
//   score s = ∇log p_t,  noise ε = −σ_t s,  data x̂_0 = D(x_t) = (x_t + σ_t² s)/α_t,
//   velocity v = α_t ε − σ_t x̂_0.
// Back to the score: s = −ε/σ_t = (α_t x̂_0 − x_t)/σ_t², and from v, since x_t = α_t x̂_0 + σ_t ε,
//   ε = (σ_t x_t + α_t v)/(α_t² + σ_t²).
// adapt_prediction(model, p, sde) turns a model that predicts p into a score (score.hpp).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include <sdekit/solvers/errors.hpp>

#include "forward_sde.hpp"
#include "score.hpp"

namespace sdekit::diffusion {

enum class prediction { score, epsilon, data, velocity };

inline const char* to_string(prediction p) {
  switch (p) {
    case prediction::score: return "score";
    case prediction::epsilon: return "epsilon";
    case prediction::data: return "data";
    case prediction::velocity: return "velocity";
  }
  return "unknown";
}

/// The prediction p of one component, given its score s at x.
inline double prediction_from_score(prediction p, double s, double x, double alpha, double sigma) {
  double const epsilon = -sigma * s;
  double const data = (x + sigma * sigma * s) / alpha;
  switch (p) {
    case prediction::score: return s;
    case prediction::epsilon: return epsilon;
    case prediction::data: return data;
    case prediction::velocity: return alpha * epsilon - sigma * data;
  }
  return s;
}

/// The score of one component, given the prediction p (value) at x.
inline double score_from_prediction(prediction p, double value, double x, double alpha, double sigma) {
  switch (p) {
    case prediction::score: return value;
    case prediction::epsilon: return -value / sigma;
    case prediction::data: return (alpha * value - x) / (sigma * sigma);
    case prediction::velocity: return -(sigma * x + alpha * value) / ((alpha * alpha + sigma * sigma) * sigma);
  }
  return value;
}

/// out[i] = prediction_from_score(p, s[i], x[i], α, σ) for a batch (out may alias s).
inline void prediction_from_score(prediction p, std::vector<double> const& s, std::vector<double> const& x,
                                  double alpha, double sigma, std::vector<double>& out) {
  if (s.size() != x.size()) sdekit::detail::fail("score has ", s.size(), " values but x has ", x.size());
  out.resize(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = prediction_from_score(p, s[i], x[i], alpha, sigma);
}

/// out[i] = score_from_prediction(p, value[i], x[i], α, σ) for a batch (out may alias value).
inline void score_from_prediction(prediction p, std::vector<double> const& value, std::vector<double> const& x,
                                  double alpha, double sigma, std::vector<double>& out) {
  if (value.size() != x.size()) sdekit::detail::fail("prediction has ", value.size(), " values but x has ", x.size());
  out.resize(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = score_from_prediction(p, value[i], x[i], alpha, sigma);
}

/// A score made from a model that predicts ε, x̂_0, v (or the score itself) under a forward SDE.
template <class Model, class SDE>
class predicted_score {
  static_assert(is_score_v<Model>, "The model needs dim() and operator()(x, t, out), like a score (score.hpp).");
  static_assert(is_forward_sde_v<SDE>, "adapt_prediction needs a forward SDE (see forward_sde.hpp).");

 public:
  predicted_score(Model model, prediction p, SDE sde) : model_(std::move(model)), p_(p), sde_(std::move(sde)) {}

  std::size_t dim() const { return model_.dim(); }
  void operator()(std::vector<double> const& x, double t, std::vector<double>& out) const {
    model_(x, t, out);
    score_from_prediction(p_, out, x, sde_.alpha(t), sde_.sigma(t), out);
  }

 private:
  Model model_;
  prediction p_;
  SDE sde_;
};

template <class Model, class SDE>
predicted_score<Model, SDE> adapt_prediction(Model model, prediction p, SDE sde) {
  return {std::move(model), p, std::move(sde)};
}

}  // namespace sdekit::diffusion
