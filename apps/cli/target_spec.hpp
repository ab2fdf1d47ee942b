// The data distribution p_0 of `sdekit sample` and `sdekit loglik`, chosen on the command line:
//   --target mixture2d            the built-in 2-D mixture (diffusion::targets::mixture_2d)
//   --target mixture2d-four       k-diffusion's 2-D four-component mixture (targets::mixture_2d_four)
//   --target gaussian --dim D     the built-in anisotropic D-dim Gaussian (targets::gaussian)
//   --mean 0,1 --cov 1,0.3,0.3,2  a Gaussian N(mean, cov): cov with d entries is a diagonal,
//                                 with d² entries a full matrix (row-major)
//   --target-file t.json          a mixture from a small JSON file:
//       {"weights": [0.3, 0.7], "means": [[0, 0], [2, 1]],
//        "covariances": [[[1, 0], [0, 1]], [[0.5, 0.1], [0.1, 0.4]]]}
//     ("weights" may be left out for equal weights; a covariance may be a d×d nested array or a
//      list of d variances).
// Every defect (unreadable or malformed file, wrong types, inconsistent dimensions) is refused
// with sdekit::invalid_argument naming the option or file.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <sdekit/diffusion/gaussian_mixture.hpp>

namespace sdekit::cli {

struct target_spec {
  std::string name = "mixture2d";
  std::size_t dim = 2;
  std::vector<double> mean;
  std::vector<double> cov;
  std::string file;

  void add_options(CLI::App& app);

  /// The mixture the options describe.
  diffusion::gaussian_mixture make() const;

  /// "mixture2d", "gaussian (d = 5)", "N(mean, cov) from the command line" or the file name.
  std::string description() const;
};

/// Reads a mixture from JSON text; `source` (the file name) prefixes error messages.
diffusion::gaussian_mixture mixture_from_json(std::string const& text, std::string const& source);

}  // namespace sdekit::cli
