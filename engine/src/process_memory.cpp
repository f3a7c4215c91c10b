#include "wfsim/engine/process_memory.h"

#include <malloc.h>
#include <sys/resource.h>

#include <fstream>
#include <limits>
#include <string>

namespace wfsim::engine {

void return_large_blocks_to_system() {
  // Setting the threshold explicitly also switches off its dynamic growth.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}

namespace {
// A "Name:   value kB" line of a /proc file, in bytes; `fallback` if absent.
std::size_t proc_kilobytes(const char* file, const std::string& name, std::size_t fallback) {
  std::ifstream in(file);
  const std::string prefix = name + ":";
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, prefix.size(), prefix) == 0)
      return static_cast<std::size_t>(std::stoull(line.substr(prefix.size()))) * 1024;
  return fallback;
}
}  // namespace

std::size_t available_memory_bytes() {
  constexpr std::size_t kUnknown = std::numeric_limits<std::size_t>::max();
  std::size_t available = proc_kilobytes("/proc/meminfo", "MemAvailable", kUnknown);
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const std::size_t mapped = proc_kilobytes("/proc/self/status", "VmSize", 0);
    const std::size_t cap = limit.rlim_cur > mapped ? limit.rlim_cur - mapped : 0;
    if (cap < available) available = cap;
  }
  return available;
}

}  // namespace wfsim::engine
