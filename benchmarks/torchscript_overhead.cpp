// What sdekit adds to each call of a learned score: the shipped TorchScript model
// (integrations/torch/models/mixture_vp.pt, an ε-prediction MLP on 2-D points) sampled by the
// reverse-SDE Euler–Maruyama sampler through sdekit::torch::torchscript_score, against the bare
// module.forward({x, t}) on a float32 batch of the same size. sdekit's time per NFE includes the
// float64 ↔ float32 copies, the ε → score conversion, the finiteness check, the drift and the
// Brownian increments; the ratio of the two is the overhead. Batch sizes 1, 64, 1024, 16384;
// LibTorch runs on one thread (--threads N to change). Times are process CPU time, the fastest of
// --repeat runs (default 3), so other load on the machine inflates them little. Prints a table and
// writes torchscript_overhead.csv to the current directory or to --out DIR; --quick runs one small
// batch.
//
//   build/release/benchmarks/torchscript_overhead --out docs/results
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/script.h>

#include <sdekit/diffusion/forward_sde.hpp>
#include <sdekit/diffusion/samplers/reverse_sde_sampler.hpp>
#include <sdekit/diffusion/time_grid.hpp>
#include <sdekit/diffusion/vp_sde.hpp>
#include <sdekit/torch/torchscript_score.hpp>

namespace dm = sdekit::diffusion;

namespace {

struct settings {
  std::string model = SDEKIT_SHIPPED_MODEL;
  std::string out_dir = ".";
  std::vector<std::size_t> batches{1, 64, 1024, 16384};
  int threads = 1;
  int repeat = 3;
};

[[noreturn]] void usage() {
  std::cerr << "usage: torchscript_overhead [--model FILE] [--threads N] [--repeat N] [--quick] [--out DIR]\n";
  std::exit(2);
}

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    bool const has_value = i + 1 < argc;
    if (arg == "--model" && has_value) s.model = argv[++i];
    else if (arg == "--out" && has_value) s.out_dir = argv[++i];
    else if (arg == "--threads" && has_value) s.threads = std::atoi(argv[++i]);
    else if (arg == "--repeat" && has_value) s.repeat = std::atoi(argv[++i]);
    else if (arg == "--quick") s.batches = {64}, s.repeat = 1;
    else usage();
  }
  if (s.threads < 1 || s.repeat < 1) usage();
  return s;
}

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

// The fastest of `repeat` runs of fn, in CPU seconds.
template <class Fn>
double fastest(int repeat, Fn&& fn) {
  double best = 1e300;
  for (int r = 0; r < repeat; ++r) {
    double const start = cpu_seconds();
    fn();
    best = std::min(best, cpu_seconds() - start);
  }
  return best;
}

struct row {
  std::size_t batch;
  std::size_t nfe;
  double sdekit_us;   // per NFE
  double forward_us;  // per forward call
};

row measure(settings const& s, std::size_t batch) {
  dm::vp_sde const sde;
  sdekit::torch::torchscript_score<dm::vp_sde> const score(s.model, sde);
  std::size_t const steps = std::max<std::size_t>(24, 8192 / batch);
  std::vector<double> const grid = dm::uniform_grid(sde, steps, 1e-3);
  std::vector<double> const x_T = dm::sample_prior(sde, batch, score.dim(), 1);
  std::size_t nfe = 0;
  double const sampling = fastest(s.repeat, [&] { nfe = dm::reverse_sde_sample(sde, score, grid, x_T, 2).nfe; });

  torch::jit::script::Module module = torch::jit::load(s.model);
  module.eval();
  torch::NoGradGuard no_grad;
  torch::Tensor const x = torch::randn({long(batch), long(score.dim())}, torch::kFloat32);
  torch::Tensor const t = torch::full({long(batch)}, 0.5, torch::kFloat32);
  double const direct = fastest(s.repeat, [&] {
    for (std::size_t k = 0; k < nfe; ++k) module.forward({x, t});
  });
  return {batch, nfe, 1e6 * sampling / double(nfe), 1e6 * direct / double(nfe)};
}

}  // namespace

int main(int argc, char** argv) {
  settings const s = parse(argc, argv);
  at::set_num_threads(s.threads);
  std::ofstream csv(s.out_dir + "/torchscript_overhead.csv");
  csv << "batch,nfe,threads,sdekit_us_per_nfe,forward_us_per_call,ratio\n";
  std::printf("%8s %6s %18s %18s %8s\n", "batch", "NFE", "sdekit µs/NFE", "forward µs/call", "ratio");
  for (std::size_t batch : s.batches) {
    row const r = measure(s, batch);
    double const ratio = r.sdekit_us / r.forward_us;
    std::printf("%8zu %6zu %18.1f %18.1f %8.2f\n", r.batch, r.nfe, r.sdekit_us, r.forward_us, ratio);
    csv << r.batch << ',' << r.nfe << ',' << s.threads << ',' << r.sdekit_us << ',' << r.forward_us << ',' << ratio
        << '\n';
  }
  return 0;
}
