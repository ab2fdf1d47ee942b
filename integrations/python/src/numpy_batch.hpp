// Conversions between NumPy arrays of shape (B, d) and sdekit's row-major batches
// (std::vector<double>, x[b*d + j]); shapes and values are checked with messages that name them.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <sdekit/solvers/errors.hpp>

namespace sdekit::python {

namespace py = pybind11;
using batch_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

/// A (B, d) array, or a (d,) array as one row, as a batch; `name` is used in messages.
inline std::vector<double> to_batch(py::handle object, char const* name, std::size_t& dim) {
  batch_array a = batch_array::ensure(object);
  if (!a) sdekit::detail::fail(name, " must be an array of numbers");
  if (a.ndim() != 1 && a.ndim() != 2) sdekit::detail::fail(name, " has ", a.ndim(), " dimensions; expected (B, d) or (d,)");
  std::size_t const d = std::size_t(a.shape(a.ndim() - 1));
  if (dim != 0 && d != dim) sdekit::detail::fail(name, " has ", d, " columns but the problem has dimension ", dim);
  dim = d;
  if (a.size() == 0) sdekit::detail::fail(name, " is empty");
  return std::vector<double>(a.data(), a.data() + a.size());
}

/// The batch x (B·d values) as a new (B, d) array.
inline py::array_t<double> to_array(std::vector<double> const& x, std::size_t dim) {
  py::array_t<double> a({py::ssize_t(x.size() / dim), py::ssize_t(dim)});
  std::copy(x.begin(), x.end(), a.mutable_data());
  return a;
}

/// Calls f(x as (B, d), t) and copies its (B, d) result into out, refusing other shapes.
inline void call_batched(py::handle f, char const* what, std::vector<double> const& x, std::size_t dim, double t,
                         std::vector<double>& out) {
  py::object result = f(to_array(x, dim), t);
  batch_array a = batch_array::ensure(result);
  if (!a) sdekit::detail::fail(what, " returned something that is not an array of numbers at t = ", t);
  if (std::size_t(a.size()) != x.size())
    sdekit::detail::fail(what, " returned ", a.size(), " values at t = ", t, "; expected shape (", x.size() / dim, ", ", dim, ")");
  out.assign(a.data(), a.data() + a.size());
}

}  // namespace sdekit::python
