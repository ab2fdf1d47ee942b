// Claims about the catalogue of exact solutions: each exact solution solves its SDE (Euler–Maruyama
// converges to it on the same Brownian path), the attached ∂g/∂x is the derivative of g, the
// Stratonovich form's drift is f − ½ g ∂g/∂x and the two forms have the same pathwise solution, and
// the Ornstein–Uhlenbeck quadrature is accurate far below the errors measured. Seeds: 21
// (convergence), 22 (quadrature), 23 (Itô against Stratonovich).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <sdekit/solvers.hpp>
#include <sdekit/solvers/catalogue/catalogue.hpp>
#include <sdekit/solvers/convergence.hpp>
#include <sdekit/solvers/milstein.hpp>
#include <sdekit/solvers/stochastic_heun.hpp>

namespace sk = sdekit;
namespace cat = sdekit::catalogue;

namespace {

// Euler–Maruyama has strong order 1 on additive noise and ½ otherwise; an exact solution of another
// SDE would leave an error that stops shrinking (fitted order near 0).
template <class Entry>
void check_euler_maruyama_converges_to_exact(Entry const& entry) {
  sk::convergence_options o;
  o.seed = 21;
  o.paths = 400;
  o.coarsest_level = 6;
  o.finest_level = 12;
  auto const r = sk::strong_convergence(entry, sk::euler_maruyama{}, o);
  double const expected = std::is_same_v<typename Entry::noise, sk::additive_noise> ? 1.0 : 0.5;
  BOOST_TEST(std::fabs(r.order - expected) < 0.15, Entry::name << ": fitted order " << r.order << "\n" << r.table());
  BOOST_TEST(r.error.back() < 0.02, Entry::name << ": error at dt = 2^-12 is " << r.error.back());
}

// The attached ∂g_i/∂x_i against a central difference of g_i, at a few states.
template <class Entry>
void check_diffusion_derivative(Entry const& entry) {
  auto const p = entry.problem();
  std::vector<double> x = entry.x0();
  for (double shift : {-0.3, 0.0, 0.4}) {
    std::vector<double> at = x, up = x, down = x, g_up(x.size()), g_down(x.size()), dg(x.size());
    for (auto& v : at) v += shift;
    p.diffusion_derivative(at, 0.3, dg);
    for (std::size_t i = 0; i < x.size(); ++i) {
      double const eps = 1e-6;
      up = at;
      down = at;
      up[i] += eps;
      down[i] -= eps;
      p.diffusion(up, 0.3, g_up);
      p.diffusion(down, 0.3, g_down);
      double const fd = (g_up[i] - g_down[i]) / (2 * eps);
      BOOST_TEST(std::fabs(dg[i] - fd) < 1e-8, Entry::name << ": dg[" << i << "] = " << dg[i] << ", difference " << fd);
    }
  }
}

// Stratonovich drift = Itô drift − ½ g ∂g/∂x, component by component.
template <class Entry>
void check_stratonovich_form(Entry const& entry) {
  auto const ito = entry.template problem<sk::ito>();
  auto const strat = entry.template problem<sk::stratonovich>();
  std::vector<double> x = entry.x0();
  for (double shift : {-0.2, 0.0, 0.3}) {
    std::vector<double> at = x, f(x.size()), fs(x.size()), g(x.size()), gs(x.size()), dg(x.size());
    for (auto& v : at) v += shift;
    ito.drift(at, 0.4, f);
    strat.drift(at, 0.4, fs);
    ito.diffusion(at, 0.4, g);
    strat.diffusion(at, 0.4, gs);
    if constexpr (std::decay_t<decltype(ito)>::has_diffusion_derivative) ito.diffusion_derivative(at, 0.4, dg);
    for (std::size_t i = 0; i < x.size(); ++i) {
      BOOST_TEST(gs[i] == g[i]);
      BOOST_TEST(std::fabs(fs[i] - (f[i] - 0.5 * g[i] * dg[i])) < 1e-15, Entry::name << ": component " << i);
    }
  }
}

// Milstein on the Itô form and stochastic Heun on the Stratonovich form, both of strong order 1, end
// at the same point of each path at dt = 2⁻¹²: mean distance below 10⁻³ over 200 paths (the strong
// errors there are below 3·10⁻⁴ for every entry).
template <class Entry>
void check_ito_and_stratonovich_forms_agree(Entry const& entry) {
  auto const ito = entry.template problem<sk::ito>();
  auto const strat = entry.template problem<sk::stratonovich>();
  double const dt = std::ldexp(1.0, -12);
  double sum = 0.0;
  std::size_t const paths = 200;
  for (std::uint64_t p = 0; p < paths; ++p) {
    sk::brownian_tree w(23, p, 0.0, 1.0, 0.0, Entry::dim);
    auto const a = sk::solve(ito, sk::milstein{}, w, {0.0, 1.0}, dt, entry.x0()).value();
    auto const b = sk::solve(strat, sk::stochastic_heun{}, w, {0.0, 1.0}, dt, entry.x0()).value();
    for (std::size_t i = 0; i < a.size(); ++i) sum += std::fabs(a[i] - b[i]) / double(paths);
  }
  BOOST_TEST(sum < 1e-3, Entry::name << ": mean distance between the Itô and Stratonovich solutions " << sum);
}

template <class Check>
void for_each_entry(Check&& check) {
  check(cat::geometric_brownian_motion{});
  check(cat::kloeden_platen_wave{});
  check(cat::kloeden_platen_cubic{});
  check(cat::ornstein_uhlenbeck{});
  check(cat::additive_time_dependent{});
  check(cat::linear_diagonal_2d{});
}

}  // namespace

BOOST_AUTO_TEST_CASE(euler_maruyama_converges_to_every_exact_solution) {
  for_each_entry([](auto const& entry) { check_euler_maruyama_converges_to_exact(entry); });
}

BOOST_AUTO_TEST_CASE(attached_diffusion_derivatives_are_derivatives_of_the_diffusion) {
  check_diffusion_derivative(cat::geometric_brownian_motion{});
  check_diffusion_derivative(cat::kloeden_platen_wave{});
  check_diffusion_derivative(cat::kloeden_platen_cubic{});
  check_diffusion_derivative(cat::linear_diagonal_2d{});
}

BOOST_AUTO_TEST_CASE(stratonovich_forms_subtract_half_g_dg) {
  for_each_entry([](auto const& entry) { check_stratonovich_form(entry); });
}

BOOST_AUTO_TEST_CASE(ito_and_stratonovich_forms_have_the_same_solution) {
  for_each_entry([](auto const& entry) { check_ito_and_stratonovich_forms_agree(entry); });
}

BOOST_AUTO_TEST_CASE(entries_name_themselves) {
  BOOST_TEST(std::string(cat::geometric_brownian_motion::name) == "gbm");
  BOOST_TEST(std::string(cat::kloeden_platen_wave::name) == "wave");
  BOOST_TEST(std::string(cat::kloeden_platen_cubic::name) == "cubic");
  BOOST_TEST(std::string(cat::ornstein_uhlenbeck::name) == "ou");
  BOOST_TEST(std::string(cat::additive_time_dependent::name) == "additive");
  BOOST_TEST(std::string(cat::linear_diagonal_2d::name) == "linear2d");
  BOOST_TEST(cat::linear_diagonal_2d::dim == 2u);
  BOOST_TEST(cat::linear_diagonal_2d{}.x0().size() == 2u);
}

BOOST_AUTO_TEST_CASE(ornstein_uhlenbeck_quadrature_is_far_below_measured_errors) {
  cat::ornstein_uhlenbeck coarse;
  cat::ornstein_uhlenbeck fine;
  fine.quadrature_cells = 65536;
  double worst = 0.0;
  for (std::uint64_t path = 0; path < 50; ++path) {
    sk::brownian_tree w(22, path, 0.0, 1.0, 0.0, 1);
    double const a = coarse.exact(coarse.x0(), 1.0, w)[0];
    double const b = fine.exact(fine.x0(), 1.0, w)[0];
    worst = std::max(worst, std::fabs(a - b));
  }
  BOOST_TEST_MESSAGE("OU quadrature, 2048 vs 65536 cells: largest difference " << worst);
  BOOST_TEST(worst < 1e-7, "largest difference " << worst);
}

BOOST_AUTO_TEST_CASE(exact_solutions_need_a_path_from_zero) {
  sk::brownian_tree w(22, 0, 0.5, 1.0, 0.0, 1);
  try {
    cat::geometric_brownian_motion{}.exact({1.0}, 1.0, w);
    BOOST_FAIL("expected sdekit::invalid_argument");
  } catch (sk::invalid_argument const& e) {
    BOOST_TEST(std::string(e.what()).find("starts at t0 = 0.5") != std::string::npos, e.what());
  }
}
