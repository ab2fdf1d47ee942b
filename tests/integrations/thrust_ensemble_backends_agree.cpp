// Claim: the same seed gives bit-identical final states and save-at arrays on the CPP, OMP and TBB
// backends, with 1 and 2 threads, for fixed steps on a grid (both normal generators) and for
// adaptive SRIW1 steps on per-path Brownian trees. Seed 2024; 1000 paths for fixed steps, 203 for
// adaptive ones (neither a multiple of the block width, so the last block is partial).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstring>
#include <vector>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;

namespace {

std::vector<double> linspace(double a, double b, std::size_t n) {
  std::vector<double> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = a + (b - a) * double(i) / double(n - 1);
  return t;
}

auto gbm() {
  return sk::sde<sk::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = 0.5 * x[0]; f[1] = -0.2 * x[1]; },
                                     [](auto const& x, double, auto& g) { g[0] = 0.3 * x[0]; g[1] = 0.6 * x[1]; });
}

std::vector<sk::host_backend> const backends{{"cpp", 1}, {"omp", 1}, {"omp", 2}, {"tbb", 1}, {"tbb", 2}};
constexpr std::size_t paths = 1000;
constexpr std::size_t adaptive_paths = 203;
std::array<double, 2> const x0{1.0, 2.0};

template <class T>
bool same_bits(std::vector<T> const& a, std::vector<T> const& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

template <class Solve>
void check_all_backends_agree(Solve&& solve) {
  auto const reference = solve(backends.front());
  BOOST_TEST_REQUIRE(reference.ok(), reference.message());
  for (auto const& backend : backends) {
    auto const sol = solve(backend);
    BOOST_TEST(sol.ok(), sol.message());
    BOOST_TEST(same_bits(sol.x, reference.x), backend.name << " with " << backend.threads << " threads");
    BOOST_TEST(sol.accepted_steps == reference.accepted_steps);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(euler_maruyama_on_philox_grid) {
  sk::solve_options<> options{linspace(0.0, 1.0, 11)};
  check_all_backends_agree([&](sk::host_backend const& b) {
    return sk::solve_ensemble(b, gbm(), sk::euler_maruyama{}, sk::grid_brownian(2024), paths, sk::time_span{0.0, 1.0},
                              0.01, x0, options);
  });
}

BOOST_AUTO_TEST_CASE(sri_w1_on_fast_grid) {
  sk::solve_options<> options{linspace(0.0, 1.0, 5)};
  check_all_backends_agree([&](sk::host_backend const& b) {
    return sk::solve_ensemble(b, gbm(), sk::sri_w1{}, sk::fast_grid_brownian(2024), paths, sk::time_span{0.0, 1.0},
                              0.01, x0, options);
  });
}

BOOST_AUTO_TEST_CASE(adaptive_sri_w1_on_trees) {
  sk::solve_options<sk::pi_controller> options{linspace(0.0, 1.0, 5), sk::pi_controller{1e-4, 1e-4}};
  check_all_backends_agree([&](sk::host_backend const& b) {
    return sk::solve_ensemble(b, gbm(), sk::sri_w1{}, sk::ensemble_brownian_tree{2024}, adaptive_paths,
                              sk::time_span{0.0, 1.0}, 0.01, x0, options);
  });
}
