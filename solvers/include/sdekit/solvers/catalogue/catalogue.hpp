// The catalogue of SDEs with exact solutions on a Brownian path: the ground truth of the
// convergence tests and benchmarks and of `sdekit solve`. Each entry names itself (name), its
// dimension (dim) and noise structure (noise), gives x0(), problem<Calculus>() in Itô or the
// equivalent Stratonovich form, and exact(x0, t, w): the state at t on the brownian_tree w.
#pragma once

#include "additive_time_dependent.hpp"
#include "geometric_brownian_motion.hpp"
#include "kloeden_platen_cubic.hpp"
#include "kloeden_platen_wave.hpp"
#include "linear_diagonal_2d.hpp"
#include "ornstein_uhlenbeck.hpp"
