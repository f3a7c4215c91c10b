// Typed errors thrown by the library. Only the program's main() turns them
// into messages and exit codes (SPEC §3: 2 for bad input, 1 for runtime).
#pragma once

#include <stdexcept>
#include <string>

namespace wfsim::engine {

// Where a problem is in an input file. Line and column are 1-based; 0 means
// "unknown" (e.g. a key that is missing has no position of its own).
struct SourceMark {
  std::string file;
  int line = 0;
  int column = 0;

  std::string to_string() const;  // "file:line:col", "file:line" or "file"
};

// Bad input: a scenario, an override or a command-line value. Exit code 2.
class InputError : public std::runtime_error {
 public:
  InputError(SourceMark mark, std::string key_path, std::string message);

  const SourceMark& mark() const { return mark_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& detail() const { return detail_; }

 private:
  SourceMark mark_;
  std::string key_path_;
  std::string detail_;
};

// A failure while running (I/O, a replication that threw). Exit code 1.
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wfsim::engine
