#include "closest_name.hpp"

#include <algorithm>
#include <numeric>

namespace sdekit::cli {

std::size_t edit_distance(std::string const& a, std::string const& b) {
  // One row of the Wagner–Fischer table at a time.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t const above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_name(std::string const& name, std::vector<std::string> const& candidates) {
  std::size_t const limit = std::max<std::size_t>(2, name.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (auto const& candidate : candidates) {
    // A typo in the start of a long name ("eulr" for "euler-maruyama") counts one more than the
    // same typo in the whole name.
    std::size_t const prefix = edit_distance(name, candidate.substr(0, name.size())) + 1;
    std::size_t const d = std::min(edit_distance(name, candidate), prefix);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string suggestion(std::string const& name, std::vector<std::string> const& candidates) {
  std::string const best = closest_name(name, candidates);
  std::string text = best.empty() ? std::string() : "; did you mean '" + best + "'?";
  text += " (choose from:";
  for (auto const& candidate : candidates) text += " " + candidate;
  return text + ")";
}

std::string join_names(std::vector<std::string> const& names) {
  std::string text;
  for (auto const& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace sdekit::cli
