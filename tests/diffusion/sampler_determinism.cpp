// Claim: a stochastic sampler's sample b depends on (seed, b) only. For each stochastic sampler on
// targets::mixture_2d() under the VP SDE (64 samples, 40 steps): the same seed gives the same bits;
// a batch of 64 split into two batches of 32 (the second with first_sample = 32) gives the same
// bits as the whole batch; another seed gives other samples. Seeds: 7 and 8 (sampler), 3 (prior).
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <sdekit/diffusion.hpp>

namespace dd = sdekit::diffusion;

namespace {

constexpr std::size_t d = 2;
constexpr std::size_t batch = 64;
constexpr double eps = 1e-3;

dd::vp_sde const sde{};
dd::gaussian_mixture_score<dd::vp_sde> const score{sde, dd::targets::mixture_2d()};

// (x_T, seed, first_sample) -> samples
using sampler = std::function<std::vector<double>(std::vector<double> const&, std::uint64_t, std::uint64_t)>;

void check_determinism(std::string const& name, sampler const& run) {
  std::vector<double> const x_T = dd::sample_prior(sde, batch, d, 3);
  std::vector<double> const whole = run(x_T, 7, 0);
  BOOST_TEST((run(x_T, 7, 0) == whole), name << ": the same seed gave other bits");
  std::size_t const half = batch / 2 * d;
  std::vector<double> const first(x_T.begin(), x_T.begin() + std::ptrdiff_t(half));
  std::vector<double> const second(x_T.begin() + std::ptrdiff_t(half), x_T.end());
  std::vector<double> split = run(first, 7, 0);
  std::vector<double> const rest = run(second, 7, batch / 2);
  split.insert(split.end(), rest.begin(), rest.end());
  BOOST_TEST((split == whole), name << ": splitting the batch 64 = 32 + 32 changed the bits");
  std::vector<double> const other = run(x_T, 8, 0);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < whole.size(); ++i) differing += other[i] != whole[i];
  BOOST_TEST(differing == whole.size(), name << ": seed 8 left " << whole.size() - differing << " values unchanged");
}

template <class Options>
Options with_first(std::uint64_t first) {
  Options o;
  o.first_sample = first;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(reverse_sde_on_grid_paths) {
  check_determinism("reverse SDE (grid)", [](auto const& x, std::uint64_t seed, std::uint64_t first) {
    return dd::reverse_sde_sample(sde, score, dd::uniform_grid(sde, 40, eps), x, seed,
                                  with_first<dd::reverse_sde_options>(first)).x;
  });
}

BOOST_AUTO_TEST_CASE(reverse_sde_on_tree_paths) {
  check_determinism("reverse SDE (tree)", [](auto const& x, std::uint64_t seed, std::uint64_t first) {
    auto o = with_first<dd::reverse_sde_options>(first);
    o.brownian = dd::reverse_sde_brownian::tree;
    return dd::reverse_sde_sample(sde, score, dd::quadratic_grid(sde, 40, eps), x, seed, o).x;
  });
}

BOOST_AUTO_TEST_CASE(reverse_diffusion) {
  check_determinism("reverse diffusion", [](auto const& x, std::uint64_t seed, std::uint64_t first) {
    return dd::reverse_diffusion_sample(sde, score, dd::uniform_grid(sde, 40, eps), x, seed,
                                        with_first<dd::sampler_options>(first)).x;
  });
}

BOOST_AUTO_TEST_CASE(ddpm) {
  check_determinism("DDPM", [](auto const& x, std::uint64_t seed, std::uint64_t first) {
    return dd::ddpm_sample(sde, score, dd::uniform_grid(sde, 40, eps), x, seed, with_first<dd::sampler_options>(first)).x;
  });
}

BOOST_AUTO_TEST_CASE(ddim_with_eta) {
  check_determinism("DDIM η = 0.5", [](auto const& x, std::uint64_t seed, std::uint64_t first) {
    auto o = with_first<dd::ddim_options>(first);
    o.eta = 0.5;
    return dd::ddim_sample(sde, score, dd::lambda_uniform_grid(sde, 40, eps), x, seed, o).x;
  });
}

BOOST_AUTO_TEST_CASE(predictor_corrector) {
  check_determinism("predictor–corrector", [](auto const& x, std::uint64_t seed, std::uint64_t first) {
    auto o = with_first<dd::predictor_corrector_options>(first);
    o.corrector_steps = 2;
    return dd::predictor_corrector_sample(sde, score, dd::uniform_grid(sde, 40, eps), x, seed, o).x;
  });
}

BOOST_AUTO_TEST_CASE(edm_heun_with_churn) {
  check_determinism("EDM Heun with churn", [](auto const& x, std::uint64_t seed, std::uint64_t first) {
    auto o = with_first<dd::edm_heun_options>(first);
    o.s_churn = 20.0;
    return dd::edm_heun_sample(sde, score, dd::karras_grid(sde, 40, eps), x, seed, o).x;
  });
}

BOOST_AUTO_TEST_CASE(adaptive_reverse_sde) {
  check_determinism("adaptive reverse SDE", [](auto const& x, std::uint64_t seed, std::uint64_t first) {
    return dd::adaptive_reverse_sde_sample(sde, score, eps, x, seed, with_first<dd::adaptive_reverse_sde_options>(first)).x;
  });
}
