// Ctrl-C (SIGINT) and SIGTERM stop a run cleanly: the handler only raises a flag, long loops call
// check_interrupt() between units of work, which throws `interrupted`; the stack unwinds, output
// files that were not committed are removed (atomic_output), and main exits with 130. A second
// Ctrl-C terminates at once (the default action is restored after the first).
#pragma once

#include <stdexcept>

namespace sdekit::cli {

struct interrupted : std::runtime_error {
  interrupted() : std::runtime_error("interrupted") {}
};

/// Installs the handlers; call once at the start of main.
void install_interrupt_handler();

/// Throws `interrupted` when Ctrl-C or SIGTERM arrived since install_interrupt_handler().
void check_interrupt();

}  // namespace sdekit::cli
