// Noise structures and stochastic calculi that a problem declares and a stepper accepts
// (Kloeden & Platen 1992, §10; DESIGN.md §2).
//
//  scalar_noise    one Wiener process, g(x, t) is an n-vector:        dX = f dt + g dW
//  diagonal_noise  n Wiener processes, g(x, t) is an n-vector:        dX_i = f_i dt + g_i dW_i
//  additive_noise  n Wiener processes, g(t) is an n-vector, no x:     dX_i = f_i dt + g_i(t) dW_i
//  general_noise   m Wiener processes, g(x, t) is an n×m matrix:      dX = f dt + G dW
#pragma once

#include <type_traits>

namespace sdekit {

struct scalar_noise { static constexpr const char* name = "scalar"; };
struct diagonal_noise { static constexpr const char* name = "diagonal"; };
struct additive_noise { static constexpr const char* name = "additive"; };
struct general_noise { static constexpr const char* name = "general"; };

struct ito { static constexpr const char* name = "Itô"; };
struct stratonovich { static constexpr const char* name = "Stratonovich"; };

template <class Noise>
inline constexpr bool is_noise_structure_v =
    std::is_same_v<Noise, scalar_noise> || std::is_same_v<Noise, diagonal_noise> ||
    std::is_same_v<Noise, additive_noise> || std::is_same_v<Noise, general_noise>;

template <class Calculus>
inline constexpr bool is_calculus_v =
    std::is_same_v<Calculus, ito> || std::is_same_v<Calculus, stratonovich>;

/// Additive noise is diagonal noise whose g does not depend on x, so every diagonal-noise method
/// accepts it; scalar noise is diagonal noise for n = 1 and commutative for n > 1.
template <class Noise>
inline constexpr bool is_diagonal_like_v =
    std::is_same_v<Noise, diagonal_noise> || std::is_same_v<Noise, additive_noise>;

}  // namespace sdekit
