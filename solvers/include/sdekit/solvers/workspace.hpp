// Scratch storage of a stepper: NStates state-shaped temporaries, NDiffusions diffusion values and
// the Wiener increments of one step. Sized once per solve, so the step loop allocates nothing;
// with fixed-size states (std::array, fixed Eigen) it allocates nothing at all and lives in
// registers inside per-path kernels.
#pragma once

#include <array>
#include <cstddef>

#include "noise.hpp"
#include "state.hpp"

namespace sdekit {

template <class State, class Noise, std::size_t NStates, std::size_t NDiffusions>
struct stepper_workspace {
  using state_type = State;
  using noise_type = Noise;

  std::array<State, NStates> x{};
  std::array<diffusion_value_t<State, Noise>, NDiffusions> g{};
  noise_vector_t<State, Noise> dW{};
  noise_vector_t<State, Noise> dZ{};  ///< ∫ (W_r − W_s) dr over the step, for methods that need it

  /// n state components, m Wiener processes.
  void resize(std::size_t n, std::size_t m) {
    for (auto& v : x) detail::resize(v, n);
    std::size_t const g_size = std::is_same_v<Noise, general_noise> ? n * m : n;
    for (auto& v : g) detail::resize(v, g_size);
    detail::resize(dW, m);
    detail::resize(dZ, m);
  }
};

}  // namespace sdekit
