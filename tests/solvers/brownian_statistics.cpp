// Claim: grid_brownian and brownian_tree are Brownian motion, and the tree is one path whatever the
// queries. Over N = 20 000 paths: increments are N(0, t − s) (Kolmogorov–Smirnov statistic below
// its 1% critical value 1.628/√N, computed here), increments over disjoint intervals are uncorrelated,
// the tree's W at a midpoint given the endpoints has the bridge mean and variance, and
// ΔZ = ∫_s^t (W_r − W_s) dr has variance h³/3 and covariance h²/2 with ΔW; every moment lies within
// 4 standard errors of its exact value. philox_normal gives mean 0, variance 1 and passes KS.
// The tree gives the same W(T) and the same increments for forward, backward and random query
// orders, at steps 2⁻³ … 2⁻¹² and at irregular, adaptive-like steps with rejected trial steps.
// Seeds: grid 2024, tree 2025, philox 99, query orders 11 (std::mt19937_64 for the random order).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <sdekit/solvers/brownian_tree.hpp>
#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/grid_brownian.hpp>
#include <sdekit/solvers/philox_normal.hpp>

namespace sk = sdekit;

namespace {

constexpr std::size_t paths = 20'000;
constexpr std::uint64_t grid_seed = 2024;
constexpr std::uint64_t tree_seed = 2025;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// sup_x |F_n(x) − Φ(x)| of the sample.
double kolmogorov_smirnov(std::vector<double> sample) {
  std::sort(sample.begin(), sample.end());
  double const n = double(sample.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    double const f = normal_cdf(sample[i]);
    d = std::max({d, double(i + 1) / n - f, f - double(i) / n});
  }
  return d;
}

// Asymptotic 1% critical value of the one-sample KS statistic.
double ks_critical(std::size_t n) { return 1.6276 / std::sqrt(double(n)); }

double mean(std::vector<double> const& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

double covariance(std::vector<double> const& a, std::vector<double> const& b) {
  double const ma = mean(a), mb = mean(b);
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - ma) * (b[i] - mb);
  return s / double(a.size() - 1);
}

double correlation(std::vector<double> const& a, std::vector<double> const& b) {
  return covariance(a, b) / std::sqrt(covariance(a, a) * covariance(b, b));
}

void check_normal(std::vector<double> const& increments, double variance, std::string const& what) {
  std::vector<double> z(increments.size());
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = increments[i] / std::sqrt(variance);
  double const d = kolmogorov_smirnov(z);
  BOOST_TEST_MESSAGE(what << ": KS statistic " << d << " (1% critical value " << ks_critical(z.size()) << ")");
  BOOST_TEST(d < ks_critical(z.size()), what << ": KS statistic " << d << " ≥ " << ks_critical(z.size()));
}

// Sample variance of a normal sample against its exact value, within 4 standard errors σ²√(2/N).
void check_variance(std::vector<double> const& sample, double exact, std::string const& what) {
  double const v = covariance(sample, sample);
  double const se = exact * std::sqrt(2.0 / double(sample.size()));
  BOOST_TEST_MESSAGE(what << ": variance " << v << ", exact " << exact << " ± " << se);
  BOOST_TEST(std::fabs(v - exact) < 4.0 * se, what << ": variance " << v << ", exact " << exact << ", SE " << se);
}

void check_uncorrelated(std::vector<double> const& a, std::vector<double> const& b, std::string const& what) {
  double const r = correlation(a, b);
  double const se = 1.0 / std::sqrt(double(a.size()));
  BOOST_TEST_MESSAGE(what << ": correlation " << r << " ± " << se);
  BOOST_TEST(std::fabs(r) < 4.0 * se, what << ": correlation " << r << ", SE " << se);
}

double tree_increment(sk::brownian_tree& w, double s, double t) {
  std::array<double, 1> dW{};
  w.increment(s, t, dW);
  return dW[0];
}

double tree_value(sk::brownian_tree& w, double t) {
  std::array<double, 1> v{};
  w.value(t, v);
  return v[0];
}

}  // namespace

BOOST_AUTO_TEST_CASE(grid_increments_are_independent_normals_of_variance_dt) {
  double const dt = 0.01;
  std::vector<double> across_paths(paths), next_step(paths), along_one_path(paths);
  std::array<double, 1> dW{};
  for (std::size_t p = 0; p < paths; ++p) {
    sk::grid_brownian w(grid_seed, p, 0.0, dt, 1);
    w.increment(5 * dt, 6 * dt, dW);
    across_paths[p] = dW[0];
    w.increment(6 * dt, 7 * dt, dW);
    next_step[p] = dW[0];
  }
  sk::grid_brownian one(grid_seed, 0, 0.0, dt, 1);
  for (std::size_t k = 0; k < paths; ++k) {
    one.increment(double(k) * dt, double(k + 1) * dt, dW);
    along_one_path[k] = dW[0];
  }
  check_normal(across_paths, dt, "grid, step 5 across paths");
  check_normal(along_one_path, dt, "grid, steps along path 0");
  check_variance(across_paths, dt, "grid, step 5");
  check_uncorrelated(across_paths, next_step, "grid, steps 5 and 6");
  check_uncorrelated(along_one_path, across_paths, "grid, path 0 against step 5 of the others");
}

BOOST_AUTO_TEST_CASE(tree_increments_are_normal_and_independent_over_disjoint_intervals) {
  std::vector<double> first(paths), second(paths), adjacent(paths), far(paths);
  for (std::size_t p = 0; p < paths; ++p) {
    sk::brownian_tree w(tree_seed, p, 0.0, 1.0, 0.0, 1);
    first[p] = tree_increment(w, 0.3, 0.55);
    adjacent[p] = tree_increment(w, 0.55, 0.9);
    second[p] = tree_increment(w, 0.1, 0.3);
    far[p] = tree_increment(w, 0.9, 1.0);
  }
  check_normal(first, 0.25, "tree, [0.3, 0.55]");
  check_normal(adjacent, 0.35, "tree, [0.55, 0.9]");
  check_normal(far, 0.1, "tree, [0.9, 1]");
  check_variance(first, 0.25, "tree, [0.3, 0.55]");
  check_uncorrelated(first, adjacent, "tree, [0.3, 0.55] and [0.55, 0.9]");
  check_uncorrelated(first, second, "tree, [0.3, 0.55] and [0.1, 0.3]");
  check_uncorrelated(second, far, "tree, [0.1, 0.3] and [0.9, 1]");
}

BOOST_AUTO_TEST_CASE(tree_midpoint_given_endpoints_follows_the_bridge) {
  // W(m) − (W(s) + W(t))/2 has mean 0, variance (t − s)/4 and is independent of W(s), W(t) − W(s);
  // [0, 1] is the root node (its split), [0.3, 0.7] is not a node.
  for (auto const [s, t] : {std::array<double, 2>{0.0, 1.0}, std::array<double, 2>{0.3, 0.7}}) {
    std::vector<double> residual(paths), at_s(paths), across(paths);
    for (std::size_t p = 0; p < paths; ++p) {
      sk::brownian_tree w(tree_seed, p, 0.0, 1.0, 0.0, 1);
      double const ws = tree_value(w, s), wt = tree_value(w, t), wm = tree_value(w, 0.5 * (s + t));
      residual[p] = wm - 0.5 * (ws + wt);
      at_s[p] = ws;
      across[p] = wt - ws;
    }
    std::string const what = "bridge on [" + std::to_string(s) + ", " + std::to_string(t) + "]";
    double const variance = 0.25 * (t - s);
    double const m = mean(residual);
    BOOST_TEST(std::fabs(m) < 4.0 * std::sqrt(variance / double(paths)), what << ": mean " << m);
    check_variance(residual, variance, what);
    check_normal(residual, variance, what);
    check_uncorrelated(residual, across, what + ", against W(t) − W(s)");
    if (s > 0.0) check_uncorrelated(residual, at_s, what + ", against W(s)");
  }
}

BOOST_AUTO_TEST_CASE(space_time_integral_has_its_variance_and_covariance) {
  // ΔZ = ∫_s^{s+h} (W_r − W_s) dr: Var ΔZ = h³/3, Cov(ΔZ, ΔW) = h²/2.
  auto check = [](std::vector<double> const& dW, std::vector<double> const& dZ, double h, std::string const& what) {
    check_variance(dZ, h * h * h / 3.0, what + " ΔZ");
    double const c = covariance(dZ, dW);
    double const exact = 0.5 * h * h;
    double const se = std::sqrt((h * h * h / 3.0 * h + exact * exact) / double(dW.size()));
    BOOST_TEST_MESSAGE(what << ": Cov(ΔZ, ΔW) " << c << ", exact " << exact << " ± " << se);
    BOOST_TEST(std::fabs(c - exact) < 4.0 * se, what << ": Cov(ΔZ, ΔW) " << c << ", exact " << exact);
  };
  double const h_grid = 0.125, h_tree = 0.2;
  std::vector<double> grid_w(paths), grid_z(paths), tree_w(paths), tree_z(paths);
  std::array<double, 1> dW{}, dZ{};
  for (std::size_t p = 0; p < paths; ++p) {
    sk::grid_brownian g(grid_seed, p, 0.0, h_grid, 1);
    g.increment(3 * h_grid, 4 * h_grid, dW, dZ);
    grid_w[p] = dW[0];
    grid_z[p] = dZ[0];
    sk::brownian_tree w(tree_seed, p, 0.0, 1.0, 0.0, 1);
    w.increment(0.35, 0.35 + h_tree, dW, dZ);
    tree_w[p] = dW[0];
    tree_z[p] = dZ[0];
  }
  check(grid_w, grid_z, h_grid, "grid");
  check(tree_w, tree_z, h_tree, "tree");
}

BOOST_AUTO_TEST_CASE(philox_normals_are_standard_normal) {
  sk::philox_normal const normal(99);
  std::size_t const n = 200'000;
  std::vector<double> along(n), across(paths);
  for (std::size_t i = 0; i < n; ++i) along[i] = normal(7, i);
  for (std::size_t p = 0; p < paths; ++p) across[p] = normal(p, 12345);
  for (auto const* sample : {&along, &across}) {
    double const m = mean(*sample);
    BOOST_TEST(std::fabs(m) < 4.0 / std::sqrt(double(sample->size())), "mean " << m);
    check_variance(*sample, 1.0, "philox_normal");
    check_normal(*sample, 1.0, "philox_normal");
  }
  std::vector<double> even(n / 2), odd(n / 2);
  for (std::size_t k = 0; k < n / 2; ++k) {
    even[k] = along[2 * k];
    odd[k] = along[2 * k + 1];
  }
  check_uncorrelated(even, odd, "the two normals of one Philox call");
}

BOOST_AUTO_TEST_CASE(tree_is_one_path_whatever_the_query_order) {
  // Increments over the 2⁻⁶ grid, queried forward, backward and in a random order on fresh trees.
  int const n = 64;
  double const dt = 1.0 / n;
  auto increments_in_order = [&](std::vector<int> const& order) {
    sk::brownian_tree w(11, 4, 0.0, 1.0, 0.0, 1);
    std::vector<double> out(n);
    for (int k : order) out[k] = tree_increment(w, k * dt, (k + 1) * dt);
    return std::make_pair(out, tree_value(w, 1.0));
  };
  std::vector<int> forward(n);
  std::iota(forward.begin(), forward.end(), 0);
  std::vector<int> backward(forward.rbegin(), forward.rend());
  std::vector<int> shuffled = forward;
  std::mt19937_64 rng(11);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  auto const reference = increments_in_order(forward);
  for (auto const* order : {&backward, &shuffled}) {
    auto const other = increments_in_order(*order);
    BOOST_TEST(other.first == reference.first, boost::test_tools::per_element());
    BOOST_TEST(other.second == reference.second);
  }
}

BOOST_AUTO_TEST_CASE(tree_increments_sum_to_the_total_at_every_step_size) {
  sk::brownian_tree reference(11, 4, 0.0, 1.0, 0.0, 1);
  double const total = tree_value(reference, 1.0);
  for (int level = 3; level <= 12; ++level) {
    sk::brownian_tree w(11, 4, 0.0, 1.0, 0.0, 1);
    double const dt = std::ldexp(1.0, -level);
    double sum = 0.0;
    for (int k = 0; k < (1 << level); ++k) sum += tree_increment(w, k * dt, (k + 1) * dt);
    BOOST_TEST(std::fabs(sum - total) < 1e-13, "dt = 2^-" << level << ": sum " << sum << ", W(1) " << total);
    BOOST_TEST(tree_value(w, 1.0) == total, "dt = 2^-" << level);
  }
}

BOOST_AUTO_TEST_CASE(tree_increments_sum_to_the_total_at_irregular_steps_with_rejections) {
  // Steps drawn log-uniformly in [1e-4, 0.05]; every third step is first tried at twice its length
  // and "rejected", as an adaptive solver does. W at the accepted times equals a fresh tree's.
  sk::brownian_tree reference(11, 4, 0.0, 1.0, 0.0, 1);
  double const total = tree_value(reference, 1.0);
  sk::brownian_tree w(11, 4, 0.0, 1.0, 0.0, 1);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> log_step(std::log(1e-4), std::log(0.05));
  double t = 0.0, sum = 0.0;
  std::vector<double> times;
  for (int k = 0; t < 1.0; ++k) {
    double const h = std::min(std::exp(log_step(rng)), 1.0 - t);
    if (k % 3 == 0) tree_increment(w, t, std::min(t + 2.0 * h, 1.0));
    sum += tree_increment(w, t, t + h);
    t = (1.0 - (t + h) < 1e-15) ? 1.0 : t + h;
    times.push_back(t);
  }
  BOOST_TEST(std::fabs(sum - total) < 1e-12, times.size() << " irregular steps: sum " << sum << ", W(1) " << total);
  sk::brownian_tree fresh(11, 4, 0.0, 1.0, 0.0, 1);
  for (auto it = times.rbegin(); it != times.rend(); ++it)
    BOOST_TEST(tree_value(fresh, *it) == tree_value(w, *it), "t = " << *it);
}

BOOST_AUTO_TEST_CASE(grid_refuses_a_step_off_its_grid_naming_dt) {
  sk::grid_brownian w(grid_seed, 0, 0.0, 0.125, 1);
  std::array<double, 1> dW{};
  for (auto const [s, t] : {std::array<double, 2>{0.0625, 0.1875}, std::array<double, 2>{0.0, 0.25}}) {
    try {
      w.increment(s, t, dW);
      BOOST_FAIL("grid_brownian accepted [" << s << ", " << t << "]");
    } catch (sk::invalid_argument const& e) {
      std::string const message = e.what();
      BOOST_TEST(message.find("dt = 0.125") != std::string::npos, message);
      BOOST_TEST(message.find("brownian_tree") != std::string::npos, message);
    }
  }
}
