// How large per-replication blocks are stored: each in a chunk of its own,
// shuffled and deflated (results_file.cpp explains why one replication a chunk).
// The encoding is done here, by the thread (or MPI rank) that simulated the
// replication, so that the one writer only stores bytes: HDF5's filters
// would otherwise compress every replication on the writer's thread.
#pragma once

#include <cstddef>
#include <vector>

#include "wfsim/engine/results_file.h"
#include "wfsim/engine/runner.h"

namespace wfsim::engine {

// Blocks of at least this many values get a compressed chunk each.
constexpr std::size_t kCompressedBlockValues = 64;
// zlib's level: 4 stores a flagship replication in about a quarter of its
// bytes at a fraction of the cost of higher levels.
constexpr int kDeflateLevel = 4;

// Whether a block of `values` values is stored in a compressed chunk of its own.
constexpr bool stored_compressed(std::size_t values) {
  return values >= kCompressedBlockValues;
}

// For each series of `layout`, whether it is stored in compressed chunks.
std::vector<bool> compressed_series(const OutputLayout& layout);

// The chunk HDF5's shuffle and deflate filters make of `values`.
std::vector<char> encode_chunk(const std::vector<double>& values);

// Moves every series i with compressed[i] of `result` into
// result.encoded[i] (encode_chunk), leaving result.series[i] empty.
void encode_compressed_blocks(const std::vector<bool>& compressed, ReplicationResult& result);

}  // namespace wfsim::engine
