// Problems: an SDE is a drift f(x, t), a diffusion g(x, t), a declared noise structure and a
// calculus (Itô or Stratonovich); an ODE is a drift alone. Callables write into their last
// argument, as Odeint systems do, so no state is allocated per evaluation:
//
//   auto gbm = sdekit::sde<sdekit::diagonal_noise>(
//       [mu](auto const& x, double, auto& f) { f[0] = mu * x[0]; },
//       [sigma](auto const& x, double, auto& g) { g[0] = sigma * x[0]; });
//
// Milstein-type steppers need ∂g_i/∂x_i; a problem may carry it, written like the diffusion:
//   auto gbm_with_dg = gbm.with_diffusion_derivative([sigma](auto const&, double, auto& dg) { dg[0] = sigma; });
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "config.hpp"
#include "errors.hpp"
#include "noise.hpp"

namespace sdekit {

/// The DiffusionDerivative of a problem that carries none.
struct no_diffusion_derivative {};

template <class Noise, class Calculus, class Drift, class Diffusion,
          class DiffusionDerivative = no_diffusion_derivative>
class sde_problem {
  static_assert(is_noise_structure_v<Noise>,
                "The noise structure must be scalar_noise, diagonal_noise, additive_noise or "
                "general_noise.");
  static_assert(is_calculus_v<Calculus>, "The calculus must be sdekit::ito or sdekit::stratonovich.");

 public:
  using noise = Noise;
  using calculus = Calculus;
  static constexpr bool has_diffusion_derivative =
      !std::is_same_v<DiffusionDerivative, no_diffusion_derivative>;

  sde_problem(Drift drift, Diffusion diffusion, std::size_t general_noise_dim = 0,
              DiffusionDerivative diffusion_derivative = {})
      : drift_(std::move(drift)),
        diffusion_(std::move(diffusion)),
        diffusion_derivative_(std::move(diffusion_derivative)),
        m_(general_noise_dim) {
    if constexpr (std::is_same_v<Noise, general_noise>) {
      if (m_ == 0) detail::fail("noise_dim = 0: a general-noise problem needs m ≥ 1 Wiener processes");
    }
  }

  /// f(x, t), written into out.
  SDEKIT_EXEC_CHECK_DISABLE
  template <class State, class Out>
  SDEKIT_HOST_DEVICE void drift(State const& x, double t, Out& out) const {
    drift_(x, t, out);
  }

  /// g(x, t), written into out (see diffusion_value_t for its shape).
  SDEKIT_EXEC_CHECK_DISABLE
  template <class State, class Out>
  SDEKIT_HOST_DEVICE void diffusion(State const& x, double t, Out& out) const {
    diffusion_(x, t, out);
  }

  /// ∂g_i/∂x_i(x, t), written into out (an n-vector), for problems that carry it.
  SDEKIT_EXEC_CHECK_DISABLE
  template <class State, class Out>
  SDEKIT_HOST_DEVICE void diffusion_derivative(State const& x, double t, Out& out) const {
    static_assert(has_diffusion_derivative, "This problem carries no diffusion derivative; attach one with "
                                            "with_diffusion_derivative(dg).");
    diffusion_derivative_(x, t, out);
  }

  /// The same problem carrying dg(x, t, out): out_i = ∂g_i/∂x_i (scalar, diagonal or additive noise).
  template <class Derivative>
  sde_problem<Noise, Calculus, Drift, Diffusion, Derivative> with_diffusion_derivative(Derivative dg) const {
    static_assert(!std::is_same_v<Noise, general_noise>,
                  "A diffusion derivative ∂g_i/∂x_i is defined for scalar, diagonal and additive noise; this "
                  "problem declares general noise.");
    return {drift_, diffusion_, m_, std::move(dg)};
  }

  /// Number of Wiener processes that drive a state of dimension n.
  SDEKIT_HOST_DEVICE std::size_t noise_dim(std::size_t n) const {
    if constexpr (std::is_same_v<Noise, scalar_noise>) return 1;
    else if constexpr (std::is_same_v<Noise, general_noise>) return m_;
    else return n;
  }

  Drift const& drift_function() const { return drift_; }
  Diffusion const& diffusion_function() const { return diffusion_; }

 private:
  Drift drift_;
  Diffusion diffusion_;
  DiffusionDerivative diffusion_derivative_;
  std::size_t m_;
};

/// An SDE with the given noise structure and calculus (Itô by default); for general noise, pass
/// the number m of Wiener processes.
template <class Noise, class Calculus = ito, class Drift, class Diffusion>
sde_problem<Noise, Calculus, Drift, Diffusion> sde(Drift drift, Diffusion diffusion,
                                                   std::size_t general_noise_dim = 0) {
  return {std::move(drift), std::move(diffusion), general_noise_dim};
}

/// Marks an ODE problem that carries no Jacobian.
struct no_jacobian {};

/// dx/dt = f(x, t), optionally with its Jacobian for stiff (Rosenbrock) methods.
template <class Drift, class Jacobian = no_jacobian>
class ode_problem {
 public:
  static constexpr bool has_jacobian = !std::is_same_v<Jacobian, no_jacobian>;

  explicit ode_problem(Drift drift, Jacobian jacobian = {})
      : drift_(std::move(drift)), jacobian_(std::move(jacobian)) {}

  SDEKIT_EXEC_CHECK_DISABLE
  template <class State, class Out>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE void drift(State const& x, double t, Out& out) const {
    drift_(x, t, out);
  }

  /// ∂f_i/∂x_j into dfdx(i, j) and ∂f/∂t into dfdt.
  template <class State, class Matrix, class Out>
  void jacobian(State const& x, double t, Matrix& dfdx, Out& dfdt) const {
    jacobian_(x, t, dfdx, dfdt);
  }

  /// The same problem carrying a Jacobian: jacobian(x, t, dfdx, dfdt) writes dfdx(i, j) = ∂f_i/∂x_j
  /// and dfdt[i] = ∂f_i/∂t.
  template <class NewJacobian>
  ode_problem<Drift, NewJacobian> with_jacobian(NewJacobian jacobian) const {
    return ode_problem<Drift, NewJacobian>(drift_, std::move(jacobian));
  }

  /// The same system in Odeint's argument order, sys(x, dxdt, t).
  auto odeint_system() const {
    return [this](auto const& x, auto& dxdt, double t) { drift_(x, t, dxdt); };
  }

  Drift const& drift_function() const { return drift_; }
  Jacobian const& jacobian_function() const { return jacobian_; }

 private:
  Drift drift_;
  Jacobian jacobian_;
};

template <class Drift>
ode_problem<Drift> ode(Drift drift) {
  return ode_problem<Drift>(std::move(drift));
}

template <class T>
struct is_sde_problem : std::false_type {};
template <class N, class C, class F, class G, class D>
struct is_sde_problem<sde_problem<N, C, F, G, D>> : std::true_type {};

template <class T>
struct is_ode_problem : std::false_type {};
template <class F, class J>
struct is_ode_problem<ode_problem<F, J>> : std::true_type {};

}  // namespace sdekit
