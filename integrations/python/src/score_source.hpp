// Where a Python caller's score comes from: an analytic GaussianMixture, a TorchScriptScore (when
// built with LibTorch), or a Python callable score(x: (B, d), t) -> (B, d) whose dimension is its
// `dim` attribute or is given as a (callable, d) pair. Each becomes a diffusion::score_function.
#pragma once

#include <memory>
#include <string>

#include <pybind11/pybind11.h>

#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/score.hpp>

#include "numpy_batch.hpp"
#if SDEKIT_PYTHON_WITH_TORCH
#include <sdekit/torch/torchscript_score.hpp>
#endif

namespace sdekit::python {

/// A TorchScript file to be loaded as the score under whichever forward SDE the call uses.
struct torchscript_file {
  std::string path;
};

template <class SDE>
diffusion::score_function score_from(py::object const& source, SDE const& sde) {
  if (py::isinstance<diffusion::gaussian_mixture>(source)) {
    diffusion::gaussian_mixture_score<SDE> exact(sde, source.cast<diffusion::gaussian_mixture>());
    return {exact.dim(), exact};
  }
  if (py::isinstance<torchscript_file>(source)) {
#if SDEKIT_PYTHON_WITH_TORCH
    auto model = std::make_shared<torch::torchscript_score<SDE>>(source.cast<torchscript_file>().path, sde);
    return {model->dim(), [model](std::vector<double> const& x, double t, std::vector<double>& out) { (*model)(x, t, out); }};
#else
    sdekit::detail::fail("this sdekit module was built without LibTorch; TorchScriptScore is unavailable");
#endif
  }
  py::object callable = source;
  std::size_t dim = 0;
  if (py::isinstance<py::tuple>(source) && py::len(source) == 2) {
    callable = source[py::int_(0)];
    dim = source[py::int_(1)].cast<std::size_t>();
  } else if (py::hasattr(source, "dim")) {
    dim = source.attr("dim").cast<std::size_t>();
  }
  if (!PyCallable_Check(callable.ptr()))
    sdekit::detail::fail("score must be a GaussianMixture, a TorchScriptScore or a callable score(x, t)");
  if (dim == 0) sdekit::detail::fail("score: give its dimension as (callable, d) or a `dim` attribute");
  return {dim, [callable, dim](std::vector<double> const& x, double t, std::vector<double>& out) {
            call_batched(callable, "score", x, dim, t, out);
          }};
}

}  // namespace sdekit::python
