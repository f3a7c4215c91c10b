// Process-wide memory settings for programs that run many replications.
#pragma once

namespace wfsim::engine {

// Large blocks (a replication's agents, positions and calendar) are mapped
// and returned to the system when freed. glibc otherwise raises its mmap
// threshold after the first such free and serves the next replication's
// blocks from a heap that fragments, so memory in flight grows by a third.
// Call once at the start of main().
void return_large_blocks_to_system();

}  // namespace wfsim::engine
