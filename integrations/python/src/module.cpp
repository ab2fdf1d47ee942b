// The Python module sdekit._sdekit; the package sdekit re-exports it (sdekit/__init__.py).
// sdekit::invalid_argument becomes ValueError and solve_error RuntimeError, with the same messages.
#include <pybind11/pybind11.h>

#include "score_source.hpp"

namespace sdekit::python {
void bind_solvers(py::module_& m);
void bind_diffusion(py::module_& m);
}  // namespace sdekit::python

PYBIND11_MODULE(_sdekit, m) {
  namespace py = pybind11;
  m.doc() = "sdekit: SDE/ODE solvers, diffusion samplers and PF-ODE likelihoods";
  m.attr("__version__") = SDEKIT_VERSION;
  m.attr("has_torch") = bool(SDEKIT_PYTHON_WITH_TORCH);
  py::class_<sdekit::python::torchscript_file>(m, "TorchScriptScore",
                                               "A TorchScript score model file (see docs/learned-scores.md).")
      .def(py::init([](std::string path) { return sdekit::python::torchscript_file{std::move(path)}; }), py::arg("path"))
      .def_readonly("path", &sdekit::python::torchscript_file::path);
  sdekit::python::bind_solvers(m);
  sdekit::python::bind_diffusion(m);
}
