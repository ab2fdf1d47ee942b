// Closest-name suggestion for unknown subcommands, options, methods and targets: the candidate
// with the smallest Levenshtein (edit) distance, offered when it is close enough to be a typo.
#pragma once

#include <string>
#include <vector>

namespace sdekit::cli {

/// Number of single-character insertions, deletions and substitutions that turn a into b.
std::size_t edit_distance(std::string const& a, std::string const& b);

/// The candidate closest to `name` (by edit distance to the whole candidate, or one more than the
/// distance to its first |name| characters), or "" when none is within max(2, |name|/3).
std::string closest_name(std::string const& name, std::vector<std::string> const& candidates);

/// "; did you mean 'x'?" when a close candidate exists, "" otherwise; then the list of candidates.
std::string suggestion(std::string const& name, std::vector<std::string> const& candidates);

/// "a, b, c": the names as --help lists them.
std::string join_names(std::vector<std::string> const& names);

}  // namespace sdekit::cli
