// Process-wide memory settings for programs that run many replications.
#pragma once

#include <cstddef>

namespace wfsim::engine {

// Large blocks (a replication's agents, positions and calendar) are mapped
// and returned to the system when freed. glibc otherwise raises its mmap
// threshold after the first such free and serves the next replication's
// blocks from a heap that fragments, so memory in flight grows by a third.
// Call once at the start of main().
void return_large_blocks_to_system();

// Memory this process can still take: the kernel's MemAvailable, and no more
// than the address-space limit (ulimit -v) leaves beyond what is mapped now.
std::size_t available_memory_bytes();

}  // namespace wfsim::engine
