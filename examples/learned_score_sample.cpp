// Sampling a learned score and measuring its likelihood: the TorchScript model shipped with sdekit
// (integrations/torch/models/mixture_vp.pt, trained by scripts/train_score_model.py on the 2-D
// mixture targets::mixture_2d() under the VP SDE) is loaded with its sdekit.json metadata and used
// like any score. 4000 samples with DPM-Solver++ 2M in 25 steps (seed 1), then the PF-ODE
// log-likelihood of 64 held-out points (seed 7) with the exact divergence from autograd. The same
// is done with the mixture's exact score, so the printout shows what the network's error costs.
// Exits non-zero if the learned sample mean is more than 0.1 from the exact mean or the mean
// log-likelihood is more than 0.15 nats from the exact log p_0.
//
//   learned_score_sample [model.pt]
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include <sdekit/diffusion.hpp>
#include <sdekit/torch/torchscript_score.hpp>

namespace dm = sdekit::diffusion;

namespace {

template <class Score>
std::vector<double> sample_mean(dm::vp_sde const& sde, Score const& score) {
  std::vector<double> const x_T = dm::sample_prior(sde, 4000, 2, /*seed=*/1);
  std::vector<double> const grid = dm::lambda_uniform_grid(sde, 25, /*eps=*/1e-3);
  std::vector<double> const x = dm::dpm_solver_pp_sample(sde, score, grid, x_T).x;
  std::vector<double> mean(2, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) mean[i % 2] += x[i] / 4000.0;
  return mean;
}

template <class Score>
double mean_log_likelihood(dm::vp_sde const& sde, Score const& score, std::vector<double> const& x) {
  dm::likelihood_options options;
  options.divergence = dm::divergence_estimator::exact;
  options.rtol = options.atol = 1e-5;
  std::vector<double> const log_p = dm::pf_ode_log_likelihood(sde, score, x, 2, options).log_p;
  return std::accumulate(log_p.begin(), log_p.end(), 0.0) / double(log_p.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::string const path = argc > 1 ? argv[1] : SDEKIT_SHIPPED_MODEL;
  dm::vp_sde const sde;  // the SDE the model was trained under: β from 0.1 to 20
  sdekit::torch::torchscript_score<dm::vp_sde> const learned(path, sde);
  dm::gaussian_mixture const data = dm::targets::mixture_2d();
  dm::gaussian_mixture_score<dm::vp_sde> const exact(sde, data);
  std::printf("model: %s (predicts %s, time input %s, dim %zu)\n", path.c_str(), dm::to_string(learned.predicts()),
              sdekit::torch::to_string(learned.takes()), learned.dim());

  std::vector<double> const m_learned = sample_mean(sde, learned), m_exact = sample_mean(sde, exact);
  std::vector<double> const m_true = data.mixture_mean();
  std::printf("sample mean, learned score: (%.3f, %.3f)\n", m_learned[0], m_learned[1]);
  std::printf("sample mean, exact score:   (%.3f, %.3f)\n", m_exact[0], m_exact[1]);
  std::printf("mixture mean:               (%.3f, %.3f)\n", m_true[0], m_true[1]);

  std::vector<double> const held_out = data.sample(64, /*seed=*/7);
  std::vector<double> const log_p0 = data.log_density(held_out);
  double const ll_learned = mean_log_likelihood(sde, learned, held_out);
  double const ll_exact = mean_log_likelihood(sde, exact, held_out);
  double const ll_true = std::accumulate(log_p0.begin(), log_p0.end(), 0.0) / 64.0;
  std::printf("mean log-likelihood of 64 held-out points: learned %.4f, exact score %.4f, true log p_0 %.4f\n",
              ll_learned, ll_exact, ll_true);

  double const mean_error = std::hypot(m_learned[0] - m_true[0], m_learned[1] - m_true[1]);
  return mean_error < 0.1 && std::fabs(ll_learned - ll_true) < 0.15 ? 0 : 1;
}
