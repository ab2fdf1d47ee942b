// Points for `sdekit loglik`: a .npy file (float64/float32, shape (n, d), or (d,) for one point)
// or a CSV file (one point per line, d comma-separated numbers; a first line that is not numeric
// is taken as a header). The dimension must be the target's; every value must be finite.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sdekit::cli {

/// Row-major points of dimension d from `path` (.npy by its magic bytes, CSV otherwise);
/// throws sdekit::invalid_argument naming the file, line or shape that is wrong.
std::vector<double> read_points(std::string const& path, std::size_t d);

}  // namespace sdekit::cli
