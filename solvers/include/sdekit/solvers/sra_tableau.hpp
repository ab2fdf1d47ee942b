// Coefficients of an s-stage Rößler SRA method for additive noise (Rößler 2010, SIAM J. Numer.
// Anal. 48(3)), in the paper's names:
//
//   X_{n+1} = X_n + Σ_i α_i f(t_n + c⁽⁰⁾_i h, H⁽⁰⁾_i) h + Σ_i (β⁽¹⁾_i I_(1) + β⁽²⁾_i I_(1,0)/h) g(t_n + c⁽¹⁾_i h),
//   H⁽⁰⁾_i = X_n + Σ_j A⁽⁰⁾_ij f(t_n + c⁽⁰⁾_j h, H⁽⁰⁾_j) h + Σ_j B⁽⁰⁾_ij g(t_n + c⁽¹⁾_j h) I_(1,0)/h.
//
// drift_error marks the stages whose drift values form the drift part of the embedded error
// estimate of Rackauckas & Nie 2017 (see sra_scheme.hpp). The order conditions are checked in
// tests/solvers/tableau_order_conditions.cpp.
#pragma once

#include <array>
#include <cstddef>

namespace sdekit {

template <std::size_t S>
struct sra_tableau {
  static constexpr std::size_t stages = S;
  using vector = std::array<double, S>;
  using matrix = std::array<std::array<double, S>, S>;  ///< row i holds the weights of stage i (j < i)

  vector c0, c1;
  matrix A0, B0;
  vector alpha, beta1, beta2;
  vector drift_error;

  /// Whether f must be evaluated at stage i.
  constexpr bool uses_drift(std::size_t i) const {
    bool used = alpha[i] != 0.0 || drift_error[i] != 0.0;
    for (std::size_t k = i + 1; k < S; ++k) used = used || A0[k][i] != 0.0;
    return used;
  }

  /// Whether g must be evaluated at time t_n + c⁽¹⁾_i h.
  constexpr bool uses_diffusion(std::size_t i) const {
    bool used = beta1[i] != 0.0 || beta2[i] != 0.0;
    for (std::size_t k = i + 1; k < S; ++k) used = used || B0[k][i] != 0.0;
    return used;
  }
};

}  // namespace sdekit
