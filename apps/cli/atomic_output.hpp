// An output file that appears whole or not at all: data goes to "<path>.tmp-<pid>" beside the
// target, and commit() renames it over the target (rename(2) is atomic within a file system).
// The temporary is opened in the constructor, so an unwritable path is refused before any work
// starts; if the object dies uncommitted (an error, Ctrl-C), the temporary is removed.
#pragma once

#include <fstream>
#include <string>

namespace sdekit::cli {

class atomic_output {
 public:
  /// Throws sdekit::invalid_argument naming `option` and `path` when the file cannot be created.
  atomic_output(std::string const& option, std::string path);
  atomic_output(atomic_output const&) = delete;
  atomic_output& operator=(atomic_output const&) = delete;
  ~atomic_output();

  std::ostream& stream() { return out_; }
  std::string const& path() const { return path_; }

  /// Flushes, closes and renames the temporary onto the target.
  void commit();

 private:
  std::string path_;
  std::string temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace sdekit::cli
