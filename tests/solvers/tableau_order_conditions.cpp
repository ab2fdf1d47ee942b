// Claim: every SRI and SRA tableau satisfies the order conditions of Rößler 2010 (SIAM J. Numer.
// Anal. 48(3)) for strong order 1.5 in the Itô sense, to 1e-14, and c⁽⁰⁾ = A⁽⁰⁾e, c⁽¹⁾ = A⁽¹⁾e for
// the stages that the drift reaches. The SRI conditions are the 25 of the paper's strong-order-1.5
// theorem for one Wiener process (as checked by DifferentialEquations.jl's checkSRIOrder); the SRA
// conditions are the 8 for additive noise (checkSRAOrder), re-derived below from the Itô–Taylor
// expansion. Weak order-2 conditions in tableau form are not checked here (the paper's list was not at
// hand); weak order is shown by tests/solvers/weak_order_sri_w1.cpp and discussed in sri_w1.hpp.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <string>

#include <sdekit/solvers.hpp>

namespace sk = sdekit;

namespace {

constexpr double tolerance = 1e-14;

template <std::size_t S>
using vec = std::array<double, S>;
template <std::size_t S>
using mat = std::array<std::array<double, S>, S>;

template <std::size_t S>
double dot(vec<S> const& a, vec<S> const& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < S; ++i) sum += a[i] * b[i];
  return sum;
}

template <std::size_t S>
vec<S> times(mat<S> const& m, vec<S> const& v) {
  vec<S> out{};
  for (std::size_t i = 0; i < S; ++i)
    for (std::size_t j = 0; j < S; ++j) out[i] += m[i][j] * v[j];
  return out;
}

template <std::size_t S>
vec<S> ones() {
  vec<S> e{};
  e.fill(1.0);
  return e;
}

template <std::size_t S>
vec<S> squared(vec<S> v) {
  for (auto& x : v) x *= x;
  return v;
}

void check(std::string const& method, std::string const& condition, double value, double expected) {
  BOOST_TEST(std::fabs(value - expected) <= tolerance,
             method << ": " << condition << " = " << value << ", expected " << expected);
}

template <std::size_t S>
void check_sri_strong_order_1_5(std::string const& name, sk::sri_tableau<S> const& t) {
  auto const e = ones<S>();
  auto const B0e = times(t.B0, e), B1e = times(t.B1, e), A1e = times(t.A1, e), A0e = times(t.A0, e);
  auto const B1B1e = times(t.B1, B1e);
  auto const A1B0e = times(t.A1, B0e);
  check(name, "1. αᵀe", dot(t.alpha, e), 1.0);
  check(name, "2. β⁽¹⁾ᵀe", dot(t.beta1, e), 1.0);
  check(name, "3. β⁽²⁾ᵀe", dot(t.beta2, e), 0.0);
  check(name, "4. β⁽³⁾ᵀe", dot(t.beta3, e), 0.0);
  check(name, "5. β⁽⁴⁾ᵀe", dot(t.beta4, e), 0.0);
  check(name, "6. β⁽¹⁾ᵀB⁽¹⁾e", dot(t.beta1, B1e), 0.0);
  check(name, "7. β⁽²⁾ᵀB⁽¹⁾e", dot(t.beta2, B1e), 1.0);
  check(name, "8. β⁽³⁾ᵀB⁽¹⁾e", dot(t.beta3, B1e), 0.0);
  check(name, "9. β⁽⁴⁾ᵀB⁽¹⁾e", dot(t.beta4, B1e), 0.0);
  check(name, "10. αᵀA⁽⁰⁾e", dot(t.alpha, A0e), 0.5);
  check(name, "11. αᵀB⁽⁰⁾e", dot(t.alpha, B0e), 1.0);
  check(name, "12. αᵀ(B⁽⁰⁾e)²", dot(t.alpha, squared(B0e)), 1.5);
  check(name, "13. β⁽¹⁾ᵀA⁽¹⁾e", dot(t.beta1, A1e), 1.0);
  check(name, "14. β⁽²⁾ᵀA⁽¹⁾e", dot(t.beta2, A1e), 0.0);
  check(name, "15. β⁽³⁾ᵀA⁽¹⁾e", dot(t.beta3, A1e), -1.0);
  check(name, "16. β⁽⁴⁾ᵀA⁽¹⁾e", dot(t.beta4, A1e), 0.0);
  check(name, "17. β⁽¹⁾ᵀ(B⁽¹⁾e)²", dot(t.beta1, squared(B1e)), 1.0);
  check(name, "18. β⁽²⁾ᵀ(B⁽¹⁾e)²", dot(t.beta2, squared(B1e)), 0.0);
  check(name, "19. β⁽³⁾ᵀ(B⁽¹⁾e)²", dot(t.beta3, squared(B1e)), -1.0);
  check(name, "20. β⁽⁴⁾ᵀ(B⁽¹⁾e)²", dot(t.beta4, squared(B1e)), 2.0);
  check(name, "21. β⁽¹⁾ᵀB⁽¹⁾B⁽¹⁾e", dot(t.beta1, B1B1e), 0.0);
  check(name, "22. β⁽²⁾ᵀB⁽¹⁾B⁽¹⁾e", dot(t.beta2, B1B1e), 0.0);
  check(name, "23. β⁽³⁾ᵀB⁽¹⁾B⁽¹⁾e", dot(t.beta3, B1B1e), 0.0);
  check(name, "24. β⁽⁴⁾ᵀB⁽¹⁾B⁽¹⁾e", dot(t.beta4, B1B1e), 1.0);
  check(name, "25. ½β⁽¹⁾ᵀA⁽¹⁾B⁽⁰⁾e + ⅓β⁽³⁾ᵀA⁽¹⁾B⁽⁰⁾e", 0.5 * dot(t.beta1, A1B0e) + dot(t.beta3, A1B0e) / 3.0, 0.0);
  for (std::size_t i = 0; i < S; ++i) {
    check(name, "c⁽⁰⁾_" + std::to_string(i + 1) + " − (A⁽⁰⁾e)_" + std::to_string(i + 1), t.c0[i] - A0e[i], 0.0);
    check(name, "c⁽¹⁾_" + std::to_string(i + 1) + " − (A⁽¹⁾e)_" + std::to_string(i + 1), t.c1[i] - A1e[i], 0.0);
  }
}

// Strong order 1.5 for dX = f(t, X) dt + g(t) dW: matching h·f, g·I_(1), the h²/2 · L⁰f term
// (drift part: αᵀA⁽⁰⁾e = αᵀc⁽⁰⁾ = ½; its ½g²f'' part from E[(I_(1,0)/h)²] = h/3: αᵀ(B⁽⁰⁾e)² = 3/2),
// f'g · I_(1,0) (αᵀB⁽⁰⁾e = 1) and ∂g/∂t · I_(0,1) = ∂g/∂t · (h I_(1) − I_(1,0)) (β⁽¹⁾ᵀc⁽¹⁾ = 1,
// β⁽²⁾ᵀc⁽¹⁾ = −1).
template <std::size_t S>
void check_sra_strong_order_1_5(std::string const& name, sk::sra_tableau<S> const& t) {
  auto const e = ones<S>();
  auto const B0e = times(t.B0, e), A0e = times(t.A0, e);
  check(name, "1. αᵀe", dot(t.alpha, e), 1.0);
  check(name, "2. β⁽¹⁾ᵀe", dot(t.beta1, e), 1.0);
  check(name, "3. β⁽²⁾ᵀe", dot(t.beta2, e), 0.0);
  check(name, "4. αᵀB⁽⁰⁾e", dot(t.alpha, B0e), 1.0);
  check(name, "5. αᵀA⁽⁰⁾e", dot(t.alpha, A0e), 0.5);
  check(name, "6. αᵀ(B⁽⁰⁾e)²", dot(t.alpha, squared(B0e)), 1.5);
  check(name, "7. β⁽¹⁾ᵀc⁽¹⁾", dot(t.beta1, t.c1), 1.0);
  check(name, "8. β⁽²⁾ᵀc⁽¹⁾", dot(t.beta2, t.c1), -1.0);
  for (std::size_t i = 0; i < S; ++i)
    check(name, "c⁽⁰⁾_" + std::to_string(i + 1) + " − (A⁽⁰⁾e)_" + std::to_string(i + 1), t.c0[i] - A0e[i], 0.0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(sri_w1_satisfies_the_strong_order_1_5_conditions) {
  check_sri_strong_order_1_5("SRIW1", sk::sri_w1::tableau);
}

BOOST_AUTO_TEST_CASE(sra1_satisfies_the_strong_order_1_5_conditions) {
  check_sra_strong_order_1_5("SRA1", sk::sra1::tableau);
}

BOOST_AUTO_TEST_CASE(sra3_satisfies_the_strong_order_1_5_conditions) {
  check_sra_strong_order_1_5("SRA3", sk::sra3::tableau);
}

BOOST_AUTO_TEST_CASE(sra3_drift_part_has_deterministic_order_3) {
  auto const& t = sk::sra3::tableau;
  check("SRA3", "αᵀ(c⁽⁰⁾)²", dot(t.alpha, squared(t.c0)), 1.0 / 3.0);
  check("SRA3", "αᵀA⁽⁰⁾c⁽⁰⁾", dot(t.alpha, times(t.A0, t.c0)), 1.0 / 6.0);
}
