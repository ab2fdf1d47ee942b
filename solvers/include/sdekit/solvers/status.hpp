// How a solve ended. Device code cannot throw, so every solve, host or per-path, reports one of
// these; host entry points turn a failure into a message that names the step and the time.
#pragma once

#include <cstdint>

#include "config.hpp"

namespace sdekit {

enum class solve_status : std::uint8_t {
  success = 0,
  non_finite_state,     ///< the state became NaN or Inf
  step_size_underflow,  ///< the controller asked for a step below its minimum
  max_steps_reached,    ///< options.max_steps steps were taken before the end of the span
};

SDEKIT_HOST_DEVICE constexpr const char* to_string(solve_status s) {
  switch (s) {
    case solve_status::success: return "success";
    case solve_status::non_finite_state: return "non-finite state";
    case solve_status::step_size_underflow: return "step-size underflow";
    case solve_status::max_steps_reached: return "maximum number of steps reached";
  }
  return "unknown status";
}

}  // namespace sdekit
