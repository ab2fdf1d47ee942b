#include "sample_accuracy.hpp"

#include <algorithm>
#include <cmath>

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/philox_normal.hpp>

namespace sdekit::cli {
namespace {

std::vector<double> sample_mean(std::vector<double> const& x, std::size_t d) {
  std::size_t const n = x.size() / d;
  std::vector<double> m(d, 0.0);
  for (std::size_t b = 0; b < n; ++b)
    for (std::size_t j = 0; j < d; ++j) m[j] += x[b * d + j] / double(n);
  return m;
}

std::vector<double> sample_covariance(std::vector<double> const& x, std::size_t d, std::vector<double> const& m) {
  std::size_t const n = x.size() / d;
  std::vector<double> c(d * d, 0.0);
  for (std::size_t b = 0; b < n; ++b)
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = 0; j < d; ++j) c[i * d + j] += (x[b * d + i] - m[i]) * (x[b * d + j] - m[j]) / double(n - 1);
  return c;
}

double distance(std::vector<double> const& a, std::vector<double> const& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

// max_k |mean_b w_k(x_b) − π_k| with w_k(x) = π_k N_k(x) / p(x).
double weight_error(diffusion::gaussian_mixture const& target, std::vector<double> const& x) {
  std::size_t const components = target.components();
  if (components == 1) return 0.0;
  std::vector<double> const log_p = target.log_density(x);
  double worst = 0.0;
  for (std::size_t k = 0; k < components; ++k) {
    diffusion::gaussian_mixture const component({1.0}, {target.mean(k)}, {target.covariance(k)});
    std::vector<double> const log_pk = component.log_density(x);
    double mean_w = 0.0;
    for (std::size_t b = 0; b < log_p.size(); ++b)
      mean_w += target.weight(k) * std::exp(log_pk[b] - log_p[b]) / double(log_p.size());
    worst = std::max(worst, std::fabs(mean_w - target.weight(k)));
  }
  return worst;
}

}  // namespace

double sliced_wasserstein(std::vector<double> const& a, std::vector<double> const& b, std::size_t d,
                          std::size_t directions, std::uint64_t seed) {
  if (a.size() != b.size() || d == 0 || a.size() % d != 0)
    sdekit::detail::fail("sliced_wasserstein needs two batches of equal size in dimension d; got ", a.size(), " and ",
                         b.size(), " values, d = ", d);
  std::size_t const n = a.size() / d;
  philox_normal const normal(seed);
  std::vector<double> theta(d), pa(n), pb(n);
  double total = 0.0;
  for (std::size_t l = 0; l < directions; ++l) {
    normal.fill(l, 0, d, theta);
    double norm = 0.0;
    for (double t : theta) norm += t * t;
    norm = std::sqrt(norm);
    for (std::size_t s = 0; s < n; ++s) {
      pa[s] = pb[s] = 0.0;
      for (std::size_t j = 0; j < d; ++j) {
        pa[s] += theta[j] / norm * a[s * d + j];
        pb[s] += theta[j] / norm * b[s * d + j];
      }
    }
    std::sort(pa.begin(), pa.end());
    std::sort(pb.begin(), pb.end());
    double w2 = 0.0;
    for (std::size_t s = 0; s < n; ++s) w2 += (pa[s] - pb[s]) * (pa[s] - pb[s]) / double(n);
    total += w2 / double(directions);
  }
  return std::sqrt(total);
}

sample_accuracy measure_accuracy(diffusion::gaussian_mixture const& target, std::vector<double> const& x,
                                 std::vector<double> const& reference) {
  std::size_t const d = target.dim();
  if (x.size() < 2 * d) sdekit::detail::fail("accuracy needs at least 2 samples; got ", x.size() / d);
  sample_accuracy r;
  std::vector<double> const m = sample_mean(x, d);
  r.mean_error = distance(m, target.mixture_mean());
  r.covariance_error = distance(sample_covariance(x, d, m), target.mixture_covariance());
  r.weight_error = weight_error(target, x);
  r.sliced_w2 = sliced_wasserstein(x, reference, d);
  return r;
}

}  // namespace sdekit::cli
