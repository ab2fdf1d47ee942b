#include "likelihood_suite.hpp"

#include <algorithm>
#include <cmath>

#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/likelihood.hpp>
#include <sdekit/diffusion/vp_sde.hpp>

#include "progress.hpp"
#include "sample_kernels.hpp"

namespace sdekit::cli {

table run_likelihood_suite(likelihood_suite_settings const& s) {
  diffusion::gaussian_mixture const target = diffusion::targets::mixture_2d();
  diffusion::vp_sde const sde;
  diffusion::gaussian_mixture_score<diffusion::vp_sde> const score(sde, target);
  std::vector<double> const x = target.sample(s.points, s.seed + 3);
  std::vector<double> const exact = target.log_density(x);
  table out{"PF-ODE log-likelihood of " + std::to_string(s.points) + " exact samples of the 2-D mixture, VP SDE",
            {"divergence", "tolerance", "nfe", "mean_abs_error", "max_abs_error", "mean_standard_error"},
            {}};
  progress bar("bench likelihood", 2 * s.tolerances.size());
  for (auto const estimator : {diffusion::divergence_estimator::exact, diffusion::divergence_estimator::hutchinson}) {
    for (double tolerance : s.tolerances) {
      diffusion::likelihood_options o;
      o.divergence = estimator;
      o.rtol = o.atol = tolerance;
      o.probes = s.probes;
      o.seed = s.seed;
      o.terminal_log_density = [&](std::vector<double> const& x_T) { return score.log_density(x_T, sde.T()); };
      diffusion::likelihood_result r;
      if (!log_likelihood_per_sample("vp", target, x, o, s.backend, r))
        r = diffusion::pf_ode_log_likelihood(sde, score, x, target.dim(), o);
      double mean = 0.0, worst = 0.0, se = 0.0;
      for (std::size_t b = 0; b < s.points; ++b) {
        double const error = std::fabs(r.log_p[b] + r.prior_mismatch[b] - exact[b]);
        mean += error / double(s.points);
        worst = std::max(worst, error);
        se += r.standard_error[b] / double(s.points);
      }
      bool const is_exact = estimator == diffusion::divergence_estimator::exact;
      out.add_row({is_exact ? "exact" : "hutchinson", tolerance, r.nfe, mean, worst, se});
      bar.advance();
    }
  }
  return out;
}

}  // namespace sdekit::cli
