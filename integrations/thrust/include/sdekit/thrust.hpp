// Ensembles on Thrust in one include: per-path kernels (solve_ensemble, host backends by name),
// parametrized problems, the fixed-capacity Brownian tree, batched states (thrust_algebra,
// thrust_operations, batched_grid_brownian), the SLEEF normal generator, and the per-sample
// diffusion samplers and PF-ODE likelihoods (sample_ensemble, pf_ode_log_likelihood with a policy).
#pragma once

#include "thrust/batched_grid_brownian.hpp"
#include "thrust/dormand_prince5.hpp"
#include "thrust/ensemble_brownian.hpp"
#include "thrust/ensemble_solution.hpp"
#include "thrust/fixed_brownian_tree.hpp"
#include "thrust/host_backend.hpp"
#include "thrust/likelihood_ensemble.hpp"
#include "thrust/parametrized_sde.hpp"
#include "thrust/sample_ensemble.hpp"
#include "thrust/sample_ensemble_result.hpp"
#include "thrust/sleef_philox_normal.hpp"
#include "thrust/solve_ensemble.hpp"
#include "thrust/thrust_algebra.hpp"
#include "thrust/thrust_operations.hpp"
