#include "order_suite.hpp"

#include <cmath>

#include <sdekit/solvers/compatibility.hpp>

#include "method_registry.hpp"
#include "path_sweep.hpp"
#include "problem_registry.hpp"
#include "progress.hpp"

namespace sdekit::cli {

order_suite_result run_order_suite(order_suite_settings const& s) {
  order_suite_result out;
  out.errors = {"Errors per step size",
                {"problem", "method", "N", "dt", "strong_error", "strong_se", "weak_error", "weak_se"}, {}};
  out.fitted = {"Fitted orders (least-squares slope of log error against log dt)",
                {"problem", "method", "strong_order", "stated_strong", "weak_order", "stated_weak"}, {}};
  std::size_t runs = 0;
  for_each_problem([&](auto const& entry) {
    for_each_method([&](auto const& named) {
      using method = std::decay_t<decltype(named.method)>;
      runs += is_compatible_v<method, decltype(entry.template problem<typename method::calculus>())>;
    });
  });
  sweep_settings const sweep{s.seed, s.paths, 1.0, s.steps, s.backend};
  progress bar("bench orders", runs * s.paths);
  for_each_problem([&](auto const& entry) {
    for_each_method([&](auto const& named) {
      using method = std::decay_t<decltype(named.method)>;
      if constexpr (is_compatible_v<method, decltype(entry.template problem<typename method::calculus>())>) {
        sweep_result const r = sweep_paths(entry, named.method, sweep, bar);
        for (std::size_t k = 0; k < r.dt.size(); ++k)
          out.errors.add_row({entry.name, named.name, s.steps[k], r.dt[k], r.strong_error[k], r.strong_standard_error[k],
                              r.weak_error[k], r.weak_standard_error[k]});
        auto const cell = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
        out.fitted.add_row({entry.name, named.name, cell(r.strong_order), method::strong_order, cell(r.weak_order),
                            method::weak_order});
      }
    });
  });
  return out;
}

}  // namespace sdekit::cli
