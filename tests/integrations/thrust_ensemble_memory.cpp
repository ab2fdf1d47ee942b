// Claim: solve_ensemble allocates nothing inside the step loop and its memory is O(paths × dim ×
// saved times): on the CPP and OMP backends the number of allocations does not change from 10 to
// 1000 steps, and the bytes allocated stay within 1.5 × the output arrays plus 64 KiB. Seed 8.
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/omp/execution_policy.h>

#include <sdekit/solvers.hpp>
#include <sdekit/thrust.hpp>

namespace {
std::atomic<std::size_t> allocations{0};
std::atomic<std::size_t> allocated_bytes{0};
}  // namespace

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  allocated_bytes.fetch_add(n, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace sk = sdekit;

namespace {

using state = std::array<double, 2>;
constexpr std::size_t paths = 4096;

auto gbm() {
  return sk::sde<sk::diagonal_noise>([](auto const& x, double, auto& f) { f[0] = 0.5 * x[0]; f[1] = 0.1 * x[1]; },
                                     [](auto const& x, double, auto& g) { g[0] = 0.3 * x[0]; g[1] = 0.2 * x[1]; });
}

struct usage {
  std::size_t count;
  std::size_t bytes;
};

template <class Policy>
usage measure(Policy const& policy, std::size_t steps, std::vector<double> const& save_at) {
  sk::solve_options<> options{save_at};
  std::size_t const count0 = allocations.load(), bytes0 = allocated_bytes.load();
  auto const sol = sk::solve_ensemble(policy, gbm(), sk::euler_maruyama{}, sk::grid_brownian(8), paths,
                                      {0.0, 1.0}, 1.0 / double(steps), state{1.0, 1.0}, options);
  usage const u{allocations.load() - count0, allocated_bytes.load() - bytes0};
  BOOST_TEST_REQUIRE(sol.ok(), sol.message());
  return u;
}

template <class Policy>
void check(Policy const& policy, char const* name) {
  std::vector<double> const saves{0.0, 0.5, 1.0};
  usage const few = measure(policy, 10, saves);
  usage const many = measure(policy, 1000, saves);
  BOOST_TEST(few.count == many.count, name << ": " << few.count << " allocations for 10 steps, " << many.count << " for 1000");
  std::size_t const outputs = paths * state{}.size() * saves.size() * sizeof(double) +
                              paths * (sizeof(sk::solve_status) + 4 * sizeof(std::uint64_t));
  BOOST_TEST(many.bytes <= outputs * 3 / 2 + 65536, name << ": " << many.bytes << " bytes for " << outputs << " bytes of output");
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_allocation_in_the_step_loop_cpp) { check(thrust::cpp::par, "cpp"); }

BOOST_AUTO_TEST_CASE(no_allocation_in_the_step_loop_omp) { check(thrust::omp::par, "omp"); }
