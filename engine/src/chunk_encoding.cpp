#include "wfsim/engine/chunk_encoding.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>

#include "wfsim/engine/error.h"

namespace wfsim::engine {

std::vector<bool> compressed_series(const OutputLayout& layout) {
  std::vector<bool> compressed;
  for (const SeriesSpec& spec : layout.series) {
    std::size_t values = 1;
    for (std::size_t d : spec.dims) values *= d;
    compressed.push_back(stored_compressed(values));
  }
  return compressed;
}

std::vector<char> encode_chunk(const std::vector<double>& values) {
  // Shuffle (H5Z_FILTER_SHUFFLE): byte j of every value, then byte j + 1...
  constexpr std::size_t kWidth = sizeof(double);
  const std::size_t n = values.size();
  std::vector<unsigned char> bytes(n * kWidth);
  const auto* source = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = 0; j < kWidth; ++j) bytes[j * n + k] = source[k * kWidth + j];
  // Deflate (H5Z_FILTER_DEFLATE): zlib's compress2 at the dataset's level.
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::vector<char> chunk(size);
  if (compress2(reinterpret_cast<Bytef*>(chunk.data()), &size, bytes.data(),
                static_cast<uLong>(bytes.size()), kDeflateLevel) != Z_OK)
    throw RuntimeError("zlib could not compress a replication's block");
  chunk.resize(size);
  return chunk;
}

void encode_compressed_blocks(const std::vector<bool>& compressed, ReplicationResult& result) {
  result.encoded.resize(result.series.size());
  for (std::size_t i = 0; i < result.series.size() && i < compressed.size(); ++i) {
    if (!compressed[i] || result.series[i].empty()) continue;
    result.encoded[i] = encode_chunk(result.series[i]);
    result.series[i] = std::vector<double>();
  }
}

}  // namespace wfsim::engine
