// Claims of the per-sample diffusion kernels (sample_ensemble):
//  - with the batched score called one sample at a time, every fixed-grid sampler gives the batched
//    sampler's bits (the schedules and per-component arithmetic are shared);
//  - with gaussian_mixture_kernel_score, every fixed-grid sampler (EDM Heun with and without churn,
//    DPM-Solver++ 2M and 3M, DDIM with η = 0 and 1, DDPM, reverse diffusion, predictor-corrector
//    with both per-sample step rules, the reverse SDE with Euler–Maruyama on grid and tree paths
//    and with SRA1; some with the final denoising step) gives the batched
//    sampler's samples within 1e-12 on k-diffusion's 2-D four-component mixture and on a 16-D
//    Gaussian; PC's per-sample snr rule, ill-conditioned where ‖g‖ → 0, is held to the bits above;
//  - samples are bit-identical on CPP, OMP and TBB with 1 and 2 threads, and when a run is split in
//    two at an index that is not a multiple of the block width;
//  - the adaptive PF-ODE (pf_ode_adaptive_options) follows the exact flow of a Gaussian to its
//    tolerance, with each sample's own steps;
//  - the adaptive reverse SDE (adaptive_reverse_sde_options) gives the batched sampler's bits and
//    per-sample NFE with the batched score, and the same bits on every backend and split;
//  - a score that turns NaN for some samples stops those, naming sample, step and time, and the
//    others keep their bits.
// Seed 7; 203 samples (not a multiple of the block width of 8).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include <sdekit/diffusion.hpp>
#include <sdekit/diffusion/gaussian_mixture_kernel_score.hpp>
#include <sdekit/solvers/sra1.hpp>
#include <sdekit/thrust.hpp>

namespace sk = sdekit;
namespace dm = sdekit::diffusion;

namespace {

constexpr std::uint64_t seed = 7;
constexpr std::size_t samples = 203;
std::vector<sk::host_backend> const backends{{"cpp", 1}, {"omp", 1}, {"omp", 2}, {"tbb", 1}, {"tbb", 2}};

bool same_bits(std::vector<double> const& a, std::vector<double> const& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

double max_difference(std::vector<double> const& a, std::vector<double> const& b) {
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  double m = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

// The batched sampler named by its options, on the same prior draws.
template <class SDE, class Score>
dm::sample_result batched(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, dm::edm_heun_options const& o) {
  return dm::edm_heun_sample(sde, score, grid, std::move(x), seed, o);
}
template <class SDE, class Score>
dm::sample_result batched(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, dm::dpm_solver_pp_options const& o) {
  return dm::dpm_solver_pp_sample(sde, score, grid, std::move(x), o);
}
template <class SDE, class Score>
dm::sample_result batched(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, dm::ddim_options const& o) {
  return dm::ddim_sample(sde, score, grid, std::move(x), seed, o);
}

template <class SDE, class Score>
dm::sample_result batched(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, dm::ddpm_options const& o) {
  return dm::ddpm_sample(sde, score, grid, std::move(x), seed, o);
}
template <class SDE, class Score>
dm::sample_result batched(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, dm::reverse_diffusion_options const& o) {
  return dm::reverse_diffusion_sample(sde, score, grid, std::move(x), seed, o);
}

template <class SDE, class Score>
dm::sample_result batched(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, dm::predictor_corrector_options const& o) {
  return dm::predictor_corrector_sample(sde, score, grid, std::move(x), seed, o);
}

template <class SDE, class Score, class Options, class Stepper>
dm::sample_result batched(SDE const& sde, Score const& score, std::vector<double> const& grid,
                          std::vector<double> x, Options const& o, Stepper const& stepper) {
  if constexpr (std::is_same_v<Options, dm::reverse_sde_options>)
    return dm::reverse_sde_sample(sde, score, grid, std::move(x), seed, o, stepper);
  else
    return batched(sde, score, grid, std::move(x), o);
}

// The batched score called on one sample at a time: with it the kernels must give the batched
// sampler's bits, since they share its schedule and arithmetic.
template <std::size_t D, class SDE>
struct batched_score_per_sample {
  static constexpr std::size_t dim = D;
  dm::gaussian_mixture_score<SDE> const* score;
  template <class State, class Out>
  void operator()(State const& x, double t, Out& s) const {
    std::vector<double> one(x.begin(), x.end()), out;
    (*score)(one, t, out);
    for (std::size_t i = 0; i < D; ++i) s[i] = out[i];
  }
};

template <std::size_t D, std::size_t K, class SDE, class Options, class Stepper = sk::euler_maruyama>
void check_sampler(SDE const& sde, dm::gaussian_mixture const& target, std::vector<double> const& grid,
                   Options const& options, std::string const& name, Stepper const& stepper = {}) {
  dm::packed_gaussian_mixture<D, K> const packed(target);
  auto const kernel_score = packed.score(sde);
  dm::gaussian_mixture_score<SDE> const score(sde, target);
  auto const reference = batched(sde, score, grid, dm::sample_prior(sde, samples, D, seed), options, stepper);
  auto const first = sk::sample_ensemble(backends[0], sde, kernel_score, options, grid, samples, seed, stepper);
  BOOST_REQUIRE_MESSAGE(first.ok(), name << ": " << first.message());
  BOOST_CHECK_EQUAL(first.nfe, reference.nfe);
  auto const same_score = sk::sample_ensemble(backends[2], sde, batched_score_per_sample<D, SDE>{&score}, options, grid,
                                              samples, seed, stepper);
  BOOST_CHECK_MESSAGE(same_bits(same_score.x, reference.x),
                      name << ": with the batched score, the per-sample kernel does not give the batched sampler's bits");
  // The kernel score rounds its weights differently (reproducible_exp); PC's per-sample snr rule
  // divides by ‖g‖², which near a mode turns those ulps into 1e-11, so it is held to the bits above.
  bool const ill_conditioned = name.find("per-sample snr") != std::string::npos;
  double const difference = max_difference(first.x, reference.x);
  BOOST_CHECK_MESSAGE(ill_conditioned || difference <= 1e-12,
                      name << ": per-sample kernel differs from the batched sampler by " << difference);
  for (auto const& backend : backends) {
    auto const r = sk::sample_ensemble(backend, sde, kernel_score, options, grid, samples, seed, stepper);
    BOOST_CHECK_MESSAGE(same_bits(r.x, first.x), name << ": " << backend.name << " with " << backend.threads
                                                      << " thread(s) gives other bits");
  }
  // A run split at 101: the second part starts at first_sample = 101.
  Options head = options, tail = options;
  tail.first_sample = 101;
  auto const a = sk::sample_ensemble(backends[2], sde, kernel_score, head, grid, 101, seed, stepper);
  auto const b = sk::sample_ensemble(backends[2], sde, kernel_score, tail, grid, samples - 101, seed, stepper);
  std::vector<double> joined = a.x;
  joined.insert(joined.end(), b.x.begin(), b.x.end());
  BOOST_CHECK_MESSAGE(same_bits(joined, first.x), name << ": a split run gives other bits");
}

template <class Options>
Options with_final(Options o) {
  o.final_denoise = true;
  return o;
}

template <std::size_t D, std::size_t K, class SDE>
void check_every_sampler(SDE const& sde, dm::gaussian_mixture const& target) {
  auto const karras = dm::karras_grid(sde, 12, 1e-3);
  auto const lambda = dm::lambda_uniform_grid(sde, 20, 1e-3);
  dm::edm_heun_options churn;
  churn.s_churn = 10.0;
  dm::dpm_solver_pp_options two, three;
  two.order = 2;
  three.order = 3;
  dm::ddim_options ancestral;
  ancestral.eta = 1.0;
  check_sampler<D, K>(sde, target, karras, dm::edm_heun_options{}, "EDM Heun");
  check_sampler<D, K>(sde, target, karras, with_final(churn), "EDM Heun, S_churn = 10, final denoising");
  check_sampler<D, K>(sde, target, lambda, two, "DPM-Solver++ 2M");
  check_sampler<D, K>(sde, target, lambda, with_final(three), "DPM-Solver++ 3M, final denoising");
  check_sampler<D, K>(sde, target, lambda, dm::ddim_options{}, "DDIM");
  check_sampler<D, K>(sde, target, lambda, with_final(ancestral), "DDIM, eta = 1, final denoising");
  auto const uniform = dm::uniform_grid(sde, 30, 1e-3);
  check_sampler<D, K>(sde, target, uniform, dm::ddpm_options{}, "DDPM");
  check_sampler<D, K>(sde, target, uniform, with_final(dm::reverse_diffusion_options{}), "reverse diffusion, final denoising");
  dm::predictor_corrector_options pc, pc_snr;
  pc_snr.step_rule = dm::langevin_step_rule::per_sample_snr;
  pc_snr.corrector_steps = 2;
  check_sampler<D, K>(sde, target, uniform, pc, "predictor-corrector");
  check_sampler<D, K>(sde, target, uniform, pc_snr, "predictor-corrector, per-sample snr, two correctors");
  dm::reverse_sde_options tree;
  tree.brownian = dm::reverse_sde_brownian::tree;
  check_sampler<D, K>(sde, target, uniform, dm::reverse_sde_options{}, "reverse SDE, Euler-Maruyama");
  check_sampler<D, K>(sde, target, uniform, with_final(tree), "reverse SDE, Euler-Maruyama on trees, final denoising");
  check_sampler<D, K>(sde, target, uniform, dm::reverse_sde_options{}, "reverse SDE, SRA1", sk::sra1{});
}

}  // namespace

BOOST_AUTO_TEST_CASE(per_sample_samplers_match_the_batched_ones_on_the_four_component_mixture) {
  check_every_sampler<2, 4>(dm::vp_sde{}, dm::targets::mixture_2d_four());
  check_every_sampler<2, 4>(dm::edm_sde{}, dm::targets::mixture_2d_four());
}

BOOST_AUTO_TEST_CASE(per_sample_samplers_match_the_batched_ones_on_a_16_dimensional_gaussian) {
  check_every_sampler<16, 1>(dm::vp_sde{}, dm::targets::gaussian(16));
}

BOOST_AUTO_TEST_CASE(adaptive_pf_ode_per_sample_follows_the_exact_gaussian_flow) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const target = dm::targets::gaussian(4);
  dm::packed_gaussian_mixture<4, 1> const packed(target);
  auto const score = packed.score(sde);
  dm::pf_ode_adaptive_options options;
  options.rtol = options.atol = 1e-8;
  double const eps = 1e-3;
  std::vector<double> const grid{sde.T(), eps};
  auto const first = sk::sample_ensemble(backends[0], sde, score, options, grid, samples, seed);
  BOOST_REQUIRE_MESSAGE(first.ok(), first.message());
  auto const exact = dm::exact_pf_ode_flow(sde, target, dm::sample_prior(sde, samples, 4, seed), sde.T(), eps);
  double const error = max_difference(first.x, exact);
  BOOST_CHECK_MESSAGE(error < 1e-6, "adaptive PF-ODE per sample misses the exact flow by " << error);
  for (auto const& backend : backends)
    BOOST_CHECK(same_bits(sk::sample_ensemble(backend, sde, score, options, grid, samples, seed).x, first.x));
  BOOST_CHECK_EQUAL(first.sample_nfe.size(), samples);
}

BOOST_AUTO_TEST_CASE(adaptive_reverse_sde_per_sample_gives_the_batched_samplers_bits) {
  dm::vp_sde const sde;
  dm::gaussian_mixture const target = dm::targets::mixture_2d_four();
  dm::packed_gaussian_mixture<2, 4> const packed(target);
  auto const kernel_score = packed.score(sde);
  dm::gaussian_mixture_score<dm::vp_sde> const score(sde, target);
  dm::adaptive_reverse_sde_options options;
  options.eps_rel = 0.01;
  options.eps_abs = 0.01 * 0.0078 / 0.05;
  options.final_denoise = true;
  double const eps = 1e-3;
  std::vector<double> const grid{sde.T(), eps};
  auto const reference = dm::adaptive_reverse_sde_sample(sde, score, eps, dm::sample_prior(sde, samples, 2, seed), seed, options);
  auto const same_score = sk::sample_ensemble(backends[2], sde, batched_score_per_sample<2, dm::vp_sde>{&score}, options,
                                              grid, samples, seed);
  BOOST_REQUIRE_MESSAGE(same_score.ok(), same_score.message());
  BOOST_CHECK(same_bits(same_score.x, reference.x));
  BOOST_REQUIRE_EQUAL(same_score.sample_nfe.size(), samples);
  for (std::size_t b = 0; b < samples; ++b) BOOST_CHECK_EQUAL(same_score.sample_nfe[b], reference.nfe_per_sample[b]);
  auto const first = sk::sample_ensemble(backends[0], sde, kernel_score, options, grid, samples, seed);
  BOOST_REQUIRE_MESSAGE(first.ok(), first.message());
  for (auto const& backend : backends)
    BOOST_CHECK(same_bits(sk::sample_ensemble(backend, sde, kernel_score, options, grid, samples, seed).x, first.x));
  dm::adaptive_reverse_sde_options tail = options;
  tail.first_sample = 101;
  auto joined = sk::sample_ensemble(backends[2], sde, kernel_score, options, grid, 101, seed).x;
  auto const rest = sk::sample_ensemble(backends[2], sde, kernel_score, tail, grid, samples - 101, seed).x;
  joined.insert(joined.end(), rest.begin(), rest.end());
  BOOST_CHECK(same_bits(joined, first.x));
  // A sample that runs out of steps reports it, with the time it reached.
  options.max_steps = 5;
  auto const short_run = sk::sample_ensemble(backends[2], sde, kernel_score, options, grid, samples, seed);
  BOOST_CHECK_EQUAL(short_run.failures(), samples);
  BOOST_CHECK(short_run.status[0] == sk::solve_status::max_steps_reached);
  BOOST_CHECK_GT(short_run.failed_time[0], eps);
}

namespace {

// The mixture's score, NaN for samples whose first component exceeds 1.5 at t < 0.5.
struct score_with_holes {
  static constexpr std::size_t dim = 2;
  dm::gaussian_mixture_kernel_score<dm::vp_sde, 2, 4> inner;
  template <class State, class Out>
  void operator()(State const& x, double t, Out& s) const {
    inner(x, t, s);
    if (t < 0.5 && x[0] > 1.5) s[0] = std::nan("");
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_score_that_turns_nan_stops_only_its_samples) {
  dm::vp_sde const sde;
  dm::packed_gaussian_mixture<2, 4> const packed(dm::targets::mixture_2d_four());
  auto const clean = packed.score(sde);
  score_with_holes const holes{clean};
  auto const grid = dm::lambda_uniform_grid(sde, 20, 1e-3);
  dm::dpm_solver_pp_options const options;
  auto const good = sk::sample_ensemble(backends[2], sde, clean, options, grid, samples, seed);
  auto const bad = sk::sample_ensemble(backends[2], sde, holes, options, grid, samples, seed);
  BOOST_REQUIRE(good.ok());
  BOOST_REQUIRE_GT(bad.failures(), 0u);
  BOOST_REQUIRE_LT(bad.failures(), samples);
  for (std::size_t b = 0; b < samples; ++b) {
    if (bad.status[b] == sk::solve_status::success) {
      BOOST_CHECK(std::memcmp(&bad.x[2 * b], &good.x[2 * b], 2 * sizeof(double)) == 0);
    } else {
      BOOST_CHECK(bad.status[b] == sk::solve_status::non_finite_state);
      BOOST_CHECK(std::isnan(bad.x[2 * b]));
      BOOST_CHECK_GT(bad.failed_step[b], 0u);
      BOOST_CHECK_LT(bad.failed_time[b], 0.5);
    }
  }
  BOOST_CHECK_THROW(bad.require_success(), sk::solve_error);
  BOOST_TEST_MESSAGE(bad.message());
  BOOST_CHECK(bad.message().find("samples failed; first: sample") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_score_that_turns_nan_stops_only_its_samples_in_the_reverse_sde_samplers) {
  dm::vp_sde const sde;
  dm::packed_gaussian_mixture<2, 4> const packed(dm::targets::mixture_2d_four());
  auto const clean = packed.score(sde);
  score_with_holes const holes{clean};
  // A failed sample stops no later than latest_failure: the score's hole opens at t = 0.5, so a
  // grid sample stops below it; an adaptive try at t evaluates the score down to t − h, and its
  // first steps are long, so there only t ≤ T holds.
  auto check = [&](auto const& options, std::vector<double> const& grid, double latest_failure, char const* name) {
    auto const good = sk::sample_ensemble(backends[2], sde, clean, options, grid, samples, seed);
    auto const bad = sk::sample_ensemble(backends[2], sde, holes, options, grid, samples, seed);
    BOOST_REQUIRE_MESSAGE(good.ok(), name << ": " << good.message());
    BOOST_CHECK_GT(bad.failures(), 0u);
    BOOST_CHECK_LT(bad.failures(), samples);
    for (std::size_t b = 0; b < samples; ++b) {
      bool const failed = bad.status[b] != sk::solve_status::success;
      BOOST_CHECK_MESSAGE(failed ? std::isnan(bad.x[2 * b]) && bad.failed_time[b] <= latest_failure
                                 : std::memcmp(&bad.x[2 * b], &good.x[2 * b], 2 * sizeof(double)) == 0,
                          name << ": sample " << b << " status " << sk::to_string(bad.status[b]) << " at t = "
                               << bad.failed_time[b] << ", x = " << bad.x[2 * b]);
    }
  };
  check(dm::reverse_sde_options{}, dm::uniform_grid(sde, 40, 1e-3), 0.5, "reverse SDE");
  check(dm::adaptive_reverse_sde_options{}, std::vector<double>{1.0, 1e-3}, 1.0, "adaptive reverse SDE");
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_with_the_parameter_and_value) {
  dm::vp_sde const sde;
  dm::packed_gaussian_mixture<2, 4> const packed(dm::targets::mixture_2d_four());
  auto const score = packed.score(sde);
  auto const grid = dm::lambda_uniform_grid(sde, 10, 1e-3);
  BOOST_CHECK_THROW(sk::sample_ensemble(backends[0], sde, score, dm::ddim_options{}, grid, 0, seed),
                    sk::invalid_argument);
  BOOST_CHECK_THROW(sk::sample_ensemble(sk::host_backend{"gpu", 1}, sde, score, dm::ddim_options{}, grid, 10, seed),
                    sk::invalid_argument);
  BOOST_CHECK_THROW(sk::sample_ensemble(backends[0], sde, score, dm::ddim_options{}, std::vector<double>{0.5, 0.7}, 10, seed),
                    sk::invalid_argument);
  BOOST_CHECK_THROW((dm::packed_gaussian_mixture<2, 2>(dm::targets::mixture_2d_four())), sk::invalid_argument);
  dm::predictor_corrector_options batch_rule;
  batch_rule.step_rule = dm::langevin_step_rule::batch_snr;
  BOOST_CHECK_THROW(sk::sample_ensemble(backends[0], sde, score, batch_rule, grid, 10, seed), sk::invalid_argument);
  BOOST_CHECK_THROW((dm::packed_gaussian_mixture<3, 4>(dm::targets::mixture_2d_four())), sk::invalid_argument);
}
