#include "interrupt.hpp"

#include <csignal>

namespace sdekit::cli {
namespace {

volatile std::sig_atomic_t stop_requested = 0;

extern "C" void request_stop(int signal) {
  stop_requested = 1;
  std::signal(signal, SIG_DFL);
}

}  // namespace

void install_interrupt_handler() {
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
}

void check_interrupt() {
  if (stop_requested) throw interrupted();
}

}  // namespace sdekit::cli
