// Exceptions thrown by host-side entry points. Every message names the parameter and its value,
// so that "dt = -0.1 must be positive" reaches the user instead of a NaN later on.
#pragma once

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sdekit {

/// A parameter or input that the caller must change.
class invalid_argument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A solve that could not finish (non-finite state, step-size underflow, too many steps).
class solve_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

template <class... Parts>
std::string concat(Parts const&... parts) {
  std::ostringstream out;
  out.precision(17);
  (out << ... << parts);
  return out.str();
}

template <class... Parts>
[[noreturn]] void fail(Parts const&... parts) {
  throw invalid_argument(concat(parts...));
}

inline void require_finite(char const* name, double value) {
  if (!std::isfinite(value)) fail(name, " = ", value, " must be finite");
}

inline void require_positive(char const* name, double value) {
  if (!(value > 0.0) || !std::isfinite(value)) fail(name, " = ", value, " must be positive and finite");
}

}  // namespace detail
}  // namespace sdekit
