// A learned score network exported with torch.jit, used as a batched score by every sampler and by
// the PF-ODE likelihood. The file says what the network predicts (score, ε, x̂_0 or v) and how it
// takes time (t, σ, log σ, or a discrete DDPM index) in its extra file `sdekit.json`, written by
// scripts/train_score_model.py; options given here override it. The network is called as
// model(x: B×d float32, time: B float32) and must return B×d.
//
//   sdekit::torch::torchscript_score score("model.pt", sdekit::diffusion::vp_sde{});
//   auto result = sdekit::diffusion::sample(..., score, ...);
//
// Divergences for the likelihood come from autograd: exact (d vector–Jacobian products) or one
// vector–Jacobian product per Hutchinson probe.
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/autograd.h>
#include <torch/script.h>

#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/parametrization.hpp>
#include <sdekit/diffusion/score.hpp>
#include <sdekit/solvers/errors.hpp>

namespace sdekit::torch {

/// What the network takes as its time input.
enum class time_input { t, sigma, log_sigma, discrete_index };

inline const char* to_string(time_input input) {
  switch (input) {
    case time_input::t: return "t";
    case time_input::sigma: return "sigma";
    case time_input::log_sigma: return "log_sigma";
    case time_input::discrete_index: return "discrete_index";
  }
  return "unknown";
}

/// Settings that override the file's sdekit.json (or stand in for it when absent).
struct model_options {
  std::optional<diffusion::prediction> predicts;
  std::optional<time_input> takes;
  std::optional<std::size_t> dim;
  std::size_t discrete_steps = 1000;  ///< N for a discrete-index time input: index = t·N − 1
};

namespace detail {

inline diffusion::prediction parse_prediction(std::string const& name) {
  for (auto p : {diffusion::prediction::score, diffusion::prediction::epsilon, diffusion::prediction::data,
                 diffusion::prediction::velocity})
    if (name == diffusion::to_string(p)) return p;
  sdekit::detail::fail("prediction = \"", name, "\" is not one of score, epsilon, data, velocity");
}

inline time_input parse_time_input(std::string const& name) {
  for (auto input : {time_input::t, time_input::sigma, time_input::log_sigma, time_input::discrete_index})
    if (name == to_string(input)) return input;
  sdekit::detail::fail("time_input = \"", name, "\" is not one of t, sigma, log_sigma, discrete_index");
}

}  // namespace detail

template <class SDE>
class torchscript_score {
  static_assert(diffusion::is_forward_sde_v<SDE>, "torchscript_score needs a forward SDE (forward_sde.hpp).");

 public:
  torchscript_score(std::string const& path, SDE sde, model_options const& options = {})
      : path_(path), sde_(std::move(sde)), discrete_steps_(options.discrete_steps) {
    nlohmann::json metadata = load(path);
    predicts_ = options.predicts ? *options.predicts
                                 : detail::parse_prediction(metadata.value("prediction", std::string("score")));
    takes_ = options.takes ? *options.takes : detail::parse_time_input(metadata.value("time_input", std::string("t")));
    if (options.dim) dim_ = *options.dim;
    else if (metadata.contains("dim")) dim_ = metadata["dim"].get<std::size_t>();
    if (dim_ == 0) sdekit::detail::fail("model '", path, "': dim is unknown; give model_options::dim");
    metadata_ = std::move(metadata);
  }

  std::size_t dim() const { return dim_; }
  diffusion::prediction predicts() const { return predicts_; }
  time_input takes() const { return takes_; }
  SDE const& sde() const { return sde_; }
  /// The file's sdekit.json (empty when the file has none).
  nlohmann::json const& metadata() const { return metadata_; }

  /// The score ∇log p_t for a batch x (B×d row-major).
  void operator()(std::vector<double> const& x, double t, std::vector<double>& out) const {
    ::torch::NoGradGuard no_grad;
    ::torch::Tensor const xt = batch_tensor(x);
    ::torch::Tensor const s = score_tensor(xt, t).to(::torch::kFloat64).contiguous();
    out.assign(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
    diffusion::require_finite_batch("score", out, dim_, t);
  }

  /// The exact divergence ∇·s for each sample (d vector–Jacobian products).
  void divergence(std::vector<double> const& x, double t, std::vector<double>& out) const {
    ::torch::Tensor xt = batch_tensor(x).requires_grad_(true);
    ::torch::Tensor const s = score_tensor(xt, t);
    ::torch::Tensor div = ::torch::zeros({xt.size(0)}, ::torch::kFloat64);
    for (std::size_t j = 0; j < dim_; ++j) {
      auto grad = ::torch::autograd::grad({s.select(1, long(j)).sum()}, {xt}, {}, /*retain_graph=*/true)[0];
      div += grad.select(1, long(j)).to(::torch::kFloat64);
    }
    out.assign(div.data_ptr<double>(), div.data_ptr<double>() + div.numel());
    diffusion::require_finite_batch("divergence", out, 1, t);
  }

  /// vᵀ(∂s/∂x) for each sample, the building block of Hutchinson's estimator vᵀ(∂s/∂x)v.
  void vector_jacobian_product(std::vector<double> const& x, double t, std::vector<double> const& v,
                               std::vector<double>& out) const {
    if (v.size() != x.size()) sdekit::detail::fail("probe has ", v.size(), " values but x has ", x.size());
    ::torch::Tensor xt = batch_tensor(x).requires_grad_(true);
    ::torch::Tensor const s = score_tensor(xt, t);
    ::torch::Tensor const vt = batch_tensor(v);
    auto grad = ::torch::autograd::grad({(s * vt).sum()}, {xt})[0].to(::torch::kFloat64).contiguous();
    out.assign(grad.data_ptr<double>(), grad.data_ptr<double>() + grad.numel());
  }

 private:
  static nlohmann::json load_metadata(std::string const& text, std::string const& path) {
    if (text.empty()) return nlohmann::json::object();
    try {
      return nlohmann::json::parse(text);
    } catch (nlohmann::json::exception const& e) {
      sdekit::detail::fail("model '", path, "': sdekit.json is malformed: ", e.what());
    }
  }

  nlohmann::json load(std::string const& path) {
    std::unordered_map<std::string, std::string> extra{{"sdekit.json", ""}};
    try {
      module_ = ::torch::jit::load(path, ::torch::kCPU, extra);
    } catch (c10::Error const& e) {
      sdekit::detail::fail("model '", path, "' cannot be loaded as TorchScript: ", e.what_without_backtrace());
    }
    module_.eval();
    return load_metadata(extra["sdekit.json"], path);
  }

  ::torch::Tensor batch_tensor(std::vector<double> const& x) const {
    if (x.empty() || x.size() % dim_ != 0)
      sdekit::detail::fail("x has ", x.size(), " values, not a positive multiple of the model's dim = ", dim_);
    auto const rows = long(x.size() / dim_);
    return ::torch::from_blob(const_cast<double*>(x.data()), {rows, long(dim_)}, ::torch::kFloat64)
        .to(::torch::kFloat32);
  }

  double time_value(double t) const {
    switch (takes_) {
      case time_input::t: return t;
      case time_input::sigma: return sde_.sigma(t);
      case time_input::log_sigma: return std::log(sde_.sigma(t));
      case time_input::discrete_index: return std::round(t * double(discrete_steps_)) - 1.0;
    }
    return t;
  }

  // The network's output converted to the score: s = −ε/σ, (α x̂_0 − x)/σ², ... (parametrization.hpp).
  ::torch::Tensor score_tensor(::torch::Tensor const& x, double t) const {
    ::torch::Tensor const time = ::torch::full({x.size(0)}, time_value(t), ::torch::kFloat32);
    ::torch::Tensor y;
    try {
      y = module_.forward({x, time}).toTensor();
    } catch (c10::Error const& e) {
      sdekit::detail::fail("model '", path_, "' failed on input of shape [", x.size(0), ", ", x.size(1),
                           "]: ", e.what_without_backtrace());
    }
    if (y.dim() != 2 || y.size(0) != x.size(0) || y.size(1) != x.size(1))
      sdekit::detail::fail("model '", path_, "' returned shape ", shape(y), " for input [", x.size(0), ", ",
                           x.size(1), "]; expected the input's shape");
    if (!y.is_floating_point())
      sdekit::detail::fail("model '", path_, "' returned dtype ", c10::toString(y.scalar_type()),
                           "; expected a floating-point tensor");
    double const alpha = sde_.alpha(t);
    double const sigma = sde_.sigma(t);
    switch (predicts_) {
      case diffusion::prediction::score: return y;
      case diffusion::prediction::epsilon: return -y / sigma;
      case diffusion::prediction::data: return (alpha * y - x) / (sigma * sigma);
      case diffusion::prediction::velocity:
        return -(sigma * x + alpha * y) / ((alpha * alpha + sigma * sigma) * sigma);
    }
    return y;
  }

  static std::string shape(::torch::Tensor const& y) {
    std::string s = "[";
    for (long i = 0; i < y.dim(); ++i) s += (i ? ", " : "") + std::to_string(y.size(i));
    return s + "]";
  }

  std::string path_;
  SDE sde_;
  std::size_t discrete_steps_;
  std::size_t dim_ = 0;
  diffusion::prediction predicts_ = diffusion::prediction::score;
  time_input takes_ = time_input::t;
  nlohmann::json metadata_;
  mutable ::torch::jit::script::Module module_;
};

}  // namespace sdekit::torch
