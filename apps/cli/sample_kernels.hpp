// The per-sample kernels of `sdekit sample` (sample_ensemble on Thrust's host systems: EDM Heun,
// DPM-Solver++ 2M/3M, DDIM, DDPM, reverse diffusion, predictor-corrector, euler-maruyama (the
// reverse SDE), adaptive-sde and pf-ode-dopri5) and `sdekit loglik` (the per-point likelihood, exact
// divergence or Hutchinson's), on 2-D targets of at most
// four components, the targets these kernels are compiled for. Only its source file sees Thrust
// (and its -ffp-contract=off), as for path_backend.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <sdekit/diffusion/gaussian_mixture.hpp>
#include <sdekit/diffusion/likelihood.hpp>

#include "draw_samples.hpp"
#include "path_backend.hpp"
#include "sampler_registry.hpp"

namespace sdekit::cli {

/// Draws the samples per sample on `backend` into `out` and returns true, or returns false when
/// the backend is serial or no kernel fits the sampler and the target (the caller then runs the
/// batched sampler). Samples that turn non-finite throw sdekit::solve_error naming the first one.
bool draw_samples_per_sample(std::string const& sde, std::string const& sampler,
                             diffusion::gaussian_mixture const& mixture, std::size_t n,
                             sampling_request const& request, path_backend const& backend, drawn_samples& out);

/// The PF-ODE log-likelihood of the points x per point on `backend` into `out` (exact divergence or
/// Hutchinson's), returning true, or false when the backend is serial or no kernel fits the target.
bool log_likelihood_per_sample(std::string const& sde, diffusion::gaussian_mixture const& mixture,
                               std::vector<double> const& x, diffusion::likelihood_options const& options,
                               path_backend const& backend, diffusion::likelihood_result& out);

}  // namespace sdekit::cli
