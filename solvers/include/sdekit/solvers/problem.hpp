// Problems: an SDE is a drift f(x, t), a diffusion g(x, t), a declared noise structure and a
// calculus (Itô or Stratonovich); an ODE is a drift alone. Callables write into their last
// argument, as Odeint systems do, so no state is allocated per evaluation:
//
//   auto gbm = sdekit::sde<sdekit::diagonal_noise>(
//       [mu](auto const& x, double, auto& f) { f[0] = mu * x[0]; },
//       [sigma](auto const& x, double, auto& g) { g[0] = sigma * x[0]; });
#pragma once

#include <cstddef>
#include <utility>

#include "config.hpp"
#include "errors.hpp"
#include "noise.hpp"

namespace sdekit {

template <class Noise, class Calculus, class Drift, class Diffusion>
class sde_problem {
  static_assert(is_noise_structure_v<Noise>,
                "The noise structure must be scalar_noise, diagonal_noise, additive_noise or "
                "general_noise.");
  static_assert(is_calculus_v<Calculus>, "The calculus must be sdekit::ito or sdekit::stratonovich.");

 public:
  using noise = Noise;
  using calculus = Calculus;

  sde_problem(Drift drift, Diffusion diffusion, std::size_t general_noise_dim = 0)
      : drift_(std::move(drift)), diffusion_(std::move(diffusion)), m_(general_noise_dim) {
    if constexpr (std::is_same_v<Noise, general_noise>) {
      if (m_ == 0) detail::fail("noise_dim = 0: a general-noise problem needs m ≥ 1 Wiener processes");
    }
  }

  /// f(x, t), written into out.
  template <class State, class Out>
  SDEKIT_HOST_DEVICE void drift(State const& x, double t, Out& out) const {
    drift_(x, t, out);
  }

  /// g(x, t), written into out (see diffusion_value_t for its shape).
  template <class State, class Out>
  SDEKIT_HOST_DEVICE void diffusion(State const& x, double t, Out& out) const {
    diffusion_(x, t, out);
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
  std::size_t m_;
};

/// An SDE with the given noise structure and calculus (Itô by default); for general noise, pass
/// the number m of Wiener processes.
template <class Noise, class Calculus = ito, class Drift, class Diffusion>
sde_problem<Noise, Calculus, Drift, Diffusion> sde(Drift drift, Diffusion diffusion,
                                                   std::size_t general_noise_dim = 0) {
  return {std::move(drift), std::move(diffusion), general_noise_dim};
}

/// dx/dt = f(x, t).
template <class Drift>
class ode_problem {
 public:
  explicit ode_problem(Drift drift) : drift_(std::move(drift)) {}

  template <class State, class Out>
  SDEKIT_HOST_DEVICE void drift(State const& x, double t, Out& out) const {
    drift_(x, t, out);
  }

  /// The same system in Odeint's argument order, sys(x, dxdt, t).
  auto odeint_system() const {
    return [this](auto const& x, auto& dxdt, double t) { drift_(x, t, dxdt); };
  }

  Drift const& drift_function() const { return drift_; }

 private:
  Drift drift_;
};

template <class Drift>
ode_problem<Drift> ode(Drift drift) {
  return ode_problem<Drift>(std::move(drift));
}

template <class T>
struct is_sde_problem : std::false_type {};
template <class N, class C, class F, class G>
struct is_sde_problem<sde_problem<N, C, F, G>> : std::true_type {};

template <class T>
struct is_ode_problem : std::false_type {};
template <class F>
struct is_ode_problem<ode_problem<F>> : std::true_type {};

}  // namespace sdekit
