#include "wfsim/engine/cluster_messages.h"

#include <cstring>
#include <type_traits>

#include "wfsim/engine/error.h"

namespace wfsim::engine {

namespace {

class Writer {
 public:
  template <typename T>
  void value(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    raw(&v, sizeof v);
  }
  void text(const std::string& s) {
    value<std::uint64_t>(s.size());
    raw(s.data(), s.size());
  }
  template <typename T>
  void values(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    value<std::uint64_t>(v.size());
    raw(v.data(), v.size() * sizeof(T));
  }
  std::vector<char> bytes;

 private:
  void raw(const void* data, std::size_t size) {
    const char* begin = static_cast<const char*>(data);
    bytes.insert(bytes.end(), begin, begin + size);
  }
};

class Reader {
 public:
  Reader(const std::vector<char>& bytes, const char* what) : bytes_(bytes), what_(what) {}
  template <typename T>
  T value() {
    T v;
    raw(&v, sizeof v);
    return v;
  }
  std::string text() {
    std::string s(length(1), '\0');
    raw(s.data(), s.size());
    return s;
  }
  template <typename T>
  std::vector<T> values() {
    std::vector<T> v(length(sizeof(T)));
    raw(v.data(), v.size() * sizeof(T));
    return v;
  }
  void finish() const {
    if (at_ != bytes_.size()) fail();
  }

 private:
  std::size_t length(std::size_t item_size) {
    const auto n = value<std::uint64_t>();
    if (n > (bytes_.size() - at_) / item_size) fail();
    return static_cast<std::size_t>(n);
  }
  void raw(void* out, std::size_t size) {
    if (size > bytes_.size() - at_) fail();
    if (size > 0) std::memcpy(out, bytes_.data() + at_, size);
    at_ += size;
  }
  [[noreturn]] void fail() const {
    throw RuntimeError(std::string("a malformed ") + what_ + " message arrived from another rank");
  }
  const std::vector<char>& bytes_;
  const char* what_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<char> encode_batch(const Batch& batch) {
  Writer out;
  out.value(batch.number);
  out.text(batch.model);
  out.value(batch.seed);
  out.value(batch.trace_replications);
  out.value(batch.threads);
  out.values(batch.indices);
  return std::move(out.bytes);
}

Batch decode_batch(const std::vector<char>& bytes) {
  Reader in(bytes, "batch");
  Batch batch;
  batch.number = in.value<std::uint64_t>();
  batch.model = in.text();
  batch.seed = in.value<std::uint64_t>();
  batch.trace_replications = in.value<std::uint64_t>();
  batch.threads = in.value<int>();
  batch.indices = in.values<std::size_t>();
  in.finish();
  return batch;
}

std::vector<char> encode_result(const ReplicationResult& result) {
  Writer out;
  out.value<std::uint64_t>(result.index);
  out.value(result.events);
  out.text(result.error);
  out.value<std::uint64_t>(result.series.size());
  for (const std::vector<double>& block : result.series) out.values(block);
  out.value<std::uint64_t>(result.encoded.size());
  for (const std::vector<char>& chunk : result.encoded) out.values(chunk);
  out.values(result.trace);
  return std::move(out.bytes);
}

ReplicationResult decode_result(const std::vector<char>& bytes) {
  Reader in(bytes, "result");
  ReplicationResult result;
  result.index = static_cast<std::size_t>(in.value<std::uint64_t>());
  result.events = in.value<std::uint64_t>();
  result.error = in.text();
  const auto blocks = in.value<std::uint64_t>();
  if (blocks > bytes.size())
    throw RuntimeError("a malformed result message arrived from another rank");
  result.series.resize(static_cast<std::size_t>(blocks));
  for (std::vector<double>& block : result.series) block = in.values<double>();
  const auto chunks = in.value<std::uint64_t>();
  if (chunks > bytes.size())
    throw RuntimeError("a malformed result message arrived from another rank");
  result.encoded.resize(static_cast<std::size_t>(chunks));
  for (std::vector<char>& chunk : result.encoded) chunk = in.values<char>();
  result.trace = in.values<TraceRow>();
  in.finish();
  return result;
}

std::vector<char> encode_batch_end(const BatchEnd& end) {
  Writer out;
  out.value(end.number);
  out.value<std::uint8_t>(end.interrupted ? 1 : 0);
  return std::move(out.bytes);
}

BatchEnd decode_batch_end(const std::vector<char>& bytes) {
  Reader in(bytes, "batch end");
  BatchEnd end;
  end.number = in.value<std::uint64_t>();
  end.interrupted = in.value<std::uint8_t>() != 0;
  in.finish();
  return end;
}

std::vector<char> encode_number(std::int64_t number) {
  Writer out;
  out.value(number);
  return std::move(out.bytes);
}

std::int64_t decode_number(const std::vector<char>& bytes) {
  Reader in(bytes, "control");
  const auto number = in.value<std::int64_t>();
  in.finish();
  return number;
}

}  // namespace wfsim::engine
