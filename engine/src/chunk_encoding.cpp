#include "wfsim/engine/chunk_encoding.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <limits>

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

namespace {

// A thread's deflate state, reset between chunks: deflateInit allocates and
// clears some 270 KB, more work than compressing a replication's block. A
// reset stream makes the same bytes as compress2 at the same level.
class Deflater {
 public:
  Deflater() {
    if (deflateInit(&stream_, kDeflateLevel) != Z_OK)
      throw RuntimeError("zlib could not start a deflate stream");
  }
  ~Deflater() { deflateEnd(&stream_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  std::vector<char> deflate(const std::vector<unsigned char>& bytes) {
    if (deflateReset(&stream_) != Z_OK) throw RuntimeError("zlib could not reset its stream");
    std::vector<char> chunk(deflateBound(&stream_, static_cast<uLong>(bytes.size())));
    stream_.next_in = const_cast<Bytef*>(bytes.data());  // zlib does not write through it
    stream_.avail_in = static_cast<uInt>(bytes.size());
    stream_.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream_.avail_out = static_cast<uInt>(chunk.size());
    if (::deflate(&stream_, Z_FINISH) != Z_STREAM_END)
      throw RuntimeError("zlib could not compress a replication's block");
    chunk.resize(stream_.total_out);
    return chunk;
  }

 private:
  z_stream stream_{};
};

}  // namespace

std::vector<char> encode_chunk(const std::vector<double>& values) {
  // Shuffle (H5Z_FILTER_SHUFFLE): byte j of every value, then byte j + 1...
  constexpr std::size_t kWidth = sizeof(double);
  const std::size_t n = values.size();
  std::vector<unsigned char> bytes(n * kWidth);
  const auto* source = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = 0; j < kWidth; ++j) bytes[j * n + k] = source[k * kWidth + j];
  // Deflate (H5Z_FILTER_DEFLATE) at the dataset's level.
  if (bytes.size() > std::numeric_limits<uInt>::max() / 2)
    throw RuntimeError("a replication's block is too large for one zlib call");
  thread_local Deflater deflater;
  return deflater.deflate(bytes);
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
