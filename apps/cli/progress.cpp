#include "progress.hpp"

#include <algorithm>
#include <cstdio>

#include <unistd.h>

#include "interrupt.hpp"

namespace sdekit::cli {
namespace {

constexpr double quiet_seconds = 1.0;
constexpr double terminal_interval = 0.1;
constexpr double plain_interval = 5.0;
constexpr int bar_width = 30;

double seconds_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

progress::progress(std::string label, std::size_t total)
    : label_(std::move(label)), total_(std::max<std::size_t>(total, 1)), terminal_(::isatty(STDERR_FILENO) != 0) {}

progress::~progress() {
  if (drawn_ && terminal_) std::fprintf(stderr, "\r\033[K");
}

void progress::advance(std::size_t units) {
  check_interrupt();
  done_ = std::min(total_, done_ + units);
  auto const now = clock::now();
  double const elapsed = seconds_between(start_, now);
  if (elapsed < quiet_seconds) return;
  double const interval = terminal_ ? terminal_interval : plain_interval;
  if (drawn_ && seconds_between(last_draw_, now) < interval) return;
  last_draw_ = now;
  draw(elapsed);
}

void progress::draw(double elapsed) {
  double const fraction = double(done_) / double(total_);
  if (terminal_) {
    int const filled = static_cast<int>(fraction * bar_width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(bar_width - filled), '.');
    std::fprintf(stderr, "\r\033[K%s [%s] %3.0f%%  %.1f s", label_.c_str(), bar.c_str(), 100.0 * fraction, elapsed);
  } else {
    std::fprintf(stderr, "%s: %.0f%% after %.1f s\n", label_.c_str(), 100.0 * fraction, elapsed);
  }
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace sdekit::cli
