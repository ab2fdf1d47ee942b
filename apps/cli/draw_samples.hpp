// Runs one sampler over n samples of a Gaussian-mixture target with its exact score: prior
// samples x_T = sample_prior(sde, n, d, seed), then the sampler in batches of 1000 (sample b keeps
// noise path b, so batching changes nothing), the batches run concurrently on the backend
// (path_backend: serial, or Thrust's host systems), the progress bar advancing after each batch.
// Returns the samples and the mean NFE per sample; a non-finite sample throws sdekit::solve_error.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <mutex>
#include <vector>

#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/samplers/sample_result.hpp>
#include <sdekit/solvers/errors.hpp>

#include "interrupt.hpp"
#include "path_backend.hpp"
#include "progress.hpp"
#include "sampler_registry.hpp"

namespace sdekit::cli {

struct drawn_samples {
  std::vector<double> x;
  double nfe_per_sample = 0.0;
};

template <class SDE, class Sampler>
drawn_samples draw_samples(SDE const& sde, Sampler const& sampler, diffusion::gaussian_mixture const& mixture,
                           std::size_t n, sampling_request const& request, progress& bar,
                           path_backend const& backend = {}) {
  constexpr std::size_t batch_size = 1000;
  std::size_t const d = mixture.dim();
  diffusion::gaussian_mixture_score<SDE> const score(sde, mixture);
  std::vector<double> const prior = diffusion::sample_prior(sde, n, d, request.seed);
  drawn_samples out;
  out.x.resize(prior.size());
  std::size_t const batches = (n + batch_size - 1) / batch_size;
  std::vector<double> nfe(batches);
  std::mutex progress_guard;
  backend.for_each(batches, [&](std::size_t k) {
    check_interrupt();  // a batch not yet begun does not start after Ctrl-C
    std::size_t const first = k * batch_size, count = std::min(batch_size, n - first);
    sampling_request batch_request = request;
    batch_request.first_sample = first;
    std::vector<double> batch(prior.begin() + std::ptrdiff_t(first * d), prior.begin() + std::ptrdiff_t((first + count) * d));
    auto const r = sampler.run(sde, score, std::move(batch), batch_request);
    std::copy(r.x.begin(), r.x.end(), out.x.begin() + std::ptrdiff_t(first * d));
    nfe[k] = double(r.nfe) * double(count);
    std::lock_guard<std::mutex> const lock(progress_guard);
    bar.advance(count);
  });
  double nfe_total = 0.0;
  for (double v : nfe) nfe_total += v;  // in batch order: the same sum on every backend
  for (std::size_t i = 0; i < out.x.size(); ++i)
    if (!std::isfinite(out.x[i]))
      throw solve_error(sdekit::detail::concat(sampler.name, ": sample ", i / d, " is not finite (", out.x[i],
                                               "): the sampler diverged"));
  out.nfe_per_sample = nfe_total / double(n);
  return out;
}

}  // namespace sdekit::cli
