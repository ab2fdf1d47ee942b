// Coefficients of an s-stage Rößler SRI method (Rößler 2010, SIAM J. Numer. Anal. 48(3)), written
// for scalar and diagonal noise as in the paper's one-Wiener-process form, in the paper's names:
//
//   X_{n+1} = X_n + Σ_i α_i f(t_n + c⁽⁰⁾_i h, H⁽⁰⁾_i) h
//                 + Σ_i (β⁽¹⁾_i I_(1) + β⁽²⁾_i I_(1,1)/√h + β⁽³⁾_i I_(1,0)/h + β⁽⁴⁾_i I_(1,1,1)/h)
//                       · g(t_n + c⁽¹⁾_i h, H⁽¹⁾_i),
//   H⁽⁰⁾_i = X_n + Σ_j A⁽⁰⁾_ij f(t_n + c⁽⁰⁾_j h, H⁽⁰⁾_j) h + Σ_j B⁽⁰⁾_ij g(t_n + c⁽¹⁾_j h, H⁽¹⁾_j) I_(1,0)/h,
//   H⁽¹⁾_i = X_n + Σ_j A⁽¹⁾_ij f(t_n + c⁽⁰⁾_j h, H⁽⁰⁾_j) h + Σ_j B⁽¹⁾_ij g(t_n + c⁽¹⁾_j h, H⁽¹⁾_j) √h.
//
// drift_error marks the stages whose drift values form the drift part of the embedded error
// estimate of Rackauckas & Nie 2017 (see sri_scheme.hpp). The order conditions are checked in
// tests/solvers/tableau_order_conditions.cpp.
#pragma once

#include <array>
#include <cstddef>

namespace sdekit {

template <std::size_t S>
struct sri_tableau {
  static constexpr std::size_t stages = S;
  using vector = std::array<double, S>;
  using matrix = std::array<std::array<double, S>, S>;  ///< row i holds the weights of stage i (j < i)

  vector c0, c1;
  matrix A0, A1, B0, B1;
  vector alpha, beta1, beta2, beta3, beta4;
  vector drift_error;

  /// Whether f must be evaluated at stage i: some weight of the update or of a later stage uses it.
  constexpr bool uses_drift(std::size_t i) const {
    bool used = alpha[i] != 0.0 || drift_error[i] != 0.0;
    for (std::size_t k = i + 1; k < S; ++k) used = used || A0[k][i] != 0.0 || A1[k][i] != 0.0;
    return used;
  }

  /// Whether H⁽⁰⁾_i is X_n itself at the time of stage 0 (a zero row in A⁽⁰⁾ and B⁽⁰⁾), so that
  /// f_i = f_0 needs no evaluation.
  constexpr bool drift_stage_is_start(std::size_t i) const {
    bool zero_row = c0[i] == c0[0];
    for (std::size_t j = 0; j < i; ++j) zero_row = zero_row && A0[i][j] == 0.0 && B0[i][j] == 0.0;
    return zero_row;
  }

  /// Whether g must be evaluated at stage i.
  constexpr bool uses_diffusion(std::size_t i) const {
    bool used = beta1[i] != 0.0 || beta2[i] != 0.0 || beta3[i] != 0.0 || beta4[i] != 0.0;
    for (std::size_t k = i + 1; k < S; ++k) used = used || B0[k][i] != 0.0 || B1[k][i] != 0.0;
    return used;
  }
};

}  // namespace sdekit
