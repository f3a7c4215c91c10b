#include "wfsim/engine/process_memory.h"

#include <malloc.h>

namespace wfsim::engine {

void return_large_blocks_to_system() {
  // Setting the threshold explicitly also switches off its dynamic growth.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}

}  // namespace wfsim::engine
