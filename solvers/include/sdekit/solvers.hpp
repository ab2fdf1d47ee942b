// The solver layer in one include: problems, Brownian paths, steppers, controllers and solve().
#pragma once

#include "solvers/brownian_tree.hpp"
#include "solvers/compatibility.hpp"
#include "solvers/config.hpp"
#include "solvers/errors.hpp"
#include "solvers/euler_maruyama.hpp"
#include "solvers/grid_brownian.hpp"
#include "solvers/noise.hpp"
#include "solvers/noise_product.hpp"
#include "solvers/philox_normal.hpp"
#include "solvers/problem.hpp"
#include "solvers/solution.hpp"
#include "solvers/solve.hpp"
#include "solvers/state.hpp"
#include "solvers/status.hpp"
#include "solvers/step_size_controller.hpp"
#include "solvers/workspace.hpp"
