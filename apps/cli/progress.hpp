// Progress of a long run on stderr. Nothing is shown during the first second; after that, when
// stderr is a terminal, a bar redrawn in place at most ten times a second, otherwise a plain line
// every five seconds (logs and pipes get no control characters). Every advance() also calls
// check_interrupt(), so a loop that reports progress stops promptly on Ctrl-C.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace sdekit::cli {

class progress {
 public:
  progress(std::string label, std::size_t total);
  progress(progress const&) = delete;
  progress& operator=(progress const&) = delete;
  ~progress();

  /// `units` more of the total are done.
  void advance(std::size_t units = 1);

 private:
  using clock = std::chrono::steady_clock;
  void draw(double elapsed);

  std::string label_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool terminal_;
  bool drawn_ = false;
  clock::time_point start_ = clock::now();
  clock::time_point last_draw_ = start_;
};

}  // namespace sdekit::cli
