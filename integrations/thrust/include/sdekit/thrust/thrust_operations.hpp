// Element operations for Odeint steppers on Thrust vectors (the `Operations` of an Odeint stepper),
// host-device so that they run under every Thrust system, CUDA included. They take elements, not
// tuples (thrust_algebra hands each index's elements to them), and compute exactly what Odeint's
// default_operations compute on a std::vector, in the same order, so results agree bit for bit.
// One variadic scale_sum replaces Odeint's scale_sum1 … scale_sum14, which stay available under
// their Odeint names. Unlike Boost 1.74's thrust_operations, rel_error divides by the whole
// tolerance term, eps_abs + eps_rel · (a_x |x| + a_dxdt |dxdt|).
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>

#include <sdekit/solvers/config.hpp>

#include "detail/value_pack.hpp"

namespace sdekit {

struct thrust_operations {
  /// t0 = α₁ t₁ + α₂ t₂ + … + α_N t_N, summed left to right as Odeint does.
  template <class... Fac>
  struct scale_sum {
    detail::value_pack<Fac...> alpha;

    SDEKIT_HOST_DEVICE explicit scale_sum(Fac... a) : alpha(a...) {}

    template <class T0, class... T>
    SDEKIT_HOST_DEVICE void operator()(T0& t0, T const&... t) const {
      static_assert(sizeof...(T) == sizeof...(Fac), "scale_sum takes one factor per input.");
      sum(std::index_sequence_for<T...>{}, t0, t...);
    }

    template <std::size_t... I, class T0, class... T>
    SDEKIT_HOST_DEVICE void sum(std::index_sequence<I...>, T0& t0, T const&... t) const {
      t0 = (... + (detail::get<I>(alpha) * t));
    }

    typedef void result_type;
  };

  template <class F1, class F2 = F1> using scale_sum2 = scale_sum<F1, F2>;
  template <class F1> using scale_sum1 = scale_sum<F1>;
  template <class F1, class F2 = F1, class F3 = F2> using scale_sum3 = scale_sum<F1, F2, F3>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3> using scale_sum4 = scale_sum<F1, F2, F3, F4>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4>
  using scale_sum5 = scale_sum<F1, F2, F3, F4, F5>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5>
  using scale_sum6 = scale_sum<F1, F2, F3, F4, F5, F6>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5, class F7 = F6>
  using scale_sum7 = scale_sum<F1, F2, F3, F4, F5, F6, F7>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5, class F7 = F6,
            class F8 = F7>
  using scale_sum8 = scale_sum<F1, F2, F3, F4, F5, F6, F7, F8>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5, class F7 = F6,
            class F8 = F7, class F9 = F8>
  using scale_sum9 = scale_sum<F1, F2, F3, F4, F5, F6, F7, F8, F9>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5, class F7 = F6,
            class F8 = F7, class F9 = F8, class F10 = F9>
  using scale_sum10 = scale_sum<F1, F2, F3, F4, F5, F6, F7, F8, F9, F10>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5, class F7 = F6,
            class F8 = F7, class F9 = F8, class F10 = F9, class F11 = F10>
  using scale_sum11 = scale_sum<F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5, class F7 = F6,
            class F8 = F7, class F9 = F8, class F10 = F9, class F11 = F10, class F12 = F11>
  using scale_sum12 = scale_sum<F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5, class F7 = F6,
            class F8 = F7, class F9 = F8, class F10 = F9, class F11 = F10, class F12 = F11, class F13 = F12>
  using scale_sum13 = scale_sum<F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13>;
  template <class F1, class F2 = F1, class F3 = F2, class F4 = F3, class F5 = F4, class F6 = F5, class F7 = F6,
            class F8 = F7, class F9 = F8, class F10 = F9, class F11 = F10, class F12 = F11, class F13 = F12,
            class F14 = F13>
  using scale_sum14 = scale_sum<F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14>;

  /// t = α t.
  template <class Fac>
  struct scale {
    Fac alpha;
    SDEKIT_HOST_DEVICE explicit scale(Fac a) : alpha(a) {}
    template <class T>
    SDEKIT_HOST_DEVICE void operator()(T& t) const {
      t *= alpha;
    }
    typedef void result_type;
  };

  /// (t1, t2) ← (α₁ t2 + α₂ t3, t1): the multistep steppers' rotation.
  template <class F1, class F2 = F1>
  struct scale_sum_swap2 {
    F1 alpha1;
    F2 alpha2;
    SDEKIT_HOST_DEVICE scale_sum_swap2(F1 a1, F2 a2) : alpha1(a1), alpha2(a2) {}
    template <class T1, class T2, class T3>
    SDEKIT_HOST_DEVICE void operator()(T1& t1, T2& t2, T3 const& t3) const {
      T1 const previous = t1;
      t1 = alpha1 * t2 + alpha2 * t3;
      t2 = previous;
    }
    typedef void result_type;
  };

  /// err ← |err| / (eps_abs + eps_rel · (a_x |x| + a_dxdt |dxdt|)), Odeint's error measure.
  template <class Fac>
  struct rel_error {
    Fac eps_abs, eps_rel, a_x, a_dxdt;
    SDEKIT_HOST_DEVICE rel_error(Fac abs_tol, Fac rel_tol, Fac ax, Fac adxdt)
        : eps_abs(abs_tol), eps_rel(rel_tol), a_x(ax), a_dxdt(adxdt) {}
    template <class T3, class T1, class T2>
    SDEKIT_HOST_DEVICE void operator()(T3& err, T1 const& x, T2 const& dxdt) const {
      using std::abs;
      err = abs(err) / (eps_abs + eps_rel * (a_x * abs(x) + a_dxdt * abs(dxdt)));
    }
    typedef void result_type;
  };
};

}  // namespace sdekit
