// The diffusion module in one include: forward SDEs, scores and their parametrizations, analytic
// Gaussian-mixture targets, PF-ODE likelihoods, time grids and samplers.
#pragma once

#include "diffusion/cosine_vp_sde.hpp"
#include "diffusion/edm_sde.hpp"
#include "diffusion/forward_sde.hpp"
#include "diffusion/gaussian_mixture.hpp"
#include "diffusion/likelihood.hpp"
#include "diffusion/parametrization.hpp"
#include "diffusion/probability_flow.hpp"
#include "diffusion/score.hpp"
#include "diffusion/sub_vp_sde.hpp"
#include "diffusion/ve_sde.hpp"
#include "diffusion/vp_sde.hpp"
