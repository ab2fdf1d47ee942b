#include "path_backend.hpp"

#include <sdekit/solvers/errors.hpp>

#include "closest_name.hpp"

namespace sdekit::cli {

std::vector<std::string> backend_names() { return {"serial"}; }

path_backend make_backend(std::string const& name, std::size_t threads) {
  if (name == "cpp" || name == "omp" || name == "tbb")
    sdekit::detail::fail("--backend = '", name, "' is not available: this build runs paths serially only "
                         "(the Thrust ensemble backends are not in this tree yet); use --backend serial");
  if (name != "serial") sdekit::detail::fail("--backend = '", name, "' is not a backend", suggestion(name, backend_names()));
  if (threads != 1) sdekit::detail::fail("--threads = ", threads, " needs a parallel backend; --backend serial runs one thread");
  return {name, threads};
}

}  // namespace sdekit::cli
