// An ensemble over parameters (Odeint's lorenz_parameters example): one SDE or ODE whose drift and
// diffusion read a parameter set p, written (x, t, p, out); bind(p) gives the problem of one path,
// which solve() and the per-path kernels accept like any other problem. Everything here is
// SDEKIT_HOST_DEVICE and holds its parameters by value, so a kernel binds each path's p itself.
//
//   auto lorenz = sdekit::parametrized_ode([](auto const& x, double, double rho, auto& f) {
//     f[0] = 10.0 * (x[1] - x[0]); f[1] = rho * x[0] - x[1] - x[0] * x[2]; f[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];
//   });
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/noise.hpp>

namespace sdekit {

/// The problem of one path: a parametrized problem and that path's parameters.
template <class Parametrized, class Params>
class bound_problem {
 public:
  using noise = typename Parametrized::noise;
  using calculus = typename Parametrized::calculus;

  SDEKIT_HOST_DEVICE bound_problem(Parametrized const& problem, Params const& params)
      : problem_(problem), params_(params) {}

  template <class State, class Out>
  SDEKIT_HOST_DEVICE void drift(State const& x, double t, Out& out) const {
    problem_.drift(x, t, params_, out);
  }

  template <class State, class Out>
  SDEKIT_HOST_DEVICE void diffusion(State const& x, double t, Out& out) const {
    problem_.diffusion(x, t, params_, out);
  }

  SDEKIT_HOST_DEVICE std::size_t noise_dim(std::size_t n) const { return problem_.noise_dim(n); }

  SDEKIT_HOST_DEVICE Params const& parameters() const { return params_; }

 private:
  Parametrized problem_;
  Params params_;
};

/// The problem of one path by reference, for the ensemble kernels: it must not outlive the
/// parametrized problem and p. A kernel binds each lane's path inside its lane loop, where copying
/// a problem (an aggregate copy) keeps g++ from vectorising the loop.
template <class Parametrized, class Params>
class referred_problem {
 public:
  using noise = typename Parametrized::noise;
  using calculus = typename Parametrized::calculus;

  SDEKIT_HOST_DEVICE referred_problem(Parametrized const& problem, Params const& params)
      : problem_(&problem), params_(&params) {}

  template <class State, class Out>
  SDEKIT_HOST_DEVICE SDEKIT_INLINE void drift(State const& x, double t, Out& out) const {
    problem_->drift(x, t, *params_, out);
  }

  template <class State, class Out>
  SDEKIT_HOST_DEVICE void diffusion(State const& x, double t, Out& out) const {
    problem_->diffusion(x, t, *params_, out);
  }

  SDEKIT_HOST_DEVICE std::size_t noise_dim(std::size_t n) const { return problem_->noise_dim(n); }

 private:
  Parametrized const* problem_;
  Params const* params_;
};

/// dX = f(X, t; p) dt + g(X, t; p) dW with the noise structure and calculus of the template
/// arguments; for general noise, m Wiener processes.
template <class Noise, class Calculus, class Drift, class Diffusion>
class parametrized_sde_problem {
  static_assert(is_noise_structure_v<Noise>,
                "The noise structure must be scalar_noise, diagonal_noise, additive_noise or general_noise.");
  static_assert(is_calculus_v<Calculus>, "The calculus must be sdekit::ito or sdekit::stratonovich.");

 public:
  using noise = Noise;
  using calculus = Calculus;

  SDEKIT_HOST_DEVICE parametrized_sde_problem(Drift drift, Diffusion diffusion, std::size_t general_noise_dim = 0)
      : drift_(std::move(drift)), diffusion_(std::move(diffusion)), m_(general_noise_dim) {}

  template <class State, class Params, class Out>
  SDEKIT_HOST_DEVICE void drift(State const& x, double t, Params const& p, Out& out) const {
    drift_(x, t, p, out);
  }

  template <class State, class Params, class Out>
  SDEKIT_HOST_DEVICE void diffusion(State const& x, double t, Params const& p, Out& out) const {
    diffusion_(x, t, p, out);
  }

  SDEKIT_HOST_DEVICE std::size_t noise_dim(std::size_t n) const {
    if constexpr (std::is_same_v<Noise, scalar_noise>) return 1;
    else if constexpr (std::is_same_v<Noise, general_noise>) return m_;
    else return n;
  }

  template <class Params>
  SDEKIT_HOST_DEVICE bound_problem<parametrized_sde_problem, Params> bind(Params const& p) const {
    return {*this, p};
  }

  /// bind(p) by reference (referred_problem), for the kernels.
  template <class Params>
  SDEKIT_HOST_DEVICE referred_problem<parametrized_sde_problem, Params> refer(Params const& p) const {
    return {*this, p};
  }

 private:
  Drift drift_;
  Diffusion diffusion_;
  std::size_t m_;
};

template <class Noise, class Calculus = ito, class Drift, class Diffusion>
parametrized_sde_problem<Noise, Calculus, Drift, Diffusion> parametrized_sde(Drift drift, Diffusion diffusion,
                                                                             std::size_t general_noise_dim = 0) {
  return {std::move(drift), std::move(diffusion), general_noise_dim};
}

/// dx/dt = f(x, t; p): an ODE, which the kernels treat as an SDE without noise.
template <class Drift>
class parametrized_ode_problem {
 public:
  SDEKIT_HOST_DEVICE explicit parametrized_ode_problem(Drift drift) : drift_(std::move(drift)) {}

  template <class State, class Params, class Out>
  SDEKIT_HOST_DEVICE void drift(State const& x, double t, Params const& p, Out& out) const {
    drift_(x, t, p, out);
  }

  template <class Params>
  SDEKIT_HOST_DEVICE auto bind(Params const& p) const {
    return bound_ode<Drift, Params>{drift_, p};
  }

  /// bind(p) by reference, for the kernels (see referred_problem).
  template <class Params>
  SDEKIT_HOST_DEVICE auto refer(Params const& p) const {
    return bound_ode<Drift const*, Params const*>{&drift_, &p};
  }

 private:
  // The drift and parameters by value, or by address (F and P pointers).
  template <class F, class P>
  struct bound_ode {
    F drift_function;
    P parameters;
    template <class State, class Out>
    SDEKIT_HOST_DEVICE SDEKIT_INLINE void drift(State const& x, double t, Out& out) const {
      if constexpr (std::is_pointer_v<F>) (*drift_function)(x, t, *parameters, out);
      else drift_function(x, t, parameters, out);
    }
  };

  Drift drift_;
};

template <class Drift>
parametrized_ode_problem<Drift> parametrized_ode(Drift drift) {
  return parametrized_ode_problem<Drift>(std::move(drift));
}

}  // namespace sdekit
