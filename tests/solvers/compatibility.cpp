// Claim: a stepper refuses problems it cannot solve, naming itself and the problem's noise and
// calculus: Milstein-type methods refuse general noise, Itô methods refuse Stratonovich problems and
// Stratonovich methods refuse Itô problems. solve() refuses the same pairs at compile time
// (static_assert in solve.hpp); require_compatible is the run-time form for methods chosen by name.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <sdekit/solvers.hpp>

namespace sk = sdekit;

namespace {

auto const drift = [](auto const& x, double, auto& f) {
  for (std::size_t i = 0; i < f.size(); ++i) f[i] = -x[i];
};
auto const matrix_diffusion = [](auto const&, double, auto& g) {
  for (auto& v : g) v = 0.1;
};
auto const vector_diffusion = [](auto const& x, double, auto& g) {
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = 0.1 * x[i];
};

template <class Method, class Problem>
void check_refusal(Method const& method, Problem const& problem, std::vector<std::string> const& fragments) {
  static_assert(!sk::is_compatible_v<Method, Problem>);
  try {
    sk::require_compatible(method, problem);
    BOOST_FAIL(Method::name << " accepted a problem it cannot solve");
  } catch (sk::invalid_argument const& e) {
    std::string const message = e.what();
    for (auto const& fragment : fragments)
      BOOST_TEST(message.find(fragment) != std::string::npos, "missing \"" << fragment << "\" in: " << message);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(milstein_methods_refuse_general_noise) {
  auto const general = sk::sde<sk::general_noise>(drift, matrix_diffusion, 3);
  check_refusal(sk::milstein{}, general, {"Milstein cannot solve this problem", "general noise", "Itô"});
  check_refusal(sk::derivative_free_milstein{}, general,
                {"derivative-free Milstein cannot solve this problem", "general noise"});
}

BOOST_AUTO_TEST_CASE(ito_methods_refuse_stratonovich_problems) {
  auto const strat = sk::sde<sk::diagonal_noise, sk::stratonovich>(drift, vector_diffusion);
  check_refusal(sk::euler_maruyama{}, strat, {"Euler–Maruyama cannot solve", "Stratonovich calculus"});
  check_refusal(sk::milstein{}, strat, {"Milstein cannot solve", "diagonal noise in Stratonovich calculus"});
}

BOOST_AUTO_TEST_CASE(stratonovich_methods_refuse_ito_problems) {
  auto const ito = sk::sde<sk::scalar_noise>(drift, vector_diffusion);
  check_refusal(sk::euler_heun{}, ito, {"Euler–Heun cannot solve", "scalar noise in Itô calculus"});
  check_refusal(sk::stochastic_heun{}, ito, {"stochastic Heun cannot solve", "Itô calculus"});
}

BOOST_AUTO_TEST_CASE(compatible_pairs_pass) {
  auto const diagonal = sk::sde<sk::diagonal_noise>(drift, vector_diffusion);
  auto const general_strat = sk::sde<sk::general_noise, sk::stratonovich>(drift, matrix_diffusion, 2);
  BOOST_CHECK_NO_THROW(sk::require_compatible(sk::milstein{}, diagonal));
  BOOST_CHECK_NO_THROW(sk::require_compatible(sk::derivative_free_milstein{}, diagonal));
  BOOST_CHECK_NO_THROW(sk::require_compatible(sk::euler_heun{}, general_strat));
  BOOST_CHECK_NO_THROW(sk::require_compatible(sk::stochastic_heun{}, general_strat));
  static_assert(sk::milstein::accepts<sk::scalar_noise> && sk::milstein::accepts<sk::additive_noise>);
  static_assert(!sk::milstein::accepts<sk::general_noise>);
}
