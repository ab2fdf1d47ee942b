#include "points_reader.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <sdekit/io/npy.hpp>
#include <sdekit/solvers/errors.hpp>

namespace sdekit::cli {
namespace {

using sdekit::detail::fail;

bool parse_number(std::string cell, double& value) {
  std::size_t const first = cell.find_first_not_of(" \t\r");
  std::size_t const last = cell.find_last_not_of(" \t\r");
  if (first == std::string::npos) return false;
  cell = cell.substr(first, last - first + 1);
  char* end = nullptr;
  value = std::strtod(cell.c_str(), &end);
  return end == cell.c_str() + cell.size();
}

std::vector<double> read_npy_points(std::string const& path, std::size_t d) {
  io::npy_array const a = io::load_npy(path);
  if (a.rank() == 1 && a.shape[0] == d) return a.data;
  if (a.rank() != 2) fail(path, ": points must have shape (n, ", d, "); this array has rank ", a.rank());
  if (a.shape[1] != d) fail(path, ": points have d = ", a.shape[1], " columns but the target has dimension ", d);
  if (a.shape[0] == 0) fail(path, ": holds no points");
  return a.data;
}

std::vector<double> read_csv_points(std::string const& path, std::size_t d) {
  std::ifstream in(path);
  if (!in) fail(path, ": cannot open for reading");
  std::vector<double> points;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::vector<double> row;
    std::stringstream cells(line);
    std::string cell;
    bool numeric = true;
    while (std::getline(cells, cell, ',')) {
      double v;
      if (!parse_number(cell, v)) {
        numeric = false;
        break;
      }
      row.push_back(v);
    }
    if (!numeric) {
      if (line_number == 1) continue;  // a header
      fail(path, ":", line_number, ": '", cell, "' is not a number");
    }
    if (row.size() != d) fail(path, ":", line_number, ": ", row.size(), " values; the target has dimension ", d);
    points.insert(points.end(), row.begin(), row.end());
  }
  if (points.empty()) fail(path, ": holds no points");
  return points;
}

bool is_npy(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, ": cannot open for reading");
  char magic[6] = {};
  in.read(magic, 6);
  return in.gcount() == 6 && std::string(magic, 6) == std::string("\x93NUMPY", 6);
}

}  // namespace

std::vector<double> read_points(std::string const& path, std::size_t d) {
  std::vector<double> points = is_npy(path) || (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0)
                                   ? read_npy_points(path, d)
                                   : read_csv_points(path, d);
  for (std::size_t i = 0; i < points.size(); ++i)
    if (!std::isfinite(points[i])) fail(path, ": point ", i / d, " has a non-finite value (", points[i], ")");
  return points;
}

}  // namespace sdekit::cli
