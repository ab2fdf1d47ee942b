#include "atomic_output.hpp"

#include <cstdio>
#include <stdexcept>

#include <unistd.h>

#include <sdekit/solvers/errors.hpp>

namespace sdekit::cli {

atomic_output::atomic_output(std::string const& option, std::string path)
    : path_(std::move(path)), temporary_(path_ + ".tmp-" + std::to_string(::getpid())) {
  if (path_.empty()) sdekit::detail::fail(option, " is empty: give a file name");
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) sdekit::detail::fail(option, " = ", path_, ": cannot create the file (does its directory exist?)");
}

atomic_output::~atomic_output() {
  if (!committed_) {
    out_.close();
    std::remove(temporary_.c_str());
  }
}

void atomic_output::commit() {
  out_.flush();
  out_.close();
  if (!out_) throw std::runtime_error(path_ + ": write failed (disk full?)");
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error(path_ + ": cannot rename " + temporary_ + " onto it");
  committed_ = true;
}

}  // namespace sdekit::cli
