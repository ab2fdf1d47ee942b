#include "target_spec.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <sdekit/solvers/errors.hpp>

#include "closest_name.hpp"

namespace sdekit::cli {
namespace {

using sdekit::detail::fail;

std::vector<double> numbers(nlohmann::json const& value, std::string const& what, std::string const& source) {
  if (!value.is_array()) fail(source, ": ", what, " must be an array of numbers");
  std::vector<double> out;
  for (auto const& v : value) {
    if (!v.is_number()) fail(source, ": ", what, " holds ", v.dump(), ", which is not a number");
    out.push_back(v.get<double>());
  }
  return out;
}

// A covariance as d×d nested arrays, or d variances (a diagonal), flattened row-major.
std::vector<double> covariance(nlohmann::json const& value, std::size_t d, std::string const& what,
                               std::string const& source) {
  if (!value.is_array() || value.size() != d)
    fail(source, ": ", what, " must be a ", d, "×", d, " nested array or a list of ", d, " variances");
  if (!value.front().is_array()) {
    std::vector<double> const diagonal = numbers(value, what, source);
    std::vector<double> full(d * d, 0.0);
    for (std::size_t i = 0; i < d; ++i) full[i * d + i] = diagonal[i];
    return full;
  }
  std::vector<double> full;
  for (std::size_t i = 0; i < d; ++i) {
    std::vector<double> const row = numbers(value[i], what + "[" + std::to_string(i) + "]", source);
    if (row.size() != d) fail(source, ": ", what, "[", i, "] has ", row.size(), " entries; the dimension is ", d);
    full.insert(full.end(), row.begin(), row.end());
  }
  return full;
}

diffusion::gaussian_mixture checked_mixture(std::vector<double> weights, std::vector<std::vector<double>> means,
                                            std::vector<std::vector<double>> covariances, std::string const& source) {
  try {
    return diffusion::gaussian_mixture(std::move(weights), std::move(means), std::move(covariances));
  } catch (sdekit::invalid_argument const& e) {
    fail(source, ": ", e.what());
  }
}

}  // namespace

diffusion::gaussian_mixture mixture_from_json(std::string const& text, std::string const& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (nlohmann::json::parse_error const& e) {
    fail(source, ": not valid JSON (", e.what(), ")");
  }
  if (!doc.is_object()) fail(source, ": the target must be a JSON object with \"means\" and \"covariances\"");
  for (auto const& [key, value] : doc.items())
    if (key != "weights" && key != "means" && key != "covariances")
      fail(source, ": unknown key \"", key, "\"", suggestion(key, {"weights", "means", "covariances"}));
  if (!doc.contains("means") || !doc.contains("covariances"))
    fail(source, ": the target needs both \"means\" and \"covariances\"");
  auto const& means_json = doc["means"];
  if (!means_json.is_array() || means_json.empty()) fail(source, ": \"means\" must be a non-empty array of arrays");
  std::vector<std::vector<double>> means;
  for (std::size_t k = 0; k < means_json.size(); ++k)
    means.push_back(numbers(means_json[k], "means[" + std::to_string(k) + "]", source));
  std::size_t const d = means.front().size();
  if (d == 0) fail(source, ": means[0] is empty");
  for (std::size_t k = 1; k < means.size(); ++k)
    if (means[k].size() != d) fail(source, ": means[", k, "] has ", means[k].size(), " entries; means[0] has d = ", d);
  auto const& cov_json = doc["covariances"];
  if (!cov_json.is_array() || cov_json.size() != means.size())
    fail(source, ": \"covariances\" must hold one entry per mean (", means.size(), ")");
  std::vector<std::vector<double>> covariances;
  for (std::size_t k = 0; k < cov_json.size(); ++k)
    covariances.push_back(covariance(cov_json[k], d, "covariances[" + std::to_string(k) + "]", source));
  std::vector<double> weights(means.size(), 1.0);
  if (doc.contains("weights")) weights = numbers(doc["weights"], "weights", source);
  return checked_mixture(std::move(weights), std::move(means), std::move(covariances), source);
}

void target_spec::add_options(CLI::App& app) {
  app.add_option("--target", name, "built-in target: mixture2d, mixture2d-four (k-diffusion's four components), gaussian (with --dim)")->capture_default_str();
  app.add_option("--dim", dim, "dimension of the built-in gaussian target")->capture_default_str();
  app.add_option("--mean", mean, "mean of a Gaussian target given here, comma-separated")->delimiter(',');
  app.add_option("--cov", cov, "its covariance: d variances or d*d entries row-major")->delimiter(',');
  app.add_option("--target-file", file, "JSON file with weights, means and covariances of a mixture");
}

diffusion::gaussian_mixture target_spec::make() const {
  if (!file.empty()) {
    if (!mean.empty() || !cov.empty()) fail("--target-file = ", file, " and --mean/--cov both give a target; give one");
    std::ifstream in(file);
    if (!in) fail("--target-file = ", file, ": cannot open for reading");
    std::ostringstream text;
    text << in.rdbuf();
    return mixture_from_json(text.str(), file);
  }
  if (!mean.empty() || !cov.empty()) {
    std::size_t const d = mean.size();
    if (d == 0) fail("--cov is given without --mean");
    std::vector<double> full;
    if (cov.size() == d) {
      full.assign(d * d, 0.0);
      for (std::size_t i = 0; i < d; ++i) full[i * d + i] = cov[i];
    } else if (cov.size() == d * d) {
      full = cov;
    } else {
      fail("--cov has ", cov.size(), " entries; with --mean of dimension ", d, " it needs ", d, " (variances) or ",
           d * d, " (a full matrix)");
    }
    return checked_mixture({1.0}, {mean}, {full}, "--mean/--cov");
  }
  if (name == "mixture2d") return diffusion::targets::mixture_2d();
  if (name == "mixture2d-four") return diffusion::targets::mixture_2d_four();
  if (name == "gaussian") {
    if (dim == 0) fail("--dim = 0 must be at least 1");
    return diffusion::targets::gaussian(dim);
  }
  fail("--target = '", name, "' is not a built-in target", suggestion(name, {"mixture2d", "mixture2d-four", "gaussian"}));
}

std::string target_spec::description() const {
  if (!file.empty()) return file;
  if (!mean.empty()) return "N(mean, cov) from the command line";
  if (name == "gaussian") return "gaussian (d = " + std::to_string(dim) + ")";
  return name;
}

}  // namespace sdekit::cli
