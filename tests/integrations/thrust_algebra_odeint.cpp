// Claim: Odeint's steppers run on Thrust vectors (host_vector, omp::vector, tbb::vector) with
// sdekit's thrust_algebra and thrust_operations and give, bit for bit, what they give on std::vector
// with Odeint's range_algebra and default_operations: Euler, RK4, Cash–Karp 5(4) and Fehlberg 7(8)
// with step-size control, Dormand–Prince 5(4) with dense output, Adams–Bashforth–Moulton 5. The
// system is Odeint's ensemble of Lorenz systems, one ρ per system. Also: norm_inf is max |x_i|,
// and rel_error divides by the whole tolerance term.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <vector>

#include <boost/numeric/odeint.hpp>
#include <thrust/host_vector.h>
#include <thrust/system/omp/vector.h>
#include <thrust/system/tbb/vector.h>

#include <sdekit/thrust/thrust_algebra.hpp>
#include <sdekit/thrust/thrust_operations.hpp>

namespace odeint = boost::numeric::odeint;

namespace {

constexpr std::size_t systems = 24;

// x = (x₀…x_{N−1}, y₀…, z₀…): Lorenz with σ = 10, b = 8/3 and ρ_i = 10 + i.
struct lorenz_ensemble {
  template <class V>
  void operator()(V const& state, V& derivative, double) const {
    double const* x = thrust::raw_pointer_cast(state.data());
    double* d = thrust::raw_pointer_cast(derivative.data());
    std::size_t const n = systems;
    for (std::size_t i = 0; i < n; ++i) {
      double const rho = 10.0 + double(i);
      d[i] = 10.0 * (x[n + i] - x[i]);
      d[n + i] = rho * x[i] - x[n + i] - x[i] * x[2 * n + i];
      d[2 * n + i] = x[i] * x[n + i] - 8.0 / 3.0 * x[2 * n + i];
    }
  }
};

template <class V>
V initial() {
  V x(3 * systems);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1.0 + 0.01 * double(i);
  return x;
}

template <class V>
std::vector<double> to_std(V const& v) {
  return std::vector<double>(v.begin(), v.end());
}

// Runs every stepper on a vector of type V with the given algebra and operations.
template <class V, class Algebra, class Operations>
std::vector<std::vector<double>> run_all() {
  std::vector<std::vector<double>> results;
  lorenz_ensemble const sys;
  {
    V x = initial<V>();
    odeint::integrate_const(odeint::euler<V, double, V, double, Algebra, Operations>{}, sys, x, 0.0, 1.0, 0.001);
    results.push_back(to_std(x));
  }
  {
    V x = initial<V>();
    odeint::integrate_const(odeint::runge_kutta4<V, double, V, double, Algebra, Operations>{}, sys, x, 0.0, 1.0, 0.01);
    results.push_back(to_std(x));
  }
  {
    V x = initial<V>();
    using stepper = odeint::runge_kutta_cash_karp54<V, double, V, double, Algebra, Operations>;
    odeint::integrate_adaptive(odeint::make_controlled(1e-8, 1e-8, stepper{}), sys, x, 0.0, 1.0, 0.01);
    results.push_back(to_std(x));
  }
  {
    V x = initial<V>();
    using stepper = odeint::runge_kutta_fehlberg78<V, double, V, double, Algebra, Operations>;
    odeint::integrate_adaptive(odeint::make_controlled(1e-10, 1e-10, stepper{}), sys, x, 0.0, 1.0, 0.01);
    results.push_back(to_std(x));
  }
  {
    V x = initial<V>();
    using stepper = odeint::runge_kutta_dopri5<V, double, V, double, Algebra, Operations>;
    std::vector<double> observed;
    odeint::integrate_const(odeint::make_dense_output(1e-8, 1e-8, stepper{}), sys, x, 0.0, 1.0, 0.1,
                            [&](V const& s, double) { observed.push_back(s[5]); });
    results.push_back(to_std(x));
    results.push_back(observed);
  }
  {
    V x = initial<V>();
    odeint::adams_bashforth_moulton<5, V, double, V, double, Algebra, Operations> abm;
    odeint::integrate_const(abm, sys, x, 0.0, 1.0, 0.001);
    results.push_back(to_std(x));
  }
  return results;
}

template <class V>
void check_against_std_vector() {
  auto const reference = run_all<std::vector<double>, odeint::range_algebra, odeint::default_operations>();
  auto const thrust_results = run_all<V, sdekit::thrust_algebra, sdekit::thrust_operations>();
  char const* names[] = {"Euler", "RK4", "Cash–Karp 5(4)", "Fehlberg 7(8)", "Dormand–Prince 5(4)",
                         "Dormand–Prince dense output", "Adams–Bashforth–Moulton 5"};
  for (std::size_t i = 0; i < reference.size(); ++i)
    BOOST_TEST(thrust_results[i] == reference[i], names[i] << " differs from its std::vector result");
}

}  // namespace

BOOST_AUTO_TEST_CASE(host_vector_matches_std_vector) { check_against_std_vector<thrust::host_vector<double>>(); }
BOOST_AUTO_TEST_CASE(omp_vector_matches_std_vector) { check_against_std_vector<thrust::omp::vector<double>>(); }
BOOST_AUTO_TEST_CASE(tbb_vector_matches_std_vector) { check_against_std_vector<thrust::tbb::vector<double>>(); }

BOOST_AUTO_TEST_CASE(norm_inf_is_the_largest_magnitude) {
  thrust::omp::vector<double> x(4);
  x[0] = 1.0;
  x[1] = -7.5;
  x[2] = 3.0;
  x[3] = -0.5;
  BOOST_TEST(sdekit::thrust_algebra::norm_inf(x) == 7.5);
}

BOOST_AUTO_TEST_CASE(rel_error_divides_by_the_whole_tolerance) {
  double err = -0.3;
  sdekit::thrust_operations::rel_error<double> const op(1e-3, 1e-2, 1.0, 0.5);
  op(err, -2.0, 4.0);
  BOOST_TEST(err == 0.3 / (1e-3 + 1e-2 * (1.0 * 2.0 + 0.5 * 4.0)));
}
